//! Loading verification keys from where the configuration says: a JWKS (URL or file), a PEM
//! key, certificate or JWK file, an HMAC secret, a Cognito pool, OIDC discovery, or the Cognito
//! pool a token names. The I/O edge of verification.

use crate::lint::keyset;
use crate::report::Id;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::settings::{FetchConfig, KeySource, UsageError};

use crate::cognito::{self, Pool};
use crate::jose::json;
use crate::jose::jwk::{self, JwksError, Key, KeySet, Material};
use crate::jose::pem;
use crate::jose::select::Provenance;
pub use crate::judge::keys::{Fetched, KeyError, KeyProvider, Loaded, empty, single};
use crate::net::cache::{Cache, Document, Mode, Origin};
use crate::net::fetch::{self, FetchError, Fetcher};
use crate::report::Check;

impl From<FetchError> for KeyError {
    fn from(e: FetchError) -> KeyError {
        let status = match &e {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        };
        let error = KeyError::unavailable(e.id(), e.to_string(), e.hint());
        match status {
            Some(s) => error.with_status(s),
            None => error,
        }
    }
}

/// Loads keys, fetching through the cache; a URL is fetched at most once per run (unless
/// forced), however many tokens use it.
pub struct Loader {
    /// The HTTP client (counts requests).
    pub fetcher: Fetcher,
    /// The document cache.
    pub cache: Cache,
    /// The clock (for cache freshness; the real clock, not `--now`).
    pub now: f64,
    /// Where Cognito pools' key sets are served instead of AWS (`JWTCHECK_COGNITO_ENDPOINT`,
    /// for cognito-local, LocalStack and tests): `<endpoint>/<pool>/.well-known/jwks.json`.
    pub cognito_endpoint: Option<String>,
    /// Documents already obtained in this run, shared with sibling loaders (batch workers), so
    /// that a URL is fetched once however many threads need it.
    memo: Memo,
    /// This loader's own copy of the memo's recent answers, looked up without a lock or a
    /// hash (a batch worker asks for the same source for every token).
    recent: Vec<Recent>,
    /// For siblings: the fetch configuration.
    fetch: FetchConfig,
    /// How many times this run (this loader and its siblings) has obtained key material, for
    /// a batch's memo ([`Loader::generation`]).
    generation: Arc<std::sync::atomic::AtomicU64>,
}

/// Key material being obtained: counted when it is dropped, after the run's documents or key
/// sources changed.
struct Obtaining<'a>(&'a std::sync::atomic::AtomicU64);

impl Drop for Obtaining<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A key source, the token issuer it was asked for, and what loading it gave.
type Recent = (KeySource, Option<String>, Result<Arc<Loaded>, KeyError>);

/// Documents by URL, shared between a loader and its siblings.
type Memo = std::sync::Arc<std::sync::Mutex<Documents>>;

/// What a run has fetched: each URL's document, and the URLs already fetched afresh (a kid miss
/// refetches a URL once per run, not once per token).
#[derive(Default)]
struct Documents {
    by_url: std::collections::HashMap<String, Document>,
    refetched: std::collections::HashSet<String>,
    /// Key sources already loaded (by source and token issuer), errors included: a batch of a
    /// million tokens reads its key set once.
    loaded: std::collections::HashMap<(String, Option<String>), Result<Arc<Loaded>, KeyError>>,
}

impl Loader {
    /// A loader for the given fetch configuration; `now` is the system clock (for the cache).
    pub fn new(fetch: &FetchConfig, now: f64) -> Loader {
        Loader {
            fetcher: Fetcher::new(fetch.timeout)
                .with_limit(usize::try_from(fetch.max_key_set).unwrap_or(usize::MAX)),
            cache: Cache::new(fetch.cache_dir.clone(), fetch.mode)
                .with_max_entry(fetch.max_key_set.saturating_mul(3)),
            now,
            cognito_endpoint: fetch.cognito_endpoint.clone(),
            memo: Memo::default(),
            recent: Vec::new(),
            fetch: fetch.clone(),
            generation: Arc::default(),
        }
    }

