//! Small pieces several pages use.

mod code_field;
mod password_field;
mod recovery_code_field;

pub use code_field::CodeField;
pub use password_field::{NewPasswordHint, PasswordField};
pub use recovery_code_field::RecoveryCodeField;

/// False until the page's script runs. A control that only works through the script (no
/// form to post without it) is disabled until then, rather than doing nothing when pressed.
pub fn hydrated() -> leptos::prelude::ReadSignal<bool> {
    use leptos::prelude::*;
    let (hydrated, set) = signal(false);
    Effect::new(move |_| set.set(true));
    hydrated
}
