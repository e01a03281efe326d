//! The floor under `verify --batch`: how long jwtcheck's signature check alone takes for one
//! RS256 token on one core (aws-lc, the key parsed once, SHA-256 of the signing input
//! included), best of 7 rounds of 5,000. `bench/batch.sh` sets it beside OpenSSL's RSA-2048
//! verify rate to show what is left per token for everything else.
//! `cargo run --release --example verify_floor -- tokens.txt samples/jwks.json`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jwtcheck::jose::crypto::{self, Alg};
use jwtcheck::jose::{base64url, jwk};

fn main() {
    let mut args = std::env::args().skip(1);
    let tokens = std::fs::read_to_string(args.next().expect("a token file")).unwrap();
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(args.next().expect("a JWKS")).unwrap())
            .unwrap();
    let set = jwk::parse_set(&set).unwrap();
    let token = tokens.lines().next().expect("a token").trim();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = base64url::decode(sig).unwrap();
    let key = set
        .keys
        .iter()
        .find(|k| crypto::verify(Alg::Rs(256), k, input.as_bytes(), &sig) == Ok(true))
        .expect("a key of the set verifies the first token");
    let rounds = 5_000;
    let mut best = f64::MAX;
    for _ in 0..7 {
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            let ok = crypto::verify(Alg::Rs(256), key, input.as_bytes(), &sig);
            assert_eq!(std::hint::black_box(ok), Ok(true));
        }
        best = best.min(started.elapsed().as_secs_f64() / f64::from(rounds));
    }
    println!("{:.2}", best * 1e6);
}
