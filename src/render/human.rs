//! The text output: verdict first, then failures and warnings with their hints, then the
//! evidence (checks, callback, header, payload, claims, Hasura claims).
//!
//! Colors come from `colored`, whose global switch `main` sets (terminal, `NO_COLOR`, `--color`).

use std::borrow::Cow;
use std::fmt::Write as _;

use colored::{ColoredString, Colorize};
use serde_json::Value;

use crate::clock;
use crate::report::{Check, Report, Status, Verdict};

/// Renders a report as text.
pub fn render(report: &Report) -> String {
    let mut out = render_brief(report);
    others(&mut out, report);
    callback(&mut out, report);
    key(&mut out, report);
    keyset(&mut out, report);
    token(&mut out, report);
    hasura(&mut out, report);
    devkit(&mut out, report);
    out
}

/// The verdict line, the hint of an early stop, the problems and the warnings: what `mint`
/// writes beside the token it prints.
pub fn render_brief(report: &Report) -> String {
    let mut out = String::new();
    verdict_line(&mut out, report);
    if let Some(p) = &report.error
        && !report.checks.iter().any(|c| {
            c.status == Status::Fail
                && (c.message == p.message || c.hint.as_deref() == Some(p.hint.as_str()))
        })
    {
        let _ = writeln!(
            out,
            "  {} {}",
            "hint:".bold(),
            indent_rest(&safe_lines(&p.hint), 8)
        );
    }
    problems(&mut out, report, Status::Fail, "Problems");
    // The most specific id known: the problem that ended the run (`keys.too_large`), else the
    // check the verdict is about (the book, "Check ids").
    let deciding = report.deciding_failure().map(|c| c.id);
    if let Some(id) = report.error.as_ref().map(|e| e.id).or(deciding) {
        explain_line(&mut out, id);
    }
    problems(&mut out, report, Status::Warn, "Warnings");
    out
}

/// What `keygen` wrote and what to run next.
fn devkit(out: &mut String, report: &Report) {
    let Some(d) = &report.devkit else { return };
    if !d.files.is_empty() {
        let _ = writeln!(out, "\n{}", "Files".bold());
        let w = d.files.iter().map(|f| f.path.len()).max().unwrap_or(0);
        for f in &d.files {
            let _ = writeln!(out, "  {:w$}  {}", safe(&f.path), safe(&f.holds));
        }
    }
    if !d.next.is_empty() {
        let _ = writeln!(out, "\n{}", "Next".bold());
        for line in &d.next {
            let _ = writeln!(out, "  {}", safe(line));
        }
    }
}

/// The verdict's word, coloured: `VALID`, `REJECTED`, …
pub(crate) fn label(verdict: Verdict) -> ColoredString {
    let words = label_words(verdict);
    match verdict {
        Verdict::Valid | Verdict::Done => words.green().bold(),
        Verdict::Unverified => words.yellow().bold(),
        _ => words.red().bold(),
    }
}

/// The verdict's label without color (a batch line without color takes it as it is, not
/// through a colored string made for each token).
pub(crate) fn label_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "VALID",
        Verdict::Unverified => "DECODED",
        Verdict::Done => "DONE",
        Verdict::Invalid => "REJECTED",
        Verdict::UsageError => "USAGE ERROR",
        Verdict::Undecidable => "UNDECIDABLE",
        Verdict::Malformed => "MALFORMED",
    }
}

fn verdict_line(out: &mut String, report: &Report) {
    let label = label(report.verdict);
    let _ = writeln!(out, "{label}  {}", safe(&report.summary));
    if let Some(h) = &report.hasura
        && let (Some(code), Some(msg)) = (&h.engine_code, &h.engine_error)
    {
        let answers = answers(h.engine.as_deref());
        let _ = writeln!(out, "  {} {}: {}", answers.bold(), safe(code), safe(msg));
    }
}

/// How the engine's answer is introduced: `Hasura answers access-denied: …`, or for DDN
/// `Hasura DDN answers HTTP 401 Unauthorized: …`.
pub(crate) fn answers(engine: Option<&str>) -> &'static str {
    match engine {
        Some("ddn") => "Hasura DDN answers HTTP",
        _ => "Hasura answers",
    }
}

