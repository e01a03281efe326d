//! Keys as jwtcheck holds them: public keys (RSA, EC, Ed25519) and HMAC secrets, with the JWK
//! metadata that constrains their use (`kid`, `alg`, `use`, `key_ops`), read from JWK / JWKS JSON.
//!
//! Pure: parsing, describing (`kty`, bits, curve) and RFC 7638 thumbprints.

use serde_json::{Map, Value};

use crate::jose::base64url;

/// An elliptic curve jwtcheck verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// P-256, for ES256.
    P256,
    /// P-384, for ES384.
    P384,
    /// P-521, for ES512.
    P521,
}

impl Curve {
    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// Bytes per coordinate.
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The one JWS algorithm for this curve.
    pub fn alg(self) -> &'static str {
        match self {
            Curve::P256 => "ES256",
            Curve::P384 => "ES384",
            Curve::P521 => "ES512",
        }
    }

    /// The curve a JWK `crv` names (`P-256`, `P-384`, `P-521`).
    pub fn from_name(name: &str) -> Option<Curve> {
        match name {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            "P-521" => Some(Curve::P521),
            _ => None,
        }
    }
}

/// A public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA modulus and exponent (big-endian, no leading zeros).
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// An EC point.
    Ec {
        /// Curve.
        crv: Curve,
        /// X coordinate.
        x: Vec<u8>,
        /// Y coordinate.
        y: Vec<u8>,
    },
    /// An Ed25519 key.
    Ed25519 {
        /// The 32-byte key.
        x: Vec<u8>,
    },
}

/// Key material: a public key, or an HMAC secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Material {
    /// For RS*, PS*, ES*, EdDSA.
    Public(PublicKey),
    /// For HS*; never printed.
    Secret(Vec<u8>),
}

/// A verification key with its JWK metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// `kid`.
    pub kid: Option<String>,
    /// `alg`, when the key pins one.
    pub alg: Option<String>,
    /// `use` (`sig` or `enc`).
    pub use_: Option<String>,
    /// `key_ops`.
    pub key_ops: Option<Vec<String>>,
    /// The key itself.
    pub material: Material,
    /// Private members the JWK carries (`d`, `p`, …): a published private key.
    pub private_members: Vec<String>,
    /// What is worked out from the key once and kept with it (shared by its clones).
    pub derived: Derived,
}

/// How many public-key verification algorithms aws-lc has a parsed key for (RS256–512,
/// PS256–512, ES256/384/512, Ed25519): the slots of [`Derived::verifier`].
pub const VERIFIER_SLOTS: usize = 10;

/// What is worked out from a key once, when first asked, and kept with it: aws-lc's parsed
/// public key for each algorithm it verifies with, the JWK thumbprint and the ROCA test. A batch
/// verifies millions of tokens with the same few keys; clones of a key share this.
#[derive(Clone, Default)]
pub struct Derived(std::sync::Arc<DerivedParts>);

#[derive(Default)]
struct DerivedParts {
    verifiers: [std::sync::OnceLock<Option<aws_lc_rs::signature::ParsedPublicKey>>; VERIFIER_SLOTS],
    thumbprint: std::sync::OnceLock<String>,
    roca: std::sync::OnceLock<bool>,
}

impl Derived {
    /// The parsed public key for verification algorithm `slot`, parsed by `parse` the first
    /// time; `None` when aws-lc refuses the key (or `slot` is out of range).
    pub fn verifier(
        &self,
        slot: usize,
        parse: impl FnOnce() -> Option<aws_lc_rs::signature::ParsedPublicKey>,
    ) -> Option<&aws_lc_rs::signature::ParsedPublicKey> {
        self.0.verifiers.get(slot)?.get_or_init(parse).as_ref()
    }
}

/// A cache: every key's is equal to every other's, so it never decides whether keys differ.
impl PartialEq for Derived {
    fn eq(&self, _: &Derived) -> bool {
        true
    }
}

impl Eq for Derived {}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived")
    }
}

impl Key {
    /// A key without JWK metadata (from PEM or a secret).
    pub fn bare(material: Material) -> Key {
        Key {
            kid: None,
            alg: None,
            use_: None,
            key_ops: None,
            material,
            private_members: Vec::new(),
            derived: Derived::default(),
        }
    }

