//! Listening on 127.0.0.1 only. `login`'s callback listener: one HTTP request for the expected
//! path, answered with a small page; any other request gets 404 and the wait goes on. It never
//! serves files. The request and response pieces are shared with `serve-keys`' server.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// Why no callback arrived.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The listener could not be opened.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// Nothing came in time.
    #[error("no sign-in reached the callback within {0}s")]
    Timeout(u64),
    /// The listener failed.
    #[error("the callback listener failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the listener on the loopback interface only (`port` 0: any free port).
pub fn bind(port: u16) -> Result<TcpListener, ListenError> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|source| ListenError::Bind { port, source })
}

/// Waits for `GET <path>?…` and returns its request target; `page` makes the answer's body
/// from that target.
pub fn wait(
    listener: &TcpListener,
    path: &str,
    within: Duration,
    page: impl Fn(&str) -> String,
) -> Result<String, ListenError> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + within;
    loop {
        match listener.accept() {
            Ok((mut stream, _)) => {
                let target = request_target(&mut stream);
                let ours = target
                    .as_deref()
                    .is_some_and(|t| t.split('?').next() == Some(path));
                match target {
                    Some(t) if ours => {
                        answer(&mut stream, "200 OK", &page(&t));
                        return Ok(t);
                    }
                    _ => answer(&mut stream, "404 Not Found", "jwtcheck: nothing here"),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(ListenError::Timeout(within.as_secs()));
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(e) => return Err(ListenError::Io(e)),
        }
    }
}

/// The target of a `GET` request line (at most 16 KiB of head read, within 5 seconds).
fn request_target(stream: &mut TcpStream) -> Option<String> {
    let (method, target) = request_line(stream)?;
    (method == "GET").then_some(target)
}

/// The method and target of a request's first line (at most 16 KiB of head read, within 5
/// seconds); `None` when no request line came.
pub fn request_line(stream: &mut TcpStream) -> Option<(String, String)> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
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
