//! The identity core of Gatehouse: the rules about accounts, people, invitations and secrets.
//!
//! It knows nothing of the web framework or of SQL. Storage implements the narrow traits in
//! [`store`]; the server calls the services ([`admin`]) and maps their typed errors.

pub mod admin;
pub mod crypto;
pub mod email;
pub mod events;
pub mod ids;
pub mod known_browsers;
pub mod mail;
pub mod mail_queue;
pub mod members;
pub mod model;
pub mod oidc;
pub mod operator;
pub mod passkey;
pub mod password;
pub mod password_policy;
pub mod recovery;
pub mod role;
pub mod sessions;
pub mod signin;
pub mod sso;
pub mod store;
pub mod support;
pub mod throttle;
pub mod token;
pub mod totp;

pub use email::Email;
pub use ids::{Id, Timestamp};
pub use role::Role;
