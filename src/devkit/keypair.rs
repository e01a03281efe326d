//! Signing keys for the dev kit: generated (RSA 2048, EC P-256, Ed25519) or read from a PEM
//! private key, signing with aws-lc-rs, and described as the public JWK a Cognito pool publishes.
//!
//! The public half is derived from the private key and read back by jwtcheck's own PEM reader,
//! so that the key set, the `kid` and the verifier all see one and the same key.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    self, ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING,
    ECDSA_P521_SHA512_FIXED_SIGNING, EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair,
    KeyPair as _, RsaKeyPair,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::jose::base64url;
use crate::jose::crypto::Alg;
use crate::jose::jwk::{Key, Material, PublicKey};
use crate::jose::pem::{self, PemError};
use crate::report::Id;

/// The key types `keygen` makes: the algorithms Cognito and Hasura share, one per family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RSA 2048 for RS256 (what Cognito uses).
    Rs256,
    /// EC P-256 for ES256.
    Es256,
    /// Ed25519 for EdDSA.
    EdDsa,
}

/// Why a key cannot sign.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The PEM text is not readable.
    #[error("{0}")]
    Pem(PemError),
    /// A public key or certificate where the private key is needed.
    #[error("this is a {0} block, a public key; minting signs with the private key")]
    Public(String),
    /// An encrypted private key.
    #[error("the private key is encrypted")]
    Encrypted,
    /// A block that holds no private key jwtcheck knows.
    #[error("a PEM block of type {0:?} holds no private key jwtcheck signs with")]
    Label(String),
    /// A private key aws-lc-rs refuses (type, size, damage).
    #[error("not an RSA (2048 to 8192 bits), EC P-256/P-384/P-521 or Ed25519 private key ({0})")]
    Unsupported(String),
    /// The crypto library failed to generate or sign.
    #[error("the crypto library failed to {0}")]
    Crypto(&'static str),
}

impl KeyError {
    /// Stable id.
    pub fn id(&self) -> Id {
        Id::MintKey
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            KeyError::Encrypted => {
                "decrypt it first: openssl pkey -in key.pem -out plain.pem (keep plain.pem private)"
                    .into()
            }
            KeyError::Crypto(_) => "try again; the system's random source may be failing".into(),
            _ => "give the folder jwtcheck keygen wrote, or its private.pem (PKCS#8, PKCS#1 RSA or SEC1 EC PEM)".into(),
        }
    }
}

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A private key that signs tokens, with its public key.
pub struct SigningKey {
    pair: Pair,
    public: PublicKey,
    spki: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private key.
        f.debug_struct("SigningKey")
            .field("alg", &self.alg().name())
            .field("kid", &self.kid())
            .finish()
    }
}

const CURVES: [&EcdsaSigningAlgorithm; 3] = [
    &ECDSA_P256_SHA256_FIXED_SIGNING,
    &ECDSA_P384_SHA384_FIXED_SIGNING,
    &ECDSA_P521_SHA512_FIXED_SIGNING,
];

/// Generates a key pair and returns its private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
pub fn generate(kind: Kind) -> Result<String, KeyError> {
    let failed = |_| KeyError::Crypto("generate a key");
    let der: Vec<u8> = match kind {
        Kind::Rs256 => {
            let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(failed)?;
            let der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair).map_err(failed)?;
            der.as_ref().to_vec()
        }
        Kind::Es256 => {
            let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(failed)?;
            pair.to_pkcs8v1().map_err(failed)?.as_ref().to_vec()
        }
        Kind::EdDsa => {
            let pair = Ed25519KeyPair::generate().map_err(failed)?;
            pair.to_pkcs8v1().map_err(failed)?.as_ref().to_vec()
        }
    };
    Ok(pem::encode("PRIVATE KEY", &der))
}

impl SigningKey {
    /// Reads the first PEM block of `text`: a PKCS#8 `PRIVATE KEY`, a PKCS#1 `RSA PRIVATE KEY`
    /// or a SEC1 `EC PRIVATE KEY`.
    pub fn from_pem(text: &str) -> Result<SigningKey, KeyError> {
        let (label, der) = pem::first_block(text).map_err(KeyError::Pem)?;
        let pair = match label.as_str() {
            "PRIVATE KEY" => pkcs8(&der)?,
            "RSA PRIVATE KEY" => Pair::Rsa(
                RsaKeyPair::from_der(&der).map_err(|e| KeyError::Unsupported(e.to_string()))?,
            ),
            "EC PRIVATE KEY" => CURVES
                .iter()
                .find_map(|alg| EcdsaKeyPair::from_private_key_der(alg, &der).ok())
                .map(Pair::Ec)
                .ok_or_else(|| KeyError::Unsupported("an EC key on another curve".into()))?,
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            l if l.contains("PUBLIC KEY") || l.contains("CERTIFICATE") => {
                return Err(KeyError::Public(label));
            }
            _ => return Err(KeyError::Label(label)),
        };
        let failed = |_| KeyError::Crypto("encode the public key");
        let spki = match &pair {
            Pair::Rsa(k) => k.public_key().as_der().map_err(failed)?.as_ref().to_vec(),
            Pair::Ec(k) => k.public_key().as_der().map_err(failed)?.as_ref().to_vec(),
            Pair::Ed(k) => k.public_key().as_der().map_err(failed)?.as_ref().to_vec(),
        };
        let public = pem::public_key(&pem::encode("PUBLIC KEY", &spki)).map_err(KeyError::Pem)?;
        Ok(SigningKey { pair, public, spki })
    }

