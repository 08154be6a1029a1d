//! The storage crate's tests, one binary: each file a concern, run against SQLite and, when
//! `GATEHOUSE_TEST_POSTGRES_URL` is set, PostgreSQL. (One binary links once and runs its tests
//! in parallel; a binary per file took longer to link than to run.)

#[macro_use]
mod support;

mod conformance;
mod mail_queue;
mod members;
mod oidc;
mod operations;
mod passkeys;
mod passwords;
mod recovery_codes;
mod replace_authenticator;
mod signin;
mod sso;
mod support_requests;
mod throttle;
