//! The core does no I/O: no core module may import an edge module, a file-system, environment,
//! process or network API. The edges (`cli`, `commands`, `net`, `render`, `input` reading and
//! `main`) do the I/O and call the core.

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
    "setup",
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

/// The top-level modules of `src/`, lowest layer first: a module may import only modules of a
/// lower rank (or itself). Equal ranks may not import each other, so no circle can form between
/// top-level modules. ARCHITECTURE.md draws the same order.
const RANKS: &[(&str, u8)] = &[
    ("clock", 0),
    ("http", 0),
    ("report", 1),
    ("cognito", 1),
    ("input", 2),
    ("jose", 3),
    ("policy", 4),
    ("hasura", 4),
    ("devkit", 5),
    ("inspect", 5),
    ("lint", 5),
    ("settings", 5),
    ("judge", 6),
    ("net", 7),
    ("setup", 7),
    ("cli", 8),
    ("render", 9),
    ("commands", 10),
];

/// Every `crate::…`, `super::…` and `self::…` path of a file's non-test code (with `use` groups
/// spelled out), as module path segments from the crate root.
fn imports(module: &[String], is_dir_module: bool, text: &str) -> Vec<Vec<String>> {
    let code: String = non_test(text)
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let base = |kind: &str| -> Vec<String> {
        match kind {
            "crate" => Vec::new(),
            "self" if is_dir_module => module.to_vec(),
            "self" => module.to_vec(),
            // `super` in `a/b.rs` (module a::b) is `a`; in `a/mod.rs` (module a) it is the root.
            _ => module[..module.len().saturating_sub(1)].to_vec(),
        }
    };
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for kind in ["crate", "super", "self"] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(&format!("{kind}::")) {
            let before = rest[..at].chars().last();
            let tail = &rest[at + kind.len()..];
            rest = tail;
            if before.is_some_and(ident) {
                continue;
            }
            // `kind::a::b` then, perhaps, `::{x, y::z}`.
            let mut path = base(kind);
            let mut t = tail;
            while let Some(seg) = t.strip_prefix("::") {
                let name: String = seg.chars().take_while(|c| ident(*c)).collect();
                if name.is_empty() {
                    if let Some(group) = seg.strip_prefix('{') {
                        let group = &group[..group.find('}').unwrap_or(group.len())];
                        for item in group.split(',') {
                            let mut p = path.clone();
                            p.extend(
                                item.split("::")
                                    .map(|s| s.trim().to_string())
                                    .filter(|s| !s.is_empty() && s != "self"),
                            );
                            out.push(p);
                        }
                    }
                    break;
                }
                path.push(name.clone());
                t = &seg[name.len()..];
            }
            out.push(path);
        }
    }
    out
}

/// Every module of `src/` (as path segments) and its file.
fn modules() -> Vec<(Vec<String>, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts, f)
        })
        .collect()
}

