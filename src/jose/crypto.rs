//! JWS algorithms and signature verification with typed keys.
//!
//! `jsonwebtoken` (aws-lc-rs backend) verifies every algorithm it has; ES512, which it lacks, is
//! verified with aws-lc-rs directly. The key's family decides what it may verify: a public key
//! is never turned into an HMAC secret.

use jsonwebtoken::{Algorithm, DecodingKey};

use crate::jose::base64url;
use crate::jose::jwk::{Curve, Key, Material, PublicKey, uncompressed};

/// A JWS signature algorithm jwtcheck verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// HMAC with SHA-2.
    Hs(u16),
    /// RSASSA-PKCS1-v1_5 with SHA-2.
    Rs(u16),
    /// RSASSA-PSS with SHA-2.
    Ps(u16),
    /// ECDSA on the given curve.
    Es(Curve),
    /// Ed25519.
    EdDsa,
    /// `Ed25519`: EdDSA over Ed25519, the fully-specified name RFC 9864 registers (and jwt.io
    /// now issues); it deprecates `EdDSA`.
    Ed25519,
}

/// The kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A shared secret.
    Hmac,
    /// An RSA public key.
    Rsa,
    /// An EC public key on a given curve.
    Ec(Curve),
    /// An Ed25519 public key.
    Ed25519,
}

impl Family {
    /// How people call the key this family needs.
    pub fn describe(self) -> String {
        match self {
            Family::Hmac => "an HMAC secret".into(),
            Family::Rsa => "an RSA public key".into(),
            Family::Ec(c) => format!("an EC {} public key", c.name()),
            Family::Ed25519 => "an Ed25519 public key".into(),
        }
    }

    /// The family of a key.
    pub fn of(key: &Key) -> Family {
        match &key.material {
            Material::Secret(_) => Family::Hmac,
            Material::Public(PublicKey::Rsa { .. }) => Family::Rsa,
            Material::Public(PublicKey::Ec { crv, .. }) => Family::Ec(*crv),
            Material::Public(PublicKey::Ed25519 { .. }) => Family::Ed25519,
        }
    }
}

impl Alg {
    /// Parses a header `alg`, case-sensitively (`none`, `hs256` and unknown names are `None`).
    pub fn parse(name: &str) -> Option<Alg> {
        Some(match name {
            "HS256" => Alg::Hs(256),
            "HS384" => Alg::Hs(384),
            "HS512" => Alg::Hs(512),
            "RS256" => Alg::Rs(256),
            "RS384" => Alg::Rs(384),
            "RS512" => Alg::Rs(512),
            "PS256" => Alg::Ps(256),
            "PS384" => Alg::Ps(384),
            "PS512" => Alg::Ps(512),
            "ES256" => Alg::Es(Curve::P256),
            "ES384" => Alg::Es(Curve::P384),
            "ES512" => Alg::Es(Curve::P521),
            "EdDSA" => Alg::EdDsa,
            "Ed25519" => Alg::Ed25519,
            _ => return None,
        })
    }

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Hs(256) => "HS256",
            Alg::Hs(384) => "HS384",
            Alg::Hs(_) => "HS512",
            Alg::Rs(256) => "RS256",
            Alg::Rs(384) => "RS384",
            Alg::Rs(_) => "RS512",
            Alg::Ps(256) => "PS256",
            Alg::Ps(384) => "PS384",
            Alg::Ps(_) => "PS512",
            Alg::Es(c) => c.alg(),
            Alg::EdDsa => "EdDSA",
            Alg::Ed25519 => "Ed25519",
        }
    }

    /// The key family this algorithm needs.
    pub fn family(self) -> Family {
        match self {
            Alg::Hs(_) => Family::Hmac,
            Alg::Rs(_) | Alg::Ps(_) => Family::Rsa,
            Alg::Es(c) => Family::Ec(c),
            Alg::EdDsa | Alg::Ed25519 => Family::Ed25519,
        }
    }

    /// For HMAC: the hash output size in bytes, the minimum key size RFC 7518 §3.2 asks for.
    pub fn hmac_min_len(self) -> Option<usize> {
        match self {
            Alg::Hs(b) => Some(usize::from(b / 8)),
            _ => None,
        }
    }

    fn jsonwebtoken(self) -> Option<Algorithm> {
        Some(match self {
            Alg::Hs(256) => Algorithm::HS256,
            Alg::Hs(384) => Algorithm::HS384,
            Alg::Hs(512) => Algorithm::HS512,
            Alg::Rs(256) => Algorithm::RS256,
            Alg::Rs(384) => Algorithm::RS384,
            Alg::Rs(512) => Algorithm::RS512,
            Alg::Ps(256) => Algorithm::PS256,
            Alg::Ps(384) => Algorithm::PS384,
            Alg::Ps(512) => Algorithm::PS512,
            Alg::Es(Curve::P256) => Algorithm::ES256,
            Alg::Es(Curve::P384) => Algorithm::ES384,
            Alg::EdDsa | Alg::Ed25519 => Algorithm::EdDSA,
            _ => return None,
        })
    }
}

