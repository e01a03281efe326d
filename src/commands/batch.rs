//! `jwtcheck verify --batch FILE|-`: every token of a file, one per line, on every core, keys
//! loaded once, results written in input order as they come (memory stays flat however long
//! the input: at most a few hundred tokens are in flight).

mod field;
mod memo;

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use super::Context;
use crate::cli::VerifyArgs;
use crate::cli::options::{self as config, VerifyConfig};
use crate::hasura::jsonpath::JsonPath;
use crate::input::{self, InputError};
use crate::net::keys::Loader;
use crate::render::WriteError;
use crate::render::batch::{self as render, Tally};
use crate::report::{Id, Outcome, Report, Verdict};

/// Token lines handed to a worker together: their text in one buffer (one allocation per
/// chunk, not per token), and for each its line number, where its text is (or why it could not
/// be read), and where the input stands (bytes read) for the progress line.
struct Work {
    /// The chunk's place among chunks; output is written in this order.
    seq: u64,
    text: String,
    items: Vec<Item>,
}

/// One token line of a [`Work`] chunk.
struct Item {
    line: u64,
    text: Result<std::ops::Range<usize>, InputError>,
    offset: u64,
}

/// A verified chunk: its output lines in one buffer, what the summary counts of each token
/// (reports are dropped on the worker's thread), and where the input stood after it.
struct Done {
    seq: u64,
    out: Vec<u8>,
    tally: Vec<Counted>,
    offset: u64,
}

use crate::render::batch::Counted;

/// How the batch runs.
pub struct Options<'a> {
    /// `FILE` or `-`.
    pub source: &'a str,
    /// Worker threads.
    pub jobs: usize,
    /// NDJSON output.
    pub json: bool,
    /// `--field PATH`: the token is the string at PATH of each JSON line.
    pub field: Option<&'a str>,
    /// Judge a token seen before again (`--no-memo`) instead of repeating its line.
    pub no_memo: bool,
}

/// What every worker is given: the configuration and how to read a line.
struct Shared<'a> {
    config: &'a VerifyConfig,
    /// The `--field` path, read, and as written.
    field: Option<(JsonPath, &'a str)>,
    json: bool,
    /// Repeated tokens' lines (none with `--no-memo`).
    memo: Option<memo::Memo>,
}

/// Verifies every token of the batch, writing each result to `out` in input order.
pub fn run(
    opts: &Options<'_>,
    args: &VerifyArgs,
    ctx: &mut Context<'_>,
    out: &mut dyn Write,
) -> Outcome {
    let env = |k: &str| std::env::var(k).ok();
    let config = match config::verify_config(args, ctx.max_input, &env) {
        Ok(c) => c,
        Err(e) => return usage(ctx, e.id, e.message, e.hint),
    };
    let field = match opts
        .field
        .map(|f| field::parse(f).map(|p| (p, f)))
        .transpose()
    {
        Ok(f) => f,
        Err((message, hint)) => return usage(ctx, Id::UsageArguments, message, hint),
    };
    let shared = Shared {
        config: &config,
        field,
        json: opts.json,
        memo: (!opts.no_memo).then(memo::Memo::default),
    };
    let (reader, total) = match open(opts.source) {
        Ok(opened) => opened,
        Err(e) => {
            let hint = "check the path given to --batch (or use - to read the tokens from stdin)";
            return usage(ctx, e.id(), e.to_string(), hint.to_string());
        }
    };
    let progress = Progress::new(total);
    let mut tally = Tally::default();
    let mut write_error = None;
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = sync_channel::<Work>(opts.jobs * 2);
        let (done_tx, done_rx) = sync_channel::<Done>(opts.jobs * 2);
        let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
        let max_input = ctx.max_input;
        let stream = total.is_none();
        scope.spawn(move || read_lines(reader, max_input, stream, &work_tx));
        let root = Loader::new(&config.fetch, ctx.system_now);
        for _ in 0..opts.jobs {
            let (rx, tx) = (work_rx.clone(), done_tx.clone());
            let worker = Worker::new(&shared, root.sibling(), ctx.now);
            scope.spawn(move || work(&rx, &tx, worker));
        }
        drop(done_tx);
        write_error = write_in_order(&done_rx, out, &mut tally, &progress).err();
    });
    progress.finish();
    // The tokens after a failed write were never judged: no summary, and the failure's code.
    if let Some(e) = write_error {
        return Outcome::Written {
            stdout: String::new(),
            stderr: e.stderr(),
            code: e.exit_code(),
        };
    }
    if tally.tokens == 0 {
        return no_token(opts.source, ctx);
    }
    let (stdout, stderr) = if opts.json {
        (String::new(), render::summary(&tally))
    } else {
        (render::summary(&tally), String::new())
    };
    Outcome::Written {
        stdout,
        stderr,
        code: tally.exit_code(),
    }
}