    /// The algorithm this key signs with: RS256, ES256/384/512 by curve, EdDSA.
    pub fn alg(&self) -> Alg {
        match &self.public {
            PublicKey::Rsa { .. } => Alg::Rs(256),
            PublicKey::Ec { crv, .. } => Alg::Es(*crv),
            PublicKey::Ed25519 { .. } => Alg::EdDsa,
        }
    }

    /// The `type` a Hasura `key` configuration names this key's algorithm with.
    pub fn hasura_type(&self) -> String {
        match self.alg() {
            Alg::EdDsa => "Ed25519".into(),
            other => other.name().into(),
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn public_pem(&self) -> String {
        pem::encode("PUBLIC KEY", &self.spki)
    }

    /// The key id: the RFC 7638 thumbprint in standard base64 (32 bytes, padded), which looks
    /// like a Cognito `kid` (`+`, `/`, a trailing `=`) and is the same wherever the key is read.
    pub fn kid(&self) -> String {
        let thumbprint = Key::bare(Material::Public(self.public.clone()))
            .thumbprint()
            .and_then(|t| base64url::decode(&t).ok())
            .unwrap_or_default();
        STANDARD.encode(thumbprint)
    }

    /// The public JWK with `kid`, `alg` and `use`, members in alphabetical order as Cognito's key
    /// set lists them.
    pub fn jwk(&self) -> Map<String, Value> {
        let mut key = Key::bare(Material::Public(self.public.clone()));
        key.kid = Some(self.kid());
        key.alg = Some(self.alg().name().into());
        key.use_ = Some("sig".into());
        let sorted: std::collections::BTreeMap<String, Value> = key
            .to_public_jwk()
            .unwrap_or_default()
            .into_iter()
            .collect();
        sorted.into_iter().collect()
    }

    /// Signs `message` (the JWS signing input); ECDSA signatures are `r || s`, as JWS wants.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let failed = |_| KeyError::Crypto("sign");
        match &self.pair {
            Pair::Rsa(k) => {
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    message,
                    &mut sig,
                )
                .map_err(failed)?;
                Ok(sig)
            }
            Pair::Ec(k) => Ok(k
                .sign(&SystemRandom::new(), message)
                .map_err(failed)?
                .as_ref()
                .to_vec()),
            Pair::Ed(k) => Ok(k.sign(message).as_ref().to_vec()),
        }
    }
}

/// A PKCS#8 private key of any family jwtcheck signs with.
fn pkcs8(der: &[u8]) -> Result<Pair, KeyError> {
    if let Ok(k) = RsaKeyPair::from_pkcs8(der) {
        return Ok(Pair::Rsa(k));
    }
    if let Some(k) = CURVES
        .iter()
        .find_map(|alg| EcdsaKeyPair::from_pkcs8(alg, der).ok())
    {
        return Ok(Pair::Ec(k));
    }
    Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
        .map(Pair::Ed)
        .map_err(|e| KeyError::Unsupported(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::crypto;
    use crate::jose::jwk;

    fn round_trip(kind: Kind, alg: &str) {
        let pem = generate(kind).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
        let key = SigningKey::from_pem(&pem).unwrap();
        assert_eq!(key.alg().name(), alg);
        let sig = key.sign(b"a.b").unwrap();
        let public = jwk::parse_key(&key.jwk()).unwrap();
        assert_eq!(public.kid.as_deref(), Some(key.kid().as_str()));
        let a = crypto::Alg::parse(alg).unwrap();
        assert!(crypto::verify(a, &public, b"a.b", &sig).unwrap());
        assert!(!crypto::verify(a, &public, b"a.c", &sig).unwrap());
        // The public PEM reads back as the same key.
        assert_eq!(
            &pem::public_key(&key.public_pem()).unwrap(),
            key.public_key()
        );
    }

    #[test]
    fn generated_keys_sign_and_verify() {
        round_trip(Kind::Rs256, "RS256");
        round_trip(Kind::Es256, "ES256");
        round_trip(Kind::EdDsa, "EdDSA");
    }

    #[test]
    fn kids_look_like_cognitos() {
        let key = SigningKey::from_pem(&generate(Kind::EdDsa).unwrap()).unwrap();
        let kid = key.kid();
        assert_eq!(kid.len(), 44);
        assert!(kid.ends_with('='));
        assert_eq!(STANDARD.decode(&kid).unwrap().len(), 32);
        // Derived from the public key: the same whichever way the key is read.
        assert_eq!(
            SigningKey::from_pem(&generate(Kind::EdDsa).unwrap())
                .unwrap()
                .kid()
                .len(),
            44
        );
    }

    #[test]
    fn the_jwk_lists_members_like_cognito() {
        let key = SigningKey::from_pem(&generate(Kind::Rs256).unwrap()).unwrap();
        let jwk = key.jwk();
        let names: Vec<&str> = jwk.keys().map(String::as_str).collect();
        assert_eq!(names, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(key.hasura_type(), "RS256");
    }

    #[test]
    fn public_keys_and_junk_are_refused_with_reasons() {
        let key = SigningKey::from_pem(&generate(Kind::Es256).unwrap()).unwrap();
        assert!(matches!(
            SigningKey::from_pem(&key.public_pem()),
            Err(KeyError::Public(_))
        ));
        assert!(matches!(
            SigningKey::from_pem("nothing"),
            Err(KeyError::Pem(PemError::NoPem))
        ));
        let encrypted = pem::encode("ENCRYPTED PRIVATE KEY", b"x");
        assert_eq!(
            SigningKey::from_pem(&encrypted).unwrap_err(),
            KeyError::Encrypted
        );
        let junk = pem::encode("PRIVATE KEY", b"junk");
        assert!(matches!(
            SigningKey::from_pem(&junk),
            Err(KeyError::Unsupported(_))
        ));
        assert_eq!(KeyError::Encrypted.id(), "mint.key");
    }
}
