//! HTTP GET for key sets and discovery documents: https only (plain http only on loopback, for
//! local development), connect and total timeouts, a response size cap, at most three redirects
//! and never to plain http elsewhere. Proxies come from `HTTPS_PROXY` / `HTTP_PROXY` /
//! `NO_PROXY` as usual (not for loopback).
//!
//! One current-thread runtime and one client per process, made on first use: a run that needs no
//! network pays nothing for them.

use crate::report::Id;
use std::time::Duration;

use url::Url;

pub use crate::http::CacheHeaders;
use crate::http::is_loopback;

/// The default total timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest response body accepted.
pub const MAX_BODY: usize = 1024 * 1024;
/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 3;

/// A response that arrived whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The final URL (after redirects).
    pub url: String,
    /// The status code (2xx, or 304 for a conditional request).
    pub status: u16,
    /// Caching headers.
    pub headers: CacheHeaders,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// Not an absolute https URL (or http on loopback).
    #[error("{0:?} is not an https URL")]
    BadUrl(String),
    /// Plain http to a host that is not loopback.
    #[error(
        "refusing {0}: keys are fetched over https only (plain http only on 127.0.0.1, ::1 or localhost)"
    )]
    Insecure(String),
    /// The host name did not resolve.
    #[error("cannot resolve {host}: {detail}")]
    Dns {
        /// The host.
        host: String,
        /// What the resolver said.
        detail: String,
    },
    /// Connection refused, reset, unreachable.
    #[error("cannot connect to {host}: {detail}")]
    Connect {
        /// The host.
        host: String,
        /// Why.
        detail: String,
    },
    /// TLS handshake or certificate failure.
    #[error("TLS failed with {host}: {detail}")]
    Tls {
        /// The host.
        host: String,
        /// Why.
        detail: String,
    },
    /// No complete answer in time.
    #[error("{url} did not answer within {secs}s")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        secs: f64,
    },
    /// A non-success status.
    #[error("{url} answered HTTP {status}{}", retry_after.as_ref().map(|r| format!(" (Retry-After: {r})")).unwrap_or_default())]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// The server's `Retry-After` (seconds or a date), at most 64 characters of it.
        retry_after: Option<String>,
    },
    /// The body is over the cap.
    #[error("{url} sent more than {limit} bytes, jwtcheck's cap on a response")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// A refused or looping redirect.
    #[error("redirect refused: {0}")]
    Redirect(String),
    /// The body is not JSON.
    #[error("{url} did not send JSON: {detail}")]
    InvalidJson {
        /// The URL.
        url: String,
        /// Why.
        detail: String,
    },
    /// `--offline` and nothing cached.
    #[error("--offline, and nothing is cached for {0}")]
    NotCached(String),
    /// Anything else the HTTP stack reported.
    #[error("fetching {url} failed: {detail}")]
    Other {
        /// The URL.
        url: String,
        /// What happened.
        detail: String,
    },
}

impl FetchError {
    /// Stable id.
    pub fn id(&self) -> Id {
        match self {
            FetchError::BadUrl(_) => Id::FetchBadUrl,
            FetchError::Insecure(_) => Id::FetchInsecure,
            FetchError::Dns { .. } => Id::FetchDns,
            FetchError::Connect { .. } => Id::FetchConnect,
            FetchError::Tls { .. } => Id::FetchTls,
            FetchError::Timeout { .. } => Id::FetchTimeout,
            FetchError::Status { .. } => Id::FetchStatus,
            FetchError::TooLarge { .. } => Id::FetchTooLarge,
            FetchError::Redirect(_) => Id::FetchRedirect,
            FetchError::InvalidJson { .. } => Id::FetchInvalidJson,
            FetchError::NotCached(_) => Id::CacheOfflineMiss,
            FetchError::Other { .. } => Id::FetchOther,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            FetchError::BadUrl(_) => "give an absolute https:// URL".into(),
            FetchError::Insecure(_) => "use the https:// URL; for a local server use 127.0.0.1 or localhost".into(),
            FetchError::Dns { .. } => "check the host name (for Cognito: the region and pool id); offline, use a cached copy with --offline or a file with --jwks FILE".into(),
            FetchError::Connect { .. } => "check the network and any proxy (HTTPS_PROXY); offline, use --offline or --jwks FILE".into(),
            FetchError::Tls { .. } => "the server's certificate is not trusted for this name; check the URL (and a TLS-intercepting proxy)".into(),
            FetchError::Timeout { .. } => "raise the limit with --timeout SECONDS, or use --offline / --jwks FILE".into(),
            FetchError::Status { status: 403, .. } => "for Cognito, a 403 from issuer-cognito-idp means the pool does not use the updated issuer: use the cognito-idp URL".into(),
            FetchError::Status { status: 404, .. } => "check the path: Cognito serves <issuer>/.well-known/jwks.json; OIDC issuers name it in jwks_uri".into(),
            FetchError::Status { status: 304, .. } => "the server answered 'not modified' to a request that had nothing cached to compare with (a broken server or cache in between); use --jwks FILE or another URL".into(),
            FetchError::Status { retry_after: Some(r), .. } => format!("the server is unavailable for now and asks to retry after {r}; until then use --offline (a cached copy) or --jwks FILE"),
            FetchError::Status { .. } => "the server failed; try again, or use --offline / --jwks FILE".into(),
            FetchError::TooLarge { .. } => "a key set is a few KiB: check the URL; if this one is genuine (thousands of keys), raise the cap with --max-input BYTES".into(),
            FetchError::Redirect(_) => "give the final https URL directly".into(),
            FetchError::InvalidJson { .. } => "check the URL: it should serve a JSON key set (or discovery document)".into(),
            FetchError::NotCached(_) => "run once without --offline to fill the cache (or give the key set with --jwks FILE)".into(),
            FetchError::Other { .. } => "check the URL and the network".into(),
        }
    }
}

