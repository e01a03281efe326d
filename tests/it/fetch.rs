//! Fetching keys from a real HTTP server on 127.0.0.1 started by each test: key sets,
//! discovery, the cache, Cache-Control, kid-miss refetch, and every way a fetch fails.

use std::io::{Read, Write};
use std::time::Duration;

use crate::support::*;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn verify_sample(jwks_url: &str, cache: &tempfile::TempDir) -> (i32, serde_json::Value) {
    run_json(&mut jwtcheck_cached(
        cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            jwks_url,
            "--now",
            SAMPLE_NOW,
        ],
    ))
}

#[test]
fn jwks_url_verifies_and_a_second_run_uses_the_cache() {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "public, max-age=3600")],
    );
    let cache = cache_dir();
    let (code, r) = verify_sample(&server.url("/jwks.json"), &cache);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["key"]["fetched"], "network, just now");
    assert_eq!(server.hits("/jwks.json"), 1);
    let (code, r) = verify_sample(&server.url("/jwks.json"), &cache);
    assert_eq!(code, 0);
    assert_eq!(
        server.hits("/jwks.json"),
        1,
        "a fresh cache makes zero requests"
    );
    let fetched = r["key"]["fetched"].as_str().unwrap();
    assert!(
        fetched.starts_with("cache, fetched 0s ago, fresh for 1h"),
        "{fetched}"
    );
}

#[test]
fn no_store_is_never_cached_and_no_cache_revalidates_with_the_etag() {
    let server = Server::start();
    serve_json(
        &server,
        "/nostore",
        &sample_jwks(),
        &[("Cache-Control", "no-store")],
    );
    let cache = cache_dir();
    verify_sample(&server.url("/nostore"), &cache);
    verify_sample(&server.url("/nostore"), &cache);
    assert_eq!(server.hits("/nostore"), 2);

    server.mount(
        Mock::given(method("GET"))
            .and(path("/nocache"))
            .and(header("If-None-Match", "\"v1\""))
            .respond_with(ResponseTemplate::new(304).insert_header("ETag", "\"v1\"")),
    );
    serve_json(
        &server,
        "/nocache",
        &sample_jwks(),
        &[("Cache-Control", "no-cache"), ("ETag", "\"v1\"")],
    );
    let (code, _) = verify_sample(&server.url("/nocache"), &cache);
    assert_eq!(code, 0);
    let (code, r) = verify_sample(&server.url("/nocache"), &cache);
    assert_eq!(code, 0);
    let requests = server.requests("/nocache");
    assert_eq!(requests.len(), 2);
    assert!(
        requests[1].headers.get("if-none-match").is_some(),
        "the second request is conditional"
    );
    assert!(
        r["key"]["fetched"]
            .as_str()
            .unwrap()
            .contains("confirmed unchanged")
    );
}

#[test]
fn expires_in_the_past_means_refetch_and_refresh_always_fetches() {
    let server = Server::start();
    serve_json(
        &server,
        "/expired",
        &sample_jwks(),
        &[
            ("Expires", "Thu, 01 Jan 1970 00:00:00 GMT"),
            ("Date", "Tue, 24 Nov 2026 09:00:00 GMT"),
        ],
    );
    let cache = cache_dir();
    verify_sample(&server.url("/expired"), &cache);
    verify_sample(&server.url("/expired"), &cache);
    assert_eq!(server.hits("/expired"), 2);

    serve_json(
        &server,
        "/fresh",
        &sample_jwks(),
        &[("Cache-Control", "max-age=600")],
    );
    verify_sample(&server.url("/fresh"), &cache);
    run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            &server.url("/fresh"),
            "--now",
            SAMPLE_NOW,
            "--refresh",
        ],
    ));
    assert_eq!(server.hits("/fresh"), 2);
}

