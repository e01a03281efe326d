//! Splitting and decoding a compact JWS strictly, and recognising a compact JWE.
//!
//! Pure: no I/O, no clock. Every failure names the segment and the problem.

use crate::report::Id;
use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::input::paste;
use crate::jose::base64url;
use crate::jose::base64url::Problem;
use crate::jose::claimset::Claims;
use crate::jose::crypto;
use crate::jose::json::{self, JsonError};

/// One of the three parts of a compact JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// The protected header (first part).
    Header,
    /// The payload (second part).
    Payload,
    /// The signature (third part).
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// A member name that appears twice in the header or the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Where.
    pub segment: Segment,
    /// Its path, e.g. `$["https://hasura.io/jwt/claims"].x-hasura-default-role`.
    pub path: String,
}

/// The payload of a JWS: a JWT claims set, or bytes that are not one.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A JSON object: the claims of a JWT (the whole set built only when asked for).
    Claims(Claims),
    /// Not a JSON object: a signed message but not a JWT (e.g. RFC 7520 examples).
    Other {
        /// The decoded bytes.
        bytes: Vec<u8>,
        /// Why they are not a claims set.
        problem: String,
    },
}

/// A compact JWS decoded strictly but not verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    /// The compact text as given (after input clean-up).
    pub compact: String,
    /// The protected header, members in the token's own order (shared with the report's
    /// decoded token).
    pub header: Arc<Map<String, Value>>,
    /// The payload.
    pub payload: Payload,
    /// The signature bytes (empty for an unsecured token).
    pub signature: Vec<u8>,
    /// Duplicated member names in the header or payload.
    pub duplicates: Vec<Duplicate>,
}

impl Jws {
    /// The bytes the signature covers: `base64url(header) '.' base64url(payload)`.
    pub fn signing_input(&self) -> &str {
        match self.compact.rfind('.') {
            Some(i) => &self.compact[..i],
            None => &self.compact,
        }
    }

    /// The signature segment as it appears in the token.
    pub fn signature_b64(&self) -> &str {
        match self.compact.rfind('.') {
            Some(i) => &self.compact[i + 1..],
            None => "",
        }
    }

    /// The claims, when the payload is a JSON object.
    pub fn claims(&self) -> Option<&Claims> {
        match &self.payload {
            Payload::Claims(c) => Some(c),
            Payload::Other { .. } => None,
        }
    }

    /// The header `alg` when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header `kid` when it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

/// Why a text is not a compact JWS.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenError {
    /// Nothing left after clean-up.
    #[error("the token is empty")]
    Empty,
    /// Five parts: an encrypted token.
    #[error(
        "this is an encrypted token (JWE{}), not a signed JWT: its claims cannot be read without the decryption key",
        jwe_algs(header)
    )]
    Jwe {
        /// Its protected header, when it decodes.
        header: Option<Map<String, Value>>,
    },
    /// Neither three nor five parts.
    #[error(
        "{}expected 3 segments separated by '.', found {count}",
        if *in_text { "a token inside a line of text, not a token alone: " } else { "" }
    )]
    Segments {
        /// How many parts the text has.
        count: usize,
        /// Whether a token sits inside other text (a whole access-log line).
        in_text: bool,
    },
    /// Five or six parts whose first is a signed token's header: two tokens pasted together.
    #[error(
        "two tokens pasted together? {count} segments, and the first is a signed token's header (alg {alg}), not an encrypted token's"
    )]
    Pasted {
        /// How many parts the text has.
        count: usize,
        /// The first header's `alg`.
        alg: String,
    },
    /// A signature segment that ends mid-character and is shorter than any signature of its
    /// algorithm.
    #[error(
        "the token was cut: its signature segment ends mid-character and holds {bytes} bytes, but an {alg} signature has {at_least}{min}"
    )]
    Cut {
        /// The header's `alg`.
        alg: &'static str,
        /// The whole bytes the segment holds.
        bytes: usize,
        /// The fewest bytes a signature of `alg` has.
        min: usize,
        /// "at least " when the size depends on the key (RSA).
        at_least: &'static str,
    },
    /// An empty header or payload segment.
    #[error("{0} segment is empty")]
    EmptySegment(Segment),
    /// Bad base64url.
    #[error("{segment} segment: {problem}")]
    Base64 {
        /// Which part.
        segment: Segment,
        /// What is wrong.
        problem: base64url::Problem,
    },
    /// The header is not JSON.
    #[error("header segment: {0}")]
    HeaderJson(JsonError),
    /// The header is JSON but not an object.
    #[error("header segment: must be a JSON object, found {0}")]
    HeaderNotObject(&'static str),
}

