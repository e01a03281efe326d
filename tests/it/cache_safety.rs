//! The key cache is safe against what a hostile server or a hostile local user can put there:
//! caching headers that are not numbers, entries that are huge, links, FIFOs or devices, and
//! links planted where jwtcheck writes. Every case ends as a cache miss (a refetch), promptly.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::*;

const SAMPLE_NOW: &str = "2026-11-24T09:30:00Z";

fn verify(url: &str, cache: &tempfile::TempDir) -> (i32, serde_json::Value) {
    run_json(&mut jwtcheck_cached(
        cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            url,
            "--now",
            SAMPLE_NOW,
        ],
    ))
}

/// The one cache entry file in `cache`.
fn entry_file(cache: &tempfile::TempDir) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

fn entry(cache: &tempfile::TempDir) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(entry_file(cache)).unwrap()).unwrap()
}

#[test]
fn an_age_that_is_not_delta_seconds_is_ignored() {
    for age in ["NaN", "-100000"] {
        let s = Server::start();
        serve_json(
            &s,
            "/jwks.json",
            &sample_jwks(),
            &[("Cache-Control", "max-age=60"), ("Age", age)],
        );
        let cache = cache_dir();
        let (code, r) = verify(&s.url("/jwks.json"), &cache);
        assert_eq!(code, 0, "{age}: {r:#}");
        let e = entry(&cache);
        let life = e["fresh_until"].as_f64().unwrap() - e["fetched_at"].as_f64().unwrap();
        assert!(
            (life - 60.0).abs() < 1e-6,
            "{age}: fresh for {life}s, not max-age"
        );
        // The entry is read back: no second request.
        let (code, _) = verify(&s.url("/jwks.json"), &cache);
        assert_eq!(code, 0);
        assert_eq!(s.hits("/jwks.json"), 1, "{age}");
    }
}

/// Puts something at a path.
type Maker = Box<dyn Fn(&PathBuf)>;

#[cfg(unix)]
#[test]
fn entries_that_are_not_small_regular_files_are_misses() {
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let url = s.url("/jwks.json");
    let cache = cache_dir();
    assert_eq!(verify(&url, &cache).0, 0);
    let path = entry_file(&cache);
    let mut hits = 1;
    let replace = |make: &dyn Fn(&PathBuf)| {
        std::fs::remove_file(&path).unwrap();
        make(&path);
    };
    // A huge entry, a link to a device that never ends, a FIFO nobody writes to.
    let cases: Vec<(&str, Maker)> = vec![
        (
            "huge",
            Box::new(|p: &PathBuf| {
                let f = std::fs::File::create(p).unwrap();
                f.set_len(64 * 1024 * 1024).unwrap();
            }),
        ),
        (
            "symlink to /dev/zero",
            Box::new(|p: &PathBuf| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
        ),
        (
            "fifo",
            Box::new(|p: &PathBuf| {
                let status = std::process::Command::new("mkfifo")
                    .arg(p)
                    .status()
                    .unwrap();
                assert!(status.success());
            }),
        ),
    ];
    for (what, make) in cases {
        replace(&*make);
        let started = Instant::now();
        let (code, r) = verify(&url, &cache);
        assert_eq!(code, 0, "{what}: {r:#}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what}: took {:?}",
            started.elapsed()
        );
        hits += 1;
        assert_eq!(s.hits("/jwks.json"), hits, "{what}: a miss, so one fetch");
        let _ = std::fs::remove_file(&path);
        assert_eq!(verify(&url, &cache).0, 0);
        hits += 1;
    }
}

#[cfg(unix)]
#[test]
fn a_link_where_the_entry_goes_is_replaced_not_followed_and_entries_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let s = Server::start();
    serve_json(
        &s,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=0")],
    );
    let url = s.url("/jwks.json");
    let cache = cache_dir();
    assert_eq!(verify(&url, &cache).0, 0);
    let path = entry_file(&cache);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "entries are readable by their owner only");
    // Someone plants a link at the entry's name, pointing at a file of theirs.
    let victim = cache.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&victim, &path).unwrap();
    assert_eq!(verify(&url, &cache).0, 0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        !std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
