//! The client's address, which throttling and the audit log go by: the TCP peer, unless the
//! peer is one of the configured `trusted_proxies`. Then the address the proxy reports is
//! used: the right-most address in `X-Forwarded-For` (or `Forwarded`) that is not itself a
//! trusted proxy, since everything left of the last trusted hop was written by the client
//! and may be made up. From an untrusted peer these headers are ignored entirely.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::auth::ClientAddress;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// Which header the proxies write. Only one is read: a client could send the other one
/// through a proxy that passes it on untouched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=...`.
    Forwarded,
}

#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    pub nets: Vec<IpNet>,
    pub header: ProxyHeader,
}

fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// One hop as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, possibly quoted. `None` for anything else (`unknown`, an obfuscated
/// identifier, garbage).
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(unmapped(ip));
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(unmapped(socket.ip()));
    }
    text.strip_prefix('[').and_then(|r| r.split(']').next()).and_then(|v6| v6.parse().ok()).map(unmapped)
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The hops the proxies reported, client side first.
    fn hops(&self, headers: &HeaderMap) -> Vec<Option<IpAddr>> {
        let name = match self.header {
            ProxyHeader::XForwardedFor => "x-forwarded-for",
            ProxyHeader::Forwarded => "forwarded",
        };
        let mut hops = Vec::new();
        for value in headers.get_all(name) {
            // Entry by entry from the raw bytes: one bad byte a client put in its own entry
            // must not spoil the entries the proxies appended after it.
            for element in value.as_bytes().split(|b| *b == b',') {
                let element = String::from_utf8_lossy(element);
                if element.trim().is_empty() {
                    continue;
                }
                hops.push(match self.header {
                    ProxyHeader::XForwardedFor => parse_hop(&element),
                    ProxyHeader::Forwarded => element
                        .split(';')
                        .filter_map(|pair| pair.split_once('='))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                        .and_then(|(_, v)| parse_hop(v)),
                });
            }
        }
        hops
    }

    /// The client behind `peer`, as described in the module comment.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = unmapped(peer);
        if !self.trusts(client) {
            return client;
        }
        for hop in self.hops(headers).into_iter().rev() {
            // A hop a trusted proxy could not have written ends the walk at that proxy.
            let Some(ip) = hop else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// Puts the client's address into the request, for server functions and plain routes.
pub async fn resolve(proxies: Arc<TrustedProxies>, mut req: Request, next: Next) -> Response {
    if let Some(peer) = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) {
        let ip = proxies.client_address(peer, req.headers());
        req.extensions_mut().insert(ClientAddress(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(nets: &[&str], header: ProxyHeader) -> TrustedProxies {
        TrustedProxies { nets: nets.iter().map(|n| n.parse().unwrap()).collect(), header }
    }

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let p = proxies(&["10.0.0.0/8"], ProxyHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["198.51.100.1"]);
        assert_eq!(p.client_address(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        assert_eq!(TrustedProxies::default().client_address(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.0.2.10/32"], ProxyHeader::XForwardedFor);
        // The client made up the first entry; the proxies appended the rest.
        let h = headers("x-forwarded-for", &["1.2.3.4, 198.51.100.7", "192.0.2.10"]);
        assert_eq!(p.client_address(ip("10.0.0.2"), &h), ip("198.51.100.7"));
        let all_trusted = headers("x-forwarded-for", &["10.1.1.1, 192.0.2.10"]);
        assert_eq!(p.client_address(ip("10.0.0.2"), &all_trusted), ip("10.1.1.1"));
        assert_eq!(p.client_address(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_trusted_hop() {
        let p = proxies(&["10.0.0.0/8"], ProxyHeader::XForwardedFor);
        let h = headers("x-forwarded-for", &["198.51.100.7, not-an-address, 10.0.0.3"]);
        assert_eq!(p.client_address(ip("10.0.0.2"), &h), ip("10.0.0.3"));
    }

    #[test]
    fn a_bad_byte_in_the_clients_own_entry_spoils_only_that_entry() {
        let p = proxies(&["10.0.0.0/8"], ProxyHeader::XForwardedFor);
        let mut h = HeaderMap::new();
        let value = axum::http::HeaderValue::from_bytes(b"1.2.3.4\xff, 198.51.100.7").unwrap();
        h.insert("x-forwarded-for", value);
        assert_eq!(p.client_address(ip("10.0.0.2"), &h), ip("198.51.100.7"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_understood() {
        let p = proxies(&["::1/128", "127.0.0.0/8"], ProxyHeader::XForwardedFor);
        for (hop, want) in [
            ("198.51.100.7:4711", "198.51.100.7"),
            ("[2001:db8::7]:4711", "2001:db8::7"),
            ("2001:db8::7", "2001:db8::7"),
            ("::ffff:198.51.100.7", "198.51.100.7"),
        ] {
            assert_eq!(p.client_address(ip("::1"), &headers("x-forwarded-for", &[hop])), ip(want), "{hop}");
        }
        assert_eq!(p.client_address(ip("::ffff:127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"));
    }

    #[test]
    fn forwarded_is_read_only_when_configured() {
        let h = {
            let mut h = headers("forwarded", &[r#"for=198.51.100.7;proto=https, for="[2001:db8::7]:4711""#]);
            h.append("x-forwarded-for", "203.0.113.1".parse().unwrap());
            h
        };
        let forwarded = proxies(&["10.0.0.0/8"], ProxyHeader::Forwarded);
        assert_eq!(forwarded.client_address(ip("10.0.0.2"), &h), ip("2001:db8::7"));
        let xff = proxies(&["10.0.0.0/8"], ProxyHeader::XForwardedFor);
        assert_eq!(xff.client_address(ip("10.0.0.2"), &h), ip("203.0.113.1"));
        let unknown = headers("forwarded", &["for=unknown"]);
        assert_eq!(forwarded.client_address(ip("10.0.0.2"), &unknown), ip("10.0.0.2"));
    }
}
