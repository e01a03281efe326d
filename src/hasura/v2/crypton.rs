//! Signature encodings the engine's crypto accepts although they are not the canonical JWS
//! encodings (RFC 7518 §3.3–3.4, RFC 8037 §3.1), so that jwtcheck in Hasura mode accepts exactly
//! what the engine accepts. Each rewrites the signature into its canonical form, which the strict
//! verifier then checks:
//!
//! * ECDSA: hs-jose splits the signature in half and reads each half as an integer, so `r` and
//!   `s` written on more bytes (with leading zeros) or fewer verify.
//! * RSA PKCS#1 v1.5: crypton's `PKCS15.verify` reads the signature as an integer with no length
//!   check and raises the integer to `e` modulo `n` without comparing it to `n`, so extra leading
//!   zero bytes (or missing ones) and `s + n` verify.
//! * Ed25519: the reference code reduces `S`, so `S + L` (any `S` below 2^253) verifies.

use crate::jose::crypto::Alg;
use crate::jose::jwk::{Key, Material, PublicKey};

/// The order of the Ed25519 group, L = 2^252 + 27742317777372353535851937790883648493, little
/// endian.
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The canonical form of `signature` when the engine accepts it in another encoding, with a
/// description of the difference; `None` when the encoding is already canonical or no
/// rewriting applies.
pub fn canonical(alg: Alg, key: &Key, signature: &[u8]) -> Option<(Vec<u8>, String)> {
    match (alg, &key.material) {
        (Alg::Es(curve), _) => {
            let n = curve.coordinate_len();
            if signature.len() == 2 * n {
                return None;
            }
            let (r, s) = signature.split_at(signature.len() / 2);
            let mut out = fixed(r, n)?;
            out.extend(fixed(s, n)?);
            Some((
                out,
                format!(
                    "r and s are written on {} and {} bytes, not {n} each",
                    r.len(),
                    s.len()
                ),
            ))
        }
        (Alg::Rs(_), Material::Public(PublicKey::Rsa { n, .. })) => {
            let k = n.len();
            if signature.len() == k && !at_least(signature, n) {
                return None;
            }
            if let Some(out) = fixed(signature, k).filter(|out| !at_least(out, n)) {
                return Some((
                    out,
                    format!(
                        "the signature is {} bytes, not the key's {k} (the integer is the same)",
                        signature.len()
                    ),
                ));
            }
            // The engine raises the integer to e modulo n without comparing it to n first, so
            // s + n, s + 2n, ... verify as s does.
            Some((
                reduce(signature, n),
                "its integer is not below the key's modulus (the engine reduces it)".into(),
            ))
        }
        (Alg::EdDsa, Material::Public(PublicKey::Ed25519 { .. })) => {
            let (r, s) = signature.split_at_checked(32)?;
            let mut s: [u8; 32] = s.try_into().ok()?;
            // The reference code refuses an S with any of its top three bits set.
            if s[31] & 0xE0 != 0 || less_than(&s, &ED25519_L) {
                return None;
            }
            while !less_than(&s, &ED25519_L) {
                subtract(&mut s, &ED25519_L);
            }
            let mut out = r.to_vec();
            out.extend_from_slice(&s);
            Some((out, "its S is not reduced below the group order".into()))
        }
        _ => None,
    }
}

/// A big-endian integer written on exactly `len` bytes, if it fits.
fn fixed(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let digits = bytes.get(first..)?;
    if digits.len() > len {
        return None;
    }
    let mut out = vec![0; len - digits.len()];
    out.extend_from_slice(digits);
    Some(out)
}

/// `a >= b` for big-endian integers written on the same number of bytes.
fn at_least(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a >= b
}

/// `value mod modulus` for big-endian integers, written on `modulus.len()` bytes: one bit at a
/// time (shift in, subtract once when the remainder reaches the modulus). Only signatures the
/// strict verifier refuses take this path, and the token size cap bounds their length.
fn reduce(value: &[u8], modulus: &[u8]) -> Vec<u8> {
    let k = modulus.len();
    let mut wide_modulus = vec![0u8];
    wide_modulus.extend_from_slice(modulus);
    let mut rem = vec![0u8; k + 1];
    for byte in value {
        for bit in (0..8).rev() {
            let mut carry = (byte >> bit) & 1;
            for digit in rem.iter_mut().rev() {
                let next = *digit >> 7;
                *digit = (*digit << 1) | carry;
                carry = next;
            }
            if rem.as_slice() >= wide_modulus.as_slice() {
                subtract_be(&mut rem, &wide_modulus);
            }
        }
    }
    rem.split_off(1)
}

