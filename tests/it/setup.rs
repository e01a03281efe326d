//! `jwtcheck setup`: the generated Lambdas really run (node, python3) on the trigger events AWS
//! documents, the tokens built from their output are accepted under the generated configurations
//! with the expected role and session variables, bad choices are usage errors, and the files
//! pass `jwtcheck check` and round-trip through `hasura-config --to ddn`.

use std::path::Path;

use crate::support::{SAMPLE_NOW, jwtcheck, run, run_json};
use serde_json::{Value, json};

const POOL: &str = "us-east-1_AbC123";
const CLIENT: &str = "4l1h8mfsl2jt8ovcbvda5sqvd0";
const NS: &str = "https://hasura.io/jwt/claims";
const SUB: &str = "3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c";

/// `jwtcheck setup` for the test pool and client with `extra` flags, writing into `dir`.
fn setup(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = jwtcheck();
    cmd.args([
        "setup",
        "--cognito-pool",
        POOL,
        "--client-id",
        CLIENT,
        "--now",
        SAMPLE_NOW,
    ])
    .arg("--out")
    .arg(dir)
    .args(extra);
    run(&mut cmd)
}

/// A trigger event as AWS documents it: V1 (`claimsOverrideDetails`) or V2
/// (`claimsAndScopeOverrideDetails`, with `scopes`).
fn event(version: &str, groups: &[&str], attributes: Value) -> Value {
    let mut attrs = json!({"sub": SUB, "email_verified": "true", "email": "ada@example.com"});
    for (k, v) in attributes.as_object().unwrap() {
        attrs[k] = v.clone();
    }
    let mut request = json!({
        "userAttributes": attrs,
        "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [], "preferredRole": null},
    });
    let response = if version == "1" {
        json!({"claimsOverrideDetails": null})
    } else {
        request["scopes"] = json!(["openid", "email", "profile"]);
        json!({"claimsAndScopeOverrideDetails": null})
    };
    json!({
        "version": version,
        "triggerSource": "TokenGeneration_HostedAuth",
        "region": "us-east-1",
        "userPoolId": POOL,
        "userName": "ada",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": CLIENT},
        "request": request,
        "response": response,
    })
}

/// Runs the generated handler on `event`: its returned event, or `None` when it throws.
fn handler(dir: &Path, runtime: &str, event: &Value) -> Option<Value> {
    let out = match runtime {
        "node" => std::process::Command::new("node")
            .arg("-e")
            .arg("import(process.argv[1]).then(async (m) => console.log(JSON.stringify(await m.handler(JSON.parse(process.argv[2])))))")
            .arg(dir.join("index.mjs"))
            .arg(event.to_string())
            .output(),
        _ => std::process::Command::new("python3")
            .arg("-c")
            .arg("import json, sys, importlib.util\nspec = importlib.util.spec_from_file_location('h', sys.argv[1])\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\nprint(json.dumps(m.lambda_handler(json.loads(sys.argv[2]), None)))")
            .arg(dir.join("lambda_function.py"))
            .arg(event.to_string())
            .output(),
    }
    .expect("the runtime runs");
    out.status
        .success()
        .then(|| serde_json::from_slice(&out.stdout).expect("the handler returns JSON"))
}

/// The claims the handler's output adds to `token` (`id` or `access`), V1 or V2/V3.
fn added(output: &Value, token: &str) -> serde_json::Map<String, Value> {
    let r = &output["response"];
    let v = if r["claimsOverrideDetails"].is_object() {
        assert_eq!(token, "id", "V1 changes only the id token");
        &r["claimsOverrideDetails"]["claimsToAddOrOverride"]
    } else {
        let t = if token == "id" {
            "idTokenGeneration"
        } else {
            "accessTokenGeneration"
        };
        &r["claimsAndScopeOverrideDetails"][t]["claimsToAddOrOverride"]
    };
    v.as_object().cloned().unwrap_or_default()
}

