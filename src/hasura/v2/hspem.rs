//! How the engine reads the text of a v2 `key` before any DER: the Haskell `pem` package, version
//! 0.2.4 (`Data.PEM.Parser`, `pemParseLBS`), which the engine pins. It is stricter than most PEM
//! readers, and jwtcheck must refuse what it refuses:
//!
//! * the text is cut into lines at `\n` (one trailing `\r` removed); a block starts on a line that
//!   begins with `-----BEGIN `, and the label must be followed by `-----` and nothing else, so a
//!   PEM written on one line fails with `invalid PEM delimiter found`;
//! * every line between the BEGIN and END lines is base64 on its own: a length that is not a
//!   multiple of 4, a space or any other character fails the whole text;
//! * the END line must name the same label, and an error in any later block fails the text too.
//!
//! What it accepts is read by [`crate::jose::pem`] from the blocks found here.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// One PEM block as the package returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `-----BEGIN ` and `-----`.
    pub label: String,
    /// The decoded content.
    pub der: Vec<u8>,
}

/// Why the package refuses the text, in its own words; `approximate` when jwtcheck is unsure of
/// the exact wording (the base64 decoder's offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemTextError {
    /// The package's message (`invalid PEM delimiter found`).
    pub message: String,
    /// Whether the wording may differ from the engine's.
    pub approximate: bool,
}

/// The fix for a PEM the package cannot read.
pub const PEM_LINES_HINT: &str = "write the PEM on lines as openssl does: -----BEGIN PUBLIC KEY----- alone on the first line, the base64 on its own lines and -----END PUBLIC KEY----- on the last, \\n-separated inside the JSON string";

/// The blocks of `text` as `pemParseLBS` reads them (empty when there is none).
pub fn parse(text: &str) -> Result<Vec<Block>, PemTextError> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // `lines` drops the empty piece after a final newline.
    let lines = match lines.split_last() {
        Some((&"", rest)) => rest,
        _ => lines.as_slice(),
    };
    let mut blocks = Vec::new();
    let mut rest = lines;
    loop {
        let Some(begin) = rest.iter().position(|l| l.starts_with("-----BEGIN ")) else {
            return Ok(blocks);
        };
        let (label, after) = rest
            .get(begin..)
            .and_then(|r| r.split_first())
            .map(|(first, after)| (name(first.get(11..).unwrap_or("")), after))
            .unwrap_or((None, &[]));
        let label = label.ok_or_else(|| exact("invalid PEM delimiter found"))?;
        if after.is_empty() {
            return Err(exact("invalid PEM: no more content in header context"));
        }
        let mut der = Vec::new();
        let mut remaining = after;
        loop {
            let Some((line, next)) = remaining.split_first() else {
                return Err(exact("invalid PEM: no end marker found"));
            };
            remaining = next;
            if let Some(end) = line.strip_prefix("-----END ") {
                let end = name(end).ok_or_else(|| exact("invalid PEM delimiter found"))?;
                if end != label {
                    return Err(exact("invalid PEM: end name doesn't match start name"));
                }
                break;
            }
            der.extend(decode_line(line)?);
        }
        blocks.push(Block {
            label: label.to_string(),
            der,
        });
        rest = remaining;
    }
}

/// The label of a BEGIN or END line after its prefix: everything up to the first `-`, which must
/// start exactly `-----` and end the line.
fn name(after_prefix: &str) -> Option<&str> {
    let cut = after_prefix.find('-').unwrap_or(after_prefix.len());
    let (label, rest) = after_prefix.split_at(cut);
    (rest == "-----").then_some(label)
}

/// One content line through `memory`'s base64 decoder: padded, a length that is a multiple of 4.
fn decode_line(line: &str) -> Result<Vec<u8>, PemTextError> {
    if !line.len().is_multiple_of(4) {
        return Err(exact(
            "invalid PEM: decoding failed: base64: input: invalid length",
        ));
    }
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    LENIENT.decode(line).map_err(|e| PemTextError {
        message: format!(
            "invalid PEM: decoding failed: base64: input: invalid encoding at offset: {}",
            match e {
                base64::DecodeError::InvalidByte(at, _)
                | base64::DecodeError::InvalidLastSymbol(at, _) => at,
                _ => line.len(),
            }
        ),
        approximate: true,
    })
}

fn exact(message: &str) -> PemTextError {
    PemTextError {
        message: message.to_string(),
        approximate: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";

    #[test]
    fn reads_what_openssl_writes() {
        let text = format!("-----BEGIN PUBLIC KEY-----\r\n{BODY}\r\n-----END PUBLIC KEY-----\n");
        let blocks = parse(&text).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label, "PUBLIC KEY");
        assert_eq!(blocks[0].der.len(), 44);
        assert_eq!(parse("no pem here").unwrap(), vec![]);
    }

    #[test]
    fn refuses_what_the_package_refuses() {
        let err = |t: String| parse(&t).unwrap_err().message;
        assert_eq!(
            err(format!(
                "-----BEGIN PUBLIC KEY-----{BODY}-----END PUBLIC KEY-----"
            )),
            "invalid PEM delimiter found"
        );
        assert_eq!(
            err(format!(
                "-----BEGIN PUBLIC KEY----- \n{BODY}\n-----END PUBLIC KEY-----"
            )),
            "invalid PEM delimiter found"
        );
        assert_eq!(
            err("-----BEGIN PUBLIC KEY-----".into()),
            "invalid PEM: no more content in header context"
        );
        assert_eq!(
            err(format!("-----BEGIN PUBLIC KEY-----\n{BODY}\n")),
            "invalid PEM: no end marker found"
        );
        assert_eq!(
            err(format!(
                "-----BEGIN PUBLIC KEY-----\n{BODY}\n-----END RSA PUBLIC KEY-----"
            )),
            "invalid PEM: end name doesn't match start name"
        );
        assert_eq!(
            err(format!(
                "-----BEGIN PUBLIC KEY-----\n {BODY}\n-----END PUBLIC KEY-----"
            )),
            "invalid PEM: decoding failed: base64: input: invalid length"
        );
        assert!(
            err(format!(
                "-----BEGIN PUBLIC KEY-----\n{BODY}\n-----END PUBLIC KEY-----\n-----BEGIN X-----"
            ))
            .contains("no more content")
        );
    }
}
