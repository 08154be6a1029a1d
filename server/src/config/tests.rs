//! The configuration's checks: defaults, overrides, and one line per bad setting.

use super::*;

pub(super) fn with(toml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut figment = Figment::from(Serialized::defaults(RawConfig::default())).merge(Toml::string(toml));
    for (k, v) in env {
        figment = figment.merge((k.to_string(), v.to_string()));
    }
    Config::from_figment(figment)
}

#[test]
fn defaults_are_the_embedded_setup() {
    let c = with("", &[]).unwrap();
    assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
    assert_eq!((c.public_url.as_str(), c.public_host.as_str(), c.https), ("http://localhost:3000", "localhost", false));
    assert_eq!(c.database_url, "sqlite://data/gatehouse.db");
    assert!(matches!(c.mail, MailConfig::Outbox { ref dir, .. } if dir == Path::new("data/outbox")));
    assert!(matches!(c.secret_key, SecretKeySource::File(ref p) if p == Path::new("data/secret.key")));
    assert_eq!(c.issuer, "Gatehouse");
    assert_eq!((c.sessions.idle_secs, c.sessions.absolute_secs), (30 * 60, 12 * 60 * 60), "NIST AAL2");
}

#[test]
fn the_file_and_later_sources_override_defaults() {
    let c = with(
        "public_url = \"https://login.example.com/\"\nissuer = \"Acme Login\"",
        &[("smtp_url", "smtp://127.0.0.1:2525")],
    )
    .unwrap();
    assert_eq!(c.public_url, "https://login.example.com");
    assert!(c.https);
    assert_eq!(c.issuer, "Acme Login");
    assert!(matches!(c.mail, MailConfig::Smtp { ref url, .. } if url == "smtp://127.0.0.1:2525"));
    // Written as browsers send it in Origin.
    let c = with("public_url = \"HTTPS://Login.Example.com:443/\"", &[]).unwrap();
    assert_eq!(c.public_url, "https://login.example.com");
}

#[test]
fn each_bad_setting_is_named_in_one_line() {
    let cases = [
        ("bind = \"localhost\"", "GATEHOUSE_BIND"),
        ("public_url = \"ftp://x\"", "GATEHOUSE_PUBLIC_URL"),
        ("public_url = \"http://x/app\"", "GATEHOUSE_PUBLIC_URL"),
        // Found by fuzzing (fuzz/fuzz_targets/config.rs): the URL parser reads it as https://0.0.0.5.
        ("public_url = \"https:5\"", "GATEHOUSE_PUBLIC_URL"),
        ("public_url = \"https:/login.example.com\"", "GATEHOUSE_PUBLIC_URL"),
        ("public_url = \"https://ops:pw@login.example.com\"", "GATEHOUSE_PUBLIC_URL"),
        ("public_url = \"https://login.example.com/#x\"", "GATEHOUSE_PUBLIC_URL"),
        ("database_url = \"mysql://x/y\"", "GATEHOUSE_DATABASE_URL"),
        ("smtp_url = \"http://mail\"", "GATEHOUSE_SMTP_URL"),
        ("issuer = \"Acme: Login\"", "GATEHOUSE_ISSUER"),
        ("secret_key = \"short\"", "GATEHOUSE_SECRET_KEY"),
        ("mail_from = \"not a mailbox\"", "GATEHOUSE_MAIL_FROM"),
        ("log_format = \"xml\"", "GATEHOUSE_LOG_FORMAT"),
        ("trusted_proxies = [\"10.0.0.0/33\"]", "GATEHOUSE_TRUSTED_PROXIES"),
        ("trusted_proxies = \"localhost\"", "GATEHOUSE_TRUSTED_PROXIES"),
        ("proxy_header = \"x-real-ip\"", "GATEHOUSE_PROXY_HEADER"),
        ("support_retention_days = 0", "GATEHOUSE_SUPPORT_RETENTION_DAYS"),
        ("session_idle_secs = 29", "GATEHOUSE_SESSION_IDLE_SECS"),
        ("session_idle_secs = 600\nsession_lifetime_secs = 599", "GATEHOUSE_SESSION_LIFETIME_SECS"),
        ("session_lifetime_secs = 2592001", "GATEHOUSE_SESSION_LIFETIME_SECS"),
        ("default_language = \"fr\"", "GATEHOUSE_DEFAULT_LANGUAGE"),
        ("locales_dir = \"/nonexistent/locales\"", "GATEHOUSE_LOCALES_DIR"),
    ];
    for (toml, name) in cases {
        let line = with(toml, &[]).unwrap_err().to_string();
        assert!(line.starts_with(name), "{toml}: {line}");
        assert!(!line.contains('\n'), "{line}");
    }
}

