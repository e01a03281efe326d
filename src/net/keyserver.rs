//! `serve-keys`' HTTP server: fixed JSON documents at fixed paths on a 127.0.0.1 listener, one
//! request at a time, until Ctrl-C (SIGINT) or SIGTERM. Nothing else is served: no files, no
//! other paths (404), no other methods (405).

use std::net::TcpListener;

use super::listener::{request_line, respond};

/// A document and where it is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The request path, e.g. `/us-east-1_LocalDev1/.well-known/jwks.json`.
    pub path: String,
    /// The JSON body.
    pub body: String,
}

/// What stopped the server.
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

/// How the serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// The signal.
    pub stop: Stop,
    /// How many requests were answered.
    pub requests: usize,
}

/// A listener with the stop signals in hand: from the moment it exists, Ctrl-C and SIGTERM stop
/// the serving instead of the process, so a signal sent right after the banner is not lost.
pub struct Server {
    rt: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    signals: Signals,
}

impl Server {
    /// Takes over `listener` and the stop signals.
    pub fn new(listener: TcpListener) -> std::io::Result<Server> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let (listener, signals) = {
            let _inside = rt.enter();
            listener.set_nonblocking(true)?;
            (
                tokio::net::TcpListener::from_std(listener)?,
                Signals::new()?,
            )
        };
        Ok(Server {
            rt,
            listener,
            signals,
        })
    }

    /// Serves `routes` with `cache_control` on every document; `log` gets one line per request
    /// (`GET /path → 200`). Returns when a stop signal arrives.
    pub fn serve(self, routes: &[Route], cache_control: &str, log: &mut dyn FnMut(&str)) -> Served {
        let Server {
            rt,
            listener,
            mut signals,
        } = self;
        rt.block_on(async move {
            let mut requests = 0;
            loop {
                tokio::select! {
                    stop = signals.next() => return Served { stop, requests },
                    accepted = listener.accept() => {
                        // A connection that failed before it was accepted is the client's
                        // problem.
                        let Ok((stream, _)) = accepted else { continue };
                        let Ok(mut stream) = stream.into_std() else { continue };
                        requests += 1;
                        log(&answer(&mut stream, routes, cache_control));
                    }
                }
            }
        })
    }
}

/// Answers one request and says how, for the log.
fn answer(stream: &mut std::net::TcpStream, routes: &[Route], cache_control: &str) -> String {
    let Some((method, target)) = request_line(stream) else {
        return "(no request line) → closed".into();
    };
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let found = routes.iter().find(|r| r.path == path);
    let status = match (method.as_str(), found) {
        ("GET", Some(route)) => {
            respond(
                stream,
                "200 OK",
                &[
                    ("Content-Type", "application/json"),
                    ("Cache-Control", cache_control),
                ],
                &route.body,
            );
            "200"
        }
        (_, Some(_)) => {
            respond(
                stream,
                "405 Method Not Allowed",
                &[("Allow", "GET"), ("Content-Type", "text/plain")],
                "jwtcheck serve-keys: only GET\n",
            );
            "405"
        }
        (_, None) => {
            respond(
                stream,
                "404 Not Found",
                &[("Content-Type", "text/plain")],
                "jwtcheck serve-keys: nothing here\n",
            );
            "404"
        }
    };
    format!("{method} {target} → {status}")
}

/// The stop signals, registered once so that none is missed between requests.
pub(crate) struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    /// Registers the handlers (inside a Tokio runtime with I/O enabled).
    #[cfg(unix)]
    pub(crate) fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The next stop signal.
    #[cfg(unix)]
    pub(crate) async fn next(&mut self) -> Stop {
        tokio::select! {
            _ = self.interrupt.recv() => Stop::Interrupt,
            _ = self.terminate.recv() => Stop::Terminate,
        }
    }

    #[cfg(not(unix))]
    pub(crate) fn new() -> std::io::Result<Signals> {
        Ok(Signals {})
    }

    #[cfg(not(unix))]
    pub(crate) async fn next(&mut self) -> Stop {
        // Without Unix signals, Ctrl-C is the one way to stop.
        match tokio::signal::ctrl_c().await {
            Ok(()) => Stop::Interrupt,
            Err(_) => std::future::pending().await,
        }
    }
}
