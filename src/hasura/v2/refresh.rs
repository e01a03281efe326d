//! When Hasura v2 refreshes a `jwk_url` key set, from the response's caching headers: the
//! engine's `determineJwkExpiryLifetime` (`Hasura/Server/Auth/JWT.hs`; its poller runs every
//! second), which reads `Cache-Control` with `Data.Parser.CacheControl` and `Expires` with
//! `Data.Parser.Expires`. Both parsers are modelled here, in the engine's order.
//!
//! `Cache-Control` (`parseCacheControl` is attoparsec's `parseOnly`, which needs no end of input:
//! it stops quietly at the first text its grammar does not take, and keeps what it read):
//! - optional whitespace is ONE `isSpace` character, so `max-age=60,  no-cache` reads only
//!   `max-age=60`; a `;` (not a token character) ends the parse;
//! - a directive is a token, or a token `=` a token or a quoted string; `no-cache=` (no value)
//!   reads as the bare token `no-cache`, and `max-age = 60` as the bare token `max-age`;
//! - directive names are compared case-sensitively; the first `max-age` or `s-maxage` WITH a
//!   value counts, and its value is attoparsec's `decimal`: the leading digits (`60abc` is 60);
//!   a value with no leading digit is an error;
//! - nothing to read (an empty header) is a parse error.
//!
//! Then: bare `must-revalidate` means "now + max-age", or "now" without one; else bare
//! `no-cache`/`no-store` mean "now"; else `max-age`; else `Expires`, parsed with `time`'s
//! `parseTimeM True defaultTimeLocale "%a, %d %b %Y %T GMT"`. A parse error in either header
//! is an error (an unreadable `Cache-Control` does not fall back to `Expires`), and an error or
//! no expiry keeps the previous expiry: none at startup, so the set is never fetched again.

use std::ops::ControlFlow::{self, Break, Continue};

use crate::hasura::chars;
use crate::http::CacheHeaders;

/// What the engine will do with a key set served with these headers.
#[derive(Debug, Clone, PartialEq)]
pub enum Refresh {
    /// Refetched every second (expiry = now), and why.
    EverySecond(String),
    /// Refetched after this many seconds.
    After(f64),
    /// Never refetched after the first fetch; with the `Cache-Control` value the engine
    /// found nothing in.
    Never(Option<String>),
    /// A header does not parse (which one, with its value, and the engine's log line): the
    /// previous expiry is kept, so the set is never refetched.
    Unparsable(String),
}

/// The engine's refresh for one response, with how it read the `Cache-Control` header where
/// that differs from the header's plain reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Expiry {
    /// What the engine does.
    pub refresh: Refresh,
    /// Where the engine's parser stopped or cut a value, for people.
    pub reading: Option<String>,
}

impl Refresh {
    /// A sentence for people.
    fn sentence(&self) -> String {
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
}

impl Expiry {
    /// A sentence for people: what the engine does, then how it read the header.
    pub fn explain(&self) -> String {
        let sentence = self.refresh.sentence();
        match &self.reading {
            Some(reading) => format!("{sentence}; {reading}"),
            None => sentence,
        }
    }

