//! The pages people reach after signing in (or rarely): each is a lazy route, so with
//! `cargo leptos build --split` its code is a separate WASM part fetched on navigation and
//! the login page loads none of it. A lazy route's `data()` would run in the main part, so
//! these have none: each page loads its data from inside its view.

use leptos::prelude::*;

/// A lazy route that renders an existing page component (no props) once its code is loaded.
/// Only cargo-leptos splits the WASM: the Trunk preview (`csr`) gets the same route without
/// `#[lazy_route]`, whose split points would stay unresolved imports there.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[cfg(not(feature = "csr"))]
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }

        #[cfg(feature = "csr")]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(
    /// `/`: where a signed-in person lands.
    Home => crate::home::HomePage
);
lazy_page!(
    /// `/Account/AcceptInvitation`: once per person.
    AcceptInvitation => crate::account::invitation::AcceptInvitationPage
);
lazy_page!(
    /// `/Account/SetupTwoFactor`: once per authenticator.
    SetupTwoFactor => crate::account::setup::SetupTwoFactorPage
);
lazy_page!(
    /// `/Account/Security`: passkeys and step-up.
    Security => crate::account::security::SecurityPage
);
lazy_page!(
    /// `/Account/ReplaceAuthenticator`: now and then.
    ReplaceAuthenticator => crate::account::authenticator::ReplaceAuthenticatorPage
);
lazy_page!(
    /// `/Account/ForgotPassword`: rarely.
    ForgotPassword => crate::account::reset::ForgotPasswordPage
);
lazy_page!(
    /// `/Account/ResetPassword`: from the mailed link.
    ResetPassword => crate::account::reset::ResetPasswordPage
);
lazy_page!(
    /// `/Account/RecoveryCodes`: a new set of recovery codes, shown once.
    RecoveryCodes => crate::account::recovery::RecoveryCodesPage
);
lazy_page!(
    /// `/Account/Confirm`: an application asked for a fresh sign-in.
    ConfirmForApplication => crate::account::application::ConfirmPage
);
lazy_page!(
    /// `/Account/ApplicationError`: an application's request that cannot be answered.
    ApplicationError => crate::account::application::ApplicationErrorPage
);
lazy_page!(
    /// `/Account/Users`: owners and co-owners only.
    Users => crate::account::users::UsersPage
);
lazy_page!(
    /// `/support/new`: the drop zones and their upload code.
    SupportRequest => crate::support::new::SupportRequestPage
);
lazy_page!(
    /// `/support/confirm`: from the mailed link, once per request.
    ConfirmSupportRequest => crate::support::confirm::ConfirmRequestPage
);
lazy_page!(
    /// `/support/console`: agents only.
    SupportQueue => crate::support::console::queue::ConsolePage
);
lazy_page!(
    /// `/support/console/:id`: agents only.
    SupportRequestReview => crate::support::console::request::RequestPage
);