/// Bytes read from the batch input at a time. A read costs a system call whatever its size:
/// with std's 8 KiB, 100,000 tokens (131 MB) took 16,000 reads and 0.45 s of system time on the
/// 2-core VM; with 256 KiB, 0.04 s.
const READ_BUFFER: usize = 256 * 1024;

/// The batch input, buffered.
type Reader = std::io::BufReader<Box<dyn std::io::Read + Send>>;

/// The batch input and its size when it is a regular file (`None`: standard input, a named
/// pipe, `<(tail -f log)`: a stream, whose lines are judged as they come). The reader runs on
/// its own thread, so a batch from a pipe reads the process's stdin (which can move there)
/// rather than the context's.
fn open(source: &str) -> Result<(Reader, Option<u64>), InputError> {
    if source == "-" {
        return Ok((
            std::io::BufReader::with_capacity(READ_BUFFER, Box::new(std::io::stdin())),
            None,
        ));
    }
    match std::fs::File::open(source) {
        Ok(f) => {
            let len = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
            Ok((
                std::io::BufReader::with_capacity(READ_BUFFER, Box::new(f)),
                len,
            ))
        }
        Err(e) => Err(InputError::Read {
            what: source.to_string(),
            source: e,
        }),
    }
}

/// A batch that judged nothing: no token is not a batch of valid ones (an unset variable, a
/// filter that matched nothing), as `check` with no sample token.
fn no_token(source: &str, ctx: &Context<'_>) -> Outcome {
    let what = if source == "-" {
        "--batch -: standard input".to_string()
    } else {
        format!("--batch {source}")
    };
    usage(
        ctx,
        Id::TokenEmpty,
        format!("{what} holds no token: it is empty, or every line is blank or a # comment"),
        "put one token per line (lines starting with # are comments); check what produced the input (a filter that matched nothing, an unset variable)".to_string(),
    )
}

fn usage(ctx: &Context<'_>, id: crate::report::Id, message: String, hint: String) -> Outcome {
    let mut report = Report::new(ctx.now);
    report.stop(Verdict::UsageError, id, message, hint);
    Outcome::Single(Box::new(report))
}

/// Reads token lines (skipping blank and `#` lines; a line over the input cap, or not UTF-8,
/// is reported, not fatal) and hands them out in order. From a `stream` (not a file), the
/// lines read so far are handed out as soon as no more are waiting: a token written to a pipe
/// is judged at once, not when [`CHUNK`] tokens have come.
fn read_lines(reader: Reader, cap: u64, stream: bool, tx: &SyncSender<Work>) {
    let mut lines = Lines {
        reader,
        cap,
        line: 0,
        offset: 0,
        buf: Vec::new(),
        ended: false,
    };
    let mut seq = 0;
    loop {
        let mut chunk = Work {
            seq,
            text: String::new(),
            items: Vec::with_capacity(CHUNK),
        };
        while chunk.items.len() < CHUNK
            && let Some(item) = lines.next_item(&mut chunk.text)
        {
            chunk.items.push(item);
            if stream && lines.reader.buffer().is_empty() {
                break;
            }
        }
        if chunk.items.is_empty() || tx.send(chunk).is_err() {
            return;
        }
        seq += 1;
    }
}

/// Tokens handed to a worker at a time: few enough to keep memory flat (a few hundred KiB of
/// lines in flight per chunk) and every core busy, many enough that threads rarely wait on each
/// other. With 64, 100,000 tokens took 9,000 context switches and 0.13 s of system time on the
/// 2-core VM.
const CHUNK: usize = 256;

/// The input, line by line.
struct Lines {
    reader: Reader,
    cap: u64,
    line: u64,
    offset: u64,
    buf: Vec<u8>,
    /// The input could not be read further.
    ended: bool,
}

