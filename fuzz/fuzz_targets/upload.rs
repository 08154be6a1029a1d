//! A support request's files: whatever name and bytes arrive, the check answers (never
//! panics, never unpacks a pixel flood), and what it accepts is what the content is, under a
//! name that is safe to show.
#![no_main]

use gatehouse_core::support::upload::{check, display_name, FileType, NAME_MAX_CHARS};
use libfuzzer_sys::fuzz_target;

/// Names the upload zone sees most, so the fuzzer spends its time past the name check.
const NAMES: [&str; 4] = ["scan.pdf", "passport.jpg", "letter.png", "Photo.JPEG"];

fuzz_target!(|input: &[u8]| {
    let Some((&pick, rest)) = input.split_first() else { return };
    let (name, bytes) = match NAMES.get(usize::from(pick % 8)) {
        Some(name) => (name.to_string(), rest),
        None => {
            // Then the name is fuzzed too: up to the first NUL, the rest is the file.
            let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            (String::from_utf8_lossy(&rest[..split]).into_owned(), rest.get(split + 1..).unwrap_or(&[]))
        }
    };
    if let Ok(kind) = check(&name, bytes) {
        assert_eq!(FileType::sniff(bytes), Some(kind), "accepted as what it is not");
    }
    for kind in [None, Some(FileType::Pdf), Some(FileType::Jpeg)] {
        let shown = display_name(&name, kind);
        assert!(!shown.is_empty(), "empty display name for {name:?}");
        assert!(shown.chars().count() <= NAME_MAX_CHARS, "{shown:?} too long");
        assert!(!shown.contains(['/', '\\']) && !shown.chars().any(char::is_control), "{shown:?} unsafe");
        assert!(!shown.starts_with('.'), "{shown:?} hidden");
    }
});
