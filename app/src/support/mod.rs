//! Support requests for 2FA resets: the public form with its drop zones (`/support/new`), the
//! requester's confirmation from their mailbox (`/support/confirm`), and the agents' console
//! (`/support/console`).

pub mod confirm;
pub mod console;
pub mod new;
#[cfg(feature = "browser")]
mod send;
mod zones;

use gatehouse_l10n::FluentValue;

use crate::i18n::{t, t_with};

/// Where a file goes on the form, as the server's multipart field names it
/// (`server/src/http/support.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zone {
    LegalId,
    BusinessRegistration,
    Letterhead,
    Attachments,
}

impl Zone {
    pub const ALL: [Zone; 4] = [Zone::LegalId, Zone::BusinessRegistration, Zone::Letterhead, Zone::Attachments];

    pub fn field(self) -> &'static str {
        match self {
            Zone::LegalId => "legal_id",
            Zone::BusinessRegistration => "business_registration",
            Zone::Letterhead => "letterhead",
            Zone::Attachments => "attachments",
        }
    }

    /// The zone's label: the accessible name of its file input.
    pub fn label(self) -> String {
        t(match self {
            Zone::LegalId => "support-zone-legal-id",
            Zone::BusinessRegistration => "support-zone-business-registration",
            Zone::Letterhead => "support-zone-letterhead",
            Zone::Attachments => "support-zone-attachments",
        })
    }

    pub fn hint(self) -> String {
        t(match self {
            Zone::LegalId => "support-zone-legal-id-hint",
            Zone::BusinessRegistration => "support-zone-business-registration-hint",
            Zone::Letterhead => "support-zone-letterhead-hint",
            Zone::Attachments => "support-zone-attachments-hint",
        })
    }

    pub fn owner_proof(self) -> bool {
        self != Zone::Attachments
    }
}

/// An area's name (the form's options, the console); `area` is the value the server keeps.
pub fn area_words(area: &str) -> String {
    match area {
        "Account" => t("support-area-account"),
        "Billing" => t("support-area-billing"),
        "Subscription" => t("support-area-subscription"),
        other => other.to_owned(),
    }
}

/// The server's limits (`gatehouse_core::support::upload`), checked in the browser first so
/// that a person hears about a file at once, not after sending 25 MB.
pub const MAX_FILE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;
pub const MAX_FILES: usize = 10;
pub const MAX_REQUEST_BYTES: f64 = 25.0 * 1024.0 * 1024.0;
#[cfg(feature = "ssr")]
const _: () = {
    use gatehouse_core::support::upload as u;
    assert!(MAX_FILE_BYTES as usize == u::MAX_FILE_BYTES);
    assert!(MAX_FILES == u::MAX_FILES);
    assert!(MAX_REQUEST_BYTES as usize == u::MAX_REQUEST_BYTES);
};

/// "2.4 MB", "830 KB": sizes as people read them.
pub fn size_words(bytes: f64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= MB {
        t_with("size-mb", [("mb", FluentValue::from(bytes / MB))])
    } else {
        t_with("size-kb", [("kb", FluentValue::from((bytes / 1024.0).ceil().max(1.0)))])
    }
}

/// The most files one request takes, as the form and the server say it.
pub fn too_many_files() -> String {
    t_with("support-too-many-files", [("max", FluentValue::from(MAX_FILES))])
}

/// The files together over the request's limit.
#[cfg_attr(not(feature = "browser"), allow(dead_code))]
pub fn files_too_large_total() -> String {
    t("support-files-too-large-total")
}
