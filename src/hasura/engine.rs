//! Hasura GraphQL Engine's verdict on a token under a JWT configuration, step by step in the
//! engine's own order, with the error code and message it would return.
//!
//! Pure: the configuration(s), the keys, the request (token, how it was sent, `x-hasura-role`)
//! and the clock go in; checks, the engine's error (the first failing step) and the session come
//! out. Sources: research/hasura-jwt.md §2–§3 and the engine's JWT.hs (`processJwt_`,
//! `processHeaderSimple`, `verifyJwt`, `parseClaimsMap`, `parseHasuraClaims`).

use crate::report::Id;
use serde_json::{Map, Value};

use super::aeson;
use super::claims::{self as hclaims, Format, Shape};
use super::config::{Claims, ClaimsMap, JwtConfig, KeyConfig, Location, MapValue, Namespace};
use super::jose::{self, Decoded};
use crate::input::forms::Wrapper;
use crate::jose::claims::{TimeFailure, TimeProfile, audiences, time_checks};
use crate::jose::crypto::{self, Alg, CryptoError, Family};
use crate::jose::jwk::{Key, Material};
use crate::jose::select::{self as keys_select, KeyRule, key_info};
use crate::report::{Check, HasuraInfo, KeyInfo, Status};

/// Whether session-variable names in messages are quoted (engine builds from commit 2e907f10
/// on) or not (every earlier release, and every test and user report seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Messages {
    /// `JWT claim does not contain x-hasura-allowed-roles`.
    #[default]
    Unquoted,
    /// `JWT claim does not contain "x-hasura-allowed-roles"`.
    Quoted,
}

impl Messages {
    fn name(self, n: &str) -> String {
        match self {
            Messages::Unquoted => n.to_string(),
            Messages::Quoted => format!("\"{n}\""),
        }
    }
}

/// The error the engine returns: an error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// `invalid-jwt`, `jwt-invalid-claims`, `jwt-missing-role-claims`, `invalid-headers`,
    /// `access-denied`.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl EngineError {
    /// The body the engine answers on `/v1/graphql` (HTTP 200).
    pub fn response(&self) -> String {
        serde_json::json!({"errors": [{"extensions": {"path": "$", "code": self.code}, "message": self.message}]})
            .to_string()
    }
}

/// The request as the engine receives it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The token text.
    pub token: &'a str,
    /// How the user gave it (a header line tells where it is sent).
    pub wrapper: &'a Wrapper,
    /// The `x-hasura-role` request header.
    pub role: Option<&'a str>,
}

/// The engine's verdict and the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// One check per step.
    pub checks: Vec<Check>,
    /// The first failing step's error: what the engine returns.
    pub error: Option<EngineError>,
    /// Claims, roles and session.
    pub info: HasuraInfo,
    /// The key that verified the signature.
    pub key: Option<KeyInfo>,
    /// Set when jwtcheck cannot reproduce a step (an algorithm or key it cannot check).
    pub undecidable: Option<String>,
}

struct Run {
    checks: Vec<Check>,
    error: Option<EngineError>,
}

impl Run {
    fn fail(
        &mut self,
        id: Id,
        message: impl Into<String>,
        hint: impl Into<String>,
        code: &'static str,
        engine: impl Into<String>,
    ) {
        self.fail_with(Check::fail(id, message, hint), code, engine);
    }

    /// A failing check that is the engine's error when it is the first.
    fn fail_with(&mut self, check: Check, code: &'static str, engine: impl Into<String>) {
        self.checks.push(check);
        if self.error.is_none() {
            self.error = Some(EngineError {
                code,
                message: engine.into(),
            });
        }
    }

    fn push(&mut self, c: Check) {
        self.checks.push(c);
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }
}

const INVALID_JWT: &str = "invalid-jwt";
const INVALID_CLAIMS: &str = "jwt-invalid-claims";
const MISSING_ROLE: &str = "jwt-missing-role-claims";

/// Which of the configured secrets the engine uses for this request, or its error.
pub fn select<'c>(
    configs: &'c [JwtConfig],
    req: &Request<'_>,
) -> Result<(&'c JwtConfig, String), Box<Evaluation>> {
    let mut run = Run {
        checks: Vec::new(),
        error: None,
    };
    let presented = presented_at(configs, req.wrapper);
    let candidates: Vec<&JwtConfig> = configs
        .iter()
        .filter(|c| same_place(&c.location, &presented))
        .collect();
    if candidates.is_empty() {
        run.fail(
            Id::HasuraHeader,
            format!(
                "the token is sent as {}, where no configuration looks",
                presented.describe()
            ),
            format!(
                "send it as {}",
                configs
                    .first()
                    .map(|c| c.location.describe())
                    .unwrap_or_default()
            ),
            "invalid-headers",
            "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
        );
        return Err(stopped(run));
    }
    let mut raw = req.token.to_string();
    match (&presented, declared_scheme(configs, req.wrapper)) {
        (Location::Authorization, Some(scheme))
            if scheme != "Bearer" || req.token.contains(char::is_whitespace) =>
        {
            let what = if scheme.is_empty() {
                "has no scheme".to_string()
            } else if scheme != "Bearer" {
                format!("says {scheme:?}")
            } else {
                "has more than two words".to_string()
            };
            run.fail(
                Id::HasuraHeader,
                format!(
                    "the Authorization header {what}, and Hasura accepts exactly \"Bearer <token>\""
                ),
                "send 'Authorization: Bearer <token>' (capital B, one space)",
                "invalid-headers",
                "Malformed Authorization header",
            );
            return Err(stopped(run));
        }
        (Location::CustomHeader(_) | Location::Cookie(_), Some(scheme)) if !scheme.is_empty() => {
            raw = format!("{scheme} {}", req.token);
        }
        _ => {}
    }
    let token_iss = jose::issuer_of(&raw);
    let (matching, mismatched): (Vec<&JwtConfig>, Vec<&JwtConfig>) = candidates
        .into_iter()
        .partition(|c| match (&c.issuer, &token_iss) {
            (None, _) | (_, None) => true,
            (Some(want), Some(got)) => want == got,
        });
    match matching.as_slice() {
        [one] => Ok((one, raw)),
        [] => {
            let want: Vec<String> = mismatched.iter().filter_map(|c| c.issuer.clone()).collect();
            run.fail(
                Id::Iss,
                format!("the token's issuer is {:?}; the configuration expects {}", token_iss.unwrap_or_default(), want.join(" or ")),
                "the token comes from another issuer (another pool, region or environment); Hasura checks this before the signature or expiry",
                INVALID_JWT,
                "Could not verify JWT: JWTNotInIssuer",
            );
            Err(stopped(run))
        }
        many => {
            run.fail(
                Id::HasuraConfig,
                format!("{} configurations accept a token from this issuer at this location", many.len()),
                "give each entry of HASURA_GRAPHQL_JWT_SECRETS an issuer (or a different header) so that one matches",
                "invalid-headers",
                "Could not verify JWT: Multiple JWTs found",
            );
            Err(stopped(run))
        }
    }
}

