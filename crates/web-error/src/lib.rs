//! The one error type of the web layer. What it says is shown to people as is, so every
//! message is plain and safe; causes are logged on the server where they happen.
//!
//! A crate of its own so that the login page's client, which runs without Leptos, shows the
//! very same words as the pages that run with it. The words are messages (`locales/*/errors.ftl`)
//! said in the language of whoever shows them (see `gatehouse_l10n::words`).

use gatehouse_l10n::say;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// A rule the person can act on, in words meant for them.
    #[error("{0}")]
    Invalid(String),
    #[error("{}", say("error-not-signed-in", &[]))]
    NotSignedIn,
    /// A second step without a first one, or too long after it.
    #[error("{}", say("error-sign-in-expired", &[]))]
    SignInExpired,
    #[error("{}", say("error-forbidden", &[]))]
    Forbidden,
    /// Not the step this sign-in stands at (a code where setup was asked for, setup for
    /// someone who has an authenticator); says what to do instead.
    #[error("{0}")]
    WrongStep(String),
    /// A sensitive change needs a fresh proof that it is still this person.
    #[error("{}", say("error-step-up-required", &[]))]
    StepUpRequired,
    #[error("{}", say("error-internal", &[]))]
    Internal,
    /// The request never reached the function properly (network, bad encoding).
    #[error("{}", say("error-transport", &[]))]
    Transport(String),
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(feature = "server-fn")]
impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

/// The error a server function answered with (its JSON body), or a transport error when the
/// answer is not one (a proxy's error page, a cut connection).
pub fn decode(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|_| AppError::Transport(String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_reads_back_as_the_error_it_was() {
        for e in [AppError::Invalid("Wrong.".into()), AppError::SignInExpired, AppError::Internal] {
            assert_eq!(decode(&serde_json::to_string(&e).unwrap()), e);
        }
        assert_eq!(decode("<html>Bad gateway</html>"), AppError::Transport(String::new()));
    }
}
