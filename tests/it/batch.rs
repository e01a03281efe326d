//! `verify --batch`: order, the summary, the exit code, a bad line in the middle, and one key
//! fetch for the whole batch.

use crate::support::sign::sign;
use crate::support::*;
use serde_json::Value;

const NOW: &str = "2026-11-24T09:30:00Z";

fn id_token() -> String {
    sample_text("id-token.jwt").trim().to_string()
}

/// A token of the pool signed with these claims.
fn token_with(payload: &str) -> String {
    let header = r#"{"kid":"Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=","alg":"RS256"}"#;
    sign("RS256", "rsa-pool-id", header, payload)
}

/// `verify --batch FILE` with the sample pool's key set, at the pinned time.
fn batch_of(file: &str) -> assert_cmd::Command {
    let mut cmd = jwtcheck();
    cmd.args(["verify", "--batch", file, "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", NOW]);
    cmd
}

fn batch_file(dir: &tempfile::TempDir, lines: &[String]) -> String {
    let path = dir.path().join("tokens.txt");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn each_token_gets_a_line_in_input_order_then_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let expired = token_with(r#"{"iss":"x","exp":1795510000}"#);
    let mut lines = vec!["# tokens from the load test".to_string(), String::new()];
    for i in 0..200 {
        lines.push(if i % 50 == 7 {
            expired.clone()
        } else {
            id_token()
        });
    }
    let file = batch_file(&dir, &lines);
    let mut cmd = batch_of(&file);
    cmd.args(["--jobs", "2"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1, "{out}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 201, "{out}");
    for (i, row) in rows[..200].iter().enumerate() {
        assert!(
            row.starts_with(&format!("line {} ", i + 3)),
            "row {i}: {row}"
        );
        if i % 50 == 7 {
            assert!(
                row.contains("REJECTED") && row.contains("exp: expired"),
                "{row}"
            );
        } else {
            assert!(row.contains("VALID"), "{row}");
        }
    }
    assert_eq!(
        rows[200],
        "SUMMARY  200 token(s): 196 valid, 4 rejected; first failing check: exp 4"
    );
}

#[test]
fn a_bad_line_in_the_middle_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![
        id_token(),
        "not a token at all".into(),
        format!("Authorization: Bearer {}", id_token()),
        id_token(),
    ];
    let file = batch_file(&dir, &lines);
    let mut cmd = batch_of(&file);
    let (code, out, _) = run(&mut cmd);
    // The worst verdict decides: malformed (4) over valid.
    assert_eq!(code, 4, "{out}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(
        rows[1].starts_with("line 2") && rows[1].contains("MALFORMED"),
        "{out}"
    );
    assert!(
        rows[2].starts_with("line 3") && rows[2].contains("VALID"),
        "{out}"
    );
    assert!(
        rows[3].starts_with("line 4") && rows[3].contains("VALID"),
        "{out}"
    );
    assert!(rows[4].contains("3 valid, 1 malformed"), "{out}");
}

#[test]
fn json_is_one_report_per_line_with_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &[id_token(), String::new(), id_token()]);
    let mut cmd = batch_of(&file);
    cmd.args(["--json"]);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0);
    let reports: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        (reports[0]["line"].as_u64(), reports[1]["line"].as_u64()),
        (Some(1), Some(3))
    );
    assert!(
        reports
            .iter()
            .all(|r| r["verdict"] == "valid" && r["token"]["payload"].is_object())
    );
    // The summary goes to stderr, so stdout stays NDJSON.
    assert!(err.contains("2 token(s): 2 valid"), "{err}");
}

#[test]
fn each_report_of_a_batch_is_the_one_the_token_gets_alone() {
    // One worker checks every line with the same report, emptied between tokens: nothing of
    // one token may reach the next one's report.
    let lines = vec![
        id_token(),
        token_with(r#"{"iss":"x","exp":1795510000}"#),
        "not a token at all".into(),
        format!("Authorization: Bearer {}", id_token()),
        token_with(
            r#"{"iss":"x","exp":1795599000,"https://hasura.io/jwt/claims":{"x-hasura-default-role":"admin","x-hasura-allowed-roles":["user"]}}"#,
        ),
        format!("{}x", id_token()),
        id_token(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &lines);
    let mut cmd = batch_of(&file);
    cmd.args(["--json", "--jobs", "1"]);
    let (_, out, _) = run(&mut cmd);
    let reports: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), lines.len(), "{out}");
    for (line, mut report) in lines.iter().zip(reports) {
        report.as_object_mut().unwrap().remove("line");
        let mut cmd = jwtcheck();
        cmd.args(["verify", line, "--jwks"])
            .arg(sample("jwks.json"))
            .args(["--now", NOW, "--json"]);
        let (_, alone, _) = run(&mut cmd);
        let alone: Value = serde_json::from_str(&alone).unwrap();
        assert_eq!(report, alone, "{line}");
    }
}