/// Parses a URL and applies the transport rule: https, or http on loopback.
pub fn check_url(text: &str) -> Result<Url, FetchError> {
    let url = Url::parse(text).map_err(|_| FetchError::BadUrl(text.to_string()))?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(FetchError::Insecure(text.to_string())),
        _ => Err(FetchError::BadUrl(text.to_string())),
    }
}

/// Does HTTP GETs; the runtime and clients are made on first use.
pub struct Fetcher {
    timeout: Duration,
    /// The largest body read ([`MAX_BODY`] unless raised).
    limit: usize,
    runtime: Option<tokio::runtime::Runtime>,
    clients: (Option<reqwest::Client>, Option<reqwest::Client>),
    /// Requests sent so far (for the report).
    pub requests: usize,
}

impl Fetcher {
    /// A fetcher with the given total timeout per request.
    pub fn new(timeout: Duration) -> Fetcher {
        Fetcher {
            timeout,
            limit: MAX_BODY,
            runtime: None,
            clients: (None, None),
            requests: 0,
        }
    }

    /// The same fetcher reading bodies of up to `limit` bytes (never fewer than [`MAX_BODY`]).
    pub fn with_limit(mut self, limit: usize) -> Fetcher {
        self.limit = limit.max(MAX_BODY);
        self
    }

    /// GETs `url`; with `etag`, asks `If-None-Match` and accepts a 304.
    pub fn get(&mut self, url: &str, etag: Option<&str>) -> Result<Response, FetchError> {
        let parsed = check_url(url)?;
        let loopback = is_loopback(&parsed);
        let timeout = self.timeout;
        if self.runtime.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| FetchError::Other {
                    url: url.to_string(),
                    detail: e.to_string(),
                })?;
            self.runtime = Some(rt);
        }
        // One client for public hosts, one for loopback (no proxy there).
        let slot = if loopback {
            &mut self.clients.1
        } else {
            &mut self.clients.0
        };
        if slot.is_none() {
            *slot = Some(client(timeout, loopback).map_err(|e| FetchError::Other {
                url: url.to_string(),
                detail: e.to_string(),
            })?);
        }
        let (Some(rt), Some(client)) = (&self.runtime, &*slot) else {
            // Both were filled in just above.
            return Err(FetchError::Other {
                url: url.to_string(),
                detail: "HTTP client unavailable".into(),
            });
        };
        self.requests += 1;
        rt.block_on(get(client, parsed, etag, timeout, self.limit))
    }

    /// POSTs a form to `url` (https, or http on loopback) and returns the status and body.
    pub fn post_form(
        &mut self,
        url: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> Result<(u16, Vec<u8>), FetchError> {
        let parsed = check_url(url)?;
        let loopback = is_loopback(&parsed);
        let other = |e: &dyn std::fmt::Display| FetchError::Other {
            url: url.to_string(),
            detail: e.to_string(),
        };
        if self.runtime.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| other(&e))?;
            self.runtime = Some(rt);
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("jwtcheck/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(self.timeout.min(Duration::from_secs(3)))
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| other(&e))?;
        let Some(rt) = &self.runtime else {
            // Filled in just above.
            return Err(other(&"no runtime"));
        };
        self.requests += 1;
        rt.block_on(post(&client, parsed, form, basic, self.timeout))
    }
}

