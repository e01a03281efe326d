//! The verdict stage: from the checks a run made to its verdict and its first line. Commands say
//! what kind of run it was; the verdict and the summary are decided here and nowhere else
//! (early stops, which end a run before any verdict on the token, use [`Report::stop`]).

use serde_json::Value;

use crate::clock;
use crate::inspect;
use crate::jose::token::Jws;
use crate::report::{Id, Report, Verdict};

/// What the verdict is based on: the kind of run that produced the report.
#[derive(Debug, Clone, Copy)]
pub enum Basis<'a> {
    /// The token was decoded, its signature not checked (`decode`, `from-url --decode`).
    Decoded(&'a Jws),
    /// The token was verified; `hasura` when a Hasura configuration judged it.
    Verified {
        /// The token.
        jws: &'a Jws,
        /// Whether the engine model took part.
        hasura: bool,
    },
    /// The engine answered before it read the token (header, issuer, secret selection), with
    /// the message of its first failing step: that answer is the verdict, whatever else failed.
    EngineRefused {
        /// The first failing step's message.
        message: &'a str,
    },
    /// A key set was listed and linted (`jwks`); `summary` describes it.
    KeySet {
        /// What the key set holds.
        summary: &'a str,
    },
    /// A token was minted and decoded, no Hasura configuration judged it (`mint`): it is
    /// printed, and a failing check is said next to it.
    Minted(&'a Jws),
    /// Something was made or served (`keygen`, `serve-keys`); `summary` says what.
    Done {
        /// What was done.
        summary: &'a str,
    },
}

/// Sets the report's verdict and summary from its checks.
pub fn conclude(report: &mut Report, basis: Basis<'_>, now: f64) {
    let failure = report
        .first_failure()
        .map(|c| (c.id, c.message.to_string()));
    match (basis, failure) {
        (Basis::Decoded(_), Some((_, message))) => reject(report, message),
        (Basis::Decoded(jws), None) => {
            report.verdict = Verdict::Unverified;
            report.summary = format!("{}; signature not verified", describe_token(jws, now));
        }
        (Basis::EngineRefused { message }, _) => {
            report.error = None;
            let engine = judged_by(report);
            reject(report, format!("{engine} rejects this token: {message}"));
        }
        (Basis::Verified { hasura: false, .. }, Some((_, message))) => reject(report, message),
        (Basis::Verified { hasura: true, .. }, Some((id, message))) => {
            let engine_rejects = report
                .hasura
                .as_ref()
                .is_some_and(|h| h.engine_error.is_some());
            let engine = judged_by(report);
            let summary = if engine_rejects {
                format!("{engine} rejects this token: {message}")
            } else {
                format!(
                    "{engine} accepts this token (as role {}), but {id} fails: {message}",
                    role(report)
                )
            };
            reject(report, summary);
        }
        (Basis::Verified { jws, hasura }, None) => {
            report.verdict = Verdict::Valid;
            let (what, mut when) = token_parts(jws, now);
            if when.starts_with("expired") {
                when.push_str(", accepted within the leeway");
            }
            report.summary = if hasura {
                format!(
                    "{} accepts this {what} as role {}; {when}",
                    judged_by(report),
                    role(report)
                )
            } else {
                let mut summary = what;
                summary.push_str(", ");
                summary.push_str(&when);
                summary.push_str("; signature verified");
                if let Some(kid) = report.key.as_ref().and_then(|k| k.kid.as_ref()) {
                    summary.push_str(" by key ");
                    summary.push_str(kid);
                }
                summary
            };
        }
        (Basis::KeySet { summary }, Some((_, message))) => {
            reject(report, format!("{message}; {summary}"));
        }
        (Basis::KeySet { summary }, None) => {
            report.verdict = Verdict::Valid;
            report.summary = summary.to_string();
        }
        (Basis::Minted(jws), failure) => minted(report, jws, failure, now),
        (Basis::Done { summary }, Some((_, message))) => {
            reject(report, format!("{summary}, but {message}"));
        }
        (Basis::Done { summary }, None) => {
            report.verdict = Verdict::Done;
            report.summary = summary.to_string();
        }
    }
}

/// A minted token judged under a Hasura configuration (`mint --hasura-config`): unless it
/// passed, it is not printed, and the summary says so before saying why.
pub fn withheld(report: &mut Report) {
    if report.verdict != Verdict::Valid {
        report.summary = format!("the token is not printed: {}", report.summary);
    }
}

/// A minted token no configuration judged: done, and a failing check said beside it.
fn minted(report: &mut Report, jws: &Jws, failure: Option<(Id, String)>, now: f64) {
    report.verdict = Verdict::Done;
    let (what, when) = token_parts(jws, now);
    let role = report
        .hasura
        .as_ref()
        .and_then(|h| h.default_role.as_ref())
        .map(|r| format!(" with default role {r}"))
        .unwrap_or_default();
    report.summary = match failure {
        Some((id, message)) => format!("minted an {what}{role}, {when}, but {id} fails: {message}"),
        None => format!("minted an {what}{role}, {when}; no Hasura configuration checked it"),
    };
}

fn reject(report: &mut Report, summary: String) {
    report.verdict = Verdict::Invalid;
    report.summary = summary;
}

/// The engine's name as the report says it: "Hasura DDN" for DDN's engine, else "Hasura".
pub(super) fn engine_name(ddn: bool) -> &'static str {
    if ddn { "Hasura DDN" } else { "Hasura" }
}

