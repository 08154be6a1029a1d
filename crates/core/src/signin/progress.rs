//! Where a sign-in stands between its first step and its second. The first step (password,
//! or a provider's answer) grants exactly one second step: the code of the person's
//! authenticator, or setting one up when they have none. Every second-step operation takes
//! the [`PendingSignIn`] and is refused unless it grants that very step, in time.
//!
//! Setting up an authenticator is granted only after the password, or after a provider for
//! someone who has no password (an invited person accepting through SSO), and only with proof
//! of the person's mailbox besides ([`Mailbox`], see `super::setup_link`): otherwise a
//! password alone, or a provider alone, could enrol an attacker's authenticator.

use serde::{Deserialize, Serialize};

use super::SignInError;
use crate::model::User;
use crate::store::{Authenticators, Directory, SetupLinks};
use crate::token::TokenHash;
use crate::{Id, Timestamp};

/// The code step must follow the first step within ten minutes.
pub const CODE_STEP_TTL_SECS: i64 = 10 * 60;
/// Setup takes longer (installing an app, scanning): as long as the shown secret lives.
pub const SETUP_STEP_TTL_SECS: i64 = super::code::ENROLMENT_TTL_SECS;

/// How the first step was passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FirstStep {
    Password,
    /// A single sign-on provider, by the name its button shows.
    Sso {
        provider: String,
    },
    /// A new password through a mailed link (**Forgot password?**).
    PasswordReset,
}

impl FirstStep {
    /// As the audit log says it ("with password and code").
    pub fn words(&self) -> String {
        match self {
            FirstStep::Password => "password".into(),
            FirstStep::Sso { provider } => format!("{provider} (single sign-on)"),
            FirstStep::PasswordReset => "a new password".into(),
        }
    }
}

/// The one second step a pending sign-in may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondStep {
    Code,
    Setup,
}

/// A sign-in past its first step, kept in the server-side session until the second.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    /// Random, per first step: what a secret being set up belongs to.
    pub id: Id,
    pub user_id: Id,
    pub first: FirstStep,
    pub second: SecondStep,
    pub since: Timestamp,
}

impl PendingSignIn {
    pub fn expires_at(&self) -> Timestamp {
        self.since.plus_secs(match self.second {
            SecondStep::Code => CODE_STEP_TTL_SECS,
            SecondStep::Setup => SETUP_STEP_TTL_SECS,
        })
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at() || now < self.since
    }
}

/// What proves, besides the first step, that the person holds their mailbox: setting up an
/// authenticator needs both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mailbox<'a> {
    /// Nothing but the first step.
    Unproved,
    /// An invitation, mailed to the person, accepted in this very step.
    Invitation,
    /// A setup link's token (its hash), which the sign-in carried from the mailed link. Used
    /// up only when it grants setup.
    SetupLink(&'a TokenHash),
}

/// Decides the second step after a first step: the code for someone with an authenticator,
/// else setup, but after a provider only for someone without a password, and only with their
/// mailbox proved besides ([`SignInError::SetupNeedsMailbox`] otherwise).
pub async fn after_first_step<S: Authenticators + SetupLinks + ?Sized>(
    store: &S,
    user: &User,
    first: FirstStep,
    mailbox: Mailbox<'_>,
    now: Timestamp,
) -> Result<PendingSignIn, SignInError> {
    let has_authenticator = store.totp_secret(&user.id).await?.is_some();
    let second = match (&first, has_authenticator) {
        (_, true) => SecondStep::Code,
        // A mailbox alone must not enrol an authenticator (`reset` sends no link then).
        (FirstStep::PasswordReset, false) => return Err(SignInError::SetUpAfterPassword),
        (FirstStep::Sso { .. }, false) if user.has_password => return Err(SignInError::SetUpAfterPassword),
        (FirstStep::Password | FirstStep::Sso { .. }, false) => match mailbox {
            Mailbox::Invitation => SecondStep::Setup,
            Mailbox::SetupLink(hash) if store.use_setup_link(&user.id, hash, now).await? => SecondStep::Setup,
            Mailbox::SetupLink(_) => return Err(SignInError::SetupLinkInvalid),
            Mailbox::Unproved => return Err(SignInError::SetupNeedsMailbox),
        },
    };
    Ok(PendingSignIn { id: Id::random(), user_id: user.id.clone(), first, second, since: now })
}

/// The user a pending sign-in is for, if it grants `step` and has not expired.
pub(crate) async fn user_for<S: Directory + ?Sized>(
    store: &S,
    pending: &PendingSignIn,
    step: SecondStep,
    now: Timestamp,
) -> Result<User, SignInError> {
    if pending.is_expired(now) {
        return Err(SignInError::Expired);
    }
    match (pending.second, step) {
        (SecondStep::Setup, SecondStep::Code) => return Err(SignInError::SetUpFirst),
        (SecondStep::Code, SecondStep::Setup) => return Err(SignInError::HasAuthenticator),
        _ => {}
    }
    store.user_by_id(&pending.user_id).await?.ok_or(SignInError::Expired)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(second: SecondStep, since: i64) -> PendingSignIn {
        PendingSignIn {
            id: Id::random(),
            user_id: Id::random(),
            first: FirstStep::Password,
            second,
            since: Timestamp(since),
        }
    }

    #[test]
    fn a_code_step_lasts_ten_minutes_and_setup_half_an_hour() {
        let code = pending(SecondStep::Code, 1000);
        assert!(!code.is_expired(Timestamp(1000 + CODE_STEP_TTL_SECS - 1)));
        assert!(code.is_expired(Timestamp(1000 + CODE_STEP_TTL_SECS)));
        let setup = pending(SecondStep::Setup, 1000);
        assert!(!setup.is_expired(Timestamp(1000 + 29 * 60)));
        assert!(setup.is_expired(Timestamp(1000 + 30 * 60)));
        assert!(code.is_expired(Timestamp(999)), "a sign-in from the future is not trusted");
    }

    #[test]
    fn the_first_step_reads_as_the_audit_log_says_it() {
        assert_eq!(FirstStep::Password.words(), "password");
        assert_eq!(FirstStep::Sso { provider: "Acme ID".into() }.words(), "Acme ID (single sign-on)");
    }

    #[test]
    fn the_session_form_is_stable() {
        // Sessions outlive a deployment: this layout must keep reading back.
        let p = PendingSignIn {
            id: Id::from_stored("cd".into()),
            user_id: Id::from_stored("ab".into()),
            first: FirstStep::Sso { provider: "Acme ID".into() },
            second: SecondStep::Setup,
            since: Timestamp(5),
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"id":"cd","user_id":"ab","first":{"kind":"sso","provider":"Acme ID"},"second":"setup","since":5}"#
        );
        assert_eq!(serde_json::from_str::<PendingSignIn>(&json).unwrap(), p);
    }
}
