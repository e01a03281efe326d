//! The README and the book (`docs/src/`) as tests: every ```console example runs the built binary
//! on the samples and its output must match what the page shows (trycmd: `...` stands for lines,
//! `[..]` for part of a line, `? N` for the exit code), each command's page shows its `--help`
//! exactly, every command line of an example that cannot run here (```sh, ```console,ignore)
//! parses with the real grammar, and every relative link and anchor leads somewhere.
//! `TRYCMD=overwrite cargo test --test it docs` rewrites the shown outputs from the binary.

use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page of the book.
pub fn pages() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md")];
    let mut dirs = vec![root().join("docs/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_console_example_runs_as_shown() {
    let cache = tempfile::tempdir().unwrap();
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("jwtcheck", trycmd::cargo::cargo_bin!("jwtcheck"))
        // The help's width and colors as in a pipe, whatever the terminal running the tests.
        .env("COLUMNS", "100")
        .env("CLICOLOR_FORCE", "0")
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cache.path().display().to_string());
    for page in pages() {
        cases.case(page);
    }
    cases.run();
}

/// Every command has its page in `docs/src/commands/`, listed in SUMMARY.md, showing its
/// `--help` (which the console test then checks word for word).
#[test]
fn every_command_has_a_page_with_its_help() {
    let summary = std::fs::read_to_string(root().join("docs/src/SUMMARY.md")).unwrap();
    for command in jwtcheck::cli::Cli::command().get_subcommands() {
        let name = command.get_name();
        if name == "help" {
            continue;
        }
        let page = format!("commands/{name}.md");
        let text = std::fs::read_to_string(root().join("docs/src").join(&page))
            .unwrap_or_else(|_| panic!("no page docs/src/{page} for the command {name}"));
        let help = format!("```console\n$ jwtcheck {name} --help\n");
        assert!(
            text.contains(&help),
            "docs/src/{page} does not show the command's help: add\n{help}```\n\
             and run TRYCMD=overwrite cargo test --test it docs"
        );
        assert!(
            summary.contains(&format!("]({page})")),
            "docs/src/SUMMARY.md does not link {page}"
        );
    }
}

/// A fenced block: its info string and its lines.
struct Block {
    info: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                current = Some(Block {
                    info: info.trim().to_string(),
                    text: String::new(),
                })
            }
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some(block), None) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The jwtcheck command lines of a shell block: continuation lines joined, each command cut at
/// a pipe, a redirection, a `||`, `&&`, `;` or the `)` of a command substitution.
fn shell_commands(block: &str) -> Vec<Vec<String>> {
    let joined = block.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.trim_start().trim_start_matches("$ ");
        if line.starts_with('#') {
            continue;
        }
        // A comment ends the command (and may mention jwtcheck).
        let line = line.split(" # ").next().unwrap_or(line);
        let mut rest = line;
        while let Some(at) = rest.find("jwtcheck ") {
            let before = rest[..at].chars().last();
            let after = &rest[at..];
            rest = &after["jwtcheck ".len()..];
            if before.is_some_and(|c| !(c.is_whitespace() || c == '(' || c == '|')) {
                continue;
            }
            let words = shlex::split(after).unwrap_or_else(|| panic!("not shell words: {after}"));
            let end = words
                .iter()
                .position(|w| {
                    ["|", "||", "&&", ";", ">", ">>", "#"].contains(&w.as_str())
                        || w.starts_with('>')
                        || w.ends_with(')')
                })
                .unwrap_or(words.len());
            let mut argv = words[..end].to_vec();
            if let Some(last) = words.get(end).filter(|w| w.ends_with(')') && w.len() > 1) {
                argv.push(last.trim_end_matches(')').to_string());
            }
            out.push(argv);
        }
    }
    out
}

/// Examples that cannot run here (they need a network, a browser, files the reader has, or
/// they write files) are still checked for syntax: each command line parses with jwtcheck's
/// own grammar, so a renamed or removed flag fails this test.
#[test]
fn every_shell_example_parses_with_the_real_grammar() {
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for block in blocks(&text) {
            let lang = block.info.split(',').next().unwrap_or_default();
            let shell = lang == "sh" || (lang == "console" && block.info.contains("ignore"));
            if !shell {
                continue;
            }
            for argv in shell_commands(&block.text) {
                // A loop variable stands for the command names it runs over.
                let argv: Vec<String> = argv
                    .into_iter()
                    .map(|w| if w == "$c" { "verify".into() } else { w })
                    .collect();
                let parsed = jwtcheck::cli::Cli::try_parse_from(&argv)
                    .map(|_| ())
                    .or_else(|e| {
                        use clap::error::ErrorKind::{DisplayHelp, DisplayVersion};
                        if matches!(e.kind(), DisplayHelp | DisplayVersion) {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    });
                if let Err(e) = parsed {
                    panic!(
                        "{}: {} does not parse:\n{e}",
                        page.display(),
                        argv.join(" ")
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} command lines found");
}

/// The id mdBook gives a heading: its text in lower case, spaces as `-`, other punctuation gone.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of a page: one per heading outside code blocks (a repeated one gets `-1`, …).
fn anchors(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            let id = anchor(heading.trim_start_matches('#').trim());
            let n = out
                .iter()
                .filter(|a| **a == id || a.starts_with(&format!("{id}-")))
                .count();
            out.push(if n == 0 { id } else { format!("{id}-{n}") });
        }
    }
    out
}

/// The targets of a page's inline links `[text](target)`, outside code blocks and code spans.
fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        // mdBook's include directive names a file too.
        if let Some(included) = line
            .strip_prefix("{{#include ")
            .and_then(|l| l.strip_suffix("}}"))
        {
            out.push(included.trim().to_string());
            continue;
        }
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join("");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

#[test]
fn every_relative_link_and_anchor_leads_somewhere() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap_or(Path::new(".")).join(file)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            }
            // An image or a folder has no headings to check; a page is read for its anchors.
            let Ok(target_text) = std::fs::read_to_string(&target) else {
                continue;
            };
            if !fragment.is_empty()
                && target.extension().is_some_and(|e| e == "md")
                && !anchors(&target_text).iter().any(|a| a == fragment)
            {
                broken.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_finds_broken_links_and_anchors() {
    assert_eq!(
        links("see [a](x.md#b) and `[c](d)` not\n```\n[e](f)\n```\n[g](h)\n{{#include ../A.md}}"),
        ["x.md#b", "h", "../A.md"]
    );
    assert_eq!(
        anchors("# `verify --batch`: many tokens\n## Use in CI\n## Use in CI"),
        ["verify---batch-many-tokens", "use-in-ci", "use-in-ci-1"]
    );
}

#[test]
fn shell_lines_give_each_jwtcheck_call() {
    let found = shell_commands(
        "# jwtcheck in a comment\nT=$(jwtcheck mint --key k \\\n  --role user)\n\
         pbpaste | jwtcheck decode - --json | jq .\njwtcheck --version  # jwtcheck 0.1.0\n",
    );
    assert_eq!(
        found,
        [
            vec!["jwtcheck", "mint", "--key", "k", "--role", "user"],
            vec!["jwtcheck", "decode", "-", "--json"],
            vec!["jwtcheck", "--version"],
        ]
    );
    // A flag the grammar does not have is found.
    assert!(
        jwtcheck::cli::Cli::try_parse_from(["jwtcheck", "verify", "t", "--no-such-flag"]).is_err()
    );
}
