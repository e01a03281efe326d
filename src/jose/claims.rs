//! The claims validator: times with skew, issuer, audience and Cognito's token use and app
//! client. The time comparisons are shared by every profile; a profile ([`TimeProfile`]) says how
//! its engine words and orders them and what it does without `exp`. Pure: the clock is a
//! parameter.

use serde_json::Value;

use crate::clock;
use crate::jose::claimset::ClaimSet;
use crate::jose::json::type_name;
use crate::report::{Check, Id};

/// What the token must satisfy besides its signature.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules {
    /// Seconds of clock skew allowed on `exp`, `nbf` and `iat`.
    pub leeway: f64,
    /// Whether a token without `exp` fails.
    pub require_exp: bool,
    /// Whether an HMAC secret shorter than the hash only warns (`--allow-weak-secret`).
    pub allow_weak_secret: bool,
    /// The nonce the sign-in sent (`login`): the id token must carry it.
    pub nonce: Option<String>,
    /// Accepted `iss` values (any of); empty: not checked.
    pub issuers: Vec<String>,
    /// Why the issuers are what they are, when they were not given by the user (e.g. derived
    /// from `--cognito-pool`).
    pub issuer_origin: Option<String>,
    /// The keys were found through the token's own `iss` (a Cognito pool): the issuer check is
    /// then only a warning that nothing was pinned.
    pub issuer_from_token: bool,
    /// Accepted audiences (any of); empty: not checked.
    pub audiences: Vec<String>,
    /// Cognito `token_use` (`id` or `access`).
    pub token_use: Option<String>,
    /// Cognito app client ids (id token: `aud`; access token: `client_id`).
    pub client_ids: Vec<String>,
    /// `--max-age`: the longest time, in seconds, since the sign-in (`auth_time`, else `iat`).
    pub max_age: Option<f64>,
}

/// A time rule a token breaks; each engine has its own words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFailure {
    /// `exp` has passed (beyond the skew).
    Expired,
    /// `nbf` is still ahead (beyond the skew).
    NotYetValid,
    /// `iat` is ahead (beyond the skew).
    IssuedInFuture,
}

/// How a profile words, orders and hints the time checks. The comparisons themselves (`exp`
/// passes while `now < exp + skew`, `nbf` while `now >= nbf - skew`, `iat` fails when
/// `iat > now + skew`) are the same for every profile.
#[derive(Debug, Clone)]
pub struct TimeProfile {
    /// Seconds of clock skew allowed on `exp`, `nbf` and `iat`.
    pub skew: f64,
    /// How the skew is named in messages: `leeway` (jwtcheck) or `allowed_skew` (Hasura).
    pub skew_name: &'static str,
    /// The check for a token without `exp` (a failure, or a warning where `exp` is optional).
    pub no_exp: Check,
    /// What to do about an expired token.
    pub expired_hint: &'static str,
    /// What to do about a token that is not valid yet.
    pub not_yet_hint: &'static str,
    /// What to do about a token issued in the future.
    pub future_hint: &'static str,
    /// The engine checks `iat` before `nbf` (Hasura); jwtcheck checks `nbf` first.
    pub iat_before_nbf: bool,
    /// A time beyond f64's range (`1e400`) is read as aeson reads it, a date beyond any other
    /// (Hasura), instead of failing as out of range (jwtcheck).
    pub huge_times: bool,
}

/// One time check, and the rule it breaks when it fails.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeCheck {
    /// The check.
    pub check: Check,
    /// Set when the check fails a time rule.
    pub failure: Option<TimeFailure>,
}

impl TimeCheck {
    /// A check that breaks no time rule (it may still fail, e.g. a claim of the wrong type).
    fn ok(check: Check) -> TimeCheck {
        TimeCheck {
            check,
            failure: None,
        }
    }

    /// A check that breaks the time rule `failure`.
    fn broken(check: Check, failure: TimeFailure) -> TimeCheck {
        TimeCheck {
            check,
            failure: Some(failure),
        }
    }
}