/// Why a key could not be used for a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The key is of the wrong family (e.g. an RSA key for HS256).
    #[error("alg {alg} needs {needs}, but the key is {got}")]
    WrongFamily {
        /// The algorithm.
        alg: String,
        /// What it needs.
        needs: String,
        /// What the key is.
        got: String,
    },
    /// RSA below 2048 bits, which the crypto library refuses.
    #[error(
        "the RSA key has {0} bits; jwtcheck verifies RSA signatures only with keys of 2048 bits or more"
    )]
    WeakRsa(usize),
    /// An RSA key outside what the crypto library verifies with (over 8192 bits, or a public
    /// exponent over 33 bits): jwtcheck cannot tell whether a signature by it is valid.
    #[error("{0}, which jwtcheck's crypto library does not verify with")]
    UnsupportedRsa(String),
    /// The crypto library refused the key or algorithm.
    #[error("the key could not be used: {0}")]
    Unusable(String),
}

/// Verifies `signature` over `signing_input` with `key` under `alg`. `Ok(false)` means a
/// well-formed attempt that did not verify.
pub fn verify(
    alg: Alg,
    key: &Key,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<bool, CryptoError> {
    let family = Family::of(key);
    if family != alg.family() {
        return Err(CryptoError::WrongFamily {
            alg: alg.name().into(),
            needs: alg.family().describe(),
            got: family.describe(),
        });
    }
    if alg.family() == Family::Rsa
        && let Some(bits) = key.bits()
        && bits < 2048
    {
        return Err(CryptoError::WeakRsa(bits));
    }
    if let Some(why) = unsupported_rsa(key) {
        return Err(CryptoError::UnsupportedRsa(why));
    }
    if signature.is_empty() {
        return Ok(false);
    }
    if let Some(algorithm) = public_algorithm(alg) {
        return Ok(verify_public(algorithm, key, signing_input, signature));
    }
    let decoding = decoding_key(key);
    let Some(jwt_alg) = alg.jsonwebtoken() else {
        return Err(CryptoError::Unusable(format!(
            "{} is not available",
            alg.name()
        )));
    };
    jsonwebtoken::crypto::verify(
        &base64url::encode(signature),
        signing_input,
        &decoding,
        jwt_alg,
    )
    .map_err(|e| CryptoError::Unusable(e.to_string()))
}

fn decoding_key(key: &Key) -> DecodingKey {
    match &key.material {
        Material::Secret(s) => DecodingKey::from_secret(s),
        Material::Public(PublicKey::Rsa { n, e }) => DecodingKey::from_rsa_raw_components(n, e),
        Material::Public(PublicKey::Ec { x, y, .. }) => {
            DecodingKey::from_ec_der(&uncompressed(x, y))
        }
        Material::Public(PublicKey::Ed25519 { x }) => DecodingKey::from_ed_der(x),
    }
}

/// Why the crypto library (aws-lc) cannot verify with this RSA key, if it cannot: a modulus over
/// 8192 bits, or a public exponent over 33 bits.
pub fn unsupported_rsa(key: &Key) -> Option<String> {
    let Material::Public(PublicKey::Rsa { e, .. }) = &key.material else {
        return None;
    };
    let bits = key.bits().unwrap_or(0);
    if bits > 8192 {
        return Some(format!("the RSA key has {bits} bits, more than 8192"));
    }
    let digits = e
        .iter()
        .position(|b| *b != 0)
        .and_then(|i| e.get(i..))
        .unwrap_or_default();
    let e_bits = digits
        .first()
        .map_or(0, |first| digits.len() * 8 - first.leading_zeros() as usize);
    (e_bits > 33).then(|| format!("the RSA key's public exponent has {e_bits} bits, more than 33"))
}

/// A fingerprint of a secret that says whether two secrets are the same and reveals nothing:
/// the first 8 bytes of its SHA-256, in hex (`sha256:1a2b…`).
pub fn fingerprint(secret: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret);
    let hex: String = digest
        .as_ref()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}…")
}

