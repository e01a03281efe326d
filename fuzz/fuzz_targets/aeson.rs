//! The aeson-compatible reader: JSON read as Hasura (first of duplicates wins), type words,
//! the role and text readers, `show`, Hasura-claims shapes and sessions, URIs.
#![no_main]

use jwtcheck::hasura::claims;
use jwtcheck::hasura::v2::aeson;
use jwtcheck::jose::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let _ = aeson::show(text);
    let _ = jwtcheck::hasura::v2::uri::parse_uri(text);
    let _ = jwtcheck::hasura::v2::config::is_uri(text);
    let _ = aeson::path_key("$", text);
    let Ok(parsed) = json::parse_first_wins(data) else {
        return;
    };
    let v = &parsed.value;
    let _ = (
        aeson::type_word(v),
        aeson::roles(v),
        aeson::role(v),
        aeson::text(v),
    );
    let _ = aeson::mismatch("x", "String", v);
    let _ = claims::shape(v);
    if let Some(m) = v.as_object() {
        let _ = claims::session(m);
        let _ = claims::sightings(m);
        for (k, member) in m.iter().take(32) {
            let _ = claims::is_session_variable(k);
            let _ = (
                aeson::roles(member),
                aeson::role(member),
                aeson::text(member),
            );
            let _ = claims::shape(member);
        }
    }
});
