//! Configuration: a TOML file (optional, named by `GATEHOUSE_CONFIG` or `--config`) overlaid
//! by `GATEHOUSE_*` environment variables, checked once at start-up into [`Config`].
//!
//! Every problem becomes one [`ConfigError`] line naming the setting, because this is what an
//! operator reads when the server refuses to start.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use gatehouse_core::crypto::SecretKey;
use serde::{Deserialize, Serialize};

/// The settings as written in the file or environment, before checking.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Address to listen on. `GATEHOUSE_BIND`.
    pub bind: String,
    /// Public base URL people reach Gatehouse at; links in mails and the WebAuthn relying
    /// party come from it. `GATEHOUSE_PUBLIC_URL`.
    pub public_url: String,
    /// `sqlite://PATH` (embedded default) or `postgres://...`. `GATEHOUSE_DATABASE_URL`.
    pub database_url: String,
    /// Folder for `.eml` files when no SMTP server is configured. `GATEHOUSE_MAIL_OUTBOX`.
    pub mail_outbox: PathBuf,
    /// `smtp://host:port` or `smtps://user:pass@host`; when set, mail goes there instead of
    /// the outbox. `GATEHOUSE_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// The sender of every mail. `GATEHOUSE_MAIL_FROM`.
    pub mail_from: String,
    /// The product name shown on pages and in authenticator apps. `GATEHOUSE_ISSUER`.
    pub issuer: String,
    /// Base64 of 32 random bytes, encrypting secrets at rest. When absent, one is generated
    /// into `DATA_DIR/secret.key` on first start. `GATEHOUSE_SECRET_KEY`.
    pub secret_key: Option<String>,
    /// Where the generated secret key (and the default database and outbox) live.
    /// `GATEHOUSE_DATA_DIR`.
    pub data_dir: PathBuf,
    /// `text` (default) or `json` log lines. `GATEHOUSE_LOG_FORMAT`.
    pub log_format: String,
    /// OpenID Connect providers, as `[[sso]]` tables in the file (not in the environment).
    #[serde(default)]
    pub sso: Vec<RawSso>,
}

/// One `[[sso]]` table.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSso {
    /// Short name in the routes: `/auth/sso/{id}/start`.
    pub id: String,
    /// Shown on the button: **Sign in with NAME**.
    pub name: String,
    /// Exactly as the provider's discovery document states it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Beyond `openid`; `email` is needed to link accounts. Default: `["email"]`.
    pub scopes: Option<Vec<String>>,
    /// Email domains whose people this provider may link (e.g. the company's own); absent:
    /// any domain the provider verifies.
    pub domains: Option<Vec<String>>,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            bind: "127.0.0.1:3000".into(),
            public_url: "http://localhost:3000".into(),
            database_url: "sqlite://data/gatehouse.db".into(),
            mail_outbox: "data/outbox".into(),
            smtp_url: None,
            mail_from: "Gatehouse <no-reply@localhost>".into(),
            issuer: "Gatehouse".into(),
            secret_key: None,
            data_dir: "data".into(),
            log_format: "text".into(),
            sso: Vec::new(),
        }
    }
}

const ENV_KEYS: &[&str] = &[
    "bind",
    "public_url",
    "database_url",
    "mail_outbox",
    "smtp_url",
    "mail_from",
    "issuer",
    "secret_key",
    "data_dir",
    "log_format",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Checked configuration.
#[derive(Debug)]
pub struct Config {
    pub bind: SocketAddr,
    /// Without a trailing slash.
    pub public_url: String,
    pub public_host: String,
    pub https: bool,
    pub database_url: String,
    pub mail: MailConfig,
    pub issuer: String,
    pub secret_key: SecretKeySource,
    pub log_format: LogFormat,
    pub sso: Vec<SsoConfig>,
}

/// A checked `[[sso]]` table; discovery happens when the server starts (`crate::sso`).
#[derive(Clone)]
pub struct SsoConfig {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: Vec<String>,
    /// Lower case; empty: any.
    pub domains: Vec<String>,
}

/// Without the client secret: configuration may end up in logs.
impl std::fmt::Debug for SsoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoConfig")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("domains", &self.domains)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub enum MailConfig {
    Outbox { dir: PathBuf, from: String },
    Smtp { url: String, from: String },
}

/// Where the key for secrets at rest comes from; resolved by [`Config::load_secret_key`].
#[derive(Debug)]
pub enum SecretKeySource {
    Given(SecretKey),
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0}: {1}")]
    File(String, String),
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("{setting}: {problem}")]
    Setting { setting: &'static str, problem: String },
    #[error("secret key file {0}: {1}")]
    KeyFile(String, String),
}

fn setting(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Setting { setting, problem: problem.into() }
}

