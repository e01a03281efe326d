//! A token's life (issue #27): `--max-age`, `diff`, `jwks --watch`, `refresh`.

// Test code: a failed unwrap or index is the test failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::*;

/// The sample id token: auth_time 08:58:00, iat 09:00:00; at SAMPLE_NOW (09:30) the sign-in is
/// 32 minutes old.
fn verify_sample(extra: &[&str]) -> (i32, serde_json::Value) {
    run_json(
        jwtcheck()
            .args(["verify", &at_sample("id-token.jwt"), "--jwks"])
            .arg(sample("jwks.json"))
            .args(["--now", SAMPLE_NOW])
            .args(extra),
    )
}

#[test]
fn max_age_refuses_a_sign_in_older_than_the_limit() {
    let (code, r) = verify_sample(&["--max-age", "30m"]);
    assert_eq!(code, 1, "{r:#}");
    let c = &checks(&r, "max_age")[0];
    assert_eq!(c["status"], "fail");
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .starts_with("signed in too long ago: auth_time 32m ago"),
        "{c}"
    );
    let (code, r) = verify_sample(&["--max-age", "35m"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(status(&r, "max_age"), "pass");
    // Without the flag there is no such check.
    let (code, r) = verify_sample(&[]);
    assert_eq!(code, 0);
    assert!(checks(&r, "max_age").is_empty());
    // The leeway counts, as panva/jose's clockTolerance does.
    let (code, _) = verify_sample(&["--max-age", "31m", "--leeway", "60"]);
    assert_eq!(code, 0);
}

#[test]
fn max_age_applies_under_a_hasura_configuration_and_in_batch_and_check() {
    let (code, r) = verify_sample(&[
        "--hasura-config",
        &at_sample("hasura-jwt-secret.json"),
        "--max-age",
        "30m",
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(status(&r, "max_age"), "fail");
    assert!(r["checks"].to_string().contains("allowed_skew 0s"), "{r:#}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens.txt");
    std::fs::write(&file, sample_text("id-token.jwt")).unwrap();
    let (code, out, _) = run(jwtcheck()
        .args(["verify", "--batch"])
        .arg(&file)
        .arg("--jwks")
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW, "--max-age", "30m"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("max_age"), "{out}");

    let cache = cache_dir();
    let (code, r) = run_json(
        jwtcheck()
            .args([
                "check",
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
            ])
            .args([
                "--jwks",
                "samples/jwks.json",
                "--token",
                "@samples/id-token.jwt",
            ])
            .args(["--now", SAMPLE_NOW, "--max-age", "30m", "--cache-dir"])
            .arg(cache.path())
            .current_dir(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(status(&r["tokens"][0]["report"], "max_age"), "fail");
}

#[test]
fn a_bad_max_age_is_a_usage_error_and_the_id_is_explained() {
    for bad in ["0", "-1", "1w", "soon"] {
        let (code, r) = verify_sample(&[&format!("--max-age={bad}")]);
        assert_eq!(code, 2, "{bad}: {r:#}");
        assert!(r.to_string().contains("usage.max_age"), "{bad}: {r:#}");
    }
    let (code, out, _) = run(jwtcheck().args(["explain", "max_age"]));
    assert_eq!(code, 0);
    assert!(out.contains("auth_time"), "{out}");
}