    /// Which key material the run has: a token judged when this was `g` is judged the same
    /// way again as long as it is still `g`, since no key set was fetched or loaded since
    /// (it counts each fetch and load once it has changed what the run has).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A loader for another thread of the same run: its own HTTP client, the same documents.
    pub fn sibling(&self) -> Loader {
        Loader {
            memo: self.memo.clone(),
            recent: Vec::new(),
            generation: self.generation.clone(),
            ..Loader::new(&self.fetch, self.now)
        }
    }

    /// A document by URL: from this run's memo, else through the cache (the memo is locked
    /// while it is fetched, so concurrent siblings wait for the one fetch).
    fn document(&mut self, url: &str, force: bool) -> Result<Document, KeyError> {
        let mut memo = self
            .memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh_enough = !force || memo.refetched.contains(url);
        match memo.by_url.get(url) {
            Some(doc) if fresh_enough => Ok(doc.clone()),
            _ => {
                let _obtaining = Obtaining(&self.generation);
                let doc = self.cache.get(&mut self.fetcher, url, self.now, force)?;
                memo.by_url.insert(url.to_string(), doc.clone());
                if force {
                    memo.refetched.insert(url.to_string());
                }
                Ok(doc)
            }
        }
    }

    /// Loads the keys of `source`; `token_iss` is the unverified `iss` of the token (used only
    /// to recognise a Cognito pool or pick among `--issuer` values); `force` skips the cache.
    pub fn load(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        force: bool,
    ) -> Result<Arc<Loaded>, KeyError> {
        if force {
            return self.load_now(source, token_iss, true).map(Arc::new);
        }
        // Only the token issuer picks among sources; other sources load the same for every token.
        let iss = matches!(source, KeySource::Discovery(_) | KeySource::TokenIssuer)
            .then_some(token_iss)
            .flatten();
        if let Some((_, _, done)) = self
            .recent
            .iter()
            .find(|(s, i, _)| s == source && i.as_deref() == iss)
        {
            return done.clone();
        }
        let done = self.load_shared(source, token_iss, iss);
        if self.recent.len() >= 8 {
            drop(self.recent.remove(0));
        }
        self.recent
            .push((source.clone(), iss.map(str::to_string), done.clone()));
        done
    }

    /// [`Loader::load`] through the memo shared with sibling loaders.
    fn load_shared(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        iss: Option<&str>,
    ) -> Result<Arc<Loaded>, KeyError> {
        let key = (format!("{source:?}"), iss.map(str::to_string));
        let memo = self.memo.clone();
        if let Some(done) = memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .loaded
            .get(&key)
        {
            return done.clone();
        }
        let generation = self.generation.clone();
        let obtaining = Obtaining(&generation);
        let done = self.load_now(source, token_iss, false).map(Arc::new);
        memo.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .loaded
            .insert(key, done.clone());
        drop(obtaining);
        done
    }

