//! Where an attempt comes from: the client's address, as the web layer determined it (the
//! TCP peer, or behind a trusted reverse proxy the address it reports), and the browser's
//! known-browser token, if it sent one (see `known_browsers`).

use std::net::{IpAddr, Ipv6Addr};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<IpAddr>,
    /// The token of the browser's cookie, as sent: a bearer secret, never logged.
    pub browser: Option<String>,
    /// The `User-Agent` header, for the person's own record of their sign-ins.
    pub user_agent: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("ip", &self.ip)
            .field("browser", &self.browser.as_ref().map(|_| "<redacted>"))
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Client {
    /// IPv4 addresses written as IPv6 (`::ffff:192.0.2.1`, a dual-stack socket's view) are
    /// the IPv4 address they carry, so both spellings count as one client.
    pub fn new(ip: IpAddr) -> Self {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        Client { ip: Some(ip), ..Client::default() }
    }

    pub fn with_browser(self, token: Option<String>) -> Self {
        Client { browser: token, ..self }
    }

    pub fn with_user_agent(self, user_agent: Option<String>) -> Self {
        Client { user_agent: user_agent.map(|ua| ua.chars().take(512).collect()), ..self }
    }

    /// The browser as its person names it ("Firefox on Linux"), when it said what it is.
    pub fn browser_name(&self) -> Option<String> {
        self.user_agent.as_deref().and_then(crate::sessions::browser_name)
    }

    /// What throttling counts by: an IPv4 address, or an IPv6 address's /64, since one
    /// subscriber usually holds a whole /64 and could otherwise rotate through it.
    pub fn throttle_address(&self) -> Option<String> {
        self.ip.map(|ip| match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        })
    }

    /// The full address, for the audit log.
    pub fn audit_address(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(s: &str) -> Client {
        Client::new(s.parse().unwrap())
    }

    #[test]
    fn ipv6_is_counted_by_its_64_and_audited_whole() {
        let a = client("2001:db8:1:2:aaaa::1");
        let b = client("2001:db8:1:2:bbbb::2");
        assert_eq!(a.throttle_address().as_deref(), Some("2001:db8:1:2::/64"));
        assert_eq!(a.throttle_address(), b.throttle_address());
        assert_ne!(a.throttle_address(), client("2001:db8:1:3::1").throttle_address());
        assert_eq!(a.audit_address().as_deref(), Some("2001:db8:1:2:aaaa::1"));
    }

    #[test]
    fn mapped_ipv4_is_ipv4() {
        assert_eq!(client("::ffff:192.0.2.7"), client("192.0.2.7"));
        assert_eq!(client("192.0.2.7").throttle_address().as_deref(), Some("192.0.2.7"));
        assert_eq!(Client::default().throttle_address(), None);
    }
}
