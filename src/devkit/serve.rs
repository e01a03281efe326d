//! What `serve-keys` publishes and prints: the key set at a Cognito pool's path, an OpenID
//! discovery document shaped like Cognito's, and the `HASURA_GRAPHQL_JWT_SECRET` that points a
//! local Hasura at them.

use serde_json::{Value, json};

use crate::cognito::Pool;
use crate::hasura::claims::Format;

/// The `Cache-Control` every document is served with: Hasura refetches a `jwk_url` this often
/// (a minute, so a new key is picked up quickly), and verifiers may keep it as long.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// One served pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The pool whose paths and issuer are used.
    pub pool: Pool,
    /// The app client (the configuration's `audience`).
    pub client_id: String,
    /// The configuration's `claims_format`.
    pub format: Format,
    /// The algorithms of the served keys, in key set order.
    pub algs: Vec<String>,
}

impl Site {
    /// `/POOL/.well-known/jwks.json`, where Cognito serves a pool's keys.
    pub fn jwks_path(&self) -> String {
        format!("/{}/.well-known/jwks.json", self.pool.id)
    }

    /// `/POOL/.well-known/openid-configuration`.
    pub fn discovery_path(&self) -> String {
        format!("/{}/.well-known/openid-configuration", self.pool.id)
    }

    /// The key set's URL.
    pub fn jwks_uri(&self) -> String {
        format!("{}{}", self.base, self.jwks_path())
    }

    /// The discovery document's URL.
    pub fn discovery_uri(&self) -> String {
        format!("{}{}", self.base, self.discovery_path())
    }

    /// The discovery document: the pool's Cognito issuer (what minted tokens carry in `iss`)
    /// and the local key set; the other members as Cognito publishes them.
    pub fn discovery(&self) -> Value {
        json!({
            "issuer": self.pool.issuer(),
            "jwks_uri": self.jwks_uri(),
            "id_token_signing_alg_values_supported": self.algs,
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        })
    }

    /// The `HASURA_GRAPHQL_JWT_SECRET` value for these keys: `jwk_url`, the pool's issuer, the
    /// app client as audience, the claims format (compact JSON, one line).
    pub fn hasura_secret(&self) -> String {
        let alg_type = match self.algs.first().map(String::as_str) {
            Some("EdDSA") => "Ed25519",
            Some(alg) => alg,
            None => "RS256",
        };
        json!({
            "type": alg_type,
            "jwk_url": self.jwks_uri(),
            "issuer": self.pool.issuer(),
            "audience": self.client_id,
            "claims_format": self.format.as_str(),
        })
        .to_string()
    }

    /// What `serve-keys` prints when it starts: the URL first, then how to point Hasura (in a
    /// shell and in docker-compose) and jwtcheck (the variable `endpoint_env`) at the keys.
    pub fn banner(&self, keys: &[String], endpoint_env: &str) -> String {
        let secret = self.hasura_secret();
        let mut out = format!(
            "SERVING  {}  ({} key{}; Ctrl-C stops)\n",
            self.jwks_uri(),
            keys.len(),
            if keys.len() == 1 { "" } else { "s" }
        );
        out.push_str(&format!("  discovery  {}\n", self.discovery_uri()));
        out.push_str(&format!(
            "  issuer     {}  (the iss jwtcheck mint writes for pool {})\n",
            self.pool.issuer(),
            self.pool.id
        ));
        for key in keys {
            out.push_str(&format!("  key        {key}\n"));
        }
        out.push_str(
            "\nPoint a local Hasura (and jwtcheck mint --hasura-config-env) at these keys:\n",
        );
        out.push_str(&format!(
            "  export HASURA_GRAPHQL_JWT_SECRET={}\n",
            shell_quote(&secret)
        ));
        out.push_str(
            "\nIn docker-compose.yml, the graphql-engine service (it must share the host's network to reach 127.0.0.1):\n",
        );
        out.push_str("    network_mode: host\n    environment:\n");
        out.push_str(&format!(
            "      HASURA_GRAPHQL_JWT_SECRET: {}\n",
            yaml_quote(&secret)
        ));
        out.push_str(
            "\nLet jwtcheck verify tokens of this pool against these keys instead of AWS's:\n",
        );
        out.push_str(&format!("  export {endpoint_env}={}\n", self.base));
        out
    }
}

/// A shell word: single quotes, a `'` inside written `'\''`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A YAML single-quoted scalar: a `'` inside written `''`.
fn yaml_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            base: "http://127.0.0.1:8977".into(),
            pool: Pool::parse("us-east-1_LocalDev1").unwrap(),
            client_id: "client".into(),
            format: Format::StringifiedJson,
            algs: vec!["EdDSA".into()],
        }
    }

    #[test]
    fn the_secret_points_at_the_served_key_set() {
        let cfg = crate::hasura::v2::config::parse_text(&site().hasura_secret()).unwrap();
        assert_eq!(
            cfg.key,
            crate::hasura::v2::config::KeyConfig::Url(
                "http://127.0.0.1:8977/us-east-1_LocalDev1/.well-known/jwks.json".into()
            )
        );
        assert_eq!(
            cfg.issuer.as_deref(),
            Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalDev1")
        );
        assert_eq!(cfg.audience, Some(vec!["client".to_string()]));
        assert!(site().hasura_secret().contains(r#""type":"Ed25519""#));
    }

    #[test]
    fn the_banner_names_the_url_first_and_quotes_for_shell_and_yaml() {
        let mut s = site();
        s.client_id = "it's".into();
        let banner = s.banner(&["EdDSA kid abc=".into()], "JWTCHECK_COGNITO_ENDPOINT");
        assert!(banner.starts_with(
            "SERVING  http://127.0.0.1:8977/us-east-1_LocalDev1/.well-known/jwks.json  (1 key;"
        ));
        assert!(banner.contains(r#""audience":"it'\''s""#), "{banner}");
        assert!(banner.contains(r#""audience":"it''s""#), "{banner}");
        assert!(banner.contains("export JWTCHECK_COGNITO_ENDPOINT=http://127.0.0.1:8977\n"));
    }

    #[test]
    fn discovery_names_the_pool_issuer_and_the_local_key_set() {
        let d = site().discovery();
        assert_eq!(
            d["issuer"],
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalDev1"
        );
        assert_eq!(
            d["jwks_uri"],
            "http://127.0.0.1:8977/us-east-1_LocalDev1/.well-known/jwks.json"
        );
    }
}
