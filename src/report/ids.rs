//! The catalogue of ids: every id a check or an early stop can carry, with its one-line meaning.
//!
//! Ids are a stable contract (the book's "Check ids", `--json`, CI scripts that grep them): one fact
//! has one id in every command. The book's table is generated from this list and a test fails
//! when the two disagree.

use serde::{Serialize, Serializer};

macro_rules! catalogue {
    ($($variant:ident = $id:literal : $meaning:literal;)*) => {
        /// A stable check or problem id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Id {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Id {
            /// Every id, in catalogue order.
            pub const ALL: &'static [Id] = &[$(Id::$variant),*];

            /// The id as written in reports: `exp`, `hasura.default_role`, `fetch.timeout`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Id::$variant => $id,)*
                }
            }

            /// What the id is about, in one line.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Id::$variant => $meaning,)*
                }
            }
        }
    };
}

catalogue! {
    // The token.
    Format = "format": "the token's structure: segments, base64url, JSON, duplicate member names, a payload that is not a claims set";
    Alg = "alg": "the header algorithm (`none`, case variants, unknown)";
    Crit = "crit": "critical header extensions, `b64: false`";
    Key = "key": "key selection and key material (kid, type, JWK metadata, key confusion, weak keys)";
    Signature = "signature": "the signature (skipped by `decode`)";
    Exp = "exp": "expiry, with the leeway";
    Nbf = "nbf": "not-before, with the leeway";
    Iat = "iat": "issued-at (in the future fails), with the leeway";
    MaxAge = "max_age": "the sign-in (`auth_time`, else `iat`) is at most `--max-age` old";
    Iss = "iss": "the issuer";
    Aud = "aud": "the audience";
    TokenUse = "token_use": "Cognito's token kind (`id` or `access`)";
    ClientId = "client_id": "Cognito's app client (`aud` of an id token, `client_id` of an access token)";
    // Hasura.
    HasuraNamespace = "hasura.namespace": "where the Hasura claims are (namespace or namespace path)";
    HasuraFormat = "hasura.format": "how the Hasura claims are encoded (`json` or `stringified_json`)";
    HasuraAllowedRoles = "hasura.allowed_roles": "`x-hasura-allowed-roles`";
    HasuraDefaultRole = "hasura.default_role": "`x-hasura-default-role`";
    HasuraRole = "hasura.role": "the role the request runs as (`x-hasura-role` header or the default)";
    HasuraSessionVariables = "hasura.session_variables": "the session variables permissions see";
    HasuraHeader = "hasura.header": "how the token reaches the engine (Authorization, cookie, custom header)";
    HasuraConfig = "hasura.config": "which entry of HASURA_GRAPHQL_JWT_SECRETS the engine picks";
    HasuraStartup = "hasura.startup": "the engine refuses the configuration at startup";
    HasuraJwksRefused = "hasura.jwks_refused": "the engine's strict JWK reader refuses the key set";
    HasuraUndecidable = "hasura.undecidable": "a step jwtcheck cannot reproduce (an algorithm or key it cannot check)";
    // The expected-role policy.
    PolicyExpectRole = "policy.expect_role": "a role you expect is among the allowed roles";
    PolicyExpectDefaultRole = "policy.expect_default_role": "the default role is the one you expect";
    PolicyForbidRole = "policy.forbid_role": "a role you forbid is not allowed";
    PolicyRequireClaim = "policy.require_claim": "a session variable you require is a non-empty string";
    PolicyClaimEquals = "policy.claim_equals": "a session variable equals a token claim";
    PolicyTokenUse = "policy.token_use": "the token is the kind you expect";
    PolicyMaxLifetime = "policy.max_lifetime": "the token lives at most as long as you allow";
    // Callback URLs.
    CallbackState = "callback.state": "the callback's `state` equals the one you sent";
    CallbackToken = "callback.token": "the token taken from the callback";
    CallbackParams = "callback.params": "the callback's parameters (unexpected or repeated ones)";
    CallbackCode = "callback.code": "a code-grant callback: the code must be exchanged at the token endpoint";
    CallbackExchange = "callback.exchange": "the code exchanged at the token endpoint (`--domain`), and what it returned";
    CallbackNonce = "callback.nonce": "the id token's nonce is the one the sign-in sent (`login`)";
    LoginListen = "login.listen": "`login` cannot listen on its callback port";
    LoginTimeout = "login.timeout": "no sign-in reached `login`'s callback in time";
    LoginGrant = "login.grant": "a callback to `login` carried tokens: `login` takes only a code";
    RefreshGrant = "refresh.grant": "`refresh`'s refresh-token grant at the token endpoint, and what it returned (a rotated refresh token included)";
    CallbackError = "callback.error": "the callback carries an OAuth `error`";
    CallbackEmpty = "callback.empty": "the callback carries no token and no code";
    CallbackNoIdToken = "callback.no_id_token": "an implicit callback without an id token (no `openid` scope)";
    CallbackNoAccessToken = "callback.no_access_token": "an implicit callback without an access token";
    CallbackNotUrl = "callback.not_url": "the callback is not a URL";
    // The dev kit.
    KeygenExists = "keygen.exists": "`keygen`: the folder already holds a key (`--force` replaces it)";
    KeygenWrite = "keygen.write": "`keygen` cannot make the key or write its files";
    MintKey = "mint.key": "`mint`'s key is not a private key jwtcheck signs with";
    ServeKeysListen = "serve_keys.listen": "`serve-keys` cannot listen on its port";
    UiListen = "ui.listen": "`ui` cannot listen on its port";
    ServeKeysJwks = "serve_keys.jwks": "`serve-keys` has no key set it may publish (missing, unreadable, empty, or holding private or symmetric keys)";
    // setup.
    SetupChoice = "setup.choice": "`setup`: choices that cannot work together, or a malformed choice";
    SetupExists = "setup.exists": "`setup`: the output folder already holds a file it would write (`--force` replaces it)";
    SetupWrite = "setup.write": "`setup` cannot write its files";
    SetupProof = "setup.proof": "`setup`'s proof: a sample user's token did not come out as the choices say";
    // Token lints.
    LintHeader = "lint.header": "header parameters a verifier must not trust (`jku`, `x5u`, `jwk`, `x5c`)";
    LintLifetime = "lint.lifetime": "a lifetime over a day";
    LintTokenKind = "lint.token_kind": "an access token where Hasura claims are expected";
    LintSecretArgv = "lint.secret_argv": "a secret given on the command line (shell history)";
    // Key set lints.
    LintCache = "lint.cache": "the key set's caching headers, for a verifier and for Hasura's refresh";
    LintKidDuplicate = "lint.kid_duplicate": "two keys with the same kid";
    LintKidMissing = "lint.kid_missing": "a key without kid";
    LintAlgMissing = "lint.alg_missing": "a key without alg";
    LintUseMissing = "lint.use_missing": "a key without use";
    LintUse = "lint.use": "a key whose use is not `sig`";
    LintRsaSize = "lint.rsa_size": "an RSA key under 2048 bits";
    LintRsaWeak = "lint.rsa_weak": "an RSA key that proves nothing: e = 1, an even e, or a ROCA-vulnerable modulus";
    LintPrivate = "lint.private": "a published key with private members";
    LintOct = "lint.oct": "a symmetric key in a key set";
    LintUnusable = "lint.unusable": "a key jwtcheck cannot read";
    LintDuplicateMembers = "lint.duplicate_members": "a key set document that repeats member names (read first-wins)";
    // Configuration lints.
    LintConfigSyntax = "lint.config_syntax": "the configuration is not JSON";
    LintConfigUnknown = "lint.config_unknown": "a field the engine ignores (with a did-you-mean)";
    LintConfigDuplicate = "lint.config_duplicate": "a field given twice (the engine uses the first)";
    LintConfigConflict = "lint.config_conflict": "settings that override each other (`claims_map` with a namespace or format)";
    LintConfigAmbiguous = "lint.config_ambiguous": "HASURA_GRAPHQL_JWT_SECRETS entries that no issuer or location tells apart";
    LintConfigClaimsMap = "lint.config_claims_map": "a `claims_map` entry that is not `x-hasura-*`";
    LintConfigEnv = "lint.config_env": "both HASURA_GRAPHQL_JWT_SECRETS and HASURA_GRAPHQL_JWT_SECRET are set";
    LintAdminSecret = "lint.admin_secret": "no admin secret: the engine refuses JWT mode without one";
    LintJwkUrl = "lint.jwk_url": "the `jwk_url`: transport, reachability, usable keys, stand-ins";
    LintKey = "lint.key": "the configuration's `key`";
    LintKeyTypes = "lint.key_types": "the key set's key types fit `type`";
    LintIssuer = "lint.issuer": "the `issuer` setting";
    LintAudience = "lint.audience": "the `audience` setting";
    LintAllowedSkew = "lint.allowed_skew": "the `allowed_skew` setting";
    LintTokens = "lint.tokens": "whether sample tokens were given, and where they are sent";
    LintCognitoJwkUrl = "lint.cognito_jwk_url": "`jwk_url` is a Cognito pool's key set, in the pool's region";
    LintCognitoIssuer = "lint.cognito_issuer": "`issuer` matches the Cognito pool's tokens exactly";
    LintCognitoClaimsFormat = "lint.cognito_claims_format": "`claims_format` fits what a Pre Token Generation trigger can write";
    LintClaimsPath = "lint.claims_path": "a claims path with a quoted name that looks like JSONPath the engine does not have (a wildcard, a filter, a slice), read as a literal member name";
    LintDdnVersion = "lint.ddn_version": "a Hasura DDN AuthConfig version the engine deprecates (v1, v2)";
    LintDdnPointer = "lint.ddn_pointer": "a DDN claims location whose member name holds an unescaped `/` (write `~1`)";
    // Early stops: input.
    InputRead = "input.read": "the input could not be read";
    InputTooLarge = "input.too_large": "the input is over the size cap";
    InputNotText = "input.not_text": "the input is not UTF-8 text";
    InputField = "input.field": "a `verify --batch --field` line without a token string at the field";
    TokenEmpty = "token.empty": "no token in the input";
    TokenJwe = "token.jwe": "an encrypted token (JWE), which jwtcheck cannot decrypt";
    TokenSegments = "token.segments": "not three dot-separated segments";
    TokenEmptySegment = "token.empty_segment": "an empty header or payload segment";
    TokenBase64 = "token.base64": "a segment that is not strict base64url";
    TokenHeaderJson = "token.header_json": "a header that is not JSON";
    TokenHeaderNotObject = "token.header_not_object": "a header that is not a JSON object";
    TokenPayloadNotClaims = "token.payload_not_claims": "a payload that is not a JSON object of claims";
    // Early stops: keys.
    KeyNoPem = "key.no_pem": "the key file holds no PEM block";
    KeyBadPem = "key.bad_pem": "a damaged PEM block";
    KeyPrivate = "key.private": "a private key where a public key is needed";
    KeyPemLabel = "key.pem_label": "a PEM block of a kind jwtcheck does not read";
    KeyBadDer = "key.bad_der": "a PEM block whose DER content is damaged";
    KeyUnsupported = "key.unsupported": "a key type or curve jwtcheck does not verify with";
    KeyBadJwk = "key.bad_jwk": "a JWK that cannot be read";
    KeyNotJwk = "key.not_jwk": "a file that is neither PEM nor a JWK";
    KeysEmpty = "keys.empty": "no usable key in the key set";
    KeysInvalidJson = "keys.invalid_json": "a key set file that is not JSON";
    KeysNotJwks = "keys.not_jwks": "a JSON document that is not a key set";
    KeysTooLarge = "keys.too_large": "a key set file over the size cap";
    KeysUnusable = "keys.unusable": "a key set none of whose keys jwtcheck can verify with";
    // Early stops: fetching.
    FetchBadUrl = "fetch.bad_url": "not a URL jwtcheck fetches";
    FetchInsecure = "fetch.insecure": "plain http to a host that is not loopback";
    FetchDns = "fetch.dns": "the host name does not resolve";
    FetchConnect = "fetch.connect": "the connection failed";
    FetchTls = "fetch.tls": "the TLS handshake failed";
    FetchTimeout = "fetch.timeout": "no answer within the timeout";
    FetchStatus = "fetch.status": "an HTTP status that is not success";
    FetchTooLarge = "fetch.too_large": "a response over the size cap";
    FetchRedirect = "fetch.redirect": "a redirect jwtcheck does not follow (too many, or to plain http)";
    FetchInvalidJson = "fetch.invalid_json": "a response that is not JSON";
    FetchOther = "fetch.other": "another fetch failure";
    CacheOfflineMiss = "cache.offline_miss": "`--offline` and nothing cached";
    DiscoveryInvalid = "discovery.invalid": "an OIDC discovery document that cannot be used";
    DiscoveryIssuer = "discovery.issuer": "the discovery document's issuer differs from the one asked for";
    DiscoveryJwksUri = "discovery.jwks_uri": "the discovery document's `jwks_uri` is missing or not https";
    // Early stops: usage.
    UsageArguments = "usage.arguments": "the command line does not parse";
    UsageNow = "usage.now": "`--now` is not a time";
    UsageTimeout = "usage.timeout": "`--timeout` is out of range";
    UsageLeeway = "usage.leeway": "`--leeway` is out of range";
    UsageUnreadable = "usage.unreadable": "a file named by a flag cannot be read";
    UsageKeySources = "usage.key_sources": "more than one key source";
    UsageNoKeySource = "usage.no_key_source": "no key source, and the token names none jwtcheck trusts";
    UsageIssuer = "usage.issuer": "`--issuer` is not a usable URL";
    UsageDomain = "usage.domain": "`--domain` is not a usable managed login domain";
    UsageJwksUrl = "usage.jwks_url": "`--jwks` is not a usable URL or file";
    UsageCognitoPool = "usage.cognito_pool": "`--cognito-pool` is not a pool id";
    UsageSecretEnv = "usage.secret_env": "the variable `--secret-env` names is not set";
    UsageHasuraConfig = "usage.hasura_config": "`check` without a Hasura configuration";
    UsageHasuraEnv = "usage.hasura_env": "`--hasura-config-env` and neither variable is set";
    UsageHasuraConflict = "usage.hasura_conflict": "a flag the Hasura configuration already decides";
    UsageDdnMode = "usage.ddn_mode": "a Hasura DDN AuthConfig whose mode is not JWT (webhook or noAuth), or an alternative mode not named";
    UsageRole = "usage.role": "`--role` without a Hasura configuration";
    UsagePolicy = "usage.policy": "a policy file that cannot be used";
    UsageClaimEquals = "usage.claim_equals": "`--claim-equals` is not VAR=CLAIM";
    UsageClientId = "usage.client_id": "`--domain` without `--client-id`";
    UsageMaxLifetime = "usage.max_lifetime": "`--max-lifetime` is out of range";
    UsageClaim = "usage.claim": "`mint`'s `--claim`, `--session` or role flags cannot make that claim";
    UsageLifetime = "usage.lifetime": "`--lifetime` is not a positive duration";
    UsageMaxAge = "usage.max_age": "`--max-age` is not a positive duration";
    UsageRefreshToken = "usage.refresh_token": "`refresh` has no refresh token it can read (`--refresh-token-file` / `--refresh-token-env`), or `login --save-refresh-token` cannot write one";
    UsageWatch = "usage.watch": "`jwks --watch` cannot run as asked (a file, `--offline`, `--interval` under 10 s)";
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// In the JSON Schema an id is a dotted lower-case name, not a closed list: a newer jwtcheck may
/// report ids an older schema does not know (`jwtcheck explain` lists them all).
impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)*$",
            "description": "A stable check or problem id from the catalogue (`jwtcheck explain` lists every one), e.g. `exp`, `hasura.default_role`, `fetch.timeout`."
        })
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Id {
    /// The id with this text, if the catalogue has it.
    pub fn parse(text: &str) -> Option<Id> {
        Id::ALL.iter().copied().find(|id| id.as_str() == text)
    }

    /// The id a mistyped one most likely means: the nearest by edit distance, to the whole id or
    /// to its last part (`default_rol` → `hasura.default_role`).
    pub fn closest(text: &str) -> Option<Id> {
        let text = text.trim().to_ascii_lowercase();
        Id::ALL
            .iter()
            .flat_map(|id| {
                let whole = id.as_str();
                let last = whole.rsplit('.').next().unwrap_or(whole);
                [whole, last].map(|s| (strsim::levenshtein(&text, s), s.len(), *id))
            })
            .filter(|(d, len, _)| *d <= 2.max(len / 4))
            .min_by_key(|(d, _, id)| (*d, *id))
            .map(|(_, _, id)| id)
    }

    /// The book's table of ids (`docs/src/check-ids.md`), generated from the catalogue.
    pub fn markdown_table() -> String {
        let mut out = String::from("| id | what |\n|---|---|\n");
        for id in Id::ALL {
            out.push_str(&format!("| `{}` | {} |\n", id.as_str(), id.meaning()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for id in Id::ALL {
            assert!(seen.insert(id.as_str()), "{id} twice");
            assert!(
                id.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'),
                "{id}"
            );
            assert!(!id.meaning().is_empty());
            assert_eq!(Id::parse(id.as_str()), Some(*id));
        }
    }

    #[test]
    fn a_mistyped_id_finds_the_one_meant() {
        assert_eq!(Id::closest("default_role"), Some(Id::HasuraDefaultRole));
        assert_eq!(Id::closest("default_rol"), Some(Id::HasuraDefaultRole));
        assert_eq!(Id::closest("hasura.fromat"), Some(Id::HasuraFormat));
        assert_eq!(Id::closest("EXP"), Some(Id::Exp));
        assert_eq!(Id::closest("completely different"), None);
    }

    #[test]
    fn ids_serialize_as_their_text() {
        assert_eq!(
            serde_json::to_string(&Id::HasuraDefaultRole).unwrap(),
            "\"hasura.default_role\""
        );
    }
}
