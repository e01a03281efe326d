//! The one loopback HTTP server under `login`'s callback listener, `serve-keys` and `ui`:
//! axum's router on hyper's HTTP/1 connections over tokio. Each connection is served on a task
//! of its own, so a slow or idle client holds up nobody; its request head must arrive within
//! [`REQUEST_DEADLINE`] and fit in 16 KiB; at most [`MAX_CONNECTIONS`] are open at once (more are
//! closed at once); every response closes its connection. When the caller's stop future ends,
//! no connection is accepted any more and the ones open finish the response they are writing
//! (for at most [`GRACE`]).
//!
//! Nothing here runs unless a server is started: `verify` never touches it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// The time one connection has to send its whole request head.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(5);

/// The most connections served at once, per server.
pub const MAX_CONNECTIONS: usize = 32;

/// How long the connections still open may take to finish once the server stops.
pub const GRACE: Duration = Duration::from_secs(1);

/// The largest request head read (hyper answers 431 beyond it).
const MAX_HEAD: usize = 16 * 1024;

/// Serves `app` on `listeners` until `stop` ends, and returns what it returned.
pub async fn serve<T>(
    listeners: Vec<tokio::net::TcpListener>,
    app: Router,
    stop: impl Future<Output = T>,
) -> T {
    let (quit, quitting) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut accepting = JoinSet::new();
    for listener in listeners {
        accepting.spawn(accept(
            listener,
            app.clone(),
            quitting.clone(),
            permits.clone(),
        ));
    }
    let out = stop.await;
    let _ = quit.send(true);
    let _ = tokio::time::timeout(GRACE, async {
        while accepting.join_next().await.is_some() {}
    })
    .await;
    out
}

/// Accepts connections until told to quit, then waits for the open ones to finish.
async fn accept(
    listener: tokio::net::TcpListener,
    app: Router,
    mut quitting: watch::Receiver<bool>,
    permits: Arc<Semaphore>,
) {
    let mut connections = JoinSet::new();
    let told = quitting.clone();
    loop {
        tokio::select! {
            () = stopping(&mut quitting) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Over the cap: the connection is closed at once.
                    let Ok(permit) = permits.clone().try_acquire_owned() else { continue };
                    let app = app.clone();
                    let told = told.clone();
                    connections.spawn(async move {
                        connection(stream, app, told).await;
                        drop(permit);
                    });
                }
                // A connection that failed before it was accepted is the client's business; a
                // listener out of descriptors tries again a little later.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
        }
    }
    while connections.join_next().await.is_some() {}
}

/// Serves one connection: one request, within the deadline for its head.
async fn connection(
    stream: tokio::net::TcpStream,
    app: Router,
    mut quitting: watch::Receiver<bool>,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(REQUEST_DEADLINE)
        .keep_alive(false)
        .title_case_headers(true)
        .max_buf_size(MAX_HEAD);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        () = stopping(&mut quitting) => conn.as_mut().graceful_shutdown(),
    }
    let _ = conn.await;
}

/// Ends when the server stops (or is gone).
async fn stopping(quitting: &mut watch::Receiver<bool>) {
    let _ = quitting.wait_for(|q| *q).await.map(drop);
}

/// What stopped a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Ctrl-C.
    Interrupt,
    /// SIGTERM (e.g. `kill`, `docker stop`, a test's clean-up).
    Terminate,
}

impl Stop {
    /// How people name the signal.
    pub fn name(self) -> &'static str {
        match self {
            Stop::Interrupt => "Ctrl-C (SIGINT)",
            Stop::Terminate => "SIGTERM",
        }
    }
}

/// The stop signals, registered once so that none is missed between requests.
pub struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    /// Registers the handlers (inside a Tokio runtime with I/O enabled).
    #[cfg(unix)]
    pub fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The next stop signal.
    #[cfg(unix)]
    pub async fn next(&mut self) -> Stop {
        tokio::select! {
            _ = self.interrupt.recv() => Stop::Interrupt,
            _ = self.terminate.recv() => Stop::Terminate,
        }
    }

    /// Nothing to register without Unix signals.
    #[cfg(not(unix))]
    pub fn new() -> std::io::Result<Signals> {
        Ok(Signals {})
    }

    /// The next stop signal: without Unix signals, Ctrl-C is the one way to stop.
    #[cfg(not(unix))]
    pub async fn next(&mut self) -> Stop {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Stop::Interrupt,
            Err(_) => std::future::pending().await,
        }
    }
}

/// A Tokio runtime on this thread with I/O and timers, for one server.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
}

/// `listener`, handed to Tokio (inside `rt`).
pub fn adopt(
    rt: &tokio::runtime::Runtime,
    listener: std::net::TcpListener,
) -> std::io::Result<tokio::net::TcpListener> {
    let _inside = rt.enter();
    listener.set_nonblocking(true)?;
    tokio::net::TcpListener::from_std(listener)
}
