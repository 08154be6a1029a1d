//! Small pieces several pages use.

mod password_field;

pub use password_field::PasswordField;
