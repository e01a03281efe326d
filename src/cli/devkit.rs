//! The dev kit's flags (`keygen`, `mint`, `serve-keys`) and the checks that turn them into what
//! the commands use (kept apart from `options.rs`, which holds the verifying commands' flags).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::options::UsageError;
use super::{Edition, FetchArgs, TokenChoice};
use crate::devkit::keypair::Kind;
use crate::hasura::claims::Format;
use crate::report::Id;

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "`keygen`'s flags.")]
#[derive(Debug, Args, Clone)]
pub struct KeygenArgs {
    /// The folder to write private.pem (mode 0600), public.pem and jwks.json into (made if
    /// missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The key: RS256 (RSA 2048, what Cognito signs with), ES256 (EC P-256) or EdDSA (Ed25519).
    #[arg(long, value_enum, ignore_case = true, default_value_t = KeyAlg::Rs256)]
    pub alg: KeyAlg,
    /// Replace the key the folder already holds (tokens signed by it stop verifying).
    #[arg(long)]
    pub force: bool,
}

/// The algorithms `keygen` makes keys for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyAlg {
    /// RSA 2048, RS256.
    #[value(name = "RS256")]
    Rs256,
    /// EC P-256, ES256.
    #[value(name = "ES256")]
    Es256,
    /// Ed25519, EdDSA.
    #[value(name = "EdDSA")]
    EdDsa,
}

impl KeyAlg {
    /// The key kind to generate.
    pub fn kind(self) -> Kind {
        match self {
            KeyAlg::Rs256 => Kind::Rs256,
            KeyAlg::Es256 => Kind::Es256,
            KeyAlg::EdDsa => Kind::EdDsa,
        }
    }
}

/// How the Hasura claims are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClaimsFormat {
    /// A JSON object (a V2/V3 trigger can write one).
    Json,
    /// A JSON string holding the object (what a V1 trigger writes).
    #[value(name = "stringified_json")]
    StringifiedJson,
}

impl ClaimsFormat {
    /// The format.
    pub fn format(self) -> Format {
        match self {
            ClaimsFormat::Json => Format::Json,
            ClaimsFormat::StringifiedJson => Format::StringifiedJson,
        }
    }
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "`mint`'s flags.")]
#[derive(Debug, Args, Clone)]
pub struct MintArgs {
    /// The folder jwtcheck keygen wrote, or a PEM private key (PKCS#8, PKCS#1 RSA, SEC1 EC).
    #[arg(long, value_name = "DIR|FILE")]
    pub key: PathBuf,
    /// The user pool the token comes from (its issuer URL goes in iss) [default: the Hasura
    /// configuration's issuer, else us-east-1_LocalDev1].
    #[arg(long, value_name = "POOL_ID")]
    pub cognito_pool: Option<String>,
    /// The app client: aud of an id token, client_id of an access token [default: the Hasura
    /// configuration's first audience, else jwtcheckdevkitlocalclient0].
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Which token: id (what Hasura is usually given) or access.
    #[arg(long, value_enum, value_name = "KIND", default_value_t = TokenChoice::Id)]
    pub token_use: TokenChoice,
    /// An allowed role (repeatable; x-hasura-allowed-roles) [default: the default role, else
    /// user].
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// x-hasura-default-role [default: the first --role].
    #[arg(long, value_name = "ROLE")]
    pub default_role: Option<String>,
    /// The user: sub, the user name and x-hasura-user-id [default: a new UUID, as Cognito's
    /// sub].
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
    /// Another session variable (repeatable), e.g. x-hasura-org-id=42.
    #[arg(long = "session", value_name = "VAR=VALUE")]
    pub session: Vec<String>,
    /// How the Hasura claims are encoded [default: the configuration's claims_format, else
    /// stringified_json, what a V1 trigger writes].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub claims_format: Option<ClaimsFormat>,
    /// The claim the Hasura claims go under [default: the configuration's claims_namespace,
    /// else https://hasura.io/jwt/claims].
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// How long the token lives: 3600, 90s, 15m, 1h, 1d, 1h30m.
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub lifetime: String,
    /// A claim added or replaced last (repeatable); VALUE is JSON, or else taken as a string.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claims: Vec<String>,
    /// Mint for this Hasura JWT configuration (JSON text or @FILE) and check the token under it
    /// as verify --hasura-config does: a token it refuses is not printed.
    #[arg(long, value_name = "JSON|@FILE", conflicts_with = "hasura_config_env")]
    pub hasura_config: Option<String>,
    /// The same, with HASURA_GRAPHQL_JWT_SECRET(S) from the environment.
    #[arg(long)]
    pub hasura_config_env: bool,
    /// Which Hasura reads the configuration (as for verify).
    #[arg(long, value_enum, value_name = "EDITION")]
    pub hasura_edition: Option<Edition>,
    /// How the configuration's jwk_url is fetched.
    #[command(flatten)]
    pub fetch: FetchArgs,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "`serve-keys`' flags.")]
