//! The real `locales/` folder: every file reads, every language has English's messages with
//! the same variables, and a language is added by adding a folder.

use std::path::{Path, PathBuf};

use gatehouse_l10n::{check, read_dir, Catalog, REFERENCE};

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales")
}

fn files(folder: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_language_has_every_english_message_with_the_same_variables() {
    let shape_of = |tag: &str| {
        let files = files(&locales().join(tag));
        let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        check::shape(&borrowed).unwrap_or_else(|problems| panic!("{tag}: {problems:#?}"))
    };
    let english = shape_of(REFERENCE);
    for tag in std::fs::read_dir(locales()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        for (name, text) in files(&tag) {
            // Pages carry the text raw inside a <script> element, which `</` would end.
            assert!(!text.contains("</"), "{}/{name}: no `</` in messages", tag.display());
        }
    }
    assert!(english.len() > 10, "English has its messages");
    let mut tags: Vec<String> = std::fs::read_dir(locales())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    tags.sort();
    assert!(tags.contains(&"de".to_owned()), "German is there: {tags:?}");
    for tag in tags.iter().filter(|t| *t != REFERENCE) {
        let found = check::differences(&english, &shape_of(tag));
        assert!(found.is_empty(), "{tag} differs from English:\n{}", found.join("\n"));
    }
}

#[test]
fn the_built_in_languages_are_the_folders_present_at_build_time() {
    let built_in = gatehouse_l10n::built_in().unwrap();
    let tags: Vec<&str> = built_in.iter().map(|m| m.tag()).collect();
    assert!(tags.contains(&"en") && tags.contains(&"de"), "{tags:?}");
    Catalog::new(built_in, "de").unwrap();
}

#[test]
fn a_language_is_added_by_adding_a_folder() {
    let dir = std::env::temp_dir().join(format!("gatehouse-l10n-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for tag in ["en", "de", "xx"] {
        std::fs::create_dir_all(dir.join(tag)).unwrap();
        let from = if tag == "xx" { "en" } else { tag };
        for (name, text) in files(&locales().join(from)) {
            // The test language says its own product name: any message shows where it came from.
            let text = if tag == "xx" { text.replace("Log in", "Xog xn") } else { text };
            std::fs::write(dir.join(tag).join(name), text).unwrap();
        }
    }
    let catalog = Catalog::new(read_dir(&dir).unwrap(), "en").unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let xx = catalog.negotiate(None, Some("xx-YY, de;q=0.5"));
    assert_eq!(xx.tag(), "xx");
    assert!(catalog.text(xx, "login-title", None).starts_with("Xog xn"));
}

#[test]
fn the_text_a_page_carries_has_no_comments_and_says_the_same() {
    for language in gatehouse_l10n::built_in().unwrap() {
        assert!(!language.source().lines().any(|l| l.starts_with('#')), "{}", language.tag());
        let carried = gatehouse_l10n::Messages::parse(language.tag(), &[("page", language.source())]).unwrap();
        for id in ["login-title", "mail-recovery-used", "error-blocked", "date-time"] {
            assert_eq!(carried.get(id, None), language.get(id, None), "{} {id}", language.tag());
        }
    }
}