    fn load_now(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        force: bool,
    ) -> Result<Loaded, KeyError> {
        match source {
            KeySource::JwksUrl(url) => self.remote_set(url, force),
            KeySource::JwksFile(path) => file_set(path, self.fetch.max_key_set),
            KeySource::KeyFile(path) => key_file(path, self.fetch.max_key_set),
            KeySource::SecretFile(path) => {
                let bytes = read(path, self.fetch.max_key_set)?;
                let mut secret = bytes.as_slice();
                while let Some(rest) = secret
                    .strip_suffix(b"\n")
                    .or_else(|| secret.strip_suffix(b"\r"))
                {
                    secret = rest;
                }
                Ok(single(
                    Key::bare(Material::Secret(secret.to_vec())),
                    format!("--secret-file {}", path.display()),
                ))
            }
            KeySource::Secret { bytes, label } => Ok(single(
                Key::bare(Material::Secret(bytes.clone())),
                label.clone(),
            )),
            KeySource::Cognito(pool) => self.cognito(pool, force),
            KeySource::Discovery(issuers) => {
                let issuer = token_iss
                    .and_then(|iss| issuers.iter().find(|i| *i == iss))
                    .or_else(|| issuers.first())
                    .cloned()
                    .unwrap_or_default();
                self.discovery(&issuer, force)
            }
            KeySource::TokenIssuer => {
                let Some(iss) = token_iss else {
                    return Err(KeyError::Usage(no_key_source("the token has no iss")));
                };
                let Some(pool) = cognito::pool_of_issuer(iss) else {
                    return Err(KeyError::Usage(no_key_source(&format!(
                        "the token's issuer {iss:?} is not a Cognito user pool, and jwtcheck never trusts a token to name its own keys"
                    ))));
                };
                let mut loaded = self.cognito(&pool, force)?;
                loaded.issuer = Some(iss.to_string());
                loaded.notes.push(Check::warn(
                    Id::Key,
                    format!("keys from the issuer named in the token (Cognito pool {}); no key source was given", pool.id),
                    "pin it with --cognito-pool or --issuer: a token should not choose who vouches for it",
                ));
                Ok(loaded)
            }
        }
    }

    /// Fetches a key set URL through the cache; a Cognito pool's key set URL (a Hasura
    /// `jwk_url` too) from `JWTCHECK_COGNITO_ENDPOINT` when it is set.
    pub fn remote_set(&mut self, url: &str, force: bool) -> Result<Loaded, KeyError> {
        let emulated = match (&self.cognito_endpoint, crate::cognito::pool_of_jwks(url)) {
            (Some(_), Some(pool)) => Some(self.cognito_url(&pool)?),
            _ => None,
        };
        let url = emulated.as_deref().unwrap_or(url);
        let doc = self.document(url, force)?;
        let fetched = doc.describe(self.now);
        let cached = matches!(doc.origin, Origin::Cache { .. } | Origin::Revalidated);
        let set = parse_set(&doc.value, url).map_err(|e| e.about(url, Some(&fetched), cached))?;
        let notes = keyset::verify_notes(&set, &doc.duplicates, Provenance::RemoteSet);
        Ok(Loaded {
            set,
            provenance: Provenance::RemoteSet,
            source: url.to_string(),
            fetched: Some(fetched),
            cached,
            http: Some(Fetched {
                headers: doc.headers,
                at: doc.fetched_at,
            }),
            raw: Some(std::sync::Arc::new(doc.value)),
            duplicates: doc.duplicates,
            issuer: None,
            notes,
        })
    }

    fn cognito(&mut self, pool: &Pool, force: bool) -> Result<Loaded, KeyError> {
        let url = self.cognito_url(pool)?;
        let mut loaded = self.remote_set(&url, force)?;
        loaded.issuer = Some(pool.issuer());
        Ok(loaded)
    }

    /// Where a pool's key set is fetched: AWS, or the emulator `JWTCHECK_COGNITO_ENDPOINT` names.
    fn cognito_url(&self, pool: &Pool) -> Result<String, KeyError> {
        Ok(match &self.cognito_endpoint {
            Some(e) => format!(
                "{}/{}/.well-known/jwks.json",
                e.trim_end_matches('/'),
                pool.id
            ),
            // The dev kit's pool exists only where serve-keys runs: AWS has no such pool.
            None if pool.id == crate::devkit::DEFAULT_POOL => {
                return Err(KeyError::Usage(UsageError::new(
                    Id::UsageNoKeySource,
                    format!(
                        "the token comes from the dev kit's pool {}, whose keys are not on AWS",
                        pool.id
                    ),
                    format!(
                        "serve them with jwtcheck serve-keys DIR and set {}=http://127.0.0.1:{} (or pass --jwks DIR/jwks.json)",
                        crate::settings::COGNITO_ENDPOINT_ENV,
                        crate::devkit::DEFAULT_PORT
                    ),
                )));
            }
            None => pool.jwks_url(),
        })
    }

