//! Public keys from PEM files: SubjectPublicKeyInfo (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`)
//! and X.509 certificates (`CERTIFICATE`), the forms Hasura's `key` field and `--key` accept.
//!
//! The DER inside is read by RustCrypto's `der`, `spki`, `pkcs1` and `x509-cert` (strict DER:
//! non-minimal lengths and trailing data are refused); the key itself is then handed to the
//! crypto library as raw components.

use crate::report::Id;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use pkcs1::RsaPublicKeyRef;
use spki::SubjectPublicKeyInfoRef;
use x509_cert::Certificate;

use crate::jose::jwk::{Curve, PublicKey};

/// Why a PEM text did not yield a public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PemError {
    /// No `-----BEGIN …-----` block.
    #[error("no PEM block (-----BEGIN …-----) found")]
    NoPem,
    /// The armor is broken.
    #[error("the PEM block {0} is not closed or its base64 is broken")]
    BadArmor(String),
    /// A private key where a public key belongs.
    #[error("this is a private key ({0}); a verifier needs only the public key")]
    PrivateKey(String),
    /// A block type that holds no public key.
    #[error("a PEM block of type {0:?} holds no public key")]
    UnknownLabel(String),
    /// The DER inside is not the structure its label promises.
    #[error("the {label} block is not valid DER: {problem}")]
    Der {
        /// The PEM label.
        label: String,
        /// What was wrong.
        problem: String,
    },
    /// A key type jwtcheck does not verify with.
    #[error("unsupported key type: {0}")]
    Unsupported(String),
}

impl PemError {
    /// Stable id.
    pub fn id(&self) -> Id {
        match self {
            PemError::NoPem => Id::KeyNoPem,
            PemError::BadArmor(_) => Id::KeyBadPem,
            PemError::PrivateKey(_) => Id::KeyPrivate,
            PemError::UnknownLabel(_) => Id::KeyPemLabel,
            PemError::Der { .. } => Id::KeyBadDer,
            PemError::Unsupported(_) => Id::KeyUnsupported,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            PemError::PrivateKey(_) => {
                "extract the public key: openssl pkey -in private.pem -pubout -out public.pem".into()
            }
            PemError::Unsupported(_) => {
                "supported: RSA, EC P-256/P-384/P-521 and Ed25519 public keys".into()
            }
            _ => "give a PEM public key (-----BEGIN PUBLIC KEY-----), an RSA PUBLIC KEY or a CERTIFICATE".into(),
        }
    }
}

/// Reads the first PEM block of `text` and returns its public key.
pub fn public_key(text: &str) -> Result<PublicKey, PemError> {
    let (label, der) = first_block(text)?;
    match label.as_str() {
        "PUBLIC KEY" => spki(&der).map_err(|p| der_error(&label, p)),
        "RSA PUBLIC KEY" => rsa_public_key(&der).map_err(|p| der_error(&label, p)),
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            certificate(&der).map_err(|p| der_error(&label, p))
        }
        l if l.contains("PRIVATE KEY") => Err(PemError::PrivateKey(l.to_string())),
        _ => Err(PemError::UnknownLabel(label)),
    }
}

fn der_error(label: &str, problem: DerProblem) -> PemError {
    match problem {
        DerProblem::Unsupported(what) => PemError::Unsupported(what),
        DerProblem::Malformed(problem) => PemError::Der {
            label: label.to_string(),
            problem,
        },
    }
}

/// The label and bytes of the first PEM block.
pub fn first_block(text: &str) -> Result<(String, Vec<u8>), PemError> {
    let start = text.find("-----BEGIN ").ok_or(PemError::NoPem)?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----").ok_or(PemError::NoPem)?;
    let label = rest[..label_end].to_string();
    let body_and_more = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body_and_more
        .find(&end_marker)
        .ok_or_else(|| PemError::BadArmor(label.clone()))?;
    let body: String = body_and_more[..end]
        .lines()
        .filter(|l| !l.contains(':')) // RFC 1421 headers such as Proc-Type
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = STANDARD
        .decode(body)
        .map_err(|_| PemError::BadArmor(label.clone()))?;
    Ok((label, der))
}

/// A PEM block: `-----BEGIN <label>-----`, the DER in base64 lines of 64 characters, the end
/// line (what `openssl` writes, and what every PEM reader takes).
pub fn encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let (line, more) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = more;
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

enum DerProblem {
    Malformed(String),
    Unsupported(String),
}

type DerResult<T> = Result<T, DerProblem>;

