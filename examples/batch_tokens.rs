//! Writes N distinct RS256 id tokens of the sample pool, one per line, for `bench/batch.sh`:
//! `cargo run --release --example batch_tokens -- N > tokens.txt`. Each token has its own
//! `sub`, `jti` and `event_id`, so nothing can be reused from one line to the next. With
//! `FRESH=1` the tokens are issued now and valid for an hour (for `bench/coldstart.sh`, which
//! compares with a tool that has no `--now`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/it/support/sign.rs"]
mod sign;

use std::io::Write;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/id-token.jwt"),
    )
    .expect("samples/id-token.jwt");
    let parts: Vec<&str> = sample.trim().split('.').collect();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = String::from_utf8(b64.decode(parts[0]).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    if std::env::var_os("FRESH").is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        payload["iat"] = now.into();
        payload["auth_time"] = now.into();
        payload["exp"] = (now + 3600).into();
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunks: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (header, payload) = (&header, &payload);
                s.spawn(move || {
                    (t..n)
                        .step_by(threads)
                        .map(|i| {
                            let mut p = payload.clone();
                            p["sub"] = format!("00000000-0000-4000-8000-{i:012}").into();
                            p["jti"] = format!("{i:08x}-1ae2-49f0-8fdf-98005135228d").into();
                            p["event_id"] = format!("{i:08x}-d352-4852-8d69-4d7c2dd385b2").into();
                            sign::sign("RS256", "rsa-pool-id", header, &p.to_string())
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for i in 0..n {
        writeln!(out, "{}", chunks[i % threads][i / threads]).unwrap();
    }
}
