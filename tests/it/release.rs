//! Prebuilt binaries: the release workflow builds the one list of targets in Cargo.toml
//! (`[package.metadata.jwtcheck] release-targets`), the install script the Action runs knows the
//! same targets and asset names, installs a release served here on 127.0.0.1 only when its
//! SHA-256 matches, and says "no release" (the Action then builds from source) when there is none;
//! the Dockerfile puts a static binary on a distroless image as a non-root user.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::Server;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// Cargo.toml's `release-targets`, in order.
fn release_targets() -> Vec<String> {
    let cargo = read("Cargo.toml");
    let start = cargo
        .find("release-targets = [")
        .expect("release-targets in Cargo.toml");
    let list = &cargo[start..];
    let list = &list[..list.find(']').unwrap()];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

#[test]
fn the_release_workflow_builds_every_target_of_the_one_list() {
    let targets = release_targets();
    assert_eq!(targets.len(), 5, "{targets:?}");
    let workflow: Value = serde_yaml_ng::from_str(&read(".github/workflows/release.yml")).unwrap();
    let built: Vec<String> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        built, targets,
        "release.yml's matrix must be Cargo.toml's release-targets"
    );
    // Linux as static musl binaries, both architectures; macOS both; Windows.
    for os in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.iter().any(|t| t == os), "{os}");
    }
    let text = read(".github/workflows/release.yml");
    for asset in [
        "jwtcheck-$TARGET.tar.gz",
        "jwtcheck-$TARGET.zip",
        "$archive.sha256",
        "SHA256SUMS",
    ] {
        assert!(text.contains(asset), "release.yml publishes {asset}");
    }
}

#[test]
fn the_install_script_knows_the_same_targets_and_asset_names() {
    let script = read("scripts/install-release.sh");
    let known: Vec<&str> = script
        .split("JWTCHECK_TARGET=")
        .skip(1)
        .filter_map(|rest| rest.split([' ', ';', '\n']).next())
        .filter(|t| !t.is_empty() && !t.starts_with('$'))
        .collect();
    let mut known_sorted = known.clone();
    known_sorted.sort();
    let mut targets = release_targets();
    targets.sort();
    assert_eq!(known_sorted, targets, "the script's targets: {known:?}");
    for asset in [
        "jwtcheck-$target.tar.gz",
        "jwtcheck-$target.zip",
        "$url.sha256",
    ] {
        assert!(script.contains(asset), "the script reads {asset}");
    }
}

/// A release of this version for `target` on a loopback server, holding the built binary;
/// `sha` is what the `.sha256` file says (None: the archive's real hash).
fn serve_release(target: &str, sha: Option<&str>) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let stage = dir.path().join("stage");
    std::fs::create_dir(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_jwtcheck"), stage.join("jwtcheck")).unwrap();
    let archive = dir.path().join(format!("jwtcheck-{target}.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(&stage)
        .arg("jwtcheck")
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&archive).unwrap();
    let real = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes);
    let real: String = real.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let sha_file = format!(
        "{}  jwtcheck-{target}.tar.gz\n",
        sha.unwrap_or(real.as_str())
    );
    let server = Server::start();
    let path = format!("/v{}/jwtcheck-{target}.tar.gz", env!("CARGO_PKG_VERSION"));
    server.mount(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(path.clone()))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_bytes(bytes)),
    );
    server.mount(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(format!("{path}.sha256")))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_string(sha_file)),
    );
    (server, dir)
}

/// Runs the install script into `dest` against `server`, as for this machine's Linux target.
fn install(server: &Server, dest: &Path) -> (i32, String) {
    let out = Command::new("bash")
        .arg(root().join("scripts/install-release.sh"))
        .arg(env!("CARGO_PKG_VERSION"))
        .arg(dest)
        .env("JWTCHECK_RELEASE_BASE", server.url(""))
        .env("JWTCHECK_TARGET", "x86_64-unknown-linux-musl")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_install_script_installs_a_release_whose_checksum_matches() {
    let (server, _dir) = serve_release("x86_64-unknown-linux-musl", None);
    let dest = tempfile::tempdir().unwrap();
    let (code, stderr) = install(&server, dest.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("installed jwtcheck {}", env!("CARGO_PKG_VERSION"))),
        "{stderr}"
    );
    let out = Command::new(dest.path().join("bin/jwtcheck"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn the_install_script_refuses_a_checksum_mismatch_and_installs_nothing() {
    let wrong = "0".repeat(64);
    let (server, _dir) = serve_release("x86_64-unknown-linux-musl", Some(&wrong));
    let dest = tempfile::tempdir().unwrap();
    let (code, stderr) = install(&server, dest.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!dest.path().join("bin/jwtcheck").exists());
}

#[test]
fn the_install_script_says_no_release_when_there_is_none() {
    let server = Server::start();
    let dest = tempfile::tempdir().unwrap();
    let (code, stderr) = install(&server, dest.path());
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("no release"), "{stderr}");
    assert!(!dest.path().join("bin/jwtcheck").exists());
}

/// A release whose archive is there but whose `.sha256` is not is broken, not absent: exit 1,
/// so that the Action does not fall back to a build from source and hide it.
#[test]
fn the_install_script_refuses_an_archive_without_its_checksum_file() {
    let server = Server::start();
    let path = format!(
        "/v{}/jwtcheck-x86_64-unknown-linux-musl.tar.gz",
        env!("CARGO_PKG_VERSION")
    );
    server.mount(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path(path))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_bytes(b"archive".to_vec())),
    );
    let dest = tempfile::tempdir().unwrap();
    let (code, stderr) = install(&server, dest.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("no jwtcheck-x86_64-unknown-linux-musl.tar.gz.sha256"),
        "{stderr}"
    );
    assert!(!dest.path().join("bin/jwtcheck").exists());
}

