//! Times as jwtcheck reads and shows them: seconds since the Unix epoch (JWT NumericDate,
//! fractions allowed), shown in UTC and relative to a given "now" ("expired 3h 12m ago").
//!
//! The core never reads the system clock; `main` does once and passes it in (or `--now`).

/// Seconds since 1970-01-01T00:00:00Z, as JWT NumericDate values are.
pub type Seconds = f64;

/// Why a `--now` value was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {0:?} as a time")]
pub struct TimeError(pub String);

impl TimeError {
    /// What to write instead.
    pub fn hint(&self) -> &'static str {
        "give Unix seconds (1764000000) or RFC 3339 (2026-11-24T10:42:00Z, 2026-11-24T10:42:00+01:00)"
    }
}

/// Parses `--now`: `now`, Unix seconds (fractions allowed), or RFC 3339 (a time without an
/// offset is read as UTC). `system_now` is what `now` means.
pub fn parse(text: &str, system_now: Seconds) -> Result<Seconds, TimeError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(system_now);
    }
    if let Ok(secs) = t.parse::<f64>()
        && secs.is_finite()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Ok(secs);
    }
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9);
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>()
        && let Ok(ts) = jiff::tz::TimeZone::UTC.to_timestamp(dt)
    {
        return Ok(ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9);
    }
    Err(TimeError(text.to_string()))
}

/// The longest duration a flag takes: ten years (an `exp` beyond any clock's reach overflows).
pub const MAX_DURATION: i64 = 3_650 * 86_400;

/// A duration flag (`--lifetime`, `--max-age`, `--interval`): whole seconds (`3600`), or numbers
/// with units `s`, `m`, `h`, `d` (`1h30m`). `None` when it is not a positive duration of at most
/// `max` seconds.
pub fn duration(text: &str, max: i64) -> Option<i64> {
    let t = text.trim();
    let total = match t.parse::<i64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let mut total: i64 = 0;
            let mut number = String::new();
            for c in t.chars() {
                if c.is_ascii_digit() {
                    number.push(c);
                    continue;
                }
                let unit = match c {
                    's' => 1,
                    'm' => 60,
                    'h' => 3_600,
                    'd' => 86_400,
                    _ => return None,
                };
                let n: i64 = number.parse().ok()?;
                total = n.checked_mul(unit).and_then(|v| total.checked_add(v))?;
                number.clear();
            }
            if !number.is_empty() {
                return None;
            }
            total
        }
    };
    (total > 0 && total <= max).then_some(total)
}

/// `2026-11-24 07:17:38 UTC` (with fractions when the value has them); `None` when the value is
/// outside the years 0001–9999.
pub fn utc(secs: Seconds) -> Option<String> {
    stamp(secs, b' ', " UTC")
}

/// `2026-11-24 07:17:38 UTC`, or the number itself when it is not a representable time.
pub fn utc_or_raw(secs: Seconds) -> String {
    let mut out = String::with_capacity(28);
    utc_or_raw_into(&mut out, secs);
    out
}

/// [`utc`], appended to `out`; false (nothing appended) for a time it cannot show.
pub fn utc_into(out: &mut String, secs: Seconds) -> bool {
    stamp_into(out, secs, b' ', " UTC")
}

/// [`utc_or_raw`], appended to `out` (a check's message is built in one string).
pub fn utc_or_raw_into(out: &mut String, secs: Seconds) {
    if !stamp_into(out, secs, b' ', " UTC") {
        use std::fmt::Write as _;
        let _ = write!(out, "{secs} (not a representable time)");
    }
}

/// An RFC 3339 UTC rendering for machines: `2026-11-24T07:17:38Z`.
pub fn rfc3339(secs: Seconds) -> Option<String> {
    stamp(secs, b'T', "Z")
}

/// 0001-01-01T00:00:00Z in milliseconds since the epoch: the first moment shown as a date.
const FIRST_MILLIS: i64 = -62_135_596_800_000;

/// A date and time of day in UTC, with milliseconds when there are any, by jiff (its fixed UTC
/// zone: no time zone database is read). It runs for every time shown, and for each token of a
/// batch. The range is jiff's, as for the `--now` parser.
fn stamp(secs: Seconds, sep: u8, zone: &str) -> Option<String> {
    let mut out = String::with_capacity(28);
    stamp_into(&mut out, secs, sep, zone).then_some(out)
}

/// Appends the time as [`stamp`] writes it; false (nothing appended) for a time it cannot show.
fn stamp_into(out: &mut String, secs: Seconds, sep: u8, zone: &str) -> bool {
    if !secs.is_finite() || secs.abs() > 1e15 {
        return false;
    }
    let millis = (secs * 1000.0).round() as i64;
    if millis < FIRST_MILLIS {
        return false;
    }
    let Ok(ts) = jiff::Timestamp::from_millisecond(millis) else {
        return false;
    };
    let civil = jiff::tz::TimeZone::UTC.to_datetime(ts);
    let precision = if millis.rem_euclid(1000) == 0 { 0 } else { 3 };
    let start = out.len();
    let printed = jiff::fmt::temporal::DateTimePrinter::new()
        .separator(sep)
        .precision(Some(precision))
        .print_datetime(&civil, &mut *out);
    if printed.is_err() {
        out.truncate(start);
        return false;
    }
    out.push_str(zone);
    true
}

/// A length of time in at most two units: `3h 12m`, `42m`, `12s`, `2d 4h`, `0s`.
pub fn span(secs: Seconds) -> String {
    let mut out = String::with_capacity(8);
    span_into(&mut out, secs);
    out
}

