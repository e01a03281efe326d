//! The forms a token is pasted in: bare, `<scheme> <token>`, a header line (`Authorization:`,
//! a custom header, `Cookie:`), with quotes, whitespace and a byte order mark around it. Pure:
//! what the wrapping says (where the token was sent) is kept for the engine models.

use std::borrow::Cow;

/// What the token was wrapped in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrapper {
    /// The bare token.
    None,
    /// `<scheme> <token>`; `scheme` as written (Hasura accepts only `Bearer`, exactly).
    Bearer {
        /// The scheme word as given.
        scheme: String,
    },
    /// `Cookie: <name>=<token>; …`.
    Cookie {
        /// The name of the cookie taken as the token (the first whose value is a JWT).
        name: String,
        /// Every cookie of the header, as the engine reads them (Spock's `parseCookies`: split
        /// on `;`, the name up to the first `=` with leading spaces dropped, the value
        /// URL-decoded with `+` as a space), in order.
        cookies: Vec<(String, String)>,
        /// The header value as given (Hasura DDN reads the first cookie of it as it is).
        header: String,
    },
    /// `<name>: <scheme> <token>`, a header line.
    Header {
        /// The header name as given.
        name: String,
        /// The scheme word as given.
        scheme: String,
    },
}

/// Strips what surrounds a token when people copy it: whitespace, newlines, matching quotes,
/// a `Bearer ` scheme and an `Authorization:` header name.
pub fn clean(raw: &str) -> (Cow<'_, str>, Wrapper) {
    if let Some(bare) = bare_token(raw) {
        return (Cow::Borrowed(bare), Wrapper::None);
    }
    match pasted_header(raw) {
        Some(Pasted::Within(header)) => return clean(header),
        Some(Pasted::Row(line)) => {
            let (token, wrapper) = clean(&line);
            return (Cow::Owned(token.into_owned()), wrapper);
        }
        None => {}
    }
    let text = unquote(raw);
    let (after_name, name) = match text.split_once(':') {
        Some((name, rest)) if is_header_name(name) && !rest.starts_with("//") => {
            (unquote(rest.trim()), Some(name.trim().to_string()))
        }
        _ => (text, None),
    };
    if let Some(n) = &name
        && n.eq_ignore_ascii_case("cookie")
        && let Some((token, wrapper)) = jwt_cookie(after_name)
    {
        return (Cow::Owned(token), wrapper);
    }
    // `<scheme> <token>`: a word of letters, then the rest (a token has no whitespace, so
    // anything after a second space stays in and is reported).
    let (token, scheme) = match split_once_whitespace(after_name) {
        Some((scheme, rest))
            if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            (unquote(rest.trim()), Some(scheme.to_string()))
        }
        _ => (after_name, None),
    };
    let wrapper = match (name, scheme) {
        (Some(name), Some(scheme)) => Wrapper::Header { name, scheme },
        (Some(name), None) => Wrapper::Header {
            name,
            scheme: String::new(),
        },
        (None, Some(scheme)) => Wrapper::Bearer { scheme },
        (None, None) => Wrapper::None,
    };
    (Cow::Borrowed(token), wrapper)
}

/// A text that is a token alone, as a batch line is (`\n` or `\r\n` at its end): nothing but
/// base64url characters and dots, which every step of [`clean`] leaves as they are. One
/// vectorized scan instead of the three a wrapped token needs.
fn bare_token(raw: &str) -> Option<&str> {
    let text = raw
        .strip_suffix('\n')
        .map_or(raw, |t| t.strip_suffix('\r').unwrap_or(t));
    let other = |b: u8| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    let plain = text
        .as_bytes()
        .chunks(32)
        .all(|chunk| !chunk.iter().fold(false, |any, &b| any | other(b)));
    (plain && !text.is_empty()).then_some(text)
}

/// The `Authorization` header inside what a tool copied.
enum Pasted<'a> {
    /// The header line, as it is in the text.
    Within(&'a str),
    /// A header row copied from a table, rewritten as a header line.
    Row(String),
}

