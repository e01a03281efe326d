//! What the fuzz targets share: a fixed clock and key, splitting one input into fields, running
//! the CLI's commands in-process, and the report invariants every run must keep.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use clap::Parser as _;
use jwtcheck::cli::Cli;
use jwtcheck::report::{Outcome, Report, Status, Verdict};
use jwtcheck::{commands, render};

/// The clock every target judges at: 2026-11-24T09:30:00Z, inside the samples' lifetime.
pub const NOW: f64 = 1_795_512_600.0;
/// `--now` for [`NOW`].
pub const NOW_TEXT: &str = "2026-11-24T09:30:00Z";
/// The fixed HMAC key of the pipeline targets (32 bytes: long enough for HS256).
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";

/// The input as text, when it is UTF-8 (what every command-line path requires).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Splits at the first newline: `(first line, the rest)`; no newline gives `(all, "")`.
pub fn two(text: &str) -> (&str, &str) {
    text.split_once('\n').unwrap_or((text, ""))
}

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    jwtcheck::jose::base64url::encode(bytes)
}

/// A compact JWS of `header` and `payload` (used byte for byte) signed with HS256 under
/// [`SECRET`], so that a target reaches what follows a good signature.
pub fn sign_hs256(header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, SECRET.as_bytes());
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// A token from a fuzz input: `header JSON '\n' payload JSON` is signed with the fixed key
/// (`\n` inside the two parts is not possible, which the JSON does not need); anything without
/// a newline is taken as the token text itself.
pub fn token_of(text: &str) -> String {
    match text.split_once('\n') {
        Some((header, payload)) => sign_hs256(header.as_bytes(), payload.as_bytes()),
        None => text.to_string(),
    }
}

/// Runs a jwtcheck command line in-process (no network: callers pass no URL and `--offline`
/// where keys could be fetched), with `stdin` as standard input and the fixed clock.
/// Each command line is parsed once (clap's parser costs more than many a run).
pub fn run(args: &[&str], stdin: &[u8]) -> Option<Outcome> {
    thread_local! {
        static PARSED: RefCell<HashMap<Vec<String>, Rc<Cli>>> = RefCell::new(HashMap::new());
    }
    let key: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let cli = PARSED.with(|parsed| {
        let mut parsed = parsed.borrow_mut();
        if let Some(cli) = parsed.get(&key) {
            return Some(Rc::clone(cli));
        }
        let cli = Rc::new(Cli::try_parse_from(args).ok()?);
        parsed.insert(key, Rc::clone(&cli));
        Some(cli)
    })?;
    let mut input = stdin;
    Some(commands::run(&cli, &mut input, &mut std::io::sink(), NOW))
}

/// Renders the outcome both ways and checks what every report must keep:
/// - the JSON output is one JSON document;
/// - the verdict is never `valid` when a check failed or the run was stopped;
/// - every rejection names a check id or a problem id.
pub fn check_outcome(outcome: &Outcome) {
    let json = render::render(outcome, render::Format::Json);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "the JSON output is not JSON:\n{json}"
    );
    let text = render::render(outcome, render::Format::Text);
    assert!(
        !text.lines().next().unwrap_or("").trim().is_empty(),
        "the first line says nothing:\n{text}"
    );
    if let Outcome::Single(report) = outcome {
        check_report(report);
    }
}

/// The report invariants (see [`check_outcome`]).
pub fn check_report(report: &Report) {
    let failed = report.checks.iter().any(|c| c.status == Status::Fail);
    match report.verdict {
        Verdict::Valid | Verdict::Done => {
            assert!(!failed, "valid with a failed check: {:#?}", report.checks);
            assert!(
                report.error.is_none(),
                "valid with an error: {:?}",
                report.error
            );
        }
        Verdict::Invalid => assert!(
            failed || report.error.is_some(),
            "invalid without a failed check or an error id"
        ),
        Verdict::UsageError | Verdict::Undecidable | Verdict::Malformed => assert!(
            report.error.is_some() || failed,
            "{:?} without an error id",
            report.verdict
        ),
        Verdict::Unverified => {}
    }
    for c in &report.checks {
        assert!(!c.id.as_str().is_empty(), "a check without an id");
    }
}
