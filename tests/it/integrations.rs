//! The CI integrations: the composite GitHub Action (`action.yml`), the pre-commit hook
//! (`.pre-commit-hooks.yaml`) and the book's "Use in CI" examples (docs/src/ci.md). Each YAML file must parse,
//! and the commands in it must run against the samples: the action's own scripts run here under
//! bash with the environment a runner gives them, with the built jwtcheck on `PATH`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::*;
use clap::Parser;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

fn action() -> Value {
    yaml("action.yml")
}

/// The `${{ … }}` expressions in a text.
fn expressions(text: &str) -> Vec<String> {
    text.split("${{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(e, _)| e.trim().to_string()))
        .collect()
}

#[test]
fn the_action_is_a_composite_action_whose_inputs_reach_scripts_only_through_the_environment() {
    let a = action();
    assert_eq!(a["runs"]["using"], "composite");
    assert!(a["name"].is_string() && a["description"].is_string());
    let inputs = a["inputs"].as_object().unwrap();
    for (name, input) in inputs {
        assert!(input["description"].is_string(), "input {name}");
        assert!(
            input["default"].is_string(),
            "input {name} has a string default"
        );
    }
    let steps = a["runs"]["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for step in steps {
        let script = step["run"].as_str().unwrap();
        assert_eq!(step["shell"], "bash");
        assert!(
            expressions(script).is_empty(),
            "no ${{{{ }}}} inside a script (injection): {script}"
        );
        for value in step["env"].as_object().into_iter().flat_map(|e| e.values()) {
            for expr in expressions(value.as_str().unwrap()) {
                match expr.strip_prefix("inputs.") {
                    Some(input) => assert!(inputs.contains_key(input), "unknown input {input}"),
                    None => assert_eq!(expr, "github.action_path"),
                }
            }
        }
    }
}

/// What one run of the action did.
struct ActionRun {
    code: i32,
    stdout: String,
    summary: String,
    path_file: String,
    temp_left: Vec<String>,
}

/// Runs every step of `action.yml` as a runner would, with these inputs (the others take their
/// defaults) and extra environment, and jwtcheck already on `PATH`.
fn run_action(inputs: &[(&str, &str)], env: &[(&str, &str)]) -> ActionRun {
    let a = action();
    let given: BTreeMap<&str, &str> = inputs.iter().copied().collect();
    let temp = tempfile::tempdir().unwrap();
    let runner_temp = temp.path().join("runner");
    std::fs::create_dir(&runner_temp).unwrap();
    let summary = temp.path().join("summary.md");
    let path_file = temp.path().join("path.txt");
    std::fs::write(&path_file, "").unwrap();
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_jwtcheck"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut result = (0, String::new());
    for step in a["runs"]["steps"].as_array().unwrap() {
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-c")
            .arg(step["run"].as_str().unwrap())
            .current_dir(root())
            .env("PATH", &path)
            .env("RUNNER_TEMP", &runner_temp)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env_remove("HASURA_GRAPHQL_JWT_SECRET")
            .env_remove("HASURA_GRAPHQL_JWT_SECRETS")
            .env("XDG_CACHE_HOME", temp.path().join("cache"));
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            let value = value.as_str().unwrap();
            let resolved = match expressions(value).first().map(String::as_str) {
                Some("github.action_path") => root().display().to_string(),
                Some(expr) => {
                    let input = expr.trim_start_matches("inputs.");
                    given
                        .get(input)
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| a["inputs"][input]["default"].as_str().unwrap().into())
                }
                None => value.to_string(),
            };
            cmd.env(name, resolved);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let code = out.status.code().unwrap_or(-1);
        result = (code, stdout);
        if code != 0 {
            break;
        }
    }
    ActionRun {
        code: result.0,
        stdout: result.1,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        path_file: std::fs::read_to_string(&path_file).unwrap(),
        temp_left: std::fs::read_dir(&runner_temp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
    }
}

#[test]
fn the_action_passes_the_samples_and_writes_the_summary() {
    let tokens = sample_text("id-token.jwt");
    let config = at_sample("hasura-jwt-secret.json");
    let jwks = sample("jwks.json").display().to_string();
    let policy = sample("policy.json").display().to_string();
    let args = format!("--now {SAMPLE_NOW}");
    let r = run_action(
        &[
            ("hasura-config", &config),
            ("tokens", &tokens),
            ("jwks", &jwks),
            ("policy", &policy),
            ("args", &args),
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Annotations first (a warning: --jwks stands in for the jwk_url), then the table.
    let table: Vec<&str> = r.stdout.lines().filter(|l| !l.starts_with("::")).collect();
    assert!(table[0].starts_with("PASSED"), "{}", r.stdout);
    assert!(r.stdout.contains("policy.expect_role"), "{}", r.stdout);
    assert!(
        r.summary.starts_with("### jwtcheck check\n```\nPASSED"),
        "{}",
        r.summary
    );
    // jwtcheck was on PATH, so nothing was installed; the token file is gone.
    assert_eq!(r.path_file, "");
    assert!(
        !r.temp_left.iter().any(|f| f.contains("tokens")),
        "{:?}",
        r.temp_left
    );
}

#[test]
fn the_action_annotates_failures_and_fails_the_step() {
    let config = at_sample("hasura-jwt-secret.broken.json");
    let jwks = sample("jwks.json").display().to_string();
    let token_file = sample("id-token.jwt").display().to_string();
    let args = format!("--now {SAMPLE_NOW}");
    let r = run_action(
        &[
            ("hasura-config", &config),
            ("token-file", &token_file),
            ("jwks", &jwks),
            ("args", &args),
        ],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.lines().any(|l| l.starts_with("::error ")),
        "{}",
        r.stdout
    );
    assert!(
        !r.summary.contains("::error"),
        "annotations stay out of the summary"
    );
}

#[test]
fn the_action_reads_the_configuration_from_the_environment_and_strict_fails_on_warnings() {
    let config = std::fs::read_to_string(sample("hasura-jwt-secret.json")).unwrap();
    let jwks = sample("jwks.json").display().to_string();
    let token_file = sample("id-token.jwt").display().to_string();
    let args = format!("--now {SAMPLE_NOW}");
    let inputs = [
        ("token-file", token_file.as_str()),
        ("jwks", &jwks),
        ("args", &args),
    ];
    let env = [
        ("HASURA_GRAPHQL_JWT_SECRET", config.as_str()),
        ("HASURA_GRAPHQL_ADMIN_SECRET", "x"),
    ];
    let r = run_action(&inputs, &env);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let mut strict = inputs.to_vec();
    strict.push(("strict", "true"));
    let r = run_action(&strict, &env);
    // --jwks standing in for the jwk_url is a warning, which --strict fails on.
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn the_pre_commit_hook_runs_jwtcheck_check_from_this_repository() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    for key in ["id", "name", "description", "entry", "files"] {
        assert!(hook[key].is_string(), "{key}");
    }
    // language: rust builds this crate with cargo install; its binary is the entry's program.
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], env!("CARGO_PKG_NAME"));

    let with = |extra: &[&str]| {
        let mut cmd = jwtcheck();
        cmd.args(&entry[1..]).args(extra).current_dir(root());
        run(&mut cmd)
    };
    let sample_args = |config: &str| {
        vec![
            "--hasura-config".to_string(),
            format!("@samples/{config}"),
            "--jwks".into(),
            "samples/jwks.json".into(),
            "--token".into(),
            "@samples/id-token.jwt".into(),
            "--now".into(),
            SAMPLE_NOW.into(),
        ]
    };
    let good = sample_args("hasura-jwt-secret.json");
    let (code, out, _) = with(&good.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    let bad = sample_args("hasura-jwt-secret.broken.json");
    let (code, _, _) = with(&bad.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1);
    // Without args the hook says what it needs.
    let (code, out, _) = with(&[]);
    assert_eq!(code, 2);
    assert!(out.contains("--hasura-config"), "{out}");
}

/// The fenced ```yaml blocks of the book's "Use in CI" page.
fn readme_ci_blocks() -> Vec<Value> {
    let readme = std::fs::read_to_string(root().join("docs/src/ci.md")).unwrap();
    let start = readme.find("# Use in CI").unwrap();
    let end = start
        + readme[start..]
            .find("\n## ")
            .unwrap_or(readme.len() - start);
    readme[start..end]
        .split("```yaml\n")
        .skip(1)
        .map(|block| {
            let text = block.split("```").next().unwrap();
            serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
        })
        .collect()
}

/// A shell line's words, quotes removed (enough for the book's command lines).
fn words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect()
}

#[test]
fn the_readme_ci_examples_parse_and_use_real_inputs_and_flags() {
    let blocks = readme_ci_blocks();
    assert_eq!(blocks.len(), 3, "GitHub Actions, GitLab CI, pre-commit");
    let inputs = action()["inputs"].as_object().unwrap().clone();
    let github = &blocks[0][0];
    assert!(github["uses"].as_str().unwrap().contains("/jwtcheck@"));
    for key in github["with"].as_object().unwrap().keys() {
        assert!(inputs.contains_key(key), "the action has no input {key}");
    }
    let script = blocks[1]["jwt-check"]["script"].as_array().unwrap();
    let checks: Vec<Vec<String>> = script
        .iter()
        .map(|l| words(l.as_str().unwrap()))
        .filter(|w| w.first().is_some_and(|p| p.ends_with("bin/jwtcheck")))
        .collect();
    assert_eq!(checks.len(), 1);
    for command in checks {
        let mut argv = command.clone();
        argv[0] = "jwtcheck".into();
        if let Err(e) = jwtcheck::cli::Cli::try_parse_from(&argv) {
            panic!("{argv:?} does not parse: {e}");
        }
    }
    let hook = &blocks[2]["repos"][0]["hooks"][0];
    assert_eq!(hook["id"], yaml(".pre-commit-hooks.yaml")[0]["id"]);
    let mut argv = vec!["jwtcheck".to_string(), "check".into()];
    argv.extend(
        hook["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    jwtcheck::cli::Cli::try_parse_from(&argv).unwrap();
}
