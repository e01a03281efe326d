//! Pasting from real tools (issue 30, item 10): devtools' "Copy as cURL", a whole block of
//! request headers, a header row copied from a table, a token wrapped at 76 columns, trailing
//! NULs.

use crate::support::*;

fn token() -> String {
    sample_text("id-token.jwt")
}

/// `verify -` of `pasted` against the sample keys: (exit code, first line).
fn verify_pasted(pasted: &str) -> (i32, String) {
    let (code, out, err) = run(jwtcheck()
        .args(["verify", "-", "--jwks"])
        .arg(sample("jwks.json"))
        .args(["--now", SAMPLE_NOW])
        .write_stdin(pasted.as_bytes()));
    (code, format!("{}{err}", first_line(&out)))
}

#[test]
fn the_token_is_found_in_what_tools_copy() {
    let t = token();
    let cases = [
        format!(
            "curl 'https://app.example/v1/graphql' \\\n  -H 'accept: */*' \\\n  -H 'authorization: Bearer {t}' \\\n  --data-raw '{{}}'"
        ),
        format!(r#"curl "https://app.example/v1/graphql" -H "Authorization: Bearer {t}""#),
        format!("-H 'Authorization: Bearer {t}'"),
        format!(
            ":authority: app.example\n:method: POST\naccept: */*\nauthorization: Bearer {t}\ncontent-type: application/json\n"
        ),
        format!("authorization\tBearer {t}"),
        format!("{t}\0\0\0"),
    ];
    for pasted in cases {
        let (code, line) = verify_pasted(&pasted);
        assert_eq!(code, 0, "{pasted:?}: {line}");
        assert!(line.starts_with("VALID"), "{pasted:?}: {line}");
    }
}

#[test]
fn a_token_wrapped_at_76_columns_is_named_join_the_lines() {
    let t = token();
    let wrapped: Vec<String> = t
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let (code, r) = run_json(
        jwtcheck()
            .args(["decode", "-"])
            .write_stdin(wrapped.join("\n")),
    );
    assert_eq!(code, 4, "{r}");
    assert!(
        r["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("wrapped over several lines"),
        "{r}"
    );
}
