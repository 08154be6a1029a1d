//! The one error type of the web layer. What it says is shown to people as is, so every
//! message is plain and safe; causes are logged on the server where they happen.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// A rule the person can act on, in words meant for them.
    #[error("{0}")]
    Invalid(String),
    #[error("Please sign in first.")]
    NotSignedIn,
    /// A second step without a first one, or too long after it.
    #[error("Your sign-in has expired. Enter your user name and password again.")]
    SignInExpired,
    #[error("You do not have access to this.")]
    Forbidden,
    /// Not the step this sign-in stands at (a code where setup was asked for, setup for
    /// someone who has an authenticator); says what to do instead.
    #[error("{0}")]
    WrongStep(String),
    /// A sensitive change needs a fresh proof that it is still this person.
    #[error("For your security, confirm it is you: enter the current code from your authenticator app.")]
    StepUpRequired,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never reached the function properly (network, bad encoding).
    #[error("The request could not be completed. Check your connection and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
