//! Reading a TOKEN (or a callback URL) argument in any of the forms a user has it in:
//! the text itself, `-` for stdin, `@path`, `Bearer <t>`, or a whole `Authorization:` header line.
//!
//! Reading is the only I/O here; the clean-up ([`clean`]) is pure. Input above the size cap is
//! refused before anything is decoded.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The default cap on input size: generous for any real JWT (Cognito tokens are 1–4 KiB).
pub const DEFAULT_MAX_INPUT: u64 = 64 * 1024;

/// Where an input came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The command-line argument itself.
    Argument,
    /// Standard input (`-`).
    Stdin,
    /// A file (`@path`).
    File(PathBuf),
}

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
    /// `Cookie: <name>=<token>`.
    Cookie {
        /// The cookie's name.
        name: String,
    },
    /// `<name>: <scheme> <token>`, a header line.
    Header {
        /// The header name as given.
        name: String,
        /// The scheme word as given.
        scheme: String,
    },
}

/// An input after reading and clean-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The cleaned text.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// What it was wrapped in.
    pub wrapper: Wrapper,
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A file or stdin could not be read.
    #[error("cannot read {what}: {source}")]
    Read {
        /// What was being read.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Over the cap.
    #[error("{what} is larger than {cap} bytes; refusing to decode it")]
    TooLarge {
        /// What was being read.
        what: String,
        /// The cap.
        cap: u64,
    },
    /// Not UTF-8 text.
    #[error("{what} is not UTF-8 text")]
    NotText {
        /// What was being read.
        what: String,
    },
}

impl InputError {
    /// Stable id.
    pub fn id(&self) -> &'static str {
        match self {
            InputError::Read { .. } => "input.read",
            InputError::TooLarge { .. } => "input.too_large",
            InputError::NotText { .. } => "input.not_text",
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            InputError::Read { .. } => "check the path after '@' (or pass the token itself)".into(),
            InputError::TooLarge { .. } => "real JWTs are a few KiB; raise the cap with --max-input BYTES if this one is genuine".into(),
            InputError::NotText { .. } => "a JWT is ASCII text; check that the right file was given".into(),
        }
    }
}

/// Reads `arg` (`-`, `@path` or the text itself) with at most `cap` bytes, then cleans it.
pub fn read(arg: &str, cap: u64, stdin: &mut dyn Read) -> Result<Input, InputError> {
    let (raw, origin) = if arg == "-" {
        (read_capped(stdin, cap, "standard input")?, Origin::Stdin)
    } else if let Some(path) = arg.strip_prefix('@') {
        (
            read_file(Path::new(path), cap)?,
            Origin::File(PathBuf::from(path)),
        )
    } else {
        if arg.len() as u64 > cap {
            return Err(InputError::TooLarge {
                what: "the argument".into(),
                cap,
            });
        }
        (arg.to_string(), Origin::Argument)
    };
    let (text, wrapper) = clean(&raw);
    Ok(Input {
        text,
        origin,
        wrapper,
    })
}

/// Reads a whole file of at most `cap` bytes as UTF-8.
pub fn read_file(path: &Path, cap: u64) -> Result<String, InputError> {
    let what = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| InputError::Read {
        what: what.clone(),
        source,
    })?;
    read_capped(&mut std::io::BufReader::new(file), cap, &what)
}

fn read_capped(reader: &mut dyn Read, cap: u64, what: &str) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Read {
            what: what.to_string(),
            source,
        })?;
    if bytes.len() as u64 > cap {
        return Err(InputError::TooLarge {
            what: what.to_string(),
            cap,
        });
    }
    String::from_utf8(bytes).map_err(|_| InputError::NotText {
        what: what.to_string(),
    })
}

/// Strips what surrounds a token when people copy it: whitespace, newlines, matching quotes,
/// a `Bearer ` scheme and an `Authorization:` header name.
pub fn clean(raw: &str) -> (String, Wrapper) {
    let text = unquote(raw.trim().trim_start_matches('\u{feff}'));
    let (after_name, name) = match text.split_once(':') {
        Some((name, rest)) if is_header_name(name) && !rest.starts_with("//") => {
            (unquote(rest.trim()), Some(name.trim().to_string()))
        }
        _ => (text, None),
    };
    if let Some(n) = &name
        && n.eq_ignore_ascii_case("cookie")
        && let Some((cookie, value)) = jwt_cookie(after_name)
    {
        return (value, Wrapper::Cookie { name: cookie });
    }
    // `<scheme> <token>`: a word of letters, then the rest (a token has no whitespace, so
    // anything after a second space stays in and is reported).
    let (token, scheme) = match after_name.split_once(char::is_whitespace) {
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
    (token.to_string(), wrapper)
}

/// The first cookie of a `Cookie:` header whose value looks like a JWT (percent-decoded, as
/// Hasura's cookie parser does).
fn jwt_cookie(header: &str) -> Option<(String, String)> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        let value: String = url::form_urlencoded::parse(format!("v={value}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
        (value.matches('.').count() >= 2).then(|| (name.trim().to_string(), value))
    })
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

fn unquote(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let stripped = ['"', '\'', '`']
            .iter()
            .find_map(|q| s.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)));
        match stripped {
            Some(inner) if s.len() >= 2 => s = inner.trim(),
            _ => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(clean(&raw), (T.to_string(), wrapper), "{raw:?}");
        }
    }

    #[test]
    fn cookies_custom_headers_and_odd_schemes() {
        assert_eq!(
            clean(&format!("Cookie: theme=dark; hasura_user={T}; x=1")),
            (
                T.to_string(),
                Wrapper::Cookie {
                    name: "hasura_user".into()
                }
            )
        );
        assert_eq!(
            clean(&format!("hasura_user: {T}")),
            (
                T.to_string(),
                Wrapper::Header {
                    name: "hasura_user".into(),
                    scheme: String::new()
                }
            )
        );
        assert_eq!(
            clean(&format!("Authorization: Basic {T}")),
            (
                T.to_string(),
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
        assert_eq!(clean(url), (url.to_string(), Wrapper::None));
    }

    #[test]
    fn reads_stdin_and_files_with_a_cap() {
        let mut stdin = format!("{T}\n").into_bytes();
        let input = read("-", 1024, &mut stdin.as_slice()).unwrap();
        assert_eq!(input.text, T);
        assert_eq!(input.origin, Origin::Stdin);

        stdin = vec![b'a'; 2000];
        let err = read("-", 1024, &mut stdin.as_slice()).unwrap_err();
        assert_eq!(err.id(), "input.too_large");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jwt");
        std::fs::write(&path, format!("Bearer {T}\n")).unwrap();
        let input = read(&format!("@{}", path.display()), 1024, &mut &b""[..]).unwrap();
        assert_eq!(input.text, T);

        let err = read("@/no/such/file", 1024, &mut &b""[..]).unwrap_err();
        assert_eq!(err.id(), "input.read");
        let err = read(&"x".repeat(2000), 1024, &mut &b""[..]).unwrap_err();
        assert_eq!(err.id(), "input.too_large");
    }
}