/// Finds the `Authorization` header in devtools' "Copy as cURL" (`-H 'authorization: Bearer …'`),
/// in a whole block of request headers (one per line), or in a header row copied from a table
/// (`authorization<TAB>Bearer …`). A bare token has none of the spaces, tabs or line breaks
/// these have, so it costs one scan.
fn pasted_header(raw: &str) -> Option<Pasted<'_>> {
    let text = trim(raw);
    if !text.bytes().any(|b| b == b'\n' || b == b'\t' || b == b' ') {
        return None;
    }
    let is_authorization = |line: &str| {
        line.split_once(':')
            .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
    };
    // "Copy as cURL": the quoted argument of a -H (or long header) option.
    if text.contains("-H ") || text.contains("-header ") {
        for quote in ['\'', '"'] {
            if let Some(h) = text
                .split(quote)
                .skip(1)
                .step_by(2)
                .find(|s| is_authorization(s))
            {
                return Some(Pasted::Within(h));
            }
        }
    }
    if let Some((name, value)) = text.split_once('\t')
        && name.trim().eq_ignore_ascii_case("authorization")
        && !text.contains('\n')
    {
        return Some(Pasted::Row(format!("{}: {}", name.trim(), value.trim())));
    }
    if text.contains('\n') {
        return text
            .lines()
            .map(trim)
            .find(|l| is_authorization(l))
            .map(Pasted::Within);
    }
    None
}

/// A `Cookie:` header whose cookies include a JWT: that token, and every cookie as the engine
/// reads them.
fn jwt_cookie(header: &str) -> Option<(String, Wrapper)> {
    let cookies = parse_cookies(header);
    let (name, value) = cookies.iter().find(|(_, v)| looks_like_jwt(v))?;
    Some((
        value.clone(),
        Wrapper::Cookie {
            name: name.clone(),
            cookies: cookies.clone(),
            header: header.to_string(),
        },
    ))
}

/// Spock's `parseCookies` (over the `cookie` package's): split on `;`, the name up to the first
/// `=` with leading spaces dropped, the value URL-decoded (`+` is a space).
pub fn parse_cookies(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.trim_start_matches(' ').to_string(), url_decode(value))
        })
        .collect()
}

/// http-types' `urlDecode True`: `%XX` is a byte, `+` a space, anything else itself.
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A compact JWS or JWE: three or five segments, the first a base64url JSON object (`eyJ`).
pub(crate) fn looks_like_jwt(value: &str) -> bool {
    let parts = value.split('.').count();
    (parts == 3 || parts == 5) && value.starts_with("eyJ")
}

