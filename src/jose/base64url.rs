//! Strict base64url (RFC 4648 §5, no padding) with messages that name the offending character.
//!
//! A lenient decoder lets several strings decode to the same bytes (padding, the standard
//! alphabet, spare bits), which breaks anything keyed on the token text and hides paste damage.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What is wrong with a would-be base64url string; positions are 1-based characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// `=` padding, which JWS forbids.
    #[error("character {at} '=' is padding; base64url in a JWT or a JWK carries no padding")]
    Padding {
        /// Position of the first `=`.
        at: usize,
    },
    /// `+` or `/`: the standard base64 alphabet.
    #[error(
        "character {at} '{ch}' belongs to standard base64, not base64url (which uses '-' and '_')"
    )]
    StandardAlphabet {
        /// Position.
        at: usize,
        /// The character.
        ch: char,
    },
    /// Any other character outside `A-Z a-z 0-9 - _`.
    #[error("character {at} {} is not base64url", shown(*.ch))]
    BadChar {
        /// Position.
        at: usize,
        /// The character.
        ch: char,
    },
    /// A length that no base64 encoding produces.
    #[error("{len} characters is not a possible base64url length (one too many or too few)")]
    Length {
        /// Number of characters.
        len: usize,
    },
    /// The last character carries bits that must be zero.
    #[error(
        "last character '{ch}' sets spare bits that must be zero (a non-canonical encoding: the text was altered)"
    )]
    TrailingBits {
        /// The last character.
        ch: char,
    },
}

/// Renders a character for a message: printable ones quoted, others as escapes.
fn shown(ch: char) -> String {
    match ch {
        '\n' => "'\\n' (a line break)".to_string(),
        '\r' => "'\\r' (a carriage return)".to_string(),
        '\t' => "'\\t' (a tab)".to_string(),
        ' ' => "' ' (a space)".to_string(),
        c if c.is_control() || !c.is_ascii() => format!("{} ('{}')", c.escape_unicode(), c),
        c => format!("'{c}'"),
    }
}

/// Decodes `text` as strict unpadded base64url.
pub fn decode(text: &str) -> Result<Vec<u8>, Problem> {
    // The engine refuses exactly what is not strict base64url (padding, another alphabet, an
    // impossible length, spare bits set): when it accepts, so would the checks below.
    if let Ok(bytes) = URL_SAFE_NO_PAD.decode(text) {
        return Ok(bytes);
    }
    for (i, ch) in text.chars().enumerate() {
        let at = i + 1;
        match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => {}
            '=' => return Err(Problem::Padding { at }),
            '+' | '/' => return Err(Problem::StandardAlphabet { at, ch }),
            _ => return Err(Problem::BadChar { at, ch }),
        }
    }
    if text.len() % 4 == 1 {
        return Err(Problem::Length { len: text.len() });
    }
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| Problem::TrailingBits {
            // Every character is in the alphabet and the length is possible, so the only failure
            // left is non-zero spare bits in the last character.
            ch: text.chars().last().unwrap_or('?'),
        })
}

/// Decodes unpadded base64url as the `memory` package's `Base64URLUnpadded` does (what the
/// engine's issuer pre-check uses): the alphabet and the length are checked, the spare bits of
/// the last character are not.
pub fn decode_ignoring_spare_bits(text: &str) -> Result<Vec<u8>, Problem> {
    match decode(text) {
        Err(Problem::TrailingBits { .. }) => {
            let engine = base64::engine::GeneralPurpose::new(
                &base64::alphabet::URL_SAFE,
                base64::engine::GeneralPurposeConfig::new()
                    .with_encode_padding(false)
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
                    .with_decode_allow_trailing_bits(true),
            );
            engine
                .decode(text)
                .map_err(|_| Problem::Length { len: text.len() })
        }
        other => other,
    }
}

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_canonical_text() {
        assert_eq!(decode("eyJhIjoxfQ").unwrap(), br#"{"a":1}"#);
        assert_eq!(decode("").unwrap(), b"");
    }

    #[test]
    fn names_each_kind_of_damage() {
        assert_eq!(decode("eyJh=").unwrap_err(), Problem::Padding { at: 5 });
        assert_eq!(
            decode("ab+c").unwrap_err(),
            Problem::StandardAlphabet { at: 3, ch: '+' }
        );
        assert_eq!(
            decode("abc*").unwrap_err().to_string(),
            "character 4 '*' is not base64url"
        );
        assert_eq!(
            decode("ab\ncd").unwrap_err().to_string(),
            "character 3 '\\n' (a line break) is not base64url"
        );
        assert_eq!(decode("abcde").unwrap_err(), Problem::Length { len: 5 });
        // "QQ" is canonical for "A"; "QR" decodes to the same byte in lenient decoders.
        assert_eq!(decode("QR").unwrap_err(), Problem::TrailingBits { ch: 'R' });
        assert_eq!(decode_ignoring_spare_bits("QR").unwrap(), b"A");
        assert!(
            decode_ignoring_spare_bits("QR=").is_err(),
            "padding stays an error"
        );
    }

    #[test]
    fn round_trips() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }
    }
}
