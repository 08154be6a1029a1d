//! The `[[sso]]` tables: OpenID Connect providers, checked here, discovered at start-up
//! (`crate::sso`).

use serde::{Deserialize, Serialize};

use super::ConfigError;

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

pub(super) fn check_sso(tables: Vec<RawSso>) -> Result<Vec<SsoConfig>, ConfigError> {
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

pub(super) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::with;

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
}