impl TokenError {
    /// Stable id for reports.
    pub fn id(&self) -> Id {
        match self {
            TokenError::Empty => Id::TokenEmpty,
            TokenError::Jwe { .. } => Id::TokenJwe,
            TokenError::Segments { .. } | TokenError::Pasted { .. } => Id::TokenSegments,
            TokenError::Cut { .. } => Id::TokenBase64,
            TokenError::EmptySegment(_) => Id::TokenEmptySegment,
            TokenError::Base64 { .. } => Id::TokenBase64,
            TokenError::HeaderJson(_) => Id::TokenHeaderJson,
            TokenError::HeaderNotObject(_) => Id::TokenHeaderNotObject,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            TokenError::Empty => "pass the token itself, '-' to read stdin, or @FILE".into(),
            TokenError::Jwe { .. } => "Hasura accepts only signed tokens (JWS). Cognito's id and access tokens are signed; an encrypted token usually means the wrong token was copied (e.g. a refresh token)".into(),
            TokenError::Segments { in_text: true, .. } => "this is a line of text with a token inside (an access-log line?): pass the token alone, e.g. grep -oE 'eyJ[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][A-Za-z0-9_-]*' access.log | jwtcheck verify --batch -".into(),
            TokenError::Segments { count: 1, .. } => "one segment is an opaque token, not a JWT (e.g. an OAuth code or another service's opaque access token); Hasura needs the id token (Cognito refresh tokens are encrypted JWTs with five segments)".into(),
            TokenError::Segments { .. } => "a JWT is header.payload.signature; check that the whole token was copied".into(),
            TokenError::Pasted { .. } => "a JWT is header.payload.signature: copy one token alone (where two tokens meet, the first one's signature runs into the second one's header)".into(),
            TokenError::Cut { .. } => CUT_HINT.into(),
            TokenError::EmptySegment(_) => "the token was cut or mangled while copying; copy it again".into(),
            TokenError::Base64 {
                problem: Problem::BadChar { ch, .. },
                ..
            } if paste::kind(*ch).is_some() => format!(
                "it is {}, which a word processor, chat or web page put into the token: copy the token again as plain text",
                paste::kind(*ch).unwrap_or_default()
            ),
            TokenError::Base64 {
                problem: Problem::BadChar { ch: '\n' | '\r', .. },
                ..
            } => "the token is wrapped over several lines (a mail, terminal or editor broke it, often at 64 or 76 columns): join the lines into one".into(),
            TokenError::Base64 { .. } => "the token was altered after it was issued (copy/paste damage, URL-encoding, or an edit); copy it again from the source".into(),
            TokenError::HeaderJson(JsonError::TooDeep { .. }) => TOO_DEEP_HINT.into(),
            TokenError::HeaderJson(_) | TokenError::HeaderNotObject(_) => "the header of a JWT is a base64url-encoded JSON object such as {\"alg\":\"RS256\",\"kid\":\"…\"}".into(),
        }
    }
}

/// Whether `text` holds a compact JWS among other text: a run of base64url characters and dots,
/// in three parts, the first a JSON object's encoding (`eyJ`).
fn holds_a_token(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .any(|run| {
            run.len() < text.len()
                && run.starts_with("eyJ")
                && run.split('.').count() == 3
                && run.split('.').take(2).all(|p| p.len() >= 4)
        })
}

/// The hint for JSON nested beyond jwtcheck's own limit.
pub const TOO_DEEP_HINT: &str = "no JWT needs that depth: a token like this was built to test parsers; jwtcheck does not judge it";

fn jwe_algs(header: &Option<Map<String, Value>>) -> String {
    let Some(h) = header else {
        return String::new();
    };
    let get = |k: &str| {
        h.get(k)
            .and_then(Value::as_str)
            .map(|v| format!("{k}: {v}"))
    };
    let parts: Vec<String> = [get("alg"), get("enc")].into_iter().flatten().collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(", {}", parts.join(", "))
    }
}

/// What to do about a token whose signature was cut short.
pub const CUT_HINT: &str = "copy the whole token again: a terminal, a log line or a chat may have cut or wrapped it (the signature is the last segment)";

/// Decodes a compact JWS strictly. A payload that is not a JSON object is returned as
/// [`Payload::Other`], so that a signature over a non-JWT message can still be checked. Of the
/// claims only the registered ones are built; the rest when asked for.
pub fn parse(text: &str) -> Result<Jws, TokenError> {
    parse_as(text, false)
}

/// [`parse`], with the whole claims set built at once: for a report that shows every claim,
/// where building them later would read the payload twice.
pub fn parse_whole(text: &str) -> Result<Jws, TokenError> {
    parse_as(text, true)
}

