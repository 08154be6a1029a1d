//! The pages people reach after signing in (or rarely): each is a lazy route, so with
//! `cargo leptos build --split` its code is a separate WASM part fetched on navigation and
//! the login page loads none of it. The support console's pages are lazy routes of their own,
//! because they also start loading their data while their code arrives.

use leptos::prelude::*;

/// A lazy route that renders an existing page component (no props) once its code is loaded.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
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
    /// `/Account/Users`: owners and co-owners only.
    Users => crate::account::users::UsersPage
);
lazy_page!(
    /// `/support/new`: the drop zones and their upload code.
    SupportRequest => crate::support::new::SupportRequestPage
);
