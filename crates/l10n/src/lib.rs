//! Gatehouse's words in the person's language. Messages are Project Fluent files, one folder per
//! language (`locales/en/`, `locales/de/`): the server has every folder present when it was
//! built, plus those of `GATEHOUSE_LOCALES_DIR`; a browser receives only its page's language
//! (as FTL text in the page) and parses that alone.
//!
//! Which language: the person's own choice, else the browser's `Accept-Language` negotiated
//! against the languages present (`de-CH` finds `de`), else the operator's default. A message
//! missing in a language falls back to English (the check in `make test` keeps none missing).

pub mod check;
mod number;
pub mod words;

use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
pub use fluent_bundle::{FluentArgs, FluentValue};
use unic_langid::LanguageIdentifier;
pub use words::{say, Arg};

/// The language every other falls back to, and whose messages every other must have.
pub const REFERENCE: &str = "en";

#[derive(Debug, thiserror::Error)]
pub enum L10nError {
    #[error("{language}/{file}: {problem}")]
    File { language: String, file: String, problem: String },
    #[error("{0}: not a language tag (a folder of locales/ is named like en, de or pt-BR)")]
    Tag(String),
    #[error("{0}: {1}")]
    Folder(String, String),
    #[error("no messages in {0}: every language falls back to it")]
    NoReference(&'static str),
    #[error("the default language {0} has no folder of messages")]
    NoDefault(String),
}

/// One language's messages.
pub struct Messages {
    tag: String,
    bundle: FluentBundle<FluentResource>,
    /// Its files' text, joined: what a page sends the browser.
    source: String,
}

impl Messages {
    /// The messages of the files `sources` (name, text) for the language `tag`.
    pub fn parse(tag: &str, sources: &[(&str, &str)]) -> Result<Self, L10nError> {
        let id: LanguageIdentifier = tag.parse().map_err(|_| L10nError::Tag(tag.to_owned()))?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around values: every language here runs left to right,
        // and the marks would sit inside every address and name on the page.
        bundle.set_use_isolating(false);
        let marks = number::marks(tag);
        bundle
            .add_function("NUMBER", move |positional, named| match positional.first() {
                Some(FluentValue::Number(n)) => FluentValue::String(number::format(n.value, marks, named).into()),
                Some(other) => other.clone(),
                None => FluentValue::Error,
            })
            .expect("NUMBER is added once");
        let mut source = String::new();
        for (file, text) in sources {
            let problem =
                |problem: String| L10nError::File { language: tag.to_owned(), file: (*file).to_owned(), problem };
            let resource = FluentResource::try_new((*text).to_owned())
                .map_err(|(_, errors)| problem(format!("{:?}", errors.first())))?;
            bundle.add_resource(resource).map_err(|errors| problem(format!("{:?}", errors.first())))?;
            // Comments (a `#` at a line's start) are for translators: the pages carry the rest.
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                source.push_str(line);
                source.push('\n');
            }
        }
        Ok(Messages { tag: tag.to_owned(), bundle, source })
    }

    /// The language's tag, as `<html lang>` takes it.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The FTL text of every file, for the browser to parse with [`Messages::parse`].
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The message `id` (or `id.attribute`) with `args`, if this language has it.
    pub fn get(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (message, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let message = self.bundle.get_message(message)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        // A missing variable shows as its name in braces: better than nothing, and the
        // check in `make test` finds every caller's variables.
        Some(text.into_owned())
    }

    /// [`Messages::get`], or the id itself where the message is missing.
    pub fn text(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.get(id, args).unwrap_or_else(|| id.to_owned())
    }
}

/// Every language's messages, and the operator's default.
pub struct Catalog {
    /// Sorted by tag.
    all: Vec<Arc<Messages>>,
    /// `all`'s tags, parsed once: negotiation runs on every request.
    ids: Vec<LanguageIdentifier>,
    reference: usize,
    default: usize,
}

impl Catalog {
    /// `default` must be one of `all`, and English must be there (every language falls back
    /// to it).
    pub fn new(mut all: Vec<Messages>, default: &str) -> Result<Self, L10nError> {
        all.sort_by(|a, b| a.tag.cmp(&b.tag));
        all.dedup_by(|later, earlier| later.tag == earlier.tag);
        let position = |tag: &str| all.iter().position(|m| m.tag.eq_ignore_ascii_case(tag));
        let reference = position(REFERENCE).ok_or(L10nError::NoReference(REFERENCE))?;
        let default = position(default).ok_or_else(|| L10nError::NoDefault(default.to_owned()))?;
        let ids = all.iter().filter_map(|m| m.tag.parse().ok()).collect();
        Ok(Catalog { all: all.into_iter().map(Arc::new).collect(), ids, reference, default })
    }

    /// The languages present, by tag.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.all.iter().map(|m| m.tag.as_str())
    }

    /// The languages a person can choose: each tag with the language's own name
    /// (`language-name`).
    pub fn offered(&self) -> Vec<(String, String)> {
        self.all.iter().map(|m| (m.tag.clone(), m.text("language-name", None))).collect()
    }

    /// The language `tag` exactly (any case), if present.
    pub fn language(&self, tag: &str) -> Option<&Arc<Messages>> {
        self.all.iter().find(|m| m.tag.eq_ignore_ascii_case(tag))
    }

    pub fn default_language(&self) -> &Arc<Messages> {
        &self.all[self.default]
    }

