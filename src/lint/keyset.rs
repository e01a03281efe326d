//! What is worth knowing about a key set: its keys as rows, what its caching headers mean for a
//! verifier and for Hasura, and its lints (duplicate kids, weak or published keys, …).
//!
//! Pure; shared by `jwks` and `check`.

use crate::report::Id;
use std::collections::HashMap;

use crate::hasura::v2::refresh;
use crate::http::CacheHeaders;
use crate::jose::crypto::{Alg, Family};
use crate::jose::jwk::{KeySet, Material};
use crate::jose::select::Provenance;
use crate::report::{Check, JwkRow};

/// The keys of a set as `jwks` lists them (unusable ones at their own positions).
pub fn rows(set: &KeySet) -> Vec<JwkRow> {
    let mut rows: Vec<JwkRow> = set
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| JwkRow {
            index: i,
            kid: k.kid.clone(),
            kty: Some(k.kty().to_string()),
            alg: k.alg.clone(),
            use_: k.use_.clone(),
            bits: match k.material {
                Material::Secret(_) => None,
                _ => k.bits(),
            },
            crv: k.crv().map(str::to_string),
            thumbprint: k.thumbprint(),
            unusable: None,
        })
        .collect();
    // Usable keys were numbered in order; put the unusable ones at their own positions.
    let mut all: Vec<JwkRow> = Vec::new();
    let mut usable = rows.drain(..);
    let total = set.keys.len() + set.unusable.len();
    for index in 0..total {
        if let Some(u) = set.unusable.iter().find(|u| u.index == index) {
            all.push(JwkRow {
                index,
                kid: u.kid.clone(),
                kty: u.kty.clone(),
                alg: u.alg.clone(),
                use_: u.use_.clone(),
                bits: u.bits,
                crv: None,
                thumbprint: None,
                unusable: Some(u.reason.clone()),
            });
        } else if let Some(mut row) = usable.next() {
            row.index = index;
            all.push(row);
        }
    }
    all
}

/// `2 keys (RSA-2048 RS256, …); served with Cache-Control: …`.
pub fn summary(rows: &[JwkRow], headers: Option<&CacheHeaders>) -> String {
    let mut kinds: Vec<String> = Vec::new();
    for r in rows {
        let mut k = r.kty.clone().unwrap_or_else(|| "?".into());
        if let Some(b) = r.bits {
            k.push_str(&format!("-{b}"));
        }
        if let Some(c) = &r.crv {
            k.push_str(&format!(" {c}"));
        }
        if let Some(a) = &r.alg {
            k.push_str(&format!(" {a}"));
        }
        kinds.push(k);
    }
    let served = match headers {
        None => String::new(),
        Some(h) => match (&h.cache_control, &h.expires) {
            (Some(cc), _) => format!("; served with Cache-Control: {cc}"),
            (None, Some(e)) => format!("; served with Expires: {e}"),
            (None, None) => "; served without caching headers".into(),
        },
    };
    // A first line stays a line, however many keys the set has.
    const SHOWN: usize = 4;
    if kinds.len() > SHOWN {
        let more = kinds.len() - SHOWN;
        kinds.truncate(SHOWN);
        kinds.push(format!("and {more} more"));
    }
    format!(
        "{} key{} ({}){served}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        kinds.join(", ")
    )
}

/// The engine whose key set refresh the caching lines describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Hasura v2: refetches a `jwk_url` as its caching headers say.
    HasuraV2,
    /// Hasura DDN: fetches a `jwkFromUrl` on every request.
    HasuraDdn,
}

impl Reader {
    /// What this engine does with a key set served with these headers, in one sentence.
    pub fn refresh(self, h: &CacheHeaders, received: f64) -> String {
        match self {
            Reader::HasuraV2 => refresh::refresh(h, received).explain(),
            Reader::HasuraDdn => crate::hasura::ddn::jwks::REFRESH.to_string(),
        }
    }
}

/// What the caching headers mean, for jwtcheck's cache and for the engine's refresh.
pub fn explain(h: &CacheHeaders, received: f64, reader: Reader) -> Vec<String> {
    let mut lines = Vec::new();
    let ours = match crate::http::lifetime(h, received) {
        None => "a verifier must not cache this key set (no-store) and fetches it for every token"
            .to_string(),
        Some(0.0) => {
            "a verifier must revalidate this key set before each use (no-cache or max-age=0)".into()
        }
        Some(ttl) if h.cache_control.is_none() && h.expires.is_none() => format!(
            "no caching headers: a verifier picks its own lifetime (jwtcheck keeps it {})",
            crate::clock::span(ttl)
        ),
        Some(ttl) => format!(
            "a verifier may keep this key set for {} before fetching it again",
            crate::clock::span(ttl)
        ),
    };
    lines.push(ours);
    lines.push(reader.refresh(h, received));
    if let Some(age) = &h.age {
        lines.push(format!(
            "Age: {age}: the response came from a shared cache and was that many seconds old"
        ));
    }
    if let Some(etag) = &h.etag {
        lines.push(format!(
            "ETag: {etag}: refetches can be conditional (If-None-Match); jwtcheck uses it"
        ));
    }
    lines
}