fn span_into(out: &mut String, secs: Seconds) {
    use std::fmt::Write as _;
    let total = secs.abs();
    if total < 1.0 {
        out.push_str("0s");
        return;
    }
    if total > 10_000.0 * 365.0 * 86_400.0 {
        out.push_str("more than 10000y");
        return;
    }
    let units = [
        (365 * 86_400, 'y'),
        (86_400, 'd'),
        (3_600, 'h'),
        (60, 'm'),
        (1, 's'),
    ];
    let mut rest = total.round() as u64;
    let mut shown = 0;
    for (size, name) in units {
        if rest >= size {
            if shown > 0 {
                out.push(' ');
            }
            let _ = write!(out, "{}{name}", rest / size);
            rest %= size;
            shown += 1;
        } else if shown > 0 {
            // A zero middle unit ends the rendering: "1h 0m 5s" reads better as "1h".
            break;
        }
        if shown == 2 {
            break;
        }
    }
}

/// `in 42m` or `3h 12m ago`, for a moment relative to `now`.
pub fn relative(at: Seconds, now: Seconds) -> String {
    let mut out = String::with_capacity(16);
    relative_into(&mut out, at, now);
    out
}

/// [`relative`], appended to `out`.
pub fn relative_into(out: &mut String, at: Seconds, now: Seconds) {
    let d = at - now;
    if d.abs() < 1.0 {
        out.push_str("now");
    } else if d > 0.0 {
        out.push_str("in ");
        span_into(out, d);
    } else {
        span_into(out, d);
        out.push_str(" ago");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_seconds_or_units() {
        assert_eq!(duration("3600", 86_400), Some(3600));
        assert_eq!(duration(" 1h30m ", 86_400), Some(5400));
        assert_eq!(duration("1d", 86_400), Some(86_400));
        for bad in [
            "0",
            "-5",
            "1d1s",
            "1h30",
            "h",
            "1x",
            "",
            "99999999999999999999d",
        ] {
            assert_eq!(duration(bad, 86_400), None, "{bad}");
        }
    }

    #[test]
    fn parses_unix_and_rfc3339() {
        assert_eq!(parse("1764000000", 0.0).unwrap(), 1_764_000_000.0);
        assert_eq!(parse("1300819380.5", 0.0).unwrap(), 1_300_819_380.5);
        assert_eq!(parse("2011-03-22T18:43:00Z", 0.0).unwrap(), 1_300_819_380.0);
        assert_eq!(
            parse("2011-03-22T19:43:00+01:00", 0.0).unwrap(),
            1_300_819_380.0
        );
        assert_eq!(parse("2011-03-22 18:43:00", 0.0).unwrap(), 1_300_819_380.0);
        assert!(parse("yesterday", 0.0).is_err());
        assert!(parse("1e400", 0.0).is_err());
    }

    #[test]
    fn renders_utc() {
        assert_eq!(utc(1_300_819_380.0).unwrap(), "2011-03-22 18:43:00 UTC");
        assert_eq!(
            utc(1_300_819_380.25).unwrap(),
            "2011-03-22 18:43:00.250 UTC"
        );
        assert_eq!(rfc3339(0.0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1e20), None);
        assert_eq!(utc(f64::NAN), None);
    }

    /// The rendering agrees with jiff's strftime over its whole range, boundaries included.
    #[test]
    fn utc_matches_jiff() {
        let jiff_utc = |secs: f64| -> Option<String> {
            let millis = (secs * 1000.0).round() as i64;
            let ts = jiff::Timestamp::from_millisecond(millis).ok()?;
            let civil = jiff::tz::TimeZone::UTC.to_datetime(ts);
            if civil.year() < 1 {
                return None;
            }
            let base = civil.strftime("%Y-%m-%d %H:%M:%S").to_string();
            Some(match millis.rem_euclid(1000) {
                0 => format!("{base} UTC"),
                ms => format!("{base}.{ms:03} UTC"),
            })
        };
        let max = jiff::Timestamp::MAX.as_millisecond() as f64 / 1000.0;
        let mut samples = vec![
            0.0,
            -1.0,
            0.001,
            -0.001,
            951_782_400.0,
            4_107_542_400.0,
            253_402_300_799.0,
            -62_135_596_800.0,
            -62_135_596_800.001,
            -62_135_596_799.999_6,
            max,
            max + 0.001,
            max + 3600.0,
            1_795_915_062.0,
            1e12,
        ];
        // A deterministic spread over the whole range (a linear congruential walk).
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            samples.push(-62_200_000_000.0 + unit * 315_700_000_000.0);
            samples.push((x % 4_000_000_000) as f64 + (x % 1000) as f64 / 1000.0);
        }
        for secs in samples {
            assert_eq!(utc(secs), jiff_utc(secs), "{secs}");
        }
    }

    #[test]
    fn renders_spans() {
        assert_eq!(span(3.0 * 3600.0 + 12.0 * 60.0 + 7.0), "3h 12m");
        assert_eq!(span(42.0 * 60.0), "42m");
        assert_eq!(span(3600.0 + 5.0), "1h");
        assert_eq!(span(86_400.0 * 400.0), "1y 35d");
        assert_eq!(span(1e300), "more than 10000y");
        assert_eq!(relative(100.0, 0.0), "in 1m 40s");
        assert_eq!(relative(0.0, 11_520.0), "3h 12m ago");
        assert_eq!(relative(5.0, 5.0), "now");
    }
}