#[test]
fn the_key_set_is_fetched_once_for_the_whole_batch() {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "no-store")],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &vec![id_token(); 300]);
    let cache = cache_dir();
    let url = server.url("/jwks.json");
    let mut cmd = jwtcheck_cached(
        &cache,
        &[
            "verify", "--batch", &file, "--jwks", &url, "--now", NOW, "--jobs", "4",
        ],
    );
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("300 token(s): 300 valid\n"), "{out}");
    assert_eq!(server.hits("/jwks.json"), 1);
}

#[test]
fn stdin_works_and_flags_apply_to_every_token() {
    let mut cmd = jwtcheck();
    cmd.args(["verify", "--batch", "-", "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", NOW, "--audience", "another-client"])
        .write_stdin(format!("{}\n{}\n", id_token(), id_token()));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2 rejected; first failing check: aud 2"),
        "{out}"
    );
}

#[test]
fn batch_and_a_token_exclude_each_other() {
    let mut cmd = jwtcheck();
    cmd.args(["verify", "x", "--batch", "f"]);
    assert_eq!(run(&mut cmd).0, 2);
    let mut cmd = jwtcheck();
    cmd.args(["verify", "--batch", "/nonexistent/tokens.txt", "--jwks"])
        .arg(sample("jwks.json"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("tokens.txt"), "{out}");
}

/// jwtcheck run by the standard library, so that its stdout can be a pipe the test closes or a
/// file such as /dev/full.
fn raw_jwtcheck(args: &[&str], stdout: std::process::Stdio) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jwtcheck"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("jwtcheck-test-cache"),
        )
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped());
    cmd
}

/// 3,000 valid tokens, then one line that is not a token: a batch that is not clean.
fn long_batch_with_garbage_at_the_end(dir: &tempfile::TempDir) -> String {
    let mut lines = vec![id_token(); 3000];
    lines.push("not a token at all".into());
    batch_file(dir, &lines)
}

#[test]
fn a_pipe_closed_early_stops_the_batch_with_141_and_no_summary() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let file = long_batch_with_garbage_at_the_end(&dir);
    let jwks = sample("jwks.json").display().to_string();
    for json in [false, true] {
        let mut args = vec!["verify", "--batch", &file, "--jwks", &jwks, "--now", NOW];
        if json {
            args.push("--json");
        }
        let mut child = raw_jwtcheck(&args, std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: one line read, then the pipe closed.
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(first.to_lowercase().contains("valid"), "{first}");
        assert_eq!(out.status.code(), Some(141), "json {json}: {err}");
        // The tokens after the failure were never judged: no summary counts them as clean.
        assert!(!err.contains("SUMMARY"), "json {json}: {err}");
    }
}

#[test]
fn a_full_disk_stops_the_batch_with_74_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = long_batch_with_garbage_at_the_end(&dir);
    let jwks = sample("jwks.json").display().to_string();
    for json in [false, true] {
        let mut args = vec!["verify", "--batch", &file, "--jwks", &jwks, "--now", NOW];
        if json {
            args.push("--json");
        }
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = raw_jwtcheck(&args, full.into()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(74), "json {json}: {err}");
        assert!(
            err.starts_with("jwtcheck: writing the output failed: ")
                && err.contains("(output.write)"),
            "json {json}: {err}"
        );
        assert!(!err.contains("SUMMARY"), "json {json}: {err}");
    }
}

#[test]
fn a_single_command_writing_to_a_full_disk_exits_74() {
    let token = id_token();
    let jwks = sample("jwks.json").display().to_string();
    for args in [
        vec!["verify", token.as_str(), "--jwks", &jwks, "--now", NOW],
        vec!["decode", token.as_str(), "--json"],
        vec!["--help"],
        vec!["verify", "--no-such-flag", "--json"],
    ] {
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = raw_jwtcheck(&args, full.into()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(74), "{args:?}: {err}");
        assert!(err.contains("No space left on device"), "{args:?}: {err}");
    }
}