    /// JWK `kty`: RSA, EC, OKP or oct.
    pub fn kty(&self) -> &'static str {
        match &self.material {
            Material::Public(PublicKey::Rsa { .. }) => "RSA",
            Material::Public(PublicKey::Ec { .. }) => "EC",
            Material::Public(PublicKey::Ed25519 { .. }) => "OKP",
            Material::Secret(_) => "oct",
        }
    }

    /// RSA modulus size or HMAC key size in bits.
    pub fn bits(&self) -> Option<usize> {
        match &self.material {
            Material::Public(PublicKey::Rsa { n, .. }) => Some(bit_length(n)),
            Material::Secret(s) => Some(s.len() * 8),
            _ => None,
        }
    }

    /// Why this RSA public key must not be trusted even when a signature verifies with it: a
    /// public exponent of 1 (the "signature" is the padded message itself), an even exponent
    /// (not a valid RSA key), or a modulus with the ROCA fingerprint (CVE-2017-15361: made by
    /// Infineon's RSALib, its private key can be computed from it).
    pub fn weakness(&self) -> Option<String> {
        let Material::Public(PublicKey::Rsa { n, e }) = &self.material else {
            return None;
        };
        let e_is_one = e.iter().rev().skip(1).all(|b| *b == 0) && e.last() == Some(&1);
        if e_is_one {
            return Some("its public exponent e is 1, so anyone can forge its signatures".into());
        }
        if e.last().is_some_and(|b| b % 2 == 0) {
            return Some("its public exponent e is even, which no valid RSA key has".into());
        }
        let roca = *self.derived.0.roca.get_or_init(|| roca_test(n));
        roca.then(|| {
            "its modulus has the ROCA fingerprint (CVE-2017-15361, Infineon RSALib): its private key can be computed from the public key".into()
        })
    }

    /// EC / OKP curve name.
    pub fn crv(&self) -> Option<&'static str> {
        match &self.material {
            Material::Public(PublicKey::Ec { crv, .. }) => Some(crv.name()),
            Material::Public(PublicKey::Ed25519 { .. }) => Some("Ed25519"),
            _ => None,
        }
    }

    /// RFC 7638 JWK thumbprint (SHA-256, base64url); `None` for secrets, which must not be
    /// fingerprinted in output.
    pub fn thumbprint(&self) -> Option<String> {
        let Material::Public(pk) = &self.material else {
            return None;
        };
        Some(
            self.derived
                .0
                .thumbprint
                .get_or_init(|| compute_thumbprint(pk))
                .clone(),
        )
    }

    /// The public JWK of this key (secrets are left out).
    pub fn to_public_jwk(&self) -> Option<Map<String, Value>> {
        let Material::Public(pk) = &self.material else {
            return None;
        };
        let mut m = Map::new();
        m.insert("kty".into(), self.kty().into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        if let Some(alg) = &self.alg {
            m.insert("alg".into(), alg.clone().into());
        }
        if let Some(u) = &self.use_ {
            m.insert("use".into(), u.clone().into());
        }
        match pk {
            PublicKey::Rsa { n, e } => {
                m.insert("n".into(), base64url::encode(n).into());
                m.insert("e".into(), base64url::encode(e).into());
            }
            PublicKey::Ec { crv, x, y } => {
                m.insert("crv".into(), crv.name().into());
                m.insert("x".into(), base64url::encode(x).into());
                m.insert("y".into(), base64url::encode(y).into());
            }
            PublicKey::Ed25519 { x } => {
                m.insert("crv".into(), "Ed25519".into());
                m.insert("x".into(), base64url::encode(x).into());
            }
        }
        Some(m)
    }
}

/// A JWK that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// Position in the key set (0-based).
    pub index: usize,
    /// Its `kid`, if readable.
    pub kid: Option<String>,
    /// Its `kty`, if readable.
    pub kty: Option<String>,
    /// Its `alg`, if readable.
    pub alg: Option<String>,
    /// Its `use`, if readable.
    pub use_: Option<String>,
    /// The RSA modulus size in bits, when `n` can be decoded (padded, or with leading zeros).
    pub bits: Option<usize>,
    /// Why it cannot be used.
    pub reason: String,
}

/// A parsed key set: the usable keys and the ones that are not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeySet {
    /// Keys that can verify, in document order.
    pub keys: Vec<Key>,
    /// Keys that cannot, with reasons.
    pub unusable: Vec<Unusable>,
}

impl KeySet {
    /// Every `kid` in the set, usable or not.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<&str> = self.keys.iter().filter_map(|k| k.kid.as_deref()).collect();
        kids.extend(self.unusable.iter().filter_map(|u| u.kid.as_deref()));
        kids
    }
}

