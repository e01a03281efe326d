//! The verifier: algorithm, critical extensions, key selection, signature, times, issuer,
//! audience and Cognito's `token_use` / client id, each a check with a hint.
//!
//! Pure: takes the token, the keys, the rules and the clock. Key selection follows RFC 8725 and
//! panva/jose: the header `alg` decides the key family (and curve); `kid` must match exactly; a
//! JWK's `alg`, `use` and `key_ops`, when present, must agree; exactly one key may match.

use crate::report::Id;
use serde_json::{Map, Value};

use crate::clock;
use crate::inspect;
use crate::jose::crypto::{self, Alg, CryptoError, Family};
use crate::jose::json::type_name;
use crate::jose::jwk::{Key, KeySet, Material};
use crate::jose::token::Jws;
use crate::report::{Check, KeyInfo, Status};

/// What the token must satisfy besides its signature.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules {
    /// Seconds of clock skew allowed on `exp`, `nbf` and `iat`.
    pub leeway: f64,
    /// Whether a token without `exp` fails.
    pub require_exp: bool,
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
}

/// Where a set of keys came from, which decides what may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// A key set fetched from a URL (public by nature: symmetric keys there are unusable).
    RemoteSet,
    /// A key set read from a file.
    FileSet,
    /// One key given on purpose (`--key`, a secret).
    Single,
}

/// Keys to verify with.
#[derive(Debug, Clone)]
pub struct Keys<'a> {
    /// The keys.
    pub set: &'a KeySet,
    /// Where they came from.
    pub provenance: Provenance,
    /// A display name of the source (URL, path, `--secret-env NAME`).
    pub source: String,
    /// Network/cache freshness note.
    pub fetched: Option<String>,
}

/// What verification found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// The key used, when one was selected.
    pub key: Option<KeyInfo>,
    /// The token names a `kid` the key set does not have (a refetch may help).
    pub kid_miss: bool,
}