    /// The language to speak: `chosen` (the person's setting) if present, else the best of
    /// `accept_language` (the header, with its weights), else the default.
    pub fn negotiate(&self, chosen: Option<&str>, accept_language: Option<&str>) -> &Arc<Messages> {
        if let Some(found) = chosen.and_then(|tag| self.best(&[tag])) {
            return found;
        }
        let asked = accept_language.map(accept_language::parse).unwrap_or_default();
        let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
        self.best(&asked).unwrap_or_else(|| self.default_language())
    }

    /// The first of `asked` (in order of preference) that a language here serves: exactly, or
    /// by its language alone (`de-CH` is served by `de`).
    fn best(&self, asked: &[&str]) -> Option<&Arc<Messages>> {
        let requested = fluent_langneg::convert_vec_str_to_langids_lossy(asked);
        let found = fluent_langneg::negotiate_languages(
            &requested,
            &self.ids,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let tag = found.first()?.to_string();
        self.language(&tag)
    }

    /// The message in `language`, else in English, else its id.
    pub fn text(&self, language: &Messages, id: &str, args: Option<&FluentArgs>) -> String {
        language.get(id, args).or_else(|| self.all[self.reference].get(id, args)).unwrap_or_else(|| id.to_owned())
    }
}

#[cfg(feature = "built-in")]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The languages built into the server (every folder of `locales/` at build time).
#[cfg(feature = "built-in")]
pub fn built_in() -> Result<Vec<Messages>, L10nError> {
    embedded::EMBEDDED.iter().map(|(tag, files)| Messages::parse(tag, files)).collect()
}

/// The language folders of `dir` (each named by its tag, holding `.ftl` files).
#[cfg(feature = "server")]
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<Messages>, L10nError> {
    let problem = |e: std::io::Error| L10nError::Folder(dir.display().to_string(), e.to_string());
    let mut languages = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(problem)? {
        let entry = entry.map_err(problem)?;
        if !entry.path().is_dir() {
            continue;
        }
        let tag = entry.file_name().to_string_lossy().into_owned();
        let mut files = Vec::new();
        for file in std::fs::read_dir(entry.path()).map_err(problem)? {
            let path = file.map_err(problem)?.path();
            if path.extension().is_some_and(|x| x == "ftl") {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                files.push((name, std::fs::read_to_string(&path).map_err(problem)?));
            }
        }
        files.sort();
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        languages.push(Messages::parse(&tag, &files)?);
    }
    Ok(languages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let en = Messages::parse(
            "en",
            &[("a.ftl", "hello = Hello, { $name }!\ncodes = { $count -> \n [one] One code left\n *[other] { $count } codes left\n}\nonly-en = English only\n")],
        )
        .unwrap();
        let de = Messages::parse(
            "de",
            &[("a.ftl", "hello = Hallo, { $name }!\ncodes = { $count -> \n [one] Noch ein Code\n *[other] Noch { $count } Codes\n}\n")],
        )
        .unwrap();
        Catalog::new(vec![de, en], "en").unwrap()
    }

    #[test]
    fn the_persons_choice_wins_then_the_browser_then_the_default() {
        let c = catalog();
        assert_eq!(c.negotiate(Some("de"), Some("en-US,en;q=0.9")).tag(), "de");
        assert_eq!(c.negotiate(None, Some("de-CH, fr;q=0.8")).tag(), "de", "de-CH is served by de");
        assert_eq!(c.negotiate(None, Some("en;q=0.1, de-AT;q=0.9")).tag(), "de", "weights count, not order");
        assert_eq!(c.negotiate(None, Some("fr, ja")).tag(), "en", "unknown languages get the default");
        assert_eq!(c.negotiate(Some("fr"), None).tag(), "en", "a choice no longer present is passed over");
        assert_eq!(c.negotiate(None, Some("*")).tag(), "en");
        assert_eq!(c.negotiate(None, None).tag(), "en");
    }

    #[test]
    fn plurals_follow_the_language_and_missing_messages_fall_back_to_english() {
        let c = catalog();
        let de = c.language("de").unwrap().clone();
        let mut args = FluentArgs::new();
        args.set("count", 1);
        assert_eq!(c.text(&de, "codes", Some(&args)), "Noch ein Code");
        args.set("count", 4);
        assert_eq!(c.text(&de, "codes", Some(&args)), "Noch 4 Codes");
        assert_eq!(c.text(&de, "only-en", None), "English only");
        assert_eq!(c.text(&de, "nowhere", None), "nowhere");
        let mut name = FluentArgs::new();
        name.set("name", "Ada");
        assert_eq!(c.text(&de, "hello", Some(&name)), "Hallo, Ada!", "no isolation marks");
    }

    #[test]
    fn a_catalog_needs_english_and_its_default() {
        let de = || Messages::parse("de", &[("a.ftl", "x = y\n")]).unwrap();
        assert!(matches!(Catalog::new(vec![de()], "de"), Err(L10nError::NoReference(_))));
        let en = Messages::parse("en", &[("a.ftl", "x = y\n")]).unwrap();
        assert!(matches!(Catalog::new(vec![de(), en], "fr"), Err(L10nError::NoDefault(_))));
        assert!(matches!(Messages::parse("de", &[("a.ftl", "broken = {\n")]), Err(L10nError::File { .. })));
        assert!(matches!(Messages::parse("not a tag", &[]), Err(L10nError::Tag(_))));
    }
}