fn parse_as(text: &str, whole: bool) -> Result<Jws, TokenError> {
    if text.is_empty() {
        return Err(TokenError::Empty);
    }
    let mut parts = text.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        let parts: Vec<&str> = text.split('.').collect();
        return Err(not_three(text, &parts));
    };
    if h.is_empty() {
        return Err(TokenError::EmptySegment(Segment::Header));
    }
    let header_bytes = decode_segment(h, Segment::Header)?;
    let header_parsed = json::parse(&header_bytes).map_err(TokenError::HeaderJson)?;
    let header = match header_parsed.value {
        Value::Object(m) => m,
        other => return Err(TokenError::HeaderNotObject(json::type_name(&other))),
    };
    let mut duplicates: Vec<Duplicate> = header_parsed
        .duplicates
        .into_iter()
        .map(|path| Duplicate {
            segment: Segment::Header,
            path,
        })
        .collect();
    let payload = payload(decode_segment(p, Segment::Payload)?, whole, &mut duplicates);
    let signature = base64url::decode(sig).map_err(|problem| cut(sig, &header, problem))?;
    Ok(Jws {
        compact: text.to_string(),
        header: Arc::new(header),
        payload,
        signature,
        duplicates,
    })
}

/// Why a text of another number of segments is not a compact JWS: five or six segments whose
/// header is a JWS's are two tokens pasted together, five are otherwise a JWE, and the rest a
/// wrong count (perhaps a line of text that holds a token).
fn not_three(text: &str, parts: &[&str]) -> TokenError {
    let count = parts.len();
    let Some(h) = parts.first().filter(|_| count == 5 || count == 6) else {
        return TokenError::Segments {
            count,
            in_text: holds_a_token(text),
        };
    };
    let header = base64url::decode(h)
        .ok()
        .and_then(|b| json::parse(&b).ok())
        .and_then(|p| match p.value {
            Value::Object(m) => Some(m),
            _ => None,
        });
    let jws_alg = header
        .as_ref()
        .filter(|m| !m.contains_key("enc"))
        .and_then(|m| m.get("alg"))
        .and_then(Value::as_str)
        .filter(|a| *a == "none" || crypto::Alg::parse(a).is_some());
    match jws_alg {
        Some(alg) => TokenError::Pasted {
            count,
            alg: alg.to_string(),
        },
        None if count == 5 => TokenError::Jwe { header },
        None => TokenError::Segments {
            count,
            in_text: holds_a_token(text),
        },
    }
}

/// The payload as a claims set (its duplicated names added to `duplicates`), or why it is not
/// one: empty, JSON but not an object, beyond jwtcheck's nesting limit, not JSON.
fn payload(bytes: Vec<u8>, whole: bool, duplicates: &mut Vec<Duplicate>) -> Payload {
    if bytes.is_empty() {
        return Payload::Other {
            bytes,
            problem: "the payload is empty (a detached payload?), so this is not a JWT".into(),
        };
    }
    let read = if whole {
        Claims::read_whole(bytes)
    } else {
        Claims::read(bytes)
    };
    match read {
        Ok((claims, paths)) => {
            duplicates.extend(paths.into_iter().map(|path| Duplicate {
                segment: Segment::Payload,
                path,
            }));
            Payload::Claims(claims)
        }
        Err((bytes, Ok(kind))) => Payload::Other {
            problem: format!("the payload is JSON but {kind}, not an object, so this is not a JWT"),
            bytes,
        },
        Err((bytes, Err(e @ JsonError::TooDeep { .. }))) => Payload::Other {
            problem: format!("the payload's JSON is {e}, so jwtcheck does not read it"),
            bytes,
        },
        Err((bytes, Err(e))) => Payload::Other {
            problem: format!("the payload is not JSON ({e}), so this is not a JWT"),
            bytes,
        },
    }
}

/// A signature segment that is not base64url: cut, when it ends mid-character (an impossible
/// length or spare bits set) and holds fewer bytes than any signature of the header's
/// algorithm; otherwise altered.
fn cut(sig: &str, header: &Map<String, Value>, problem: Problem) -> TokenError {
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .and_then(crypto::Alg::parse);
    if let (Some(alg), Problem::Length { .. } | Problem::TrailingBits { .. }) = (alg, &problem) {
        let bytes = sig.len() * 6 / 8;
        let min = crypto::min_signature_len(alg);
        if bytes < min {
            return TokenError::Cut {
                alg: alg.name(),
                bytes,
                min,
                at_least: match alg {
                    crypto::Alg::Rs(_) | crypto::Alg::Ps(_) => "at least ",
                    _ => "",
                },
            };
        }
    }
    TokenError::Base64 {
        segment: Segment::Signature,
        problem,
    }
}

