//! Key selection, one pipeline step for every profile: which keys may verify a token, or why
//! none can. jwtcheck's rule ([`KeyRule::Strict`], RFC 8725 and panva/jose): the header `alg`
//! decides the key family (and curve); `kid` must match exactly; a JWK's `alg`, `use` and
//! `key_ops`, when present, must agree; exactly one key may match. Hasura v2's rule
//! ([`KeyRule::EveryKey`], hs-jose): every key of the right family is tried, `kid`, `use`,
//! `key_ops` and a JWK's `alg` are ignored, and HMAC keys shorter than the hash are skipped.

use serde_json::{Map, Value};

use crate::jose::crypto::{Alg, Family};
use crate::jose::json::type_name;
use crate::jose::jwk::{Key, KeySet, Material, Unusable};
use crate::report::{Check, Id, KeyInfo, Text};

/// How a profile picks keys.
#[derive(Debug, Clone, Copy)]
pub enum KeyRule<'a> {
    /// jwtcheck's own rule: exactly one key, named by `kid` in a key set.
    Strict {
        /// Where the keys came from (a fetched set never lends a symmetric key).
        provenance: Provenance,
        /// The set's keys jwtcheck cannot read (a `kid` naming one of them says so).
        unusable: &'a [Unusable],
        /// An HMAC secret shorter than the hash warns instead of failing.
        allow_weak_secret: bool,
    },
    /// Hasura v2 (hs-jose): every key whose family fits, in order.
    EveryKey,
}

/// Which keys may verify the token.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection<'k> {
    /// The keys to try, in order: exactly one under the strict rule, every fitting key under
    /// [`KeyRule::EveryKey`] (possibly none: the engine then fails on the signature).
    pub candidates: Vec<&'k Key>,
    /// Notes on the chosen key (a short HMAC secret).
    pub notes: Vec<Check>,
    /// Why no key may verify the token (strict rule).
    pub refusal: Option<Refusal>,
}

/// Why no key was selected.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The failing `key` check, with its explanation.
    pub check: Check,
    /// The token names a `kid` the key set does not have (a refetch may help).
    pub kid_miss: bool,
}

/// Selects the keys that may verify a token with this header and `alg`.
pub fn select<'k>(
    header: &Map<String, Value>,
    alg: Alg,
    keys: &'k [Key],
    rule: KeyRule<'_>,
) -> Selection<'k> {
    match rule {
        KeyRule::Strict {
            provenance,
            unusable,
            allow_weak_secret,
        } => match strict(header, alg, keys, provenance, unusable, allow_weak_secret) {
            Ok((key, notes)) => Selection {
                candidates: vec![key],
                notes,
                refusal: None,
            },
            Err((check, kid_miss)) => Selection {
                candidates: Vec::new(),
                notes: Vec::new(),
                refusal: Some(Refusal { check, kid_miss }),
            },
        },
        KeyRule::EveryKey => Selection {
            candidates: keys.iter().filter(|k| jose_fits(k, alg)).collect(),
            notes: Vec::new(),
            refusal: None,
        },
    }
}

/// hs-jose's key compatibility: the family must fit, and an HMAC key must be at least as long
/// as the hash.
fn jose_fits(key: &Key, alg: Alg) -> bool {
    if Family::of(key) != alg.family() {
        return false;
    }
    match (&key.material, alg.hmac_min_len()) {
        (Material::Secret(s), Some(min)) => s.len() >= min,
        _ => true,
    }
}

/// Keys to verify with, and where they came from.
#[derive(Debug, Clone)]
pub struct Keys<'a> {
    /// The keys.
    pub set: &'a KeySet,
    /// Where they came from.
    pub provenance: Provenance,
    /// A display name of the source (URL, path, `--secret-env NAME`).
    pub source: &'a str,
    /// Network/cache freshness note.
    pub fetched: Option<&'a str>,
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

/// The token's kid: absent, or a string (anything else is refused).
fn header_kid(header: &Map<String, Value>) -> Result<Option<&str>, (Check, bool)> {
    match header.get("kid") {
        None => Ok(None),
        Some(Value::String(k)) => Ok(Some(k.as_str())),
        Some(other) => Err((
            Check::fail(
                Id::Key,
                format!("kid is {}, not a string", type_name(other)),
                "a kid is an opaque string matched exactly against the key set; anything else is an attack pattern",
            ),
            false,
        )),
    }
}