/// `a -= b` for big-endian integers of the same length with `a >= b`.
fn subtract_be(a: &mut [u8], b: &[u8]) {
    let mut borrow = 0i16;
    for (x, y) in a.iter_mut().rev().zip(b.iter().rev()) {
        let d = i16::from(*x) - i16::from(*y) - borrow;
        borrow = i16::from(d < 0);
        // In 0..=255 after adding 256 to a negative difference: the cast keeps the value.
        *x = (d + 256 * borrow) as u8;
    }
}

/// `a < b` for little-endian 256-bit integers.
fn less_than(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) == std::cmp::Ordering::Less
}

/// `a -= b` for little-endian 256-bit integers with `a >= b`.
fn subtract(a: &mut [u8; 32], b: &[u8; 32]) {
    let mut borrow = 0i16;
    for (x, y) in a.iter_mut().zip(b) {
        let d = i16::from(*x) - i16::from(*y) - borrow;
        borrow = i16::from(d < 0);
        // In 0..=255 after adding 256 to a negative difference: the cast keeps the value.
        *x = (d + 256 * borrow) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::jwk::Curve;

    fn bare(material: Material) -> Key {
        Key::bare(material)
    }

    #[test]
    fn ecdsa_halves_are_read_as_integers() {
        let key = bare(Material::Public(PublicKey::Ec {
            crv: Curve::P256,
            x: vec![],
            y: vec![],
        }));
        let mut long = vec![0];
        long.extend([1; 32]);
        long.push(0);
        long.extend([2; 32]);
        let (sig, why) = canonical(Alg::Es(Curve::P256), &key, &long).unwrap();
        assert_eq!(sig.len(), 64);
        assert_eq!(&sig[..32], &[1; 32]);
        assert!(why.contains("33 and 33 bytes"));
        assert_eq!(canonical(Alg::Es(Curve::P256), &key, &[7; 64]), None);
        // A half whose integer does not fit is not a signature the curve can have.
        assert_eq!(canonical(Alg::Es(Curve::P256), &key, &[7; 66]), None);
    }

    #[test]
    fn rsa_signatures_are_integers() {
        let key = bare(Material::Public(PublicKey::Rsa {
            n: vec![0xC0; 256],
            e: vec![1, 0, 1],
        }));
        let mut sig = vec![0];
        sig.extend([9; 256]);
        assert_eq!(canonical(Alg::Rs(256), &key, &sig).unwrap().0, vec![9; 256]);
        assert_eq!(canonical(Alg::Rs(256), &key, &[9; 256]), None);
        // Not below the modulus: s + n on the key's length, s + n and s + 2n on 257 bytes.
        let reduced = |sig: &[u8]| canonical(Alg::Rs(256), &key, sig).unwrap().0;
        assert_eq!(reduced(&[0xC1; 256]), vec![1; 256]);
        let plus = |times: u16| {
            let mut out = vec![0u8; 257];
            let mut carry = 0u16;
            for i in (0..257).rev() {
                let n = if i == 0 { 0 } else { 0xC0 };
                let s = if i == 0 { 0 } else { 9 };
                let v = s + times * n + carry;
                out[i] = (v & 0xFF) as u8;
                carry = v >> 8;
            }
            out
        };
        assert_eq!(reduced(&plus(1)), vec![9; 256]);
        assert_eq!(reduced(&plus(2)), vec![9; 256]);
    }

    #[test]
    fn ed25519_s_is_reduced() {
        let key = bare(Material::Public(PublicKey::Ed25519 { x: vec![0; 32] }));
        let mut sig = vec![5; 32];
        let mut s_plus_l = [0u8; 32];
        s_plus_l[0] = 1; // S = 1
        // S + L
        let mut carry = 0u16;
        for (out, l) in s_plus_l.iter_mut().zip(ED25519_L) {
            let sum = u16::from(*out) + u16::from(l) + carry;
            *out = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        sig.extend(s_plus_l);
        let (canon, _) = canonical(Alg::EdDsa, &key, &sig).unwrap();
        let mut one = [0u8; 32];
        one[0] = 1;
        assert_eq!(&canon[32..], &one);
        // Already reduced, or with a top bit set: nothing to rewrite.
        let mut reduced = vec![5; 32];
        reduced.extend(one);
        assert_eq!(canonical(Alg::EdDsa, &key, &reduced), None);
        let mut high = vec![5; 63];
        high.push(0xF0);
        assert_eq!(canonical(Alg::EdDsa, &key, &high), None);
    }
}
