//! Keys as the judge sees them: what a key source gave ([`Loaded`]), why it gave nothing
//! ([`KeyError`]), who provides them ([`KeyProvider`]: the network loader, or keys in memory),
//! and the one refetch policy: a key set that may be stale is fetched again once.

use std::sync::Arc;

use serde_json::Value;

use crate::http::CacheHeaders;
use crate::jose::jwk::{Key, KeySet};
use crate::jose::select::{Keys, Provenance};
use crate::lint::keyset;
use crate::report::{Check, Id, KeySourceInfo, Status};
use crate::settings::{KeySource, UsageError};

/// Keys ready for verification, and where they came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The keys.
    pub set: KeySet,
    /// What kind of source.
    pub provenance: Provenance,
    /// A display name: URL, path, `--secret-env NAME`.
    pub source: String,
    /// Network or cache, and age.
    pub fetched: Option<String>,
    /// Whether the key set came from a cache rather than from the source itself in this run.
    pub cached: bool,
    /// For a key set fetched over HTTP: its caching headers, and when it was fetched.
    pub http: Option<Fetched>,
    /// The issuer the key source vouches for (discovery, a Cognito pool from the token).
    pub issuer: Option<String>,
    /// Warnings about the keys or how they were found.
    pub notes: Vec<Check>,
    /// The key set document as read (URL or file), for stricter readers than jwtcheck's.
    pub raw: Option<Arc<Value>>,
    /// Member names the key set document repeats (the first value is used, as Hasura does).
    pub duplicates: Vec<String>,
}

impl Loaded {
    /// The keys, as signature checking takes them.
    pub fn keys(&self) -> Keys<'_> {
        Keys {
            set: &self.set,
            provenance: self.provenance,
            source: &self.source,
            fetched: self.fetched.as_deref(),
        }
    }

    /// Where the keys came from, for the report.
    pub fn source_info(&self) -> KeySourceInfo {
        KeySourceInfo {
            source: self.source.clone(),
            fetched: self.fetched.clone(),
        }
    }
}

/// A key set fetched over HTTP: the caching headers it came with, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// The caching headers.
    pub headers: CacheHeaders,
    /// When it was fetched (seconds since the epoch, system clock).
    pub at: f64,
}

/// Why keys could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyError {
    /// A flag problem (unreadable file, no key source): exit 2.
    Usage(UsageError),
    /// The keys could not be obtained (network, bad key set): exit 3.
    Unavailable {
        /// Stable id.
        id: Id,
        /// One line.
        message: String,
        /// What to do.
        hint: String,
        /// When the key set document was read but could not be used: where it came from.
        origin: Option<Box<KeySourceInfo>>,
        /// Whether that document came from a cache (a fresh fetch may tell otherwise).
        cached: bool,
        /// The HTTP status the key set's URL answered, when the server answered one that is not
        /// a success (what an engine that fetches it would get too).
        status: Option<u16>,
    },
}

impl KeyError {
    /// Keys that could not be obtained.
    pub fn unavailable(id: Id, message: impl Into<String>, hint: impl Into<String>) -> KeyError {
        KeyError::Unavailable {
            id,
            message: message.into(),
            hint: hint.into(),
            origin: None,
            cached: false,
            status: None,
        }
    }

    /// The same error, about a URL that answered the non-success HTTP `status`.
    pub fn with_status(self, status: u16) -> KeyError {
        match self {
            KeyError::Unavailable {
                id,
                message,
                hint,
                origin,
                cached,
                ..
            } => KeyError::Unavailable {
                id,
                message,
                hint,
                origin,
                cached,
                status: Some(status),
            },
            usage => usage,
        }
    }

    /// The non-success HTTP status the key set's URL answered, if that is why.
    pub fn status(&self) -> Option<u16> {
        match self {
            KeyError::Unavailable { status, .. } => *status,
            KeyError::Usage(_) => None,
        }
    }

