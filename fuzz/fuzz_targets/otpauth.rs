//! The otpauth URI in the QR code: for any issuer the configuration accepts and any account
//! name, an authenticator app's parser (totp-rs's, not the code that wrote it) reads back the
//! same issuer, account and secret, and computes the same codes.
#![no_main]

use gatehouse_core::totp::{otpauth_uri, TotpSecret};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, [u8; 20])| {
    let (issuer, account, secret) = input;
    // What configuration lets through (server/src/config.rs).
    let issuer = issuer.trim();
    if issuer.is_empty() || issuer.contains(':') || issuer.chars().count() > 64 {
        return;
    }
    let key = TotpSecret::from_bytes(secret.to_vec());
    let uri = otpauth_uri(issuer, account, &key);
    let app = totp_rs::Totp::from_url_unchecked(&uri).unwrap_or_else(|e| panic!("{uri}: {e:?}"));
    assert_eq!(app.issuer(), Some(issuer), "{uri}");
    for step in [0u64, 1, 55_000_000] {
        assert_eq!(app.generate(step * 30).to_string(), key.code_at_step(step), "{uri}");
    }
    // The label: one separator, then the account as typed (':' replaced, as documented).
    let parsed = url::Url::parse(&uri).expect("parsed above");
    let label = &parsed.path()[1..];
    assert_eq!(label.matches(':').count(), 1, "{uri}");
    let shown = percent_encoding::percent_decode_str(label.split_once(':').expect("one ':'").1).decode_utf8();
    assert_eq!(shown.as_deref(), Ok(account.replace(':', "_").as_str()), "{uri}");
});