/// A token as Cognito issues it for the user once the trigger ran: minted by the dev kit (its
/// Cognito shape), with the user's groups and the handler's claims added as they are (a V1
/// string stays a string).
fn token(
    keys: &Path,
    kind: &str,
    groups: &[&str],
    added: &serde_json::Map<String, Value>,
) -> String {
    let mut cmd = jwtcheck();
    cmd.args([
        "mint",
        "--cognito-pool",
        POOL,
        "--client-id",
        CLIENT,
        "--token-use",
        kind,
    ])
    .args(["--user-id", SUB, "--now", SAMPLE_NOW, "--key"])
    .arg(keys);
    if !groups.is_empty() {
        cmd.arg("--claim")
            .arg(format!("cognito:groups={}", json!(groups)));
    }
    for (name, value) in added {
        // A JSON string literal stays a string; an object stays an object.
        cmd.arg("--claim").arg(format!("{name}={value}"));
    }
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    out.trim().to_string()
}

/// `verify` under a generated configuration and the generated policy.
fn verify(dir: &Path, keys: &Path, config: &str, token: &str) -> Value {
    let mut cmd = jwtcheck();
    cmd.args(["verify", token, "--now", SAMPLE_NOW])
        .arg("--hasura-config")
        .arg(format!("@{}", dir.join(config).display()))
        .arg("--jwks")
        .arg(keys.join("jwks.json"))
        .arg("--policy")
        .arg(dir.join("policy.json"));
    if config.ends_with(".hml") {
        cmd.args(["--ddn-compatibility-date", "2025-03-11"]);
    }
    run_json(&mut cmd).1
}

fn keygen(dir: &Path) {
    let (code, _, err) = run(jwtcheck().args(["keygen", "--out"]).arg(dir));
    assert_eq!(code, 0, "{err}");
}

fn accepted(report: &Value, role: &str, vars: &[(&str, &str)]) {
    assert_eq!(report["verdict"], "valid", "{report:#}");
    assert_eq!(report["hasura"]["role"], role, "{report:#}");
    for (k, v) in vars {
        assert_eq!(
            report["hasura"]["session_variables"][k], *v,
            "{k}: {report:#}"
        );
    }
}

#[test]
fn the_node_v1_handler_runs_and_its_tokens_are_accepted_by_v2_and_ddn() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keys) = (tmp.path().join("out"), tmp.path().join("keys"));
    keygen(&keys);
    let (code, out, err) = setup(&dir, &["--session", "x-hasura-org-id=attribute:custom:org"]);
    assert_eq!(code, 0, "{out}{err}");
    // A user with groups and the attribute: the default role, both roles, the org.
    let output = handler(
        &dir,
        "node",
        &event("1", &["user", "editor"], json!({"custom:org": "42"})),
    )
    .unwrap();
    let claims = added(&output, "id");
    assert!(claims[NS].is_string(), "V1 stringifies: {claims:?}");
    let t = token(&keys, "id", &["user", "editor"], &claims);
    for config in ["hasura-jwt-secret.json", "auth-config.hml"] {
        let r = verify(&dir, &keys, config, &t);
        accepted(
            &r,
            "user",
            &[("x-hasura-user-id", SUB), ("x-hasura-org-id", "42")],
        );
        assert_eq!(r["hasura"]["allowed_roles"], json!(["user", "editor"]));
    }
    // A user in no group, without the attribute: the default role (--no-role default), no org.
    let output = handler(&dir, "node", &event("1", &[], json!({}))).unwrap();
    let t = token(&keys, "id", &[], &added(&output, "id"));
    let r = verify(&dir, &keys, "hasura-jwt-secret.json", &t);
    accepted(&r, "user", &[("x-hasura-user-id", SUB)]);
    assert!(
        r["hasura"]["session_variables"]
            .get("x-hasura-org-id")
            .is_none()
    );
}