    /// The same error, about a document read from `source` (`fetched`: how; `cached`: from a
    /// cache).
    pub fn about(self, source: &str, fetched: Option<&str>, cached: bool) -> KeyError {
        match self {
            KeyError::Unavailable {
                id,
                message,
                hint,
                status,
                ..
            } => KeyError::Unavailable {
                id,
                message,
                hint,
                status,
                origin: Some(Box::new(KeySourceInfo {
                    source: source.to_string(),
                    fetched: fetched.map(str::to_string),
                })),
                cached,
            },
            usage => usage,
        }
    }
}

/// Who hands the judge its keys: the network loader (fetch, cache, discovery), or a caller that
/// holds them in memory (tests, a page).
pub trait KeyProvider {
    /// The keys of `source`; `token_iss` is the token's unverified `iss` (only to recognise a
    /// Cognito pool or pick among issuers); `fresh` skips every cache.
    fn keys(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        fresh: bool,
    ) -> Result<Arc<Loaded>, KeyError>;

    /// The key set at `url` (a Hasura configuration's `jwk_url`, a DDN `jwkFromUrl`).
    fn key_set(&mut self, url: &str, fresh: bool) -> Result<Arc<Loaded>, KeyError>;

    /// Whether a key set that came from a cache may be fetched again (not with `--offline`).
    fn may_refetch(&self) -> bool;
}

/// Why a key set is fetched again: the only reasons, each once per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refetch {
    /// The token's `kid` is not in the cached set: the issuer may have rotated its keys.
    KidMiss,
    /// The cached set has no keys, or none jwtcheck can use: the server may have been fixed.
    NoUsableKey,
}

impl Refetch {
    /// Whether keys from a cache (`cached`) are worth fetching again for this reason.
    pub fn worth(cached: bool, provider: &dyn KeyProvider) -> bool {
        cached && provider.may_refetch()
    }

    /// The row that says the set was fetched again, and why.
    pub fn note(self) -> Check {
        let message = match self {
            Refetch::KidMiss => {
                "the token's kid was not in the cached key set, so it was fetched again"
            }
            Refetch::NoUsableKey => "the cached key set had no usable key, so it was fetched again",
        };
        Check::new(Id::Key, Status::Skip, message)
    }
}

/// Loads keys once, and once more from the source when the cached set has no usable key (an
/// empty set cached while the issuer was broken must not outlive the fix).
pub fn load<F>(
    provider: &mut dyn KeyProvider,
    mut load: F,
    notes: &mut Vec<Check>,
) -> Result<Arc<Loaded>, KeyError>
where
    F: FnMut(&mut dyn KeyProvider, bool) -> Result<Arc<Loaded>, KeyError>,
{
    let first = load(provider, false);
    let stale = match &first {
        Ok(l) => l.set.keys.is_empty() && l.cached,
        Err(KeyError::Unavailable { id, cached, .. }) => {
            *cached && matches!(id, Id::KeysEmpty | Id::KeysNotJwks)
        }
        Err(KeyError::Usage(_)) => false,
    };
    if !(stale && Refetch::worth(true, provider)) {
        return first;
    }
    notes.push(Refetch::NoUsableKey.note());
    load(provider, true)
}

/// A key set with no keys (a server that publishes none).
pub fn empty(source: String) -> Loaded {
    Loaded {
        set: KeySet::default(),
        provenance: Provenance::RemoteSet,
        source,
        fetched: None,
        cached: false,
        http: None,
        issuer: None,
        notes: Vec::new(),
        raw: None,
        duplicates: Vec::new(),
    }
}

/// One key given on purpose (a PEM or JWK file, a secret, a Hasura configuration's key).
pub fn single(key: Key, source: String) -> Loaded {
    let set = KeySet {
        keys: vec![key],
        unusable: vec![],
    };
    Loaded {
        notes: keyset::verify_notes(&set, &[], Provenance::Single),
        set,
        provenance: Provenance::Single,
        source,
        fetched: None,
        cached: false,
        http: None,
        issuer: None,
        raw: None,
        duplicates: Vec::new(),
    }
}
