//! The server's tests, one binary: each file a concern (the command line, plain routes, the
//! authorisation matrix's coverage, passkeys, signing in). One binary links the whole server
//! once, instead of once per file.

mod support;

mod cli;
mod matrix;
mod passkeys;
#[path = "http.rs"]
mod plain_http;
mod signin;