    /// When Hasura v2 uses keys that appeared in its `jwk_url` at `seen` (`kids` names them),
    /// and what it does with tokens signed with them until then: it does not refetch on an
    /// unknown kid (research/hasura-jwt.md §2.4).
    pub fn new_keys(&self, kids: &str, seen: f64) -> String {
        match &self.refresh {
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
        matches!(self.refresh, Refresh::EverySecond(_) | Refresh::After(_))
    }
}

/// When Hasura DDN uses keys that appeared in its `jwkFromUrl` key set: it fetches the set on
/// every request (research/hasura-ddn-jwt.md).
pub fn ddn_new_keys(kids: &str) -> String {
    format!(
        "Hasura DDN fetches the key set on every request: it accepts tokens signed with {kids} now"
    )
}

/// The engine's log line for a `Cache-Control` it cannot read (`parseCacheControlErr`).
const CACHE_CONTROL_ERROR: &str = "Failed parsing Cache-Control header from JWK response";

/// The engine's log line for an `Expires` it cannot read (`parseTimeErr`).
const EXPIRES_ERROR: &str =
    "Failed parsing Expires header from JWK response. Value of header is not a valid timestamp";

/// The engine's refresh behaviour for these headers, received at `received` (the engine
/// compares `Expires` with its own clock, not with `Date`).
pub fn refresh(headers: &CacheHeaders, received: f64) -> Expiry {
    let reading = match &headers.cache_control {
        Some(cc) => match by_cache_control(cc, headers.expires.is_some()) {
            Break(expiry) => return expiry,
            Continue(reading) => reading,
        },
        None => None,
    };
    let refresh = match &headers.expires {
        Some(expires) => match engine_expires(expires) {
            None => Refresh::Unparsable(format!(
                "Expires: {expires:?} (it logs '{EXPIRES_ERROR}'; the format is '%a, %d %b %Y %T GMT', with a two-digit day)"
            )),
            Some(at) if at - received > 0.0 => Refresh::After(at - received),
            Some(_) => Refresh::EverySecond("Expires is not in the future".into()),
        },
        None => Refresh::Never(headers.cache_control.clone()),
    };
    Expiry { refresh, reading }
}

/// What `Cache-Control` decides (`Break`), or how the engine read it when it decides nothing and
/// `Expires` is consulted (`Continue`).
fn by_cache_control(cc: &str, has_expires: bool) -> ControlFlow<Expiry, Option<String>> {
    let mut reading = None;
    let Some(parsed) = parse_cache_control(cc) else {
        let also = if has_expires {
            ", and it does not look at Expires then"
        } else {
            ""
        };
        return Break(Expiry {
            refresh: Refresh::Unparsable(format!(
                "Cache-Control: {cc:?} (it logs '{CACHE_CONTROL_ERROR}'{also})"
            )),
            reading: None,
        });
    };
    let mut notes = Vec::new();
    if !parsed.rest.is_empty() {
        notes.push(format!(
            "Hasura's Cache-Control parser stops at {:?} and reads only {}",
            shorten(&parsed.rest),
            parsed.shown()
        ));
    }
    let max_age = match parsed.max_age() {
        Ok(m) => m,
        Err(value) => {
            return Break(Expiry {
                refresh: Refresh::Unparsable(format!(
                    "the max-age/s-maxage value {value:?} in Cache-Control: {cc} (it logs '{CACHE_CONTROL_ERROR}': could not parse max-age/s-maxage value)"
                )),
                reading: notes.pop(),
            });
        }
    };
    if let Some((value, secs)) = &max_age
        && !value.bytes().all(|b| b.is_ascii_digit())
    {
        notes.push(format!(
            "Hasura takes the leading digits of the max-age value {value:?}: {secs} s"
        ));
    }
    if !notes.is_empty() {
        reading = Some(notes.join("; "));
    }
    let secs = max_age.map(|(_, secs)| secs);
    let done = |refresh| Expiry {
        refresh,
        reading: reading.clone(),
    };
    if parsed.has("must-revalidate") {
        return Break(done(match secs {
            Some(s) if s > 0.0 => Refresh::After(s),
            Some(_) => Refresh::EverySecond("must-revalidate, max-age=0".into()),
            None => Refresh::EverySecond("must-revalidate without max-age".into()),
        }));
    }
    for bare in ["no-cache", "no-store"] {
        if parsed.has(bare) {
            return Break(done(Refresh::EverySecond(bare.into())));
        }
    }
    if let Some(s) = secs {
        return Break(done(if s > 0.0 {
            Refresh::After(s)
        } else {
            Refresh::EverySecond("max-age=0".into())
        }));
    }
    Continue(reading)
}

/// At most this many characters of ignored header text are quoted.
const SHOWN_REST: usize = 40;

fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOWN_REST {
        return text.to_string();
    }
    let mut s: String = text.chars().take(SHOWN_REST).collect();
    s.push('…');
    s
}

/// A directive as `Data.Parser.CacheControl` reads it.
#[derive(Debug, Clone, PartialEq)]
enum Directive {
    /// `CCDOnlyToken`: a bare token.
    Token(String),
    /// `CCDTokenWithVal`: a token with a value (a token, or a quoted string's content).
    Valued(String, String),
}

/// What `parseCacheControl` read, and the text after the point where it stopped.
#[derive(Debug)]
struct CacheControl {
    directives: Vec<Directive>,
    rest: String,
}

impl CacheControl {
    /// Whether a bare token of this name was read (`findCCDOnlyToken`).
    fn has(&self, name: &str) -> bool {
        self.directives
            .iter()
            .any(|d| matches!(d, Directive::Token(t) if t == name))
    }

