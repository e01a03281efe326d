//! When Hasura refreshes a `jwk_url` key set, from the response's caching headers
//! (`determineJwkExpiryLifetime` in the engine's JWT.hs; its poller runs every second).
//!
//! Rules (research/hasura-jwt.md §4): `Cache-Control` directive names are compared
//! case-sensitively; the first `max-age` or `s-maxage` with a value counts; bare
//! `must-revalidate` means "now + max-age" or "now"; else bare `no-cache`/`no-store` mean "now";
//! else `max-age`; else `Expires` (`%a, %d %b %Y %T GMT` exactly). Neither header: no expiry,
//! so the keys are fetched once and never again. A parse error keeps the previous expiry too.

use crate::fetch::CacheHeaders;

/// What the engine will do with a key set served with these headers.
#[derive(Debug, Clone, PartialEq)]
pub enum Refresh {
    /// Refetched every second (expiry = now).
    EverySecond(&'static str),
    /// Refetched after this many seconds.
    After(f64),
    /// Never refetched after the first fetch.
    Never,
    /// The header does not parse: treated like no header (never refetched).
    Unparsable(String),
}

impl Refresh {
    /// A sentence for people.
    pub fn explain(&self) -> String {
        match self {
            Refresh::EverySecond(why) => format!(
                "Hasura refetches this key set every second ({why}): rotation is picked up at once, at the cost of a request per second per instance"
            ),
            Refresh::After(secs) => format!(
                "Hasura refetches this key set every {}: a rotated key is picked up within that time",
                crate::clock::span(*secs)
            ),
            Refresh::Never => "no Cache-Control or Expires: Hasura fetches this key set once at startup and never again; after a key rotation it rejects new tokens (JWSInvalidSignature) until restarted".into(),
            Refresh::Unparsable(what) => format!(
                "Hasura cannot parse {what}, so it keeps the keys from startup and never refetches them; after a key rotation it rejects new tokens until restarted"
            ),
        }
    }

    /// Whether rotation is handled without a restart.
    pub fn handles_rotation(&self) -> bool {
        matches!(self, Refresh::EverySecond(_) | Refresh::After(_))
    }
}

/// The engine's refresh behaviour for these headers.
pub fn refresh(headers: &CacheHeaders) -> Refresh {
    if let Some(cc) = &headers.cache_control {
        let mut max_age: Option<f64> = None;
        let mut must_revalidate = false;
        let mut no_cache = None;
        for directive in cc.split(',') {
            let d = directive.trim();
            if d.is_empty() {
                continue;
            }
            match d.split_once('=') {
                Some((name, value)) => {
                    let name = name.trim();
                    if (name == "max-age" || name == "s-maxage") && max_age.is_none() {
                        let v = value.trim().trim_matches('"');
                        match v.parse::<u64>() {
                            Ok(n) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                                max_age = Some(n as f64)
                            }
                            _ => return Refresh::Unparsable(format!("Cache-Control: {cc}")),
                        }
                    }
                }
                None => match d {
                    "must-revalidate" => must_revalidate = true,
                    "no-cache" => no_cache = Some("no-cache"),
                    "no-store" => no_cache = no_cache.or(Some("no-store")),
                    _ => {}
                },
            }
        }
        if must_revalidate {
            return match max_age {
                Some(secs) if secs > 0.0 => Refresh::After(secs),
                _ => Refresh::EverySecond("must-revalidate"),
            };
        }
        if let Some(why) = no_cache {
            return Refresh::EverySecond(why);
        }
        if let Some(secs) = max_age {
            return if secs > 0.0 {
                Refresh::After(secs)
            } else {
                Refresh::EverySecond("max-age=0")
            };
        }
    }
    if let Some(expires) = &headers.expires {
        let Ok(at) = jiff::fmt::strtime::parse("%a, %d %b %Y %T GMT", expires.trim())
            .and_then(|t| t.to_datetime())
            .and_then(|dt| jiff::tz::TimeZone::UTC.to_timestamp(dt))
        else {
            return Refresh::Unparsable(format!("Expires: {expires}"));
        };
        let date = headers
            .date
            .as_deref()
            .and_then(crate::cache::http_date)
            .unwrap_or(at.as_second() as f64);
        let secs = at.as_second() as f64 - date;
        return if secs > 0.0 {
            Refresh::After(secs)
        } else {
            Refresh::EverySecond("Expires in the past")
        };
    }
    Refresh::Never
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(v: &str) -> CacheHeaders {
        CacheHeaders {
            cache_control: Some(v.into()),
            ..CacheHeaders::default()
        }
    }

    /// The engine's own unit tests (JWTSpec.hs, determineJwkExpiryLifetime), Expires = T+60.
    #[test]
    fn engine_cases() {
        let with_expires = |v: &str| CacheHeaders {
            cache_control: Some(v.into()),
            expires: Some("Tue, 24 Nov 2026 10:01:00 GMT".into()),
            date: Some("Tue, 24 Nov 2026 10:00:00 GMT".into()),
            ..CacheHeaders::default()
        };
        assert!(matches!(
            refresh(&with_expires("max-age=10, no-cache")),
            Refresh::EverySecond(_)
        ));
        assert!(matches!(
            refresh(&with_expires("must-revalidate")),
            Refresh::EverySecond(_)
        ));
        assert_eq!(
            refresh(&with_expires("max-age=10, must-revalidate")),
            Refresh::After(10.0)
        );
        assert!(matches!(
            refresh(&with_expires("max-age=10, no-store")),
            Refresh::EverySecond(_)
        ));
        assert_eq!(
            refresh(&with_expires("public, max-age=10")),
            Refresh::After(10.0)
        );
        assert_eq!(
            refresh(&with_expires("public, s-maxage=10")),
            Refresh::After(10.0)
        );
        assert_eq!(refresh(&with_expires("public")), Refresh::After(60.0));
        assert!(matches!(
            refresh(&cc("max-age=lolbroken")),
            Refresh::Unparsable(_)
        ));
        assert_eq!(refresh(&CacheHeaders::default()), Refresh::Never);
        let bad_expires = CacheHeaders {
            expires: Some("lolbroken".into()),
            ..CacheHeaders::default()
        };
        assert!(matches!(refresh(&bad_expires), Refresh::Unparsable(_)));
    }

    #[test]
    fn directive_names_are_case_sensitive_in_the_engine() {
        assert_eq!(refresh(&cc("Max-Age=60")), Refresh::Never);
    }
}