/// How long a signature by `key` under `alg` is, when the key fixes it: the RSA modulus, twice
/// the EC coordinate, 64 for Ed25519, the hash for HMAC.
pub fn signature_len(alg: Alg, key: &Key) -> Option<usize> {
    match (&key.material, alg) {
        (Material::Public(PublicKey::Rsa { n, .. }), Alg::Rs(_) | Alg::Ps(_)) => Some(n.len()),
        (Material::Public(PublicKey::Ec { crv, .. }), Alg::Es(_)) => Some(2 * crv.coordinate_len()),
        (Material::Public(PublicKey::Ed25519 { .. }), Alg::EdDsa | Alg::Ed25519) => Some(64),
        (Material::Secret(_), Alg::Hs(bits)) => Some(usize::from(bits / 8)),
        _ => None,
    }
}

/// The fewest bytes a signature of `alg` has, whatever the key: RSA's are those of the smallest
/// key jwtcheck verifies with (2048 bits).
pub fn min_signature_len(alg: Alg) -> usize {
    match alg {
        Alg::Hs(bits) => usize::from(bits / 8),
        Alg::Rs(_) | Alg::Ps(_) => 256,
        Alg::Es(crv) => 2 * crv.coordinate_len(),
        Alg::EdDsa | Alg::Ed25519 => 64,
    }
}

/// When a signature is shorter than every key of its algorithm makes them: the token was cut
/// (copied from a log, a terminal or a chat that wraps lines), not signed by another key.
pub fn truncation(alg: Alg, keys: &[&Key], signature: &[u8]) -> Option<String> {
    let lens: Vec<usize> = keys.iter().filter_map(|k| signature_len(alg, k)).collect();
    let shortest = lens.iter().copied().min()?;
    (!signature.is_empty() && signature.len() < shortest).then(|| {
        let what = match keys
            .iter()
            .find(|k| signature_len(alg, k) == Some(shortest))
        {
            Some(k) if Family::of(k) == Family::Rsa => format!(
                "an {} signature by an RSA-{} key is {shortest}",
                alg.name(),
                k.bits().unwrap_or(shortest * 8)
            ),
            _ => format!("an {} signature is {shortest}", alg.name()),
        };
        format!(
            "the token was cut: the signature is {} bytes, but {what}",
            signature.len()
        )
    })
}

/// The aws-lc verification algorithm for a public-key JWS algorithm (the ones jsonwebtoken's
/// aws-lc backend uses: RSA 2048–8192 bits, fixed-length ECDSA; and ES512, which it lacks), with
/// its slot among a key's parsed verifiers ([`crate::jose::jwk::Derived::verifier`]).
fn public_algorithm(alg: Alg) -> Option<(usize, &'static dyn VerificationAlgorithm)> {
    use aws_lc_rs::signature as s;
    Some(match alg {
        Alg::Rs(256) => (0, &s::RSA_PKCS1_2048_8192_SHA256),
        Alg::Rs(384) => (1, &s::RSA_PKCS1_2048_8192_SHA384),
        Alg::Rs(512) => (2, &s::RSA_PKCS1_2048_8192_SHA512),
        Alg::Ps(256) => (3, &s::RSA_PSS_2048_8192_SHA256),
        Alg::Ps(384) => (4, &s::RSA_PSS_2048_8192_SHA384),
        Alg::Ps(512) => (5, &s::RSA_PSS_2048_8192_SHA512),
        Alg::Es(Curve::P256) => (6, &s::ECDSA_P256_SHA256_FIXED),
        Alg::Es(Curve::P384) => (7, &s::ECDSA_P384_SHA384_FIXED),
        Alg::Es(Curve::P521) => (8, &s::ECDSA_P521_SHA512_FIXED),
        Alg::EdDsa | Alg::Ed25519 => (9, &s::ED25519),
        _ => return None,
    })
}