fn client(timeout: Duration, loopback: bool) -> reqwest::Result<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        // `previous` holds the original URL and every redirect so far.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        let from_loopback = attempt.previous().iter().all(is_loopback);
        let to = attempt.url();
        let ok =
            to.scheme() == "https" || (to.scheme() == "http" && is_loopback(to) && from_loopback);
        if ok {
            attempt.follow()
        } else {
            let target = to.to_string();
            attempt.error(format!("redirect to {target} is not https"))
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("jwtcheck/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(timeout.min(Duration::from_secs(3)))
        .timeout(timeout)
        .redirect(policy);
    if loopback {
        builder = builder.no_proxy();
    }
    builder.build()
}

/// The body, at most `limit` bytes.
async fn read_capped(
    resp: &mut reqwest::Response,
    url: &str,
    limit: usize,
    classify: impl Fn(reqwest::Error) -> FetchError,
) -> Result<Vec<u8>, FetchError> {
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit,
    };
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(&classify)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A POST of a form (an OAuth token request): no redirect is followed, every status is
/// returned with its body (error bodies say what went wrong), the same limits as a GET.
async fn post(
    client: &reqwest::Client,
    url: Url,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), FetchError> {
    let text = url.to_string();
    let host = url.host_str().unwrap_or("").to_string();
    let mut request = client
        .post(url)
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        );
    if let Some((user, password)) = basic {
        request = request.basic_auth(user, Some(password));
    }
    let classify = |e: reqwest::Error| classify(e, &text, &host, timeout);
    let mut resp = request.send().await.map_err(classify)?;
    let status = resp.status().as_u16();
    if resp.status().is_redirection() {
        return Err(FetchError::Redirect(format!(
            "the token endpoint answered {status} with a redirect, which jwtcheck does not follow for a POST"
        )));
    }
    let body = read_capped(&mut resp, &text, MAX_BODY, classify).await?;
    Ok((status, body))
}

async fn get(
    client: &reqwest::Client,
    url: Url,
    etag: Option<&str>,
    timeout: Duration,
    limit: usize,
) -> Result<Response, FetchError> {
    let text = url.to_string();
    let host = url.host_str().unwrap_or("").to_string();
    let mut request = client.get(url).header("Accept", "application/json");
    if let Some(tag) = etag {
        request = request.header("If-None-Match", tag);
    }
    let classify = |e: reqwest::Error| classify(e, &text, &host, timeout);
    let mut resp = request.send().await.map_err(classify)?;
    let status = resp.status().as_u16();
    let final_url = resp.url().to_string();
    // A redirect the client did not follow: one to a scheme it does not speak (`file:`,
    // `ftp:`), or with no usable Location.
    if resp.status().is_redirection() && status != 304 {
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("nowhere");
        return Err(FetchError::Redirect(format!(
            "{final_url} answered {status} with a redirect to {location}, which is not https"
        )));
    }
    if !(resp.status().is_success() || (status == 304 && etag.is_some())) {
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().chars().take(64).collect());
        return Err(FetchError::Status {
            url: final_url,
            status,
            retry_after,
        });
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let headers = CacheHeaders {
        cache_control: header("cache-control"),
        expires: header("expires"),
        age: header("age"),
        etag: header("etag"),
        date: header("date"),
    };
    let body = read_capped(&mut resp, &final_url, limit, classify).await?;
    Ok(Response {
        url: final_url,
        status,
        headers,
        body,
    })
}

/// rustls reports a failed handshake or certificate check through tokio-rustls as an I/O error
/// of kind InvalidData, which hyper may wrap in another I/O error (whose `source` skips it).
fn is_tls(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::InvalidData
        || io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(is_tls)
}

fn classify(e: reqwest::Error, url: &str, host: &str, timeout: Duration) -> FetchError {
    // The innermost cause, for the message; the kinds, for the classification.
    let mut detail = e.to_string();
    let mut tls = false;
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = source {
        detail = s.to_string();
        tls |= s.downcast_ref::<std::io::Error>().is_some_and(is_tls);
        source = s.source();
    }
    if e.is_timeout() {
        FetchError::Timeout {
            url: url.to_string(),
            secs: timeout.as_secs_f64(),
        }
    } else if e.is_redirect() {
        FetchError::Redirect(detail)
    } else if e.is_dns() {
        FetchError::Dns {
            host: host.to_string(),
            detail,
        }
    } else if tls {
        FetchError::Tls {
            host: host.to_string(),
            detail,
        }
    } else if e.is_connect() {
        FetchError::Connect {
            host: host.to_string(),
            detail,
        }
    } else {
        FetchError::Other {
            url: url.to_string(),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_or_loopback_only() {
        assert!(check_url("https://cognito-idp.us-east-1.amazonaws.com/x").is_ok());
        for ok in [
            "http://127.0.0.1:8080/jwks",
            "http://localhost/x",
            "http://[::1]:9/x",
            "http://127.8.9.1/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check_url("http://example.com/jwks").unwrap_err().id(),
            "fetch.insecure"
        );
        assert_eq!(check_url("ftp://x/y").unwrap_err().id(), "fetch.bad_url");
        assert_eq!(check_url("not a url").unwrap_err().id(), "fetch.bad_url");
        assert_eq!(
            check_url("http://localhost.evil.com/").unwrap_err().id(),
            "fetch.insecure"
        );
    }
}