/// A numeric time claim as a profile reads it: absent, a time, or of the wrong type.
enum Time {
    Absent,
    At(f64),
    WrongType(&'static str),
}

/// The parts of `before`, the time relative to `now` and in UTC, the parts of `after`: a time
/// check's message, built in one string (a batch builds three per token).
fn at(before: &[&str], secs: f64, now: f64, after: &[&str]) -> String {
    let mut out = String::with_capacity(64);
    before.iter().for_each(|part| out.push_str(part));
    if secs.is_infinite() {
        out.push_str(if secs > 0.0 {
            "beyond any date"
        } else {
            "before any date"
        });
    } else {
        clock::relative_into(&mut out, secs, now);
        out.push_str(" (");
        clock::utc_or_raw_into(&mut out, secs);
        out.push(')');
    }
    after.iter().for_each(|part| out.push_str(part));
    out
}

/// A claim as the profile reads it: out-of-range numbers are a date beyond any other (with a
/// warning) where the profile says so, else a wrong type.
fn read_time(
    claims: &impl ClaimSet,
    id: Id,
    name: &str,
    p: &TimeProfile,
    notes: &mut Vec<TimeCheck>,
) -> Time {
    let number = match claims.claim(name) {
        None => return Time::Absent,
        Some(Value::Number(n)) => n,
        Some(other) => return Time::WrongType(type_name(other)),
    };
    match number.as_f64() {
        Some(t) => Time::At(t),
        None if p.huge_times => {
            let text = number.to_string();
            notes.push(TimeCheck {
                check: Check::warn(
                    id,
                    format!("{name} is {text}, beyond any date: the engine (aeson) reads it as a time after (or before) every other"),
                    "strict verifiers (and jwtcheck without a Hasura configuration) reject it as out of range; the issuer should write seconds since the epoch",
                ),
                failure: None,
            });
            Time::At(if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        None => Time::WrongType("a number out of range"),
    }
}

/// `exp`, `nbf` and `iat` against the clock, in the profile's order and words.
pub fn time_checks(claims: &impl ClaimSet, p: &TimeProfile, now: f64) -> Vec<TimeCheck> {
    let skew = p.skew;
    let lw = format!("{} {skew}s", p.skew_name);
    let type_hint = "times are JSON numbers of seconds since the epoch (NumericDate)";
    let (ok, broken) = (TimeCheck::ok, TimeCheck::broken);
    let wrong_type = |id: Id, name: &str, t: &str| {
        ok(Check::fail(
            id,
            format!("{name} is {t}, not a number"),
            type_hint,
        ))
    };
    let mut checks = Vec::with_capacity(4);
    let exp = read_time(claims, Id::Exp, "exp", p, &mut checks);
    checks.push(match exp {
        Time::Absent => ok(p.no_exp.clone()),
        Time::WrongType(t) => wrong_type(Id::Exp, "exp", t),
        Time::At(exp) if now < exp + skew => ok(Check::pass(
            Id::Exp,
            at(&["expires "], exp, now, &["; ", &lw]),
        )),
        Time::At(exp) => broken(
            Check::fail(
                Id::Exp,
                at(&["expired "], exp, now, &["; ", &lw]),
                p.expired_hint,
            ),
            TimeFailure::Expired,
        ),
    });
    let mut notes = Vec::new();
    let nbf = match read_time(claims, Id::Nbf, "nbf", p, &mut notes) {
        Time::Absent => None,
        Time::WrongType(t) => Some(wrong_type(Id::Nbf, "nbf", t)),
        Time::At(nbf) if now >= nbf - skew => Some(ok(Check::pass(
            Id::Nbf,
            if nbf <= now {
                at(&["valid since "], nbf, now, &[])
            } else {
                at(
                    &["not valid before "],
                    nbf,
                    now,
                    &[", accepted within the ", &lw],
                )
            },
        ))),
        Time::At(nbf) => Some(broken(
            Check::fail(
                Id::Nbf,
                at(&["not valid before "], nbf, now, &["; ", &lw]),
                p.not_yet_hint,
            ),
            TimeFailure::NotYetValid,
        )),
    };
    let iat = match read_time(claims, Id::Iat, "iat", p, &mut notes) {
        Time::Absent => None,
        Time::WrongType(t) => Some(wrong_type(Id::Iat, "iat", t)),
        Time::At(iat) if iat > now + skew => Some(broken(
            Check::fail(
                Id::Iat,
                at(&["issued in the future: "], iat, now, &["; ", &lw]),
                p.future_hint,
            ),
            TimeFailure::IssuedInFuture,
        )),
        Time::At(iat) => Some(ok(Check::pass(Id::Iat, at(&["issued "], iat, now, &[])))),
    };
    if p.iat_before_nbf {
        checks.extend(iat.into_iter().chain(nbf));
    } else {
        checks.extend(nbf.into_iter().chain(iat));
    }
    checks.extend(notes);
    checks
}

/// jwtcheck's own time rules: `exp` required unless `--no-exp-required`, `--leeway`.
pub fn strict_times(rules: &Rules) -> TimeProfile {
    TimeProfile {
        skew: rules.leeway,
        skew_name: "leeway",
        no_exp: if rules.require_exp {
            Check::fail(
                Id::Exp,
                "no exp: the token never expires",
                "issuers must set exp; pass --no-exp-required to accept tokens without one",
            )
        } else {
            Check::warn(
                Id::Exp,
                "no exp: the token never expires",
                "accepted because --no-exp-required",
            )
        },
        expired_hint: "get a new token (sign in again or refresh); if clocks disagree, allow skew with --leeway SECONDS",
        not_yet_hint: "the token is not valid yet: wait, or check the clocks of the issuer and this machine",
        future_hint: "the issuer's clock or this machine's is off (Hasura rejects this as JWTIssuedAtFuture); fix the clock or allow skew with --leeway",
        iat_before_nbf: false,
        huge_times: false,
    }
}

/// Time, issuer, audience and Cognito checks, appended to `checks` (the verification's own list:
/// no list of their own to copy from, for every token of a batch).
pub fn claim_checks(claims: &impl ClaimSet, rules: &Rules, now: f64, checks: &mut Vec<Check>) {
    checks.extend(
        time_checks(claims, &strict_times(rules), now)
            .into_iter()
            .map(|t| t.check),
    );
    checks.extend(max_age_check(claims, rules, (rules.leeway, "leeway"), now));
    checks.push(iss_check(claims, rules));
    checks.push(aud_check(claims, rules));
    checks.extend(cognito_checks(claims, rules));
}

/// `--max-age`, as panva/jose's `maxTokenAge`: the token fails when the time since `auth_time`
/// (else `iat`) is beyond the maximum plus the skew; without either claim its age is unknown and
/// it fails. `skew` is the profile's skew and its name (`leeway`, `allowed_skew`). `None` when
/// no maximum is set.
pub fn max_age_check(
    claims: &impl ClaimSet,
    rules: &Rules,
    skew: (f64, &str),
    now: f64,
) -> Option<Check> {
    let max = rules.max_age?;
    let limit = format!("--max-age {}", clock::span(max));
    let (name, value) = match (claims.claim("auth_time"), claims.claim("iat")) {
        (Some(v), _) => ("auth_time", v),
        (None, Some(v)) => ("iat", v),
        (None, None) => {
            return Some(Check::fail(
                Id::MaxAge,
                format!("no auth_time and no iat: the token's age is unknown ({limit})"),
                "the issuer must write auth_time or iat for an age limit; Cognito writes both",
            ));
        }
    };
    let Some(at_secs) = value.as_f64() else {
        return Some(Check::fail(
            Id::MaxAge,
            format!("{name} is {}, not a number", type_name(value)),
            "times are JSON numbers of seconds since the epoch (NumericDate)",
        ));
    };
    let (skew, skew_name) = skew;
    let age = now - at_secs;
    let when = at(&[name, " "], at_secs, now, &[]);
    Some(if age - skew > max {
        Check::fail(
            Id::MaxAge,
            format!("signed in too long ago: {when}, beyond {limit}; {skew_name} {skew}s"),
            if name == "auth_time" {
                "sign in again: refreshed tokens keep the first sign-in's auth_time"
            } else {
                "get a new token (refresh or sign in again), or raise --max-age"
            },
        )
    } else {
        Check::pass(Id::MaxAge, format!("{when}, within {limit}"))
    })
}

fn iss_check(claims: &impl ClaimSet, rules: &Rules) -> Check {
    let iss = claims.claim("iss");
    if rules.issuers.is_empty() {
        return match iss {
            Some(Value::String(s)) => Check::warn(
                Id::Iss,
                format!("issuer not pinned: the token says {s:?}; any issuer would pass"),
                "pin it with --issuer URL or --cognito-pool POOL_ID",
            ),
            Some(other) => Check::fail(
                Id::Iss,
                format!("iss is {}, not a string", type_name(other)),
                "iss is a string (StringOrURI)",
            ),
            None => Check::warn(
                Id::Iss,
                "no iss, and no issuer pinned",
                "pin the issuer with --issuer or --cognito-pool",
            ),
        };
    }
    let expected = rules
        .issuers
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let origin = rules
        .issuer_origin
        .as_ref()
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    match iss {
        Some(Value::String(s)) if rules.issuers.contains(s) && rules.issuer_from_token => {
            Check::warn(
                Id::Iss,
                format!("issuer {s}, taken from the token itself"),
                "any Cognito pool's token would pass this way: pin the pool with --cognito-pool or --issuer",
            )
        }
        Some(Value::String(s)) if rules.issuers.contains(s) => {
            Check::pass(Id::Iss, format!("issuer {s}{origin}"))
        }
        Some(Value::String(s)) => Check::fail(
            Id::Iss,
            format!("issuer is {s:?}, expected {expected}{origin}"),
            rules
                .issuers
                .iter()
                .find_map(|want| issuer_near_miss(s, want))
                .unwrap_or(
                    "the token comes from another issuer (another pool, region or environment)",
                ),
        ),
        Some(other) => Check::fail(
            Id::Iss,
            format!("iss is {}, not a string", type_name(other)),
            "iss is a string (StringOrURI)",
        ),
        None => Check::fail(
            Id::Iss,
            format!("no iss; expected {expected}"),
            "the issuer must name itself in iss",
        ),
    }
}

/// When the token's issuer is the expected one but for a detail that exact comparison (every
/// verifier's, the engine's included) does not forgive: what the detail is.
pub fn issuer_near_miss(got: &str, want: &str) -> Option<&'static str> {
    if got == want {
        return None;
    }
    let bare = |s: &str| s.trim_end_matches('/').to_string();
    if bare(got) == bare(want) {
        return Some("issuers compare exactly: a trailing slash matters");
    }
    if got.eq_ignore_ascii_case(want) {
        return Some("issuers compare exactly: upper and lower case differ");
    }
    let scheme = |s: &str| s.split_once("://").map(|(_, rest)| rest.to_string());
    if scheme(got).is_some() && scheme(got) == scheme(want) {
        return Some("issuers compare exactly: http and https differ");
    }
    if got.trim() == want.trim() {
        return Some("issuers compare exactly: one of them has spaces around it");
    }
    None
}

/// The token's `aud` as a list, or why it is not one (shared by every profile).
pub fn audiences(claims: &impl ClaimSet) -> Result<Option<Vec<&str>>, String> {
    match claims.claim("aud") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(vec![s.as_str()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| format!("aud lists {}, not a string", type_name(i)))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!(
            "aud is {}, not a string or a list of strings",
            type_name(other)
        )),
    }
}

fn aud_check(claims: &impl ClaimSet, rules: &Rules) -> Check {
    let auds = match audiences(claims) {
        Ok(a) => a,
        Err(why) => return Check::fail(Id::Aud, why, "aud is a string or an array of strings"),
    };
    if rules.audiences.is_empty() && !rules.client_ids.is_empty() {
        return Check::skip(
            Id::Aud,
            "checked as the Cognito app client (client_id check)",
        );
    }
    if rules.audiences.is_empty() {
        return match auds {
            Some(a) => Check::warn(
                Id::Aud,
                format!(
                    "audience not pinned: the token is for {}; any audience would pass",
                    a.join(", ")
                ),
                "pin it with --audience (or --client-id for Cognito)",
            ),
            None => Check::skip(Id::Aud, "no aud in the token, and none pinned"),
        };
    }
    let expected = rules.audiences.join(" or ");
    match auds {
        Some(a) if a.iter().any(|x| rules.audiences.iter().any(|e| e == x)) => {
            Check::pass(Id::Aud, format!("audience {}", a.join(", ")))
        }
        Some(a) => Check::fail(
            Id::Aud,
            format!("audience is {}, expected {expected}", a.join(", ")),
            "the token was issued for another client or API",
        ),
        None => {
            let cognito_access =
                claims.claim("token_use").and_then(Value::as_str) == Some("access");
            Check::fail(
                Id::Aud,
                format!("no aud in the token; expected {expected}"),
                if cognito_access {
                    "Cognito access tokens have no aud; they carry client_id: check them with --client-id"
                } else {
                    "the issuer must set aud for this audience check"
                },
            )
        }
    }
}

/// Cognito `token_use` and app client checks (`--token-use`, `--client-id`).
pub fn cognito_checks(claims: &impl ClaimSet, rules: &Rules) -> Vec<Check> {
    let mut checks = Vec::new();
    let token_use = claims.claim("token_use").and_then(Value::as_str);
    if let Some(want) = &rules.token_use {
        checks.push(match token_use {
            Some(t) if t == want => Check::pass(Id::TokenUse, format!("token_use {t}")),
            Some(t) => Check::fail(
                Id::TokenUse,
                format!("this is an {t} token, expected an {want} token"),
                if want == "id" {
                    "send the id token (Cognito puts Hasura claims from a V1 trigger only there)"
                } else {
                    "send the access token"
                },
            ),
            None => Check::fail(
                Id::TokenUse,
                format!("no token_use; expected {want}"),
                "Cognito tokens always carry token_use",
            ),
        });
    }
    if let Some(want) = &rules.nonce {
        checks.push(match claims.claim("nonce").and_then(Value::as_str) {
            Some(got) if got == want => Check::pass(Id::CallbackNonce, "nonce matches this sign-in"),
            got => Check::fail(
                Id::CallbackNonce,
                format!(
                    "the id token's nonce is {}, not the one this sign-in sent",
                    got.map_or("missing".to_string(), |g| format!("{g:?}"))
                ),
                "the token belongs to another sign-in (a replayed or mixed-up response): sign in again",
            ),
        });
    }
    if !rules.client_ids.is_empty() {
        let expected = rules.client_ids.join(" or ");
        let (claim, value) = match token_use {
            Some("access") => ("client_id", claims.claim("client_id")),
            Some("id") => ("aud", claims.claim("aud")),
            _ => match claims.claim("client_id") {
                Some(v) => ("client_id", Some(v)),
                None => ("aud", claims.claim("aud")),
            },
        };
        checks.push(match value {
            Some(Value::String(v)) if rules.client_ids.contains(v) => {
                Check::pass(Id::ClientId, format!("app client {v} ({claim})"))
            }
            Some(Value::String(v)) => Check::fail(
                Id::ClientId,
                format!("app client is {v} ({claim}), expected {expected}"),
                "the token was issued to another app client of the pool",
            ),
            Some(other) => Check::fail(
                Id::ClientId,
                format!("{claim} is {}, not a string", type_name(other)),
                "a Cognito client id is a string",
            ),
            None => Check::fail(
                Id::ClientId,
                format!("no {claim}; expected {expected}"),
                "id tokens name the client in aud, access tokens in client_id",
            ),
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::Map;
    use serde_json::json;

    fn checks_of(claims: &Map<String, Value>, rules: &Rules, now: f64) -> Vec<Check> {
        let mut checks = Vec::new();
        claim_checks(claims, rules, now, &mut checks);
        checks
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn rules() -> Rules {
        Rules {
            require_exp: true,
            ..Rules::default()
        }
    }

    fn status(checks: &[Check], id: &str) -> Option<Status> {
        checks.iter().find(|c| c.id == id).map(|c| c.status)
    }

    #[test]
    fn exp_is_strict_with_leeway() {
        let c = obj(json!({"exp": 100}));
        assert_eq!(
            status(&checks_of(&c, &rules(), 99.9), "exp"),
            Some(Status::Pass)
        );
        assert_eq!(
            status(&checks_of(&c, &rules(), 100.0), "exp"),
            Some(Status::Fail)
        );
        let lenient = Rules {
            leeway: 30.0,
            ..rules()
        };
        assert_eq!(
            status(&checks_of(&c, &lenient, 129.0), "exp"),
            Some(Status::Pass)
        );
        assert_eq!(
            status(&checks_of(&c, &lenient, 130.0), "exp"),
            Some(Status::Fail)
        );
    }

    #[test]
    fn wrong_types_are_named_not_missing() {
        let c = obj(json!({"exp": "4102444800", "aud": 5, "nbf": [1], "iat": null, "iss": 7}));
        let checks = checks_of(
            &c,
            &Rules {
                audiences: vec!["a".into()],
                issuers: vec!["i".into()],
                ..rules()
            },
            0.0,
        );
        let msg = |id: &str| checks.iter().find(|c| c.id == id).unwrap().message.clone();
        assert_eq!(msg("exp"), "exp is a string, not a number");
        assert_eq!(
            msg("aud"),
            "aud is a number, not a string or a list of strings"
        );
        assert_eq!(msg("nbf"), "nbf is an array, not a number");
        assert_eq!(msg("iat"), "iat is null, not a number");
        assert_eq!(msg("iss"), "iss is a number, not a string");
    }

    #[test]
    fn missing_exp_fails_unless_opted_out() {
        let c = obj(json!({}));
        assert_eq!(
            status(&checks_of(&c, &rules(), 0.0), "exp"),
            Some(Status::Fail)
        );
        assert_eq!(
            status(&checks_of(&c, &Rules::default(), 0.0), "exp"),
            Some(Status::Warn)
        );
    }

    #[test]
    fn nbf_and_future_iat() {
        let c = obj(json!({"exp": 1000, "nbf": 50, "iat": 60}));
        let checks = checks_of(&c, &rules(), 40.0);
        assert_eq!(status(&checks, "nbf"), Some(Status::Fail));
        assert_eq!(status(&checks, "iat"), Some(Status::Fail));
        let checks = checks_of(
            &c,
            &Rules {
                leeway: 20.0,
                ..rules()
            },
            40.0,
        );
        assert_eq!(status(&checks, "nbf"), Some(Status::Pass));
        assert_eq!(status(&checks, "iat"), Some(Status::Pass));
    }

    #[test]
    fn audience_any_of_string_or_array() {
        let r = Rules {
            audiences: vec!["b".into(), "c".into()],
            ..rules()
        };
        for (aud, want) in [
            (json!("b"), Status::Pass),
            (json!(["a", "c"]), Status::Pass),
            (json!(["a"]), Status::Fail),
            (json!([]), Status::Fail),
        ] {
            let c = obj(json!({"exp": 10, "aud": aud}));
            assert_eq!(status(&checks_of(&c, &r, 0.0), "aud"), Some(want), "{aud}");
        }
        let c = obj(json!({"exp": 10, "aud": "x"}));
        assert_eq!(
            status(&checks_of(&c, &rules(), 0.0), "aud"),
            Some(Status::Warn)
        );
    }

    #[test]
    fn max_age_reads_auth_time_then_iat_with_the_skew() {
        let r = Rules {
            max_age: Some(3600.0),
            ..rules()
        };
        let check = |c: Value, now: f64| max_age_check(&obj(c), &r, (10.0, "leeway"), now);
        let both = json!({"auth_time": 1000, "iat": 5000});
        assert_eq!(check(both.clone(), 4610.0).unwrap().status, Status::Pass);
        let old = check(both, 4611.0).unwrap();
        assert_eq!(old.status, Status::Fail);
        assert!(
            old.message.starts_with("signed in too long ago: auth_time"),
            "{}",
            old.message
        );
        assert_eq!(
            check(json!({"iat": 1000}), 4611.0).unwrap().status,
            Status::Fail
        );
        assert_eq!(
            check(json!({"iat": 1000}), 4600.0).unwrap().status,
            Status::Pass
        );
        assert_eq!(check(json!({}), 0.0).unwrap().status, Status::Fail);
        let wrong = check(json!({"auth_time": "1000"}), 0.0).unwrap();
        assert_eq!(wrong.message, "auth_time is a string, not a number");
        assert!(max_age_check(&obj(json!({})), &rules(), (0.0, "leeway"), 0.0).is_none());
    }

    #[test]
    fn cognito_client_id_reads_aud_or_client_id() {
        let r = Rules {
            client_ids: vec!["cid".into()],
            token_use: Some("id".into()),
            ..rules()
        };
        let id = obj(json!({"exp": 10, "token_use": "id", "aud": "cid"}));
        assert_eq!(
            status(&checks_of(&id, &r, 0.0), "client_id"),
            Some(Status::Pass)
        );
        let access = obj(json!({"exp": 10, "token_use": "access", "client_id": "cid"}));
        let checks = checks_of(&access, &r, 0.0);
        assert_eq!(status(&checks, "client_id"), Some(Status::Pass));
        assert_eq!(status(&checks, "token_use"), Some(Status::Fail));
    }
}