use aws_lc_rs::signature::{ParsedPublicKey, VerificationAlgorithm};

/// The key as aws-lc reads it: a PKCS#1 RSAPublicKey, an uncompressed EC point, or the 32
/// bytes of an Ed25519 key.
fn public_bytes(key: &Key) -> Option<Vec<u8>> {
    match &key.material {
        Material::Public(PublicKey::Rsa { n, e }) => {
            use der::Encode as _;
            let n = der::asn1::UintRef::new(n).ok()?;
            let e = der::asn1::UintRef::new(e).ok()?;
            pkcs1::RsaPublicKey {
                modulus: n,
                public_exponent: e,
            }
            .to_der()
            .ok()
        }
        Material::Public(PublicKey::Ec { x, y, .. }) => Some(uncompressed(x, y)),
        Material::Public(PublicKey::Ed25519 { x }) => Some(x.clone()),
        Material::Secret(_) => None,
    }
}

/// Verifies with aws-lc, the key parsed once for each algorithm and kept with it; a key aws-lc
/// refuses verifies nothing, as jsonwebtoken's verifier answers.
fn verify_public(
    (slot, algorithm): (usize, &'static dyn VerificationAlgorithm),
    key: &Key,
    signing_input: &[u8],
    signature: &[u8],
) -> bool {
    key.derived
        .verifier(slot, || {
            public_bytes(key).and_then(|b| ParsedPublicKey::new(algorithm, b).ok())
        })
        .is_some_and(|parsed| parsed.verify_sig(signing_input, signature).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(jwk: serde_json::Value) -> Key {
        crate::jose::jwk::parse_key(jwk.as_object().unwrap()).unwrap()
    }

    fn parts(token: &str) -> (String, Vec<u8>) {
        let (input, sig) = token.rsplit_once('.').unwrap();
        (input.to_string(), base64url::decode(sig).unwrap())
    }

    #[test]
    fn every_algorithm_is_named_as_its_header_says() {
        for name in [
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
        ] {
            assert_eq!(Alg::parse(name).map(Alg::name), Some(name));
        }
    }

    #[test]
    fn rfc7515_a1_hs256() {
        let t = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let k = key(
            json!({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}),
        );
        let (input, sig) = parts(t);
        assert_eq!(verify(Alg::Hs(256), &k, input.as_bytes(), &sig), Ok(true));
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert_eq!(verify(Alg::Hs(256), &k, input.as_bytes(), &bad), Ok(false));
    }

    #[test]
    fn rfc7515_a4_es512() {
        let t = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";
        let k = key(json!({"kty":"EC","crv":"P-521",
            "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
            "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}));
        let (input, sig) = parts(t);
        assert_eq!(
            verify(Alg::Es(Curve::P521), &k, input.as_bytes(), &sig),
            Ok(true)
        );
    }

    #[test]
    fn rfc8037_a4_eddsa() {
        let t = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        let k = key(
            json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
        );
        let (input, sig) = parts(t);
        assert_eq!(verify(Alg::EdDsa, &k, input.as_bytes(), &sig), Ok(true));
    }

    #[test]
    fn public_keys_are_never_hmac_secrets() {
        let k = key(
            json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
        );
        let err = verify(Alg::Hs(256), &k, b"x", b"y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "alg HS256 needs an HMAC secret, but the key is an Ed25519 public key"
        );
    }

    #[test]
    fn algorithm_names_are_case_sensitive() {
        for name in ["none", "None", "hs256", "ed25519", "ED25519", "ES256K", ""] {
            assert_eq!(Alg::parse(name), None, "{name}");
        }
        // RFC 9864's fully-specified name for EdDSA over Ed25519.
        assert_eq!(
            Alg::parse("Ed25519").map(Alg::family),
            Some(Family::Ed25519)
        );
        assert_eq!(Alg::parse("PS384").map(Alg::name), Some("PS384"));
    }
}