impl Lines {
    /// The next token line (its text appended to `text`), or `None` at the end of the input.
    fn next_item(&mut self, text: &mut String) -> Option<Item> {
        loop {
            let item = self.read_one(text)?;
            if let Some(item) = item {
                return Some(item);
            }
        }
    }

    /// One line: `Some(None)` for a line that is skipped (blank, comment).
    fn read_one(&mut self, text: &mut String) -> Option<Option<Item>> {
        let Lines {
            reader,
            cap,
            line,
            offset,
            buf,
            ended,
        } = self;
        if *ended {
            return None;
        }
        let cap = *cap;
        buf.clear();
        let got = match std::io::Read::take(&mut *reader, cap + 1).read_until(b'\n', buf) {
            Ok(0) => return None,
            Ok(n) => n,
            Err(e) => {
                *line += 1;
                // An unreadable input ends the batch after this line.
                *ended = true;
                return Some(Some(Item {
                    line: *line,
                    text: Err(InputError::Read {
                        what: "the batch input".into(),
                        source: e,
                    }),
                    offset: *offset,
                }));
            }
        };
        *line += 1;
        *offset += got as u64;
        let range = if buf.len() as u64 > cap && !buf.ends_with(b"\n") {
            *offset += skip_line(reader);
            Err(InputError::TooLarge {
                what: format!("line {line}"),
                cap,
            })
        } else {
            match std::str::from_utf8(buf) {
                Ok(t) if t.trim().is_empty() || t.trim_start().starts_with('#') => {
                    return Some(None);
                }
                Ok(t) => {
                    let start = text.len();
                    text.push_str(t);
                    Ok(start..text.len())
                }
                Err(_) => Err(InputError::NotText {
                    what: format!("line {line}"),
                }),
            }
        };
        Some(Some(Item {
            line: *line,
            text: range,
            offset: *offset,
        }))
    }
}

/// Skips the rest of an over-long line; the bytes skipped.
fn skip_line(reader: &mut Reader) -> u64 {
    let mut skipped = 0u64;
    loop {
        let (used, done) = match reader.fill_buf() {
            Ok([]) | Err(_) => return skipped,
            Ok(chunk) => match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            },
        };
        reader.consume(used);
        skipped += used as u64;
        if done {
            return skipped;
        }
    }
}

/// A worker: verifies chunks of tokens until the input ends.
fn work(rx: &std::sync::Mutex<Receiver<Work>>, tx: &SyncSender<Done>, mut worker: Worker<'_>) {
    loop {
        let next = rx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(chunk) = next else { return };
        let mut done = Done {
            seq: chunk.seq,
            out: Vec::with_capacity(chunk.items.len() * 128),
            tally: Vec::with_capacity(chunk.items.len()),
            offset: chunk.items.last().map_or(0, |i| i.offset),
        };
        for item in chunk.items {
            let counted = match item.text {
                Ok(range) => worker.token_line(chunk.text.get(range).unwrap_or_default()),
                Err(e) => worker.stopped(Verdict::Malformed, e.id(), e.to_string(), e.hint()),
            };
            render::push_numbered(item.line, worker.shared.json, &worker.body, &mut done.out);
            done.tally.push(counted);
        }
        if tx.send(done).is_err() {
            return;
        }
    }
}

/// A worker's own: its key loader, the report it reuses, and the line it renders into.
struct Worker<'a> {
    shared: &'a Shared<'a>,
    loader: Loader,
    report: Report,
    /// The current token's line without its number.
    body: Vec<u8>,
    now: f64,
}