/// Why a document is not a key set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwksError {
    /// Not a JSON object with a `keys` array (and not a single JWK either).
    #[error("not a JWKS: {0}")]
    Shape(String),
    /// The `keys` array is empty.
    #[error("the key set is empty (\"keys\": [])")]
    Empty,
}

/// Reads a JWKS document, or a single JWK (treated as a set of one).
pub fn parse_set(value: &Value) -> Result<KeySet, JwksError> {
    let obj = value.as_object().ok_or_else(|| {
        JwksError::Shape(format!(
            "the document is {}, not an object",
            crate::jose::json::type_name(value)
        ))
    })?;
    let items: Vec<&Value> = match obj.get("keys") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => {
            return Err(JwksError::Shape(format!(
                "\"keys\" is {}, not an array",
                crate::jose::json::type_name(other)
            )));
        }
        None if obj.contains_key("kty") => vec![value],
        None => return Err(JwksError::Shape("no \"keys\" member".into())),
    };
    if items.is_empty() {
        return Err(JwksError::Empty);
    }
    let mut set = KeySet::default();
    for (index, item) in items.into_iter().enumerate() {
        match item.as_object() {
            Some(jwk) => match parse_key(jwk) {
                Ok(k) => set.keys.push(k),
                Err(reason) => {
                    let text =
                        |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_string);
                    set.unusable.push(Unusable {
                        index,
                        kid: text("kid"),
                        kty: text("kty"),
                        alg: text("alg"),
                        use_: text("use"),
                        bits: modulus_bits(jwk),
                        reason,
                    });
                }
            },
            None => set.unusable.push(Unusable {
                index,
                kid: None,
                kty: None,
                alg: None,
                use_: None,
                bits: None,
                reason: format!("{}, not a JWK object", crate::jose::json::type_name(item)),
            }),
        }
    }
    Ok(set)
}

/// The size of an RSA JWK's modulus when `n` decodes, read leniently (base64url with padding or
/// spare bits, leading zero bytes): what a key jwtcheck cannot use still tells about its size.
fn modulus_bits(jwk: &Map<String, Value>) -> Option<usize> {
    if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
        return None;
    }
    let n = jwk.get("n").and_then(Value::as_str)?.trim_end_matches('=');
    let n = base64url::decode_ignoring_spare_bits(n).ok()?;
    let first = n.iter().position(|b| *b != 0)?;
    Some(bit_length(n.get(first..)?))
}

/// The bit length of a big-endian integer without leading zero bytes.
fn bit_length(n: &[u8]) -> usize {
    let lead = n.first().map_or(0, |b| 8 - b.leading_zeros() as usize);
    n.len().saturating_sub(1) * 8 + lead
}

/// RFC 7638 thumbprint of a public key (SHA-256 of its canonical JSON, base64url).
fn compute_thumbprint(pk: &PublicKey) -> String {
    // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
    let canonical = match pk {
        PublicKey::Rsa { n, e } => format!(
            r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
            base64url::encode(e),
            base64url::encode(n)
        ),
        PublicKey::Ec { crv, x, y } => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            crv.name(),
            base64url::encode(x),
            base64url::encode(y)
        ),
        PublicKey::Ed25519 { x } => format!(
            r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
            base64url::encode(x)
        ),
    };
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    base64url::encode(digest.as_ref())
}

