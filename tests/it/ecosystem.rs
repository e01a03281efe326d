//! What users of a Rust CLI expect around it: shell completions, man pages, `explain`, the JSON
//! Schema of the report, `--version`, colors, suggestions for mistyped commands and flags, and
//! hints that name real flags.
//!
//! Tools these tests drive (bash, man) are installed by `.ci/run`; elsewhere a missing one makes
//! its part say "skipped", unless `JWTCHECK_REQUIRE_TOOLS` is set (as in CI).

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;
use clap::CommandFactory;
use jwtcheck::report::Id;
use serde_json::Value;

/// Whether `program` is installed; when it is not, CI (`JWTCHECK_REQUIRE_TOOLS`) fails and
/// elsewhere the caller skips.
fn have(program: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("JWTCHECK_REQUIRE_TOOLS").is_none(),
            "{program} must be installed here (JWTCHECK_REQUIRE_TOOLS is set)"
        );
        eprintln!("skipped: {program} is not installed");
    }
    found
}

/// The hint of a `--json` usage error (exit 2, `usage.arguments`).
fn usage_hint(args: &[&str]) -> String {
    let (code, r) = run_json(jwtcheck().args(args));
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["error"]["id"], "usage.arguments");
    r["error"]["hint"].as_str().unwrap().to_string()
}

fn stdout_of(args: &[&str]) -> String {
    let (code, out, err) = run(jwtcheck().args(args));
    assert_eq!(code, 0, "jwtcheck {args:?}: {err}");
    out
}

// ---- completions ----

/// Completes `words` (the last one being typed) with the bash completion script.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; _jwtcheck jwtcheck '{}' '{prev}'; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_accepts_the_completion_script_which_completes_commands_flags_and_ids() {
    let script = stdout_of(&["completions", "bash"]);
    if !have("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwtcheck.bash");
    std::fs::write(&path, &script).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    assert_eq!(bash_complete(&path, &["jwtcheck", "ver"]), ["verify"]);
    assert!(bash_complete(&path, &["jwtcheck", "verify", "--jw"]).contains(&"--jwks".to_string()));
    assert_eq!(
        bash_complete(&path, &["jwtcheck", "explain", "hasura.default"]),
        ["hasura.default_role"]
    );
}

#[test]
fn bash_completes_the_path_after_an_at_and_man_offers_command_names() {
    let script = stdout_of(&["completions", "bash"]);
    if !have("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwtcheck.bash");
    std::fs::write(&path, &script).unwrap();
    // The tests run in the crate's directory, where samples/ is.
    assert_eq!(
        bash_complete(&path, &["jwtcheck", "verify", "@samples/id"]),
        ["@samples/id-token.jwt"]
    );
    assert_eq!(
        bash_complete(
            &path,
            &["jwtcheck", "verify", "t", "--hasura-config", "@samples/has"]
        ),
        [
            "@samples/hasura-jwt-secret.broken.json",
            "@samples/hasura-jwt-secret.json"
        ]
    );
    assert_eq!(
        bash_complete(&path, &["jwtcheck", "verify", "@sam"]),
        ["@samples/"]
    );
    assert_eq!(
        bash_complete(&path, &["jwtcheck", "man", "ver"]),
        ["verify"]
    );
    assert_eq!(commands(), jwtcheck::cli::COMMANDS);
    // Words without an @ are clap's, as before.
    assert_eq!(bash_complete(&path, &["jwtcheck", "ver"]), ["verify"]);
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("jwtcheck"), "{shell}");
        assert!(script.contains("hasura-config"), "{shell}");
    }
    let (code, _, err) = run(jwtcheck().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(err.contains("possible values: bash"), "{err}");
}

// ---- man pages ----

/// Every command's name, from the clap definitions.
fn commands() -> Vec<String> {
    jwtcheck::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The book's loop that installs a man page per command (docs/src/install.md) names every command
/// (it is written from `commands()`: update it from this test's message when a command is added).
#[test]
fn the_install_page_man_page_loop_names_every_command() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/install.md"))
            .unwrap();
    let want = format!("for c in {}; do", commands().join(" "));
    let found = readme
        .lines()
        .find(|l| l.starts_with("for c in ") && l.ends_with("; do"))
        .unwrap_or_default();
    assert_eq!(found, want, "docs/src/install.md's man page loop");
}

