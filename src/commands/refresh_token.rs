//! A refresh token kept in a file: written new (`login --save-refresh-token`) or over the old one
//! (`refresh` after a rotation), readable by its owner only, never half-written.

use std::path::{Path, PathBuf};

use crate::cognito::token_endpoint::{RefreshToken, Tokens};
use crate::report::{Check, Id};

/// `login --save-refresh-token FILE`: the sign-in's refresh token written to a new file (or
/// over it, `replace`), as a `callback.exchange` row.
pub(super) fn keep(path: &Path, replace: bool, tokens: &Tokens) -> Check {
    let Some(token) = &tokens.refresh_token else {
        return Check::warn(
            Id::CallbackExchange,
            format!(
                "the sign-in returned no refresh token, so nothing was written to {}",
                path.display()
            ),
            "Cognito returns a refresh token with the code grant when the app client allows ALLOW_REFRESH_TOKEN_AUTH",
        );
    };
    match save(path, token, replace) {
        Ok(()) => Check::pass(
            Id::CallbackExchange,
            format!(
                "the refresh token (not shown) was written to {}, readable by you only: jwtcheck refresh --refresh-token-file {} uses it",
                path.display(),
                path.display()
            ),
        ),
        Err(e) => Check::fail(
            Id::CallbackExchange,
            format!("the refresh token was not saved: {e}"),
            "--force replaces an existing file; check that the folder exists and is writable",
        ),
    }
}

/// Writes a refresh token to `path`, readable by its owner only from the moment it exists: a new
/// file beside it, then a rename over `path` (`replace`) or a link to it, which fails when
/// `path` exists. Either way a reader sees the whole old token or the whole new one.
pub(super) fn save(path: &Path, token: &RefreshToken, replace: bool) -> Result<(), String> {
    use std::io::Write as _;
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut nonce = [0u8; 8];
    aws_lc_rs::rand::fill(&mut nonce).map_err(|_| "no randomness for a file name".to_string())?;
    let suffix: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = path.with_file_name(format!(".{name}.tmp-{suffix}"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(token.expose().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    });
    let placed = written.and_then(|()| {
        if replace {
            std::fs::rename(&tmp, path)
        } else {
            std::fs::hard_link(&tmp, path)
        }
    });
    let _ = std::fs::remove_file(&tmp);
    placed.map_err(failed)
}