    fn discovery(&mut self, issuer: &str, force: bool) -> Result<Loaded, KeyError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        fetch::check_url(&url).map_err(|e| {
            KeyError::Usage(UsageError::new(Id::UsageIssuer, e.to_string(), e.hint()))
        })?;
        let doc = self.document(&url, force)?;
        let jwks_uri = discovered_jwks_uri(&doc.value, issuer, &url)?;
        let mut loaded = self.remote_set(&jwks_uri, force)?;
        loaded.issuer = Some(issuer.to_string());
        loaded.source = format!("{jwks_uri} (jwks_uri of {url})");
        Ok(loaded)
    }
}

impl KeyProvider for Loader {
    fn keys(
        &mut self,
        source: &KeySource,
        token_iss: Option<&str>,
        fresh: bool,
    ) -> Result<Arc<Loaded>, KeyError> {
        self.load(source, token_iss, fresh)
    }

    fn key_set(&mut self, url: &str, fresh: bool) -> Result<Arc<Loaded>, KeyError> {
        self.remote_set(url, fresh).map(Arc::new)
    }

    fn may_refetch(&self) -> bool {
        self.cache.mode() != Mode::Offline
    }
}

fn no_key_source(why: &str) -> UsageError {
    UsageError::new(
        Id::UsageNoKeySource,
        format!("no key source: {why}"),
        "give --cognito-pool POOL_ID, --jwks URL|FILE, --key FILE, --secret-file FILE or --secret-env VAR; or --issuer URL to find the keys by OIDC discovery",
    )
}

/// Checks a discovery document and returns its `jwks_uri`.
pub fn discovered_jwks_uri(doc: &Value, issuer: &str, url: &str) -> Result<String, KeyError> {
    let bad = |why: String| {
        KeyError::unavailable(
            Id::DiscoveryInvalid,
            format!("discovery document {url}: {why}"),
            "check --issuer: it must be exactly the issuer's URL (as in the token's iss)",
        )
    };
    let obj = doc
        .as_object()
        .ok_or_else(|| bad("not a JSON object".into()))?;
    match obj.get("issuer") {
        Some(Value::String(i)) if i == issuer => {}
        Some(Value::String(i)) => {
            return Err(KeyError::unavailable(
                Id::DiscoveryIssuer,
                format!("the discovery document names issuer {i:?}, not {issuer:?}"),
                "OpenID Connect requires them to be equal (a trailing slash matters); pass --issuer exactly as the document and the token's iss say",
            ));
        }
        _ => return Err(bad("no issuer".into())),
    }
    let jwks_uri = match obj.get("jwks_uri") {
        Some(Value::String(u)) => u.clone(),
        _ => return Err(bad("no jwks_uri".into())),
    };
    fetch::check_url(&jwks_uri).map_err(|e| {
        KeyError::unavailable(
            Id::DiscoveryJwksUri,
            format!("jwks_uri {jwks_uri:?}: {e}"),
            e.hint(),
        )
    })?;
    Ok(jwks_uri)
}

/// A key file of at most `cap` bytes.
fn read(path: &Path, cap: u64) -> Result<Vec<u8>, KeyError> {
    let what = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        KeyError::Usage(UsageError::new(
            Id::UsageUnreadable,
            format!("cannot read {what}: {e}"),
            "check the path",
        ))
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > cap {
        return Err(KeyError::unavailable(
            Id::KeysTooLarge,
            format!("{what} is larger than {cap} bytes, jwtcheck's cap on a key file"),
            "a key set is a few KiB: check the file; if this one is genuine (thousands of keys), raise the cap with --max-input BYTES",
        ));
    }
    std::fs::read(path).map_err(unreadable)
}

fn parse_json(bytes: &[u8], what: &str) -> Result<json::Parsed, KeyError> {
    json::parse_first_wins(bytes).map_err(|e| {
        KeyError::unavailable(
            Id::KeysInvalidJson,
            format!("{what}: {e}"),
            "a key set is a JSON object {\"keys\": […]}",
        )
    })
}