#[derive(Debug, Args, Clone)]
pub struct ServeKeysArgs {
    /// The folder jwtcheck keygen wrote (its jwks.json is served), or a key set file.
    #[arg(value_name = "DIR")]
    pub keys: PathBuf,
    /// The port on 127.0.0.1 (0: any free port; the first line names it).
    #[arg(long, value_name = "PORT", default_value_t = crate::devkit::DEFAULT_PORT)]
    pub port: u16,
    /// The pool whose paths and issuer are used [default: us-east-1_LocalDev1].
    #[arg(long, value_name = "POOL_ID")]
    pub cognito_pool: Option<String>,
    /// The app client, the printed configuration's audience [default: jwtcheckdevkitlocalclient0].
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The printed configuration's claims_format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ClaimsFormat::StringifiedJson)]
    pub claims_format: ClaimsFormat,
}

/// The longest `--lifetime`: ten years (an `exp` beyond any clock's reach overflows).
pub const MAX_LIFETIME: i64 = crate::clock::MAX_DURATION;

/// `--lifetime`: a number of seconds, or numbers with units `s`, `m`, `h`, `d` (`1h30m`), up to
/// [`MAX_LIFETIME`].
pub fn lifetime(text: &str) -> Result<i64, UsageError> {
    crate::clock::duration(text, MAX_LIFETIME).ok_or_else(|| {
        UsageError::new(
            Id::UsageLifetime,
            format!("--lifetime {text:?} is not a positive duration of at most 3650d"),
            "e.g. --lifetime 3600, 15m, 1h or 1d (Cognito allows 5m to 1d)",
        )
    })
}

/// `--claim NAME=VALUE`: VALUE as JSON when it parses, else as a string.
pub fn extra_claims(pairs: &[String]) -> Result<Vec<(String, Value)>, UsageError> {
    pairs
        .iter()
        .map(|pair| {
            let (name, value) = split(
                pair,
                "--claim",
                "NAME=VALUE",
                "e.g. --claim email=ada@example.com or --claim 'custom:tier=\"gold\"'",
            )?;
            let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
            Ok((name.to_string(), value))
        })
        .collect()
}

/// `--session VAR=VALUE`: an `x-hasura-*` variable other than the two role claims, lower-cased
/// (the engine ignores case).
pub fn session(pairs: &[String]) -> Result<Vec<(String, String)>, UsageError> {
    pairs
        .iter()
        .map(|pair| {
            let (name, value) = split(
                pair,
                "--session",
                "VAR=VALUE",
                "e.g. --session x-hasura-org-id=42",
            )?;
            let name = name.to_ascii_lowercase();
            if !name.starts_with("x-hasura-") {
                return Err(UsageError::new(
                    Id::UsageClaim,
                    format!("--session {name}: Hasura reads only x-hasura-* session variables"),
                    format!("write --session x-hasura-{name}={value}"),
                ));
            }
            if name == "x-hasura-allowed-roles" || name == "x-hasura-default-role" {
                return Err(UsageError::new(
                    Id::UsageClaim,
                    format!("--session {name}: the roles have flags of their own"),
                    "use --role ROLE (repeatable) and --default-role ROLE",
                ));
            }
            Ok((name, value.to_string()))
        })
        .collect()
}

