//! Heap allocations per distinct token of `verify --batch`, counted by a counting global
//! allocator (stats_alloc) around the system one: the whole command (reading, chunking, judging, rendering,
//! writing) runs on N and on 2N distinct tokens, one job, and the difference in allocations is
//! divided by N, so what a run does once (the key set, the configuration, the threads) drops
//! out. Prints allocations and bytes allocated per token, text then `--json`.
//! `cargo run --release --example batch_allocs -- tokens.txt samples/jwks.json`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use clap::Parser as _;
use jwtcheck::cli::Cli;
use jwtcheck::commands;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(tokens), Some(jwks)) = (args.next(), args.next()) else {
        eprintln!(
            "usage: batch_allocs TOKENS JWKS  (distinct tokens, one per line; their key set)"
        );
        std::process::exit(2);
    };
    let all = std::fs::read_to_string(tokens).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    let n = (lines.len() / 2).min(20_000);
    assert!(n >= 1000, "at least 2,000 distinct tokens");
    let dir = std::env::temp_dir().join(format!("jwtcheck-allocs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for json in [false, true] {
        let one = count(&dir, &lines[..n], &jwks, json);
        let two = count(&dir, &lines[..2 * n], &jwks, json);
        let per = |a: u64, b: u64| (b - a) as f64 / n as f64;
        println!(
            "{} {:.1} {:.0}",
            if json { "json" } else { "text" },
            per(one.0, two.0),
            per(one.1, two.1)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Allocations and bytes of one `verify --batch` run over `lines`.
fn count(dir: &std::path::Path, lines: &[&str], jwks: &str, json: bool) -> (u64, u64) {
    let file = dir.join("tokens.txt");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let mut argv = vec![
        "jwtcheck",
        "verify",
        "--batch",
        file.to_str().unwrap(),
        "--jwks",
        jwks,
        "--now",
        "2026-11-24T09:30:00Z",
        "--jobs",
        "1",
    ];
    if json {
        argv.push("--json");
    }
    let cli = Cli::try_parse_from(argv).unwrap();
    let mut sink = std::io::sink();
    let region = Region::new(GLOBAL);
    let outcome = commands::run(&cli, &mut std::io::empty(), &mut sink, 0.0);
    let stats = region.change();
    let counted = (
        (stats.allocations + stats.reallocations) as u64,
        (stats.bytes_allocated + stats.bytes_reallocated.max(0) as usize) as u64,
    );
    assert_eq!(outcome.exit_code(), 0, "every token valid");
    counted
}
