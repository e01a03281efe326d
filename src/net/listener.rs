//! Loopback listeners. `login`'s callback listener answers every address `localhost` may name
//! (127.0.0.1 and ::1, one port) and serves its connections concurrently, each within a
//! whole-request deadline, so a slow or idle client never holds up the browser's callback and
//! the overall wait ends on time. Requests for the expected path are judged by the caller: the
//! one that ends the wait gets the caller's page, the ones it ignores get 400 and the wait goes
//! on; any other request gets 404. It never serves files. The request and response pieces are
//! shared with `serve-keys`' server.
//!
//! Why threads: a callback listener sees a handful of connections (a browser pre-opens a few),
//! so one thread per connection, capped, is the simplest design that cannot be blocked; an
//! async runtime would add nothing but code here.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The time one connection has to send its whole request head.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(5);

/// The most connections served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 32;

/// The largest request head read.
const MAX_HEAD: usize = 16 * 1024;

/// Why no callback arrived.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The listener could not be opened.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for (`127.0.0.1:8976`, `[::1]:8976`).
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// Nothing came in time.
    #[error("no sign-in reached the callback within {waited}s")]
    Timeout {
        /// The seconds waited.
        waited: u64,
        /// Requests for the path that were answered 400 meanwhile.
        ignored: usize,
    },
    /// The listener failed.
    #[error("the callback listener failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens a listener on 127.0.0.1 only (`port` 0: any free port): `serve-keys`.
pub fn bind(port: u16) -> Result<TcpListener, ListenError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|source| ListenError::Bind {
        address: format!("127.0.0.1:{port}"),
        source,
    })
}

/// The sockets of `localhost`: 127.0.0.1 and, where the host has IPv6, ::1, on one port.
#[derive(Debug)]
pub struct Localhost {
    sockets: Vec<TcpListener>,
    port: u16,
}

impl Localhost {
    /// The port both addresses listen on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many addresses are listened on (2 where the host has IPv6).
    pub fn addresses(&self) -> usize {
        self.sockets.len()
    }
}

/// Opens `localhost:port` on 127.0.0.1 and [::1] (`port` 0: a port free on both). Browsers and
/// hosts files often try ::1 first, so another program listening there would receive the
/// callback: an address already taken is an error. A host without IPv6 listens on 127.0.0.1
/// alone (then nothing can take ::1 either).
pub fn bind_localhost(port: u16) -> Result<Localhost, ListenError> {
    // With port 0, the port the kernel picks on 127.0.0.1 may be taken on ::1: try a few.
    let tries = if port == 0 { 8 } else { 1 };
    let mut last = None;
    for _ in 0..tries {
        let v4 = bind(port)?;
        let chosen = v4.local_addr()?.port();
        match TcpListener::bind((Ipv6Addr::LOCALHOST, chosen)) {
            Ok(v6) => {
                return Ok(Localhost {
                    sockets: vec![v4, v6],
                    port: chosen,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                last = Some(ListenError::Bind {
                    address: format!("[::1]:{chosen}"),
                    source: e,
                });
            }
            // No IPv6 on this host.
            Err(_) => {
                return Ok(Localhost {
                    sockets: vec![v4],
                    port: chosen,
                });
            }
        }
    }
    Err(last.unwrap_or_else(|| ListenError::Io(std::io::ErrorKind::AddrInUse.into())))
}

/// What the caller makes of a request for the expected path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// This request ends the wait: 200 with this page.
    Done(String),
    /// Not this sign-in's: 400 with this page; it is counted and the wait goes on.
    Ignore(String),
}

/// The request that ended the wait, and how many were ignored before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waited {
    /// Its request target (path and query).
    pub target: String,
    /// Requests for the path that were answered 400.
    pub ignored: usize,
}

/// What a connection's thread tells the waiting one.
enum Event {
    Done(String),
    Ignored,
    Failed(std::io::Error),
}