/// The allowed roles and the default role: `--role` (else the default role, else `user`) and
/// `--default-role` (else the first role). A default role outside the allowed roles is kept:
/// the check says what Hasura makes of it.
pub fn roles(roles: &[String], default: Option<&str>) -> Result<(Vec<String>, String), UsageError> {
    if let Some(empty) = roles
        .iter()
        .chain(default.map(str::to_string).iter())
        .find(|r| r.trim().is_empty())
    {
        return Err(UsageError::new(
            Id::UsageClaim,
            format!("a role is empty ({empty:?})"),
            "give role names, e.g. --role user --role editor",
        ));
    }
    let roles = match (roles.is_empty(), default) {
        (false, _) => roles.to_vec(),
        (true, Some(d)) => vec![d.to_string()],
        (true, None) => vec!["user".to_string()],
    };
    let default = default
        .map(str::to_string)
        .or_else(|| roles.first().cloned())
        .unwrap_or_else(|| "user".into());
    Ok((roles, default))
}

fn split<'a>(
    pair: &'a str,
    flag: &str,
    shape: &str,
    example: &str,
) -> Result<(&'a str, &'a str), UsageError> {
    match pair.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim(), value)),
        _ => Err(UsageError::new(
            Id::UsageClaim,
            format!("{flag} {pair:?} is not {shape}"),
            example,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes() {
        assert_eq!(lifetime("3600").unwrap(), 3600);
        assert_eq!(lifetime("90s").unwrap(), 90);
        assert_eq!(lifetime("15m").unwrap(), 900);
        assert_eq!(lifetime("1h30m").unwrap(), 5400);
        assert_eq!(lifetime("1d").unwrap(), 86_400);
        assert_eq!(lifetime("3650d").unwrap(), MAX_LIFETIME);
        for bad in [
            "0",
            "-5",
            "1x",
            "h",
            "1h30",
            "",
            "99999999999999999999d",
            "3651d",
            "9223372036854775807",
        ] {
            assert_eq!(lifetime(bad).unwrap_err().id, Id::UsageLifetime, "{bad}");
        }
    }

    #[test]
    fn claims_are_json_or_text() {
        let c = extra_claims(&[
            "n=42".into(),
            "email=ada@example.com".into(),
            "o={\"a\":1}".into(),
        ])
        .unwrap();
        assert_eq!(c[0].1, serde_json::json!(42));
        assert_eq!(c[1].1, "ada@example.com");
        assert_eq!(c[2].1["a"], 1);
        assert_eq!(extra_claims(&["=1".into()]).unwrap_err().id, Id::UsageClaim);
    }

    #[test]
    fn session_variables_are_x_hasura_and_not_the_roles() {
        assert_eq!(
            session(&["X-Hasura-Org-Id=42".into()]).unwrap(),
            vec![("x-hasura-org-id".to_string(), "42".to_string())]
        );
        let e = session(&["org-id=42".into()]).unwrap_err();
        assert_eq!(e.hint, "write --session x-hasura-org-id=42");
        assert!(session(&["x-hasura-default-role=a".into()]).is_err());
    }

    #[test]
    fn roles_default_sensibly() {
        assert_eq!(
            roles(&[], None).unwrap(),
            (vec!["user".into()], "user".into())
        );
        assert_eq!(
            roles(&["editor".into(), "user".into()], None).unwrap(),
            (vec!["editor".into(), "user".into()], "editor".into())
        );
        assert_eq!(
            roles(&[], Some("admin")).unwrap(),
            (vec!["admin".into()], "admin".into())
        );
        assert!(roles(&["".into()], None).is_err());
    }
}