#[test]
fn man_renders_every_page() {
    let mut pages = vec![None];
    pages.extend(commands().into_iter().map(Some));
    let dir = tempfile::tempdir().unwrap();
    let man = have("man");
    for page in pages {
        let mut args = vec!["man"];
        args.extend(page.as_deref());
        let roff = stdout_of(&args);
        let title = match &page {
            None => "jwtcheck".to_string(),
            Some(name) => format!("jwtcheck-{name}"),
        };
        assert!(roff.contains(&format!(".TH {title} 1")), "{title}:\n{roff}");
        if !man {
            continue;
        }
        let file = dir.path().join(format!("{title}.1"));
        std::fs::write(&file, &roff).unwrap();
        let out = std::process::Command::new("man")
            .arg("--warnings")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "man -l {title}: {err}");
        assert!(err.trim().is_empty(), "man -l {title} warns: {err}");
        assert!(text.contains("SYNOPSIS"), "{title}:\n{text}");
    }
}

#[test]
fn man_for_a_command_that_does_not_exist_suggests_one() {
    let hint = usage_hint(&["man", "verfy"]);
    assert!(hint.starts_with("did you mean verify?"), "{hint}");
}

// ---- explain ----

#[test]
fn explain_lists_every_id_and_explains_each() {
    let list = stdout_of(&["explain"]);
    for id in Id::ALL {
        assert!(
            list.lines()
                .any(|l| l.trim_start().starts_with(&format!("{id} "))),
            "{id} is not listed"
        );
        let text = stdout_of(&["explain", id.as_str()]);
        assert!(
            text.starts_with(&format!("{id}  {}", id.meaning())),
            "{text}"
        );
        for heading in [
            "What it checks",
            "Why it matters",
            "Common causes",
            "Fix",
            "Read more",
        ] {
            assert!(text.contains(heading), "{id}: {heading}");
        }
    }
}

#[test]
fn explain_as_json() {
    let out = stdout_of(&["explain", "hasura.format", "--json"]);
    let e: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["id"], "hasura.format");
    assert!(e["why"].as_str().unwrap().contains("claims_format"));
    assert!(!e["causes"].as_array().unwrap().is_empty());
    assert!(
        e["links"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let list: Value = serde_json::from_str(&stdout_of(&["explain", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), Id::ALL.len());
    assert_eq!(list[0]["id"], Id::ALL[0].as_str());
}

#[test]
fn an_unknown_id_is_a_usage_error_with_the_closest_id() {
    let (code, _, err) = run(jwtcheck().args(["explain", "default_rol"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("a similar value exists: 'hasura.default_role'"),
        "{err}"
    );
    let hint = usage_hint(&["explain", "hasura.fromat"]);
    assert!(hint.contains("'hasura.format'"), "{hint}");
}

#[test]
fn a_rejection_points_at_the_explanation_of_its_first_problem() {
    let (code, out, _) = run(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--now",
        "2026-11-24T11:00:00Z",
    ]));
    assert_eq!(code, 1);
    assert!(out.contains("more: jwtcheck explain exp"), "{out}");
    // A valid token needs no pointer.
    let (code, out, _) = run(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(code, 0);
    assert!(!out.contains("jwtcheck explain"), "{out}");
}

// ---- the report's JSON Schema ----

#[test]
fn schema_prints_a_valid_draft_2020_12_schema_of_the_report() {
    let printed: Value = serde_json::from_str(&stdout_of(&["schema"])).unwrap();
    assert_eq!(printed, jwtcheck::report::schema::json_schema());
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&printed).unwrap();
    for def in ["Report", "CheckReport", "Check", "Id", "Verdict"] {
        assert!(printed["$defs"].get(def).is_some(), "{def}");
    }
}

/// A representative set of reports, valid and failing, from every command that has one; each
/// passes through `run_json`, which validates it against the schema.
#[test]
fn reports_of_every_command_fit_the_schema() {
    let jwks = sample("jwks.json");
    let jwks = jwks.to_str().unwrap();
    let runs: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["decode".into(), at_sample("id-token.jwt")],
            "unverified",
        ),
        (vec!["decode".into(), "abc.def".into()], "malformed"),
        (
            vec![
                "verify".into(),
                at_sample("id-token.jwt"),
                "--jwks".into(),
                jwks.into(),
            ],
            "valid",
        ),
        (
            vec![
                "verify".into(),
                at_sample("access-token.jwt"),
                "--jwks".into(),
                jwks.into(),
                "--token-use".into(),
                "id".into(),
            ],
            "invalid",
        ),
        (
            vec![
                "verify".into(),
                at_sample("id-token.jwt"),
                "--hasura-config".into(),
                at_sample("hasura-jwt-secret.json"),
                "--jwks".into(),
                jwks.into(),
                "--role".into(),
                "admin".into(),
            ],
            "invalid",
        ),
        (
            vec![
                "verify".into(),
                at_sample("id-token.jwt"),
                "--jwks".into(),
                "/nonexistent/jwks.json".into(),
            ],
            "usage_error",
        ),
        (
            vec![
                "from-url".into(),
                at_sample("callback-url.txt"),
                "--decode".into(),
            ],
            "unverified",
        ),
        (
            vec![
                "from-url".into(),
                at_sample("callback-url.txt"),
                "--jwks".into(),
                jwks.into(),
                "--state".into(),
                "other".into(),
            ],
            "invalid",
        ),
        (
            vec![
                "from-url".into(),
                "https://app.example/cb?error=invalid_scope".into(),
            ],
            "malformed",
        ),
        (vec!["jwks".into(), jwks.into()], "valid"),
        (
            vec![
                "check".into(),
                "--hasura-config".into(),
                at_sample("hasura-jwt-secret.json"),
                "--jwks".into(),
                jwks.into(),
                "--token".into(),
                at_sample("id-token.jwt"),
                "--policy".into(),
                sample("policy.json").to_str().unwrap().into(),
            ],
            "valid",
        ),
        (
            vec![
                "check".into(),
                "--hasura-config".into(),
                at_sample("hasura-jwt-secret.broken.json"),
                "--jwks".into(),
                jwks.into(),
                "--token".into(),
                at_sample("id-token.jwt"),
            ],
            "invalid",
        ),
        (vec!["check".into()], "usage_error"),
        (
            vec!["verify".into(), "--jwk".into(), "x".into()],
            "usage_error",
        ),
    ];
    for (args, verdict) in runs {
        let (_, r) = run_json(jwtcheck().args(&args).args(["--now", SAMPLE_NOW]));
        assert_eq!(r["verdict"], verdict, "{args:?}");
    }
}