fn stopped(run: Run) -> Box<Evaluation> {
    let info = HasuraInfo {
        engine_error: run.error.as_ref().map(|e| e.message.clone()),
        engine_code: run.error.as_ref().map(|e| e.code.to_string()),
        engine_response: run.error.as_ref().map(EngineError::response),
        ..HasuraInfo::default()
    };
    Box::new(Evaluation {
        checks: run.checks,
        error: run.error,
        info,
        key: None,
        undecidable: None,
    })
}

/// Where the user's input says the token is sent: a pasted header line names it; otherwise it
/// is assumed to be sent where the (first) configuration expects it.
fn presented_at(configs: &[JwtConfig], wrapper: &Wrapper) -> Location {
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
        Wrapper::Cookie { name } => Location::Cookie(name.clone()),
        Wrapper::None => configs
            .first()
            .map_or(Location::Authorization, |c| c.location.clone()),
    }
}

/// The scheme word the user's input shows in front of the token, when the input says where the
/// token is sent (an Authorization or configured header line, or a bare `Bearer …`).
fn declared_scheme<'w>(configs: &[JwtConfig], wrapper: &'w Wrapper) -> Option<&'w str> {
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

/// Evaluates the token (as the engine reads it: `raw`) under one configuration.
pub fn evaluate(
    cfg: &JwtConfig,
    keys: &[Key],
    raw: &str,
    role: Option<&str>,
    now: f64,
    messages: Messages,
) -> Evaluation {
    let mut run = Run {
        checks: Vec::new(),
        error: None,
    };
    let mut info = HasuraInfo {
        location: match &cfg.claims {
            Claims::Namespace { ns, .. } => ns.describe(),
            Claims::Map(_) => "claims_map".into(),
        },
        ..HasuraInfo::default()
    };
    let mut eval = Evaluation {
        checks: Vec::new(),
        error: None,
        info: HasuraInfo::default(),
        key: None,
        undecidable: None,
    };
    run.push(Check::pass(
        Id::HasuraHeader,
        format!("sent as {}", cfg.location.describe()),
    ));

    let decoded = match jose::decode(raw) {
        Ok(d) => d,
        Err(e) => {
            run.fail(
                e.about,
                format!("Hasura cannot decode the token: {}", e.plain),
                "the token was damaged or is not a signed JWT; copy it again from the source",
                INVALID_JWT,
                format!("Could not verify JWT: {}", e.shown),
            );
            return finish(eval, run, info);
        }
    };
    signature(cfg, keys, &decoded, &mut run, &mut eval);
    times(cfg, &decoded.claims, now, &mut run);
    issuer_and_audience(cfg, &decoded.claims, &mut run);
    if let Some(session) = extract(cfg, &decoded.claims, &mut run, &mut info, messages) {
        roles_and_session(session, role, &mut run, &mut info, messages);
    }
    finish(eval, run, info)
}

fn finish(mut eval: Evaluation, run: Run, mut info: HasuraInfo) -> Evaluation {
    info.engine_error = run.error.as_ref().map(|e| e.message.clone());
    info.engine_code = run.error.as_ref().map(|e| e.code.to_string());
    info.engine_response = run.error.as_ref().map(EngineError::response);
    if run.error.is_some() {
        // A rejected request has no session.
        info.role = None;
        info.session_variables.clear();
    }
    eval.checks = run.checks;
    eval.error = run.error;
    eval.info = info;
    eval
}

/// jose's key compatibility: the family must fit, an HMAC key must be at least as long as the
/// hash; `kid`, `use`, `key_ops` and a JWK's `alg` are ignored.
fn signature(cfg: &JwtConfig, keys: &[Key], d: &Decoded, run: &mut Run, eval: &mut Evaluation) {
    if d.alg == "none" {
        run.fail(
            Id::Alg,
            "alg none: an unsecured token",
            "Hasura accepts only signed tokens",
            INVALID_JWT,
            "Could not verify JWT: JWSError JWSNoSignatures",
        );
        return;
    }
    if keys.is_empty() {
        run.fail(
            Id::Key,
            "the key set is empty",
            "with jwk_url, Hasura has no keys until its first fetch (about a second after startup) or when the URL serves none",
            INVALID_JWT,
            "Could not verify JWT: JWSError NoUsableKeys",
        );
        return;
    }
    let Some(alg) = Alg::parse(&d.alg) else {
        eval.undecidable = Some(format!(
            "jwtcheck cannot check {} signatures, which Hasura can",
            d.alg
        ));
        run.push(Check::skip(
            Id::Signature,
            format!("{} signatures cannot be checked by jwtcheck", d.alg),
        ));
        return;
    };
    let mut weak = false;
    let candidates = keys_select::select(&d.header, alg, keys, KeyRule::EveryKey).candidates;
    let verified = candidates.into_iter().find(|k| {
        match crypto::verify(alg, k, d.signing_input.as_bytes(), &d.signature) {
            Ok(ok) => ok,
            Err(CryptoError::WeakRsa(_)) => {
                weak = true;
                false
            }
            Err(_) => false,
        }
    });
    let token_kid = d.header.get("kid").and_then(Value::as_str);
    match verified {
        Some(k) => {
            let which = k
                .kid
                .as_ref()
                .map(|kid| format!("key {kid:?}"))
                .unwrap_or_else(|| "the configured key".into());
            run.push(Check::pass(
                Id::Signature,
                format!("{} signature verified with {which}", alg.name()),
            ));
            if let (Some(tk), Some(kk)) = (token_kid, &k.kid)
                && tk != kk
            {
                run.push(Check::warn(
                    Id::Key,
                    format!("the token names kid {tk:?}, but key {kk:?} verified it"),
                    "Hasura ignores kid and tries every key; a strict verifier would reject this token",
                ));
            }
            eval.key = Some(key_info(k, alg, source_of(cfg), None));
        }
        None if weak => {
            eval.undecidable = Some(
                "the key set has RSA keys under 2048 bits, which jwtcheck cannot verify with"
                    .into(),
            );
            run.push(Check::skip(
                Id::Signature,
                "RSA keys under 2048 bits cannot be checked by jwtcheck",
            ));
        }
        None => {
            let kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
            let hint = match token_kid {
                Some(tk) if !kids.is_empty() && !kids.contains(&tk) => format!(
                    "the token's kid {tk:?} is not in the key set ({}): it was signed by another pool or by a key Hasura has not fetched yet (Hasura refetches jwk_url only as its caching headers say, and never on an unknown kid)",
                    kids.join(", ")
                ),
                _ if alg.family() == Family::Hmac
                    && keys.iter().all(|k| Family::of(k) != Family::Hmac) =>
                {
                    format!(
                        "alg {} needs an HMAC secret, but the configured keys are public keys: this token is forged or meant for another configuration",
                        alg.name()
                    )
                }
                _ if alg.hmac_min_len().is_some_and(|min| {
                    keys.iter()
                        .any(|k| matches!(&k.material, Material::Secret(s) if s.len() < min))
                }) =>
                {
                    format!(
                        "an HMAC key is shorter than the {} bytes {} needs: the engine counts it as a key that does not verify",
                        alg.hmac_min_len().unwrap_or_default(),
                        alg.name()
                    )
                }
                _ => "the token was altered, or signed by a key that is not in the configuration"
                    .into(),
            };
            run.fail(
                Id::Signature,
                format!("no configured key verifies the {} signature", alg.name()),
                hint,
                INVALID_JWT,
                "Could not verify JWT: JWSError JWSInvalidSignature",
            );
        }
    }
}

