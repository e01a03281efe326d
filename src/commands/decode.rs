//! `jwtcheck decode TOKEN`: a local jwt.io that never claims validity.

use super::{Context, read_input};
use crate::judge::decode_into;
use crate::judge::verdict;
use crate::report::Report;

/// Decodes the token named by `arg`.
pub fn run(arg: &str, ctx: &mut Context<'_>) -> Report {
    let mut report = Report::new(ctx.now);
    let Some(input) = read_input(arg, ctx, &mut report) else {
        return report;
    };
    if let Some(jws) = decode_into(&input.text, ctx.now, &mut report) {
        verdict::conclude(&mut report, verdict::Basis::Decoded(&jws), ctx.now);
    }
    report
}
