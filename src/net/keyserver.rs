//! `serve-keys`' HTTP server: fixed JSON documents at fixed paths on a 127.0.0.1 listener,
//! until Ctrl-C (SIGINT) or SIGTERM. Nothing else is served: no files, no other paths (404), no
//! other methods (405).

use std::net::TcpListener;
use std::sync::Arc;

use axum::Router;
use axum::http::{Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::server::{self, Signals, Stop};

/// A document and where it is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The request path, e.g. `/us-east-1_LocalDev1/.well-known/jwks.json`.
    pub path: String,
    /// The JSON body.
    pub body: String,
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
        let rt = server::runtime()?;
        let listener = server::adopt(&rt, listener)?;
        let signals = {
            let _inside = rt.enter();
            Signals::new()?
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
        let (lines, mut inbox) = tokio::sync::mpsc::unbounded_channel::<String>();
        let routes: Arc<[Route]> = routes.into();
        let cache_control: Arc<str> = cache_control.into();
        let app = Router::new().fallback(move |request: Request<axum::body::Body>| {
            let (routes, cache_control, lines) =
                (routes.clone(), cache_control.clone(), lines.clone());
            async move {
                let (status, response) = answer(&request, &routes, &cache_control);
                let target = request
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string();
                let _ = lines.send(format!("{} {target} → {status}", request.method()));
                response
            }
        });
        rt.block_on(async move {
            let mut requests = 0;
            let stop = server::serve(vec![listener], app, async {
                loop {
                    tokio::select! {
                        stop = signals.next() => return stop,
                        Some(line) = inbox.recv() => {
                            requests += 1;
                            log(&line);
                        }
                    }
                }
            })
            .await;
            while let Ok(line) = inbox.try_recv() {
                requests += 1;
                log(&line);
            }
            Served { stop, requests }
        })
    }
}

/// Answers one request, with its status for the log.
fn answer<B>(request: &Request<B>, routes: &[Route], cache_control: &str) -> (u16, Response) {
    let found = routes.iter().find(|r| r.path == request.uri().path());
    let response = match (request.method() == Method::GET, found) {
        (true, Some(route)) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, cache_control),
            ],
            route.body.clone(),
        )
            .into_response(),
        (false, Some(_)) => (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET"), (header::CONTENT_TYPE, "text/plain")],
            "jwtcheck serve-keys: only GET\n",
        )
            .into_response(),
        (_, None) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            "jwtcheck serve-keys: nothing here\n",
        )
            .into_response(),
    };
    (response.status().as_u16(), response)
}
