//! The network fault matrix: one test per way a key set or discovery server (or the cache in
//! front of it) can fail, each against a real server on 127.0.0.1 started by the test
//! (wiremock, or a raw socket for what wiremock cannot do: never answering, trickling,
//! endless bodies). Every row ends with the documented exit code, within `--timeout` plus a
//! small margin, inside a bounded address space, with a first line that says what happened and
//! no half-written cache entry.
//!
//! Rows covered elsewhere, not repeated here: a huge cache entry, one that is a link to
//! /dev/zero or a FIFO, and a link planted where an entry is written (tests/it/cache_safety.rs);
//! three redirects followed and a fourth refused (tests/it/fetch.rs).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

/// `--timeout` for the rows about time (never answered, trickled).
const SHORT: u64 = 1;
/// `--timeout` for the other rows: their answer is prompt, and a busy machine must not turn it
/// into a timeout.
const TIMEOUT: u64 = 5;
/// What a run may take beyond `--timeout`: process start, a debug build, a busy machine.
const MARGIN: Duration = Duration::from_secs(3);
/// The address space a run gets (`prlimit --as`): a run that buffered a 50 MB body twice, or
/// inflated a gzip bomb, would not fit.
const MEMORY: u64 = 512 * 1024 * 1024;
/// How long a raw server keeps a connection at most (it stops by itself).
const SERVER_LIFE: Duration = Duration::from_secs(20);

/// What one run of a row showed.
struct Run {
    code: i32,
    report: serde_json::Value,
    first_line: String,
    elapsed: Duration,
}

/// Runs `verify` of the sample id token with `key_args`, the cache in `cache`, twice (JSON,
/// then text for the first line), inside the memory bound; checks the time bound each time.
fn verify_with(cache: &Path, key_args: &[&str]) -> Run {
    verify_within(cache, key_args, TIMEOUT)
}

/// [`verify_with`] with `--timeout SECS`.
fn verify_within(cache: &Path, key_args: &[&str], timeout: u64) -> Run {
    let mut args = vec![
        "verify".to_string(),
        at_sample("id-token.jwt"),
        "--now".into(),
        SAMPLE_NOW.into(),
        "--timeout".into(),
        timeout.to_string(),
        "--cache-dir".into(),
        cache.display().to_string(),
    ];
    args.extend(key_args.iter().map(|a| a.to_string()));
    let started = Instant::now();
    let (code, report) = run_json(jwtcheck_within(MEMORY).args(&args));
    let elapsed = started.elapsed();
    let (text_code, out, err) = run(jwtcheck_within(MEMORY).args(&args));
    assert_eq!(code, text_code, "{out}{err}");
    let limit = Duration::from_secs(timeout) + MARGIN;
    assert!(elapsed < limit, "{key_args:?} took {elapsed:?}: {report:#}");
    Run {
        code,
        report,
        first_line: first_line(&out).to_string(),
        elapsed,
    }
}

/// The key set URL, then OIDC discovery at `base` (whose document the server answers the same
/// way): the fault must read the same through both.
fn both_sources(base: &str) -> [(String, Vec<String>); 2] {
    [
        (
            "key set".into(),
            vec!["--jwks".into(), format!("{base}/jwks.json")],
        ),
        (
            "discovery".into(),
            vec!["--issuer".into(), format!("{base}/issuer")],
        ),
    ]
}

/// Asserts a row: exit 3, this error id, a first line that says UNDECIDABLE and `words`, and
/// no cache entry at all (nothing good arrived). Returns the runs.
fn undecidable(base: &str, id: &str, words: &str) -> Vec<Run> {
    undecidable_within(base, id, words, TIMEOUT)
}

/// [`undecidable`] with `--timeout SECS`.
fn undecidable_within(base: &str, id: &str, words: &str, timeout: u64) -> Vec<Run> {
    let mut runs = Vec::new();
    for (what, args) in both_sources(base) {
        let cache = cache_dir();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = verify_within(cache.path(), &args, timeout);
        assert_eq!(r.code, 3, "{what}: {:#}", r.report);
        assert_eq!(r.report["verdict"], "undecidable", "{what}");
        assert_eq!(r.report["error"]["id"], id, "{what}: {:#}", r.report);
        assert!(
            r.first_line.starts_with("UNDECIDABLE") && r.first_line.contains(words),
            "{what}: first line {:?} should say {words:?}",
            r.first_line
        );
        assert_eq!(entries(cache.path()), 0, "{what}: nothing is cached");
        assert_no_partial_entry(cache.path());
        runs.push(r);
    }
    runs
}

/// Cache entries (`*.json`) in a folder.
fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
            })
            .count()
        })
        .unwrap_or(0)
}