    /// `findMaxAge`: the first `max-age` or `s-maxage` with a value, and attoparsec's `decimal`
    /// of it (its leading digits, as seconds); `Err(value)` when it has no leading digit.
    fn max_age(&self) -> Result<Option<(String, f64)>, String> {
        let found = self.directives.iter().find_map(|d| match d {
            Directive::Valued(name, value) if name == "max-age" || name == "s-maxage" => {
                Some(value)
            }
            _ => None,
        });
        let Some(value) = found else {
            return Ok(None);
        };
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        // An Integer in the engine: however many digits, it is a (possibly huge) number.
        match digits.parse::<f64>() {
            Ok(secs) if !digits.is_empty() => Ok(Some((value.clone(), secs))),
            _ => Err(value.clone()),
        }
    }

    /// The directives as read, for people: `max-age=60, public`.
    fn shown(&self) -> String {
        let parts: Vec<String> = self
            .directives
            .iter()
            .map(|d| match d {
                Directive::Token(t) => t.clone(),
                Directive::Valued(n, v) => format!("{n}={v}"),
            })
            .collect();
        parts.join(", ")
    }
}

/// `parseCacheControl`, as attoparsec runs it: `None` when the header does not start with a
/// directive (after leading commas), which the engine reports as a parse error.
fn parse_cache_control(text: &str) -> Option<CacheControl> {
    let s: Vec<char> = text.chars().collect();
    let mut i = 0;
    // void $ many' ("," *> optionalWhitespace)
    while s.get(i) == Some(&',') {
        i += 1;
        optional_space(&s, &mut i);
    }
    let first = directive(&s, &mut i)?;
    let mut directives = vec![first];
    // many' $ optionalWhitespace *> "," *> option Nothing (Just <$> (optionalWhitespace *> directive))
    loop {
        let start = i;
        optional_space(&s, &mut i);
        if s.get(i) != Some(&',') {
            i = start;
            break;
        }
        i += 1;
        let before = i;
        optional_space(&s, &mut i);
        match directive(&s, &mut i) {
            Some(d) => directives.push(d),
            None => i = before,
        }
    }
    Some(CacheControl {
        directives,
        rest: s.get(i..).unwrap_or_default().iter().collect(),
    })
}

/// `optionalWhitespaceParser`: at most one `isSpace` character.
fn optional_space(s: &[char], i: &mut usize) {
    if s.get(*i).is_some_and(|c| chars::is_space(*c)) {
        *i += 1;
    }
}

/// `tcharParser`: RFC 7230's token characters, with `AT.digit` (ASCII digits) and `AT.letter`
/// (GHC `isAlpha`).
fn is_tchar(c: char) -> bool {
    "!#$%&'*+-.^_`|~".contains(c) || c.is_ascii_digit() || chars::is_alpha(c)
}

/// `tokenParser`: one or more token characters.
fn token(s: &[char], i: &mut usize) -> Option<String> {
    let start = *i;
    while s.get(*i).is_some_and(|c| is_tchar(*c)) {
        *i += 1;
    }
    (*i > start).then(|| s.get(start..*i).unwrap_or_default().iter().collect())
}

/// `qdTextParser`: a space, or a visible ASCII character other than `"` and `\`, or a letter.
fn is_qdtext(c: char) -> bool {
    chars::is_space(c) || (c.is_ascii_graphic() && c != '"' && c != '\\') || chars::is_alpha(c)
}

/// `quotedStringParser`: `"`, then text and `\`-escaped characters, then `"`.
fn quoted(s: &[char], i: &mut usize) -> Option<String> {
    let start = *i;
    if s.get(*i) != Some(&'"') {
        return None;
    }
    *i += 1;
    let mut out = String::new();
    loop {
        match s.get(*i) {
            Some('"') => {
                *i += 1;
                return Some(out);
            }
            Some('\\') if s.get(*i + 1).is_some() => {
                out.extend(s.get(*i + 1));
                *i += 2;
            }
            Some(c) if is_qdtext(*c) => {
                out.push(*c);
                *i += 1;
            }
            _ => {
                *i = start;
                return None;
            }
        }
    }
}

/// `cacheDirectiveParser`: `tokenWithValue <|> onlyToken` (attoparsec backtracks, so a token
/// followed by `=` and no value reads as the bare token, and the parse stops at the `=`).
fn directive(s: &[char], i: &mut usize) -> Option<Directive> {
    let name = token(s, i)?;
    let after = *i;
    if s.get(*i) == Some(&'=') {
        *i += 1;
        if let Some(value) = token(s, i).or_else(|| quoted(s, i)) {
            return Some(Directive::Valued(name, value));
        }
        *i = after;
    }
    Some(Directive::Token(name))
}

/// `defaultTimeLocale`'s short weekday names (`wDays`), Sunday first.
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `defaultTimeLocale`'s short month names.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `parseExpirationTime`: `parseTimeM True defaultTimeLocale "%a, %d %b %Y %T GMT"` as the
/// `time` package reads it (`Data/Time/Format/Parse/Class.hs`, `Instances.hs`): spaces around
/// the text are allowed; names and literal letters are matched case-insensitively (`stringCI`,
/// `charCI`); a space in the format is one or more spaces; `%d`, `%H`, `%M` and `%S` are exactly
/// two digits; `%Y` is one or more digits, maybe after a `-`; the weekday is read but not
/// checked against the date; the date must exist (`fromGregorianValid`), the hour be 0-23, the
/// minute 0-59 and the second 0-60. Seconds since the epoch.
fn engine_expires(text: &str) -> Option<f64> {
    let s: Vec<char> = text.chars().collect();
    let mut i = 0;
    skip_spaces(&s, &mut i);
    name(&s, &mut i, &WEEKDAYS)?;
    literal(&s, &mut i, ",")?;
    format_space(&s, &mut i)?;
    let day = two_digits(&s, &mut i)?;
    format_space(&s, &mut i)?;
    let month = name(&s, &mut i, &MONTHS)? + 1;
    format_space(&s, &mut i)?;
    let negative = s.get(i) == Some(&'-');
    if negative {
        i += 1;
    }
    skip_spaces(&s, &mut i);
    let start = i;
    while s.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    let year_digits: String = s.get(start..i).unwrap_or_default().iter().collect();
    if year_digits.is_empty() {
        return None;
    }
    format_space(&s, &mut i)?;
    let hour = two_digits(&s, &mut i)?;
    literal(&s, &mut i, ":")?;
    let minute = two_digits(&s, &mut i)?;
    literal(&s, &mut i, ":")?;
    let second = two_digits(&s, &mut i)?;
    format_space(&s, &mut i)?;
    literal(&s, &mut i, "GMT")?;
    skip_spaces(&s, &mut i);
    if i != s.len() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Leap years repeat every 400 years, which the last four digits decide.
    let tail = year_digits
        .get(year_digits.len().saturating_sub(4)..)
        .unwrap_or_default();
    let cycle: i64 = tail.parse().ok()?;
    let leap = cycle % 4 == 0 && (cycle % 400 == 0 || cycle % 100 != 0);
    if day > month_length(month, leap) {
        return None;
    }
    let Ok(year) = year_digits.parse::<i64>() else {
        // A year past i64: the engine's Integer year is a time far beyond any clock.
        return Some(if negative { f64::MIN } else { f64::MAX });
    };
    let year = if negative { -year } else { year };
    let days = days_from_civil(year, month, day)?;
    let secs = days
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second)?;
    Some(secs as f64)
}

