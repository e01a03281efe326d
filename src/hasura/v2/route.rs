//! Before the token is read: which configured secret applies, by where the token is sent
//! (`Authorization`, a cookie, a custom header) and by its issuer (`processHeaderSimple`).

use super::config::{JwtConfig, Location};
use super::errors::V2Steps;
use super::errors::{INVALID_JWT, response};
use super::hsjose;
use crate::hasura::chars::is_char8_space;
use crate::hasura::evaluation::{Evaluation, Request};
use crate::input::forms::Wrapper;
use crate::jose::claims::issuer_near_miss;
use crate::report::{HasuraInfo, Id};

/// Which of the configured secrets the engine uses for this request, or its error.
pub fn select<'c>(
    configs: &'c [JwtConfig],
    req: &Request<'_>,
) -> Result<(&'c JwtConfig, String), Box<Evaluation>> {
    let mut run = V2Steps::default();
    let Some(pairs) = candidates(configs, req, &mut run) else {
        return Err(stopped(run));
    };
    // Without verifying anything: a configuration matches a token unless both name an issuer
    // and they differ (an unreadable payload matches).
    let (matching, mismatched): (Vec<_>, Vec<_>) =
        pairs
            .into_iter()
            .partition(|(c, raw)| match (&c.issuer, hsjose::issuer_of(raw)) {
                (None, _) | (_, None) => true,
                (Some(want), Some(got)) => *want == got,
            });
    let token_iss = mismatched
        .first()
        .and_then(|(_, raw)| hsjose::issuer_of(raw));
    match matching.as_slice() {
        [(one, raw)] => Ok((one, raw.clone())),
        [] => {
            let want: Vec<String> = mismatched
                .iter()
                .filter_map(|(c, _)| c.issuer.clone())
                .collect();
            run.refuse(
                Id::Iss,
                format!("the token's issuer is {:?}; the configuration expects {}", token_iss.clone().unwrap_or_default(), want.join(" or ")),
                match want
                    .iter()
                    .find_map(|w| issuer_near_miss(token_iss.as_deref().unwrap_or_default(), w))
                {
                    Some(detail) => format!("{detail}: set \"issuer\" to the token's iss exactly (Hasura checks the issuer before the signature or expiry)"),
                    None => "the token comes from another issuer (another pool, region or environment); Hasura checks this before the signature or expiry".into(),
                },
                INVALID_JWT,
                "Could not verify JWT: JWTNotInIssuer",
            );
            Err(stopped(run))
        }
        many => {
            // One configuration, several tokens (the same cookie twice), or several
            // configurations that one token fits.
            let one_config = many
                .first()
                .is_some_and(|(first, _)| many.iter().all(|(c, _)| std::ptr::eq(*c, *first)));
            run.refuse(
                Id::HasuraConfig,
                if one_config {
                    format!("the request carries {} tokens where the configuration looks", many.len())
                } else {
                    format!("{} configurations accept a token from this issuer at this location", many.len())
                },
                if one_config {
                    "send one token: a browser sends the same cookie twice when two paths (or domains) set it; clear the extra one"
                } else {
                    "give each entry of HASURA_GRAPHQL_JWT_SECRETS an issuer (or a different header) so that one matches"
                },
                "invalid-headers",
                "Could not verify JWT: Multiple JWTs found",
            );
            Err(stopped(run))
        }
    }
}