#[test]
fn the_python_v2_handler_puts_the_claims_in_the_access_token_and_denies_a_user_without_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keys) = (tmp.path().join("out"), tmp.path().join("keys"));
    keygen(&keys);
    let (code, out, err) = setup(
        &dir,
        &[
            "--token",
            "access",
            "--lambda-runtime",
            "python",
            "--roles-from",
            "attribute:custom:roles",
            "--no-role",
            "deny",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let output = handler(
        &dir,
        "python",
        &event("2", &[], json!({"custom:roles": "editor, user"})),
    )
    .unwrap();
    let claims = added(&output, "access");
    assert!(claims[NS].is_object(), "V2 writes JSON: {claims:?}");
    assert_eq!(claims["aud"], CLIENT);
    let t = token(&keys, "access", &[], &claims);
    for config in ["hasura-jwt-secret.json", "auth-config.hml"] {
        let r = verify(&dir, &keys, config, &t);
        accepted(&r, "user", &[("x-hasura-user-id", SUB)]);
        assert_eq!(r["hasura"]["allowed_roles"], json!(["editor", "user"]));
    }
    // Without the attribute the handler fails the sign-in (--no-role deny).
    assert!(handler(&dir, "python", &event("2", &[], json!({}))).is_none());
    // The Node handler of the same choices does the same.
    let (code, _, err) = setup(
        &tmp.path().join("node"),
        &[
            "--token",
            "access",
            "--roles-from",
            "attribute:custom:roles",
            "--no-role",
            "deny",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        handler(
            &tmp.path().join("node"),
            "node",
            &event("2", &[], json!({}))
        )
        .is_none()
    );
    let output = handler(
        &tmp.path().join("node"),
        "node",
        &event("2", &[], json!({"custom:roles": "editor"})),
    )
    .unwrap();
    assert_eq!(
        added(&output, "access")[NS]["x-hasura-default-role"],
        "editor"
    );
}

#[test]
fn without_a_trigger_cognito_groups_carry_the_role() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keys) = (tmp.path().join("out"), tmp.path().join("keys"));
    keygen(&keys);
    let (code, out, err) = setup(&dir, &["--trigger", "none"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        !dir.join("index.mjs").exists(),
        "no Lambda without a trigger"
    );
    let t = token(&keys, "id", &["editor"], &serde_json::Map::new());
    for config in ["hasura-jwt-secret.json", "auth-config.hml"] {
        let r = verify(&dir, &keys, config, &t);
        accepted(&r, "editor", &[("x-hasura-user-id", SUB)]);
    }
    // A user in no group gets the default role from the claims_map default.
    let t = token(&keys, "id", &[], &serde_json::Map::new());
    accepted(
        &verify(&dir, &keys, "hasura-jwt-secret.json", &t),
        "user",
        &[],
    );
}

#[test]
fn incompatible_choices_are_usage_errors_naming_the_choice_to_change() {
    let tmp = tempfile::tempdir().unwrap();
    for (flags, hint) in [
        (
            vec!["--token", "access", "--trigger", "v1"],
            "change --trigger",
        ),
        (
            vec![
                "--trigger",
                "none",
                "--roles-from",
                "attribute:custom:roles",
            ],
            "change --trigger",
        ),
        (
            vec!["--trigger", "none", "--lambda-runtime", "python"],
            "leave out --lambda-runtime",
        ),
        (
            vec![
                "--trigger",
                "none",
                "--token",
                "access",
                "--session",
                "x-hasura-org-id=attribute:custom:org",
            ],
            "change --trigger",
        ),
        (
            vec!["--roles-from", "fixed:viewer", "--default-role", "user"],
            "change --default-role",
        ),
    ] {
        let mut cmd = jwtcheck();
        cmd.args([
            "setup",
            "--cognito-pool",
            POOL,
            "--client-id",
            CLIENT,
            "--out",
        ])
        .arg(tmp.path().join("never"))
        .args(&flags);
        let (code, report) = run_json(&mut cmd);
        assert_eq!(code, 2, "{flags:?}");
        assert_eq!(
            report["error"]["id"], "setup.choice",
            "{flags:?} {report:#}"
        );
        assert!(
            report["error"]["hint"].as_str().unwrap().starts_with(hint),
            "{flags:?}: {report:#}"
        );
        crate::support::assert_fits_schema(&report);
    }
    assert!(!tmp.path().join("never").exists(), "nothing is written");
}

#[test]
fn the_files_pass_check_round_trip_and_are_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keys) = (tmp.path().join("out"), tmp.path().join("keys"));
    keygen(&keys);
    let (code, _, err) = setup(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    let t = token(
        &keys,
        "id",
        &["user"],
        &added(
            &handler(&dir, "node", &event("1", &["user"], json!({}))).unwrap(),
            "id",
        ),
    );
    for config in ["hasura-jwt-secret.json", "auth-config.hml"] {
        let mut cmd = jwtcheck();
        cmd.args([
            "check",
            "--now",
            SAMPLE_NOW,
            "--ddn-compatibility-date",
            "2025-03-11",
            "--token",
            &t,
        ])
        .arg("--hasura-config")
        .arg(format!("@{}", dir.join(config).display()))
        .arg("--jwks")
        .arg(keys.join("jwks.json"))
        .arg("--policy")
        .arg(dir.join("policy.json"));
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 0, "{config}: {out}{err}");
    }
    // hasura-config --to ddn writes the same AuthConfig from the v2 file, and back to v2 the
    // token keeps its verdict.
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", "--to", "ddn"])
        .arg(format!("@{}", dir.join("hasura-jwt-secret.json").display()));
    let (code, ddn, _) = run(&mut cmd);
    assert_eq!(code, 0);
    assert_eq!(
        ddn,
        std::fs::read_to_string(dir.join("auth-config.hml")).unwrap()
    );
    let mut cmd = jwtcheck();
    cmd.args(["hasura-config", "--to", "v2"])
        .arg(format!("@{}", dir.join("auth-config.hml").display()));
    let (code, v2, _) = run(&mut cmd);
    assert_eq!(code, 0);
    std::fs::write(dir.join("back.json"), v2).unwrap();
    accepted(
        &verify(&dir, &keys, "back.json", &t),
        "user",
        &[("x-hasura-user-id", SUB)],
    );
    // A second run keeps the files.
    let (code, out, _) = setup(&dir, &["--json"]);
    assert_eq!(code, 2);
    assert!(out.contains("setup.exists"), "{out}");
    assert_eq!(setup(&dir, &["--force"]).0, 0);
}

