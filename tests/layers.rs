//! The core does no I/O: no core module may import an edge module, a file-system, environment,
//! process or network API. The edges (`cli`, `commands`, `net`, `render`, `input` reading and
//! `main`) do the I/O and call the core.

// Test code: a failed unwrap or index is the test failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

/// Core modules: files and folders under `src/`.
const CORE: &[&str] = &[
    "clock.rs",
    "cognito",
    "devkit",
    "hasura",
    "http.rs",
    "input/callback.rs",
    "input/forms.rs",
    "input/paste.rs",
    "inspect",
    "jose",
    "judge",
    "lint",
    "policy.rs",
    "report",
    "settings.rs",
];

/// What a core file must not name: edge modules and I/O APIs.
const FORBIDDEN: &[&str] = &[
    "crate::cli",
    "crate::commands",
    "crate::net",
    "crate::render",
    "crate::input::Input",
    "crate::input::read",
    "crate::input::InputError",
    "std::fs",
    "std::env",
    "std::process",
    "std::net::Tcp",
    "std::io::stdin",
    "std::io::stdout",
    "reqwest",
    "tokio",
    "Timestamp::now",
    "SystemTime::now",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The file's text before its first `#[cfg(test)]` (tests may do what they like).
fn non_test(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

#[test]
fn core_modules_import_no_edge_module_and_do_no_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut core_files = 0;
    let mut offences = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !CORE
            .iter()
            .any(|c| rel == *c || rel.starts_with(&format!("{c}/")))
        {
            continue;
        }
        core_files += 1;
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in non_test(&text).lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for bad in FORBIDDEN {
                if code.contains(bad) {
                    offences.push(format!("src/{rel}:{}: {bad}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(core_files >= 20, "only {core_files} core files found");
    assert!(
        offences.is_empty(),
        "the core reaches an edge:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_check_catches_an_offence() {
    // The scan itself: an import of an edge module in non-test code is found; in tests it is not.
    let text = "use crate::net::fetch;\n#[cfg(test)]\nmod tests { use std::fs; }";
    assert!(non_test(text).contains("crate::net"));
    assert!(!non_test(text).contains("std::fs"));
}