impl Config {
    /// Reads the file (if any) and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::from_figment(Self::figment(file)?)
    }

    pub fn figment(file: Option<&Path>) -> Result<Figment, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(RawConfig::default()));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::File(path.display().to_string(), "no such file".into()));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        Ok(figment.merge(Env::prefixed("GATEHOUSE_").only(ENV_KEYS)))
    }

    pub fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let raw: RawConfig = figment.extract().map_err(|e| {
            // figment errors can span lines; an operator needs one.
            let text = e.to_string().replace('\n', " ");
            match e.metadata.as_ref().and_then(|m| m.source.as_ref()).and_then(|s| s.file_path()) {
                Some(path) => ConfigError::File(path.display().to_string(), text),
                None => ConfigError::Invalid(text),
            }
        })?;
        Self::check(raw)
    }

    fn check(raw: RawConfig) -> Result<Self, ConfigError> {
        let bind: SocketAddr = raw
            .bind
            .parse()
            .map_err(|_| setting("GATEHOUSE_BIND", format!("“{}” is not an address like 127.0.0.1:3000", raw.bind)))?;

        let public_url = raw.public_url.trim().trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&public_url)
            .map_err(|e| setting("GATEHOUSE_PUBLIC_URL", format!("“{public_url}” is not a URL ({e})")))?;
        let https = match parsed.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(setting("GATEHOUSE_PUBLIC_URL", format!("scheme “{other}” is not http or https"))),
        };
        let public_host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| setting("GATEHOUSE_PUBLIC_URL", "the URL has no host"))?
            .to_owned();
        if parsed.path() != "/" || parsed.query().is_some() {
            return Err(setting("GATEHOUSE_PUBLIC_URL", "Gatehouse must be served at the root of its host (no path)"));
        }

        gatehouse_storage::Backend::of_url(&raw.database_url)
            .map_err(|e| setting("GATEHOUSE_DATABASE_URL", e.to_string()))?;

        let mail = match raw.smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(setting("GATEHOUSE_SMTP_URL", "use smtp://HOST:PORT or smtps://USER:PASSWORD@HOST"));
                }
                MailConfig::Smtp { url, from: raw.mail_from.clone() }
            }
            None => MailConfig::Outbox { dir: raw.mail_outbox, from: raw.mail_from.clone() },
        };
        raw.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| setting("GATEHOUSE_MAIL_FROM", format!("“{}” is not a mailbox ({e})", raw.mail_from)))?;

        let issuer = raw.issuer.trim().to_owned();
        // The otpauth URI uses ':' to separate issuer and account; apps split on it.
        if issuer.is_empty() || issuer.contains(':') || issuer.chars().count() > 64 {
            return Err(setting("GATEHOUSE_ISSUER", "must be 1 to 64 characters without “:”"));
        }

        let secret_key = match raw.secret_key.filter(|k| !k.trim().is_empty()) {
            Some(k) => SecretKeySource::Given(
                SecretKey::from_base64(&k).map_err(|e| setting("GATEHOUSE_SECRET_KEY", e.to_string()))?,
            ),
            None => SecretKeySource::File(raw.data_dir.join("secret.key")),
        };

        let log_format = match raw.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(setting("GATEHOUSE_LOG_FORMAT", format!("“{other}” is not text or json"))),
        };

        let sso = check_sso(raw.sso)?;

        Ok(Config {
            bind,
            public_url,
            public_host,
            https,
            database_url: raw.database_url,
            mail,
            issuer,
            secret_key,
            log_format,
            sso,
        })
    }

    /// The key for secrets at rest: the configured one, or the one in the data folder,
    /// generated there (readable by the owner only) on first start.
    pub fn load_secret_key(&self) -> Result<SecretKey, ConfigError> {
        let path = match &self.secret_key {
            SecretKeySource::Given(key) => return Ok(key.clone()),
            SecretKeySource::File(path) => path,
        };
        let shown = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => SecretKey::from_base64(&text).map_err(|e| ConfigError::KeyFile(shown, e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                write_private(path, &key.to_base64()).map_err(|e| ConfigError::KeyFile(shown, e))?;
                Ok(key)
            }
            Err(e) => Err(ConfigError::KeyFile(shown, e.to_string())),
        }
    }
}