fn malformed(e: impl std::fmt::Display) -> DerProblem {
    DerProblem::Malformed(e.to_string())
}

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// SubjectPublicKeyInfo, in strict DER (the `der` crate refuses non-minimal lengths and
/// trailing data).
fn spki(der: &[u8]) -> DerResult<PublicKey> {
    let info = SubjectPublicKeyInfoRef::from_der(der).map_err(malformed)?;
    let key = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| malformed("the key BIT STRING has unused bits"))?;
    match info.algorithm.oid {
        OID_RSA | OID_RSA_PSS => rsa_public_key(key),
        OID_EC => {
            let crv = match info.algorithm.parameters_oid().map_err(malformed)? {
                OID_P256 => Curve::P256,
                OID_P384 => Curve::P384,
                OID_P521 => Curve::P521,
                OID_SECP256K1 => {
                    return Err(DerProblem::Unsupported("EC secp256k1 (ES256K)".into()));
                }
                _ => {
                    return Err(DerProblem::Unsupported(
                        "an EC curve other than P-256/P-384/P-521".into(),
                    ));
                }
            };
            ec_point(crv, key)
        }
        OID_ED25519 => {
            if key.len() != 32 {
                return Err(malformed("an Ed25519 key is 32 bytes"));
            }
            Ok(PublicKey::Ed25519 { x: key.to_vec() })
        }
        OID_ED448 => Err(DerProblem::Unsupported("Ed448".into())),
        _ => Err(DerProblem::Unsupported(
            "a key algorithm other than RSA, EC and Ed25519".into(),
        )),
    }
}

/// An uncompressed EC point `04 || x || y`.
fn ec_point(crv: Curve, point: &[u8]) -> DerResult<PublicKey> {
    let n = crv.coordinate_len();
    match point.split_first() {
        Some((4, xy)) if xy.len() == 2 * n => {
            let (x, y) = xy.split_at(n);
            Ok(PublicKey::Ec {
                crv,
                x: x.to_vec(),
                y: y.to_vec(),
            })
        }
        Some((2 | 3, _)) => Err(DerProblem::Unsupported("compressed EC points".into())),
        _ => Err(malformed("bad EC point")),
    }
}

/// PKCS#1 RSAPublicKey.
fn rsa_public_key(der: &[u8]) -> DerResult<PublicKey> {
    let key = RsaPublicKeyRef::from_der(der).map_err(malformed)?;
    let (n, e) = (key.modulus.as_bytes(), key.public_exponent.as_bytes());
    if n.is_empty() || e.is_empty() {
        return Err(malformed("empty RSA integer"));
    }
    Ok(PublicKey::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
    })
}

/// The SubjectPublicKeyInfo of an X.509 certificate (the whole certificate parsed strictly).
fn certificate(der: &[u8]) -> DerResult<PublicKey> {
    let cert = Certificate::from_der(der).map_err(malformed)?;
    let info = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(malformed)?;
    spki(&info)
}

#[cfg(test)]
mod tests {
    use super::*;

    // openssl genpkey -algorithm ed25519 | openssl pkey -pubout
    const ED25519_PUB: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";

    #[test]
    fn encodes_what_it_reads() {
        let der = der_of(ED25519_PUB);
        assert_eq!(encode("PUBLIC KEY", &der), ED25519_PUB);
        let long = vec![7u8; 100];
        let text = encode("X", &long);
        assert!(text.lines().all(|l| l.len() <= 64), "{text}");
        assert_eq!(first_block(&text).unwrap(), ("X".to_string(), long));
    }

    #[test]
    fn reads_an_ed25519_spki() {
        match public_key(ED25519_PUB).unwrap() {
            PublicKey::Ed25519 { x } => {
                assert_eq!(
                    crate::jose::base64url::encode(&x),
                    "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
                )
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn refuses_private_keys_and_garbage() {
        let private = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
        assert_eq!(public_key(private).unwrap_err().id(), "key.private");
        assert_eq!(public_key("hello").unwrap_err(), PemError::NoPem);
        let truncated =
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qY\n-----END PUBLIC KEY-----\n";
        assert_eq!(public_key(truncated).unwrap_err().id(), "key.bad_der");
        let unclosed = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qY\n";
        assert_eq!(public_key(unclosed).unwrap_err().id(), "key.bad_pem");
    }

    #[test]
    fn der_reader_never_panics_on_junk() {
        let mut seed = 7u32;
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) as u8
                })
                .collect();
            let _ = spki(&bytes);
            let _ = certificate(&bytes);
            let mut with_header = vec![0x30, 0x82, 0x01, 0x00];
            with_header.extend_from_slice(&bytes);
            let _ = spki(&with_header);
        }
    }

    fn der_of(pem: &str) -> Vec<u8> {
        first_block(pem).unwrap().1
    }

    #[test]
    fn strict_der_refuses_non_minimal_lengths_and_trailing_data() {
        let der = der_of(ED25519_PUB);
        assert!(spki(&der).is_ok());
        // The outer SEQUENCE's length (0x2a) written in long form: 0x81 0x2a.
        let mut long_form = vec![0x30, 0x81];
        long_form.extend_from_slice(&der[1..]);
        assert!(matches!(spki(&long_form), Err(DerProblem::Malformed(_))));
        // A byte after the structure.
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(matches!(spki(&trailing), Err(DerProblem::Malformed(_))));
        // Through the PEM reader: the same refusals, as key.bad_der.
        let pem = |bytes: &[u8]| {
            format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
                STANDARD.encode(bytes)
            )
        };
        assert_eq!(
            public_key(&pem(&long_form)).unwrap_err().id(),
            "key.bad_der"
        );
        assert_eq!(public_key(&pem(&trailing)).unwrap_err().id(), "key.bad_der");
    }
}