/// The Action's install step, run as a runner would with no jwtcheck on PATH and a `cargo` that
/// only records how it was called: (exit code, what cargo was asked, GITHUB_PATH, RUNNER_TEMP).
fn run_install_step(server: &Server) -> (i32, String, String, PathBuf, tempfile::TempDir) {
    let action: Value = serde_yaml_ng::from_str(&read("action.yml")).unwrap();
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Install jwtcheck")
        .unwrap()
        .clone();
    let temp = tempfile::tempdir().unwrap();
    let bin = temp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let calls = temp.path().join("cargo-calls");
    std::fs::write(
        bin.join("cargo"),
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", calls.display()),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("cargo"))
        .status()
        .unwrap();
    let runner_temp = temp.path().join("runner");
    std::fs::create_dir(&runner_temp).unwrap();
    let github_path = temp.path().join("path.txt");
    std::fs::write(&github_path, "").unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(step["run"].as_str().unwrap())
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("ACTION_PATH", root())
        .env("JWTCHECK_VERSION", "")
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_PATH", &github_path)
        .env("JWTCHECK_RELEASE_BASE", server.url(""))
        .env("JWTCHECK_TARGET", "x86_64-unknown-linux-musl")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("command not found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap_or(-1),
        std::fs::read_to_string(&calls).unwrap_or_default(),
        std::fs::read_to_string(&github_path).unwrap(),
        runner_temp,
        temp,
    )
}

#[test]
fn the_action_installs_the_release_of_its_own_version_without_building() {
    let (server, _dir) = serve_release("x86_64-unknown-linux-musl", None);
    let (code, cargo, github_path, runner_temp, _temp) = run_install_step(&server);
    assert_eq!(code, 0);
    assert_eq!(cargo, "", "nothing is built when the release exists");
    let bin = runner_temp.join("jwtcheck/bin");
    assert_eq!(github_path, format!("{}\n", bin.display()));
    assert!(bin.join("jwtcheck").is_file());
}

#[test]
fn the_action_builds_from_source_only_when_no_release_exists() {
    let server = Server::start();
    let (code, cargo, github_path, runner_temp, _temp) = run_install_step(&server);
    assert_eq!(code, 0);
    let dest = runner_temp.join("jwtcheck");
    assert_eq!(
        cargo,
        format!(
            "install --locked --path {} --root {}\n",
            root().display(),
            dest.display()
        )
    );
    assert_eq!(github_path, format!("{}\n", dest.join("bin").display()));
}

#[test]
fn the_action_fails_on_a_checksum_mismatch_and_builds_nothing() {
    let wrong = "0".repeat(64);
    let (server, _dir) = serve_release("x86_64-unknown-linux-musl", Some(&wrong));
    let (code, cargo, github_path, _, _temp) = run_install_step(&server);
    assert_eq!(code, 1);
    assert_eq!(cargo, "");
    assert_eq!(github_path, "");
}

#[test]
fn the_dockerfile_puts_a_static_binary_on_distroless_as_a_non_root_user() {
    let dockerfile = read("Dockerfile");
    let last_stage = dockerfile.rsplit("\nFROM ").next().unwrap();
    assert!(
        last_stage.starts_with("gcr.io/distroless/static") || last_stage.starts_with("scratch"),
        "{last_stage}"
    );
    let user = last_stage
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER in the final stage");
    assert!(
        !["root", "0", "0:0", "root:root"].contains(&user.trim()),
        "{user}"
    );
    assert!(dockerfile.contains("x86_64-unknown-linux-musl"));
    assert!(dockerfile.contains("aarch64-unknown-linux-musl"));
    assert!(dockerfile.contains("cargo build --release --locked --target"));
    let ignore = read(".dockerignore");
    assert!(ignore.lines().any(|l| l == "target/"), "{ignore}");
}

/// The musl build the Dockerfile and the Linux releases use, when it was built here
/// (`cargo build --release --target x86_64-unknown-linux-musl`; skipped otherwise): statically
/// linked, and it runs.
#[test]
fn a_musl_build_is_static_and_runs() {
    let target_dir = PathBuf::from(env!("CARGO_BIN_EXE_jwtcheck"))
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    let binary = target_dir.join("x86_64-unknown-linux-musl/release/jwtcheck");
    if !binary.is_file() {
        eprintln!(
            "skipped: no {} (cargo build --release --target x86_64-unknown-linux-musl)",
            binary.display()
        );
        return;
    }
    let file = Command::new("file").arg(&binary).output().unwrap();
    let file = String::from_utf8_lossy(&file.stdout);
    assert!(
        file.contains("statically linked") || file.contains("static-pie linked"),
        "{file}"
    );
    let out = Command::new(&binary).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with(&format!("jwtcheck {}", env!("CARGO_PKG_VERSION")))
    );
}
