//! Signing in and out, invitations, 2FA setup, and who is signed in.

pub mod authenticator;
pub mod events;
pub mod idle;
pub mod invitation;
pub mod login;
pub mod passkeys;
pub mod password;
pub mod recovery;
pub mod reset;
pub mod security;
pub mod session;
pub mod sessions;
pub mod setup;
pub mod sso;
pub mod users;