#[test]
fn offline_uses_the_cache_or_fails_with_exit_3() {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=1")],
    );
    let cache = cache_dir();
    let offline = |cache: &tempfile::TempDir| {
        run_json(&mut jwtcheck_cached(
            cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--jwks",
                &server.url("/jwks.json"),
                "--now",
                SAMPLE_NOW,
                "--offline",
            ],
        ))
    };
    let (code, r) = offline(&cache);
    assert_eq!(code, 3);
    assert_eq!(r["verdict"], "undecidable");
    assert_eq!(server.hits("/jwks.json"), 0);
    verify_sample(&server.url("/jwks.json"), &cache);
    std::thread::sleep(Duration::from_millis(1100));
    let (code, r) = offline(&cache);
    assert_eq!(code, 0, "a stale entry still serves --offline: {r:#}");
    assert!(r["key"]["fetched"].as_str().unwrap().contains("stale"));
    assert_eq!(server.hits("/jwks.json"), 1);
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let cache = cache_dir();
    for _ in 0..2 {
        let (code, _) = run_json(&mut jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--jwks",
                &server.url("/jwks.json"),
                "--now",
                SAMPLE_NOW,
                "--no-cache",
            ],
        ));
        assert_eq!(code, 0);
    }
    assert_eq!(server.hits("/jwks.json"), 2);
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn a_kid_miss_against_the_cache_refetches_once() {
    let server = Server::start();
    let mut only_access = sample_jwks();
    only_access["keys"].as_array_mut().unwrap().remove(0);
    // First the pool serves only its access-token key; after "rotation" both keys.
    server.mount(
        Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(only_access.to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=3600"),
            )
            .up_to_n_times(1),
    );
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
    let cache = cache_dir();
    let (code, _) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("access-token.jwt"),
            "--jwks",
            &server.url("/jwks.json"),
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 0);
    assert_eq!(server.hits("/jwks.json"), 1);
    let (code, r) = verify_sample(&server.url("/jwks.json"), &cache);
    assert_eq!(code, 0, "the id key appeared after a refetch: {r:#}");
    assert_eq!(server.hits("/jwks.json"), 2);
    // A kid that is nowhere: one refetch, then a clear failure.
    let other = crate::support::sign::sign(
        "RS256",
        "rsa-other",
        r#"{"alg":"RS256","kid":"nowhere"}"#,
        r#"{"exp":4102444800}"#,
    );
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["verify", &other, "--jwks", &server.url("/jwks.json")],
    ));
    assert_eq!(code, 1);
    assert!(failed(&r, "key"), "{r:#}");
    assert_eq!(server.hits("/jwks.json"), 3);
}

/// Under a Hasura v2 configuration, as without one: when the key set must be fetched again for
/// a kid the cached set lacks and that fetch fails, the run says so (exit 3) instead of judging
/// the token with the stale set as if nothing had been tried.
#[test]
fn a_failed_refetch_after_a_kid_miss_is_said_under_hasura_too() {
    let server = Server::start();
    let mut only_access = sample_jwks();
    only_access["keys"].as_array_mut().unwrap().remove(0);
    server.mount(
        Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(only_access.to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=3600"),
            )
            .up_to_n_times(1),
    );
    server.mount(
        Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(ResponseTemplate::new(503)),
    );
    let cache = cache_dir();
    let url = server.url("/jwks.json");
    let hasura = |token: &str| {
        run_json(&mut jwtcheck_cached(
            &cache,
            &[
                "verify",
                token,
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
                "--jwks",
                &url,
                "--now",
                SAMPLE_NOW,
            ],
        ))
    };
    let (code, _) = hasura(&at_sample("access-token.jwt"));
    assert_eq!(server.hits("/jwks.json"), 1);
    assert_ne!(code, 3, "the access token's key is in the first set");
    let (code, r) = hasura(&at_sample("id-token.jwt"));
    assert_eq!(
        server.hits("/jwks.json"),
        2,
        "one refetch for the unknown kid"
    );
    assert_eq!(code, 3, "{r:#}");
    assert!(failed(&r, "key"), "{r:#}");
    assert!(r["summary"].as_str().unwrap().contains("503"), "{r:#}");
}

/// Key set documents that are not usable key sets. Transport and HTTP faults (refused, silent,
/// slow, 4xx/5xx, HTML, huge and endless bodies, redirects) are rows of tests/it/faults.rs.
#[test]
fn documents_that_are_not_key_sets_exit_3_with_their_own_ids() {
    let server = Server::start();
    serve_json(&server, "/empty", &json!({"keys": []}), &[]);
    serve_json(&server, "/notjwks", &json!({"hello": 1}), &[]);
    server.mount(
        Mock::given(path("/moved"))
            .respond_with(ResponseTemplate::new(301).insert_header("Location", "/jwks.json")),
    );
    serve_json(&server, "/jwks.json", &sample_jwks(), &[]);
    let cases = [("/empty", "keys.empty"), ("/notjwks", "keys.not_jwks")];
    for (p, id) in cases {
        let cache = cache_dir();
        let (code, r) = run_json(&mut jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--jwks",
                &server.url(p),
                "--timeout",
                "1",
            ],
        ));
        assert_eq!(code, 3, "{p}: {r:#}");
        assert_eq!(r["error"]["id"], id, "{p}");
        assert_eq!(r["verdict"], "undecidable");
        assert!(
            r["token"]["header"]["kid"].is_string(),
            "the token is still shown"
        );
    }
    let cache = cache_dir();
    let (code, _) = verify_sample(&server.url("/moved"), &cache);
    assert_eq!(
        code, 0,
        "a redirect to the same loopback server is followed"
    );
}

