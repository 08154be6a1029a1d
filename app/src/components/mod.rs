//! Small pieces several pages use.

mod code_field;
mod password_field;
mod recovery_code_field;

pub use code_field::CodeField;
pub use password_field::{NewPasswordHint, PasswordField};
pub use recovery_code_field::RecoveryCodeField;
