//! Fetching JSON documents (key sets, discovery) through a small on-disk cache that honours the
//! server's `Cache-Control` (`max-age`, `no-cache`, `no-store`), `Age`, `Expires` and `ETag`.
//!
//! A fresh entry means zero network requests. A stale one is revalidated (`If-None-Match`) or
//! refetched. `--refresh` always fetches, `--no-cache` neither reads nor writes, `--offline` uses
//! whatever is cached (at any age) or fails.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock;
use crate::http::{CacheHeaders, lifetime};
use crate::jose::json;
use crate::net::fetch::{FetchError, Fetcher};

pub use crate::settings::Mode;

/// A cached document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The URL it was fetched from.
    pub url: String,
    /// When (Unix seconds).
    pub fetched_at: f64,
    /// Until when it may be used without asking the server.
    pub fresh_until: f64,
    /// The caching headers the server sent.
    pub headers: CacheHeaders,
    /// The JSON text.
    pub body: String,
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// Fetched now.
    Network,
    /// Cached, confirmed unchanged by the server (304).
    Revalidated,
    /// Cached, used without asking.
    Cache {
        /// Whether it was still fresh.
        fresh: bool,
    },
}

/// A JSON document and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The URL.
    pub url: String,
    /// The parsed JSON.
    pub value: Value,
    /// Caching headers (as sent when it was fetched).
    pub headers: CacheHeaders,
    /// Network or cache.
    pub origin: Origin,
    /// When it was fetched.
    pub fetched_at: f64,
    /// Until when it is fresh.
    pub fresh_until: f64,
    /// Member names the document repeats (the first value is kept, as Hasura keeps it).
    pub duplicates: Vec<String>,
}

impl Document {
    /// `network`, or `cache, fetched 12m ago, fresh for 48m` and the like.
    pub fn describe(&self, now: f64) -> String {
        let age = clock::span(now - self.fetched_at);
        match self.origin {
            Origin::Network => "network, just now".into(),
            Origin::Revalidated => {
                format!("cache, fetched {age} ago, confirmed unchanged by the server just now")
            }
            Origin::Cache { fresh: true } => format!(
                "cache, fetched {age} ago, fresh for {} more",
                clock::span(self.fresh_until - now)
            ),
            Origin::Cache { fresh: false } => {
                format!("cache, fetched {age} ago, stale (--offline)")
            }
        }
    }
}

/// The platform's cache folder for jwtcheck.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return env("LOCALAPPDATA").map(|d| d.join("jwtcheck").join("cache"));
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Caches/jwtcheck"));
    }
    env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("jwtcheck"))
}

/// The document cache.
pub struct Cache {
    dir: Option<PathBuf>,
    mode: Mode,
    /// The largest entry read ([`MAX_ENTRY`] unless raised).
    max_entry: u64,
}

impl Cache {
    /// A cache in `dir` (none: caching off) used in `mode`.
    pub fn new(dir: Option<PathBuf>, mode: Mode) -> Cache {
        let dir = if mode == Mode::Off { None } else { dir };
        Cache {
            dir,
            mode,
            max_entry: MAX_ENTRY,
        }
    }

    /// The same cache reading entries of up to `max` bytes (never fewer than [`MAX_ENTRY`]):
    /// a key set allowed over the fetch cap must also be read back.
    pub fn with_max_entry(mut self, max: u64) -> Cache {
        self.max_entry = max.max(MAX_ENTRY);
        self
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn path(&self, url: &str) -> Option<PathBuf> {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, url.as_bytes());
        let name: String = digest
            .as_ref()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.as_ref().map(|d| d.join(format!("{name}.json")))
    }

