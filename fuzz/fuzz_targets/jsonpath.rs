//! The engine's JSONPath subset: parsing, evaluating (input: `path '\n' JSON document`), the
//! forms jwtcheck proposes, repairs, and the translation to a DDN JSON pointer.
#![no_main]

use jwtcheck::hasura::jsonpath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let (path, doc) = jwtcheck_fuzz::two(text);
    let _ = jsonpath::repair(path);
    let _ = jwtcheck::hasura::jsonpath::to_pointer(path);
    let _ = jwtcheck::hasura::ddn::config::pointer_problem(path);
    let value = jwtcheck::jose::json::parse_first_wins(doc.as_bytes())
        .map(|p| p.value)
        .unwrap_or(serde_json::Value::Null);
    if let Some(name) = path.strip_prefix('@') {
        let _ = jsonpath::locate(name, &value);
    }
    let Ok(parsed) = jsonpath::parse(path) else {
        return;
    };
    let found = parsed.eval(&value);
    let _ = parsed.encode();
    // What jwtcheck tells a user to write must read back as the same path.
    let proposal = parsed.proposal();
    let again = jsonpath::parse(&proposal)
        .unwrap_or_else(|e| panic!("proposal {proposal:?} of {path:?} does not parse: {e}"));
    assert_eq!(
        again, parsed,
        "proposal {proposal:?} of {path:?} reads differently"
    );
    assert_eq!(again.eval(&value), found);
});
