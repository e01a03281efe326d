//! Reading a TOKEN (or a callback URL) argument in any of the forms a user has it in:
//! the text itself, `-` for stdin, `@path`, `Bearer <t>`, or a whole `Authorization:` header line.
//!
//! Reading is the only I/O here (this file, the edge); the clean-up (`forms`) and callback URLs
//! (`callback`) are pure. Input above the size cap is
//! refused before anything is decoded.

pub mod callback;
pub mod forms;
pub mod paste;

pub use forms::{Wrapper, clean};

use crate::report::Id;
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
    pub fn id(&self) -> Id {
        match self {
            InputError::Read { .. } => Id::InputRead,
            InputError::TooLarge { .. } => Id::InputTooLarge,
            InputError::NotText { .. } => Id::InputNotText,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            InputError::Read { source, .. } if source.kind() == std::io::ErrorKind::InvalidInput => AT_FILE.into(),
            InputError::Read { .. } => "check the path after '@' (or pass the token itself)".into(),
            InputError::TooLarge { .. } => "real JWTs are a few KiB; raise the cap with --max-input BYTES if this one is genuine".into(),
            InputError::NotText { .. } => "a JWT is ASCII text; check that the right file was given".into(),
        }
    }
}

/// How a file is given where a text may be given too (TOKEN, `--token`, `--callback-url`,
/// `--hasura-config`).
pub const AT_FILE: &str =
    "a file is read when it is written @FILE; without '@' the argument is taken as the text itself";

/// Whether a bare argument (no `@`) is no token but the name of an existing file: the user
/// meant `@FILE`.
pub fn names_a_file(arg: &str) -> bool {
    let arg = arg.trim();
    !arg.is_empty()
        && !arg.contains(['\n', '{'])
        && !forms::looks_like_jwt(arg)
        && Path::new(arg).is_file()
}

/// What is said about a bare argument that names a file ([`names_a_file`]).
pub fn did_you_mean_at(arg: &str) -> String {
    let arg = arg.trim();
    format!("{arg} names a file: did you mean @{arg}?")
}

/// Reads `arg` (`-`, `@path` or the text itself) with at most `cap` bytes, then cleans it; a
/// bare argument that names a file is refused with "did you mean @FILE?".
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
        if names_a_file(arg) {
            return Err(InputError::Read {
                what: "the argument".into(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, did_you_mean_at(arg)),
            });
        }
        (arg.to_string(), Origin::Argument)
    };
    let (text, wrapper) = clean(&raw);
    let text = text.into_owned();
    Ok(Input {
        text,
        origin,
        wrapper,
    })
}

/// Reads all of standard input (at most `cap` bytes) as UTF-8, as it is: no clean-up, for a
/// configuration piped in.
pub fn read_stdin(cap: u64, stdin: &mut dyn Read) -> Result<String, InputError> {
    read_capped(stdin, cap, "standard input")
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

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.";

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
