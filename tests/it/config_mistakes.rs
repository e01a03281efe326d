//! Configuration mistakes named (issue 30, items 8 and 9): a configuration pasted with its
//! shell or env-file quoting kept, a v2 configuration written in YAML, and a DDN AuthConfig
//! whose indentation holds a tab.

use crate::support::*;

/// The sample v2 configuration on one line.
fn config() -> String {
    let text = sample_text("hasura-jwt-secret.json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value.to_string()
}

/// `verify` of the sample id token under `config`: (exit code, the JSON report).
fn verify_sample_under(config: &str) -> (i32, serde_json::Value) {
    let jwks = sample("jwks.json");
    verify_under(
        config,
        &at_sample("id-token.jwt"),
        &["--jwks", jwks.to_str().unwrap()],
    )
}

fn hint(report: &serde_json::Value) -> String {
    report["error"]["hint"].as_str().unwrap().to_string()
}

#[test]
fn a_configuration_with_its_shell_or_env_file_quoting_kept_says_what_to_strip() {
    let cases = [
        (format!("'{}'", config()), "strip the outer quotes"),
        (
            format!("HASURA_GRAPHQL_JWT_SECRET='{}'", config()),
            "this is a shell or env-file line (HASURA_GRAPHQL_JWT_SECRET=…): give only the value after the =",
        ),
        (
            format!("export HASURA_GRAPHQL_JWT_SECRET={}", config()),
            "(HASURA_GRAPHQL_JWT_SECRET=…)",
        ),
        (
            serde_json::Value::String(config()).to_string(),
            "a JSON string holding the configuration (quoted twice)",
        ),
    ];
    for (text, says) in cases {
        let (code, r) = verify_sample_under(&text);
        assert_eq!(code, 2, "{text}: {r}");
        let hint = hint(&r);
        assert!(hint.contains(says), "{text}: {hint}");
        assert!(!hint.contains("quote it with single quotes"), "{hint}");
    }
    // check names it the same way.
    let (code, r) = run_json(jwtcheck().args([
        "check",
        "--hasura-config",
        &format!("'{}'", config()),
        "--jwks",
        sample("jwks.json").to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{r}");
    assert!(r.to_string().contains("strip the outer quotes"), "{r}");
}

#[test]
fn a_v2_configuration_in_yaml_is_told_to_be_json() {
    let yaml = "type: RS256\njwk_url: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Jw7Ck9Sa1/.well-known/jwks.json\nclaims_format: stringified_json\n";
    let (code, r) = verify_sample_under(yaml);
    assert_eq!(code, 2, "{r}");
    let hint = hint(&r);
    assert!(
        hint.contains("this is YAML: HASURA_GRAPHQL_JWT_SECRET takes JSON (YAML is for a Hasura DDN AuthConfig"),
        "{hint}"
    );
    assert!(hint.contains(r#"{"type":"RS256","#), "{hint}");
}

#[test]
fn an_auth_config_with_a_tab_in_its_indentation_is_read_as_one_and_the_tab_named() {
    let hml =
        sample_text("auth-config.hml").replace("\n      claimsConfig:", "\n\t  claimsConfig:");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth-config.hml");
    std::fs::write(&path, hml).unwrap();
    let (code, r) = verify_sample_under(&format!("@{}", path.display()));
    assert_eq!(code, 2, "{r}");
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("this Hasura DDN AuthConfig is not readable YAML"),
        "{summary}"
    );
    assert!(!summary.contains("invalid JSON"), "{summary}");
    let hint = hint(&r);
    assert!(hint.starts_with("line 8 indents with a tab"), "{hint}");
}