/// A check's mark without its colour.
pub(super) fn symbol(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Skip => "-",
        Status::Warn => "!",
        Status::Fail => "✗",
    }
}

pub(super) fn mark(status: Status) -> ColoredString {
    let s = symbol(status);
    match status {
        Status::Pass => s.green(),
        Status::Skip => s.dimmed(),
        Status::Warn => s.yellow().bold(),
        Status::Fail => s.red().bold(),
    }
}

pub(super) fn id_width(checks: &[&Check]) -> usize {
    checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0)
        .min(26)
}

fn problems(out: &mut String, report: &Report, status: Status, title: &str) {
    let list: Vec<&Check> = report
        .checks
        .iter()
        .filter(|c| c.status == status)
        .collect();
    if list.is_empty() {
        return;
    }
    let w = id_width(&list);
    let _ = writeln!(out, "\n{}", title.bold());
    for c in list {
        row(out, c, w, 2);
    }
}

fn others(out: &mut String, report: &Report) {
    let list: Vec<&Check> = report
        .checks
        .iter()
        .filter(|c| matches!(c.status, Status::Pass | Status::Skip))
        .collect();
    if list.is_empty() {
        return;
    }
    let w = id_width(&list);
    let _ = writeln!(out, "\n{}", "Checks".bold());
    for c in list {
        row(out, c, w, 2);
    }
}

/// Text from a token, a URL or a server made safe for a terminal: control characters, DEL, C1
/// controls and bidirectional overrides become visible escapes, so that no input can move the
/// cursor, recolor the screen or fake a line of output (such as a "VALID" verdict).
pub(crate) fn safe(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`safe`], but keeps line breaks (for multi-line hints jwtcheck writes itself).
pub(super) fn safe_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let risky = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    };
    // Every risky character is a control byte, or encoded as C2 80–9F (C1 controls) or
    // E2 80 xx / E2 81 xx (the bidirectional marks): text without those is shown as it is,
    // without decoding it char by char (an arrow, E2 86 92, is not one of them).
    // A fold without an early exit, which the compiler vectorizes, then the precise checks.
    let bytes = s.as_bytes();
    let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2;
    let maybe_risky = || {
        bytes.iter().any(|&b| b < 0x20 || b == 0x7f)
            || bytes
                .windows(2)
                .any(|w| matches!(w, [0xc2, 0x80..=0x9f] | [0xe2, 0x80..=0x81]))
    };
    if !bytes.iter().fold(false, |any, &b| any | suspect(b))
        || !maybe_risky()
        || !s.chars().any(risky)
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if risky(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

pub(super) fn indent_rest(text: &str, pad: usize) -> String {
    let mut out = String::with_capacity(text.len());
    push_indented(&mut out, text, pad);
    out
}

/// Appends `text` with every line after the first indented by `pad` spaces.
pub(super) fn push_indented(out: &mut String, text: &str, pad: usize) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            spaces(out, pad);
        }
        out.push_str(line);
    }
}

fn callback(out: &mut String, report: &Report) {
    let Some(cb) = &report.callback else { return };
    let grant = match cb.grant {
        crate::input::callback::Grant::Implicit => "implicit grant",
        crate::input::callback::Grant::Code => "authorization code grant",
        crate::input::callback::Grant::Error => "error",
        crate::input::callback::Grant::Empty => "no parameters",
    };
    let target = if cb.redirect_uri.is_empty() {
        String::new()
    } else {
        format!(" to {}", cb.redirect_uri)
    };
    let _ = writeln!(out, "\n{}  ({grant}{target})", "Callback".bold());
    let w = cb.params.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for p in &cb.params {
        let part = match p.part {
            crate::input::callback::Part::Query => "query",
            crate::input::callback::Part::Fragment => "fragment",
        };
        let _ = writeln!(
            out,
            "  {:w$}  {:8}  {}",
            safe(&p.name),
            part.dimmed(),
            safe(&p.value)
        );
    }
    if let Some(sel) = &cb.selected {
        let _ = writeln!(out, "  {} {sel}", "using".dimmed());
    }
}

