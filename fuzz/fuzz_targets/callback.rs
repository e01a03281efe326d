//! Cognito Hosted UI callback URLs: query and fragment parameters, errors, codes and tokens.
#![no_main]

use jwtcheck::input::callback;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = jwtcheck_fuzz::text(data) else {
        return;
    };
    match callback::parse(text) {
        Ok(cb) => {
            let _ = (cb.grant(), cb.repeated(), cb.token_part());
            for name in ["id_token", "access_token", "code", "state", "error"] {
                if let Some(v) = cb.get(name) {
                    let _ = jwtcheck::jose::token::parse(v);
                }
            }
        }
        Err(e) => {
            let _ = (e.id(), e.hint());
        }
    }
});