/// ReadP's `skipSpaces`.
fn skip_spaces(s: &[char], i: &mut usize) {
    while s.get(*i).is_some_and(|c| chars::is_space(*c)) {
        *i += 1;
    }
}

/// A space in a `time` format: one `isSpace` character, then any more.
fn format_space(s: &[char], i: &mut usize) -> Option<()> {
    if !s.get(*i).is_some_and(|c| chars::is_space(*c)) {
        return None;
    }
    skip_spaces(s, i);
    Some(())
}

/// `charCI`/`stringCI`: `toUpper` of both sides equal (so `ſ` is an `S` and `ı` an `I`).
fn literal(s: &[char], i: &mut usize, text: &str) -> Option<()> {
    for want in text.chars() {
        let c = s.get(*i)?;
        let mut up = c.to_uppercase();
        if !(up.next() == Some(want.to_ascii_uppercase()) && up.next().is_none()) {
            return None;
        }
        *i += 1;
    }
    Some(())
}

/// `oneOf (map stringCI names)`: the index of the name read.
fn name(s: &[char], i: &mut usize, names: &[&str]) -> Option<i64> {
    names.iter().zip(0..).find_map(|(n, index)| {
        let mut at = *i;
        literal(s, &mut at, n)?;
        *i = at;
        Some(index)
    })
}

