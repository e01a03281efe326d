//! The whole `verify - --hasura-config …` command, in-process, on a fixed HS256 key (no
//! network): the first byte picks one of several v2 and DDN configurations; the rest is a
//! token, or `header '\n' payload` that the target signs with the fixed key, so that the claims
//! rules behind a good signature are reached too.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CONFIGS: [&str; 5] = [
    r#"{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}"#,
    r#"{"type":"HS256","key":"0123456789abcdef0123456789abcdef","claims_format":"stringified_json","audience":["a","b"],"issuer":"joe","allowed_skew":30}"#,
    r#"{"type":"HS256","key":"0123456789abcdef0123456789abcdef","claims_namespace_path":"$.a.b[0]['c']"}"#,
    r#"{"type":"HS256","key":"0123456789abcdef0123456789abcdef","claims_map":{"x-hasura-allowed-roles":{"path":"$.roles","default":["user"]},"x-hasura-default-role":{"path":"$.role","default":"user"},"x-hasura-user-id":{"path":"$.sub"},"x-hasura-org":"acme"}}"#,
    "kind: AuthConfig\nversion: v3\ndefinition:\n  mode:\n    jwt:\n      claimsConfig:\n        namespace:\n          claimsFormat: Json\n          location: /https:~1~1hasura.io~1jwt~1claims\n      tokenLocation:\n        type: BearerAuthorization\n      key:\n        fixed:\n          algorithm: HS256\n          key:\n            value: 0123456789abcdef0123456789abcdef\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = jwtcheck_fuzz::text(rest) else {
        return;
    };
    let config = CONFIGS[usize::from(pick) % CONFIGS.len()];
    let token = jwtcheck_fuzz::token_of(text);
    let mut args = vec![
        "jwtcheck",
        "verify",
        "-",
        "--hasura-config",
        config,
        "--now",
        jwtcheck_fuzz::NOW_TEXT,
        "--offline",
    ];
    if pick & 0x80 != 0 {
        args.extend(["--role", "user"]);
    }
    if let Some(outcome) = jwtcheck_fuzz::run(&args, token.as_bytes()) {
        jwtcheck_fuzz::check_outcome(&outcome);
    }
});