#[test]
fn the_tests_schema_check_catches_a_report_that_does_not_fit() {
    let (_, good) = run_json(jwtcheck().args(["decode", &at_sample("id-token.jwt")]));
    assert!(schema_errors(&good).is_empty());
    let mut bad = good.clone();
    bad["verdict"] = "maybe".into();
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = good.clone();
    bad["checks"][0]["status"] = Value::Null;
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = good.clone();
    bad.as_object_mut().unwrap().remove("summary");
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = good;
    bad["token"]["surprise"] = 1.into();
    assert!(
        !schema_errors(&bad).is_empty(),
        "objects are closed in the tests"
    );
}

// ---- version, colors, suggestions, hints ----

#[test]
fn version_names_the_crypto_backend() {
    let out = stdout_of(&["--version"]);
    assert!(
        out.starts_with(&format!("jwtcheck {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(out.contains("aws-lc-rs"), "{out}");
}

#[test]
fn clicolor_force_colors_a_pipe_unless_no_color_or_never() {
    let decode = || {
        let mut cmd = jwtcheck();
        cmd.args(["decode", &at_sample("id-token.jwt")]);
        cmd
    };
    let (_, plain, _) = run(&mut decode());
    assert!(!plain.contains('\u{1b}'));
    let (_, forced, _) = run(decode().env("CLICOLOR_FORCE", "1"));
    assert!(forced.contains('\u{1b}'), "{forced}");
    let (_, both, _) = run(decode().env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1"));
    assert!(!both.contains('\u{1b}'));
    let (_, never, _) = run(decode()
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never"]));
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn a_mistyped_command_or_flag_gets_the_closest_one() {
    let (code, _, err) = run(jwtcheck().args(["verfy", "x"]));
    assert_eq!(code, 2);
    assert!(err.contains("similar subcommand exists: 'verify'"), "{err}");
    let (code, _, err) = run(jwtcheck().args(["verify", "x", "--jwk", "f"]));
    assert_eq!(code, 2);
    assert!(err.contains("similar argument exists: '--jwks'"), "{err}");
    let hint = usage_hint(&["check", "--hasura-confg", "{}"]);
    assert!(
        hint.starts_with("a similar argument exists: '--hasura-config'"),
        "{hint}"
    );
}

/// Every long flag jwtcheck has, from the clap definitions.
fn flags() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, out: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            if let Some(long) = arg.get_long() {
                out.insert(format!("--{long}"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = BTreeSet::new();
    // Each command's flags are built when it runs (defer): build them all to list them.
    let mut cmd = jwtcheck::cli::Cli::command();
    cmd.build();
    walk(&cmd, &mut out);
    out.insert("--help".into());
    out.insert("--version".into());
    out
}

/// The `--flags` a text names.
fn flags_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("--") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 2..];
        let name: String = tail
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '-')
            && name.starts_with(|c: char| c.is_ascii_lowercase())
        {
            out.push(format!("--{}", name.trim_end_matches('-')));
        }
        rest = &tail[name.len()..];
    }
    out
}

/// Hints, messages and explanations that name a flag name one jwtcheck has, spelled exactly.
#[test]
fn every_flag_a_hint_or_an_explanation_names_exists() {
    let known = flags();
    // The engine's own flags, quoted in its startup messages.
    let engine = ["--jwt-secret", "--admin-secret", "--access-key"];
    // The AWS CLI's own flags, in the commands `setup` writes into SETUP.md.
    let aws = [
        "--action",
        "--function-name",
        "--handler",
        "--lambda-config",
        "--principal",
        "--region",
        "--role",
        "--runtime",
        "--source-arn",
        "--statement-id",
        "--user-pool-id",
        "--zip-file",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/report/explanations.md")];
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut unknown = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for flag in flags_named(&text) {
            let aws_cli = file.ends_with("src/setup/guide.rs") && aws.contains(&flag.as_str());
            if !known.contains(&flag) && !engine.contains(&flag.as_str()) && !aws_cli {
                unknown.insert(format!("{flag} in {}", file.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "flags jwtcheck does not have: {unknown:#?}"
    );
    assert_eq!(
        flags_named("use --jwks URL, not --jwk; a--b x --"),
        ["--jwks", "--jwk"]
    );
}

// ---- numbers in the report ----

/// The number a report holds at `pointer`, as the JSON text wrote it.
fn number_text(report: &Value, pointer: &str) -> String {
    let v = report
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer}"));
    assert!(v.is_number(), "{pointer}: {v}");
    v.to_string()
}

#[test]
fn times_are_integers_when_integral_and_keep_the_tokens_own_text() {
    let decode = |payload: &str| {
        let t = crate::support::sign::sign("HS256", "hs256", r#"{"alg":"HS256"}"#, payload);
        run_json(jwtcheck().args(["decode", &t, "--now", "1795512600"])).1
    };
    // A Go int64 decoder reads these: no `.0`.
    let r = decode(r#"{"iat":1795510800,"exp":1795514400.0}"#);
    assert_eq!(number_text(&r, "/now/unix"), "1795512600");
    assert_eq!(number_text(&r, "/token/times/0/unix"), "1795510800");
    assert_eq!(number_text(&r, "/token/times/1/unix"), "1795514400");
    assert_eq!(number_text(&r, "/token/lifetime"), "3600");
    let (_, v) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(number_text(&v, "/leeway"), "0");
    // Where a float would change the number, the token's own text.
    let r = decode(r#"{"iat":1795510800,"exp":179551440000000000000000000000}"#);
    assert_eq!(
        number_text(&r, "/token/times/1/unix"),
        "179551440000000000000000000000"
    );
    let r = decode(r#"{"iat":1795510800,"exp":1795514400.999}"#);
    assert_eq!(number_text(&r, "/token/times/1/unix"), "1795514400.999");
    assert_eq!(number_text(&r, "/token/lifetime"), "3600.999");
    // Beyond f64 (it was `null`): the number as the payload shows it.
    let r = decode(r#"{"exp":1e400}"#);
    assert_eq!(
        number_text(&r, "/token/times/0/unix"),
        number_text(&r, "/token/payload/exp")
    );
}

#[test]
fn every_json_output_fits_the_schema_or_json_is_refused() {
    // explain and hasura-config print documents of their own kinds, in the schema.
    let (code, e) = run_json(jwtcheck().args(["explain", "hasura.format"]));
    assert_eq!((code, e["id"].as_str()), (0, Some("hasura.format")));
    let (code, list) = run_json(jwtcheck().args(["explain"]));
    assert_eq!(
        (code, list.as_array().map(Vec::len)),
        (0, Some(Id::ALL.len()))
    );
    for to in ["ddn", "v2"] {
        let config = match to {
            "ddn" => at_sample("hasura-jwt-secret.json"),
            _ => at_sample("auth-config.hml"),
        };
        let (code, t) = run_json(jwtcheck().args(["hasura-config", &config, "--to", to]));
        assert_eq!((code, t["to"].as_str()), (0, Some(to)), "{t}");
    }
    // A script or a man page is not a report: --json is a usage error, as a report.
    for args in [
        vec!["completions", "bash"],
        vec!["man"],
        vec!["man", "verify"],
    ] {
        let (code, r) = run_json(jwtcheck().args(&args));
        assert_eq!(
            (code, r["verdict"].as_str()),
            (2, Some("usage_error")),
            "{args:?}"
        );
        assert!(
            r["summary"]
                .as_str()
                .unwrap()
                .contains("--json does not apply"),
            "{r}"
        );
    }
    // Undecidable: keys that cannot be fetched (a closed port on loopback).
    let (code, r) = run_json(jwtcheck().args([
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        "http://127.0.0.1:9/jwks.json",
        "--cache-dir",
        cache_dir().path().to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
    ]));
    assert_eq!(
        (code, r["verdict"].as_str()),
        (3, Some("undecidable")),
        "{r}"
    );
    // Every line of a JSON batch, valid, rejected and malformed.
    let (code, out, _) = run(jwtcheck()
        .args(["verify", "--batch", "-", "--jwks"])
        .arg(sample("jwks.json"))
        .args([
            "--now",
            SAMPLE_NOW,
            "--json",
            "--audience",
            "another-client",
        ])
        .write_stdin(format!("{}\nnot a token\n", sample_text("id-token.jwt"))));
    assert_eq!(code, 4, "{out}");
    for line in out.lines() {
        assert_fits_schema(&serde_json::from_str(line).unwrap());
    }
}

// ---- help and man pages read well ----

/// The example lines of a help text (after `Examples:`, up to a blank line).
fn example_lines(help: &str) -> Vec<&str> {
    help.split("\n\n")
        .filter(|p| p.starts_with("Examples:"))
        .flat_map(|p| p.lines().skip(1))
        .collect()
}

#[test]
fn help_examples_fit_80_columns_and_continue_with_a_backslash() {
    let mut cmd = jwtcheck::cli::Cli::command();
    cmd.build();
    let mut pages: Vec<(String, clap::Command)> = vec![("jwtcheck".into(), cmd.clone())];
    pages.extend(
        cmd.get_subcommands()
            .filter(|c| c.get_name() != "help")
            .map(|c| (c.get_name().to_string(), c.clone())),
    );
    for (name, page) in pages {
        let help = page
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        let lines = example_lines(&help);
        assert!(!lines.is_empty(), "{name} has no examples");
        for (i, line) in lines.iter().enumerate() {
            assert!(line.chars().count() <= 80, "{name}: {line:?}");
            // A continuation line follows a line ending with a backslash.
            if line.starts_with("      ") {
                assert!(lines[i - 1].ends_with(" \\"), "{name}: {line:?}");
            }
        }
        // Printed as written: no example line is wrapped by --help.
        if name != "jwtcheck" {
            let out = stdout_of(&[name.as_str(), "--help"]);
            for line in &lines {
                assert!(out.contains(line), "{name} --help wraps {line:?}:\n{out}");
            }
        }
    }
}

#[test]
fn man_pages_keep_examples_as_written_and_list_the_environment() {
    let roff = stdout_of(&["man", "from-url"]);
    assert!(
        roff.contains(".SH EXAMPLES\n.PP\n.RS 4\n.nf\njwtcheck from\\-url 'https://localhost:3000/cb#id_token=eyJ...&state=abc' \\e\n    \\-\\-cognito\\-pool us\\-east\\-1_AbC123\n"),
        "{roff}"
    );
    assert!(!roff.contains(".SH EXTRA"), "{roff}");
    for page in [vec!["man"], vec!["man", "verify"], vec!["man", "login"]] {
        let roff = stdout_of(&page);
        assert!(roff.contains(".SH ENVIRONMENT"), "{page:?}");
        for (name, _) in jwtcheck::cli::ENVIRONMENT {
            let name = name.replace('-', "\\-");
            assert!(
                roff.contains(&format!("\\fB{name}\\fR")),
                "{page:?}: {name}"
            );
        }
    }
    if have("man") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("jwtcheck-login.1");
        std::fs::write(&file, stdout_of(&["man", "login"])).unwrap();
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("amazoncognito.com \\\n"), "{text}");
    }
}

#[test]
fn the_long_help_lists_the_environment_and_the_short_help_does_not() {
    let long = stdout_of(&["--help"]);
    let short = stdout_of(&["-h"]);
    assert!(long.contains("\nEnvironment:\n"), "{long}");
    for (name, _) in jwtcheck::cli::ENVIRONMENT {
        assert!(long.contains(name), "{name}");
    }
    assert!(!short.contains("Environment:"), "{short}");
}

#[test]
fn color_never_also_holds_for_help_and_argument_errors() {
    for args in [vec!["--help"], vec!["verify", "--no-such-flag"]] {
        let (_, out, err) = run(jwtcheck()
            .args(&args)
            .args(["--color", "never"])
            .env("CLICOLOR_FORCE", "1"));
        assert!(!format!("{out}{err}").contains('\u{1b}'), "{args:?}");
        // The same decision colours them when asked.
        let (_, out, err) = run(jwtcheck().args(&args).env("CLICOLOR_FORCE", "1"));
        assert!(format!("{out}{err}").contains('\u{1b}'), "{args:?}");
    }
}

#[test]
fn more_names_the_most_specific_id_of_the_report() {
    // A key set file over the cap: the check is `key`, the problem `keys.too_large`.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big-jwks.json");
    let padding = "a".repeat(1024 * 1024 + 1);
    std::fs::write(&big, format!(r#"{{"keys":[],"padding":"{padding}"}}"#)).unwrap();
    let args = [
        "verify",
        &at_sample("id-token.jwt"),
        "--jwks",
        big.to_str().unwrap(),
        "--now",
        SAMPLE_NOW,
    ];
    let (_, r) = run_json(jwtcheck().args(args));
    assert_eq!(r["error"]["id"], "keys.too_large", "{r}");
    let (_, out, _) = run(jwtcheck().args(args));
    assert!(
        out.contains("more: jwtcheck explain keys.too_large"),
        "{out}"
    );
    // A malformed token: the check is `format`, the problem `token.segments`.
    let (_, out, _) = run(jwtcheck().args(["decode", "abc"]));
    assert!(
        out.contains("more: jwtcheck explain token.segments"),
        "{out}"
    );
}

/// `--json` of the commands the other schema tests leave out, in the verdicts they reach
/// without a network: usage errors of each, undecidable key fetches, the dev kit's reports.
#[test]
fn every_command_s_json_fits_the_schema_in_every_verdict_it_reaches() {
    let closed = "http://127.0.0.1:9/jwks.json";
    let cache = cache_dir();
    let cache = cache.path().to_str().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let keys = keys.path().join("devkeys");
    let keys = keys.to_str().unwrap();
    let runs: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["keygen", "--out", keys], 0, "done"),
        (vec!["keygen"], 2, "usage_error"),
        (vec!["jwks", closed, "--cache-dir", cache], 3, "undecidable"),
        (vec!["jwks", "/nonexistent/jwks.json"], 2, "usage_error"),
        (
            vec![
                "from-url",
                "@samples/callback-url.txt",
                "--jwks",
                closed,
                "--cache-dir",
                cache,
            ],
            3,
            "undecidable",
        ),
        (vec!["from-url"], 2, "usage_error"),
        (vec!["decode"], 2, "usage_error"),
        (vec!["explain", "no.such.id"], 2, "usage_error"),
        (vec!["hasura-config", "{"], 2, "usage_error"),
        (vec!["man", "verfy"], 2, "usage_error"),
        (vec!["schema", "--no-such-flag"], 2, "usage_error"),
        (vec!["login"], 2, "usage_error"),
        (vec!["serve-keys"], 2, "usage_error"),
        (vec!["mint"], 2, "usage_error"),
        (
            vec![
                "check",
                "--hasura-config",
                r#"{"type":"RS256","jwk_url":"http://127.0.0.1:9/jwks.json"}"#,
                "--cache-dir",
                cache,
            ],
            3,
            "undecidable",
        ),
    ];
    for (args, code, verdict) in runs {
        let (got, r) = run_json(jwtcheck().args(&args).args(["--now", SAMPLE_NOW]));
        assert_eq!(
            (got, r["verdict"].as_str()),
            (code, Some(verdict)),
            "{args:?}: {r}"
        );
    }
    // mint writes its report to stderr and the token alone to stdout.
    let (code, out, err) =
        run(jwtcheck().args(["mint", "--key", keys, "--role", "user", "--json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim().split('.').count(), 3, "{out}");
    assert_fits_schema(&serde_json::from_str(&err).unwrap());
}
