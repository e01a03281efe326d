//! When Hasura refreshes a `jwk_url` key set, from the response's caching headers
//! (`determineJwkExpiryLifetime` in the engine's JWT.hs; its poller runs every second).
//!
//! Rules (research/hasura-jwt.md §4): `Cache-Control` directive names are compared
//! case-sensitively; the first `max-age` or `s-maxage` with a value counts; bare
//! `must-revalidate` means "now + max-age" or "now"; else bare `no-cache`/`no-store` mean "now";
//! else `max-age`; else `Expires` (`%a, %d %b %Y %T GMT` exactly). Neither header: no expiry,
//! so the keys are fetched once and never again. A parse error keeps the previous expiry too.

use crate::http::CacheHeaders;

/// What the engine will do with a key set served with these headers.
#[derive(Debug, Clone, PartialEq)]
pub enum Refresh {
    /// Refetched every second (expiry = now).
    EverySecond(&'static str),
    /// Refetched after this many seconds.
    After(f64),
    /// Never refetched after the first fetch; with the `Cache-Control` value the engine
    /// found nothing in.
    Never(Option<String>),
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
            Refresh::Never(None) => "no Cache-Control or Expires: Hasura fetches this key set once at startup and never again; after a key rotation it rejects new tokens (JWSInvalidSignature) until restarted".into(),
            Refresh::Never(Some(cc)) => format!("Hasura finds no directive it acts on in Cache-Control: {cc} (max-age, s-maxage, no-cache, no-store, must-revalidate; names are case-sensitive to it) and there is no Expires: it fetches this key set once at startup and never again; after a key rotation it rejects new tokens until restarted"),
            Refresh::Unparsable(what) => format!(
                "Hasura cannot parse {what}, so it keeps the keys from startup and never refetches them; after a key rotation it rejects new tokens until restarted"
            ),
        }
    }

    /// When Hasura v2 uses keys that appeared in its `jwk_url` at `seen` (`kids` names them),
    /// and what it does with tokens signed with them until then: it does not refetch on an
    /// unknown kid (research/hasura-jwt.md §2.4).
    pub fn new_keys(&self, kids: &str, seen: f64) -> String {
        match self {
            Refresh::EverySecond(_) => format!(
                "Hasura v2 refetches every second: it accepts tokens signed with {kids} within a second"
            ),
            Refresh::After(secs) => format!(
                "Hasura v2 refetches every {}: it sees {kids} by {} at the latest and refuses tokens signed with it until then (JWSInvalidSignature: an unknown kid does not make it refetch)",
                crate::clock::span(*secs),
                crate::clock::utc_or_raw(seen + secs)
            ),
            Refresh::Never(_) | Refresh::Unparsable(_) => format!(
                "Hasura v2 never refetches this key set (no caching header it acts on): it refuses tokens signed with {kids} until it is restarted"
            ),
        }
    }

    /// Whether rotation is handled without a restart.
    pub fn handles_rotation(&self) -> bool {
        matches!(self, Refresh::EverySecond(_) | Refresh::After(_))
    }
}

/// When Hasura DDN uses keys that appeared in its `jwkFromUrl` key set: it fetches the set on
/// every request (research/hasura-ddn-jwt.md).
pub fn ddn_new_keys(kids: &str) -> String {
    format!(
        "Hasura DDN fetches the key set on every request: it accepts tokens signed with {kids} now"
    )
}

/// The engine's refresh behaviour for these headers, received at `received` (the engine
/// compares `Expires` with its own clock, not with `Date`).
pub fn refresh(headers: &CacheHeaders, received: f64) -> Refresh {
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
        let Some(at) = engine_expires(expires) else {
            return Refresh::Unparsable(format!("Expires: {expires}"));
        };
        let secs = at - received;
        return if secs > 0.0 {
            Refresh::After(secs)
        } else {
            Refresh::EverySecond("Expires in the past")
        };
    }
    Refresh::Never(headers.cache_control.clone())
}

/// `%a, %d %b %Y %T GMT` as Haskell's `parseTimeM` reads it: the weekday must be a day name
/// but its value is not checked against the date.
fn engine_expires(text: &str) -> Option<f64> {
    let t = text.trim();
    let (day, rest) = t.split_once(", ")?;
    if !["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&day) {
        return None;
    }
    let dt = jiff::fmt::strtime::parse("%d %b %Y %T GMT", rest)
        .ok()?
        .to_datetime()
        .ok()?;
    let ts = jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()?;
    Some(ts.as_second() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-24T10:00:00Z.
    const T: f64 = 1_795_514_400.0;

    fn cc(v: &str) -> CacheHeaders {
        CacheHeaders {
            cache_control: Some(v.into()),
            ..CacheHeaders::default()
        }
    }

    #[test]
    fn a_new_key_is_seen_per_the_refresh() {
        let after = refresh(&cc("max-age=3600"), T).new_keys("kid k2", T);
        assert!(
            after.starts_with("Hasura v2 refetches every 1h: it sees kid k2 by 2026-11-24 11:00:00 UTC at the latest and refuses"),
            "{after}"
        );
        let never = refresh(&CacheHeaders::default(), T).new_keys("kid k2", T);
        assert!(never.ends_with("until it is restarted"), "{never}");
        let second = refresh(&cc("no-store"), T).new_keys("kid k2", T);
        assert!(second.ends_with("within a second"), "{second}");
        assert!(ddn_new_keys("kid k2").ends_with("with kid k2 now"));
    }

    /// The engine's own unit tests (JWTSpec.hs, determineJwkExpiryLifetime), Expires = T+60.
    #[test]
    fn engine_cases() {
        let with_expires = |v: &str| CacheHeaders {
            cache_control: Some(v.into()),
            expires: Some("Tue, 24 Nov 2026 10:01:00 GMT".into()),
            ..CacheHeaders::default()
        };
        let refresh = |h: &CacheHeaders| refresh(h, T);
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
        assert_eq!(refresh(&CacheHeaders::default()), Refresh::Never(None));
        let bad_expires = CacheHeaders {
            expires: Some("lolbroken".into()),
            ..CacheHeaders::default()
        };
        assert!(matches!(refresh(&bad_expires), Refresh::Unparsable(_)));
    }

    #[test]
    fn directive_names_are_case_sensitive_in_the_engine() {
        assert_eq!(
            refresh(&cc("Max-Age=60"), T),
            Refresh::Never(Some("Max-Age=60".into()))
        );
    }

    #[test]
    fn the_weekday_of_expires_is_not_checked() {
        let h = CacheHeaders {
            expires: Some("Fri, 24 Nov 2026 10:01:00 GMT".into()),
            ..CacheHeaders::default()
        };
        assert_eq!(refresh(&h, T), Refresh::After(60.0));
    }
}