/// The (configuration, token) pairs the engine builds from the request: every cookie of a
/// `Cookie` header named by a configuration, or the one token at the place the input says it
/// is sent; `None` (with the engine's error) when there is none, or the `Authorization`
/// header is malformed.
fn candidates<'c>(
    configs: &'c [JwtConfig],
    req: &Request<'_>,
    run: &mut V2Steps,
) -> Option<Vec<(&'c JwtConfig, String)>> {
    if let Wrapper::Cookie { cookies, .. } = req.wrapper {
        let wanted: Vec<&str> = configs
            .iter()
            .filter_map(|c| match &c.location {
                Location::Cookie(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        let pairs: Vec<(&JwtConfig, String)> = configs
            .iter()
            .flat_map(|c| {
                cookies
                    .iter()
                    .filter(move |(k, _)| matches!(&c.location, Location::Cookie(n) if n == k))
                    .map(move |(_, v)| (c, v.clone()))
            })
            .collect();
        if pairs.is_empty() {
            let names: Vec<&str> = cookies.iter().map(|(k, _)| k.as_str()).collect();
            let (message, hint) = if wanted.is_empty() {
                (
                    "the token is sent in a cookie, where no configuration looks".to_string(),
                    send_it_as(configs),
                )
            } else {
                (
                    format!(
                        "the Cookie header has no cookie named {} (it has {})",
                        wanted.join(" or "),
                        names.join(", ")
                    ),
                    "the engine reads only the cookie the configuration names (names are case-sensitive)".to_string(),
                )
            };
            missing(run, message, hint);
            return None;
        }
        return Some(pairs);
    }
    let presented = presented_at(configs, req.wrapper);
    // `findTokensInHeader` reads a `Cookie` header as cookies before it looks at custom
    // headers: a custom header named Cookie never yields its token.
    if matches!(&presented, Location::CustomHeader(h) if h.eq_ignore_ascii_case("cookie")) {
        missing(
            run,
            "the configuration's custom header is named Cookie, which Hasura reads as cookies, never as a custom header".into(),
            "use {\"type\": \"Cookie\", \"name\": \"<cookie name>\"} for a token in a cookie, or another header name".into(),
        );
        return None;
    }
    let at: Vec<&JwtConfig> = configs
        .iter()
        .filter(|c| same_place(&c.location, &presented))
        .collect();
    if at.is_empty() {
        let message = format!(
            "the token is sent as {}, where no configuration looks",
            presented.describe()
        );
        missing(run, message, send_it_as(configs));
        return None;
    }
    let raw = as_received(&presented, configs, req, run)?;
    Some(at.into_iter().map(|c| (c, raw.clone())).collect())
}

/// The engine found no token where it looks.
fn missing(run: &mut V2Steps, message: String, hint: String) {
    run.refuse(
        Id::HasuraHeader,
        message,
        hint,
        "invalid-headers",
        "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
    );
}

/// Where the (first) configuration expects the token.
fn send_it_as(configs: &[JwtConfig]) -> String {
    format!(
        "send it as {}",
        configs
            .first()
            .map(|c| c.location.describe())
            .unwrap_or_default()
    )
}

/// The token as the engine reads it from where it was sent: an `Authorization` header must say
/// exactly `Bearer <token>` (`Malformed Authorization header`); from a cookie or a custom
/// header the whole value is the token, scheme word included.
fn as_received(
    presented: &Location,
    configs: &[JwtConfig],
    req: &Request<'_>,
    run: &mut V2Steps,
) -> Option<String> {
    match (presented, declared_scheme(configs, req.wrapper)) {
        (Location::Authorization, Some(scheme))
            if scheme != "Bearer" || req.token.bytes().any(is_char8_space) =>
        {
            let what = if scheme.is_empty() {
                "has no scheme".to_string()
            } else if scheme != "Bearer" {
                format!("says {scheme:?}")
            } else {
                "has more than two words".to_string()
            };
            run.refuse(
                Id::HasuraHeader,
                format!(
                    "the Authorization header {what}, and Hasura accepts exactly \"Bearer <token>\""
                ),
                "send 'Authorization: Bearer <token>' (capital B, one space)",
                "invalid-headers",
                "Malformed Authorization header",
            );
            None
        }
        (Location::CustomHeader(_) | Location::Cookie(_), Some(scheme)) if !scheme.is_empty() => {
            Some(format!("{scheme} {}", req.token))
        }
        _ => Some(req.token.to_string()),
    }
}

pub(super) fn stopped(run: V2Steps) -> Box<Evaluation> {
    let info = HasuraInfo {
        engine_error: run.answer.as_ref().map(|e| e.message.clone()),
        engine_code: run.answer.as_ref().map(|e| e.code.to_string()),
        engine_response: run.answer.as_ref().map(response),
        ..HasuraInfo::default()
    };
    Box::new(Evaluation {
        checks: run.checks,
        error: run.answer,
        info,
        key: None,
        undecidable: None,
    })
}

/// Where the user's input says the token is sent: a pasted header line names it; otherwise it
/// is assumed to be sent where the (first) configuration expects it.
pub(super) fn presented_at(configs: &[JwtConfig], wrapper: &Wrapper) -> Location {
    match wrapper {
        Wrapper::Header { name, .. } if name.eq_ignore_ascii_case("authorization") => {
            Location::Authorization
        }
        // A header a configuration names; any other label ("id_token: …") is not taken as
        // where the token is sent.
        Wrapper::Header { name, .. }
            if configs.iter().any(|c| {
                matches!(&c.location, Location::CustomHeader(h) if h.eq_ignore_ascii_case(name))
            }) =>
        {
            Location::CustomHeader(name.to_ascii_lowercase())
        }
        Wrapper::Header { .. } => configs
            .first()
            .map_or(Location::Authorization, |c| c.location.clone()),
        Wrapper::Bearer { .. } => Location::Authorization,
        Wrapper::Cookie { name, .. } => Location::Cookie(name.clone()),
        Wrapper::None => configs
            .first()
            .map_or(Location::Authorization, |c| c.location.clone()),
    }
}

/// The scheme word the user's input shows in front of the token, when the input says where the
/// token is sent (an Authorization or configured header line, or a bare `Bearer …`).
pub(super) fn declared_scheme<'w>(configs: &[JwtConfig], wrapper: &'w Wrapper) -> Option<&'w str> {
    match wrapper {
        Wrapper::Bearer { scheme } => Some(scheme),
        Wrapper::Header { name, scheme }
            if name.eq_ignore_ascii_case("authorization")
                || configs.iter().any(|c| {
                    matches!(&c.location, Location::CustomHeader(h) if h.eq_ignore_ascii_case(name))
                }) =>
        {
            Some(scheme)
        }
        _ => None,
    }
}

/// Whether two locations are the same place in a request.
pub fn same_place(a: &Location, b: &Location) -> bool {
    match (a, b) {
        (Location::Authorization, Location::Authorization) => true,
        (Location::Cookie(x), Location::Cookie(y)) => x == y,
        (Location::CustomHeader(x), Location::CustomHeader(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    }
}