/// No temporary file is left behind, and every entry is a whole JSON document.
fn assert_no_partial_entry(dir: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for e in read {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains(".tmp-"), "a temporary file was left: {name}");
        if name.ends_with(".json") && std::fs::symlink_metadata(&p).unwrap().is_file() {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} is not a whole entry ({e}): {text}"));
            assert!(v["url"].is_string() && v["body"].is_string(), "{name}: {v}");
        }
    }
}

/// A server on a raw socket: every connection's request is read, recorded, then `answer`
/// writes whatever it likes. Connections are handled one thread each; the server stops
/// accepting after [`SERVER_LIFE`].
struct Raw {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Raw {
    fn start(answer: impl Fn(&mut TcpStream) + Send + Sync + 'static) -> Raw {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            let until = Instant::now() + SERVER_LIFE;
            while Instant::now() < until {
                match listener.accept() {
                    Ok((mut conn, _)) => {
                        let (answer, seen) = (Arc::clone(&answer), Arc::clone(&seen));
                        std::thread::spawn(move || {
                            conn.set_nonblocking(false).unwrap();
                            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                            conn.set_write_timeout(Some(Duration::from_secs(5)))
                                .unwrap();
                            seen.lock().unwrap().push(read_request(&mut conn));
                            answer(&mut conn);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Raw { base, requests }
    }
}

/// The request head (up to the blank line).
fn read_request(conn: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Writes `chunk` again and again until the client goes away or the server's life ends.
fn write_until_closed(conn: &mut TcpStream, chunk: &[u8], pause: Duration, limit: usize) {
    let until = Instant::now() + SERVER_LIFE;
    let mut sent = 0;
    while Instant::now() < until && sent < limit {
        if conn.write_all(chunk).and_then(|()| conn.flush()).is_err() {
            return;
        }
        sent += chunk.len();
        std::thread::sleep(pause);
    }
}

/// A row that ends in `--timeout` (1 s): not sooner, not much later.
fn times_out(base: &str) {
    for r in undecidable_within(base, "fetch.timeout", "did not answer within 1s", SHORT) {
        assert!(r.elapsed >= Duration::from_secs(SHORT), "{:?}", r.elapsed);
    }
}

#[test]
fn connection_refused() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    undecidable(
        &format!("http://127.0.0.1:{port}"),
        "fetch.connect",
        "cannot connect",
    );
}

#[test]
fn accepted_but_never_answered() {
    let server = Raw::start(|conn| {
        // Hold the connection open, saying nothing, until the client gives up.
        let mut buf = [0u8; 64];
        let until = Instant::now() + SERVER_LIFE;
        while Instant::now() < until && !matches!(conn.read(&mut buf), Ok(0)) {}
    });
    times_out(&server.base);
}

#[test]
fn one_byte_per_second_past_the_timeout() {
    let server = Raw::start(|conn| {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n";
        if conn.write_all(head.as_bytes()).is_ok() {
            write_until_closed(conn, b" ", Duration::from_secs(1), 4096);
        }
    });
    times_out(&server.base);
}

#[test]
fn not_found_404() {
    let server = Server::start();
    server.mount(Mock::given(path("/jwks.json")).respond_with(ResponseTemplate::new(404)));
    server.mount(
        Mock::given(path("/issuer/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(404)),
    );
    let runs = undecidable(&server.mock.uri(), "fetch.status", "answered HTTP 404");
    assert!(
        runs[0].report["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("check the path")
    );
}

#[test]
fn server_error_500() {
    let server = Server::start();
    server.mount(Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(500)));
    undecidable(&server.mock.uri(), "fetch.status", "answered HTTP 500");
}

#[test]
fn unavailable_503_with_retry_after() {
    let server = Server::start();
    server.mount(
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "120")),
    );
    let runs = undecidable(
        &server.mock.uri(),
        "fetch.status",
        "answered HTTP 503 (Retry-After: 120)",
    );
    let hint = runs[0].report["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("retry after 120"), "{hint}");
    assert_eq!(
        server.hits("/jwks.json"),
        2,
        "no retry loop: one request per run (JSON and text)"
    );
}

#[test]
fn ok_with_html() {
    let server = Server::start();
    server.mount(Mock::given(wiremock::matchers::any()).respond_with(
        ResponseTemplate::new(200).set_body_raw("<!doctype html><h1>Sign in</h1>", "text/html"),
    ));
    undecidable(
        &server.mock.uri(),
        "fetch.invalid_json",
        "did not send JSON",
    );
}

#[test]
fn ok_with_invalid_json() {
    let server = Server::start();
    server.mount(Mock::given(wiremock::matchers::any()).respond_with(
        ResponseTemplate::new(200).set_body_raw(r#"{"keys":[{"kty":"RSA",}]"#, "application/json"),
    ));
    let runs = undecidable(
        &server.mock.uri(),
        "fetch.invalid_json",
        "did not send JSON",
    );
    assert!(
        runs[0].first_line.contains("column"),
        "says where: {}",
        runs[0].first_line
    );
}

#[test]
fn ok_with_a_50_mb_body() {
    let server = Raw::start(|conn| {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n";
        if conn.write_all(head.as_bytes()).is_ok() {
            write_until_closed(conn, &[b' '; 64 * 1024], Duration::ZERO, 50 << 20);
        }
    });
    undecidable(
        &server.base,
        "fetch.too_large",
        "sent more than 1048576 bytes",
    );
}

#[test]
fn an_endless_chunked_body() {
    let server = Raw::start(|conn| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        let mut chunk = b"10000\r\n".to_vec();
        chunk.extend_from_slice(&[b' '; 0x10000]);
        chunk.extend_from_slice(b"\r\n");
        if conn.write_all(head.as_bytes()).is_ok() {
            write_until_closed(conn, &chunk, Duration::ZERO, usize::MAX);
        }
    });
    undecidable(
        &server.base,
        "fetch.too_large",
        "sent more than 1048576 bytes",
    );
}

/// A gzip member of `count` × 258 zero bytes (fixed-Huffman deflate: a literal 0, then
/// <length 258, distance 1> repeated): about 13 bits per 258 bytes.
fn gzip_bomb(count: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, len: u32) {
            self.acc |= value << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(reversed, len);
        }
    }
    let mut bits = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255],
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    for _ in 0..count {
        bits.code(0b1100_0101, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    // The trailer's CRC is not computed (jwtcheck never inflates); the size is what it claims.
    bits.out.extend_from_slice(&[0, 0, 0, 0]);
    let size = (count as u64 * 258 + 1) as u32;
    bits.out.extend_from_slice(&size.to_le_bytes());
    bits.out
}

#[test]
fn a_gzip_bomb() {
    // 10 MB on the wire that would inflate to about 1.6 GB (fixed Huffman codes cap the ratio
    // at ~160:1; a dynamic-code bomb reaches 10 GB): jwtcheck neither asks for nor inflates
    // gzip, so what counts is the 10 MB on the wire, over the 1 MiB cap.
    let bomb = Arc::new(gzip_bomb(6_200_000));
    assert!(bomb.len() > 10_000_000, "{}", bomb.len());
    let body = Arc::clone(&bomb);
    let server = Raw::start(move |conn| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if conn.write_all(head.as_bytes()).is_ok() {
            for chunk in body.chunks(64 * 1024) {
                if conn.write_all(chunk).is_err() {
                    return;
                }
            }
        }
    });
    undecidable(
        &server.base,
        "fetch.too_large",
        "sent more than 1048576 bytes",
    );
    let requests = server.requests.lock().unwrap();
    assert!(!requests.is_empty());
    for r in requests.iter() {
        assert!(
            !r.to_ascii_lowercase().contains("accept-encoding: gzip"),
            "jwtcheck does not ask for gzip: {r}"
        );
    }
}

#[test]
fn a_redirect_loop() {
    let server = Server::start();
    server.mount(
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(302).insert_header("Location", "/jwks.json")),
    );
    undecidable(&server.mock.uri(), "fetch.redirect", "redirect refused");
}

#[test]
fn a_redirect_to_plain_http_on_another_host() {
    let server = Server::start();
    server.mount(Mock::given(wiremock::matchers::any()).respond_with(
        ResponseTemplate::new(302).insert_header("Location", "http://keys.example.com/jwks.json"),
    ));
    undecidable(&server.mock.uri(), "fetch.redirect", "is not https");
}

#[test]
fn a_redirect_to_a_file_url() {
    let server = Server::start();
    server.mount(
        Mock::given(wiremock::matchers::any()).respond_with(
            ResponseTemplate::new(302).insert_header("Location", "file:///etc/passwd"),
        ),
    );
    undecidable(&server.mock.uri(), "fetch.redirect", "is not https");
}

#[test]
fn a_key_set_with_no_usable_key() {
    let server = Server::start();
    serve_discovery(&server, "/issuer", "/jwks.json");
    let unusable = json!({"keys": [
        {"kty": "RSA", "kid": "a", "n": "AA", "e": "AQAB"},
        {"kty": "EC", "kid": "b", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "XYZ", "kid": "c"},
        "not a key"
    ]});
    serve_json(&server, "/jwks.json", &unusable, &[]);
    for (what, args) in both_sources(&server.mock.uri()) {
        let cache = cache_dir();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = verify_with(cache.path(), &args);
        assert_eq!(r.code, 3, "{what}: {:#}", r.report);
        assert_eq!(r.report["error"]["id"], "keys.unusable", "{what}");
        assert!(r.first_line.starts_with("UNDECIDABLE"), "{}", r.first_line);
        assert!(r.first_line.contains("can be used"), "{}", r.first_line);
        assert_no_partial_entry(cache.path());
    }
}

#[test]
fn a_304_with_nothing_cached() {
    let server = Server::start();
    server.mount(
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(304).insert_header("ETag", "\"v1\"")),
    );
    let runs = undecidable(&server.mock.uri(), "fetch.status", "answered HTTP 304");
    let hint = runs[0].report["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("nothing cached"), "{hint}");
}

/// A server with the sample key set (fresh for an hour), the cache filled once, and the path of
/// its entry.
fn cached_sample() -> (Server, tempfile::TempDir, std::path::PathBuf) {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let cache = cache_dir();
    let r = verify_with(cache.path(), &["--jwks", &server.url("/jwks.json")]);
    assert_eq!(r.code, 0, "{:#}", r.report);
    let entry = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    (server, cache, entry)
}

/// With a damaged entry: a normal run refetches (exit 0, a whole new entry), and an
/// `--offline` run says nothing usable is cached (exit 3).
fn damaged_entry_is_a_miss(damage: impl Fn(&Path)) {
    let (server, cache, entry) = cached_sample();
    let url = server.url("/jwks.json");
    damage(&entry);
    let r = verify_with(cache.path(), &["--jwks", &url, "--offline"]);
    assert_eq!(r.code, 3, "{:#}", r.report);
    assert_eq!(r.report["error"]["id"], "cache.offline_miss");
    assert!(r.first_line.starts_with("UNDECIDABLE"), "{}", r.first_line);
    let r = verify_with(cache.path(), &["--jwks", &url]);
    assert_eq!(r.code, 0, "{:#}", r.report);
    assert_eq!(r.report["key"]["fetched"], "network, just now");
    assert_no_partial_entry(cache.path());
    assert_eq!(entries(cache.path()), 1);
    assert!(std::fs::symlink_metadata(&entry).unwrap().is_file());
}

#[test]
fn a_corrupt_cache_entry() {
    damaged_entry_is_a_miss(|p| std::fs::write(p, b"\x00\xff{{not json").unwrap());
}

#[test]
fn a_truncated_cache_entry() {
    damaged_entry_is_a_miss(|p| {
        let text = std::fs::read(p).unwrap();
        std::fs::write(p, &text[..text.len() / 2]).unwrap();
    });
}

#[test]
fn a_cache_entry_with_a_body_that_is_not_json() {
    damaged_entry_is_a_miss(|p| {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        v["body"] = json!("{\"keys\": [");
        std::fs::write(p, v.to_string()).unwrap();
    });
}

#[cfg(unix)]
#[test]
fn a_cache_entry_that_is_a_link_to_another_file() {
    // The link points at a whole, valid entry elsewhere: it is still not trusted (someone else
    // chose its contents), and the refetched entry replaces the link, not the file.
    let elsewhere = cache_dir();
    let target = elsewhere.path().join("planted.json");
    damaged_entry_is_a_miss(|p| {
        std::fs::copy(p, &target).unwrap();
        std::fs::remove_file(p).unwrap();
        std::os::unix::fs::symlink(&target, p).unwrap();
    });
    let planted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert!(planted["url"].is_string(), "the planted file is untouched");
}

#[test]
fn a_cache_folder_that_cannot_be_written() {
    // A folder under a regular file cannot be made, whoever runs the test (root included).
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let parent = cache_dir();
    let blocker = parent.path().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    let dir = blocker.join("cache");
    for _ in 0..2 {
        let r = verify_with(&dir, &["--jwks", &server.url("/jwks.json")]);
        assert_eq!(r.code, 0, "the keys still arrive: {:#}", r.report);
        assert!(r.first_line.starts_with("VALID"), "{}", r.first_line);
    }
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");
    assert_eq!(
        std::fs::read_dir(parent.path()).unwrap().count(),
        1,
        "nothing was written beside it"
    );
    #[cfg(unix)]
    {
        // A read-only folder: refused for an ordinary user; root writes anyway. Either way
        // the run succeeds and leaves no temporary file.
        use std::os::unix::fs::PermissionsExt;
        let ro = cache_dir();
        std::fs::set_permissions(ro.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let r = verify_with(ro.path(), &["--jwks", &server.url("/jwks.json")]);
        assert_eq!(r.code, 0, "{:#}", r.report);
        assert_no_partial_entry(ro.path());
        std::fs::set_permissions(ro.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