impl<'a> Worker<'a> {
    fn new(shared: &'a Shared<'a>, loader: Loader, now: f64) -> Worker<'a> {
        let mut report = Report::new(now);
        report.evidence = shared.json;
        Worker {
            shared,
            loader,
            report,
            body: Vec::new(),
            now,
        }
    }

    /// Judges the token of a line (from the memo when it was judged before) into `body`.
    fn token_line(&mut self, line: &str) -> Counted {
        let text = match &self.shared.field {
            None => std::borrow::Cow::Borrowed(line),
            Some((path, written)) => match field::extract(line, path, written) {
                Ok(text) => std::borrow::Cow::Owned(text),
                Err(e) => return self.stopped(Verdict::Malformed, e.id(), e.to_string(), e.hint()),
            },
        };
        self.body.clear();
        let memo = self.shared.memo.as_ref();
        let key = memo.map(|_| memo::Key::of(&text, &self.loader));
        if let (Some(memo), Some(key)) = (memo, &key)
            && let Some(counted) = memo.get(key, &mut self.body)
        {
            return counted;
        }
        self.report.reset();
        let (token, wrapper) = input::forms::clean(&text);
        crate::judge::judge(
            &token,
            &wrapper,
            self.shared.config,
            &mut self.loader,
            self.now,
            &mut self.report,
        );
        let counted = self.rendered();
        if let (Some(memo), Some(key)) = (memo, key) {
            memo.put(key, &self.body, counted);
        }
        counted
    }

    /// A line without a token: why, into `body`.
    fn stopped(&mut self, verdict: Verdict, id: Id, message: String, hint: String) -> Counted {
        self.report.reset();
        self.report.stop(verdict, id, message, hint);
        self.rendered()
    }

    /// The report rendered into `body`; what the summary counts of it.
    fn rendered(&mut self) -> Counted {
        self.body.clear();
        render::push_body(&self.report, self.shared.json, &mut self.body);
        Counted::of(&self.report)
    }
}

/// Writes results in input order as they arrive, and counts them; output is buffered and
/// flushed whenever the workers have nothing ready (so a slow stream shows lines promptly).
fn write_in_order(
    rx: &Receiver<Done>,
    out: &mut dyn Write,
    tally: &mut Tally,
    progress: &Progress,
) -> Result<(), WriteError> {
    write_chunks(rx, out, tally, progress).map_err(WriteError::of)
}

fn write_chunks(
    rx: &Receiver<Done>,
    out: &mut dyn Write,
    tally: &mut Tally,
    progress: &Progress,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    let mut pending = BTreeMap::new();
    let mut next = 0u64;
    loop {
        let done = match rx.try_recv() {
            Ok(d) => d,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                progress.suspend(|| out.flush())?;
                match rx.recv() {
                    Ok(d) => d,
                    Err(_) => break,
                }
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
        };
        pending.insert(done.seq, done);
        while let Some(d) = pending.remove(&next) {
            for c in &d.tally {
                tally.add(c);
            }
            out.write_all(&d.out)?;
            progress.at(d.offset, tally.tokens);
            next += 1;
        }
    }
    progress.suspend(|| out.flush())
}

/// A progress line on stderr, shown only on a terminal and only once a batch has run for a
/// second, redrawn at most ten times a second. (Written here rather than with a progress bar
/// crate: indicatif's estimates call `powf`, which alone linked libm into every run of
/// jwtcheck — a tenth of a one-token verify's start-up.)
struct Progress {
    total: Option<u64>,
    on_terminal: bool,
    /// Whether stdout is the same terminal: the line is then cleared before output is written.
    stdout_on_terminal: bool,
    started: Instant,
    /// When the line was last drawn (`None`: not yet).
    drawn: std::cell::Cell<Option<Instant>>,
    /// Whether the line is on the screen now.
    visible: std::cell::Cell<bool>,
}

impl Progress {
    fn new(total: Option<u64>) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            on_terminal: std::io::stderr().is_terminal(),
            stdout_on_terminal: std::io::stdout().is_terminal(),
            started: Instant::now(),
            drawn: std::cell::Cell::new(None),
            visible: std::cell::Cell::new(false),
        }
    }

    fn at(&self, offset: u64, tokens: u64) {
        if !self.on_terminal {
            return;
        }
        let now = Instant::now();
        let elapsed = now.duration_since(self.started);
        let due = match self.drawn.get() {
            // Cleared for output: back at once.
            Some(_) if !self.visible.get() => true,
            Some(last) => now.duration_since(last) >= Duration::from_millis(100),
            None => elapsed >= Duration::from_secs(1),
        };
        if due {
            let line = render::progress_line(offset, self.total, tokens, elapsed);
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K{line}");
            self.drawn.set(Some(now));
            self.visible.set(true);
        }
    }

    /// Runs `f` (which writes to stdout) with the line cleared when stdout is the same
    /// terminal; the next update draws it again.
    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        if self.stdout_on_terminal {
            self.clear();
        }
        f()
    }

    fn finish(&self) {
        self.clear();
    }

    fn clear(&self) {
        if self.visible.replace(false) {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}
