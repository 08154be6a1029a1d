//! The one error type of the web layer, defined in `gatehouse-web-error` so that the login
//! page's own client shows the same words (see that crate).

pub use gatehouse_web_error::{AppError, AppResult};
