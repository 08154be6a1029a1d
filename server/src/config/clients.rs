//! The `[[client]]` tables: applications that sign people in through Gatehouse (Gatehouse as
//! an OpenID Provider, `crate::oidc`).

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// One `[[client]]` table, keys exactly as the README documents them.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClient {
    /// The `client_id` the application sends.
    pub id: String,
    /// Shown to people ("Continue to NAME").
    pub name: String,
    /// The client secret; omitted (with `secret_hash`) for a public client (SPA, mobile app).
    pub secret: Option<String>,
    /// The secret as an argon2 PHC string, instead of `secret`.
    pub secret_hash: Option<String>,
    /// Where codes may be sent, compared exactly.
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    /// Only people of these accounts (by name) may sign in to it; absent: everyone.
    pub accounts: Option<Vec<String>>,
    /// `RS256` (default) or `EdDSA`: how its ID tokens are signed.
    pub id_token_signed_response_alg: Option<String>,
}

/// How a client proves it is itself at the token endpoint.
#[derive(Clone)]
pub enum ClientSecret {
    /// A public client: PKCE alone binds its codes.
    None,
    Plain(String),
    /// An argon2 PHC string.
    Hash(String),
}

/// A checked `[[client]]` table.
#[derive(Clone)]
pub struct ClientConfig {
    pub id: String,
    pub name: String,
    pub secret: ClientSecret,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub accounts: Vec<String>,
    /// ID tokens signed with EdDSA rather than RS256.
    pub eddsa: bool,
}

impl ClientConfig {
    pub fn is_public(&self) -> bool {
        matches!(self.secret, ClientSecret::None)
    }
}

/// Without the secret: configuration may end up in logs.
impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("public", &matches!(self.secret, ClientSecret::None))
            .field("redirect_uris", &self.redirect_uris)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

pub(super) fn check_clients(tables: Vec<RawClient>) -> Result<Vec<ClientConfig>, ConfigError> {
    let mut checked: Vec<ClientConfig> = Vec::new();
    for raw in tables {
        let id = raw.id.trim().to_owned();
        let problem = |p: String| ConfigError::Invalid(format!("[[client]] “{id}”: {p}"));
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !id_ok {
            return Err(ConfigError::Invalid(format!(
                "[[client]] id “{id}”: use 1 to 64 letters, digits, “-”, “_” or “.”"
            )));
        }
        if checked.iter().any(|c| c.id == id) {
            return Err(problem("this id is used by two [[client]] tables".into()));
        }
        let name = raw.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(problem("name must be 1 to 60 characters (it is shown to people)".into()));
        }
        let secret = match (raw.secret, raw.secret_hash) {
            (Some(_), Some(_)) => return Err(problem("give secret or secret_hash, not both".into())),
            (Some(s), None) if s.chars().count() < 16 => {
                return Err(problem("secret must be at least 16 characters".into()))
            }
            (Some(s), None) => ClientSecret::Plain(s),
            (None, Some(h)) => {
                argon2::PasswordHash::new(h.trim())
                    .map_err(|e| problem(format!("secret_hash is not an argon2 PHC string ({e})")))?;
                ClientSecret::Hash(h.trim().to_owned())
            }
            (None, None) => ClientSecret::None,
        };
        let public = matches!(secret, ClientSecret::None);
        if raw.redirect_uris.is_empty() {
            return Err(problem("redirect_uris must list at least one address".into()));
        }
        for uri in &raw.redirect_uris {
            check_address(uri, public).map_err(|p| problem(format!("redirect_uris “{uri}”: {p}")))?;
        }
        for uri in &raw.post_logout_redirect_uris {
            check_address(uri, public).map_err(|p| problem(format!("post_logout_redirect_uris “{uri}”: {p}")))?;
        }
        if let Some(uri) = &raw.backchannel_logout_uri {
            // Called by the server, never by a browser: a web address only.
            check_address(uri, false).map_err(|p| problem(format!("backchannel_logout_uri “{uri}”: {p}")))?;
        }
        let accounts: Vec<String> = raw.accounts.unwrap_or_default().iter().map(|a| a.trim().to_owned()).collect();
        if accounts.iter().any(String::is_empty) {
            return Err(problem("accounts are account names".into()));
        }
        let eddsa = match raw.id_token_signed_response_alg.as_deref().map(str::trim) {
            None | Some("RS256") => false,
            Some("EdDSA") => true,
            Some(other) => {
                return Err(problem(format!("id_token_signed_response_alg “{other}” is not RS256 or EdDSA")))
            }
        };
        checked.push(ClientConfig {
            id,
            name,
            secret,
            redirect_uris: raw.redirect_uris,
            post_logout_redirect_uris: raw.post_logout_redirect_uris,
            backchannel_logout_uri: raw.backchannel_logout_uri,
            accounts,
            eddsa,
        });
    }
    Ok(checked)
}