    /// The cached entry for `url`, if any: read only from a regular file (never through a
    /// link, a FIFO or a device), at most its entry cap; anything else is a miss.
    pub fn load(&self, url: &str) -> Option<Entry> {
        let text = read_regular(&self.path(url)?, self.max_entry)?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.url == url && entry.fetched_at.is_finite() && entry.fresh_until.is_finite())
            .then_some(entry)
    }

    fn remove(&self, url: &str) {
        if let Some(path) = self.path(url) {
            let _ = std::fs::remove_file(path);
        }
    }

    fn store(&self, entry: &Entry) {
        let (Some(dir), Some(path)) = (&self.dir, self.path(&entry.url)) else {
            return;
        };
        // A cache that cannot be written only costs a later fetch.
        let _ = write_atomically(dir, &path, entry);
    }

    /// Gets a JSON document: from the cache when the mode and freshness allow, else from the
    /// network (`force` skips the cache, e.g. to refetch a key set after a kid miss).
    pub fn get(
        &self,
        fetcher: &mut Fetcher,
        url: &str,
        now: f64,
        force: bool,
    ) -> Result<Document, FetchError> {
        // An entry whose body is not JSON is as good as none (and is not revalidated).
        let cached = self
            .load(url)
            .and_then(|e| parse_body(url, &e.body).ok().map(|value| (e, value)));
        if self.mode == Mode::Offline {
            return match cached {
                Some((e, value)) => {
                    let fresh = now < e.fresh_until;
                    document(e, value, Origin::Cache { fresh })
                }
                None => Err(FetchError::NotCached(url.to_string())),
            };
        }
        if !force
            && self.mode == Mode::Normal
            && let Some((e, value)) = &cached
            && now < e.fresh_until
        {
            return document(e.clone(), value.clone(), Origin::Cache { fresh: true });
        }
        let etag = cached.as_ref().and_then(|(e, _)| e.headers.etag.clone());
        let resp = fetcher.get(url, etag.as_deref())?;
        if resp.status == 304
            && let Some((mut e, value)) = cached
        {
            let headers = if resp.headers.cache_control.is_some() || resp.headers.expires.is_some()
            {
                resp.headers.clone()
            } else {
                e.headers.clone()
            };
            e.fetched_at = now;
            e.fresh_until = now + lifetime(&headers, now).unwrap_or(0.0);
            e.headers = headers;
            self.store(&e);
            return document(e, value, Origin::Revalidated);
        }
        let body = String::from_utf8(resp.body).map_err(|_| FetchError::InvalidJson {
            url: url.to_string(),
            detail: "the body is not UTF-8 text".into(),
        })?;
        let value = parse_body(url, &body)?;
        let ttl = lifetime(&resp.headers, now);
        let entry = Entry {
            url: url.to_string(),
            fetched_at: now,
            fresh_until: now + ttl.unwrap_or(0.0),
            headers: resp.headers,
            body,
        };
        match ttl {
            Some(_) => self.store(&entry),
            // no-store: an older copy must not be used either.
            None => self.remove(url),
        }
        document(entry, value, Origin::Network)
    }
}

fn document(e: Entry, parsed: json::Parsed, origin: Origin) -> Result<Document, FetchError> {
    Ok(Document {
        url: e.url,
        value: parsed.value,
        duplicates: parsed.duplicates,
        headers: e.headers,
        origin,
        fetched_at: e.fetched_at,
        fresh_until: e.fresh_until,
    })
}

fn parse_body(url: &str, body: &str) -> Result<json::Parsed, FetchError> {
    json::parse_first_wins(body.as_bytes()).map_err(|e| FetchError::InvalidJson {
        url: url.to_string(),
        detail: e.to_string(),
    })
}

/// The largest cache entry read: a body at the fetch cap, escaped in JSON, and its headers.
pub const MAX_ENTRY: u64 = 3 * crate::net::fetch::MAX_BODY as u64;

/// The text of a regular file of at most `cap` bytes; `None` for anything else. The file opened
/// is checked to be the one looked at (no link swapped in between).
fn read_regular(path: &Path, cap: u64) -> Option<String> {
    use std::io::Read;
    let seen = std::fs::symlink_metadata(path).ok()?;
    if !seen.file_type().is_file() || seen.len() > cap {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let opened = file.metadata().ok()?;
    if !opened.is_file() || !same_file(&seen, &opened) {
        return None;
    }
    let mut text = String::new();
    file.take(cap).read_to_string(&mut text).ok()?;
    Some(text)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len()
}

/// Writes an entry by a new file and a rename, so that a reader sees the old entry or the new
/// one, never half of one. The temporary file is created exclusively (a link planted at its
/// name is not followed), readable by its owner only, in a folder the user owns.
fn write_atomically(dir: &Path, path: &Path, entry: &Entry) -> std::io::Result<()> {
    use std::io::Write;
    create_private_dir(dir)?;
    let mut nonce = [0u8; 8];
    aws_lc_rs::rand::fill(&mut nonce).map_err(|_| std::io::Error::other("no randomness"))?;
    let suffix: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = path.with_extension(format!("tmp-{}-{suffix}", std::process::id()));
    let mut file = new_private_file(&tmp)?;
    let owned = owned_by_us(dir, &file);
    let written = owned.and_then(|()| {
        file.write_all(&serde_json::to_vec(entry).map_err(std::io::Error::other)?)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// The cache folder must belong to whoever runs jwtcheck (the file just created does): another
/// user's folder could swap entries.
#[cfg(unix)]
fn owned_by_us(dir: &Path, file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let (dir_meta, file_meta) = (std::fs::metadata(dir)?, file.metadata()?);
    if dir_meta.uid() == file_meta.uid() {
        Ok(())
    } else {
        Err(std::io::Error::other(
            "the cache folder belongs to another user",
        ))
    }
}

#[cfg(not(unix))]
fn owned_by_us(_dir: &Path, _file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().to_path_buf()), Mode::Normal);
        let e = Entry {
            url: "https://x/jwks".into(),
            fetched_at: 1.0,
            fresh_until: 2.0,
            headers: CacheHeaders::default(),
            body: "{\"keys\":[]}".into(),
        };
        cache.store(&e);
        assert_eq!(cache.load("https://x/jwks"), Some(e));
        assert_eq!(cache.load("https://y/jwks"), None);
        let off = Cache::new(Some(dir.path().to_path_buf()), Mode::Off);
        assert_eq!(off.load("https://x/jwks"), None);
    }
}
