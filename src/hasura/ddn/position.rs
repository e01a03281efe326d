//! Where serde_json stops in a payload it refuses, for the `at line L column C` its errors end
//! with: the column is that of the last byte it read. Only called on text that is valid JSON.

/// A token of interest in a JSON text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
    /// A member name of the top-level object, and the index of its closing quote.
    TopKey(String, usize),
    /// A number literal and the index of its last byte.
    Number(String, usize),
}

/// The top-level member names and every number literal, in document order.
pub(super) fn marks(text: &[u8]) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    // After `{` or `,` inside the top-level object, the next string is a member name.
    let mut expect_key = false;
    while let Some(&b) = text.get(i) {
        match b {
            b'"' => {
                let start = i + 1;
                i += 1;
                while let Some(&c) = text.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                if depth == 1 && expect_key {
                    let raw = text.get(start..i).unwrap_or_default();
                    let name = serde_json::from_slice::<String>(&[b"\"", raw, b"\""].concat())
                        .unwrap_or_default();
                    out.push(Mark::TopKey(name, i));
                }
                expect_key = false;
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = b == b'{' && depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => expect_key = depth == 1 && top_is_object(text),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while text
                    .get(i + 1)
                    .is_some_and(|c| matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                {
                    i += 1;
                }
                let lit =
                    String::from_utf8_lossy(text.get(start..=i).unwrap_or_default()).into_owned();
                out.push(Mark::Number(lit, i));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn top_is_object(text: &[u8]) -> bool {
    text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// serde_json's `at line L column C` for the byte at `index`.
pub(super) fn at(text: &[u8], index: usize) -> String {
    let before = text.get(..=index).unwrap_or(text);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = before.len()
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
    format!("at line {line} column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_serdes() {
        // Checked against serde_json through jsonwebtoken 9.3.1: "duplicate field `exp` at line 1
        // column 23", "number out of range at line 1 column 12".
        let t = br#"{"exp":4000000000,"exp":4000000001}"#;
        let keys: Vec<_> = marks(t)
            .into_iter()
            .filter_map(|m| match m {
                Mark::TopKey(k, i) => Some((k, i)),
                _ => None,
            })
            .collect();
        assert_eq!(keys, vec![("exp".to_string(), 5), ("exp".to_string(), 22)]);
        assert_eq!(at(t, 22), "at line 1 column 23");
        let n = br#"{"exp":1e400,"a":{"exp":2}}"#;
        assert_eq!(marks(n).first(), Some(&Mark::TopKey("exp".into(), 5)));
        assert!(marks(n).contains(&Mark::Number("1e400".into(), 11)));
        assert!(
            !marks(n)
                .iter()
                .any(|m| matches!(m, Mark::TopKey(k, 19) if k == "exp"))
        );
    }
}