fn check_sso(tables: Vec<RawSso>) -> Result<Vec<SsoConfig>, ConfigError> {
    let mut checked: Vec<SsoConfig> = Vec::new();
    for raw in tables {
        let id = raw.id.trim().to_owned();
        let problem = |p: &str| ConfigError::Invalid(format!("[[sso]] “{id}”: {p}"));
        let id_ok = !id.is_empty()
            && id.len() <= 32
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(ConfigError::Invalid(format!(
                "[[sso]] id “{id}”: use 1 to 32 lower-case letters, digits or “-” (it is part of the callback URL)"
            )));
        }
        if checked.iter().any(|c| c.id == id) {
            return Err(problem("this id is used by two [[sso]] tables"));
        }
        let name = raw.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(problem("name must be 1 to 40 characters (it is shown on the button)"));
        }
        match url::Url::parse(raw.issuer.trim()) {
            Ok(u) if u.scheme() == "https" => {}
            // Keys, codes and the client secret would cross the network in the clear.
            Ok(u) if u.scheme() == "http" && is_loopback(&u) => {}
            Ok(u) if u.scheme() == "http" => {
                return Err(problem("issuer must use https (plain http only on this machine)"))
            }
            _ => return Err(problem("issuer must be the provider's https URL")),
        }
        let domains: Vec<String> =
            raw.domains.unwrap_or_default().iter().map(|d| d.trim().trim_start_matches('@').to_lowercase()).collect();
        if domains
            .iter()
            .any(|d| d.is_empty() || !d.contains('.') || d.contains(char::is_whitespace) || d.contains('@'))
        {
            return Err(problem("domains are like \"example.com\""));
        }
        if raw.client_id.trim().is_empty() || raw.client_secret.is_empty() {
            return Err(problem("client_id and client_secret are required"));
        }
        let scopes = raw.scopes.unwrap_or_else(|| vec!["email".into()]);
        if scopes.iter().any(|s| s.is_empty() || s.contains(char::is_whitespace)) {
            return Err(problem("each scope is one word"));
        }
        checked.push(SsoConfig {
            id,
            name,
            issuer: raw.issuer.trim().to_owned(),
            client_id: raw.client_id.trim().to_owned(),
            client_secret: raw.client_secret,
            scopes: scopes.into_iter().filter(|s| s != "openid").collect(),
            domains,
        });
    }
    Ok(checked)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create its folder: {e}"))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create it: {e}"))?;
    file.write_all(contents.as_bytes()).map_err(|e| format!("cannot write it: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(toml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
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
        assert_eq!(
            (c.public_url.as_str(), c.public_host.as_str(), c.https),
            ("http://localhost:3000", "localhost", false)
        );
        assert_eq!(c.database_url, "sqlite://data/gatehouse.db");
        assert!(matches!(c.mail, MailConfig::Outbox { ref dir, .. } if dir == Path::new("data/outbox")));
        assert!(matches!(c.secret_key, SecretKeySource::File(ref p) if p == Path::new("data/secret.key")));
        assert_eq!(c.issuer, "Gatehouse");
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
    }

    #[test]
    fn each_bad_setting_is_named_in_one_line() {
        let cases = [
            ("bind = \"localhost\"", "GATEHOUSE_BIND"),
            ("public_url = \"ftp://x\"", "GATEHOUSE_PUBLIC_URL"),
            ("public_url = \"http://x/app\"", "GATEHOUSE_PUBLIC_URL"),
            ("database_url = \"mysql://x/y\"", "GATEHOUSE_DATABASE_URL"),
            ("smtp_url = \"http://mail\"", "GATEHOUSE_SMTP_URL"),
            ("issuer = \"Acme: Login\"", "GATEHOUSE_ISSUER"),
            ("secret_key = \"short\"", "GATEHOUSE_SECRET_KEY"),
            ("mail_from = \"not a mailbox\"", "GATEHOUSE_MAIL_FROM"),
            ("log_format = \"xml\"", "GATEHOUSE_LOG_FORMAT"),
        ];
        for (toml, name) in cases {
            let line = with(toml, &[]).unwrap_err().to_string();
            assert!(line.starts_with(name), "{toml}: {line}");
            assert!(!line.contains('\n'), "{line}");
        }
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
    fn sso_tables_are_read_and_checked() {
        let table = |extra: &str| {
            format!(
                "[[sso]]\nid = \"acme\"\nname = \"Acme ID\"\nissuer = \"https://id.acme.test\"\n\
                 client_id = \"gh\"\nclient_secret = \"s3cret\"\n{extra}"
            )
        };
        let c = with(&table(""), &[]).unwrap();
        assert_eq!(c.sso.len(), 1);
        assert!(!format!("{c:?}").contains("s3cret"), "the client secret stays out of debug output");
        assert_eq!((c.sso[0].id.as_str(), c.sso[0].name.as_str()), ("acme", "Acme ID"));
        assert_eq!(c.sso[0].scopes, vec!["email".to_owned()]);
        let c = with(&table("scopes = [\"openid\", \"email\", \"profile\"]"), &[]).unwrap();
        assert_eq!(c.sso[0].scopes, vec!["email".to_owned(), "profile".to_owned()]);
        assert!(with("", &[]).unwrap().sso.is_empty());
        let c = with(&table("domains = [\"Acme.test\", \"@acme.example\"]"), &[]).unwrap();
        assert_eq!(c.sso[0].domains, vec!["acme.test".to_owned(), "acme.example".to_owned()]);
        let local = table("").replace("https://id.acme.test", "http://127.0.0.1:3112");
        assert_eq!(with(&local, &[]).unwrap().sso[0].issuer, "http://127.0.0.1:3112");

        let bad = [
            table("").replace("\"acme\"", "\"Acme Corp\""),
            table("").replace("https://id.acme.test", "id.acme.test"),
            table("").replace("https://id.acme.test", "http://id.acme.test"),
            table("domains = [\"acme\"]"),
            table("").replace("s3cret", ""),
            table("scopes = [\"email profile\"]"),
            format!("{}{}", table(""), table("")),
            table("tenant = \"x\""),
        ];
        for toml in bad {
            let line = with(&toml, &[]).unwrap_err().to_string();
            assert!(line.contains("sso"), "{toml}: {line}");
            assert!(!line.contains('\n'), "{line}");
        }
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
}
