//! Builds every language folder under `locales/` into the server: adding a language is adding
//! a folder (and, without a rebuild, `GATEHOUSE_LOCALES_DIR`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut languages: Vec<_> = std::fs::read_dir(&root)
        .expect("locales/ next to the workspace")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    languages.sort_by_key(|e| e.file_name());
    let mut out = String::from("pub(crate) const EMBEDDED: &[(&str, &[(&str, &str)])] = &[\n");
    for language in languages {
        println!("cargo:rerun-if-changed={}", language.path().display());
        let mut files: Vec<_> = std::fs::read_dir(language.path())
            .expect("a language folder")
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort_by_key(|e| e.file_name());
        write!(out, "    ({:?}, &[", language.file_name().to_string_lossy()).unwrap();
        for file in files {
            let path = file.path().canonicalize().expect("a readable file");
            println!("cargo:rerun-if-changed={}", path.display());
            write!(out, "({:?}, include_str!({:?})), ", file.file_name().to_string_lossy(), path).unwrap();
        }
        out.push_str("]),\n");
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs"), out).unwrap();
}
