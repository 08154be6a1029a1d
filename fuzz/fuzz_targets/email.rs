//! Email addresses are user names and database keys: what `Email::parse` accepts must parse
//! again to itself (it is read back from the database through the same parser), and be free
//! of what would make two spellings of one address.
#![no_main]

use gatehouse_core::Email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Ok(email) = Email::parse(input) else { return };
    let again = Email::parse(email.as_str())
        .unwrap_or_else(|e| panic!("{input:?} accepted as {email}, refused when read back: {e}"));
    assert_eq!(again, email, "{input:?}");
    assert_eq!(email.as_str(), email.as_str().trim(), "{input:?}");
    assert_eq!(email.as_str().to_lowercase(), email.as_str(), "{input:?}");
});