/// An address codes or people may be sent to: https, http on this machine only, or for a
/// public client (a mobile or desktop app, RFC 8252) a private scheme like
/// `com.example.app:/callback`. Never a fragment; compared exactly, so written exactly.
fn check_address(uri: &str, public: bool) -> Result<(), &'static str> {
    let parsed = url::Url::parse(uri).map_err(|_| "not an absolute URL")?;
    if parsed.fragment().is_some() {
        return Err("an address with a fragment (#) cannot receive a code");
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if super::sso::is_loopback(&parsed) => Ok(()),
        "http" => Err("use https (plain http only on this machine)"),
        scheme if public && scheme.contains('.') => Ok(()),
        _ => Err("use https, or for an app a private scheme like com.example.app"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::with;

    fn table(extra: &str) -> String {
        format!(
            "[[client]]\nid = \"crm\"\nname = \"Acme CRM\"\nsecret = \"0123456789abcdef\"\n\
             redirect_uris = [\"https://crm.example.com/callback\"]\n{extra}"
        )
    }

    #[test]
    fn client_tables_are_read_and_checked() {
        let c = with(&table(""), &[]).unwrap();
        assert_eq!(c.clients.len(), 1);
        assert!(!format!("{c:?}").contains("0123456789abcdef"), "the secret stays out of debug output");
        assert!(c.clients[0].accounts.is_empty());
        let public = table("").replace("secret = \"0123456789abcdef\"\n", "");
        assert!(matches!(with(&public, &[]).unwrap().clients[0].secret, super::ClientSecret::None));
        let app = public.replace("https://crm.example.com/callback", "com.example.crm:/callback");
        assert!(with(&app, &[]).is_ok(), "a public client may use a private scheme");
        let local = table("").replace("https://crm.example.com", "http://127.0.0.1:8080");
        assert!(with(&local, &[]).is_ok());
        let restricted = with(&table("accounts = [\"Acme\"]"), &[]).unwrap();
        assert_eq!(restricted.clients[0].accounts, vec!["Acme".to_owned()]);
        assert!(with(&table("id_token_signed_response_alg = \"EdDSA\""), &[]).unwrap().clients[0].eddsa);

        let bad = [
            table("").replace("\"crm\"", "\"c r m\""),
            table("").replace("0123456789abcdef", "short"),
            table("secret_hash = \"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA\""),
            table("").replace("secret = \"0123456789abcdef\"", "secret_hash = \"plain\""),
            table("").replace("https://crm.example.com/callback", "http://crm.example.com/callback"),
            table("").replace("https://crm.example.com/callback", "https://crm.example.com/cb#x"),
            table("").replace("https://crm.example.com/callback", "com.example.crm:/callback"),
            table("").replace("[\"https://crm.example.com/callback\"]", "[]"),
            table("backchannel_logout_uri = \"http://crm.example.com/logout\""),
            format!("{}{}", table(""), table("")),
            table("scopes = [\"x\"]"),
            table("id_token_signed_response_alg = \"HS256\""),
        ];
        for toml in bad {
            let line = with(&toml, &[]).unwrap_err().to_string();
            assert!(line.contains("client"), "{toml}: {line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }
}
