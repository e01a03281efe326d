//! Hasura DDN `AuthConfig` (YAML or JSON, one or several documents): reading, lints, the
//! translation to v2, and the v3 engine judging a fixed token under it.
#![no_main]

use jwtcheck::hasura::ddn::{self, DdnKeys, config};
use jwtcheck::hasura::evaluation::Request;
use jwtcheck::input::Wrapper;
use jwtcheck::jose::jwk::{Key, Material};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let _ = config::yaml_documents(text);
    let Some(docs) = config::documents(text) else {
        return;
    };
    let env = |_: &str| Some(jwtcheck_fuzz::SECRET.to_string());
    let cfg = match config::parse(&docs, &env, None) {
        Ok(cfg) => cfg,
        Err(_) => return,
    };
    let _ = cfg.leeway();
    let _ = jwtcheck::lint::ddn::lints(&cfg);
    let _ = ddn::translate::to_v2(&cfg);
    let token = jwtcheck_fuzz::sign_hs256(
        br#"{"alg":"HS256"}"#,
        br#"{"sub":"u1","exp":1795516200,"https://hasura.io/jwt/claims":{"x-hasura-allowed-roles":["user"],"x-hasura-default-role":"user"},"claims.jwt.hasura.io":"{\"x-hasura-default-role\":\"user\",\"x-hasura-allowed-roles\":[\"user\"]}"}"#,
    );
    let keys = [Key::bare(Material::Secret(
        jwtcheck_fuzz::SECRET.as_bytes().to_vec(),
    ))];
    let doc = serde_json::json!({"keys": []});
    for wrapper in [
        Wrapper::None,
        Wrapper::Bearer {
            scheme: "Bearer".into(),
        },
    ] {
        let req = Request {
            token: &token,
            wrapper: &wrapper,
            role: Some("user"),
        };
        let _ = ddn::evaluate(
            &cfg,
            DdnKeys {
                keys: &keys,
                document: Some(&doc),
                unsuccessful: None,
                undecodable: None,
            },
            &req,
            jwtcheck_fuzz::NOW,
        );
    }
});
