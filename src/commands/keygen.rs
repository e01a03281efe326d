//! `jwtcheck keygen --out DIR`: a key pair and a key set shaped like a Cognito pool's, for
//! `mint` to sign with and `serve-keys` to publish.

use std::path::{Path, PathBuf};

use super::Context;
use crate::cli::devkit::KeygenArgs;
use crate::devkit::keypair::{self, SigningKey};
use crate::devkit::{JWKS_FILE, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE};
use crate::jose::jwk;
use crate::judge::verdict;
use crate::lint::keyset;
use crate::report::{DevKitInfo, Id, KeySetInfo, Report, Verdict, WrittenFile};

/// Writes a new key pair into `--out`.
pub fn run(args: &KeygenArgs, ctx: &Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let dir = &args.out;
    let private = dir.join(PRIVATE_KEY_FILE);
    let jwks_path = dir.join(JWKS_FILE);
    if !args.force
        && let Some(existing) = [&private, &jwks_path].into_iter().find(|p| p.exists())
    {
        report.stop(
            Verdict::UsageError,
            Id::KeygenExists,
            format!("{} already exists", existing.display()),
            "replacing the key makes every token signed by it fail: pass --force to replace it, or choose another --out".into(),
        );
        return report;
    }
    let key = match keypair::generate(args.alg.kind())
        .and_then(|pem| SigningKey::from_pem(&pem).map(|key| (pem, key)))
    {
        Ok(made) => made,
        Err(e) => {
            report.stop(
                Verdict::UsageError,
                Id::KeygenWrite,
                e.to_string(),
                e.hint(),
            );
            return report;
        }
    };
    let (private_pem, key) = key;
    let jwks = serde_json::json!({ "keys": [key.jwk()] });
    let jwks_text = format!(
        "{}\n",
        serde_json::to_string_pretty(&jwks).unwrap_or_default()
    );
    let written = make_dir(dir)
        .and_then(|()| write_private(&private, &private_pem))
        .and_then(|()| write(&dir.join(PUBLIC_KEY_FILE), &key.public_pem()))
        .and_then(|()| write(&jwks_path, &jwks_text));
    if let Err(e) = written {
        report.stop(
            Verdict::UsageError,
            Id::KeygenWrite,
            e,
            "check that the folder can be written".into(),
        );
        return report;
    }
    describe(&mut report, dir, &jwks, &key);
    let summary = format!(
        "wrote an {} key pair to {} (kid {})",
        key.alg().name(),
        dir.display(),
        key.kid()
    );
    verdict::conclude(
        &mut report,
        verdict::Basis::Done { summary: &summary },
        ctx.now,
    );
    report
}

/// The evidence: the key set as `jwks` lists and lints it, the files, what to run next.
fn describe(report: &mut Report, dir: &Path, jwks: &serde_json::Value, key: &SigningKey) {
    let set = jwk::parse_set(jwks).unwrap_or_default();
    report.checks.extend(keyset::lint(&set, false));
    report.keyset = Some(KeySetInfo {
        source: dir.join(JWKS_FILE).display().to_string(),
        fetched: None,
        headers: None,
        caching: Vec::new(),
        keys: keyset::rows(&set),
    });
    let file = |name: &str, holds: &str| WrittenFile {
        path: dir.join(name).display().to_string(),
        holds: holds.to_string(),
    };
    let shown = dir.display();
    report.devkit = Some(DevKitInfo {
        files: vec![
            file(
                PRIVATE_KEY_FILE,
                "the private key (PKCS#8; only you may read it; keep it out of version control)",
            ),
            file(
                PUBLIC_KEY_FILE,
                &format!(
                    "the public key, for a Hasura configuration {{\"type\":\"{}\",\"key\":\"…\"}}",
                    key.hasura_type()
                ),
            ),
            file(JWKS_FILE, "the key set serve-keys publishes"),
        ],
        next: vec![
            format!("jwtcheck serve-keys {shown}"),
            format!("jwtcheck mint --key {shown} --role user"),
        ],
        ..DevKitInfo::default()
    });
}

fn make_dir(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("cannot make {}: {e}", dir.display()))
}

/// The private key, readable by its owner only (mode 0600 from the moment it exists).
fn write_private(path: &PathBuf, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(failed(e)),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