/// A header name in front of a token (`Authorization`, `Cookie`, or a custom header such as
/// `X-Hasura-Token`).
fn is_header_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whitespace and byte order marks, inside quotes as well as outside; and NULs at the end (a C
/// string or a fixed-size buffer copied whole), wherever they are among the trailing
/// whitespace, so that what is left has none at either end to trim a second time.
fn trim(s: &str) -> &str {
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    s.trim_start_matches(space)
        .trim_end_matches(|c: char| space(c) || c == '\0')
}

/// `s.split_once(char::is_whitespace)`, without decoding every character of a token: up to
/// the first byte that is ASCII whitespace or not ASCII, bytes are compared as they are.
fn split_once_whitespace(s: &str) -> Option<(&str, &str)> {
    let special = |b: u8| b <= b' ' || !b.is_ascii();
    // 32 bytes at a time without an early exit (the compiler vectorizes the fold); then the
    // byte in the chunk that has one.
    let mut at = None;
    for (i, chunk) in s.as_bytes().chunks(32).enumerate() {
        if chunk.iter().fold(false, |any, &b| any | special(b)) {
            at = chunk.iter().position(|&b| special(b)).map(|j| i * 32 + j);
            break;
        }
    }
    let at = at?;
    // Every byte before `at` is ASCII, so `at` is a character boundary.
    let (head, tail) = s.split_at_checked(at)?;
    match tail.strip_prefix(|c: char| c.is_ascii_whitespace() || c == '\u{b}') {
        Some(rest) => Some((head, rest)),
        None => s.split_once(char::is_whitespace),
    }
}

fn unquote(s: &str) -> &str {
    let mut s = trim(s);
    loop {
        let stripped = ['"', '\'', '`']
            .iter()
            .find_map(|q| s.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)));
        match stripped {
            Some(inner) if s.len() >= 2 => s = trim(inner),
            _ => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nuls_at_the_end_go_wherever_they_sit_among_the_trailing_whitespace() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        for text in [
            format!("{token}\0"),
            format!("{token}\0\n"),
            format!("{token}\0 \0\r\n"),
            format!("'{token}\0'\n"),
            format!("Bearer {token}\0\n"),
            format!("{token}\0\u{feff}"),
        ] {
            assert_eq!(clean(&text).0, token, "{text:?}");
        }
        // Found by the input_forms fuzz target: cleaning twice changed the text.
        let once = clean("\u{2})\0\u{b}").0.into_owned();
        assert_eq!(clean(&once).0, once);
    }

    #[test]
    fn a_bare_token_line_reads_as_the_full_clean_up_reads_it() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_";
        // (line, whether it takes the one-scan way)
        for (line, bare) in [
            (format!("{token}\n"), true),
            (format!("{token}\r\n"), true),
            (token.to_string(), true),
            (format!("{token}\n\n"), false),
            (format!(" {token}\n"), false),
            (format!("{token}\0"), false),
            (format!("'{token}'\n"), false),
            (format!("{token}\u{feff}\n"), false),
        ] {
            assert_eq!(bare_token(&line).is_some(), bare, "{line:?}");
            let (cleaned, wrapper) = clean(&line);
            assert_eq!(
                (cleaned.as_ref(), wrapper),
                (token, Wrapper::None),
                "{line:?}"
            );
        }
        assert_eq!(bare_token("\n"), None);
    }

    #[test]
    fn whitespace_split_matches_the_unicode_one() {
        for s in [
            "Bearer eyJ.x.y",
            "Bearer\teyJ",
            "Bearer\u{b}x",
            "Bearer\u{c}x",
            "eyJ.x.y",
            "",
            " x",
            "x ",
            "Bearer\u{a0}eyJ",
            "é\u{2003}x",
            "Bé x",
            "a\u{3000}b\u{85}c",
            "\u{85}",
            "a\u{1c}b",
            "a\u{200b}b c",
        ] {
            assert_eq!(
                split_once_whitespace(s),
                s.split_once(char::is_whitespace),
                "{s:?}"
            );
        }
    }

    const T: &str = "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.";

    #[test]
    fn accepts_every_wrapping() {
        let cases = [
            (T.to_string(), Wrapper::None),
            (format!("  \n{T}\r\n"), Wrapper::None),
            (format!("\"{T}\""), Wrapper::None),
            (format!("'{T}'\n"), Wrapper::None),
            (
                format!("Bearer {T}"),
                Wrapper::Bearer {
                    scheme: "Bearer".into(),
                },
            ),
            (
                format!("bearer   {T}"),
                Wrapper::Bearer {
                    scheme: "bearer".into(),
                },
            ),
            (
                format!("Authorization: Bearer {T}"),
                Wrapper::Header {
                    name: "Authorization".into(),
                    scheme: "Bearer".into(),
                },
            ),
            (
                format!("'authorization:Bearer {T}'"),
                Wrapper::Header {
                    name: "authorization".into(),
                    scheme: "Bearer".into(),
                },
            ),
            (
                format!("\"Authorization: Bearer {T}\"\n"),
                Wrapper::Header {
                    name: "Authorization".into(),
                    scheme: "Bearer".into(),
                },
            ),
        ];
        for (raw, wrapper) in cases {
            assert_eq!(clean(&raw), (T.into(), wrapper), "{raw:?}");
        }
    }

    #[test]
    fn cookies_custom_headers_and_odd_schemes() {
        assert_eq!(
            clean(&format!("Cookie: theme=dark; hasura_user={T}; x=1")),
            (
                T.into(),
                Wrapper::Cookie {
                    name: "hasura_user".into(),
                    cookies: vec![
                        ("theme".into(), "dark".into()),
                        ("hasura_user".into(), T.into()),
                        ("x".into(), "1".into()),
                    ],
                    header: format!("theme=dark; hasura_user={T}; x=1"),
                }
            )
        );
        assert_eq!(
            clean(&format!("hasura_user: {T}")),
            (
                T.into(),
                Wrapper::Header {
                    name: "hasura_user".into(),
                    scheme: String::new()
                }
            )
        );
        assert_eq!(
            clean(&format!("Authorization: Basic {T}")),
            (
                T.into(),
                Wrapper::Header {
                    name: "Authorization".into(),
                    scheme: "Basic".into()
                }
            )
        );
        assert_eq!(clean(&format!("Bearer {T} extra")).0, format!("{T} extra"));
        assert_eq!(clean(&format!("\u{feff}{T}")).0, T);
    }

    #[test]
    fn urls_are_left_alone() {
        let url = "https://localhost:3000/cb#id_token=abc";
        assert_eq!(clean(url), (url.into(), Wrapper::None));
    }
}
