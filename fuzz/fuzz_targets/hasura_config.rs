//! `HASURA_GRAPHQL_JWT_SECRET(S)`: the config reader (claims_map, claims_namespace_path,
//! claims_format, key forms), its lints, the translation to DDN, and the engine judging a fixed
//! token under the configuration read.
#![no_main]

use jwtcheck::hasura::v2;
use jwtcheck::hasura::v2::config::{self, KeyConfig};
use jwtcheck::jose::json;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// A token signed with the fixed key whose claims sit where configurations look for them.
fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        jwtcheck_fuzz::sign_hs256(
            br#"{"alg":"HS256","typ":"JWT"}"#,
            br#"{"sub":"u1","iss":"joe","aud":["a","b"],"exp":1795516200,"iat":1795512000,"https://hasura.io/jwt/claims":{"x-hasura-allowed-roles":["user","editor"],"x-hasura-default-role":"user","x-hasura-user-id":"u1"},"h":"{\"x-hasura-allowed-roles\":[\"user\"],\"x-hasura-default-role\":\"user\"}","a":{"b":[{"c":{"x-hasura-default-role":"user"}}],"r":["user"],"d":"user"},"roles":["user"]}"#,
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let _ = jwtcheck::lint::config::text_notes(text);
    let _ = jwtcheck::lint::config::pasted(text, "fuzz");
    let claims = serde_json::json!({"a": {"b": [{"c": 1}]}, "sub": "x"});
    let _ = jwtcheck::lint::config::path_advice(text, Some(&claims));
    if let Ok(p) = json::parse_first_wins(data) {
        let _ = jwtcheck::lint::config::raw(&p.value, "fuzz");
    }
    if let Ok(list) = config::parse_list(text) {
        let _ = jwtcheck::lint::config::ambiguity(&list);
        let _ = config::dedupe(list);
    }
    let cfg = match config::parse_text(text) {
        Ok(cfg) => cfg,
        Err(e) => {
            let _ = e.fatal_line("HASURA_GRAPHQL_JWT_SECRET");
            return;
        }
    };
    let _ = (cfg.engine_key(), cfg.skew(), cfg.engine_eq(&cfg));
    let _ = jwtcheck::lint::config::semantic(&cfg, "fuzz");
    let _ = jwtcheck::lint::config::allowed_skew(&cfg, "fuzz");
    let _ = jwtcheck::hasura::ddn::translate::to_ddn(&cfg, None);
    let keys = match &cfg.key {
        KeyConfig::Static { key, .. } => vec![key.clone()],
        KeyConfig::Url(_) => Vec::new(),
    };
    for role in [None, Some("user"), Some("admin")] {
        let eval = v2::evaluate(
            &cfg,
            &keys,
            token(),
            role,
            jwtcheck_fuzz::NOW,
            Default::default(),
        );
        // The engine never accepts a request and reports an error at once.
        if eval.error.is_none() {
            assert!(
                eval.checks
                    .iter()
                    .all(|c| c.status != jwtcheck::report::Status::Fail),
                "no engine error, but a failed step: {:#?}",
                eval.checks
            );
        }
    }
});