fn source_of(cfg: &JwtConfig) -> String {
    match &cfg.key {
        KeyConfig::Url(u) => format!("jwk_url {u}"),
        KeyConfig::Static { alg_type, .. } => format!("the configuration's key ({alg_type})"),
    }
}

/// The engine's time rules (jose's `validateClaimsSet`): `exp` optional, `allowed_skew` on
/// every time, `iat` checked before `nbf`.
fn time_profile(cfg: &JwtConfig) -> TimeProfile {
    TimeProfile {
        skew: cfg.skew(),
        skew_name: "allowed_skew",
        no_exp: Check::warn(
            Id::Exp,
            "no exp: Hasura accepts a token that never expires",
            "issuers should always set exp",
        ),
        expired_hint: "get a new token (sign in again or refresh); if clocks disagree, raise allowed_skew",
        not_yet_hint: "wait, or check the clocks (allowed_skew)",
        future_hint: "the issuer's clock or Hasura's is off: fix the clock or set allowed_skew",
        iat_before_nbf: true,
    }
}

fn times(cfg: &JwtConfig, claims: &Map<String, Value>, now: f64, run: &mut Run) {
    for t in time_checks(claims, &time_profile(cfg), now) {
        match t.failure {
            None => run.push(t.check),
            Some(failure) => {
                let engine = match failure {
                    TimeFailure::Expired => "Could not verify JWT: JWTExpired",
                    TimeFailure::NotYetValid => "Could not verify JWT: JWTNotYetValid",
                    TimeFailure::IssuedInFuture => "Could not verify JWT: JWTIssuedAtFuture",
                };
                run.fail_with(t.check, INVALID_JWT, engine);
            }
        }
    }
}

fn issuer_and_audience(cfg: &JwtConfig, claims: &Map<String, Value>, run: &mut Run) {
    let iss = claims.get("iss").and_then(Value::as_str);
    match (&cfg.issuer, iss) {
        (Some(want), Some(got)) if want != got => run.fail(
            Id::Iss,
            format!("issuer is {got:?}, the configuration expects {want:?}"),
            "the token comes from another issuer",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInIssuer",
        ),
        (Some(want), Some(_)) => run.push(Check::pass(Id::Iss, format!("issuer {want}"))),
        (Some(want), None) => run.push(Check::warn(
            Id::Iss,
            format!("no iss in the token: Hasura's issuer check ({want}) lets it through"),
            "tokens should name their issuer",
        )),
        (None, got) => run.push(Check::warn(
            Id::Iss,
            match got {
                Some(g) => format!("no issuer in the configuration: Hasura accepts any issuer (the token says {g:?})"),
                None => "no issuer in the configuration, and none in the token".to_string(),
            },
            "set \"issuer\" in HASURA_GRAPHQL_JWT_SECRET",
        )),
    }
    // jose has read aud as StringOrURI or a list of them before this step.
    let aud = audiences(claims).ok().flatten();
    let access = claims.get("token_use").and_then(Value::as_str) == Some("access");
    match (&cfg.audience, aud) {
        (Some(want), Some(got)) if got.iter().any(|a| want.iter().any(|w| w == a)) => {
            run.push(Check::pass(Id::Aud, format!("audience {}", got.join(", "))));
        }
        (_, Some(got)) if got.is_empty() => run.fail(
            Id::Aud,
            "aud is an empty list, which no audience check passes",
            "remove aud or list the audience",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInAudience",
        ),
        (Some(want), Some(got)) => run.fail(
            Id::Aud,
            format!("audience is {}, the configuration expects {}", got.join(", "), want.join(" or ")),
            "the token was issued for another app client; for Cognito, the audience is the app client id",
            INVALID_JWT,
            "Could not verify JWT: JWTNotInAudience",
        ),
        (Some(want), None) => run.push(Check::warn(
            Id::Aud,
            format!("no aud in the token: Hasura's audience check ({}) lets it through", want.join(", ")),
            if access {
                "Cognito access tokens have no aud (they carry client_id), so the audience setting does not restrict them: any app client's access token passes"
            } else {
                "tokens without aud pass any audience setting"
            },
        )),
        (None, Some(got)) => run.push(Check::warn(
            Id::Aud,
            format!("no audience in the configuration: Hasura accepts any audience (the token is for {})", got.join(", ")),
            "set \"audience\" to the app client id so that tokens of other clients are refused",
        )),
        (None, None) => {}
    }
}

const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// The session-variable map the engine extracts, or `None` when extraction fails.
fn extract(
    cfg: &JwtConfig,
    claims: &Map<String, Value>,
    run: &mut Run,
    info: &mut HasuraInfo,
    m: Messages,
) -> Option<Vec<(String, Value)>> {
    match &cfg.claims {
        Claims::Namespace { ns, format } => namespace_mode(ns, *format, claims, run, info),
        Claims::Map(map) => claims_map_mode(map, claims, run, info, m),
    }
}

