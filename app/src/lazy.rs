//! The pages people reach after signing in (or rarely): each is a lazy route, so with
//! `cargo leptos build --split` its code is a separate WASM part fetched on navigation and
//! the login page loads none of it. The support console's pages are lazy routes of their own,
//! because they also start loading their data while their code arrives.

use leptos::prelude::*;

/// Makes `$route` a lazy route from its inherent `data()` (runs at once, in the main part)
/// and `render(this)` (the view, split into its own part with everything only it reaches).
/// Only cargo-leptos splits the WASM: the Trunk preview (`csr`) gets the same route without
/// `#[lazy_route]`, whose split points would stay unresolved imports there.
macro_rules! lazy_route {
    ($route:ident) => {
        #[cfg(not(feature = "csr"))]
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route::data()
            }

            fn view(this: Self) -> leptos::prelude::AnyView {
                $route::render(this)
            }
        }

        #[cfg(feature = "csr")]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route::data()
            }

            async fn view(this: Self) -> leptos::prelude::AnyView {
                $route::render(this)
            }
        }
    };
}
pub(crate) use lazy_route;

/// A lazy route that renders an existing page component (no props) once its code is loaded.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        impl $route {
            fn data() -> Self {
                $route
            }

            fn render(_this: Self) -> AnyView {
                $page().into_any()
            }
        }

        lazy_route!($route);
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
