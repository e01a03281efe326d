//! Where DDN finds the token (`get_authorization_token`): the `Authorization` header split on
//! whitespace into exactly `Bearer` and the token, the whole value of a named header, or the
//! first cookie of the `Cookie` header (the `cookie` crate's `Cookie::parse` reads one cookie;
//! the rest of the header are attributes to it), which must carry the configured name.

use super::{Answer, DdnConfig, DdnSteps, TokenLocation};
use crate::hasura::evaluation::Request;
use crate::input::forms::Wrapper;
use crate::report::Id;

/// The request's headers as the user gave them: name (as written) and value.
fn headers(req: &Request<'_>, cfg: &DdnConfig) -> Vec<(String, String)> {
    match req.wrapper {
        // A bare token: sent where the configuration looks.
        Wrapper::None => vec![match &cfg.location {
            TokenLocation::Bearer => ("Authorization".into(), format!("Bearer {}", req.token)),
            TokenLocation::Header(n) => (n.clone(), req.token.to_string()),
            TokenLocation::Cookie(n) => ("Cookie".into(), format!("{n}={}", req.token)),
        }],
        Wrapper::Bearer { scheme } => {
            vec![("Authorization".into(), format!("{scheme} {}", req.token))]
        }
        Wrapper::Header { name, scheme } if scheme.is_empty() => {
            vec![(name.clone(), req.token.to_string())]
        }
        Wrapper::Header { name, scheme } => vec![(name.clone(), format!("{scheme} {}", req.token))],
        Wrapper::Cookie { header, .. } => vec![("Cookie".into(), header.clone())],
    }
}

/// The header `name` (case-insensitively, as `HeaderMap::get`), the first if repeated.
fn get<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `HeaderValue::to_str`: visible ASCII and tabs only.
fn to_str(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// The token as the engine extracts it, or its error.
pub(super) fn token(cfg: &DdnConfig, req: &Request<'_>, steps: &mut DdnSteps) -> Option<String> {
    let headers = headers(req, cfg);
    let (header_name, want) = match &cfg.location {
        TokenLocation::Bearer => ("Authorization".to_string(), "Authorization"),
        TokenLocation::Header(n) => (n.clone(), n.as_str()),
        TokenLocation::Cookie(_) => ("Cookie".to_string(), "Cookie"),
    };
    let Some(value) = get(&headers, want) else {
        let sent = headers.first().map(|(n, _)| n.clone()).unwrap_or_default();
        let (message, answer) = match &cfg.location {
            TokenLocation::Cookie(_) => (
                format!("the token is sent in {sent}, but the AuthConfig reads a Cookie header"),
                Answer::bad_request("JWT Authorization token source: Cookie header not found"),
            ),
            _ => (
                format!("the token is sent in {sent}, but the AuthConfig reads {header_name}"),
                Answer::bad_request(format!(
                    "JWT Authorization token source: Header name {header_name} not found."
                )),
            ),
        };
        steps.fail(
            Id::HasuraHeader,
            message,
            format!("send it as {}", cfg.location.describe()),
            answer,
        );
        return None;
    };
    if !to_str(value) {
        steps.fail(
            Id::HasuraHeader,
            format!("the {header_name} header holds characters other than visible ASCII"),
            "a JWT is ASCII; remove what was pasted around it",
            Answer::bad_request(format!(
                "Error in parsing the {header_name} header: failed to convert header to a str"
            )),
        );
        return None;
    }
    let token = match &cfg.location {
        TokenLocation::Bearer => bearer(value, steps)?,
        TokenLocation::Header(_) => value.to_string(),
        TokenLocation::Cookie(name) => cookie(value, name, steps)?,
    };
    steps.pass(
        Id::HasuraHeader,
        format!("sent as {}", cfg.location.describe()),
    );
    Some(token)
}

fn bearer(value: &str, steps: &mut DdnSteps) -> Option<String> {
    match value.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["Bearer", token] => Some((*token).to_string()),
        words => {
            let what = match words.first() {
                None => "is empty".to_string(),
                Some(&w) if w != "Bearer" => format!("says {w:?}"),
                Some(_) if words.len() == 1 => "has no token after Bearer".to_string(),
                Some(_) => format!("has {} words", words.len()),
            };
            steps.fail(
                Id::HasuraHeader,
                format!("the Authorization header {what}; DDN accepts exactly \"Bearer <token>\""),
                "send 'Authorization: Bearer <token>' (capital B)",
                Answer::bad_request(
                    "Error in parsing the Authorization header: The `Authorization` header is expected to be in the format of `Bearer <JWT>`",
                ),
            );
            None
        }
    }
}

/// `Cookie::parse` over the whole header: the first `name=value` pair (both trimmed).
fn cookie(header: &str, want: &str, steps: &mut DdnSteps) -> Option<String> {
    let first = header.split(';').next().unwrap_or_default();
    let parse_error = |steps: &mut DdnSteps, what: &str| {
        steps.fail(
            Id::HasuraHeader,
            format!("the Cookie header's first cookie {what}"),
            format!("send the token as the first cookie: Cookie: {want}=<token>"),
            Answer::bad_request(format!("Error in parsing the Cookie header value: {what}")),
        );
    };
    let Some((name, value)) = first.split_once('=') else {
        parse_error(steps, "the cookie is missing a name/value pair");
        return None;
    };
    let name = name.trim();
    if name.is_empty() {
        parse_error(steps, "the cookie's name is empty");
        return None;
    }
    if name != want {
        let later = header
            .split(';')
            .skip(1)
            .any(|p| p.split_once('=').is_some_and(|(n, _)| n.trim() == want));
        steps.fail(
            Id::HasuraHeader,
            if later {
                format!("the cookie {want} is not the first of the Cookie header (the first is {name}); DDN reads only the first cookie")
            } else {
                format!("the Cookie header's first cookie is {name}, not {want}")
            },
            format!("DDN reads only the first cookie of the Cookie header: send Cookie: {want}=<token> first (names are case-sensitive)"),
            Answer::bad_request(format!(
                "JWT Authorization token source: cookie name {want} not found in the Cookie header"
            )),
        );
        return None;
    }
    Some(value.trim().to_string())
}