/// The ROCA fingerprint test (Nemec et al., "The Return of Coppersmith's Attack", CCS 2017):
/// RSALib moduli are 65537^a mod M for a primorial M, so modulo each small prime p they fall in
/// the subgroup 65537 generates. A random modulus passes all 38 primes with negligible chance.
fn roca_test(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    // Whether `residue` is in the subgroup 65537 generates modulo p (walked from 1: it returns
    // to 1 within p - 1 steps).
    let in_subgroup = |residue: u64, p: u64| {
        let g = 65_537 % p;
        let mut x = 1;
        loop {
            if x == residue {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                return false;
            }
        }
    };
    if n.is_empty() {
        return false;
    }
    // One pass over the modulus per group of primes whose product fits in 32 bits (the
    // first group, 3 to 23, settles almost every key), then each prime's residue from it.
    let mut start = 0;
    while let Some(rest) = PRIMES.get(start..).filter(|r| !r.is_empty()) {
        let mut product: u64 = 1;
        let mut len = 0;
        for &p in rest {
            if product * u64::from(p) > u64::from(u32::MAX) {
                break;
            }
            product *= u64::from(p);
            len += 1;
        }
        let residue = n
            .iter()
            .fold(0u64, |acc, &b| (acc * 256 + u64::from(b)) % product);
        if !rest
            .iter()
            .take(len)
            .all(|&p| in_subgroup(residue % u64::from(p), u64::from(p)))
        {
            return false;
        }
        start += len;
    }
    true
}

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// Reads one JWK.
pub fn parse_key(jwk: &Map<String, Value>) -> Result<Key, String> {
    let kty = opt_str(jwk, "kty")?.ok_or("kty is missing")?;
    let key_ops = match jwk.get("key_ops") {
        None => None,
        Some(Value::Array(ops)) => Some(
            ops.iter()
                .map(|o| {
                    o.as_str()
                        .map(str::to_string)
                        .ok_or("key_ops must list strings")
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("key_ops must be an array".into()),
    };
    let material = material(&kty, jwk)?;
    let private_members = if kty == "oct" {
        Vec::new()
    } else {
        PRIVATE_MEMBERS
            .iter()
            .filter(|m| jwk.contains_key(**m))
            .map(|m| (*m).to_string())
            .collect()
    };
    Ok(Key {
        kid: opt_str(jwk, "kid")?,
        alg: opt_str(jwk, "alg")?,
        use_: opt_str(jwk, "use")?,
        key_ops,
        material,
        private_members,
        derived: Derived::default(),
    })
}

/// The key material of a JWK of type `kty`.
fn material(kty: &str, jwk: &Map<String, Value>) -> Result<Material, String> {
    Ok(match kty {
        "RSA" => {
            let n = member(jwk, "n")?;
            let e = member(jwk, "e")?;
            if n.first() == Some(&0) {
                return Err(
                    "member n has a leading zero byte (not minimal; Hasura rejects it too)".into(),
                );
            }
            if n.is_empty() || e.is_empty() {
                return Err("RSA n and e must not be empty".into());
            }
            Material::Public(PublicKey::Rsa { n, e })
        }
        "EC" => {
            let crv_name = opt_str(jwk, "crv")?.ok_or("crv is missing")?;
            let crv = Curve::from_name(&crv_name).ok_or_else(|| {
                format!("curve {crv_name} is not supported (P-256, P-384, P-521)")
            })?;
            let (x, y) = (member(jwk, "x")?, member(jwk, "y")?);
            if x.len() != crv.coordinate_len() || y.len() != crv.coordinate_len() {
                return Err(format!(
                    "x and y of a {} key are {} bytes each",
                    crv.name(),
                    crv.coordinate_len()
                ));
            }
            if !on_curve(crv, &x, &y) {
                return Err(format!("the point (x, y) is not on {}", crv.name()));
            }
            Material::Public(PublicKey::Ec { crv, x, y })
        }
        "OKP" => {
            let crv = opt_str(jwk, "crv")?.ok_or("crv is missing")?;
            if crv != "Ed25519" {
                return Err(format!("OKP curve {crv} is not supported (Ed25519)"));
            }
            let x = member(jwk, "x")?;
            if x.len() != 32 {
                return Err("x of an Ed25519 key is 32 bytes".into());
            }
            Material::Public(PublicKey::Ed25519 { x })
        }
        "oct" => Material::Secret(member(jwk, "k")?),
        other => return Err(format!("kty {other} is not supported (RSA, EC, OKP, oct)")),
    })
}

/// An optional string member.
fn opt_str(jwk: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "{name} is {}, not a string",
            crate::jose::json::type_name(other)
        )),
    }
}

/// A required base64url member, decoded.
fn member(jwk: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    match jwk.get(name) {
        Some(Value::String(s)) => base64url::decode(s).map_err(|p| format!("member {name}: {p}")),
        Some(other) => Err(format!(
            "member {name} is {}, not a string",
            crate::jose::json::type_name(other)
        )),
        None => Err(format!("member {name} is missing")),
    }
}

/// Whether `(x, y)` is a point of the curve (the check a JWK reader owes its users: a point off
/// the curve is not a public key, and invalid-curve attacks start there).
pub fn on_curve(crv: Curve, x: &[u8], y: &[u8]) -> bool {
    let algorithm: &'static dyn aws_lc_rs::signature::VerificationAlgorithm = match crv {
        Curve::P256 => &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
        Curve::P384 => &aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED,
        Curve::P521 => &aws_lc_rs::signature::ECDSA_P521_SHA512_FIXED,
    };
    aws_lc_rs::signature::ParsedPublicKey::new(algorithm, uncompressed(x, y)).is_ok()
}

