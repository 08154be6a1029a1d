//! Why the program stopped: one line for the operator, no backtrace.

use gatehouse_core::admin::AdminError;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] gatehouse_storage::OpenError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailSetupError),
    #[error(transparent)]
    Admin(#[from] AdminError),
    #[error(transparent)]
    Operator(#[from] gatehouse_core::operator::OperatorError),
    /// A command's arguments, as the operator typed them, cannot be used.
    #[error("{0}")]
    Usage(String),
    #[error("passkeys cannot work with this public URL: {0}")]
    Passkeys(String),
    #[error("OpenID Provider signing keys: {0}")]
    SigningKeys(crate::oidc::keys::KeyError),
    #[error("cannot listen on {0}: {1}")]
    Listen(std::net::SocketAddr, std::io::Error),
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}
