//! The first step of every judgement: the text as a token. A text that is not a compact JWS, or
//! whose payload is not a claims set, ends the report as malformed; the decoded token is the
//! report's evidence.

use crate::inspect;
use crate::jose::token::{self, Jws, Payload};
use crate::report::{Check, Id, Report, Verdict};

/// Parses a token into the report (the decoded token as evidence). A text that is not a compact
/// JWS ends the report as malformed.
pub fn parse_into(text: &str, now: f64, report: &mut Report) -> Option<Jws> {
    // A report with evidence shows every claim: built at once, not read twice.
    let parsed = if report.evidence {
        token::parse_whole(text)
    } else {
        token::parse(text)
    };
    match parsed {
        Ok(jws) => {
            if report.evidence {
                report.token = Some(inspect::token_info(&jws, now));
            }
            Some(jws)
        }
        Err(e) => {
            let mut hint = e.hint();
            if looks_like_callback(text) {
                hint = "this looks like a callback URL: run jwtcheck from-url with it".into();
            }
            report
                .checks
                .push(Check::fail(Id::Format, e.to_string(), hint.clone()));
            report.stop(Verdict::Malformed, e.id(), e.to_string(), hint);
            None
        }
    }
}

/// Adds the Hasura claims found under the default namespace (no configuration).
pub fn hasura_default_into(jws: &Jws, report: &mut Report) {
    let (hasura, hasura_checks) = inspect::hasura_default(jws);
    report.checks.extend(hasura_checks);
    if hasura.found
        || report
            .checks
            .iter()
            .any(|c| c.id.as_str().starts_with("hasura."))
    {
        report.hasura = Some(hasura);
    }
}

/// Ends the report as malformed when the payload is not a claims set; returns whether it did.
pub fn payload_not_claims(jws: &Jws, report: &mut Report) -> bool {
    let Payload::Other { problem, .. } = &jws.payload else {
        return false;
    };
    let hint = "a JWT's payload is a JSON object of claims; this token signs something else";
    report
        .checks
        .push(Check::fail(Id::Format, problem.clone(), hint));
    let message = match report.checks.iter().find(|c| c.id == "signature") {
        Some(c) if c.status == crate::report::Status::Pass => {
            format!("{}, but {problem}", c.message)
        }
        _ => problem.clone(),
    };
    report.stop(
        Verdict::Malformed,
        Id::TokenPayloadNotClaims,
        message,
        hint.into(),
    );
    true
}

/// Decodes a token into the report, with the checks `decode` makes. Returns the token when it
/// is a compact JWS whose payload is a claims set; otherwise the report is ended as malformed.
pub fn decode_into(text: &str, now: f64, report: &mut Report) -> Option<Jws> {
    let jws = parse_into(text, now, report)?;
    report.checks.extend(inspect::decode_checks(&jws, now));
    hasura_default_into(&jws, report);
    if payload_not_claims(&jws, report) {
        return None;
    }
    Some(jws)
}

fn looks_like_callback(text: &str) -> bool {
    text.contains("id_token=")
        || text.contains("access_token=")
        || text.contains("code=")
        || text.starts_with("http://")
        || text.starts_with("https://")
}
