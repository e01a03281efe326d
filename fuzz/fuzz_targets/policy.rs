//! Policy files (`check --policy`): reading, and judging fixed claims by them.
#![no_main]

use jwtcheck::policy::{self, Subject};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let Ok(p) = policy::parse(text) else {
        return;
    };
    let _ = p.is_empty();
    let mut merged = p.clone();
    merged.merge(p.clone());
    let claims =
        serde_json::json!({"sub": "u1", "exp": 1795516200, "iat": 1795512600, "token_use": "id"});
    let session = serde_json::json!({"x-hasura-user-id": "u1", "x-hasura-org": ""});
    let (Some(claims), Some(session)) = (claims.as_object(), session.as_object()) else {
        return;
    };
    let roles = ["user".to_string(), "admin".to_string()];
    for (unread, no_session) in [
        (None, None),
        (Some("no Hasura claims"), None),
        (None, Some("the engine rejected the token")),
    ] {
        let subject = Subject {
            allowed_roles: Some(&roles),
            default_role: Some("user"),
            session,
            claims,
            unread,
            no_session,
        };
        let _ = policy::evaluate(&p, &subject);
        let _ = policy::evaluate(&merged, &subject);
    }
});