fn key(out: &mut String, report: &Report) {
    let Some(k) = &report.key else {
        if let Some(src) = &report.key_source {
            let fetched = src
                .fetched
                .as_ref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "\n{}  {}{}",
                "Keys from".bold(),
                safe(&src.source),
                safe(&fetched)
            );
        }
        return;
    };
    let _ = writeln!(out, "\n{}", "Key".bold());
    let mut facts = vec![k.kty.clone()];
    if let Some(b) = k.bits {
        facts.push(format!("{b} bits").into());
    }
    if let Some(c) = &k.crv {
        facts.push(c.clone());
    }
    if let Some(a) = &k.alg {
        facts.push(a.clone());
    }
    let _ = writeln!(out, "  {:12}{}", "source", safe(&k.source));
    if let Some(f) = &k.fetched {
        let _ = writeln!(out, "  {:12}{}", "fetched", f);
    }
    if let Some(kid) = &k.kid {
        let _ = writeln!(out, "  {:12}{}", "kid", safe(kid));
    }
    let _ = writeln!(out, "  {:12}{}", "type", facts.join(", "));
    if let Some(t) = &k.thumbprint {
        let _ = writeln!(out, "  {:12}{}", "thumbprint", t);
    }
}

fn keyset(out: &mut String, report: &Report) {
    let Some(ks) = &report.keyset else { return };
    let _ = writeln!(out, "\n{}  ({})", "Key set".bold(), safe(&ks.source));
    if let Some(f) = &ks.fetched {
        let _ = writeln!(out, "  {:14}{}", "fetched", f);
    }
    if let Some(h) = &ks.headers {
        let shown = [
            ("Cache-Control", &h.cache_control),
            ("Expires", &h.expires),
            ("Age", &h.age),
            ("ETag", &h.etag),
        ];
        for (name, value) in shown {
            let _ = writeln!(
                out,
                "  {:14}{}",
                name,
                safe(value.as_deref().unwrap_or("(none)"))
            );
        }
    }
    // A warning or failure row already says its line (`lint.cache`).
    let said = |line: &String| {
        report
            .checks
            .iter()
            .any(|c| matches!(c.status, Status::Warn | Status::Fail) && c.message == *line)
    };
    for line in ks.caching.iter().filter(|l| !said(l)) {
        let _ = writeln!(out, "  {} {}", "·".dimmed(), safe(line));
    }
    for k in &ks.keys {
        let mut facts = vec![k.kty.clone().unwrap_or_else(|| "?".into())];
        if let Some(b) = k.bits {
            facts.push(format!("{b} bits"));
        }
        if let Some(c) = &k.crv {
            facts.push(c.clone());
        }
        facts.push(format!("alg {}", k.alg.as_deref().unwrap_or("-")));
        facts.push(format!("use {}", k.use_.as_deref().unwrap_or("-")));
        let _ = writeln!(
            out,
            "\n  {} {}",
            format!("#{}", k.index).bold(),
            k.kid
                .as_deref()
                .map(|kid| format!("kid {}", safe(kid)))
                .unwrap_or_else(|| "no kid".into())
        );
        let _ = writeln!(out, "     {}", facts.join(", "));
        if let Some(t) = &k.thumbprint {
            let _ = writeln!(out, "     thumbprint {t}");
        }
        if let Some(u) = &k.unusable {
            let _ = writeln!(out, "     {} {}", "unusable:".red(), safe(u));
        }
    }
}