/// `%d`, `%H`, `%M`, `%S`: exactly two ASCII digits.
fn two_digits(s: &[char], i: &mut usize) -> Option<i64> {
    let pair = s.get(*i..i.checked_add(2)?)?;
    let mut n = 0;
    for c in pair {
        n = n * 10 + i64::from(c.is_ascii_digit().then(|| c.to_digit(10)).flatten()?);
    }
    *i += 2;
    Some(n)
}

fn month_length(month: i64, leap: bool) -> i64 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
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

    fn expires(v: &str) -> CacheHeaders {
        CacheHeaders {
            expires: Some(v.into()),
            ..CacheHeaders::default()
        }
    }

    fn at(h: &CacheHeaders) -> Refresh {
        refresh(h, T).refresh
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
        assert!(matches!(
            at(&with_expires("max-age=10, no-cache")),
            Refresh::EverySecond(_)
        ));
        assert!(matches!(
            at(&with_expires("must-revalidate")),
            Refresh::EverySecond(_)
        ));
        assert_eq!(
            at(&with_expires("max-age=10, must-revalidate")),
            Refresh::After(10.0)
        );
        assert!(matches!(
            at(&with_expires("max-age=10, no-store")),
            Refresh::EverySecond(_)
        ));
        assert_eq!(
            at(&with_expires("public, max-age=10")),
            Refresh::After(10.0)
        );
        assert_eq!(
            at(&with_expires("public, s-maxage=10")),
            Refresh::After(10.0)
        );
        assert_eq!(at(&with_expires("public")), Refresh::After(60.0));
        assert!(matches!(
            at(&cc("max-age=lolbroken")),
            Refresh::Unparsable(_)
        ));
        assert_eq!(at(&CacheHeaders::default()), Refresh::Never(None));
        assert!(matches!(at(&expires("lolbroken")), Refresh::Unparsable(_)));
    }

    #[test]
    fn directive_names_are_case_sensitive_in_the_engine() {
        assert_eq!(
            at(&cc("Max-Age=60")),
            Refresh::Never(Some("Max-Age=60".into()))
        );
    }

    #[test]
    fn the_weekday_of_expires_is_not_checked() {
        assert_eq!(
            at(&expires("Fri, 24 Nov 2026 10:01:00 GMT")),
            Refresh::After(60.0)
        );
    }

    /// `Data.Parser.CacheControl`: `parseOnly` keeps what it read before text it cannot read.
    #[test]
    fn the_cache_control_parser_stops_quietly() {
        // findMaxAge: attoparsec's decimal takes the leading digits.
        let e = refresh(&cc("max-age=60abc"), T);
        assert_eq!(e.refresh, Refresh::After(60.0));
        assert!(
            e.explain()
                .contains("leading digits of the max-age value \"60abc\""),
            "{}",
            e.explain()
        );
        assert_eq!(at(&cc("max-age=\"90\"")), Refresh::After(90.0));
        assert_eq!(at(&cc("max-age=007")), Refresh::After(7.0));
        // optionalWhitespaceParser is one character: the second space stops the parse.
        assert_eq!(
            at(&cc("max-age=60, no-cache")),
            Refresh::EverySecond("no-cache".into())
        );
        let two = refresh(&cc("max-age=60,  no-cache"), T);
        assert_eq!(two.refresh, Refresh::After(60.0));
        assert!(
            two.explain()
                .contains("stops at \"  no-cache\" and reads only max-age=60"),
            "{}",
            two.explain()
        );
        assert_eq!(
            at(&cc("max-age=60 ,no-cache")),
            Refresh::EverySecond("no-cache".into())
        );
        assert_eq!(
            at(&cc("max-age=60\t,\tno-cache")),
            Refresh::EverySecond("no-cache".into())
        );
        // `;` is no token character: it ends the parse.
        assert_eq!(
            at(&cc("no-cache;max-age=60")),
            Refresh::EverySecond("no-cache".into())
        );
        assert_eq!(at(&cc("max-age=60; no-cache")), Refresh::After(60.0));
        assert_eq!(
            at(&cc("public; max-age=60")),
            Refresh::Never(Some("public; max-age=60".into()))
        );
        // A directive with `=` and no value is the bare directive.
        assert_eq!(
            at(&cc("no-cache=")),
            Refresh::EverySecond("no-cache".into())
        );
        assert_eq!(
            at(&cc("max-age=60, no-store=")),
            Refresh::EverySecond("no-store".into())
        );
        // ... but one with a value is not.
        assert_eq!(
            at(&cc("max-age=60, no-cache=\"Set-Cookie\"")),
            Refresh::After(60.0)
        );
        assert_eq!(
            at(&cc("must-revalidate=1")),
            Refresh::Never(Some("must-revalidate=1".into()))
        );
        // `max-age = 60` is the bare token max-age, which has no value: on to Expires.
        assert_eq!(
            at(&cc("max-age = 60")),
            Refresh::Never(Some("max-age = 60".into()))
        );
        let spaced = CacheHeaders {
            cache_control: Some("max-age = 60".into()),
            expires: Some("Tue, 24 Nov 2026 10:05:00 GMT".into()),
            ..CacheHeaders::default()
        };
        assert_eq!(at(&spaced), Refresh::After(300.0));
        // Leading commas are skipped; empty list items are allowed.
        assert_eq!(at(&cc(", ,max-age=30")), Refresh::After(30.0));
        assert_eq!(at(&cc("public,, max-age=30")), Refresh::After(30.0));
        // A value with no leading digit is an error, not a fall-through.
        assert!(matches!(at(&cc("max-age=-1")), Refresh::Unparsable(_)));
        assert!(matches!(at(&cc("max-age=\"\"")), Refresh::Unparsable(_)));
        // Only the first max-age/s-maxage with a value counts.
        assert_eq!(
            at(&cc("max-age, s-maxage=20, max-age=5")),
            Refresh::After(20.0)
        );
    }

    /// An empty (or unreadable) Cache-Control is a parse error: the engine logs it and does
    /// not read Expires.
    #[test]
    fn an_empty_cache_control_is_a_parse_error_and_expires_is_not_read() {
        let h = CacheHeaders {
            cache_control: Some(String::new()),
            expires: Some("Tue, 24 Nov 2026 10:01:00 GMT".into()),
            ..CacheHeaders::default()
        };
        let e = refresh(&h, T);
        let Refresh::Unparsable(what) = &e.refresh else {
            panic!("{e:?}")
        };
        assert!(
            what.contains(CACHE_CONTROL_ERROR) && what.contains("does not look at Expires"),
            "{what}"
        );
        assert!(!e.handles_rotation());
        assert!(matches!(at(&cc(";max-age=60")), Refresh::Unparsable(_)));
        assert!(matches!(at(&cc(",")), Refresh::Unparsable(_)));
    }

    /// `Data.Parser.Expires` through `time`'s parseTimeM (Data/Time/Format/Parse/Class.hs).
    #[test]
    fn expires_is_read_as_time_reads_it() {
        let in_a_minute = Refresh::After(60.0);
        for text in [
            "Tue, 24 Nov 2026 10:01:00 GMT",
            "tue, 24 nov 2026 10:01:00 gmt",
            "TUE, 24 NOV 2026 10:01:00 GMT",
            "  Tue,   24\tNov  2026 10:01:00  GMT  ",
            "Tue, 24 Nov 02026 10:01:00 GMT",
            "Tue, 24 Nov 2026 10:00:60 GMT",
            "\u{17f}un, 24 Nov 2026 10:01:00 GMT",
        ] {
            assert_eq!(at(&expires(text)), in_a_minute, "{text}");
        }
        for text in [
            "Tue, 4 Nov 2026 10:01:00 GMT",
            "Tue,24 Nov 2026 10:01:00 GMT",
            "Tue, 24 Nov 2026 10:01:00 UTC",
            "Tue, 24 Nov 2026 10:01 GMT",
            "Tue, 24 Nov 2026 24:00:00 GMT",
            "Tue, 31 Nov 2026 10:01:00 GMT",
            "Sun, 29 Feb 2026 10:01:00 GMT",
            "Tuesday, 24 Nov 2026 10:01:00 GMT",
            "Tue, 24 Nov 2026 10:01:00 GMT x",
            "Tue, 24-Nov-2026 10:01:00 GMT",
            "2026-11-24T10:01:00Z",
        ] {
            assert!(
                matches!(at(&expires(text)), Refresh::Unparsable(_)),
                "{text}"
            );
        }
        assert_eq!(
            at(&expires("Thu, 29 Feb 2024 00:00:00 GMT")),
            Refresh::EverySecond("Expires is not in the future".into())
        );
        assert!(
            matches!(at(&expires("Thu, 01 Jan 99999999999999999999 00:00:00 GMT")), Refresh::After(s) if s > 1e15)
        );
    }
}