#[test]
fn the_json_report_fits_the_schema_and_carries_the_proof() {
    let mut cmd = jwtcheck();
    cmd.args([
        "setup",
        "--cognito-pool",
        POOL,
        "--client-id",
        CLIENT,
        "--now",
        SAMPLE_NOW,
    ])
    .args(["--trigger", "none", "--no-role", "deny", "--hasura", "ddn"]);
    let (code, report) = run_json(&mut cmd);
    assert_eq!(code, 0, "{report:#}");
    crate::support::assert_fits_schema(&report);
    assert_eq!(report["choices"]["trigger"], "none");
    let proof = report["proof"].as_array().unwrap();
    assert!(
        proof
            .iter()
            .all(|c| c["pass"] == true && c["engine"] == "ddn")
    );
    let none = proof
        .iter()
        .find(|c| c["case"] == "a user in no group")
        .unwrap();
    assert_eq!(none["expected"], "refused");
    assert_eq!(none["verdict"], "invalid");
    assert!(report["files"].as_array().unwrap().is_empty());
}

#[test]
fn the_v3_handler_leaves_machine_tokens_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let (code, _, err) = setup(
        &dir,
        &[
            "--token",
            "access",
            "--trigger",
            "v3",
            "--lambda-runtime",
            "python",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut m2m = event("3", &[], json!({}));
    m2m["triggerSource"] = json!("TokenGeneration_ClientCredentials");
    let output = handler(&dir, "python", &m2m).unwrap();
    assert_eq!(output, m2m, "a client-credentials token is not changed");
    let output = handler(&dir, "python", &event("3", &["user"], json!({}))).unwrap();
    assert_eq!(
        added(&output, "access")[NS]["x-hasura-allowed-roles"],
        json!(["user"])
    );
}

#[test]
fn setup_md_attaches_the_trigger_with_its_version_and_proves_before_deploying() {
    let tmp = tempfile::tempdir().unwrap();
    for (trigger, version) in [("v1", "V1_0"), ("v2", "V2_0"), ("v3", "V3_0")] {
        let dir = tmp.path().join(trigger);
        assert_eq!(setup(&dir, &["--trigger", trigger]).0, 0);
        let guide = std::fs::read_to_string(dir.join("SETUP.md")).unwrap();
        assert!(
            guide.contains(&format!(
                "aws cognito-idp update-user-pool --region us-east-1 --user-pool-id {POOL}"
            )),
            "{guide}"
        );
        assert!(guide.contains(&format!("\"PreTokenGenerationConfig\":{{\"LambdaArn\":\"arn:aws:lambda:us-east-1:ACCOUNT_ID:function:hasura-pre-token-generation\",\"LambdaVersion\":\"{version}\"}}")), "{guide}");
        assert!(
            guide.contains("export HASURA_GRAPHQL_JWT_SECRET=\"$(cat hasura-jwt-secret.json)\"")
        );
        assert!(guide.contains("jwtcheck check --hasura-config @hasura-jwt-secret.json --token @token.txt --policy policy.json"));
    }
    let dir = tmp.path().join("none");
    assert_eq!(setup(&dir, &["--trigger", "none"]).0, 0);
    let guide = std::fs::read_to_string(dir.join("SETUP.md")).unwrap();
    assert!(
        !guide.contains("update-user-pool") && guide.contains("No Lambda"),
        "{guide}"
    );
}

#[test]
fn the_advice_says_which_path_and_why_before_the_files() {
    let advice = |flags: &[&str]| {
        let mut cmd = jwtcheck();
        cmd.args([
            "setup",
            "--cognito-pool",
            POOL,
            "--client-id",
            CLIENT,
            "--now",
            SAMPLE_NOW,
        ])
        .args(flags);
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("OK: the setup works"), "{out}");
        out
    };
    let out = advice(&["--token", "access"]);
    assert!(out.contains("Choices (defaults filled in): --roles-from groups --default-role user --no-role default --user-id-from sub --token access --trigger v2 --hasura both --lambda-runtime nodejs\n"), "{out}");
    assert!(
        out.contains("event version V2_0 (needs the pool on the Essentials or Plus plan)"),
        "{out}"
    );
    assert!(out.contains("Roles in the access token need trigger V2 or V3 and the pool on the Essentials or Plus plan. The access token has client_id and no aud"), "{out}");
    let out = advice(&[]);
    assert!(out.contains("V1 changes only the id token and writes strings only, so the Hasura claims are stringified JSON"), "{out}");
    assert!(
        out.contains("The id token's aud is the app client id (4l1h8mfsl2jt8ovcbvda5sqvd0)"),
        "{out}"
    );
    let out = advice(&["--trigger", "none", "--no-role", "deny"]);
    assert!(out.contains("Path: no Lambda."), "{out}");
    assert!(out.contains("claims_map over cognito:groups needs no Lambda, but a user in no group gets no allowed roles"), "{out}");
    assert!(
        out.contains("Later, adding a trigger changes where the claims are"),
        "{out}"
    );
    assert!(
        out.contains("Files: none written (give --out DIR to write them)."),
        "{out}"
    );
}
