//! The dev kit: key pairs shaped like a Cognito pool's, tokens shaped like Cognito's (with the
//! Hasura claims where a Pre Token Generation V1 trigger puts them), and the documents a local
//! key server publishes, so Hasura permissions can be tested before a real pool exists.
//!
//! No files, environment or network here: `keygen`, `mint` and `serve-keys` in `commands/` do
//! the I/O. Key generation and ECDSA signing draw on the system's random source.

pub mod keypair;
pub mod serve;
pub mod shape;

/// The pool id used when `--cognito-pool` is not given.
pub const DEFAULT_POOL: &str = "us-east-1_LocalDev1";

/// The app client id used when `--client-id` is not given (26 characters, as Cognito's are).
pub const DEFAULT_CLIENT_ID: &str = "jwtcheckdevkitlocalclient0";

/// The port `serve-keys` listens on when `--port` is not given.
pub const DEFAULT_PORT: u16 = 8977;

/// The private key file `keygen` writes (PKCS#8 PEM, mode 0600).
pub const PRIVATE_KEY_FILE: &str = "private.pem";

/// The public key file `keygen` writes (SubjectPublicKeyInfo PEM), for a `key` configuration.
pub const PUBLIC_KEY_FILE: &str = "public.pem";

/// The key set `keygen` writes and `serve-keys` serves.
pub const JWKS_FILE: &str = "jwks.json";

/// Cognito writes `/` as `\/` inside JSON strings (outside strings JSON has no `/`): minted
/// tokens do the same, so that they read like real ones byte for byte.
pub fn cognito_json(value: &serde_json::Value) -> String {
    value.to_string().replace('/', "\\/")
}

/// A compact token of `claims`, with the header Cognito writes (`kid`, `alg`), JSON written as
/// Cognito writes it, signed by `key`.
pub fn sign_claims(
    claims: serde_json::Map<String, serde_json::Value>,
    key: &keypair::SigningKey,
) -> Result<String, keypair::KeyError> {
    let header = shape::header(&key.kid(), key.alg().name());
    let b64 = |v: serde_json::Map<String, serde_json::Value>| {
        crate::jose::base64url::encode(cognito_json(&serde_json::Value::Object(v)).as_bytes())
    };
    let input = format!("{}.{}", b64(header), b64(claims));
    let signature = key.sign(input.as_bytes())?;
    Ok(format!(
        "{input}.{}",
        crate::jose::base64url::encode(&signature)
    ))
}

/// A random (version 4) UUID, the form of Cognito's `sub`, `jti`, `origin_jti` and `event_id`;
/// `None` when the system's random source fails.
pub fn uuid() -> Option<String> {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).ok()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        hex.get(..8)?,
        hex.get(8..12)?,
        hex.get(12..16)?,
        hex.get(16..20)?,
        hex.get(20..)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        let u = uuid().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid().unwrap());
    }

    #[test]
    fn cognito_json_escapes_slashes() {
        assert_eq!(
            cognito_json(&serde_json::json!({"iss": "https://x/y"})),
            r#"{"iss":"https:\/\/x\/y"}"#
        );
    }
}