fn parse_set(value: &Value, what: &str) -> Result<KeySet, KeyError> {
    jwk::parse_set(value).map_err(|e| match e {
        JwksError::Empty => KeyError::unavailable(
            Id::KeysEmpty,
            format!("{what}: {e}"),
            "the issuer publishes no keys: no token can verify (Hasura answers NoUsableKeys)",
        ),
        JwksError::Shape(_) => KeyError::unavailable(
            Id::KeysNotJwks,
            format!("{what}: {e}"),
            "a key set is a JSON object {\"keys\": […]}",
        ),
    })
}

fn file_set(path: &Path, cap: u64) -> Result<Loaded, KeyError> {
    set_from(&read(path, cap)?, &path.display().to_string())
}

/// A key set from its document's bytes (a file's, or pasted into `jwtcheck ui`), named `what`.
pub fn set_from(bytes: &[u8], what: &str) -> Result<Loaded, KeyError> {
    let what = what.to_string();
    let parsed = parse_json(bytes, &what)?;
    let set = parse_set(&parsed.value, &what)?;
    let notes = keyset::verify_notes(&set, &parsed.duplicates, Provenance::FileSet);
    Ok(Loaded {
        set,
        provenance: Provenance::FileSet,
        source: what,
        fetched: None,
        cached: false,
        http: None,
        issuer: None,
        notes,
        raw: Some(std::sync::Arc::new(parsed.value)),
        duplicates: parsed.duplicates,
    })
}

fn key_file(path: &Path, cap: u64) -> Result<Loaded, KeyError> {
    key_from(&read(path, cap)?, &path.display().to_string())
}

/// A PEM public key or certificate, a JWK or a key set, from its bytes (a file's, or pasted
/// into `jwtcheck ui`), named `what`.
pub fn key_from(bytes: &[u8], what: &str) -> Result<Loaded, KeyError> {
    let what = what.to_string();
    let text = String::from_utf8_lossy(bytes);
    if text.trim_start().starts_with('{') {
        let value = parse_json(bytes, &what)?.value;
        if value.get("keys").is_some() {
            return set_from(bytes, &what);
        }
        let obj = value.as_object().ok_or_else(|| {
            KeyError::Usage(UsageError::new(
                Id::KeyNotJwk,
                format!("{what} is not a JWK"),
                "a JWK is a JSON object with kty",
            ))
        })?;
        let key = jwk::parse_key(obj).map_err(|why| {
            KeyError::Usage(UsageError::new(
                Id::KeyBadJwk,
                format!("{what}: {why}"),
                "check the JWK's members",
            ))
        })?;
        return Ok(single(key, what));
    }
    let public = pem::public_key(&text)
        .map_err(|e| KeyError::Usage(UsageError::new(e.id(), format!("{what}: {e}"), e.hint())))?;
    Ok(single(Key::bare(Material::Public(public)), what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn discovery_requires_the_exact_issuer_and_a_safe_jwks_uri() {
        let url = "https://id.example.com/.well-known/openid-configuration";
        let ok =
            json!({"issuer": "https://id.example.com", "jwks_uri": "https://id.example.com/keys"});
        assert_eq!(
            discovered_jwks_uri(&ok, "https://id.example.com", url).unwrap(),
            "https://id.example.com/keys"
        );
        let slash = discovered_jwks_uri(&ok, "https://id.example.com/", url).unwrap_err();
        assert!(matches!(slash, KeyError::Unavailable { ref id, .. } if id == "discovery.issuer"));
        let http =
            json!({"issuer": "https://id.example.com", "jwks_uri": "http://id.example.com/keys"});
        assert!(
            matches!(discovered_jwks_uri(&http, "https://id.example.com", url), Err(KeyError::Unavailable { ref id, .. }) if id == "discovery.jwks_uri")
        );
    }
}