#[test]
fn usage_errors_of_a_json_batch_are_one_ndjson_line() {
    let jwks = sample("jwks.json").display().to_string();
    for args in [
        vec!["verify", "--batch", "-", "--no-such-flag", "--json"],
        vec![
            "verify",
            "--batch",
            "/nonexistent/tokens.txt",
            "--jwks",
            &jwks,
            "--json",
        ],
        vec!["verify", "some-token", "--batch", "-", "--json"],
        vec![
            "verify",
            "--batch=-",
            "--jwks",
            &jwks,
            "--now",
            "yesterday-ish",
            "--json",
        ],
    ] {
        let mut cmd = jwtcheck();
        cmd.args(&args).write_stdin("");
        let (code, out, _) = run(&mut cmd);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert_eq!(out.lines().count(), 1, "{args:?}: {out}");
        let report: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["verdict"], "usage_error", "{args:?}: {out}");
        assert_fits_schema(&report);
    }
}

#[test]
fn jobs_0_is_a_usage_error_in_jwtchecks_words() {
    for json in [false, true] {
        let mut cmd = jwtcheck();
        cmd.args(["verify", "--batch", "-", "--jobs", "0", "--jwks"])
            .arg(sample("jwks.json"))
            .write_stdin(id_token());
        if json {
            cmd.arg("--json");
        }
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 2, "{out}{err}");
        let said = if json {
            let report: Value = serde_json::from_str(&out).unwrap();
            assert_fits_schema(&report);
            assert_eq!(report["error"]["id"], "usage.arguments");
            report["error"]["message"].as_str().unwrap().to_string()
        } else {
            err
        };
        assert!(
            said.contains("'0' for '--jobs <N>': at least one thread must verify"),
            "{said}"
        );
        assert!(!said.contains("non-zero type"), "{said}");
        assert!(!json || !said.contains("For more information"), "{said}");
    }
}

#[test]
fn a_whole_access_log_line_is_named_and_the_hint_says_how_to_extract_the_token() {
    let log_line = format!(
        r#"127.0.0.1 - - [24/Nov/2026:09:30:00 +0000] "POST /v1/graphql HTTP/1.1" 200 512 "-" "Bearer {}""#,
        id_token()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &[log_line, id_token()]);
    let mut cmd = batch_of(&file);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 4, "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("a token inside a line of text"),
        "{out}"
    );
    let (_, out, _) = run(cmd.arg("--json"));
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["error"]["id"], "token.segments", "{first}");
    assert!(
        first["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("pass the token alone, e.g. grep -oE"),
        "{first}"
    );
}

#[test]
fn a_junk_line_under_a_hasura_configuration_fails_the_check_a_single_verify_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &["junk line".to_string()]);
    let config = at_sample("hasura-jwt-secret.json");
    let jwks = sample("jwks.json").display().to_string();
    let common = ["--hasura-config", &config, "--jwks", &jwks, "--now", NOW];
    let (code, alone, _) = run(jwtcheck().args(["verify", "junk line"]).args(common));
    assert_eq!(code, 1, "{alone}");
    assert!(
        alone.contains("more: jwtcheck explain hasura.header"),
        "{alone}"
    );
    let (code, out, _) = run(jwtcheck().args(["verify", "--batch", &file]).args(common));
    assert_eq!(code, 1, "{out}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].contains("REJECTED    hasura.header: "), "{out}");
    assert!(
        rows[1].ends_with("first failing check: hasura.header 1"),
        "{out}"
    );
}

