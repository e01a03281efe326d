//! The whole `decode -` and `from-url - --decode` commands, in-process, on standard input:
//! reading, clean-up, parsing, every decode check, both renderers and the report invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = jwtcheck_fuzz::NOW_TEXT;
    if let Some(outcome) = jwtcheck_fuzz::run(&["jwtcheck", "decode", "-", "--now", now], data) {
        jwtcheck_fuzz::check_outcome(&outcome);
    }
    if data
        .windows(6)
        .any(|w| w == b"token=" || w == b"error=" || w == b"://")
    {
        let args = ["jwtcheck", "from-url", "-", "--decode", "--now", now];
        if let Some(outcome) = jwtcheck_fuzz::run(&args, data) {
            jwtcheck_fuzz::check_outcome(&outcome);
        }
    }
});