#[test]
fn insecure_urls_are_refused_before_any_connection() {
    let cache = cache_dir();
    let (code, r) = verify_sample("http://example.com/jwks.json", &cache);
    assert_eq!(
        code, 2,
        "plain http beyond loopback is refused before any connection"
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("https only")
    );
}

#[test]
fn https_proxy_is_used_for_https_urls() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let proxy = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 1024];
        let n = conn.read(&mut buf).unwrap_or(0);
        let _ = conn.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    });
    let cache = cache_dir();
    let url = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}/.well-known/jwks.json");
    let (code, _) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--jwks",
                &url,
                "--timeout",
                "3",
            ],
        )
        .env("HTTPS_PROXY", format!("http://{addr}")),
    );
    assert_eq!(code, 3);
    let request = proxy.join().unwrap();
    assert!(
        request.starts_with("CONNECT cognito-idp.us-east-1.amazonaws.com:443"),
        "{request}"
    );
}

#[test]
fn oidc_discovery_from_issuer() {
    let server = Server::start();
    let issuer = serve_discovery(&server, "/issuer", "/keys");
    serve_json(&server, "/keys", &sample_jwks(), &[]);
    let token = crate::support::sign::sign(
        "RS256",
        "rsa-pool-id",
        r#"{"alg":"RS256","kid":"Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0="}"#,
        &json!({"iss": issuer, "exp": 4102444800i64}).to_string(),
    );
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["verify", &token, "--issuer", &issuer],
    ));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(status(&r, "iss"), "pass");
    // A document that names another issuer is refused.
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["verify", &token, "--issuer", &format!("{issuer}/")],
    ));
    assert_eq!(code, 3);
    assert_eq!(r["error"]["id"], "discovery.issuer");
}

#[test]
fn cognito_pool_keys_with_and_without_flags() {
    let server = Server::start();
    serve_json(
        &server,
        &format!("/{POOL}/.well-known/jwks.json"),
        &sample_jwks(),
        &[],
    );
    let cache = cache_dir();
    let endpoint = server.mock.uri();
    let (code, r) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--cognito-pool",
                POOL,
                "--now",
                SAMPLE_NOW,
            ],
        )
        .env("JWTCHECK_COGNITO_ENDPOINT", &endpoint),
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(status(&r, "iss"), "pass");
    // No key flag: the token's own Cognito issuer is used, and the output says so.
    let (code, out, _) = run(jwtcheck_cached(
        &cache,
        &["verify", &at_sample("id-token.jwt"), "--now", SAMPLE_NOW],
    )
    .env("JWTCHECK_COGNITO_ENDPOINT", &endpoint));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("keys from the issuer named in the token"),
        "{out}"
    );
    assert!(
        out.contains("pin it with --cognito-pool or --issuer"),
        "{out}"
    );
    // Another pool's token fails the issuer check.
    let (code, r) = run_json(
        jwtcheck_cached(
            &cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--cognito-pool",
                "us-east-1_Other1",
                "--now",
                SAMPLE_NOW,
            ],
        )
        .env("JWTCHECK_COGNITO_ENDPOINT", &endpoint),
    );
    assert_eq!(code, 3, "the other pool has no key set here: {r:#}");
}

#[test]
fn from_url_verifies_the_extracted_token() {
    let server = Server::start();
    serve_json(&server, "/jwks.json", &sample_jwks(), &[]);
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "from-url",
            &at_sample("callback-url.txt"),
            "--jwks",
            &server.url("/jwks.json"),
            "--client-id",
            "4l1h8mfsl2jt8ovcbvda5sqvd0",
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verdict"], "valid");
    assert_eq!(r["callback"]["selected"], "id_token");
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "from-url",
            &at_sample("callback-url.txt"),
            "--token",
            "access",
            "--jwks",
            &server.url("/jwks.json"),
            "--token-use",
            "id",
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 1);
    assert_eq!(status(&r, "token_use"), "fail");
}

