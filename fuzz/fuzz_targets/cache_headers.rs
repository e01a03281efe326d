//! Caching headers as a server sends them (`Cache-Control`, `Expires`, `Age`, `ETag`, `Date`,
//! one per line) and what jwtcheck and Hasura make of them; and cache entries as read from
//! disk (a corrupt file must be a miss, never a crash).
#![no_main]

use jwtcheck::http::{self, CacheHeaders};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<jwtcheck::net::cache::Entry>(data);
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let mut lines = text
        .split('\n')
        .map(|l| (!l.is_empty()).then(|| l.to_string()));
    let mut next = || lines.next().flatten();
    let headers = CacheHeaders {
        cache_control: next(),
        expires: next(),
        age: next(),
        etag: next(),
        date: next(),
    };
    if let Some(ttl) = http::lifetime(&headers, jwtcheck_fuzz::NOW) {
        assert!(
            ttl.is_finite() && (0.0..=http::MAX_TTL).contains(&ttl),
            "lifetime {ttl} out of bounds for {headers:?}"
        );
    }
    let refresh = jwtcheck::hasura::v2::refresh::refresh(&headers, jwtcheck_fuzz::NOW);
    let _ = (refresh.explain(), refresh.handles_rotation());
    for reader in [
        jwtcheck::lint::keyset::Reader::HasuraV2,
        jwtcheck::lint::keyset::Reader::HasuraDdn,
    ] {
        let _ = jwtcheck::lint::keyset::explain(&headers, jwtcheck_fuzz::NOW, reader);
    }
    let _ = jwtcheck::lint::keyset::caching_check(&headers, jwtcheck_fuzz::NOW);
    let _ = http::http_date(text);
});
