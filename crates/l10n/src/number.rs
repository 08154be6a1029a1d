//! `NUMBER()` for the messages: a number with the language's decimal mark and digit grouping
//! (fluent-rs formats numbers the same in every language). Options as Fluent and ECMA-402 name
//! them: `minimumFractionDigits`, `maximumFractionDigits`, `useGrouping` ("true" or "false").

use fluent_bundle::{FluentArgs, FluentValue};

/// The language's decimal mark and group separator.
pub(crate) fn marks(tag: &str) -> (char, char) {
    let language = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    match language.as_str() {
        "de" | "es" | "it" | "nl" | "pt" | "da" | "id" | "tr" => (',', '.'),
        "fr" => (',', '\u{202f}'),
        "pl" | "ru" | "sv" | "nb" | "fi" | "cs" | "sk" | "uk" => (',', '\u{a0}'),
        _ => ('.', ','),
    }
}

/// `value` with `marks`, rounded to the fraction digits asked for.
pub(crate) fn format(value: f64, (decimal, group): (char, char), named: &FluentArgs) -> String {
    let option = |name: &str| match named.get(name) {
        Some(FluentValue::Number(n)) => Some(n.value as usize),
        Some(FluentValue::String(s)) => s.parse().ok(),
        _ => None,
    };
    let grouping = !matches!(named.get("useGrouping"), Some(FluentValue::String(s)) if s == "false");
    let min = option("minimumFractionDigits").unwrap_or(0);
    let max = option("maximumFractionDigits").unwrap_or(3).max(min);
    let rounded = format!("{:.*}", max, value.abs());
    let (whole, fraction) = rounded.split_once('.').unwrap_or((&rounded, ""));
    let mut fraction = fraction.trim_end_matches('0').to_owned();
    while fraction.len() < min {
        fraction.push('0');
    }
    let mut out = String::new();
    if value < 0.0 && rounded.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if grouping && i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(decimal);
        out.push_str(&fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, f64)]) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        for (name, value) in pairs {
            args.set(name.to_string(), *value);
        }
        args
    }

    #[test]
    fn the_languages_marks_and_the_fraction_digits_asked_for() {
        let one = args(&[("minimumFractionDigits", 1.0), ("maximumFractionDigits", 1.0)]);
        assert_eq!(format(2.44, marks("en"), &one), "2.4");
        assert_eq!(format(2.44, marks("de-CH"), &one), "2,4");
        assert_eq!(format(3.0, marks("de"), &one), "3,0");
        assert_eq!(format(1234567.0, marks("en"), &args(&[])), "1,234,567");
        assert_eq!(format(1234567.0, marks("de"), &args(&[])), "1.234.567");
        assert_eq!(format(-0.5, marks("en"), &args(&[])), "-0.5");
        assert_eq!(format(999.96, marks("en"), &one), "1,000.0");
        let mut plain = FluentArgs::new();
        plain.set("useGrouping", "false");
        assert_eq!(format(30000.0, marks("de"), &plain), "30000");
    }
}
