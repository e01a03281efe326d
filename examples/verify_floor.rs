//! The floor under `verify --batch`: how long jwtcheck's signature check alone takes for one
//! RS256 token on one core (aws-lc, the key parsed once, SHA-256 of the signing input
//! included), and how long decoding a token alone takes (`token::parse`: base64url and the
//! strict JSON of header and payload that every check reads), each the best of 7 rounds of
//! 5,000, in microseconds, on one line. `bench/batch.sh` sets them beside OpenSSL's RSA-2048
//! verify rate to show what is left per token for everything else.
//! `cargo run --release --example verify_floor -- tokens.txt samples/jwks.json`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jwtcheck::jose::crypto::{self, Alg};
use jwtcheck::jose::{base64url, jwk, token};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(tokens), Some(jwks)) = (args.next(), args.next()) else {
        eprintln!(
            "usage: verify_floor TOKENS JWKS  (RS256 tokens, one per line; the key set that signed them)"
        );
        std::process::exit(2);
    };
    let tokens = std::fs::read_to_string(tokens).unwrap();
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(jwks).unwrap()).unwrap();
    let set = jwk::parse_set(&set).unwrap();
    let token = tokens.lines().next().expect("a token").trim();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = base64url::decode(sig).unwrap();
    let key = set
        .keys
        .iter()
        .find(|k| crypto::verify(Alg::Rs(256), k, input.as_bytes(), &sig) == Ok(true))
        .expect("a key of the set verifies the first token");
    let signature = best_of_7(|| {
        let ok = crypto::verify(Alg::Rs(256), key, input.as_bytes(), &sig);
        assert_eq!(std::hint::black_box(ok), Ok(true));
    });
    // Distinct tokens, as a batch has them, so no cache or branch history flatters the figure.
    let mut lines = tokens.lines().map(str::trim).cycle();
    let decode = best_of_7(|| {
        let parsed = token::parse(lines.next().unwrap_or(token));
        std::hint::black_box(parsed.unwrap());
    });
    println!("{:.2} {:.2}", signature * 1e6, decode * 1e6);
}

/// Seconds per call of `work`: the best of 7 rounds of 5,000 calls.
fn best_of_7(mut work: impl FnMut()) -> f64 {
    let rounds = 5_000;
    let mut best = f64::MAX;
    for _ in 0..7 {
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            work();
        }
        best = best.min(started.elapsed().as_secs_f64() / f64::from(rounds));
    }
    best
}