fn token(out: &mut String, report: &Report) {
    let Some(t) = &report.token else { return };
    let _ = writeln!(out, "\n{}", "Header".bold());
    let _ = writeln!(out, "{}", pretty(&t.header));
    let _ = writeln!(out, "\n{}", "Payload".bold());
    match &t.payload_text {
        Some(text) => {
            let _ = writeln!(out, "  (not JSON) {text:?}");
        }
        None => {
            let _ = writeln!(out, "{}", pretty(&t.payload));
        }
    }
    if t.claims.is_empty() {
        return;
    }
    let mut head = format!(
        "now {}",
        clock::utc_or_raw(report.now.unix.as_f64().floor())
    );
    if let Some(l) = &t.lifetime {
        let _ = write!(
            head,
            "; lifetime {} from iat to exp",
            clock::span(l.as_f64())
        );
    }
    if let Some(l) = report.leeway {
        let _ = write!(head, "; leeway {}s", l);
    }
    let _ = writeln!(out, "\n{}  ({head})", "Claims".bold());
    let w = t
        .claims
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    for c in &t.claims {
        out.push_str("  ");
        let name = safe(&c.name);
        out.push_str(&name);
        spaces(out, w.saturating_sub(name.chars().count()));
        out.push_str("  ");
        out.push_str(&safe(&c.value));
        if !c.meaning.is_empty() {
            out.push_str("  ");
            if colored::control::SHOULD_COLORIZE.should_colorize() {
                let _ = write!(out, "{}", format!("· {}", c.meaning).dimmed());
            } else {
                out.push_str("· ");
                out.push_str(&c.meaning);
            }
        }
        out.push('\n');
    }
}

fn pretty(v: &crate::report::Shared) -> String {
    // A JSON object (string names, JSON values) always serializes: nothing is lost to the default.
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(&safe(line));
    }
    out
}

fn hasura(out: &mut String, report: &Report) {
    let Some(h) = &report.hasura else { return };
    let format = h
        .claims_format
        .as_deref()
        .map(|f| format!(", claims_format {f}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{}  ({}{format})",
        "Hasura claims".bold(),
        h.location
    );
    if !h.found {
        let _ = writeln!(out, "  not found");
    }
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(r) = &h.engine_response {
        rows.push(("engine response".into(), r.red().to_string()));
    }
    if let Some(r) = &h.role {
        rows.push(("role".into(), r.clone()));
    }
    if let Some(r) = &h.default_role {
        rows.push(("default role".into(), r.clone()));
    }
    if let Some(r) = &h.allowed_roles {
        rows.push(("allowed roles".into(), r.join(", ")));
    }
    for (name, value) in &h.session_variables {
        let shown = match value {
            Value::String(s) => s.clone(),
            other => format!("{other} ({})", crate::jose::json::type_name(other)),
        };
        rows.push((name.clone(), shown));
    }
    let w = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, value) in rows {
        let _ = writeln!(out, "  {:w$}  {}", safe(&name), safe(&value));
    }
}

/// Where to read more about the first problem: `jwtcheck explain ID`.
pub(super) fn explain_line(out: &mut String, id: crate::report::Id) {
    let _ = writeln!(out, "  {} jwtcheck explain {id}", "more:".dimmed());
}

pub(super) fn row(out: &mut String, c: &Check, w: usize, indent: usize) {
    // Written piece by piece rather than through `format!` padding: a report has dozens of
    // rows, and this is most of a one-token verify's rendering.
    spaces(out, indent);
    styled(out, symbol(c.status), |_| mark(c.status));
    out.push(' ');
    let id = safe(c.id.as_str());
    out.push_str(&id);
    spaces(out, w.saturating_sub(id.chars().count()));
    out.push_str("  ");
    out.push_str(&safe(&c.message));
    out.push('\n');
    if matches!(c.status, Status::Fail | Status::Warn)
        && let Some(h) = &c.hint
    {
        let pad = indent + w + 4;
        spaces(out, pad);
        styled(out, "→", |s| s.dimmed());
        out.push(' ');
        push_indented(out, &safe_lines(h), pad + 2);
        out.push('\n');
    }
}

pub(super) fn spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// `text` in `style` when colours are on; the text alone, with no styled string built, when
/// they are off.
pub(super) fn styled(out: &mut String, text: &str, style: impl FnOnce(&str) -> ColoredString) {
    if colored::control::SHOULD_COLORIZE.should_colorize() {
        let _ = write!(out, "{}", style(text));
    } else {
        out.push_str(text);
    }
}