/// Whether Hasura picks up rotated keys, from the caching headers.
pub fn caching_check(h: &CacheHeaders, received: f64) -> Check {
    let r = refresh::refresh(h, received);
    if r.handles_rotation() {
        Check::pass(Id::LintCache, r.explain())
    } else {
        Check::warn(
            Id::LintCache,
            r.explain(),
            "serve the key set with Cache-Control: max-age=N (e.g. 3600) so verifiers pick up rotated keys",
        )
    }
}

/// Member names the key set document repeats.
pub fn duplicates(duplicates: &[String]) -> Option<Check> {
    (!duplicates.is_empty()).then(|| {
        Check::warn(
            Id::LintDuplicateMembers,
            format!("the document repeats member names: {}", duplicates.join(", ")),
            "readers disagree on which value counts (Hasura and jwtcheck use the first): name every member once",
        )
    })
}

/// Why an RSA key under 2048 bits fails.
const RSA_SIZE_HINT: &str = "RSA keys under 2048 bits are breakable; replace the key";

/// The lints of a key set (`remote`: it was fetched from a URL).
pub fn lint(set: &KeySet, remote: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    if set.keys.is_empty() && !set.unusable.is_empty() {
        checks.push(Check::fail(
            Id::KeysUnusable,
            format!(
                "no key of this set can be used: jwtcheck cannot read any of its {} key(s)",
                set.unusable.len()
            ),
            "no token signed by these keys can be verified; the lines below give each key's reason",
        ));
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for kid in set.kids() {
        *counts.entry(kid).or_default() += 1;
    }
    let mut dups: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, _)| *k)
        .collect();
    dups.sort_unstable();
    for kid in dups {
        checks.push(Check::fail(
            Id::LintKidDuplicate,
            format!("kid {kid:?} names more than one key"),
            "a verifier selects keys by kid; give every key its own",
        ));
    }
    let several = set.keys.len() + set.unusable.len() > 1;
    let per_key: Vec<(String, Check)> = set
        .keys
        .iter()
        .flat_map(|k| {
            let name = key_name(k);
            key_lints(k, several, remote)
                .into_iter()
                .map(move |c| (name.clone(), c))
        })
        .collect();
    checks.extend(grouped(per_key));
    for u in &set.unusable {
        if let Some(bits) = u.bits.filter(|b| *b < 2048) {
            checks.push(Check::fail(
                Id::LintRsaSize,
                format!(
                    "key #{} ({}) is RSA-{bits}, under 2048 bits",
                    u.index,
                    u.kid.as_deref().unwrap_or("no kid")
                ),
                RSA_SIZE_HINT,
            ));
        }
        checks.push(Check::warn(
            Id::LintUnusable,
            format!("key #{} ({}) cannot be used: {}", u.index, u.kid.as_deref().unwrap_or("no kid"), u.reason),
            "Hasura parses key sets strictly: one key it cannot read makes it reject the whole set at startup",
        ));
    }
    checks
}

/// How a key's lints name it.
fn key_name(k: &crate::jose::jwk::Key) -> String {
    match &k.kid {
        Some(kid) => format!("kid {kid:?}"),
        None => format!("a {} key without kid", k.kty()),
    }
}