/// Waits, at most `within`, for `GET <path>?…` that `judge` says ends the wait, serving every
/// connection on its own thread; returns its target and how many requests `judge` ignored.
pub fn wait(
    listener: &Localhost,
    path: &str,
    within: Duration,
    judge: Arc<dyn Fn(&str) -> Reply + Send + Sync>,
) -> Result<Waited, ListenError> {
    let started = Instant::now();
    let (events, inbox) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let active = Arc::new(AtomicUsize::new(0));
    for socket in &listener.sockets {
        let socket = socket.try_clone()?;
        socket.set_nonblocking(true)?;
        let serve = Serve {
            path: path.to_string(),
            judge: judge.clone(),
            events: events.clone(),
            finished: finished.clone(),
            active: active.clone(),
        };
        let stop = stop.clone();
        std::thread::spawn(move || accept_loop(&socket, &serve, &stop));
    }
    drop(events);
    let mut ignored = 0;
    let outcome = loop {
        let left = within.saturating_sub(started.elapsed());
        if left.is_zero() {
            break Err(ListenError::Timeout {
                waited: within.as_secs(),
                ignored,
            });
        }
        match inbox.recv_timeout(left) {
            Ok(Event::Done(target)) => break Ok(Waited { target, ignored }),
            Ok(Event::Ignored) => ignored += 1,
            Ok(Event::Failed(e)) => break Err(ListenError::Io(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                break Err(ListenError::Timeout {
                    waited: within.as_secs(),
                    ignored,
                });
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Err(ListenError::Io(std::io::ErrorKind::BrokenPipe.into()));
            }
        }
    };
    stop.store(true, Ordering::Relaxed);
    outcome
}

/// What each connection's thread needs.
#[derive(Clone)]
struct Serve {
    path: String,
    judge: Arc<dyn Fn(&str) -> Reply + Send + Sync>,
    events: mpsc::Sender<Event>,
    finished: Arc<AtomicBool>,
    active: Arc<AtomicUsize>,
}

/// Accepts connections until `stop`, each served on a thread of its own (at most
/// [`MAX_CONNECTIONS`] at once).
fn accept_loop(socket: &TcpListener, serve: &Serve, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match socket.accept() {
            Ok((stream, _)) => {
                if serve.active.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                    serve.active.fetch_sub(1, Ordering::AcqRel);
                    drop(stream);
                    continue;
                }
                let serve = serve.clone();
                std::thread::spawn(move || {
                    connection(stream, &serve);
                    serve.active.fetch_sub(1, Ordering::AcqRel);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            // A connection reset before it was accepted is the client's business.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionAborted => {}
            Err(e) => {
                let _ = serve.events.send(Event::Failed(e));
                return;
            }
        }
    }
}

/// Reads one request within [`REQUEST_DEADLINE`] and answers it.
fn connection(mut stream: TcpStream, serve: &Serve) {
    let Some((method, target)) = request_line(&mut stream) else {
        return;
    };
    let ours = method == "GET" && target.split('?').next() == Some(serve.path.as_str());
    if !ours {
        answer(&mut stream, "404 Not Found", "jwtcheck: nothing here");
        return;
    }
    match (serve.judge)(&target) {
        // Only the first request that ends the wait is used.
        Reply::Done(page)
            if serve
                .finished
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok() =>
        {
            answer(&mut stream, "200 OK", &page);
            let _ = serve.events.send(Event::Done(target));
        }
        Reply::Done(_) => answer(
            &mut stream,
            "400 Bad Request",
            "This sign-in is already finished: back in the terminal, jwtcheck says how it went.",
        ),
        Reply::Ignore(page) => {
            answer(&mut stream, "400 Bad Request", &page);
            let _ = serve.events.send(Event::Ignored);
        }
    }
}

/// The method and target of a request's first line (at most 16 KiB of head read, all of it
/// within [`REQUEST_DEADLINE`]); `None` when no request line came in time.
pub fn request_line(stream: &mut TcpStream) -> Option<(String, String)> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    stream.set_nonblocking(false).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        stream.set_read_timeout(Some(left)).ok()?;
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buf.get(..n)?);
    }
    let text = String::from_utf8_lossy(&head);
    let mut words = text.lines().next()?.split_whitespace();
    let method = words.next()?.to_string();
    words.next().map(|target| (method, target.to_string()))
}

fn answer(stream: &mut TcpStream, status: &str, body: &str) {
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>jwtcheck</title><p>{}</p>",
        body.replace('&', "&amp;").replace('<', "&lt;")
    );
    respond(
        stream,
        status,
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
        ],
        &page,
    );
}

/// Writes a whole HTTP/1.1 response (`Content-Length`, `Connection: close` and `headers`) and
/// flushes it; a client that went away is not an error worth reporting.
pub fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &str) {
    let mut response = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}