fn namespace_mode(
    ns: &Namespace,
    format: Format,
    claims: &Map<String, Value>,
    run: &mut Run,
    info: &mut HasuraInfo,
) -> Option<Vec<(String, Value)>> {
    let unregistered: Map<String, Value> = claims
        .iter()
        .filter(|(k, _)| !REGISTERED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let as_value = Value::Object(unregistered);
    let found = match ns {
        Namespace::Key(k) => as_value.get(k),
        Namespace::Path(p) => p.eval(&as_value),
    };
    let Some(value) = found else {
        let engine = match ns {
            Namespace::Key(k) => format!("claims key: '{k}' not found"),
            Namespace::Path(p) => format!(
                "claims not found at claims_namespace_path: '{}'",
                p.encode()
            ),
        };
        run.fail(
            Id::HasuraNamespace,
            format!("no claims at {}", ns.describe()),
            where_are_they(claims, format),
            INVALID_CLAIMS,
            engine,
        );
        return None;
    };
    info.found = true;
    let shape = hclaims::shape(value);
    if let Shape::Claims {
        inner_duplicates, ..
    } = &shape
    {
        for path in inner_duplicates {
            run.push(Check::warn(
                Id::Format,
                format!("duplicate member name {path} inside the stringified claims"),
                "Hasura uses the first value, other parsers the last: the claims are ambiguous; fix the trigger that builds them",
            ));
        }
    }
    if let Shape::Claims {
        format: found_format,
        ..
    } = &shape
    {
        info.claims_format = Some(found_format.as_str().to_string());
    }
    let object = match (format, value, shape) {
        (Format::Json, Value::Object(o), _) => o.clone(),
        (Format::StringifiedJson, Value::String(_), Shape::Claims { claims, .. }) => {
            first_wins_object(value).unwrap_or(claims)
        }
        (Format::StringifiedJson, Value::String(s), _) => {
            run.fail(
                Id::HasuraFormat,
                "the claims are a string, but not one holding a JSON object",
                "with claims_format stringified_json, the claim must be a string such as \"{\\\"x-hasura-default-role\\\":\\\"user\\\",…}\"",
                INVALID_CLAIMS,
                format!("expecting stringified json at: '{}', but found: {s}", ns.describe()),
            );
            return None;
        }
        (Format::StringifiedJson, _, shape) => {
            let hint = match shape {
                Shape::Claims {
                    format: Format::Json,
                    ..
                } => {
                    "the claims are a JSON object: set \"claims_format\": \"json\" (or remove it; json is the default)"
                }
                _ => "the claim must be a string holding a JSON object",
            };
            run.fail(
                Id::HasuraFormat,
                format!(
                    "the claims are {}, but claims_format is stringified_json",
                    crate::jose::json::type_name(value)
                ),
                hint,
                INVALID_CLAIMS,
                "expecting a string when claims_format is stringified_json",
            );
            return None;
        }
        (Format::Json, _, shape) => {
            let stringified = matches!(
                shape,
                Shape::Claims {
                    format: Format::StringifiedJson,
                    ..
                }
            );
            let (what, hint) = if stringified {
                (
                    "stringified JSON (a string holding an object)".to_string(),
                    "a Cognito Pre Token Generation V1 trigger can only write strings: set \"claims_format\": \"stringified_json\"",
                )
            } else {
                (
                    crate::jose::json::type_name(value).to_string(),
                    "the claim must be a JSON object of x-hasura-* members",
                )
            };
            run.fail(
                Id::HasuraFormat,
                format!("the claims are {what}, but claims_format is json"),
                hint,
                INVALID_CLAIMS,
                "expecting a json object when claims_format is json",
            );
            return None;
        }
    };
    run.push(Check::pass(
        Id::HasuraFormat,
        format!(
            "claims at {} are {} as configured",
            ns.describe(),
            match format {
                Format::Json => "a JSON object",
                Format::StringifiedJson => "a JSON string holding an object",
            }
        ),
    ));
    Some(session_members(&object))
}

/// A stringified object parsed as aeson would (first of duplicates kept).
fn first_wins_object(v: &Value) -> Option<Map<String, Value>> {
    let s = v.as_str()?;
    match crate::jose::json::parse_first_wins(s.as_bytes())
        .ok()?
        .value
    {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The engine's `parseObjectAsClaims`: `x-hasura-*` members, names case-folded; of names
/// equal but for case, the one that sorts last wins.
fn session_members(object: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut sorted: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(k, _)| hclaims::is_session_variable(k))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Vec<(String, Value)> = Vec::new();
    for (k, v) in sorted {
        let lower = k.to_lowercase();
        match out.iter_mut().find(|(n, _)| *n == lower) {
            Some(slot) => slot.1 = v.clone(),
            None => out.push((lower, v.clone())),
        }
    }
    out
}

fn where_are_they(claims: &Map<String, Value>, configured: Format) -> String {
    let sightings = hclaims::sightings(claims);
    if let Some(s) = sightings.first() {
        let format_fix = if s.format != configured {
            format!(" and \"claims_format\": \"{}\"", s.format.as_str())
        } else {
            String::new()
        };
        return match &s.namespace {
            Some(ns) if s.depth == 1 => {
                format!(
                    "the x-hasura-* claims are at {} ({}): set \"claims_namespace\": {ns:?}{format_fix}",
                    s.path,
                    s.format.as_str()
                )
            }
            _ => format!(
                "the x-hasura-* claims are at {} ({}): set \"claims_namespace_path\": {:?}{format_fix}",
                s.path,
                s.format.as_str(),
                s.path
            ),
        };
    }
    if claims.get("token_use").and_then(Value::as_str) == Some("access") {
        return "this is a Cognito access token: a Pre Token Generation V1 trigger adds claims only to the id token. Send the id token, or switch the trigger to V2/V3 (Essentials or Plus) to customise access tokens".into();
    }
    "the token has no x-hasura-* claims: add them in the Cognito Pre Token Generation trigger (or map existing claims with claims_map)".into()
}

fn claims_map_mode(
    map: &ClaimsMap,
    claims: &Map<String, Value>,
    run: &mut Run,
    info: &mut HasuraInfo,
    m: Messages,
) -> Option<Vec<(String, Value)>> {
    // jose re-encodes the claims set: a one-element aud becomes a string.
    let mut whole = claims.clone();
    if let Some(Value::Array(a)) = whole.get("aud")
        && a.len() == 1
    {
        let single = a[0].clone();
        whole.insert("aud".into(), single);
    }
    let whole = Value::Object(whole);
    info.found = true;
    let allowed = match &map.allowed_roles {
        MapValue::Static(r) => Value::from(r.clone()),
        MapValue::Path(p, default) => match p.eval(&whole) {
            Some(v) => match aeson::roles(v) {
                Ok(r) => Value::from(r),
                Err(e) => {
                    let name = m.name("x-hasura-allowed-roles");
                    run.fail(
                        Id::HasuraAllowedRoles,
                        format!(
                            "x-hasura-allowed-roles at {} is not a list of role names: {e}",
                            p.encode()
                        ),
                        "make it a JSON array of non-empty strings",
                        INVALID_CLAIMS,
                        format!("invalid {name}; should be a list of roles: {e}"),
                    );
                    return None;
                }
            },
            None => match default {
                Some(d) => Value::from(d.clone()),
                None => {
                    run.fail(
                        Id::HasuraAllowedRoles,
                        format!(
                            "nothing at {} for x-hasura-allowed-roles, and no default",
                            p.encode()
                        ),
                        stringified_hint(p, &whole),
                        MISSING_ROLE,
                        format!(
                            "JWT claim does not contain {}",
                            m.name("x-hasura-allowed-roles")
                        ),
                    );
                    return None;
                }
            },
        },
    };
    let default_role = match &map.default_role {
        MapValue::Static(r) => Value::from(r.clone()),
        MapValue::Path(p, default) => match p.eval(&whole) {
            Some(v) => match aeson::role(v) {
                Ok(r) => Value::from(r),
                Err(e) => {
                    run.fail(
                        Id::HasuraDefaultRole,
                        format!(
                            "x-hasura-default-role at {} is not a role name: {e}",
                            p.encode()
                        ),
                        "make it a non-empty string",
                        INVALID_CLAIMS,
                        format!(
                            "invalid {}; should be a role: {e}",
                            m.name("x-hasura-default-role")
                        ),
                    );
                    return None;
                }
            },
            None => match default {
                Some(d) => Value::from(d.clone()),
                None => {
                    run.fail(
                        Id::HasuraDefaultRole,
                        format!(
                            "nothing at {} for x-hasura-default-role, and no default",
                            p.encode()
                        ),
                        stringified_hint(p, &whole),
                        MISSING_ROLE,
                        format!(
                            "JWT claim does not contain {}",
                            m.name("x-hasura-default-role")
                        ),
                    );
                    return None;
                }
            },
        },
    };
    let mut session = vec![
        ("x-hasura-allowed-roles".to_string(), allowed),
        ("x-hasura-default-role".to_string(), default_role),
    ];
    let mut missing = Vec::new();
    for (name, value) in &map.others {
        // Builds with quoted messages drop claims_map entries that are not x-hasura-*.
        if m == Messages::Quoted && !hclaims::is_session_variable(name) {
            continue;
        }
        let v = match value {
            MapValue::Static(s) => Some(Value::String(s.clone())),
            MapValue::Path(p, default) => p
                .eval(&whole)
                .cloned()
                .or_else(|| default.clone().map(Value::String)),
        };
        match v {
            Some(v) => session.push((name.clone(), v)),
            None => missing.push((name.clone(), value)),
        }
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|(n, _)| n.clone()).collect();
        let first = &missing[0];
        let hint = match first.1 {
            MapValue::Path(p, _) => stringified_hint(p, &whole),
            MapValue::Static(_) => String::new(),
        };
        let message = if missing.len() == 1 {
            format!("{} not found in the token (claims_map)", names[0])
        } else {
            format!(
                "{} not found in the token (claims_map); Hasura names one of them",
                names.join(", ")
            )
        };
        run.fail(
            Id::HasuraSessionVariables,
            message,
            hint,
            INVALID_CLAIMS,
            format!("JWT claim from claims_map, {} not found", m.name(&first.0)),
        );
        return None;
    }
    Some(session)
}

/// Hasura issue #8341: claims_map paths cannot look inside a stringified claim.
fn stringified_hint(p: &super::jsonpath::JsonPath, whole: &Value) -> String {
    use super::jsonpath::JsonPath;
    for cut in 1..p.0.len() {
        let head = JsonPath(p.0[..cut].to_vec());
        if let Some(Value::String(s)) = head.eval(whole)
            && let Ok(crate::jose::json::Parsed { value, .. }) = crate::jose::json::parse_str(s)
            && JsonPath(p.0[cut..].to_vec()).eval(&value).is_some()
        {
            return format!(
                "{} is a JSON string, and claims_map paths cannot look inside a stringified claim (Hasura issue #8341): write the claims as a JSON object (Cognito V2/V3 trigger), or use claims_namespace with claims_format stringified_json",
                head.encode()
            );
        }
    }
    "the path finds nothing in this token; check it against the payload, or give a default".into()
}

fn roles_and_session(
    session: Vec<(String, Value)>,
    requested: Option<&str>,
    run: &mut Run,
    info: &mut HasuraInfo,
    m: Messages,
) {
    let get = |name: &str| session.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let allowed = match get("x-hasura-allowed-roles") {
        None => {
            let name = m.name("x-hasura-allowed-roles");
            run.fail(
                Id::HasuraAllowedRoles,
                "no x-hasura-allowed-roles in the claims",
                "add \"x-hasura-allowed-roles\": [\"user\"] to the Hasura claims",
                MISSING_ROLE,
                format!("JWT claim does not contain {name}"),
            );
            return;
        }
        Some(v) => match aeson::roles(v) {
            Ok(r) => r,
            Err(e) => {
                run.fail(
                    Id::HasuraAllowedRoles,
                    format!("x-hasura-allowed-roles is not a list of role names: {e}"),
                    "make it a JSON array of non-empty strings, e.g. [\"user\"] (a list, even for one role)",
                    INVALID_CLAIMS,
                    format!("invalid {}; should be a list of roles: {e}", m.name("x-hasura-allowed-roles")),
                );
                return;
            }
        },
    };
    info.allowed_roles = Some(allowed.clone());
    run.push(Check::pass(
        Id::HasuraAllowedRoles,
        format!("allowed roles: {}", allowed.join(", ")),
    ));
    let default = match get("x-hasura-default-role") {
        None => {
            run.fail(
                Id::HasuraDefaultRole,
                "no x-hasura-default-role in the claims",
                "add \"x-hasura-default-role\": \"user\" to the Hasura claims",
                MISSING_ROLE,
                format!(
                    "JWT claim does not contain {}",
                    m.name("x-hasura-default-role")
                ),
            );
            return;
        }
        Some(v) => match aeson::role(v) {
            Ok(r) => r,
            Err(e) => {
                run.fail(
                    Id::HasuraDefaultRole,
                    format!("x-hasura-default-role is not a role name: {e}"),
                    "make it a non-empty string, e.g. \"user\"",
                    INVALID_CLAIMS,
                    format!(
                        "invalid {}; should be a single role name: {e}",
                        m.name("x-hasura-default-role")
                    ),
                );
                return;
            }
        },
    };
    info.default_role = Some(default.clone());
    run.push(Check::pass(
        Id::HasuraDefaultRole,
        format!("default role: {default}"),
    ));

    let role = match requested {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => default.clone(),
    };
    let how = if requested.is_some_and(|r| !r.is_empty()) {
        "requested with x-hasura-role"
    } else {
        "the default role; no x-hasura-role header"
    };
    if allowed.contains(&role) {
        run.push(Check::pass(Id::HasuraRole, format!("role {role} ({how})")));
    } else {
        let hint = if requested.is_some_and(|r| !r.is_empty()) {
            format!(
                "the token allows {}; request one of them",
                if allowed.is_empty() {
                    "no role at all".to_string()
                } else {
                    allowed.join(", ")
                }
            )
        } else {
            if allowed.is_empty() {
                "x-hasura-allowed-roles is an empty list, so no role is ever allowed: list the roles".to_string()
            } else {
                format!(
                    "the default role {default:?} is not among the allowed roles ({}): add it to x-hasura-allowed-roles, or send x-hasura-role with an allowed role",
                    allowed.join(", ")
                )
            }
        };
        run.fail(
            Id::HasuraRole,
            format!("role {role:?} ({how}) is not among the allowed roles"),
            hint,
            "access-denied",
            "Your requested role is not in allowed roles",
        );
    }
    // Everything but the two role claims must be a string (checked in key order).
    let mut rest: Vec<&(String, Value)> = session
        .iter()
        .filter(|(n, _)| n != "x-hasura-allowed-roles" && n != "x-hasura-default-role")
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let bad: Vec<&&(String, Value)> = rest.iter().filter(|(_, v)| !v.is_string()).collect();
    if let Some((_, first)) = bad.first().map(|b| (&b.0, &b.1)) {
        let listing: Vec<String> = bad
            .iter()
            .map(|(n, v)| format!("{n} is {}", crate::jose::json::type_name(v)))
            .collect();
        run.fail(
            Id::HasuraSessionVariables,
            format!("session variables must be strings: {}", listing.join(", ")),
            "write numbers as strings (\"42\") and lists as Postgres array literals (\"{a,b}\")",
            INVALID_CLAIMS,
            format!(
                "x-hasura-* claims: {}",
                aeson::mismatch("Text", "String", first)
            ),
        );
    } else {
        let names: Vec<&str> = rest.iter().map(|(n, _)| n.as_str()).collect();
        run.push(Check::new(
            Id::HasuraSessionVariables,
            Status::Pass,
            if names.is_empty() {
                "no other session variables".to_string()
            } else {
                format!("session variables: {}", names.join(", "))
            },
        ));
    }
    for (n, v) in rest {
        if n != "x-hasura-role" {
            info.session_variables.insert(n.clone(), v.clone());
        }
    }
    info.session_variables
        .insert("x-hasura-role".into(), Value::String(role.clone()));
    if !run.failed() {
        info.role = Some(role);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hasura::config;
    use serde_json::json;

    const SECRET: &str = "test-secret-test-secret-test-secret-0123";

    fn cfg(extra: Value) -> JwtConfig {
        let mut c = json!({"type": "HS256", "key": SECRET});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        config::parse(&c).unwrap()
    }

    fn keys(c: &JwtConfig) -> Vec<Key> {
        match &c.key {
            KeyConfig::Static { key, .. } => vec![key.clone()],
            KeyConfig::Url(_) => vec![],
        }
    }

    fn token(claims: Value) -> String {
        let h = crate::jose::base64url::encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let p = crate::jose::base64url::encode(claims.to_string().as_bytes());
        let input = format!("{h}.{p}");
        let sig = jsonwebtoken::crypto::sign(
            input.as_bytes(),
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
            jsonwebtoken::Algorithm::HS256,
        )
        .unwrap();
        format!("{input}.{sig}")
    }

    const NOW: f64 = 1_800_000_000.0;

    /// The engine test suite's base payload: sub, name, iat now, exp now + 10 h.
    fn base(hasura: Value) -> Value {
        json!({"sub": "1234567890", "name": "John Doe", "iat": NOW, "exp": NOW + 36_000.0, "https://hasura.io/jwt/claims": hasura})
    }

    fn run(c: &JwtConfig, claims: Value, role: Option<&str>) -> Evaluation {
        evaluate(c, &keys(c), &token(claims), role, NOW, Messages::Unquoted)
    }

    fn error(e: &Evaluation) -> Option<(String, String)> {
        e.error
            .as_ref()
            .map(|e| (e.code.to_string(), e.message.clone()))
    }

    fn failed_id(e: &Evaluation) -> Option<String> {
        e.checks
            .iter()
            .find(|c| c.status == Status::Fail)
            .map(|c| c.id.to_string())
    }

    fn claims_ok() -> Value {
        json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["user", "editor"], "x-hasura-default-role": "user"})
    }

    #[test]
    fn valid_claims_success() {
        let e = run(&cfg(json!({})), base(claims_ok()), Some("user"));
        assert_eq!(error(&e), None, "{:#?}", e.checks);
        assert_eq!(e.info.role.as_deref(), Some("user"));
        assert_eq!(e.info.session_variables["x-hasura-user-id"], "1");
        assert_eq!(e.info.session_variables["x-hasura-role"], "user");
    }

    #[test]
    fn engine_suite_rejections() {
        let c = cfg(json!({}));
        let cases = [
            (
                json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["contractor", "editor"], "x-hasura-default-role": "contractor"}),
                Some("user"),
                "hasura.role",
                "access-denied",
                "Your requested role is not in allowed roles",
            ),
            (
                json!({"x-hasura-user-id": "1", "x-hasura-default-role": "user"}),
                Some("user"),
                "hasura.allowed_roles",
                "jwt-missing-role-claims",
                "JWT claim does not contain x-hasura-allowed-roles",
            ),
            (
                json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": "user", "x-hasura-default-role": "user"}),
                Some("user"),
                "hasura.allowed_roles",
                "jwt-invalid-claims",
                "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String",
            ),
            (
                json!({"x-hasura-user-id": "1", "x-hasura-allowed-roles": ["user"]}),
                Some("user"),
                "hasura.default_role",
                "jwt-missing-role-claims",
                "JWT claim does not contain x-hasura-default-role",
            ),
            (
                json!({"x-hasura-user-id": 1, "x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"}),
                None,
                "hasura.session_variables",
                "jwt-invalid-claims",
                "x-hasura-* claims: parsing Text failed, expected String, but encountered Number",
            ),
            (
                json!({"x-hasura-allowed-roles": ["user"], "x-hasura-default-role": ""}),
                None,
                "hasura.default_role",
                "jwt-invalid-claims",
                "invalid x-hasura-default-role; should be a single role name: empty string not allowed",
            ),
        ];
        for (hasura, role, id, code, message) in cases {
            let e = run(&c, base(hasura.clone()), role);
            assert_eq!(
                error(&e),
                Some((code.to_string(), message.to_string())),
                "{hasura}"
            );
            assert_eq!(failed_id(&e).as_deref(), Some(id), "{hasura}");
        }
    }

    #[test]
    fn expiry_with_and_without_allowed_skew() {
        let mut payload = base(claims_ok());
        payload["exp"] = json!(NOW - 60.0);
        let e = run(&cfg(json!({})), payload.clone(), None);
        assert_eq!(
            error(&e),
            Some((
                "invalid-jwt".into(),
                "Could not verify JWT: JWTExpired".into()
            ))
        );
        payload["exp"] = json!(NOW - 30.0);
        let e = run(&cfg(json!({"allowed_skew": 60})), payload, None);
        assert_eq!(error(&e), None);
    }

    #[test]
    fn audience_and_issuer() {
        let mut payload = base(claims_ok());
        payload["aud"] = json!("myapp-1234");
        for aud in [json!("myapp-1234"), json!(["myapp-1234", "myapp-9876"])] {
            assert_eq!(
                error(&run(&cfg(json!({"audience": aud})), payload.clone(), None)),
                None
            );
        }
        payload["aud"] = json!("rubbish_audience");
        let e = run(
            &cfg(json!({"audience": "myapp-1234"})),
            payload.clone(),
            None,
        );
        assert_eq!(
            error(&e).unwrap().1,
            "Could not verify JWT: JWTNotInAudience"
        );
        assert_eq!(
            error(&run(&cfg(json!({})), payload, None)),
            None,
            "no audience configured"
        );

        let mut payload = base(claims_ok());
        payload["iss"] = json!("rubbish-issuer");
        assert_eq!(
            error(&run(&cfg(json!({})), payload, None)),
            None,
            "no issuer configured"
        );
    }

    #[test]
    fn issuer_mismatch_is_caught_before_everything() {
        let c = cfg(json!({"issuer": "https://hasura.com"}));
        let mut payload = base(claims_ok());
        payload["iss"] = json!("rubbish_issuer");
        payload["exp"] = json!(NOW - 100.0);
        let t = token(payload);
        let req = Request {
            token: &t,
            wrapper: &Wrapper::None,
            role: None,
        };
        let err = select(std::slice::from_ref(&c), &req).unwrap_err();
        assert_eq!(
            error(&err).unwrap().1,
            "Could not verify JWT: JWTNotInIssuer"
        );
    }

    #[test]
    fn stringified_and_namespace_paths() {
        let stringified = base(Value::String(claims_ok().to_string()));
        assert_eq!(
            error(&run(
                &cfg(json!({"claims_format": "stringified_json"})),
                stringified.clone(),
                None
            )),
            None
        );
        let e = run(&cfg(json!({})), stringified, None);
        assert_eq!(
            error(&e).unwrap().1,
            "expecting a json object when claims_format is json"
        );
        assert!(e.checks.iter().any(|c| {
            c.hint
                .as_deref()
                .is_some_and(|h| h.contains("stringified_json"))
        }));

        for path in [
            "$",
            "$.hasura_claims",
            "$.hasura.claims",
            "$.hasura['claims%']",
        ] {
            let p = super::super::jsonpath::parse(path).unwrap();
            let mut payload = json!({"sub": "1", "iat": NOW, "exp": NOW + 60.0});
            let mut holder = claims_ok();
            for step in p.0.iter().rev() {
                if let super::super::jsonpath::Step::Key(k) = step {
                    holder = json!({ k.as_str(): holder });
                }
            }
            for (k, v) in holder.as_object().unwrap() {
                payload[k] = v.clone();
            }
            let e = run(&cfg(json!({"claims_namespace_path": path})), payload, None);
            assert_eq!(error(&e), None, "{path}: {:#?}", e.checks);
        }
        let e = run(
            &cfg(json!({"claims_namespace_path": "$.hasura['claims%']"})),
            base(claims_ok()),
            None,
        );
        assert_eq!(
            error(&e).unwrap().1,
            "claims not found at claims_namespace_path: '$.hasura[\"claims%\"]'"
        );
        let e = run(
            &cfg(json!({"claims_namespace": "https://other/claims"})),
            base(claims_ok()),
            None,
        );
        assert_eq!(
            error(&e).unwrap().1,
            "claims key: 'https://other/claims' not found"
        );
        let ns = e
            .checks
            .iter()
            .find(|c| c.id == "hasura.namespace")
            .unwrap();
        assert!(
            ns.hint
                .as_deref()
                .unwrap()
                .contains("\"claims_namespace\": \"https://hasura.io/jwt/claims\""),
            "{ns:?}"
        );
    }

    fn claims_map(kind: &str) -> Value {
        let p = |s: &str| format!("$.['https://myapp.com/jwt/claims'].{s}");
        match kind {
            "basic" => json!({
                "x-hasura-user-id": {"path": p("user.id")},
                "x-hasura-allowed-roles": {"path": p("role.allowed")},
                "x-hasura-default-role": {"path": p("role.default")}
            }),
            "defaults" => json!({
                "x-hasura-user-id": {"path": p("user.id"), "default": "1"},
                "x-hasura-allowed-roles": {"path": p("role.allowed"), "default": ["user", "editor"]},
                "x-hasura-default-role": {"path": p("role.default"), "default": "user"}
            }),
            _ => json!({
                "x-hasura-user-id": {"path": p("user.id")},
                "x-hasura-allowed-roles": ["user", "editor"],
                "x-hasura-default-role": "user",
                "x-hasura-custom-header": "custom-value"
            }),
        }
    }

    fn mapped(user: Option<&str>, allowed: Option<Value>, default: Option<&str>) -> Value {
        let mut role = json!({});
        if let Some(a) = allowed {
            role["allowed"] = a;
        }
        if let Some(d) = default {
            role["default"] = json!(d);
        }
        let mut c = json!({"role": role});
        if let Some(u) = user {
            c["user"] = json!({"id": u});
        }
        json!({"sub": "1", "iat": NOW, "exp": NOW + 60.0, "https://myapp.com/jwt/claims": c})
    }

    /// test_jwt_claims_map.py, for each map and token.
    #[test]
    fn claims_map_engine_suite() {
        let good = || mapped(Some("1"), Some(json!(["user", "editor"])), Some("user"));
        let contractor = || {
            mapped(
                Some("1"),
                Some(json!(["contractor", "editor"])),
                Some("contractor"),
            )
        };
        let no_allowed = || mapped(Some("1"), None, Some("user"));
        let string_allowed = || mapped(Some("1"), Some(json!("user")), Some("user"));
        let no_default = || mapped(Some("1"), Some(json!(["user", "editor"])), None);
        let no_user = || mapped(None, Some(json!(["user", "editor"])), Some("user"));
        let missing_user = Some((
            "jwt-invalid-claims".to_string(),
            "JWT claim from claims_map, x-hasura-user-id not found".to_string(),
        ));
        type Case<'a> = (&'a str, Value, Option<&'a str>, Option<(String, String)>);
        let cases: Vec<Case> = vec![
            ("basic", good(), Some("user"), None),
            ("defaults", good(), Some("user"), None),
            ("basic", contractor(), Some("user"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
            ("defaults", contractor(), Some("user"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
            ("basic", no_allowed(), Some("user"), Some(("jwt-missing-role-claims".into(), "JWT claim does not contain x-hasura-allowed-roles".into()))),
            ("defaults", no_allowed(), Some("user"), None),
            ("basic", string_allowed(), Some("user"), Some(("jwt-invalid-claims".into(), "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String".into()))),
            ("defaults", string_allowed(), Some("user"), Some(("jwt-invalid-claims".into(), "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String".into()))),
            ("basic", no_default(), Some("user"), Some(("jwt-missing-role-claims".into(), "JWT claim does not contain x-hasura-default-role".into()))),
            ("defaults", no_default(), Some("user"), None),
            ("basic", no_user(), Some("user"), missing_user.clone()),
            ("defaults", no_user(), Some("user"), None),
            ("static", good(), Some("user"), None),
            ("static", good(), Some("random_string"), Some(("access-denied".into(), "Your requested role is not in allowed roles".into()))),
            ("static", no_user(), Some("user"), missing_user),
        ];
        for (kind, payload, role, want) in cases {
            let c = cfg(json!({"claims_map": claims_map(kind)}));
            let e = run(&c, payload.clone(), role);
            assert_eq!(error(&e), want, "{kind} {payload}");
        }
        let c = cfg(json!({"claims_map": claims_map("static")}));
        let e = run(&c, good(), None);
        assert_eq!(
            e.info.session_variables["x-hasura-custom-header"],
            "custom-value"
        );
    }

    #[test]
    fn claims_map_cannot_see_inside_stringified_claims() {
        let c = cfg(json!({"claims_map": {
            "x-hasura-allowed-roles": ["user"],
            "x-hasura-default-role": "user",
            "x-hasura-user-id": {"path": "$.['https://hasura.io/jwt/claims'].x-hasura-user-id"}
        }}));
        let e = run(&c, base(Value::String(claims_ok().to_string())), None);
        assert_eq!(
            error(&e).unwrap().1,
            "JWT claim from claims_map, x-hasura-user-id not found"
        );
        let hint = e
            .checks
            .iter()
            .find(|c| c.status == Status::Fail)
            .unwrap()
            .hint
            .clone()
            .unwrap();
        assert!(hint.contains("#8341"), "{hint}");
    }

    #[test]
    fn quoted_messages_for_newer_engines() {
        let c = cfg(json!({}));
        let e = evaluate(
            &c,
            &keys(&c),
            &token(base(json!({"x-hasura-default-role": "user"}))),
            None,
            NOW,
            Messages::Quoted,
        );
        assert_eq!(
            error(&e).unwrap().1,
            "JWT claim does not contain \"x-hasura-allowed-roles\""
        );
    }

    #[test]
    fn invalid_signature_and_alg_none() {
        let c = cfg(json!({}));
        let good = token(base(claims_ok()));
        let (input, sig) = good.rsplit_once('.').unwrap();
        let flipped = if sig.starts_with('A') { 'B' } else { 'A' };
        let t = format!("{input}.{flipped}{}", &sig[1..]);
        let e = evaluate(&c, &keys(&c), &t, None, NOW, Messages::Unquoted);
        assert_eq!(
            error(&e).unwrap().1,
            "Could not verify JWT: JWSError JWSInvalidSignature"
        );
        let none = format!(
            "{}.{}.",
            crate::jose::base64url::encode(br#"{"alg":"none"}"#),
            crate::jose::base64url::encode(base(claims_ok()).to_string().as_bytes())
        );
        let e = evaluate(&c, &keys(&c), &none, None, NOW, Messages::Unquoted);
        assert_eq!(
            error(&e).unwrap().1,
            "Could not verify JWT: JWSError JWSNoSignatures"
        );
        let e = evaluate(
            &c,
            &[],
            &token(base(claims_ok())),
            None,
            NOW,
            Messages::Unquoted,
        );
        assert_eq!(
            error(&e).unwrap().1,
            "Could not verify JWT: JWSError NoUsableKeys"
        );
    }

    #[test]
    fn case_variants_resolve_like_the_engine() {
        let e = run(
            &cfg(json!({})),
            base(json!({
                "X-Hasura-User-Id": "upper", "x-hasura-user-id": "lower",
                "x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"
            })),
            None,
        );
        assert_eq!(e.info.session_variables["x-hasura-user-id"], "lower");
    }

    #[test]
    fn the_location_decides_the_header_checks() {
        let c = cfg(json!({}));
        let t = token(base(claims_ok()));
        let lower = Wrapper::Bearer {
            scheme: "bearer".into(),
        };
        let err = select(
            std::slice::from_ref(&c),
            &Request {
                token: &t,
                wrapper: &lower,
                role: None,
            },
        )
        .unwrap_err();
        assert_eq!(
            error(&err),
            Some((
                "invalid-headers".into(),
                "Malformed Authorization header".into()
            ))
        );
        let custom = cfg(json!({"header": {"type": "CustomHeader", "name": "X-Token"}}));
        let elsewhere = Wrapper::Header {
            name: "Authorization".into(),
            scheme: "Bearer".into(),
        };
        let err = select(
            std::slice::from_ref(&custom),
            &Request {
                token: &t,
                wrapper: &elsewhere,
                role: None,
            },
        )
        .unwrap_err();
        assert_eq!(
            error(&err).unwrap().1,
            "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"
        );
        let (_, raw) = select(
            std::slice::from_ref(&custom),
            &Request {
                token: &t,
                wrapper: &Wrapper::None,
                role: None,
            },
        )
        .unwrap();
        assert_eq!(raw, t);
    }

    #[test]
    fn several_secrets_choose_by_issuer() {
        let a = cfg(json!({"issuer": "https://a"}));
        let b = cfg(json!({"issuer": "https://b"}));
        let mut payload = base(claims_ok());
        payload["iss"] = json!("https://b");
        let t = token(payload);
        let req = Request {
            token: &t,
            wrapper: &Wrapper::None,
            role: None,
        };
        let both = [a.clone(), b.clone()];
        let (chosen, _) = select(&both, &req).unwrap();
        assert_eq!(chosen.issuer.as_deref(), Some("https://b"));
        let open = cfg(json!({}));
        let err = select(&[b, open], &req).unwrap_err();
        assert_eq!(
            error(&err).unwrap().1,
            "Could not verify JWT: Multiple JWTs found"
        );
    }
}
