//! What the registered, OIDC and Cognito claims mean, for the claims table of `decode`.

/// The claims that hold times (NumericDate), in the order they are shown.
pub const TIME_CLAIMS: [&str; 5] = ["iat", "auth_time", "nbf", "exp", "updated_at"];

/// A one-line meaning for a claim name of a token whose issuer is (`cognito`) or is not a
/// Cognito pool: Cognito's own meaning is given only for Cognito's tokens.
pub fn meaning_for(name: &str, cognito: bool) -> Option<&'static str> {
    match name {
        "aud" if cognito => {
            Some("audience: who the token is for (Cognito id token: the app client id)")
        }
        _ => meaning(name),
    }
}

/// A one-line meaning for a claim name, when it is one people meet in Cognito / OIDC tokens.
pub fn meaning(name: &str) -> Option<&'static str> {
    Some(match name {
        "iss" => "issuer: who issued the token",
        "sub" => "subject: the user's unique id",
        "aud" => "audience: who the token is for",
        "exp" => "expiry: not valid at or after this time",
        "nbf" => "not before: not valid before this time",
        "iat" => "issued at",
        "jti" => "token id",
        "auth_time" => "when the user signed in (kept across refreshes)",
        "token_use" => "Cognito: which token this is (id or access)",
        "client_id" => "Cognito access token: the app client id",
        "scope" => "OAuth scopes granted (space-separated)",
        "username" => "Cognito access token: the user name",
        "cognito:username" => "Cognito: the user name in the pool",
        "cognito:groups" => "Cognito: the user's groups",
        "cognito:roles" => "Cognito: IAM roles from the user's groups",
        "cognito:preferred_role" => "Cognito: IAM role of the highest-precedence group",
        "origin_jti" => "Cognito: revocation id shared with the refresh token",
        "event_id" => "Cognito: id of the sign-in event",
        "version" => "Cognito access token format version",
        "device_key" => "Cognito: remembered device",
        "identities" => "Cognito: linked federated identities",
        "email" => "e-mail address",
        "email_verified" => "whether the e-mail address is verified",
        "phone_number" => "phone number",
        "phone_number_verified" => "whether the phone number is verified",
        "name" => "full name",
        "given_name" => "given name",
        "family_name" => "family name",
        "preferred_username" => "preferred user name",
        "nonce" => "OIDC: the nonce the app sent (replay protection)",
        "at_hash" => "OIDC: hash of the access token issued with this id token",
        "c_hash" => "OIDC: hash of the code issued with this id token",
        "azp" => "authorized party: the client the token was issued to",
        "amr" => "authentication methods used",
        "acr" => "authentication context class (level of assurance)",
        "sid" => "session id",
        "updated_at" => "when the user's profile last changed",
        "https://hasura.io/jwt/claims" => "Hasura claims (the default namespace)",
        _ if name.starts_with("custom:") => "Cognito custom attribute (always a string)",
        _ if name.starts_with("dev:") => "Cognito developer-only attribute",
        _ => return None,
    })
}

/// A one-line meaning for a header parameter.
pub fn header_meaning(name: &str) -> Option<&'static str> {
    Some(match name {
        "alg" => "signature algorithm",
        "kid" => "key id: which key of the issuer's key set signed it",
        "typ" => "media type of the token",
        "cty" => "content type of the payload",
        "crit" => "extensions a verifier must understand, or reject the token",
        "jku" => "URL of a key set (never trusted for verification)",
        "jwk" => "an embedded public key (never trusted for verification)",
        "x5u" => "URL of a certificate chain (never trusted)",
        "x5c" => "an embedded certificate chain (never trusted)",
        "x5t" | "x5t#S256" => "certificate thumbprint",
        "enc" => "content encryption algorithm (JWE)",
        "zip" => "compression (JWE only)",
        "b64" => "RFC 7797 unencoded payload",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_usual_claims() {
        for c in [
            "iss",
            "sub",
            "aud",
            "exp",
            "nbf",
            "iat",
            "jti",
            "auth_time",
            "token_use",
        ] {
            assert!(meaning(c).is_some(), "{c}");
        }
        assert!(meaning("cognito:groups").unwrap().contains("groups"));
        assert!(meaning("custom:tenant").unwrap().contains("string"));
        assert_eq!(meaning("favourite_colour"), None);
    }
}