/// The same lint said of several keys, as one line with the count and the keys (in the order of
/// their first lint): `8 keys have no alg (kid "a", kid "b", …)`.
fn grouped(per_key: Vec<(String, Check)>) -> Vec<Check> {
    // The listing stays a line however many keys share the lint.
    const SHOWN: usize = 5;
    let mut groups: Vec<(Check, String, Vec<String>)> = Vec::new();
    for (name, check) in per_key {
        let rest = check
            .message
            .strip_prefix(name.as_str())
            .unwrap_or(&check.message)
            .to_string();
        match groups.iter_mut().find(|(c, r, _)| {
            c.id == check.id && c.status == check.status && c.hint == check.hint && *r == rest
        }) {
            Some((_, _, names)) => names.push(name),
            None => groups.push((check, rest, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(mut check, rest, names)| {
            if names.len() > 1 {
                let rest = if let Some(r) = rest.strip_prefix(" has ") {
                    format!(" have {r}")
                } else if let Some(r) = rest.strip_prefix(" is ") {
                    format!(" are {r}")
                } else {
                    rest
                };
                let mut shown: Vec<String> = names.iter().take(SHOWN).cloned().collect();
                if names.len() > SHOWN {
                    shown.push(format!("and {} more", names.len() - SHOWN));
                }
                check.message = format!("{} keys{rest} ({})", names.len(), shown.join(", ")).into();
            }
            check
        })
        .collect()
}

/// The lints of one key (`several`: the set holds more than one key).
fn key_lints(k: &crate::jose::jwk::Key, several: bool, remote: bool) -> Vec<Check> {
    let mut out = Vec::new();
    let name = key_name(k);
    if k.kid.is_none() && several {
        out.push(Check::warn(
            Id::LintKidMissing,
            format!("{name}: no kid"),
            "with several keys, tokens must name theirs by kid",
        ));
    }
    if !k.private_members.is_empty() {
        out.push(Check::fail(
            Id::LintPrivate,
            format!(
                "{name} publishes PRIVATE key members ({})",
                k.private_members.join(", ")
            ),
            "anyone who can read this key set can sign tokens: remove them and rotate the key now",
        ));
    }
    if let Material::Secret(_) = k.material {
        out.push(Check::fail(
            Id::LintOct,
            format!("{name} is a symmetric (oct) key{}", if remote { " published for anyone to fetch" } else { "" }),
            "an HMAC secret in a key set is a shared secret made public: anyone with it can sign tokens",
        ));
    }
    if let Some(bits) = k.bits()
        && k.kty() == "RSA"
        && bits < 2048
    {
        out.push(Check::fail(
            Id::LintRsaSize,
            format!("{name} is RSA-{bits}, under 2048 bits"),
            RSA_SIZE_HINT,
        ));
    }
    if let Some(why) = crate::jose::crypto::unsupported_rsa(k) {
        out.push(Check::warn(
            Id::LintRsaSize,
            format!("{name}: {why}, which jwtcheck cannot verify with"),
            "Hasura may still verify with it; standard keys are RSA-2048 to 4096 with e = 65537",
        ));
    }
    if let Some(why) = k.weakness() {
        out.push(Check::fail(
            Id::LintRsaWeak,
            format!("{name} is weak: {why}"),
            "a signature by this key proves nothing: replace the key and revoke it",
        ));
    }
    if k.alg.is_none() {
        out.push(Check::warn(
            Id::LintAlgMissing,
            format!("{name} has no alg"),
            "without alg the key may be tried with any algorithm of its type; set it (Cognito: RS256)",
        ));
    }
    match k.use_.as_deref() {
        None => out.push(Check::warn(Id::LintUseMissing, format!("{name} has no use"), "set \"use\": \"sig\" on signing keys")),
        Some("sig") => {}
        Some(u) => out.push(Check::warn(
            Id::LintUse,
            format!("{name} has use {u:?}"),
            "only use \"sig\" keys verify signatures; Hasura rejects a whole key set with a use other than sig or enc",
        )),
    }
    out
}

/// What verification says about the key set it uses: published private members, a symmetric
/// key in a key set, repeated member names. The same facts, with the same ids, as the `jwks`
/// lints; here they warn, because the token may still verify.
pub fn verify_notes(set: &KeySet, duplicates: &[String], provenance: Provenance) -> Vec<Check> {
    let mut notes: Vec<Check> = set
        .keys
        .iter()
        .filter(|k| !k.private_members.is_empty())
        .map(|k| {
            Check::warn(
                Id::LintPrivate,
                format!(
                    "the key set publishes PRIVATE key material ({}) for kid {:?}",
                    k.private_members.join(", "),
                    k.kid.as_deref().unwrap_or("")
                ),
                "anyone who can read it can sign tokens: remove private members and rotate the key",
            )
        })
        .collect();
    if !duplicates.is_empty() {
        notes.push(Check::warn(
            Id::LintDuplicateMembers,
            format!("the key set repeats member names ({}): readers disagree on which value counts", duplicates.join(", ")),
            "jwtcheck and Hasura use the first value; fix the key set so that every name appears once",
        ));
    }
    let holds_secret = set
        .keys
        .iter()
        .any(|k| matches!(k.material, Material::Secret(_)));
    match provenance {
        Provenance::RemoteSet if holds_secret => notes.push(Check::warn(
            Id::LintOct,
            "the key set publishes a symmetric (oct) key: anyone who can fetch it can sign tokens",
            "remove it; symmetric keys are never taken from a fetched key set",
        )),
        Provenance::FileSet if holds_secret => notes.push(Check::warn(
            Id::LintOct,
            "the key set file holds a symmetric (oct) key",
            "a key set is usually published; an HMAC secret in one is a shared secret made public. Keep this file private, or give the secret with --secret-file",
        )),
        _ => {}
    }
    notes
}

/// Whether the key set has keys of the family the configuration's `type` names.
pub fn type_fit(types: &[String], set: &KeySet) -> Vec<Check> {
    let mut checks = Vec::new();
    for t in types {
        // The engine's `type` Ed25519 is also a JWS algorithm name (RFC 9864).
        let Some(alg) = Alg::parse(t) else { continue };
        let family = alg.family();
        if set.keys.iter().any(|k| Family::of(k) == family) {
            checks.push(Check::pass(
                Id::LintKeyTypes,
                format!("type {t}: the key set has {}", family.describe()),
            ));
        } else {
            checks.push(Check::warn(
                Id::LintKeyTypes,
                format!("type {t}, but the key set has no {}", family.describe()),
                "with jwk_url the engine ignores type and tries every key; check that your tokens' alg fits the keys",
            ));
        }
    }
    checks
}