fn decode_segment(text: &str, segment: Segment) -> Result<Vec<u8>, TokenError> {
    base64url::decode(text).map_err(|problem| TokenError::Base64 { segment, problem })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7515 A.1: HS256, header and payload with CRLFs.
    pub const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// RFC 7515 A.5: unsecured.
    pub const RFC7515_A5: &str = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

    fn b64(s: &str) -> String {
        base64url::encode(s.as_bytes())
    }

    #[test]
    fn rfc7515_a1_decodes_in_order() {
        let t = parse(RFC7515_A1).unwrap();
        assert_eq!(t.alg(), Some("HS256"));
        let keys: Vec<&String> = t.header.keys().collect();
        assert_eq!(keys, ["typ", "alg"]);
        let claims = t.claims().unwrap();
        assert_eq!(claims.map()["iss"], "joe");
        assert_eq!(claims.map()["exp"], 1300819380);
        assert_eq!(claims.map()["http://example.com/is_root"], true);
        assert_eq!(t.signature.len(), 32);
        assert!(t.signing_input().ends_with("Ijp0cnVlfQ"));
    }

    #[test]
    fn rfc7515_a5_unsecured_decodes() {
        let t = parse(RFC7515_A5).unwrap();
        assert_eq!(t.alg(), Some("none"));
        assert!(t.signature.is_empty());
    }

    #[test]
    fn unknown_alg_still_decodes() {
        let t = parse(&format!("{}.{}.", b64(r#"{"alg":"XY999"}"#), b64("{}"))).unwrap();
        assert_eq!(t.alg(), Some("XY999"));
    }

    #[test]
    fn segment_count_and_jwe() {
        assert_eq!(
            parse("abc"),
            Err(TokenError::Segments {
                count: 1,
                in_text: false
            })
        );
        assert_eq!(
            parse("a.b.c.d"),
            Err(TokenError::Segments {
                count: 4,
                in_text: false
            })
        );
        let jwe = format!("{}.x.y.z.w", b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#));
        let err = parse(&jwe).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this is an encrypted token (JWE, alg: RSA-OAEP, enc: A256GCM), not a signed JWT: its claims cannot be read without the decryption key"
        );
    }

    #[test]
    fn every_malformation_names_the_segment() {
        let h = b64(r#"{"alg":"HS256"}"#);
        let p = b64(r#"{"sub":"1"}"#);
        let cases = [
            (format!(".{p}.sig"), "header segment is empty"),
            (format!("{h}.{p}=.AAAA"), "payload segment: character"),
            (
                format!("{h}.{p}.ab+c"),
                "signature segment: character 3 '+' belongs to standard base64",
            ),
            (
                format!("{}.{p}.", b64("[1]")),
                "header segment: must be a JSON object, found an array",
            ),
            (
                format!("{}.{p}.", b64("{\"alg\":")),
                "header segment: invalid JSON at column 7",
            ),
            (
                format!("{}.{p}.", base64url::encode(b"{\"alg\":\"\xff\"}")),
                "header segment: byte 9 is not valid UTF-8",
            ),
        ];
        for (token, want) in cases {
            let got = parse(&token).unwrap_err().to_string();
            assert!(got.starts_with(want), "{token}: {got}");
        }
    }

    #[test]
    fn payload_that_is_not_an_object_is_kept_as_bytes() {
        let t = parse(&format!(
            "{}.{}.",
            b64(r#"{"alg":"EdDSA"}"#),
            b64("Example of Ed25519 signing")
        ))
        .unwrap();
        match t.payload {
            Payload::Other { bytes, problem } => {
                assert_eq!(bytes, b"Example of Ed25519 signing");
                assert!(problem.contains("not JSON"), "{problem}");
            }
            Payload::Claims(_) => panic!("should not be claims"),
        }
    }

    #[test]
    fn duplicates_in_header_and_payload_are_reported() {
        let t = parse(&format!(
            "{}.{}.",
            b64(r#"{"alg":"HS256","alg":"none"}"#),
            b64(r#"{"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-default-role":"admin"}}"#)
        ))
        .unwrap();
        assert_eq!(
            t.duplicates,
            vec![
                Duplicate {
                    segment: Segment::Header,
                    path: "$.alg".into()
                },
                Duplicate {
                    segment: Segment::Payload,
                    path: r#"$["https://hasura.io/jwt/claims"].x-hasura-default-role"#.into()
                },
            ]
        );
    }
}