/// Header parameters defined by RFC 7515/7516/7518; `crit` must not list them.
const REGISTERED_HEADER: [&str; 13] = [
    "alg", "enc", "zip", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// Verifies a token against keys and rules.
pub fn verify(jws: &Jws, keys: Option<&Keys<'_>>, rules: &Rules, now: f64) -> Outcome {
    let mut out = Outcome {
        checks: inspect::duplicate_checks(jws, Status::Fail),
        key: None,
        kid_miss: false,
    };
    let alg = alg_check(jws, &mut out.checks);
    out.checks.extend(crit_check(&jws.header));
    match (alg, keys) {
        (Some(alg), Some(keys)) => match select(jws, alg, keys) {
            Ok((key, mut notes)) => {
                out.checks.append(&mut notes);
                out.key = Some(key_info(
                    key,
                    alg,
                    keys.source.clone(),
                    keys.fetched.clone(),
                ));
                out.checks.push(signature_check(jws, alg, key));
            }
            Err((check, kid_miss)) => {
                out.kid_miss = kid_miss;
                out.checks.push(check);
                out.checks
                    .push(Check::skip(Id::Signature, "not checked: no usable key"));
            }
        },
        (None, _) => out.checks.push(Check::skip(
            Id::Signature,
            "not checked: the algorithm is not acceptable",
        )),
        (Some(_), None) => out.checks.push(Check::skip(
            Id::Signature,
            "not checked: the token fails before its keys matter (keys were not fetched)",
        )),
    }
    if let Some(claims) = jws.claims() {
        out.checks.extend(claim_checks(claims, rules, now));
    }
    out
}

/// Whether the token can pass at all, so that fetching keys for it is worth it: an acceptable
/// `alg`, no critical extension, no duplicated member name.
pub fn keys_needed(jws: &Jws) -> bool {
    jws.alg().and_then(Alg::parse).is_some()
        && crit_check(&jws.header).is_none()
        && jws.duplicates.is_empty()
}

fn alg_check(jws: &Jws, checks: &mut Vec<Check>) -> Option<Alg> {
    let hint = "Cognito signs with RS256; a verifier accepts only an algorithm that fits its key";
    let check = match jws.header.get("alg") {
        None => Check::fail(Id::Alg, "the header has no alg", hint),
        Some(Value::String(a)) if a.eq_ignore_ascii_case("none") => Check::fail(
            Id::Alg,
            format!("alg {a:?}: an unsecured token; it never passes"),
            "a token without a signature proves nothing; get a signed token from the issuer",
        ),
        Some(Value::String(a)) => match Alg::parse(a) {
            Some(alg) => {
                checks.push(Check::pass(Id::Alg, format!("alg {a}")));
                return Some(alg);
            }
            None => Check::fail(
                Id::Alg,
                format!("alg {a:?} is not a signature algorithm jwtcheck verifies"),
                "supported: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, EdDSA (names are case-sensitive)",
            ),
        },
        Some(other) => Check::fail(
            Id::Alg,
            format!("alg is {}, not a string", type_name(other)),
            hint,
        ),
    };
    checks.push(check);
    None
}

/// Critical extensions: jwtcheck (like Hasura) implements none, so any `crit` fails, and so does
/// `b64: false`, which changes what the signature covers.
pub fn crit_check(header: &Map<String, Value>) -> Option<Check> {
    let hint = "no JWT issuer (Cognito included) sets crit; a token that does is not one a JWT verifier can accept";
    if let Some(b64) = header.get("b64")
        && b64 != &Value::Bool(true)
    {
        return Some(Check::fail(
            Id::Crit,
            format!(
                "b64: {b64}: an unencoded payload (RFC 7797) is not a JWT; the signature would cover different bytes"
            ),
            hint,
        ));
    }
    let crit = header.get("crit")?;
    let malformed = |why: String| {
        Some(Check::fail(
            Id::Crit,
            format!("malformed crit: {why}"),
            hint,
        ))
    };
    let Value::Array(items) = crit else {
        return malformed(format!("it is {}, not an array", type_name(crit)));
    };
    if items.is_empty() {
        return malformed("it is empty (RFC 7515 §4.1.11 forbids that)".into());
    }
    let mut names: Vec<&str> = Vec::new();
    for item in items {
        let Value::String(name) = item else {
            return malformed(format!("it lists {}, not a name", type_name(item)));
        };
        if names.contains(&name.as_str()) {
            return malformed(format!("it lists {name:?} twice"));
        }
        if REGISTERED_HEADER.contains(&name.as_str()) {
            return malformed(format!(
                "it lists {name:?}, a parameter of the JWS standard itself"
            ));
        }
        if !header.contains_key(name) {
            return malformed(format!(
                "it lists {name:?}, which the header does not carry"
            ));
        }
        names.push(name);
    }
    Some(Check::fail(
        Id::Crit,
        format!(
            "crit lists extensions jwtcheck does not implement: {}",
            names.join(", ")
        ),
        "a verifier must reject a token whose critical extensions it does not understand (RFC 7515 §4.1.11); Hasura rejects it too",
    ))
}

/// Picks the one key that may verify this token, or says why none can.
fn select<'k>(
    jws: &Jws,
    alg: Alg,
    keys: &Keys<'k>,
) -> Result<(&'k Key, Vec<Check>), (Check, bool)> {
    let kid = match jws.header.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.as_str()),
        Some(other) => {
            return Err((
                Check::fail(
                    Id::Key,
                    format!("kid is {}, not a string", type_name(other)),
                    "a kid is an opaque string matched exactly against the key set; anything else is an attack pattern",
                ),
                false,
            ));
        }
    };
    let needs = alg.family();
    let set = keys.set;
    // A token's kid names exactly one key of a set; a key given on purpose (--key, a secret)
    // is used whatever the token says.
    let named: Vec<&Key> = set
        .keys
        .iter()
        .filter(|k| match kid {
            Some(want) if keys.provenance != Provenance::Single => k.kid.as_deref() == Some(want),
            _ => true,
        })
        .collect();

    if named.is_empty() {
        let unusable = set
            .unusable
            .iter()
            .find(|u| kid.is_some() && u.kid.as_deref() == kid);
        if let Some(u) = unusable {
            return Err((
                Check::fail(
                    Id::Key,
                    format!(
                        "the key with kid {:?} cannot be used: {}",
                        u.kid.as_deref().unwrap_or(""),
                        u.reason
                    ),
                    "fix the key set; jwtcheck verifies with RSA, EC P-256/384/521, Ed25519 and (given on purpose) HMAC keys",
                ),
                false,
            ));
        }
        let kids = set.kids();
        let listing = if kids.is_empty() {
            "the key set has no kids".to_string()
        } else {
            format!(
                "the key set has {}",
                kids.iter()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err((
            Check::fail(
                Id::Key,
                format!("no key with kid {:?}; {listing}", kid.unwrap_or("")),
                "the token was signed by another issuer or pool (check iss), or the issuer rotated its keys; for Cognito, make sure the token comes from the pool whose keys you gave",
            ),
            true,
        ));
    }

    let mut reasons = Vec::new();
    let mut fitting: Vec<&Key> = Vec::new();
    for key in named {
        match unfit(key, alg, keys.provenance) {
            Some(reason) => reasons.push((key, reason)),
            None => fitting.push(key),
        }
    }
    match fitting.as_slice() {
        [key] => {
            let mut notes = Vec::new();
            if let Material::Secret(s) = &key.material
                && s.is_empty()
            {
                return Err((
                    Check::fail(
                        Id::Key,
                        "the HMAC secret is empty: anyone can sign a token that verifies with it",
                        "the secret was not filled in (an unset CI variable, an empty file?); give the real secret",
                    ),
                    false,
                ));
            }
            if let (Some(min), Material::Secret(s)) = (alg.hmac_min_len(), &key.material)
                && s.len() < min
            {
                notes.push(Check::warn(
                    Id::Key,
                    format!("the HMAC secret is {} bytes, shorter than the {min} bytes {} needs (RFC 7518 §3.2)", s.len(), alg.name()),
                    "a short secret can be guessed offline from any token; Hasura refuses such a key at startup (Key size too small)",
                ));
            }
            Ok((key, notes))
        }
        [] => {
            let confusion =
                needs == Family::Hmac && reasons.iter().all(|(k, _)| Family::of(k) != Family::Hmac);
            let message = if confusion {
                format!(
                    "alg {} needs an HMAC secret, but the {} {}: a public key is never used as an HMAC secret (the RS→HS key-confusion attack)",
                    alg.name(),
                    if reasons.len() == 1 {
                        "key is"
                    } else {
                        "keys are"
                    },
                    describe_families(&reasons)
                )
            } else {
                let list: Vec<String> = reasons
                    .iter()
                    .map(|(k, why)| match &k.kid {
                        Some(kid) => format!("kid {kid:?}: {why}"),
                        None => why.clone(),
                    })
                    .collect();
                format!("no key fits alg {}: {}", alg.name(), list.join("; "))
            };
            let only_published_secrets = !reasons.is_empty()
                && reasons.iter().all(|(k, _)| Family::of(k) == Family::Hmac)
                && keys.provenance == Provenance::RemoteSet;
            let hint = if only_published_secrets {
                "symmetric keys are never taken from a fetched key set; give the secret with --secret-file or --secret-env"
            } else if confusion {
                "this token was forged: it claims HMAC so that a public key would serve as the secret; reject it"
            } else {
                "the token's alg must match the key: RSA keys verify RS*/PS*, EC keys ES* on their curve, Ed25519 keys EdDSA"
            };
            Err((Check::fail(Id::Key, message, hint), false))
        }
        many => Err((
            Check::fail(
                Id::Key,
                format!(
                    "{} keys fit alg {}{}, and jwtcheck will not guess between them",
                    many.len(),
                    alg.name(),
                    if kid.is_none() {
                        " and the token has no kid"
                    } else {
                        " with the same kid"
                    }
                ),
                "tokens from a set with several keys must name theirs with kid; or give the one key with --key",
            ),
            false,
        )),
    }
}

fn describe_families(reasons: &[(&Key, String)]) -> String {
    let mut names: Vec<String> = reasons
        .iter()
        .map(|(k, _)| Family::of(k).describe())
        .collect();
    names.dedup();
    names.join(" / ")
}

/// Why a key may not verify this algorithm, if it may not.
fn unfit(key: &Key, alg: Alg, provenance: Provenance) -> Option<String> {
    let family = Family::of(key);
    if family != alg.family() {
        return Some(format!(
            "it is {}; {} needs {}",
            family.describe(),
            alg.name(),
            alg.family().describe()
        ));
    }
    if family == Family::Hmac && provenance == Provenance::RemoteSet {
        return Some(
            "a symmetric (oct) key published in a key set is public: anyone could sign with it"
                .into(),
        );
    }
    if let Some(a) = &key.alg
        && *a != alg.name()
    {
        return Some(format!(
            "the key is for alg {a}, the token says {}",
            alg.name()
        ));
    }
    if let Some(u) = &key.use_
        && u != "sig"
    {
        return Some(format!("the key's use is {u:?}, not \"sig\""));
    }
    if let Some(ops) = &key.key_ops
        && !ops.iter().any(|o| o == "verify")
    {
        return Some(format!(
            "the key's key_ops {ops:?} do not include \"verify\""
        ));
    }
    None
}

/// How the report describes a key used with `alg`.
pub fn key_info(key: &Key, alg: Alg, source: String, fetched: Option<String>) -> KeyInfo {
    KeyInfo {
        source,
        fetched,
        kid: key.kid.clone(),
        kty: key.kty().to_string(),
        alg: Some(alg.name()),
        bits: match key.material {
            Material::Secret(_) => None,
            _ => key.bits(),
        },
        crv: key.crv().map(str::to_string),
        thumbprint: key.thumbprint(),
    }
}

fn signature_check(jws: &Jws, alg: Alg, key: &Key) -> Check {
    let which = match &key.kid {
        Some(kid) => format!("key {kid:?}"),
        None => "the key".to_string(),
    };
    if !key.private_members.is_empty() {
        return Check::fail(
            Id::Key,
            format!(
                "{which} is published with its private part ({}): anyone who can read the key set could have signed this token",
                key.private_members.join(", ")
            ),
            "remove private members from the key set and rotate the key: it is compromised",
        );
    }
    match crypto::verify(alg, key, jws.signing_input().as_bytes(), &jws.signature) {
        Ok(true) => Check::pass(
            Id::Signature,
            format!("{} signature verified with {which}", alg.name()),
        ),
        Ok(false) if jws.signature.is_empty() => Check::fail(
            Id::Signature,
            "the signature segment is empty",
            "a signed token has three non-empty segments; this one was stripped of its signature",
        ),
        Ok(false) => Check::fail(
            Id::Signature,
            format!("the {} signature does not verify with {which}", alg.name()),
            "the token was altered after signing, or signed by a different key with the same kid",
        ),
        Err(e @ CryptoError::WeakRsa(_)) => Check::fail(
            Id::Key,
            e.to_string(),
            "use an RSA key of at least 2048 bits",
        ),
        Err(e) => Check::fail(
            Id::Signature,
            e.to_string(),
            "check the key type against the token's alg",
        ),
    }
}

/// A numeric time claim: absent, a number, or of the wrong type.
enum Time {
    Absent,
    At(f64),
    WrongType(&'static str),
}

fn time(claims: &Map<String, Value>, name: &str) -> Time {
    match claims.get(name) {
        None => Time::Absent,
        Some(Value::Number(n)) => n
            .as_f64()
            .map_or(Time::WrongType("a number out of range"), Time::At),
        Some(other) => Time::WrongType(type_name(other)),
    }
}

fn at(secs: f64, now: f64) -> String {
    format!(
        "{} ({})",
        clock::relative(secs, now),
        clock::utc_or_raw(secs)
    )
}

/// Time, issuer, audience and Cognito checks.
pub fn claim_checks(claims: &Map<String, Value>, rules: &Rules, now: f64) -> Vec<Check> {
    let mut checks = Vec::new();
    let leeway = rules.leeway;
    let lw = format!("leeway {}s", leeway);
    let type_hint = "times are JSON numbers of seconds since the epoch (NumericDate)";
    match time(claims, "exp") {
        Time::Absent if rules.require_exp => checks.push(Check::fail(
            Id::Exp,
            "no exp: the token never expires",
            "issuers must set exp; pass --no-exp-required to accept tokens without one",
        )),
        Time::Absent => checks.push(Check::warn(Id::Exp, "no exp: the token never expires", "accepted because --no-exp-required")),
        Time::WrongType(t) => checks.push(Check::fail(Id::Exp, format!("exp is {t}, not a number"), type_hint)),
        Time::At(exp) if now < exp + leeway => {
            checks.push(Check::pass(Id::Exp, format!("expires {}; {lw}", at(exp, now))));
        }
        Time::At(exp) => checks.push(Check::fail(
            Id::Exp,
            format!("expired {}; {lw}", at(exp, now)),
            "get a new token (sign in again or refresh); if clocks disagree, allow skew with --leeway SECONDS",
        )),
    }
    match time(claims, "nbf") {
        Time::Absent => {}
        Time::WrongType(t) => checks.push(Check::fail(
            Id::Nbf,
            format!("nbf is {t}, not a number"),
            type_hint,
        )),
        Time::At(nbf) if now >= nbf - leeway => checks.push(Check::pass(
            Id::Nbf,
            if nbf <= now {
                format!("valid since {}", at(nbf, now))
            } else {
                format!(
                    "not valid before {}, accepted within the {lw}",
                    at(nbf, now)
                )
            },
        )),
        Time::At(nbf) => checks.push(Check::fail(
            Id::Nbf,
            format!("not valid before {}; {lw}", at(nbf, now)),
            "the token is not valid yet: wait, or check the clocks of the issuer and this machine",
        )),
    }
    match time(claims, "iat") {
        Time::Absent => {}
        Time::WrongType(t) => checks.push(Check::fail(Id::Iat, format!("iat is {t}, not a number"), type_hint)),
        Time::At(iat) if iat > now + leeway => checks.push(Check::fail(
            Id::Iat,
            format!("issued in the future: {}; {lw}", at(iat, now)),
            "the issuer's clock or this machine's is off (Hasura rejects this as JWTIssuedAtFuture); fix the clock or allow skew with --leeway",
        )),
        Time::At(iat) => checks.push(Check::pass(Id::Iat, format!("issued {}", at(iat, now)))),
    }
    checks.push(iss_check(claims, rules));
    checks.push(aud_check(claims, rules));
    checks.extend(cognito_checks(claims, rules));
    checks
}

fn iss_check(claims: &Map<String, Value>, rules: &Rules) -> Check {
    let iss = claims.get("iss");
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
            if s.trim_end_matches('/') == expected.trim_matches('"').trim_end_matches('/') {
                "issuers compare exactly: a trailing slash matters"
            } else {
                "the token comes from another issuer (another pool, region or environment)"
            },
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

/// The token's `aud` as a list, or why it is not one.
fn audiences(claims: &Map<String, Value>) -> Result<Option<Vec<&str>>, String> {
    match claims.get("aud") {
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

fn aud_check(claims: &Map<String, Value>, rules: &Rules) -> Check {
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
            let cognito_access = claims.get("token_use").and_then(Value::as_str) == Some("access");
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
pub fn cognito_checks(claims: &Map<String, Value>, rules: &Rules) -> Vec<Check> {
    let mut checks = Vec::new();
    let token_use = claims.get("token_use").and_then(Value::as_str);
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
    if !rules.client_ids.is_empty() {
        let expected = rules.client_ids.join(" or ");
        let (claim, value) = match token_use {
            Some("access") => ("client_id", claims.get("client_id")),
            Some("id") => ("aud", claims.get("aud")),
            _ => match claims.get("client_id") {
                Some(v) => ("client_id", Some(v)),
                None => ("aud", claims.get("aud")),
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
    use crate::jose::jwk::PublicKey;
    use serde_json::json;

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
            status(&claim_checks(&c, &rules(), 99.9), "exp"),
            Some(Status::Pass)
        );
        assert_eq!(
            status(&claim_checks(&c, &rules(), 100.0), "exp"),
            Some(Status::Fail)
        );
        let lenient = Rules {
            leeway: 30.0,
            ..rules()
        };
        assert_eq!(
            status(&claim_checks(&c, &lenient, 129.0), "exp"),
            Some(Status::Pass)
        );
        assert_eq!(
            status(&claim_checks(&c, &lenient, 130.0), "exp"),
            Some(Status::Fail)
        );
    }

    #[test]
    fn wrong_types_are_named_not_missing() {
        let c = obj(json!({"exp": "4102444800", "aud": 5, "nbf": [1], "iat": null, "iss": 7}));
        let checks = claim_checks(
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
            status(&claim_checks(&c, &rules(), 0.0), "exp"),
            Some(Status::Fail)
        );
        assert_eq!(
            status(&claim_checks(&c, &Rules::default(), 0.0), "exp"),
            Some(Status::Warn)
        );
    }

    #[test]
    fn nbf_and_future_iat() {
        let c = obj(json!({"exp": 1000, "nbf": 50, "iat": 60}));
        let checks = claim_checks(&c, &rules(), 40.0);
        assert_eq!(status(&checks, "nbf"), Some(Status::Fail));
        assert_eq!(status(&checks, "iat"), Some(Status::Fail));
        let checks = claim_checks(
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
            assert_eq!(
                status(&claim_checks(&c, &r, 0.0), "aud"),
                Some(want),
                "{aud}"
            );
        }
        let c = obj(json!({"exp": 10, "aud": "x"}));
        assert_eq!(
            status(&claim_checks(&c, &rules(), 0.0), "aud"),
            Some(Status::Warn)
        );
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
            status(&claim_checks(&id, &r, 0.0), "client_id"),
            Some(Status::Pass)
        );
        let access = obj(json!({"exp": 10, "token_use": "access", "client_id": "cid"}));
        let checks = claim_checks(&access, &r, 0.0);
        assert_eq!(status(&checks, "client_id"), Some(Status::Pass));
        assert_eq!(status(&checks, "token_use"), Some(Status::Fail));
    }

    #[test]
    fn crit_rules() {
        let fails = [
            json!({"alg":"HS256","crit":["foo"],"foo":1}),
            json!({"alg":"HS256","crit":[]}),
            json!({"alg":"HS256","crit":["alg"]}),
            json!({"alg":"HS256","crit":["foo"]}),
            json!({"alg":"HS256","crit":"foo","foo":1}),
            json!({"alg":"HS256","crit":["foo","foo"],"foo":1}),
            json!({"alg":"HS256","b64":false,"crit":["b64"]}),
            json!({"alg":"HS256","b64":false}),
        ];
        for h in fails {
            let c = crit_check(&obj(h.clone())).unwrap_or_else(|| panic!("{h}"));
            assert_eq!(c.status, Status::Fail, "{h}");
        }
        assert_eq!(crit_check(&obj(json!({"alg":"HS256"}))), None);
    }

    #[test]
    fn key_selection_explains_every_miss() {
        let rsa = |kid: &str, alg: Option<&str>, use_: Option<&str>| Key {
            kid: Some(kid.into()),
            alg: alg.map(str::to_string),
            use_: use_.map(str::to_string),
            key_ops: None,
            material: Material::Public(PublicKey::Rsa {
                n: vec![0xC0; 256],
                e: vec![1, 0, 1],
            }),
            private_members: vec![],
        };
        let set = KeySet {
            keys: vec![
                rsa("a", Some("RS256"), Some("sig")),
                rsa("b", Some("RS384"), None),
                rsa("c", None, Some("enc")),
            ],
            unusable: vec![],
        };
        let keys = Keys {
            set: &set,
            provenance: Provenance::RemoteSet,
            source: "test".into(),
            fetched: None,
        };
        let tok = |h: &str| {
            crate::jose::token::parse(&format!(
                "{}.e30.",
                crate::jose::base64url::encode(h.as_bytes())
            ))
            .unwrap()
        };
        let msg = |h: &str| match select(&tok(h), Alg::parse(tok(h).alg().unwrap()).unwrap(), &keys)
        {
            Ok(_) => "ok".to_string(),
            Err((c, miss)) => format!("{}{}", if miss { "miss: " } else { "" }, c.message),
        };
        assert_eq!(msg(r#"{"alg":"RS256","kid":"a"}"#), "ok");
        assert_eq!(
            msg(r#"{"alg":"RS256","kid":"z"}"#),
            r#"miss: no key with kid "z"; the key set has "a", "b", "c""#
        );
        assert_eq!(
            msg(r#"{"alg":"RS256","kid":"b"}"#),
            r#"no key fits alg RS256: kid "b": the key is for alg RS384, the token says RS256"#
        );
        assert_eq!(
            msg(r#"{"alg":"RS256","kid":"c"}"#),
            r#"no key fits alg RS256: kid "c": the key's use is "enc", not "sig""#
        );
        assert_eq!(
            msg(r#"{"alg":"ES256","kid":"a"}"#),
            r#"no key fits alg ES256: kid "a": it is an RSA public key; ES256 needs an EC P-256 public key"#
        );
        assert!(msg(r#"{"alg":"HS256","kid":"a"}"#).contains("RS→HS key-confusion"));
        assert_eq!(
            msg(r#"{"alg":"RS256"}"#),
            "ok",
            "one key fits even without kid"
        );

        let twins = KeySet {
            keys: vec![rsa("a", None, None), rsa("b", None, None)],
            unusable: vec![],
        };
        let keys = Keys {
            set: &twins,
            provenance: Provenance::FileSet,
            source: "test".into(),
            fetched: None,
        };
        let t = tok(r#"{"alg":"RS256"}"#);
        let err = select(&t, Alg::Rs(256), &keys).err().unwrap().0;
        assert_eq!(
            err.message,
            "2 keys fit alg RS256 and the token has no kid, and jwtcheck will not guess between them"
        );
    }
}
