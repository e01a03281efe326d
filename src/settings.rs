//! What a run is configured to do, as the command line (or a page, or a generator) decided it:
//! the key source, how to fetch, the Hasura configuration, the rules and the policy. Plain data,
//! shared by `cli` (which builds it from flags), the judge and `net` (which read it).

use crate::report::Id;
use std::path::PathBuf;
use std::time::Duration;

use crate::cognito::Pool;
use crate::hasura::v2::Messages;
use crate::hasura::v2::config::JwtConfig;
use crate::jose::claims::Rules;
use crate::policy::Policy;
use crate::report::Check;

/// How the key cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Use fresh entries; fetch (and store) otherwise.
    Normal,
    /// Always fetch; store the result.
    Refresh,
    /// Never read or write the cache.
    Off,
    /// Never fetch: use the cache at any age, or fail.
    Offline,
}

/// A flag problem: exit 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    /// Stable id.
    pub id: Id,
    /// One line.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl UsageError {
    /// A usage error.
    pub fn new(id: Id, message: impl Into<String>, hint: impl Into<String>) -> UsageError {
        UsageError {
            id,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Where the verification keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A JWKS URL.
    JwksUrl(String),
    /// A JWKS file.
    JwksFile(PathBuf),
    /// A PEM key, certificate or JWK file.
    KeyFile(PathBuf),
    /// An HMAC secret (never printed).
    Secret {
        /// The bytes.
        bytes: Vec<u8>,
        /// Where it came from, for display (`--secret-env NAME`).
        label: String,
    },
    /// A secret file, read when the keys are loaded.
    SecretFile(PathBuf),
    /// A Cognito pool's JWKS.
    Cognito(Pool),
    /// OIDC discovery from these issuers (the one matching the token's `iss`, else the first).
    Discovery(Vec<String>),
    /// The Cognito pool named by the token's own `iss`.
    TokenIssuer,
}

/// How documents are fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Cache folder.
    pub cache_dir: Option<PathBuf>,
    /// Cache mode.
    pub mode: Mode,
    /// Where Cognito pools' key sets are served instead of AWS ([`COGNITO_ENDPOINT_ENV`]).
    pub cognito_endpoint: Option<String>,
    /// The largest key set read, from a file or a URL (1 MiB, or `--max-input` when larger).
    pub max_key_set: u64,
}

/// The environment variable that points Cognito key set fetches at an emulator (cognito-local,
/// LocalStack, tests): `<endpoint>/<pool>/.well-known/jwks.json`.
pub const COGNITO_ENDPOINT_ENV: &str = "JWTCHECK_COGNITO_ENDPOINT";

/// A Hasura edition, for what it reads from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Edition {
    /// The open-source engine.
    Oss,
    /// Hasura Cloud.
    Cloud,
    /// Hasura Enterprise.
    Ee,
}

/// The Hasura configuration a token is judged by.
#[derive(Debug, Clone, PartialEq)]
pub struct HasuraSetup {
    /// Which engine, and its configuration.
    pub engine: Engine,
    /// Where it came from (`--hasura-config`, `HASURA_GRAPHQL_JWT_SECRET`, …).
    pub source: String,
    /// The `x-hasura-role` request header to simulate.
    pub role: Option<String>,
    /// The engine's wording.
    pub messages: Messages,
    /// What the engine's startup says about the configuration (environment, pasted form,
    /// unknown fields, …): said with every token's report.
    pub notes: Vec<Check>,
}

/// The engine that reads the configuration, with what it read.
#[derive(Debug, Clone, PartialEq)]
pub enum Engine {
    /// Hasura GraphQL Engine v2: the configured secrets (one, or the de-duplicated list of
    /// HASURA_GRAPHQL_JWT_SECRETS).
    V2(Vec<JwtConfig>),
    /// Hasura DDN: an AuthConfig.
    Ddn(Box<crate::hasura::ddn::DdnConfig>),
}

impl HasuraSetup {
    /// The v2 configurations (none for a DDN AuthConfig).
    pub fn v2_configs(&self) -> &[JwtConfig] {
        match &self.engine {
            Engine::V2(configs) => configs,
            Engine::Ddn(_) => &[],
        }
    }
}

/// Everything `verify` / `from-url` need besides the token.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyConfig {
    /// Keys (with a Hasura configuration: `--jwks` overriding its key source, if given).
    pub keys: KeySource,
    /// The Hasura configuration, if given.
    pub hasura: Option<HasuraSetup>,
    /// The expected-role policy.
    pub policy: Policy,
    /// Rules the claims must satisfy.
    pub rules: Rules,
    /// Fetching.
    pub fetch: FetchConfig,
    /// Warnings about the flags themselves (e.g. a secret on the command line).
    pub notes: Vec<Check>,
    /// Whether each report says that `--jwks` stands in for the configuration's key source
    /// (`check` says it once, in its key set section).
    pub note_key_override: bool,
}