/// An EC point in the uncompressed SEC 1 form (0x04, x, y), as aws-lc reads it.
pub fn uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut point = Vec::with_capacity(1 + x.len() + y.len());
    point.push(0x04);
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    point
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let key = parse_key(jwk.as_object().unwrap()).unwrap();
        assert_eq!(
            key.thumbprint().unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(key.bits(), Some(2048));
        assert_eq!(key.kid.as_deref(), Some("2011-04-29"));
    }

    #[test]
    fn reads_ec_okp_and_oct_and_flags_private_members() {
        let set = parse_set(&json!({"keys": [
            {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"},
            {"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"},
            {"kty":"EC","crv":"secp256k1","x":"AA","y":"AA","kid":"k1"},
            "junk"
        ]}))
        .unwrap();
        assert_eq!(set.keys.len(), 3);
        assert_eq!(set.keys[0].private_members, vec!["d"]);
        assert_eq!(set.keys[0].crv(), Some("P-256"));
        assert_eq!(set.keys[1].kty(), "OKP");
        assert_eq!(set.keys[2].bits(), Some(512));
        assert_eq!(set.keys[2].thumbprint(), None);
        assert_eq!(set.unusable.len(), 2);
        assert!(set.unusable[0].reason.contains("secp256k1"));
        assert_eq!(set.kids(), vec!["k1"]);
    }

    #[test]
    fn rejects_non_sets() {
        assert_eq!(parse_set(&json!({"keys": []})), Err(JwksError::Empty));
        assert!(matches!(parse_set(&json!([1])), Err(JwksError::Shape(_))));
        assert!(matches!(
            parse_set(&json!({"keys": 1})),
            Err(JwksError::Shape(_))
        ));
        assert!(matches!(
            parse_set(&json!({"a": 1})),
            Err(JwksError::Shape(_))
        ));
    }

    #[test]
    fn weak_rsa_keys_are_named() {
        let rsa = |n: Vec<u8>, e: Vec<u8>| Key::bare(Material::Public(PublicKey::Rsa { n, e }));
        // An arbitrary odd 2048-bit modulus, not an RSALib one.
        let mut n = vec![0xC5; 256];
        n[255] = 0x01;
        assert_eq!(rsa(n.clone(), vec![1, 0, 1]).weakness(), None);
        assert!(
            rsa(n.clone(), vec![0, 1])
                .weakness()
                .unwrap()
                .contains("e is 1")
        );
        assert!(
            rsa(n.clone(), vec![1, 0, 2])
                .weakness()
                .unwrap()
                .contains("even")
        );
        assert_eq!(
            Key::bare(Material::Secret(vec![1])).weakness(),
            None,
            "only RSA keys have these weaknesses"
        );
        // The ROCA fingerprint: a product of powers of 65537 passes every prime's test.
        assert!(roca_test(&[0x01, 0x00, 0x01]));
        // The grouped residues agree with one prime at a time, on powers of 65537 (all
        // fingerprinted) and on pseudo-random moduli.
        let one_at_a_time = |n: &[u8]| {
            !n.is_empty()
                && [
                    3u32, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
                    79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157,
                    163, 167,
                ]
                .iter()
                .all(|&p| {
                    let r = n.iter().fold(0, |acc, &b| (acc * 256 + u32::from(b)) % p);
                    (0..p)
                        .scan(1, |x, _| {
                            let now = *x;
                            *x = *x * (65_537 % p) % p;
                            Some(now)
                        })
                        .any(|x| x == r)
                })
        };
        let mut power = vec![1u8];
        for _ in 0..40 {
            let mut carry = 0u32;
            for byte in power.iter_mut().rev() {
                let v = u32::from(*byte) * 65_537 + carry;
                *byte = (v & 0xff) as u8;
                carry = v >> 8;
            }
            while carry > 0 {
                power.insert(0, (carry & 0xff) as u8);
                carry >>= 8;
            }
            assert!(roca_test(&power) && one_at_a_time(&power));
        }
        let mut x: u64 = 7;
        for len in 1..300 {
            let n: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (x >> 56) as u8
                })
                .collect();
            assert_eq!(roca_test(&n), one_at_a_time(&n), "{n:?}");
        }
        assert!(!roca_test(&n));
    }
}
