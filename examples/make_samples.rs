//! Regenerates `samples/`: a Cognito-shaped user pool (two RSA keys), an id token and an access
//! token from it, a Hosted UI callback URL and a `HASURA_GRAPHQL_JWT_SECRET` value.
//!
//! Run: `cargo run --example make_samples`. The private keys live in `tests/fixtures/keys`
//! (generated for the purpose, see the README there); the tokens are real signatures by them.

// Test code: a failed unwrap or index is the test failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/it/support/sign.rs"]
mod sign;

use serde_json::json;

const REGION: &str = "us-east-1";
const POOL: &str = "us-east-1_Jw7Ck9Sa1";
const CLIENT_ID: &str = "4l1h8mfsl2jt8ovcbvda5sqvd0";
const ID_KID: &str = "Oqs1EzKI/eotA+ojxXBNQLxXSzJwU11pPstdfHMc6k0=";
const ACCESS_KID: &str = "n2k4veiSy4HDKsczoPft+DBQO/61C1PYvg8+QvInc/A=";
const SUB: &str = "b8f1f6df-c138-476e-85f3-7339bf9e2d7d";
/// 2026-11-24T09:00:00Z.
const IAT: i64 = 1_795_510_800;

/// Cognito writes `/` as `\/` inside JSON strings; outside strings JSON has no `/`.
fn cognito_json(v: &serde_json::Value) -> String {
    v.to_string().replace('/', "\\/")
}

fn main() {
    let issuer = format!("https://cognito-idp.{REGION}.amazonaws.com/{POOL}");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::create_dir_all(&samples).expect("samples dir");
    let write = |name: &str, text: String| {
        std::fs::write(samples.join(name), text).expect("write sample");
    };

    let jwks = json!({"keys": [
        sign::public_jwk("rsa-pool-id.pub.pem", Some(ID_KID), Some("RS256")),
        sign::public_jwk("rsa-pool-access.pub.pem", Some(ACCESS_KID), Some("RS256")),
    ]});
    write(
        "jwks.json",
        format!("{}\n", serde_json::to_string_pretty(&jwks).expect("json")),
    );

    let hasura = json!({
        "x-hasura-user-id": SUB,
        "x-hasura-default-role": "user",
        "x-hasura-allowed-roles": ["user", "editor"],
    })
    .to_string();
    let id_payload = json!({
        "sub": SUB,
        "cognito:groups": ["editors"],
        "email_verified": true,
        "iss": issuer,
        "cognito:username": "ada",
        "origin_jti": "c24edf3a-1ae2-49f0-8fdf-98005135228d",
        "aud": CLIENT_ID,
        "event_id": "da7dc929-d352-4852-8d69-4d7c2dd385b2",
        "token_use": "id",
        "auth_time": IAT - 120,
        "https://hasura.io/jwt/claims": hasura,
        "exp": IAT + 3600,
        "iat": IAT,
        "jti": "6e0a855e-490e-432d-911a-37a2a99aa033",
        "email": "ada@example.com",
    });
    let id_token = sign::sign(
        "RS256",
        "rsa-pool-id",
        &cognito_json(&json!({"kid": ID_KID, "alg": "RS256"})),
        &cognito_json(&id_payload),
    );
    let access_payload = json!({
        "sub": SUB,
        "cognito:groups": ["editors"],
        "iss": issuer,
        "version": 2,
        "client_id": CLIENT_ID,
        "origin_jti": "c24edf3a-1ae2-49f0-8fdf-98005135228d",
        "event_id": "da7dc929-d352-4852-8d69-4d7c2dd385b2",
        "token_use": "access",
        "scope": "openid email",
        "auth_time": IAT - 120,
        "exp": IAT + 3600,
        "iat": IAT,
        "jti": "0f4a1b2c-3d4e-4f60-8a7b-9c0d1e2f3a4b",
        "username": "ada",
    });
    let access_token = sign::sign(
        "RS256",
        "rsa-pool-access",
        &cognito_json(&json!({"kid": ACCESS_KID, "alg": "RS256"})),
        &cognito_json(&access_payload),
    );
    write("id-token.jwt", format!("{id_token}\n"));
    write("access-token.jwt", format!("{access_token}\n"));
    write(
        "callback-url.txt",
        format!(
            "https://localhost:3000/cognito-callback#id_token={id_token}&access_token={access_token}&expires_in=3600&token_type=Bearer&state=k3s9-f00d\n"
        ),
    );
    let secret = json!({
        "type": "RS256",
        "jwk_url": format!("{issuer}/.well-known/jwks.json"),
        "claims_format": "stringified_json",
        "audience": CLIENT_ID,
        "issuer": issuer,
    });
    write(
        "hasura-jwt-secret.json",
        format!("{}\n", serde_json::to_string_pretty(&secret).expect("json")),
    );
    write(
        "auth-config.hml",
        format!(
            "# Hasura DDN's AuthConfig for the sample pool (globals/metadata/auth-config.hml):
# the id token's stringified Hasura claims, checked against the pool's issuer and app client.
kind: AuthConfig
version: v3
definition:
  mode:
    jwt:
      claimsConfig:
        namespace:
          claimsFormat: StringifiedJson
          location: /https:~1~1hasura.io~1jwt~1claims
      tokenLocation:
        type: BearerAuthorization
      key:
        jwkFromUrl: {issuer}/.well-known/jwks.json
      audience:
        - {CLIENT_ID}
      issuer: {issuer}
"
        ),
    );
    println!("wrote samples/ (tokens valid 2026-11-24T09:00:00Z .. 10:00:00Z)");
}