/// Each module and the modules it imports (the deepest existing module a path names).
fn module_graph() -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let mods = modules();
    let known: std::collections::HashSet<Vec<String>> =
        mods.iter().map(|(m, _)| m.clone()).collect();
    mods.iter()
        .map(|(m, f)| {
            let dir = matches!(
                f.file_stem().and_then(|s| s.to_str()),
                Some("mod" | "lib" | "main")
            );
            let text = std::fs::read_to_string(f).unwrap();
            let mut targets: Vec<Vec<String>> = imports(m, dir, &text)
                .into_iter()
                .filter_map(|p| {
                    (1..=p.len())
                        .rev()
                        .map(|n| p[..n].to_vec())
                        .find(|q| known.contains(q))
                })
                .filter(|t| t != m)
                .collect();
            targets.sort();
            targets.dedup();
            (m.clone(), targets)
        })
        .collect()
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let rank = |m: &str| RANKS.iter().find(|(n, _)| *n == m).map(|(_, r)| *r);
    let mut offences = Vec::new();
    for (module, targets) in module_graph() {
        let Some(top) = module.first() else { continue };
        let Some(own) = rank(top) else {
            offences.push(format!("{}: not in RANKS", module.join("::")));
            continue;
        };
        for t in targets {
            let Some(other) = t.first() else { continue };
            if other == top {
                continue;
            }
            match rank(other) {
                Some(r) if r < own => {}
                _ => offences.push(format!("{} imports {}", module.join("::"), t.join("::"))),
            }
        }
    }
    assert!(
        offences.is_empty(),
        "imports against the layer order (tests/it/layers.rs RANKS):\n{}",
        offences.join("\n")
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let graph = module_graph();
    let index: std::collections::HashMap<&Vec<String>, usize> =
        graph.iter().enumerate().map(|(i, (m, _))| (m, i)).collect();
    let adj: Vec<Vec<usize>> = graph
        .iter()
        .map(|(_, ts)| ts.iter().filter_map(|t| index.get(t).copied()).collect())
        .collect();
    // A module lies on a circle when it can reach itself.
    let mut circles = Vec::new();
    for start in 0..adj.len() {
        let mut seen = vec![false; adj.len()];
        let mut stack = adj[start].clone();
        while let Some(v) = stack.pop() {
            if v == start {
                circles.push(graph[start].0.join("::"));
                break;
            }
            if !std::mem::replace(&mut seen[v], true) {
                stack.extend(&adj[v]);
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules on an import circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_import_scan_reads_paths_and_groups() {
    let module = vec!["judge".to_string(), "v2".to_string()];
    let found = imports(
        &module,
        false,
        "use super::keys::{self, Loaded};\nuse crate::hasura::{jwks, config::JwtConfig};\nfn f() { crate::report::Id::Key; }\n#[cfg(test)]\nuse crate::net::x;",
    );
    let has = |p: &str| found.iter().any(|f| f.join("::") == p);
    assert!(has("judge::keys::Loaded"), "{found:?}");
    assert!(
        has("hasura::jwks") && has("hasura::config::JwtConfig"),
        "{found:?}"
    );
    assert!(has("report::Id::Key"), "{found:?}");
    assert!(!found.iter().any(|f| f.first().is_some_and(|s| s == "net")));
}

/// How many lines hold code: not blank, not only a comment, not the inside of a string literal
/// (help texts are written over several lines).
fn code_lines(code: &str) -> usize {
    let mut count = 0;
    let mut in_string = false;
    for line in code.lines() {
        let mut has_code = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' if in_string => in_string = false,
                _ if in_string => {}
                '/' if chars.peek() == Some(&'/') => break,
                '"' => {
                    in_string = true;
                    has_code = true;
                }
                '\'' => {
                    has_code = true;
                    // A char literal ('"', '\\''): skip it whole; a lifetime has no closing quote.
                    let rest: String = chars.clone().take(3).collect();
                    if rest.starts_with('\\') && rest.chars().nth(2) == Some('\'') {
                        chars.nth(2);
                    } else if rest.chars().nth(1) == Some('\'') {
                        chars.nth(1);
                    }
                }
                c if !c.is_whitespace() => has_code = true,
                _ => {}
            }
        }
        count += usize::from(has_code);
    }
    count
}

/// The code stays readable: in `src/` no function is longer than 80 lines (from `fn` to its
/// closing brace, as rustfmt writes them) and no file has more than 600 non-blank lines of
/// non-test code (a file of unit tests counts whole).
#[test]
fn functions_and_files_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut offences = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let code = non_test(&text);
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        let lines: Vec<&str> = code.lines().collect();
        let filled = code_lines(code);
        if filled > 600 {
            offences.push(format!("{rel}: {filled} lines"));
        }
        for (i, line) in lines.iter().enumerate() {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            let is_fn = ["fn ", "pub fn ", "pub(super) fn ", "pub(crate) fn "]
                .iter()
                .any(|p| body.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let Some(end) = lines[i..].iter().position(|l| l.trim_end() == close) else {
                continue;
            };
            if end + 1 > 80 {
                offences.push(format!("{rel}:{}: a function of {} lines", i + 1, end + 1));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}