/// The name of the engine that judged the token in this report.
fn judged_by(report: &Report) -> &'static str {
    engine_name(report.hasura.as_ref().and_then(|h| h.engine.as_deref()) == Some("ddn"))
}

fn role(report: &Report) -> String {
    report
        .hasura
        .as_ref()
        .and_then(|h| h.role.clone())
        .unwrap_or_default()
}

/// A one-line description of a decoded token: `RS256 id token, expires in 42m`.
pub fn describe_token(jws: &Jws, now: f64) -> String {
    let (what, when) = token_parts(jws, now);
    if when.is_empty() {
        what
    } else {
        format!("{what}, {when}")
    }
}

/// `RS256 id token` and `expires in 42m` (empty when the payload is not claims).
pub fn token_parts(jws: &Jws, now: f64) -> (String, String) {
    let alg = jws.alg().unwrap_or("unsigned?");
    // Room for the summary the verdict makes of it (`…, expires in 30m; signature verified by
    // key <a Cognito kid>`), so that it grows in place rather than in three reallocations.
    let mut what = String::with_capacity(128);
    what.push_str(alg);
    what.push(' ');
    if let Some(k) = inspect::kind(jws) {
        what.push_str(k);
        what.push(' ');
    }
    what.push_str("token");
    let exp = jws
        .claims()
        .map(|c| (c.get("exp"), inspect::number(c, "exp")));
    let relative = |verb: &str, exp: f64| {
        let mut time = String::with_capacity(48);
        time.push_str(verb);
        clock::relative_into(&mut time, exp, now);
        time
    };
    let time = match exp {
        Some((_, Some(exp))) if exp > now => relative("expires ", exp),
        Some((_, Some(exp))) => relative("expired ", exp),
        Some((Some(Value::Number(_)), None)) => "exp beyond any date".into(),
        Some(_) => "never expires (no exp)".into(),
        None => String::new(),
    };
    (what, time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Check, HasuraInfo, Id};

    /// `{"alg":"RS256"}.{"exp":2000,"token_use":"id"}.sig`
    fn jws() -> Jws {
        crate::jose::token::parse(
            "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjIwMDAsInRva2VuX3VzZSI6ImlkIn0.c2ln",
        )
        .unwrap()
    }

    #[test]
    fn a_decoded_token_is_unverified_unless_a_check_fails() {
        let jws = jws();
        let mut r = Report::new(1000.0);
        conclude(&mut r, Basis::Decoded(&jws), 1000.0);
        assert_eq!(r.verdict, Verdict::Unverified);
        assert_eq!(
            r.summary,
            "RS256 id token, expires in 16m 40s; signature not verified"
        );
        r.checks.push(Check::fail(Id::Alg, "alg none", "sign it"));
        conclude(&mut r, Basis::Decoded(&jws), 1000.0);
        assert_eq!(
            (r.verdict, r.summary.as_str()),
            (Verdict::Invalid, "alg none")
        );
    }

    #[test]
    fn a_verified_token_names_the_engine_when_it_judged() {
        let jws = jws();
        let mut r = Report::new(3000.0);
        r.hasura = Some(HasuraInfo {
            role: Some("user".into()),
            ..HasuraInfo::default()
        });
        r.checks.push(Check::pass(Id::Signature, "ok"));
        conclude(
            &mut r,
            Basis::Verified {
                jws: &jws,
                hasura: true,
            },
            3000.0,
        );
        assert_eq!(r.verdict, Verdict::Valid);
        assert!(
            r.summary
                .starts_with("Hasura accepts this RS256 id token as role user; expired")
        );
        assert!(r.summary.ends_with(", accepted within the leeway"));

        r.checks
            .push(Check::fail(Id::PolicyExpectRole, "no admin", "add it"));
        conclude(
            &mut r,
            Basis::Verified {
                jws: &jws,
                hasura: true,
            },
            3000.0,
        );
        assert_eq!(
            r.summary,
            "Hasura accepts this token (as role user), but policy.expect_role fails: no admin"
        );
        r.hasura.as_mut().unwrap().engine_error = Some("Could not verify JWT: JWTExpired".into());
        conclude(
            &mut r,
            Basis::Verified {
                jws: &jws,
                hasura: true,
            },
            3000.0,
        );
        assert_eq!(r.summary, "Hasura rejects this token: no admin");
        assert_eq!(r.verdict, Verdict::Invalid);
    }

    #[test]
    fn key_sets_and_early_engine_answers() {
        let mut r = Report::new(0.0);
        conclude(&mut r, Basis::KeySet { summary: "2 keys" }, 0.0);
        assert_eq!((r.verdict, r.summary.as_str()), (Verdict::Valid, "2 keys"));
        r.checks
            .push(Check::fail(Id::LintOct, "an oct key", "remove it"));
        conclude(&mut r, Basis::KeySet { summary: "2 keys" }, 0.0);
        assert_eq!(r.summary, "an oct key; 2 keys");
        conclude(
            &mut r,
            Basis::EngineRefused {
                message: "Malformed Authorization header",
            },
            0.0,
        );
        assert_eq!(
            r.summary,
            "Hasura rejects this token: Malformed Authorization header"
        );
        assert_eq!(r.verdict, Verdict::Invalid);
    }
}