#[test]
fn a_json_log_line_gives_its_token_at_the_field_in_any_form_token_takes() {
    let token = id_token();
    let lines = vec![
        format!(r#"{{"request":{{"headers":{{"authorization":"Bearer {token}"}}}},"status":200}}"#),
        r#"{"level":"info","msg":"server started"}"#.to_string(),
        "plain text between the JSON lines".to_string(),
        format!(r#"{{"request":{{"headers":{{"authorization":"{token}"}}}}}}"#),
        format!(r#"{{"request":{{"headers":{{"x.token":"Authorization: Bearer {token}"}}}}}}"#),
        r#"{"request":{"headers":{"authorization":42}}}"#.to_string(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &lines);
    let jwks = sample("jwks.json").display().to_string();
    let common = [
        "--batch", &file, "--jwks", &jwks, "--now", NOW, "--jobs", "1",
    ];
    let mut cmd = jwtcheck();
    cmd.arg("verify")
        .args(common)
        .args(["--field", "request.headers.authorization"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 4, "{out}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(
        rows[0].starts_with("line 1 ") && rows[0].contains("VALID"),
        "{out}"
    );
    assert!(
        rows[1].contains("MALFORMED")
            && rows[1].contains("the line has no request.headers.authorization"),
        "{out}"
    );
    assert!(
        rows[2].contains("MALFORMED") && rows[2].contains("the line is not JSON"),
        "{out}"
    );
    assert!(rows[3].contains("VALID"), "{out}");
    assert!(
        rows[4].contains("the line has no request.headers.authorization"),
        "{out}"
    );
    assert!(
        rows[5].contains("request.headers.authorization is a number, not a string"),
        "{out}"
    );
    assert_eq!(
        rows[6],
        "SUMMARY  6 token(s): 2 valid, 4 malformed; first failing check: input.field 4"
    );
    // A name with a dot, in brackets and quotes; the value a whole header line.
    let mut cmd = jwtcheck();
    cmd.arg("verify")
        .args(common)
        .args(["--field", r#"request.headers["x.token"]"#, "--json"]);
    let (_, out, _) = run(&mut cmd);
    let reports: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports[4]["verdict"], "valid", "{out}");
    assert_eq!(reports[1]["error"]["id"], "input.field", "{out}");
    assert!(
        reports[1]["error"]["hint"]
            .as_str()
            .unwrap()
            .contains(r#"written ["a.b"]"#),
        "{out}"
    );
}

#[test]
fn field_jobs_and_no_memo_need_a_batch_and_field_a_path_it_can_read() {
    let jwks = sample("jwks.json").display().to_string();
    for args in [
        vec!["verify", "--field", "a", "--jwks", &jwks],
        vec!["verify", "some-token", "--field", "a", "--jwks", &jwks],
        vec!["verify", "some-token", "--jobs", "2", "--jwks", &jwks],
        vec!["verify", "some-token", "--no-memo", "--jwks", &jwks],
        vec!["verify", "--batch", "-", "--field", "a..b", "--jwks", &jwks],
    ] {
        let mut cmd = jwtcheck();
        cmd.args(&args).write_stdin("");
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
    }
}

/// A token of the pool's access-token key (the key the rotating server serves from the start).
fn access_token_with(payload: &str) -> String {
    let header = r#"{"kid":"n2k4veiSy4HDKsczoPft+DBQO/61C1PYvg8+QvInc/A=","alg":"RS256"}"#;
    sign("RS256", "rsa-pool-access", header, payload)
}

#[test]
fn a_repeated_token_gets_the_line_it_gets_without_the_memo() {
    let expired = token_with(r#"{"iss":"x","exp":1795510000}"#);
    let mut lines = Vec::new();
    for i in 0..150 {
        lines.push(match i % 5 {
            0 => id_token(),
            1 => format!("Bearer {}", id_token()),
            2 => expired.clone(),
            3 => format!("junk {}", i % 2),
            _ => format!("Authorization: Bearer {}", id_token()),
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, &lines);
    let jwks = sample("jwks.json").display().to_string();
    for json in [false, true] {
        let outputs: Vec<(i32, String, String)> = [false, true]
            .into_iter()
            .map(|memo_off| {
                let mut cmd = jwtcheck();
                cmd.args(["verify", "--batch", &file, "--jwks", &jwks, "--now", NOW]);
                if json {
                    cmd.arg("--json");
                }
                if memo_off {
                    cmd.arg("--no-memo");
                }
                run(&mut cmd)
            })
            .collect();
        assert_eq!(outputs[0], outputs[1], "json {json}");
        assert_eq!(outputs[0].0, 4, "json {json}");
        assert_eq!(outputs[0].1.lines().count(), if json { 150 } else { 151 });
    }
}

/// The tokens are judged at the run's one clock (the moment it started, without --now), so a
/// token that expires while the run goes on gets the same line every time, memo or not.
#[test]
fn a_token_that_expires_during_the_run_is_judged_at_the_runs_clock_memo_or_not() {
    use std::io::Write as _;
    let exp = jiff::Timestamp::now().as_second() + 2;
    let token = token_with(&format!(r#"{{"iss":"x","exp":{exp}}}"#));
    let jwks = sample("jwks.json").display().to_string();
    let runs: Vec<std::thread::JoinHandle<Vec<String>>> = [false, true]
        .into_iter()
        .map(|memo_off| {
            let (token, jwks) = (token.clone(), jwks.clone());
            std::thread::spawn(move || {
                let mut args = vec!["verify", "--batch", "-", "--jwks", &jwks];
                if memo_off {
                    args.push("--no-memo");
                }
                let mut child = raw_jwtcheck(&args, std::process::Stdio::piped())
                    .stdin(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                let mut stdin = child.stdin.take().unwrap();
                writeln!(stdin, "{token}").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(3500));
                writeln!(stdin, "{token}").unwrap();
                drop(stdin);
                let out = child.wait_with_output().unwrap();
                assert_eq!(out.status.code(), Some(0), "memo off {memo_off}");
                String::from_utf8(out.stdout)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect()
            })
        })
        .collect();
    for rows in runs.into_iter().map(|r| r.join().unwrap()) {
        assert!(
            rows[0].starts_with("line 1 ") && rows[0].contains("VALID"),
            "{rows:?}"
        );
        assert_eq!(
            rows[0].replacen("line 1 ", "line 2 ", 1),
            rows[1],
            "{rows:?}"
        );
    }
}

/// A batch against a key set cached with only the access-token key, whose server now serves
/// both keys (after one 503 when `fails_once`): an id token's kid is missing, so the set is
/// fetched again mid-run. stdout, the summary and the server's hits.
fn batch_across_a_rotation(
    lines: &[String],
    extra: &[&str],
    fails_once: bool,
) -> (String, String, usize) {
    let server = Server::start();
    let mut before = sample_jwks();
    before["keys"].as_array_mut().unwrap().remove(0);
    server.mount(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path("/jwks.json"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_raw(before.to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=3600"),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    if fails_once {
        server.mount(
            wiremock::Mock::given(wiremock::matchers::method("GET"))
                .respond_with(wiremock::ResponseTemplate::new(503))
                .up_to_n_times(1)
                .with_priority(2),
        );
    }
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let cache = cache_dir();
    let url = server.url("/jwks.json");
    let access = sample_text("access-token.jwt").trim().to_string();
    let (code, _, _) = run(&mut jwtcheck_cached(
        &cache,
        &["verify", &access, "--jwks", &url, "--now", NOW],
    ));
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let file = batch_file(&dir, lines);
    let mut args = vec!["verify", "--batch", &file, "--jwks", &url, "--now", NOW];
    args.extend_from_slice(extra);
    let (_, out, err) = run(&mut jwtcheck_cached(&cache, &args));
    (unplaced(&out, &url), err, server.hits("/jwks.json"))
}

/// A batch's output without what differs between two servers set up alike: the server's URL
/// (its port), and in NDJSON reports how long ago the key set was fetched (the system clock).
fn unplaced(out: &str, url: &str) -> String {
    out.replace(url, "URL")
        .lines()
        .map(|line| match serde_json::from_str::<Value>(line) {
            Ok(mut report) => {
                for at in ["/key", "/key_source"] {
                    if let Some(source) = report.pointer_mut(at).and_then(Value::as_object_mut) {
                        source.remove("fetched");
                    }
                }
                report.to_string() + "\n"
            }
            Err(_) => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn a_kid_miss_refetch_mid_run_gives_the_lines_the_batch_gives_without_the_memo() {
    let access = sample_text("access-token.jwt").trim().to_string();
    let lines: Vec<String> = (0..40)
        .map(|i| match i % 4 {
            0 | 3 => access.clone(),
            1 => id_token(),
            _ => format!("Bearer {}", id_token()),
        })
        .collect();
    for json in [&["--json"][..], &[]] {
        let on = batch_across_a_rotation(&lines, &[&["--jobs", "1"], json].concat(), false);
        let off = batch_across_a_rotation(
            &lines,
            &[&["--jobs", "1", "--no-memo"], json].concat(),
            false,
        );
        assert_eq!(on, off, "{json:?}");
        // The warm-up fetch, then one refetch for the new kid.
        assert_eq!(on.2, 2);
        if json.is_empty() {
            assert!(on.0.ends_with("40 token(s): 40 valid\n"), "{}", on.0);
        } else {
            let second: Value = serde_json::from_str(on.0.lines().nth(1).unwrap()).unwrap();
            assert!(
                second.to_string().contains("so it was fetched again"),
                "{second}"
            );
        }
    }
}

/// Generated logs for the memo's property test: lines of the pool of [`log_pool`] by index.
mod memo_property {
    use super::*;
    use clap::Parser as _;
    use proptest::prelude::*;

    /// 2026-11-24T09:30:00Z, the pinned clock.
    const AT: i64 = 1_795_512_600;

    /// Lines a log repeats: tokens of the key the cache has and of the key that rotates in,
    /// tokens whose exp and nbf sit at the clock (a leeway of 1 s moves them across), a token
    /// whose kid no set has, junk.
    fn log_pool() -> &'static [String] {
        static POOL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        POOL.get_or_init(|| {
            let other = sign(
                "RS256",
                "rsa-other",
                r#"{"alg":"RS256","kid":"nowhere"}"#,
                r#"{"exp":4102444800}"#,
            );
            vec![
                sample_text("access-token.jwt").trim().to_string(),
                id_token(),
                format!("Bearer {}", id_token()),
                access_token_with(&format!(r#"{{"exp":{}}}"#, AT - 1)),
                access_token_with(&format!(r#"{{"exp":{AT}}}"#)),
                access_token_with(&format!(r#"{{"exp":{}}}"#, AT + 1)),
                access_token_with(&format!(r#"{{"nbf":{},"exp":{}}}"#, AT + 1, AT + 100)),
                token_with(&format!(r#"{{"iss":"x","exp":{AT}}}"#)),
                "junk".to_string(),
                other,
            ]
        })
    }

    /// The batch run in-process across a key rotation (whose first refetch meets a 503 when
    /// `fails_once`), with the system clock at `system_now` (a report says how long ago its
    /// key set was fetched): its output, summary, stderr and code.
    fn run_in_process(
        lines: &[String],
        flags: &[&str],
        fails_once: bool,
        system_now: f64,
    ) -> (String, String, String, u8) {
        let server = Server::start();
        let mut before = sample_jwks();
        before["keys"].as_array_mut().unwrap().remove(0);
        server.mount(
            wiremock::Mock::given(wiremock::matchers::method("GET"))
                .respond_with(
                    wiremock::ResponseTemplate::new(200)
                        .set_body_raw(before.to_string(), "application/json")
                        .insert_header("Cache-Control", "max-age=3600"),
                )
                .up_to_n_times(1)
                .with_priority(1),
        );
        if fails_once {
            server.mount(
                wiremock::Mock::given(wiremock::matchers::method("GET"))
                    .respond_with(wiremock::ResponseTemplate::new(503))
                    .up_to_n_times(1)
                    .with_priority(2),
            );
        }
        serve_json(
            &server,
            "/jwks.json",
            &sample_jwks(),
            &[("Cache-Control", "max-age=3600")],
        );
        let cache = cache_dir();
        let dir = tempfile::tempdir().unwrap();
        let file = batch_file(&dir, lines);
        let url = server.url("/jwks.json");
        let cache_path = cache.path().display().to_string();
        let common = ["--jwks", &url, "--now", NOW, "--cache-dir", &cache_path];
        let run = |args: Vec<&str>| {
            let cli = jwtcheck::cli::Cli::try_parse_from(args).unwrap();
            let mut out = Vec::new();
            let outcome =
                jwtcheck::commands::run(&cli, &mut std::io::empty(), &mut out, system_now);
            (out, outcome)
        };
        let warm = [&["jwtcheck", "verify", log_pool()[0].as_str()][..], &common].concat();
        assert_eq!(run(warm).1.exit_code(), 0);
        let args = [
            &["jwtcheck", "verify", "--batch", &file][..],
            &common,
            flags,
        ]
        .concat();
        match run(args) {
            (
                out,
                jwtcheck::report::Outcome::Written {
                    stdout,
                    stderr,
                    code,
                },
            ) => {
                let unplaced = |text: &str| text.replace(&url, "URL");
                let out = String::from_utf8(out).unwrap();
                (unplaced(&out), unplaced(&stdout), unplaced(&stderr), code)
            }
            _ => panic!("a batch writes its output"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Memo on and memo off give byte-identical output on logs with repeats, tokens at
        /// the clock's boundaries and a key rotation mid-run (its first refetch failing or not).
        /// With two workers, which line meets a failing refetch depends on timing, memo or
        /// not, so those runs have one.
        #[test]
        fn memo_on_and_off_give_the_same_bytes(
            picks in proptest::collection::vec(0usize..10, 1..48),
            leeway in 0u8..2,
            jobs in 1u8..3,
            json in any::<bool>(),
            fails_once in any::<bool>(),
        ) {
            let lines: Vec<String> = picks.iter().map(|&i| log_pool()[i].clone()).collect();
            let jobs = if fails_once { 1 } else { jobs };
            let (leeway, jobs) = (leeway.to_string(), jobs.to_string());
            let mut flags = vec!["--leeway", leeway.as_str(), "--jobs", jobs.as_str()];
            if json {
                flags.push("--json");
            }
            let system_now = jwtcheck::commands::system_now();
            let on = run_in_process(&lines, &flags, fails_once, system_now);
            flags.push("--no-memo");
            let off = run_in_process(&lines, &flags, fails_once, system_now);
            prop_assert_eq!(&on, &off);
            // One line per token; the summary is the outcome's.
            prop_assert_eq!(on.0.lines().count(), lines.len());
        }
    }
}

#[test]
fn a_refetch_that_fails_is_tried_again_for_the_next_line_memo_or_not() {
    // The first id token's refetch meets a 503 (keys unavailable); the next one's refetch
    // succeeds. A memo that kept the first line would repeat the failure.
    let lines = vec![id_token(), id_token(), id_token()];
    let on = batch_across_a_rotation(&lines, &["--jobs", "1"], true);
    let off = batch_across_a_rotation(&lines, &["--jobs", "1", "--no-memo"], true);
    assert_eq!(on, off);
    let rows: Vec<&str> = on.0.lines().collect();
    assert!(rows[0].contains("UNDECIDABLE"), "{}", on.0);
    assert!(
        rows[1].contains("VALID") && rows[2].contains("VALID"),
        "{}",
        on.0
    );
    assert_eq!(on.2, 3);
}

#[test]
fn a_token_written_to_a_pipe_is_judged_before_the_pipe_closes() {
    // Standard input, and a path that is a pipe (as `<(tail -f log)` or a named pipe is).
    let sources: &[&str] = if cfg!(unix) {
        &["-", "/dev/stdin"]
    } else {
        &["-"]
    };
    for source in sources {
        judged_as_written(source);
    }
}

/// Writes two tokens, one at a time, to `verify --batch SOURCE` reading its stdin, and waits
/// for each one's line while the pipe stays open.
fn judged_as_written(source: &str) {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let jwks = sample("jwks.json").display().to_string();
    let args = ["verify", "--batch", source, "--jwks", &jwks, "--now", NOW];
    let mut child = raw_jwtcheck(&args, Stdio::piped())
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    for _ in 0..2 {
        writeln!(stdin, "{}", id_token()).unwrap();
        stdin.flush().unwrap();
        // The pipe stays open: the line must come without waiting for more tokens.
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{source}: no line while the pipe was open"));
        assert!(line.contains("VALID"), "{source}: {line}");
    }
    drop(stdin);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert_eq!(status.code(), Some(0), "{source}");
}

#[test]
fn an_input_without_a_token_is_a_usage_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    for lines in [vec![], vec!["# no tokens today".to_string(), String::new()]] {
        let file = batch_file(&dir, &lines);
        let mut cmd = batch_of(&file);
        let (code, out, _) = run(&mut cmd);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("holds no token"), "{out}");
        assert!(!out.contains("SUMMARY"), "{out}");
        let (code, report) = run_json(&mut cmd);
        assert_eq!(code, 2);
        assert_eq!(report["verdict"], "usage_error", "{report}");
        assert_eq!(report["error"]["id"], "token.empty", "{report}");
    }
    let mut cmd = jwtcheck();
    cmd.args(["verify", "--batch", "-", "--jwks"])
        .arg(sample("jwks.json"))
        .write_stdin("");
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--batch -: standard input holds no token"),
        "{out}"
    );
}