#[test]
fn jwks_command_shows_caching_headers_and_what_they_mean() {
    let server = Server::start();
    serve_json(
        &server,
        "/cached",
        &sample_jwks(),
        &[
            ("Cache-Control", "public, max-age=3600"),
            ("ETag", "\"abc\""),
            ("Age", "10"),
        ],
    );
    serve_json(&server, "/bare", &sample_jwks(), &[]);
    let cache = cache_dir();
    let (code, out, _) = run(&mut jwtcheck_cached(
        &cache,
        &["jwks", &server.url("/cached")],
    ));
    assert_eq!(code, 0, "{out}");
    assert!(first_line(&out).starts_with("VALID  2 keys (RSA-2048 RS256, RSA-2048 RS256); served with Cache-Control: public, max-age=3600"), "{out}");
    assert!(
        out.contains("Hasura refetches this key set every 1h"),
        "{out}"
    );
    assert!(out.contains("ETag          \"abc\""), "{out}");
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &["jwks", &server.url("/bare")],
    ));
    assert_eq!(code, 0);
    assert_eq!(status(&r, "lint.cache"), "warn");
    let msg = checks(&r, "lint.cache")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("never again"), "{msg}");
    assert_eq!(
        r["keyset"]["keys"][0]["kid"],
        "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0="
    );
    assert_eq!(r["keyset"]["keys"][0]["bits"], 2048);
    assert!(r["keyset"]["keys"][0]["thumbprint"].is_string());
    // The jwks command asks the server each time (that is what it is for).
    run_json(&mut jwtcheck_cached(
        &cache,
        &["jwks", &server.url("/cached")],
    ));
    assert_eq!(server.hits("/cached"), 2);
}

#[test]
fn three_redirects_are_followed_and_a_fourth_is_not() {
    let server = Server::start();
    for i in 1..=4 {
        let next = if i == 4 {
            "/jwks.json".to_string()
        } else {
            format!("/r{}", i + 1)
        };
        server.mount(
            Mock::given(path(format!("/r{i}")))
                .respond_with(ResponseTemplate::new(302).insert_header("Location", next.as_str())),
        );
    }
    serve_json(&server, "/jwks.json", &sample_jwks(), &[]);
    let (code, _) = verify_sample(&server.url("/r2"), &cache_dir());
    assert_eq!(code, 0, "r2 → r3 → r4 → jwks: three redirects");
    let (code, r) = verify_sample(&server.url("/r1"), &cache_dir());
    assert_eq!(code, 3, "four redirects");
    assert_eq!(r["error"]["id"], "fetch.redirect");
}

#[test]
fn expires_without_date_counts_from_arrival() {
    let server = Server::start();
    let in_an_hour = {
        let t = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
        t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
    };
    serve_json(
        &server,
        "/jwks.json",
        &sample_jwks(),
        &[("Expires", in_an_hour.as_str())],
    );
    let cache = cache_dir();
    verify_sample(&server.url("/jwks.json"), &cache);
    verify_sample(&server.url("/jwks.json"), &cache);
    assert_eq!(
        server.hits("/jwks.json"),
        1,
        "cached for the hour Expires allows"
    );
}

#[test]
fn offline_without_a_cached_copy_says_how_to_fill_the_cache() {
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache_dir(),
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            "https://keys.example.com/jwks.json",
            "--offline",
        ],
    ));
    assert_eq!(code, 3);
    assert_eq!(r["error"]["id"], "cache.offline_miss");
    assert!(
        r["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("without --offline")
    );
}

#[test]
fn tls_failures_are_classified_by_kind_not_by_message() {
    // https:// to a plain HTTP server on loopback: rustls refuses the answer.
    let s = Server::start();
    serve_json(&s, "/jwks.json", &sample_jwks(), &[]);
    let url = s.url("/jwks.json").replacen("http://", "https://", 1);
    let cache = cache_dir();
    let (code, r) = run_json(&mut jwtcheck_cached(&cache, &["jwks", &url, "--no-cache"]));
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["id"], "fetch.tls");
}