#[test]
fn languages_are_the_built_in_ones_and_the_folders_added() {
    let c = with("", &[]).unwrap();
    assert_eq!(c.languages.0.default_language().tag(), "en");
    assert!(c.languages.0.language("de").is_some());
    let c = with("default_language = \"de\"", &[]).unwrap();
    assert_eq!(c.languages.0.default_language().tag(), "de");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("xx")).unwrap();
    std::fs::write(dir.path().join("xx/common.ftl"), "language-name = Xxish\n").unwrap();
    let c = with(&format!("locales_dir = \"{}\"", dir.path().display()), &[]).unwrap();
    assert!(c.languages.0.language("xx").is_some());
    std::fs::write(dir.path().join("xx/broken.ftl"), "broken = {\n").unwrap();
    let line = with(&format!("locales_dir = \"{}\"", dir.path().display()), &[]).unwrap_err().to_string();
    assert!(line.starts_with("GATEHOUSE_LOCALES_DIR") && line.contains("broken.ftl"), "{line}");
}

#[test]
fn trusted_proxies_are_a_list_or_comma_separated() {
    let c = with("trusted_proxies = [\"10.0.0.0/8\", \"::1\"]\nproxy_header = \"Forwarded\"", &[]).unwrap();
    let nets: Vec<_> = c.proxies.nets.iter().map(|n| n.to_string()).collect();
    assert_eq!(nets, ["10.0.0.0/8", "::1/128"]);
    assert_eq!(c.proxies.header, ProxyHeader::Forwarded);
    let c = with("", &[("trusted_proxies", "127.0.0.1, 192.0.2.0/24")]).unwrap();
    let nets: Vec<_> = c.proxies.nets.iter().map(|n| n.to_string()).collect();
    assert_eq!(nets, ["127.0.0.1/32", "192.0.2.0/24"]);
    assert!(with("", &[]).unwrap().proxies.nets.is_empty(), "nobody is trusted by default");
}

#[test]
fn unknown_keys_and_unparseable_toml_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatehouse.toml");
    std::fs::write(&path, "bnd = \"127.0.0.1:1\"\n").unwrap();
    let err = Config::from_figment(Config::figment(Some(&path)).unwrap()).unwrap_err().to_string();
    assert!(err.contains("bnd"), "{err}");
    std::fs::write(&path, "bind = \n").unwrap();
    let err = Config::from_figment(Config::figment(Some(&path)).unwrap()).unwrap_err().to_string();
    assert!(err.contains("gatehouse.toml"), "{err}");
    assert!(!err.contains('\n'));
    let err = Config::figment(Some(&dir.path().join("missing.toml"))).unwrap_err().to_string();
    assert!(err.contains("missing.toml") && err.contains("no such file"), "{err}");
}

#[test]
fn a_missing_secret_key_is_generated_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let c = with(&format!("data_dir = \"{}\"", dir.path().join("d").display()), &[]).unwrap();
    let first = c.load_secret_key().unwrap();
    let second = c.load_secret_key().unwrap();
    assert_eq!(first.to_base64(), second.to_base64());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("d/secret.key")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
