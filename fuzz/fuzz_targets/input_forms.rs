//! A TOKEN as people paste it: bare, `Bearer …`, header lines, cookies, quotes, damage from
//! copying (smart quotes, zero-width characters).
#![no_main]

use jwtcheck::input::{forms, paste};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    let (clean, wrapper) = forms::clean(text);
    // Cleaning is idempotent on what it keeps of a bare token.
    if wrapper == forms::Wrapper::None {
        assert_eq!(forms::clean(&clean).0, clean, "clean is not idempotent");
    }
    let _ = forms::parse_cookies(text);
    let _ = paste::damage(text);
    for c in text.chars().take(64) {
        let _ = (paste::kind(c), paste::plain(c));
    }
    // The whole reading path, from "standard input".
    let mut stdin = data;
    let _ = jwtcheck::input::read("-", jwtcheck::input::DEFAULT_MAX_INPUT, &mut stdin);
    let _ = jwtcheck::jose::token::parse(&clean);
});
