//! Loopback listeners. `login`'s callback listener answers every address `localhost` may name
//! (127.0.0.1 and ::1, one port) on the one server ([`super::server`]): each connection is
//! served on its own within a deadline for its request head, so a slow or idle client never
//! holds up the browser's callback and the overall wait ends on time. Requests for the expected
//! path are judged by the caller: the one that ends the wait gets the caller's page, the ones it
//! ignores get 400 and the wait goes on; any other request gets 404. It never serves files.

use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::server;

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

/// Opens a listener on 127.0.0.1 only (`port` 0: any free port): `serve-keys`, `ui`.
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

/// What a request handler tells the waiting one.
enum Event {
    Done(String),
    Ignored,
}

/// Waits, at most `within`, for `GET <path>?…` that `judge` says ends the wait, serving every
/// connection on its own; returns its target and how many requests `judge` ignored.
pub fn wait(
    listener: &Localhost,
    path: &str,
    within: Duration,
    judge: Arc<dyn Fn(&str) -> Reply + Send + Sync>,
) -> Result<Waited, ListenError> {
    let rt = server::runtime()?;
    let sockets = listener
        .sockets
        .iter()
        .map(|s| server::adopt(&rt, s.try_clone()?))
        .collect::<std::io::Result<Vec<_>>>()?;
    let (events, mut inbox) = tokio::sync::mpsc::unbounded_channel();
    let finished = Arc::new(AtomicBool::new(false));
    let path: Arc<str> = path.into();
    let app = Router::new().fallback(move |request: Request<axum::body::Body>| {
        let (path, judge, events, finished) = (
            path.clone(),
            judge.clone(),
            events.clone(),
            finished.clone(),
        );
        async move { answer(&request, &path, judge.as_ref(), &events, &finished) }
    });
    rt.block_on(server::serve(sockets, app, async move {
        let deadline = tokio::time::sleep(within);
        tokio::pin!(deadline);
        let mut ignored = 0;
        loop {
            tokio::select! {
                () = &mut deadline => {
                    return Err(ListenError::Timeout { waited: within.as_secs(), ignored });
                }
                event = inbox.recv() => match event {
                    Some(Event::Done(target)) => return Ok(Waited { target, ignored }),
                    Some(Event::Ignored) => ignored += 1,
                    None => return Err(ListenError::Io(std::io::ErrorKind::BrokenPipe.into())),
                },
            }
        }
    }))
}

/// Answers one request: the caller judges those for the expected path.
fn answer<B>(
    request: &Request<B>,
    path: &str,
    judge: &(dyn Fn(&str) -> Reply + Send + Sync),
    events: &tokio::sync::mpsc::UnboundedSender<Event>,
    finished: &AtomicBool,
) -> Response {
    if request.method() != Method::GET || request.uri().path() != path {
        return page(StatusCode::NOT_FOUND, "jwtcheck: nothing here");
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or(path, |p| p.as_str())
        .to_string();
    match judge(&target) {
        // Only the first request that ends the wait is used.
        Reply::Done(text)
            if finished
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok() =>
        {
            let _ = events.send(Event::Done(target));
            page(StatusCode::OK, &text)
        }
        Reply::Done(_) => page(
            StatusCode::BAD_REQUEST,
            "This sign-in is already finished: back in the terminal, jwtcheck says how it went.",
        ),
        Reply::Ignore(text) => {
            let _ = events.send(Event::Ignored);
            page(StatusCode::BAD_REQUEST, &text)
        }
    }
}

/// A page of one paragraph, never cached.
fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><meta charset=utf-8><title>jwtcheck</title><p>{}</p>",
        body.replace('&', "&amp;").replace('<', "&lt;")
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}
