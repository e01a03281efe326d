//! JWK and JWKS documents: parsing, key construction (every algorithm of the key's family,
//! with a fixed message and a signature of the right length), thumbprints, the key-set lints
//! and the engines' own key-set readers.
#![no_main]

use jwtcheck::jose::crypto::{self, Alg};
use jwtcheck::jose::{json, jwk};
use libfuzzer_sys::fuzz_target;

const ALGS: [&str; 12] = [
    "HS256", "HS512", "RS256", "RS512", "PS256", "PS384", "ES256", "ES384", "ES512", "EdDSA",
    "RS384", "HS384",
];

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = json::parse_first_wins(data) else {
        return;
    };
    let doc = &parsed.value;
    let _ = jwtcheck::hasura::v2::jwks::refusal(doc);
    let _ = jwtcheck::hasura::ddn::jwks::refusal(doc);
    if let Some(m) = doc.as_object() {
        let _ = jwtcheck::hasura::v2::jwks::jwk_refusal(m);
    }
    let Ok(set) = jwk::parse_set(doc) else {
        return;
    };
    let _ = set.kids();
    let _ = jwtcheck::lint::keyset::lint(&set, true);
    let _ = jwtcheck::lint::keyset::rows(&set);
    for key in set.keys.iter().take(8) {
        let _ = (key.kty(), key.bits(), key.weakness(), key.crv());
        let _ = key.thumbprint();
        if let Some(public) = key.to_public_jwk() {
            // A key written back out reads back as the same key.
            let again = jwk::parse_key(&public).expect("a key jwtcheck wrote reads back");
            assert_eq!(
                again.material, key.material,
                "the public JWK does not round-trip"
            );
        }
        for name in ALGS {
            let Some(alg) = Alg::parse(name) else {
                continue;
            };
            let sig = vec![0x5a; crypto::signature_len(alg, key).unwrap_or(64).min(1024)];
            let _ = crypto::verify(alg, key, b"eyJhbGciOiJIUzI1NiJ9.e30", &sig);
            let _ = crypto::truncation(alg, &[key], &sig);
            let _ = jwtcheck::hasura::v2::crypton::canonical(alg, key, &sig);
        }
    }
});
