//! Public keys from PEM files: SubjectPublicKeyInfo (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`)
//! and X.509 certificates (`CERTIFICATE`), the forms Hasura's `key` field and `--key` accept.
//!
//! A small DER reader walks only the structures needed to find the key; the key itself is then
//! handed to the crypto library as raw components.

use crate::report::Id;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

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
        DerProblem::Malformed(p) => PemError::Der {
            label: label.to_string(),
            problem: p.to_string(),
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

enum DerProblem {
    Malformed(&'static str),
    Unsupported(String),
}

type DerResult<T> = Result<T, DerProblem>;

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;

const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
const OID_EC: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
const OID_SECP256K1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x0A];
const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2B, 0x65, 0x71];

/// A cursor over DER bytes.
struct Der<'a> {
    bytes: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Der { bytes }
    }

    fn peek_tag(&self) -> Option<u8> {
        self.bytes.first().copied()
    }

    /// Reads one TLV and returns its tag and contents.
    fn any(&mut self) -> DerResult<(u8, &'a [u8])> {
        let malformed = DerProblem::Malformed;
        let (&tag, rest) = self.bytes.split_first().ok_or(malformed("truncated"))?;
        let (&first, mut rest) = rest.split_first().ok_or(malformed("truncated"))?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 4 || rest.len() < n {
                return Err(malformed("bad length"));
            }
            let mut len = 0usize;
            for &b in &rest[..n] {
                len = (len << 8) | usize::from(b);
            }
            rest = &rest[n..];
            len
        };
        if rest.len() < len {
            return Err(malformed("truncated"));
        }
        let (value, after) = rest.split_at(len);
        self.bytes = after;
        Ok((tag, value))
    }

    /// Reads one TLV and returns it whole (tag and length included).
    fn tlv(&mut self) -> DerResult<&'a [u8]> {
        let start = self.bytes;
        self.any()?;
        Ok(&start[..start.len() - self.bytes.len()])
    }

    fn expect(&mut self, tag: u8, what: &'static str) -> DerResult<&'a [u8]> {
        match self.any()? {
            (t, v) if t == tag => Ok(v),
            _ => Err(DerProblem::Malformed(what)),
        }
    }
}

/// SubjectPublicKeyInfo.
fn spki(der: &[u8]) -> DerResult<PublicKey> {
    let mut outer = Der::new(der);
    let mut info = Der::new(outer.expect(TAG_SEQUENCE, "expected a SEQUENCE")?);
    let mut algorithm = Der::new(info.expect(TAG_SEQUENCE, "expected an AlgorithmIdentifier")?);
    let oid = algorithm.expect(TAG_OID, "expected an algorithm OID")?;
    let bits = info.expect(TAG_BIT_STRING, "expected the key BIT STRING")?;
    let key = match bits.split_first() {
        Some((0, key)) => key,
        _ => return Err(DerProblem::Malformed("bad BIT STRING")),
    };
    match oid {
        OID_RSA | OID_RSA_PSS => rsa_public_key(key),
        OID_EC => {
            let curve_oid = algorithm.expect(TAG_OID, "expected a named curve")?;
            let crv = match curve_oid {
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
                return Err(DerProblem::Malformed("an Ed25519 key is 32 bytes"));
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
        Some((4, xy)) if xy.len() == 2 * n => Ok(PublicKey::Ec {
            crv,
            x: xy[..n].to_vec(),
            y: xy[n..].to_vec(),
        }),
        Some((2 | 3, _)) => Err(DerProblem::Unsupported("compressed EC points".into())),
        _ => Err(DerProblem::Malformed("bad EC point")),
    }
}

/// PKCS#1 RSAPublicKey.
fn rsa_public_key(der: &[u8]) -> DerResult<PublicKey> {
    let mut outer = Der::new(der);
    let mut seq = Der::new(outer.expect(TAG_SEQUENCE, "expected RSAPublicKey")?);
    let n = unsigned(seq.expect(TAG_INTEGER, "expected the modulus")?);
    let e = unsigned(seq.expect(TAG_INTEGER, "expected the exponent")?);
    if n.is_empty() || e.is_empty() {
        return Err(DerProblem::Malformed("empty RSA integer"));
    }
    Ok(PublicKey::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
    })
}

fn unsigned(int: &[u8]) -> &[u8] {
    let mut i = int;
    while let Some((0, rest)) = i.split_first() {
        i = rest;
    }
    i
}

/// The SubjectPublicKeyInfo of an X.509 certificate.
fn certificate(der: &[u8]) -> DerResult<PublicKey> {
    let mut outer = Der::new(der);
    let mut cert = Der::new(outer.expect(TAG_SEQUENCE, "expected a Certificate")?);
    let mut tbs = Der::new(cert.expect(TAG_SEQUENCE, "expected tbsCertificate")?);
    if tbs.peek_tag() == Some(0xA0) {
        tbs.any()?; // [0] version
    }
    tbs.expect(TAG_INTEGER, "expected the serial number")?;
    // signature algorithm, issuer, validity, subject
    for _ in 0..4 {
        tbs.expect(TAG_SEQUENCE, "expected a certificate field")?;
    }
    spki(tbs.tlv()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // openssl genpkey -algorithm ed25519 | openssl pkey -pubout
    const ED25519_PUB: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";

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
}
