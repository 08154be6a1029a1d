//! Configuration: a TOML file (optional, named by `GATEHOUSE_CONFIG` or `--config`) overlaid
//! by `GATEHOUSE_*` environment variables, checked once at start-up into [`Config`].
//!
//! Every problem becomes one [`ConfigError`] line naming the setting, because this is what an
//! operator reads when the server refuses to start.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use gatehouse_core::crypto::SecretKey;
use gatehouse_core::sessions::Lifetime;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

mod clients;
mod sso;
pub use clients::{ClientConfig, ClientSecret, RawClient};
pub use sso::{RawSso, SsoConfig};

use crate::http::client_address::{ProxyHeader, TrustedProxies};

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
    /// Reverse proxies whose `X-Forwarded-For` (or `Forwarded`) is believed, as addresses or
    /// CIDR ranges: a list in the file, comma-separated in `GATEHOUSE_TRUSTED_PROXIES`.
    #[serde(default, deserialize_with = "list_or_commas")]
    pub trusted_proxies: Vec<String>,
    /// `x-forwarded-for` (default) or `forwarded`: the header those proxies write.
    /// `GATEHOUSE_PROXY_HEADER`.
    pub proxy_header: String,
    /// Days the documents of a closed support request are kept. `GATEHOUSE_SUPPORT_RETENTION_DAYS`.
    pub support_retention_days: i64,
    /// Seconds a session may go unused before it ends (default 30 minutes).
    /// `GATEHOUSE_SESSION_IDLE_SECS`.
    pub session_idle_secs: i64,
    /// Seconds a signed-in session lasts at most, however busy (default 12 hours).
    /// `GATEHOUSE_SESSION_LIFETIME_SECS`.
    pub session_lifetime_secs: i64,
    /// OpenID Connect providers, as `[[sso]]` tables in the file (not in the environment).
    #[serde(default)]
    pub sso: Vec<RawSso>,
    /// Applications signing people in through Gatehouse, as `[[client]]` tables in the file.
    #[serde(default)]
    pub client: Vec<RawClient>,
    /// The language of pages and mails for people who chose none and whose browser asks for
    /// none Gatehouse has (default `en`). `GATEHOUSE_DEFAULT_LANGUAGE`.
    pub default_language: String,
    /// A folder of language folders (`de/`, `fr/`, ... of `.ftl` files) added to the built-in
    /// ones, or replacing them. `GATEHOUSE_LOCALES_DIR`.
    pub locales_dir: Option<PathBuf>,
}

/// A list, or (from an environment variable) one string of comma-separated items.
fn list_or_commas<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(items) => items,
        Either::Text(text) => text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
    })
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
            trusted_proxies: Vec::new(),
            proxy_header: "x-forwarded-for".into(),
            support_retention_days: 30,
            session_idle_secs: Lifetime::default().idle_secs,
            session_lifetime_secs: Lifetime::default().absolute_secs,
            sso: Vec::new(),
            client: Vec::new(),
            default_language: gatehouse_l10n::REFERENCE.into(),
            locales_dir: None,
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
    "trusted_proxies",
    "proxy_header",
    "support_retention_days",
    "session_idle_secs",
    "session_lifetime_secs",
    "default_language",
    "locales_dir",
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
    pub proxies: TrustedProxies,
    pub support_retention_days: i64,
    pub sessions: Lifetime,
    pub sso: Vec<SsoConfig>,
    pub clients: Vec<ClientConfig>,
    pub languages: Languages,
}

/// Every language's messages: the built-in ones and `GATEHOUSE_LOCALES_DIR`'s.
#[derive(Clone)]
pub struct Languages(pub std::sync::Arc<gatehouse_l10n::Catalog>);

impl std::fmt::Debug for Languages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.languages()).finish()
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