/// Serves an empty key set once (cacheable for an hour), then the pool's real keys: an issuer
/// that was broken, then fixed.
fn empty_then_fixed(server: &Server) {
    server.mount(
        Mock::given(method("GET"))
            .and(path("/jwks.json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(json!({"keys": []}).to_string(), "application/json")
                    .insert_header("Cache-Control", "max-age=3600"),
            )
            .up_to_n_times(1),
    );
    serve_json(
        server,
        "/jwks.json",
        &sample_jwks(),
        &[("Cache-Control", "max-age=3600")],
    );
}

#[test]
fn a_cached_empty_key_set_is_fetched_again_once_the_server_is_fixed() {
    let server = Server::start();
    empty_then_fixed(&server);
    let url = server.url("/jwks.json");
    let cache = cache_dir();
    let (code, r) = verify_sample(&url, &cache);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["id"], "keys.empty");
    assert_eq!(r["key_source"]["source"], url.as_str(), "{r:#}");
    // The empty set is in the cache for an hour; the next run does not trust it.
    let (code, r) = verify_sample(&url, &cache);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(server.hits("/jwks.json"), 2);
    assert!(
        checks(&r, "key").iter().any(
            |c| c["message"] == "the cached key set had no usable key, so it was fetched again"
        ),
        "{r:#}"
    );
    // And the fixed set is what the cache holds now.
    let (code, _) = verify_sample(&url, &cache);
    assert_eq!(code, 0);
    assert_eq!(server.hits("/jwks.json"), 2);
}

#[test]
fn offline_a_cached_empty_key_set_names_the_cache_and_refresh() {
    let server = Server::start();
    serve_json(
        &server,
        "/jwks.json",
        &json!({"keys": []}),
        &[("Cache-Control", "max-age=3600")],
    );
    let url = server.url("/jwks.json");
    let cache = cache_dir();
    verify_sample(&url, &cache);
    let (code, r) = run_json(&mut jwtcheck_cached(
        &cache,
        &[
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            &url,
            "--offline",
            "--now",
            SAMPLE_NOW,
        ],
    ));
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(server.hits("/jwks.json"), 1, "offline fetches nothing");
    assert_eq!(r["error"]["id"], "keys.empty");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(message.contains("(cache, fetched"), "{message}");
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("--refresh"), "{hint}");
    assert_eq!(r["key_source"]["source"], url.as_str());
}

#[test]
fn under_hasura_a_cached_empty_jwk_url_set_is_fetched_again() {
    let server = Server::start();
    empty_then_fixed(&server);
    let cfg = json!({
        "type": "RS256",
        "jwk_url": server.url("/jwks.json"),
        "claims_format": "stringified_json",
    })
    .to_string();
    let cache = cache_dir();
    let run = |cache: &tempfile::TempDir| {
        run_json(&mut jwtcheck_cached(
            cache,
            &[
                "verify",
                &at_sample("id-token.jwt"),
                "--hasura-config",
                &cfg,
                "--now",
                SAMPLE_NOW,
            ],
        ))
    };
    // An empty set: Hasura starts and answers NoUsableKeys.
    let (code, r) = run(&cache);
    assert_eq!(code, 1, "{r:#}");
    let (code, r) = run(&cache);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(server.hits("/jwks.json"), 2);
}

/// The pool's key set with 5,000 more RSA keys: over 1 MiB.
fn huge_key_set() -> serde_json::Value {
    let mut set = sample_jwks();
    let extra = set["keys"][0].clone();
    let keys = set["keys"].as_array_mut().unwrap();
    for i in 0..5000 {
        let mut k = extra.clone();
        k["kid"] = json!(format!("extra-{i}"));
        keys.push(k);
    }
    set
}

#[test]
fn a_key_set_over_the_cap_names_it_and_max_input_raises_it() {
    let set = huge_key_set();
    let text = set.to_string();
    assert!(text.len() > 1024 * 1024);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap().to_string();
    let server = Server::start();
    serve_json(&server, "/big.json", &set, &[]);
    let url = server.url("/big.json");
    for source in [file.as_str(), url.as_str()] {
        let cache = cache_dir();
        let args = [
            "verify",
            &at_sample("id-token.jwt"),
            "--jwks",
            source,
            "--now",
            SAMPLE_NOW,
        ];
        let (code, r) = run_json(&mut jwtcheck_cached(&cache, &args));
        assert_eq!(code, 3, "{source}: {r:#}");
        let message = r["error"]["message"].as_str().unwrap();
        assert!(message.contains("jwtcheck's cap"), "{message}");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(hint.contains("--max-input"), "{hint}");
        let (code, r) = run_json(jwtcheck_cached(&cache, &args).args(["--max-input", "8000000"]));
        assert_eq!(code, 0, "{source}: {r:#}");
    }
}
