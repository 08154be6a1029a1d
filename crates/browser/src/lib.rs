//! Browser-only code that needs no Leptos, shared by the Leptos client and by the login
//! page's own client (`login/`), which enhances the server-rendered login page without
//! Leptos's runtime, so that a person signing in downloads a few tens of kilobytes.

pub mod api;
pub mod login;
pub mod passkey;
pub mod webauthn;
pub mod words;