fn scheme_prefix(https: bool) -> &'static str {
    if https {
        "https://"
    } else {
        "http://"
    }
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
        // The URL parser reads "https:5" as https://0.0.0.5 and drops user names: links,
        // cookies and passkeys are all tied to this text, so it must be the one the parser
        // understood, written out (found by fuzzing, fuzz/fuzz_targets/config.rs).
        let prefix = scheme_prefix(https);
        let written_out = public_url.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix));
        if !written_out || !parsed.username().is_empty() || parsed.password().is_some() || parsed.fragment().is_some() {
            return Err(setting("GATEHOUSE_PUBLIC_URL", format!("write it as {prefix}HOST or {prefix}HOST:PORT")));
        }
        // Lower-cased host, default port dropped: the form browsers send as Origin.
        let public_url = parsed.origin().ascii_serialization();

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

        let proxies = check_proxies(&raw.trusted_proxies, &raw.proxy_header)?;
        if !(1..=3650).contains(&raw.support_retention_days) {
            return Err(setting("GATEHOUSE_SUPPORT_RETENTION_DAYS", "must be a number of days from 1 to 3650"));
        }
        let sessions = check_sessions(raw.session_idle_secs, raw.session_lifetime_secs)?;
        let sso = sso::check_sso(raw.sso)?;
        let clients = clients::check_clients(raw.client)?;
        let languages = check_languages(raw.locales_dir.as_deref(), &raw.default_language)?;

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
            proxies,
            support_retention_days: raw.support_retention_days,
            sessions,
            sso,
            clients,
            languages,
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

/// Short timeouts are for tests; the warning before the idle timeout needs some seconds.
fn check_sessions(idle: i64, lifetime: i64) -> Result<Lifetime, ConfigError> {
    const DAY: i64 = 24 * 60 * 60;
    if !(30..=DAY).contains(&idle) {
        return Err(setting("GATEHOUSE_SESSION_IDLE_SECS", "must be a number of seconds from 30 to 86400 (a day)"));
    }
    if !(idle..=30 * DAY).contains(&lifetime) {
        return Err(setting(
            "GATEHOUSE_SESSION_LIFETIME_SECS",
            "must be a number of seconds from the idle timeout to 2592000 (30 days)",
        ));
    }
    Ok(Lifetime { idle_secs: idle, absolute_secs: lifetime })
}

fn check_proxies(list: &[String], header: &str) -> Result<TrustedProxies, ConfigError> {
    let nets = list
        .iter()
        .map(|item| {
            let item = item.trim();
            item.parse::<IpNet>().or_else(|_| item.parse::<IpAddr>().map(IpNet::from)).map_err(|_| {
                setting("GATEHOUSE_TRUSTED_PROXIES", format!("“{item}” is not an address or range like 10.0.0.0/8"))
            })
        })
        .collect::<Result<_, _>>()?;
    let header = match header.trim().to_ascii_lowercase().as_str() {
        "x-forwarded-for" => ProxyHeader::XForwardedFor,
        "forwarded" => ProxyHeader::Forwarded,
        other => {
            return Err(setting("GATEHOUSE_PROXY_HEADER", format!("“{other}” is not x-forwarded-for or forwarded")))
        }
    };
    Ok(TrustedProxies { nets, header })
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
mod tests;

/// The built-in languages, with the folder's added (or replacing those of the same tag), and
/// the default among them.
fn check_languages(dir: Option<&Path>, default: &str) -> Result<Languages, ConfigError> {
    let mut all = gatehouse_l10n::built_in().map_err(|e| setting("locales (built in)", e.to_string()))?;
    if let Some(dir) = dir {
        let added = gatehouse_l10n::read_dir(dir).map_err(|e| setting("GATEHOUSE_LOCALES_DIR", e.to_string()))?;
        all.retain(|m| !added.iter().any(|a| a.tag().eq_ignore_ascii_case(m.tag())));
        all.extend(added);
    }
    let catalog = gatehouse_l10n::Catalog::new(all, default.trim()).map_err(|e| match e {
        gatehouse_l10n::L10nError::NoDefault(_) => setting("GATEHOUSE_DEFAULT_LANGUAGE", e.to_string()),
        other => setting("GATEHOUSE_LOCALES_DIR", other.to_string()),
    })?;
    Ok(Languages(std::sync::Arc::new(catalog)))
}
