//! What HTTP says, without doing HTTP: the caching headers a server sent and how long they let
//! a response be used, HTTP dates, and which hosts count as loopback. Pure: the network edge
//! (`net`) and the lints share these rules.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use url::Url;

/// When the server sends no caching headers: keep the document this long.
pub const DEFAULT_TTL: f64 = 300.0;
/// However long the server allows, keep keys at most this long (revoked keys must go).
pub const MAX_TTL: f64 = 86_400.0;

/// The response headers that matter for caching, as the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheHeaders {
    /// `Cache-Control`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// `Expires`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// `Age`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    /// `ETag`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// How long a response received at `received` may be used, from its headers; `None` means
/// "do not store".
pub fn lifetime(headers: &CacheHeaders, received: f64) -> Option<f64> {
    let mut max_age = None;
    if let Some(cc) = &headers.cache_control {
        for directive in cc.split(',') {
            let d = directive.trim();
            let (name, value) = match d.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
                None => (d, None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("no-store", _) => return None,
                ("no-cache", _) => return Some(0.0),
                ("max-age", Some(v)) => max_age = delta_seconds(v),
                _ => {}
            }
        }
    }
    let ttl = if let Some(max) = max_age {
        // An Age that is not delta-seconds (NaN, negative, a fraction) is ignored.
        let age = headers
            .age
            .as_deref()
            .and_then(|a| delta_seconds(a.trim()))
            .unwrap_or(0.0);
        max - age
    } else if let Some(expires) = headers.expires.as_deref() {
        match http_date(expires) {
            // Relative to the server's own clock when it sent Date, else to ours; an
            // unparsable Expires means "already expired" (RFC 9111 §5.3).
            Some(at) => {
                at - headers
                    .date
                    .as_deref()
                    .and_then(http_date)
                    .unwrap_or(received)
            }
            None => 0.0,
        }
    } else {
        DEFAULT_TTL
    };
    Some(if ttl.is_finite() {
        ttl.clamp(0.0, MAX_TTL)
    } else {
        0.0
    })
}

/// HTTP's delta-seconds (RFC 9111 §1.2.2): one or more digits, nothing else; a value too
/// large to hold is as large as a cache lets it be.
fn delta_seconds(text: &str) -> Option<f64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<f64>().unwrap_or(MAX_TTL).min(MAX_TTL * 10.0))
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(text: &str) -> Option<f64> {
    let ts = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(text.trim())
        .ok()?;
    Some(ts.as_second() as f64)
}

/// Whether a URL's host is loopback (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(
        cc: Option<&str>,
        expires: Option<&str>,
        date: Option<&str>,
        age: Option<&str>,
    ) -> CacheHeaders {
        CacheHeaders {
            cache_control: cc.map(str::to_string),
            expires: expires.map(str::to_string),
            date: date.map(str::to_string),
            age: age.map(str::to_string),
            etag: None,
        }
    }

    #[test]
    fn lifetimes_follow_the_headers() {
        assert_eq!(
            lifetime(&h(Some("public, max-age=3600"), None, None, None), 0.0),
            Some(3600.0)
        );
        assert_eq!(
            lifetime(&h(Some("max-age=3600"), None, None, Some("600")), 0.0),
            Some(3000.0)
        );
        assert_eq!(
            lifetime(&h(Some("Max-Age=\"60\""), None, None, None), 0.0),
            Some(60.0)
        );
        assert_eq!(
            lifetime(&h(Some("no-store, max-age=60"), None, None, None), 0.0),
            None
        );
        assert_eq!(
            lifetime(&h(Some("no-cache"), None, None, None), 0.0),
            Some(0.0)
        );
        assert_eq!(
            lifetime(&h(Some("max-age=99999999"), None, None, None), 0.0),
            Some(MAX_TTL)
        );
        assert_eq!(
            lifetime(
                &h(
                    None,
                    Some("Tue, 24 Nov 2026 10:00:00 GMT"),
                    Some("Tue, 24 Nov 2026 09:00:00 GMT"),
                    None
                ),
                0.0
            ),
            Some(3600.0)
        );
        assert_eq!(
            lifetime(
                &h(None, Some("Tue, 24 Nov 2026 10:00:00 GMT"), None, None),
                1_795_510_800.0
            ),
            Some(3600.0),
            "without Date, Expires counts from when the response arrived"
        );
        assert_eq!(lifetime(&h(None, Some("0"), None, None), 0.0), Some(0.0));
        assert_eq!(lifetime(&h(None, None, None, None), 0.0), Some(DEFAULT_TTL));
        // Age and max-age are delta-seconds: NaN, negatives and fractions are not.
        for age in ["NaN", "-100000", "1.5", "inf", ""] {
            assert_eq!(
                lifetime(&h(Some("max-age=60"), None, None, Some(age)), 0.0),
                Some(60.0),
                "{age:?}"
            );
        }
        assert_eq!(
            lifetime(&h(Some("max-age=NaN"), None, None, None), 0.0),
            Some(DEFAULT_TTL)
        );
        assert_eq!(
            lifetime(
                &h(Some("max-age=60"), None, None, Some("99999999999999999999")),
                0.0
            ),
            Some(0.0)
        );
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777.0)
        );
        assert_eq!(http_date("yesterday"), None);
    }
}