/// jwtcheck's rule, in order (kid, the named keys, the ambiguous kid, the fitting keys): the
/// one key that may verify this token, or why none can.
fn strict<'k>(
    header: &Map<String, Value>,
    alg: Alg,
    keys: &'k [Key],
    provenance: Provenance,
    unusable: &[Unusable],
    allow_weak_secret: bool,
) -> Result<(&'k Key, Vec<Check>), (Check, bool)> {
    let kid = header_kid(header)?;
    // A token's kid names exactly one key of a set; a key given on purpose (--key, a secret)
    // is used whatever the token says.
    let named: Vec<&Key> = keys
        .iter()
        .filter(|k| match kid {
            Some(want) if provenance != Provenance::Single => k.kid.as_deref() == Some(want),
            _ => true,
        })
        .collect();
    if named.is_empty() {
        return Err(kid_not_found(kid, keys, unusable));
    }
    if let Some(kid) = kid
        && provenance != Provenance::Single
        && let Some(u) = unusable.iter().find(|u| u.kid.as_deref() == Some(kid))
    {
        return Err((
            Check::fail(
                Id::Key,
                format!(
                    "kid {kid:?} names {} keys of the set, and jwtcheck cannot read one of them ({}): the key set is ambiguous",
                    named.len() + 1,
                    u.reason
                ),
                "another verifier may pick the key jwtcheck cannot read; give every key its own kid (jwtcheck jwks lists them)",
            ),
            false,
        ));
    }
    // A set that publishes public keys is meant to be seen: a secret in it is not secret.
    let mixed = provenance == Provenance::FileSet
        && keys.iter().any(|k| Family::of(k) != Family::Hmac)
        && keys.iter().any(|k| Family::of(k) == Family::Hmac);
    let mut reasons = Vec::new();
    let mut fitting: Vec<&Key> = Vec::new();
    for key in named {
        match unfit(key, alg, provenance, mixed) {
            Some(reason) => reasons.push((key, reason)),
            None => fitting.push(key),
        }
    }
    match fitting.as_slice() {
        [key] => chosen(key, alg, allow_weak_secret).map(|notes| (*key, notes)),
        [] => Err((no_fit(alg, &reasons, provenance, mixed), false)),
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

/// No key has the token's kid: one the set has but jwtcheck cannot read, or none at all (a
/// refetch may help: the issuer may have rotated its keys).
fn kid_not_found(kid: Option<&str>, keys: &[Key], unusable: &[Unusable]) -> (Check, bool) {
    if let Some(u) = unusable
        .iter()
        .find(|u| kid.is_some() && u.kid.as_deref() == kid)
    {
        return (
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
        );
    }
    // The listing stays a line: a few kids, each cut short, however large the set.
    const SHOWN: usize = 5;
    const KID_CHARS: usize = 64;
    let all: Vec<&str> = keys
        .iter()
        .filter_map(|k| k.kid.as_deref())
        .chain(unusable.iter().filter_map(|u| u.kid.as_deref()))
        .collect();
    let mut kids: Vec<String> = all
        .iter()
        .take(SHOWN)
        .map(|k| match k.char_indices().nth(KID_CHARS) {
            Some((cut, _)) => format!("{:?}…", k.get(..cut).unwrap_or(k)),
            None => format!("{k:?}"),
        })
        .collect();
    if all.len() > SHOWN {
        kids.push(format!("and {} more", all.len() - SHOWN));
    }
    let listing = if kids.is_empty() {
        "the key set has no kids".to_string()
    } else {
        format!("the key set has {}", kids.join(", "))
    };
    (
        Check::fail(
            Id::Key,
            format!("no key with kid {:?}; {listing}", kid.unwrap_or("")),
            "the token was signed by another issuer or pool (check iss), or the issuer rotated its keys; for Cognito, make sure the token comes from the pool whose keys you gave",
        ),
        true,
    )
}

/// The one fitting key, unless it is an empty HMAC secret. A secret shorter than the hash fails
/// the key check (warns with `--allow-weak-secret`), and the signature is still checked.
fn chosen(key: &Key, alg: Alg, allow_weak_secret: bool) -> Result<Vec<Check>, (Check, bool)> {
    let mut notes = Vec::new();
    if let Material::Secret(s) = &key.material {
        if s.is_empty() {
            return Err((
                Check::fail(
                    Id::Key,
                    "the HMAC secret is empty: anyone can sign a token that verifies with it",
                    "the secret was not filled in (an unset CI variable, an empty file?); give the real secret",
                ),
                false,
            ));
        }
        if let Some(min) = alg.hmac_min_len()
            && s.len() < min
        {
            let message = format!(
                "the HMAC secret is {} bytes, shorter than the {min} bytes {} needs (RFC 7518 §3.2)",
                s.len(),
                alg.name()
            );
            notes.push(if allow_weak_secret {
                Check::warn(
                    Id::Key,
                    message,
                    "accepted because --allow-weak-secret; a short secret can be guessed offline from any token, and Hasura refuses such a key at startup (Key size too small)",
                )
            } else {
                Check::fail(
                    Id::Key,
                    message,
                    "a short secret can be guessed offline from any token, and Hasura refuses such a key at startup (Key size too small): use a longer secret, or pass --allow-weak-secret to check this one anyway",
                )
            });
        }
    }
    Ok(notes)
}

/// No named key fits the algorithm: say why for each, and name key confusion as an attack.
fn no_fit(alg: Alg, reasons: &[(&Key, String)], provenance: Provenance, mixed: bool) -> Check {
    let confusion =
        alg.family() == Family::Hmac && reasons.iter().all(|(k, _)| Family::of(k) != Family::Hmac);
    let message = if confusion {
        format!(
            "alg {} needs an HMAC secret, but the {} {}: a public key is never used as an HMAC secret (the RS→HS key-confusion attack)",
            alg.name(),
            if reasons.len() == 1 {
                "key is"
            } else {
                "keys are"
            },
            describe_families(reasons)
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
    let only_secrets =
        !reasons.is_empty() && reasons.iter().all(|(k, _)| Family::of(k) == Family::Hmac);
    let hint = if only_secrets && provenance == Provenance::RemoteSet {
        "symmetric keys are never taken from a fetched key set; give the secret with --secret-file or --secret-env"
    } else if only_secrets && mixed {
        "a key set that publishes public keys never lends its symmetric keys; give the secret on its own with --secret-file or --secret-env"
    } else if confusion {
        "this token was forged: it claims HMAC so that a public key would serve as the secret; reject it"
    } else {
        "the token's alg must match the key: RSA keys verify RS*/PS*, EC keys ES* on their curve, Ed25519 keys EdDSA"
    };
    Check::fail(Id::Key, message, hint)
}

fn describe_families(reasons: &[(&Key, String)]) -> String {
    let mut names: Vec<String> = reasons
        .iter()
        .map(|(k, _)| Family::of(k).describe())
        .collect();
    names.dedup();
    names.join(" / ")
}

/// Why a key may not verify this algorithm, if it may not; `mixed`: the key set file also
/// publishes public keys.
fn unfit(key: &Key, alg: Alg, provenance: Provenance, mixed: bool) -> Option<String> {
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
    if family == Family::Hmac && mixed {
        return Some(
            "a symmetric (oct) key in a key set that also publishes public keys is meant to be seen: anyone who has the set could sign with it"
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
        kty: Text::Borrowed(key.kty()),
        alg: Some(Text::Borrowed(alg.name())),
        bits: match key.material {
            Material::Secret(_) => None,
            _ => key.bits(),
        },
        crv: key.crv().map(Text::Borrowed),
        thumbprint: key.thumbprint(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::jwk::PublicKey;

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
            derived: Default::default(),
        };
        let set = KeySet {
            keys: vec![
                rsa("a", Some("RS256"), Some("sig")),
                rsa("b", Some("RS384"), None),
                rsa("c", None, Some("enc")),
            ],
            unusable: vec![],
        };
        let rule = KeyRule::Strict {
            provenance: Provenance::RemoteSet,
            unusable: &[],
            allow_weak_secret: false,
        };
        let tok = |h: &str| {
            crate::jose::token::parse(&format!(
                "{}.e30.",
                crate::jose::base64url::encode(h.as_bytes())
            ))
            .unwrap()
        };
        let msg = |h: &str| {
            let t = tok(h);
            let alg = Alg::parse(t.alg().unwrap()).unwrap();
            match select(&t.header, alg, &set.keys, rule).refusal {
                None => "ok".to_string(),
                Some(r) => format!(
                    "{}{}",
                    if r.kid_miss { "miss: " } else { "" },
                    r.check.message
                ),
            }
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
        let rule = KeyRule::Strict {
            provenance: Provenance::FileSet,
            unusable: &[],
            allow_weak_secret: false,
        };
        let t = tok(r#"{"alg":"RS256"}"#);
        let err = select(&t.header, Alg::Rs(256), &twins.keys, rule)
            .refusal
            .unwrap()
            .check;
        assert_eq!(
            err.message,
            "2 keys fit alg RS256 and the token has no kid, and jwtcheck will not guess between them"
        );
    }

    #[test]
    fn hasura_tries_every_key_of_the_right_family() {
        let secret = |kid: &str, len: usize| Key {
            kid: Some(kid.into()),
            alg: Some("RS256".into()),
            use_: Some("enc".into()),
            key_ops: None,
            material: Material::Secret(vec![7; len]),
            private_members: vec![],
            derived: Default::default(),
        };
        let keys = vec![secret("short", 31), secret("a", 32), secret("b", 64)];
        let header = serde_json::from_str(r#"{"alg":"HS256","kid":"zzz"}"#).unwrap();
        let s = select(
            &header,
            Alg::parse("HS256").unwrap(),
            &keys,
            KeyRule::EveryKey,
        );
        let kids: Vec<_> = s
            .candidates
            .iter()
            .map(|k| k.kid.as_deref().unwrap())
            .collect();
        assert_eq!(
            kids,
            ["a", "b"],
            "kid, use and alg are ignored; short secrets skipped"
        );
        assert!(s.refusal.is_none());
        let none = select(
            &header,
            Alg::parse("RS256").unwrap(),
            &keys,
            KeyRule::EveryKey,
        );
        assert!(none.candidates.is_empty());
    }
}
