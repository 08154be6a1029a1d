//! The client address that throttling and the audit log go by
//! (`server::http::client_address`). Behind a trusted proxy, nothing a client writes into
//! `X-Forwarded-For` or `Forwarded` before the proxy's own entry may replace the address the
//! proxy appended; from an untrusted peer the headers count for nothing.
//!
//! Input: a flags byte (bit 0: `Forwarded` instead of `X-Forwarded-For`; bit 1: the client is
//! IPv6; bit 2: the proxy adds a header line of its own instead of extending the client's),
//! 16 bytes of the client's real address, 4 bytes of an untrusted peer's, then whatever the
//! client put in the header.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use server::http::client_address::{ProxyHeader, TrustedProxies};

const PROXY: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));

/// As the server reports an address: an IPv4-mapped IPv6 address as IPv4.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 21 {
        return;
    }
    let (flags, real, peer, written) = (data[0], &data[1..17], &data[17..21], &data[21..]);
    let forwarded = flags & 1 != 0;
    let real = if flags & 2 != 0 {
        IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(real).unwrap()))
    } else {
        IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(&real[..4]).unwrap()))
    };
    let proxies = TrustedProxies {
        nets: vec!["10.0.0.0/8".parse().unwrap()],
        header: if forwarded { ProxyHeader::Forwarded } else { ProxyHeader::XForwardedFor },
    };
    let expected = unmapped(real);
    // A client inside the proxies' own network is taken for a proxy: the walk goes on left.
    if proxies.nets.iter().any(|n| n.contains(&expected)) {
        return;
    }
    let entry = match (forwarded, real) {
        (false, ip) => ip.to_string(),
        (true, IpAddr::V4(ip)) => format!("for={ip}"),
        (true, IpAddr::V6(ip)) => format!("for=\"[{ip}]:4711\""),
    };
    let name = HeaderName::from_static(if forwarded { "forwarded" } else { "x-forwarded-for" });
    let mut headers = HeaderMap::new();
    if flags & 4 != 0 {
        let Ok(theirs) = HeaderValue::from_bytes(written) else { return };
        headers.append(&name, theirs);
        headers.append(&name, HeaderValue::from_str(&entry).unwrap());
    } else {
        let Ok(line) = HeaderValue::from_bytes(&[written, b", ", entry.as_bytes()].concat()) else { return };
        headers.append(&name, line);
    }
    let got = proxies.client_address(PROXY, &headers);
    assert_eq!(got, expected, "the proxy's entry {entry:?} after {:?}", String::from_utf8_lossy(written));

    // The same headers from a peer that is no proxy: the peer it is.
    let peer = IpAddr::V4(Ipv4Addr::new(203, peer[1], peer[2], peer[3]));
    assert_eq!(proxies.client_address(peer, &headers), peer);
});
