//! The compact JWS: splitting, strict base64url, strict JSON with duplicate detection (built, and
//! scanned for the registered claims), and
//! Hasura's own decoder (jose's order of errors).
#![no_main]

use jwtcheck::jose::{base64url, claimset, json, token};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // JSON straight from the bytes (both ways of resolving duplicates).
    let last = json::parse(data);
    let first = json::parse_first_wins(data);
    assert_eq!(
        last.is_ok(),
        first.is_ok(),
        "the two readers disagree on syntax"
    );
    // The claims scan checks exactly what the parse checks, and keeps what it keeps.
    match (json::scan(data, claimset::REGISTERED), &last) {
        (Ok(scan), Ok(parsed)) => {
            assert_eq!(scan.kind, json::type_name(&parsed.value), "the scan's type");
            assert_eq!(scan.duplicates, parsed.duplicates, "the scan's duplicates");
            if let Some(object) = parsed.value.as_object() {
                for name in claimset::REGISTERED {
                    let kept = scan.picked.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                    assert_eq!(kept, object.get(*name), "the scan's {name}");
                }
            }
        }
        (Err(scan), Err(parse)) => assert_eq!(&scan, parse, "the scan's error"),
        (scan, parse) => panic!("the scan ({scan:?}) and the parse ({parse:?}) disagree"),
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Strict base64url: whatever decodes re-encodes to the same text.
    if let Ok(bytes) = base64url::decode(text) {
        assert_eq!(
            base64url::encode(&bytes),
            text,
            "base64url does not round-trip"
        );
    }
    let _ = base64url::decode_ignoring_spare_bits(text);
    if let Ok(jws) = token::parse(text) {
        // The parts re-assemble into the token.
        assert_eq!(
            format!("{}.{}", jws.signing_input(), jws.signature_b64()),
            text
        );
        assert_eq!(base64url::encode(&jws.signature), jws.signature_b64());
        let _ = (jws.alg(), jws.kid(), jws.claims());
        let _ = jwtcheck::inspect::token_info(&jws, jwtcheck_fuzz::NOW);
        let _ = jwtcheck::inspect::decode_checks(&jws, jwtcheck_fuzz::NOW);
        let _ = jwtcheck::inspect::lint_checks(&jws);
        let _ = jwtcheck::inspect::hasura_default(&jws);
    } else if let Err(e) = token::parse(text) {
        let _ = (e.id(), e.hint(), e.to_string());
    }
    let _ = jwtcheck::hasura::v2::hsjose::decode(text);
    let _ = jwtcheck::hasura::v2::hsjose::issuer_of(text);
});
