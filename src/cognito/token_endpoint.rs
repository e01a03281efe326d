//! Cognito's token endpoint (`POST /oauth2/token` on the Hosted UI / managed login domain) for
//! the authorization-code grant and the refresh-token grant: the request each needs, and what
//! each answer means, with the fix for every error Cognito returns. Pure: the network edge sends
//! the request.

use serde_json::Value;

/// The token endpoint of a Hosted UI / managed login domain.
pub fn url(domain: &str) -> String {
    format!("{}/oauth2/token", domain.trim_end_matches('/'))
}

/// Why a `--domain` is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Not an absolute URL with a host.
    #[error("--domain {0:?} is not a URL with a host")]
    NoHost(String),
    /// Plain http to a host that is not loopback.
    #[error(
        "--domain {0}: the sign-in and the code go over https only (plain http only on 127.0.0.1, ::1 or localhost)"
    )]
    Insecure(String),
    /// Another scheme.
    #[error("--domain {0}: not an https URL")]
    Scheme(String),
    /// A query or fragment.
    #[error("--domain {0}: a domain has no query or fragment")]
    Extra(String),
}

impl DomainError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        "give the Hosted UI / managed login domain, e.g. https://myapp.auth.us-east-1.amazoncognito.com (or your custom domain)"
    }
}

/// Checks a Hosted UI / managed login domain: https with a host (http on loopback), no query
/// or fragment.
pub fn check_domain(text: &str) -> Result<(), DomainError> {
    let t = text.trim();
    let url = url::Url::parse(t).map_err(|_| DomainError::NoHost(t.to_string()))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(DomainError::NoHost(t.to_string()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(DomainError::Extra(t.to_string()));
    }
    // The transport rule of every fetch: https, or http on loopback.
    match url.scheme() {
        "https" => Ok(()),
        "http" if crate::http::is_loopback(&url) => Ok(()),
        "http" => Err(DomainError::Insecure(t.to_string())),
        _ => Err(DomainError::Scheme(t.to_string())),
    }
}

/// What the code exchange sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The code from the callback.
    pub code: String,
    /// The redirect_uri of the authorize request (it must match exactly).
    pub redirect_uri: String,
    /// The app client id.
    pub client_id: String,
    /// The PKCE code_verifier, when the authorize request had a code_challenge.
    pub code_verifier: Option<String>,
    /// Whether a client secret is sent (as HTTP Basic).
    pub secret_sent: bool,
}

impl Exchange {
    /// The form fields (`grant_type=authorization_code`, the code, redirect_uri, client_id and
    /// the code_verifier when there is one).
    pub fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", self.code.clone()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("client_id", self.client_id.clone()),
        ];
        if let Some(v) = &self.code_verifier {
            form.push(("code_verifier", v.clone()));
        }
        form
    }
}

/// A refresh token: a secret, never shown (its `Debug` says only that it is one).
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// Wraps the text; surrounding whitespace (a file's newline) is dropped.
    pub fn new(text: &str) -> RefreshToken {
        RefreshToken(text.trim().to_string())
    }

    /// The secret itself, for the request and the file it is kept in.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshToken(not shown)")
    }
}

/// What the refresh-token grant sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// The refresh token.
    pub refresh_token: RefreshToken,
    /// The app client id (the one the refresh token was issued to).
    pub client_id: String,
    /// Whether a client secret is sent (as HTTP Basic).
    pub secret_sent: bool,
}

impl Refresh {
    /// The form fields (`grant_type=refresh_token`, client_id, refresh_token).
    pub fn form(&self) -> Vec<(&'static str, String)> {
        vec![
            ("grant_type", "refresh_token".to_string()),
            ("client_id", self.client_id.clone()),
            ("refresh_token", self.refresh_token.expose().to_string()),
        ]
    }
}

/// The tokens a successful exchange returned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tokens {
    /// `id_token` (with the `openid` scope).
    pub id_token: Option<String>,
    /// `access_token`.
    pub access_token: Option<String>,
    /// `refresh_token`, when one came (never shown).
    pub refresh_token: Option<RefreshToken>,
}

impl Tokens {
    /// `id_token, access_token, refresh_token` as received.
    pub fn received(&self) -> String {
        let names: Vec<&str> = [
            (self.id_token.is_some(), "id_token"),
            (self.access_token.is_some(), "access_token"),
            (self.refresh_token.is_some(), "refresh_token (not shown)"),
        ]
        .into_iter()
        .filter_map(|(has, name)| has.then_some(name))
        .collect();
        if names.is_empty() {
            "no token".into()
        } else {
            names.join(", ")
        }
    }
}

/// What the token endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// HTTP 200 with tokens.
    Tokens(Tokens),
    /// An OAuth error: what went wrong and how to fix it.
    Refused {
        /// One line, with the endpoint's error code and status.
        message: String,
        /// The fix.
        hint: String,
    },
}

/// Which grant an answer is to.
#[derive(Clone, Copy)]
enum Grant<'a> {
    /// The authorization code (`from-url --domain`, `login`).
    Code(&'a Exchange),
    /// The refresh token (`refresh`).
    Refresh(&'a Refresh),
}

impl Grant<'_> {
    /// What was sent, as the messages name it.
    fn what(self) -> &'static str {
        match self {
            Grant::Code(_) => "the code",
            Grant::Refresh(_) => "the refresh token",
        }
    }

    /// What to do when the server failed.
    fn server_failed(self) -> &'static str {
        match self {
            Grant::Code(_) => {
                "the server failed while exchanging the code: sign in again for a fresh code; if it persists, check --domain"
            }
            Grant::Refresh(_) => {
                "the server failed while refreshing: try again (the refresh token was not used up); if it persists, check --domain"
            }
        }
    }

    /// The fix for an OAuth error.
    fn fix(self, error: &str, description: Option<&str>) -> String {
        match self {
            Grant::Code(exchange) => fix(error, exchange),
            Grant::Refresh(refresh) => refresh_fix(error, description, refresh),
        }
    }
}

/// Reads the endpoint's answer (`status`, `body`) to `exchange`.
pub fn answer(status: u16, body: &[u8], exchange: &Exchange) -> Answer {
    read(status, body, Grant::Code(exchange))
}

/// Reads the endpoint's answer (`status`, `body`) to the refresh-token grant `refresh`.
pub fn refreshed(status: u16, body: &[u8], refresh: &Refresh) -> Answer {
    read(status, body, Grant::Refresh(refresh))
}

fn read(status: u16, body: &[u8], grant: Grant<'_>) -> Answer {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    match json {
        // RFC 6749 §7.1: a client must not use a token whose type it does not understand.
        Some(v)
            if status == 200
                && !text(&v, "token_type").is_some_and(|t| t.eq_ignore_ascii_case("bearer")) =>
        {
            let message = match text(&v, "token_type") {
                Some(t) => format!("the token endpoint answered token_type {t:?}, not Bearer, so its tokens were not used"),
                None => "the token endpoint answered without a token_type (RFC 6749 §5.1 requires Bearer here), so its tokens were not used".into(),
            };
            Answer::Refused {
                message,
                hint: "Cognito's token endpoint always answers token_type Bearer: check --domain (the Hosted UI / managed login domain), or what stands between jwtcheck and it".into(),
            }
        }
        Some(v) if status == 200 => Answer::Tokens(Tokens {
            id_token: text(&v, "id_token"),
            access_token: text(&v, "access_token"),
            refresh_token: text(&v, "refresh_token").map(|t| RefreshToken::new(&t)),
        }),
        Some(v) if text(&v, "error").is_some() => {
            let error = text(&v, "error").unwrap_or_default();
            let described = text(&v, "error_description");
            let description = described
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            Answer::Refused {
                message: format!(
                    "the token endpoint refused {}: {error}{description}, HTTP {status}",
                    grant.what()
                ),
                hint: grant.fix(&error, described.as_deref()),
            }
        }
        Some(_) if status >= 500 => Answer::Refused {
            message: format!(
                "the token endpoint failed: HTTP {status}, with JSON that is not an OAuth error (no \"error\")"
            ),
            hint: grant.server_failed().into(),
        },
        Some(_) => Answer::Refused {
            message: format!(
                "the token endpoint answered HTTP {status} with JSON that is not an OAuth error (no \"error\")"
            ),
            hint: DOMAIN_HINT.into(),
        },
        None if status >= 500 => Answer::Refused {
            message: format!("the token endpoint failed: HTTP {status}, and its body is not JSON"),
            hint: grant.server_failed().into(),
        },
        None => Answer::Refused {
            message: format!(
                "the token endpoint answered HTTP {status}, and its body is not JSON (not an OAuth answer)"
            ),
            hint: DOMAIN_HINT.into(),
        },
    }
}

/// The fix for each error the refresh-token grant meets.
fn refresh_fix(error: &str, description: Option<&str>, refresh: &Refresh) -> String {
    let disabled = description.is_some_and(|d| d.to_ascii_lowercase().contains("disabled"));
    match error {
        "invalid_grant" if disabled => "the user is disabled in the user pool: an administrator enables the user again (AdminEnableUser), then the user signs in again".into(),
        "invalid_grant" => format!(
            "the refresh token is revoked (sign-out, GlobalSignOut, /oauth2/revoke), expired (the app client's refresh token validity, 30 days by default), or was issued to another app client than --client-id {}; with refresh token rotation, a refresh token already used stops working after the app client's grace period (0 to 60 s): use the newest one (--refresh-token-file is updated on each rotation). Otherwise sign in again (jwtcheck login --save-refresh-token FILE)",
            refresh.client_id
        ),
        "invalid_client" if refresh.secret_sent => "the client secret is wrong, or this app client has no secret (then send none): check --client-secret-env / --client-secret-file against the app client".into(),
        "invalid_client" => "this app client has a secret and none was sent: pass --client-secret-env VAR or --client-secret-file FILE (it is sent as HTTP Basic); also check --client-id".into(),
        "unauthorized_client" => "this app client may not refresh: in Cognito, allow ALLOW_REFRESH_TOKEN_AUTH (or refresh token rotation) in the app client's authentication flows".into(),
        "invalid_request" => "a parameter is missing or malformed: check --client-id and the refresh token file or variable (one token, nothing else)".into(),
        "unsupported_grant_type" => "the endpoint does not take the refresh-token grant: check --domain".into(),
        _ => "see the endpoint's error_description; sign in again for a fresh refresh token".into(),
    }
}

/// The fix for an answer that is not from a token endpoint.
const DOMAIN_HINT: &str = "check --domain: it is the Hosted UI / managed login domain (https://PREFIX.auth.REGION.amazoncognito.com or your custom domain), whose token endpoint is /oauth2/token";

/// The fix for each error Cognito's token endpoint returns.
fn fix(error: &str, exchange: &Exchange) -> String {
    match error {
        "invalid_grant" => {
            let pkce = if exchange.code_verifier.is_some() {
                "the --code-verifier is not the one the code_challenge was made from, "
            } else {
                "the authorize request had a code_challenge and --code-verifier is missing, "
            };
            format!(
                "a code works once and for 5 minutes: sign in again for a fresh one. Otherwise {pkce}or --redirect-uri ({}) differs from the authorize request's redirect_uri",
                exchange.redirect_uri
            )
        }
        "invalid_client" if exchange.secret_sent => "the client secret is wrong, or this app client has no secret (then send none): check --client-secret-env / --client-secret-file against the app client".into(),
        "invalid_client" => "this app client has a secret and none was sent: pass --client-secret-env VAR or --client-secret-file FILE (it is sent as HTTP Basic); also check --client-id".into(),
        "unauthorized_client" => "the authorization code grant is not enabled for this app client: in Cognito, enable 'Authorization code grant' in the app client's managed login / Hosted UI settings".into(),
        "invalid_request" => "a parameter is missing or malformed: check --client-id, --redirect-uri (exactly the authorize request's) and --code-verifier".into(),
        "unsupported_grant_type" => "the endpoint does not take the authorization code grant: check --domain".into(),
        _ => "see the endpoint's error_description; sign in again for a fresh code".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange() -> Exchange {
        Exchange {
            code: "c".into(),
            redirect_uri: "https://app/cb".into(),
            client_id: "id".into(),
            code_verifier: None,
            secret_sent: false,
        }
    }

    fn refresh() -> Refresh {
        Refresh {
            refresh_token: RefreshToken::new("secret-refresh\n"),
            client_id: "id".into(),
            secret_sent: false,
        }
    }

    #[test]
    fn refresh_errors_name_the_cause() {
        let r = refresh();
        assert_eq!(r.form()[2], ("refresh_token", "secret-refresh".to_string()));
        assert!(!format!("{r:?}").contains("secret-refresh"));
        let Answer::Refused { message, hint } = refreshed(
            400,
            br#"{"error":"invalid_grant","error_description":"User is disabled."}"#,
            &r,
        ) else {
            panic!()
        };
        assert_eq!(
            message,
            "the token endpoint refused the refresh token: invalid_grant (User is disabled.), HTTP 400"
        );
        assert!(hint.starts_with("the user is disabled"), "{hint}");
        let Answer::Refused { hint, .. } = refreshed(400, br#"{"error":"invalid_grant"}"#, &r)
        else {
            panic!()
        };
        assert!(hint.starts_with("the refresh token is revoked"), "{hint}");
        assert!(hint.contains("grace period"), "{hint}");
        let Answer::Tokens(t) = refreshed(
            200,
            br#"{"id_token":"a.b.c","access_token":"x.y.z","refresh_token":"new","token_type":"Bearer"}"#,
            &r,
        ) else {
            panic!()
        };
        assert_eq!(
            t.refresh_token.map(|t| t.expose().to_string()).as_deref(),
            Some("new")
        );
    }

    #[test]
    fn reads_tokens_and_errors() {
        let ok = answer(200, br#"{"id_token":"a.b.c","access_token":"x.y.z","refresh_token":"r","token_type":"Bearer"}"#, &exchange());
        let Answer::Tokens(t) = ok else { panic!() };
        assert_eq!(
            t.received(),
            "id_token, access_token, refresh_token (not shown)"
        );
        let Answer::Refused { message, hint } =
            answer(400, br#"{"error":"invalid_grant"}"#, &exchange())
        else {
            panic!()
        };
        assert_eq!(
            message,
            "the token endpoint refused the code: invalid_grant, HTTP 400"
        );
        assert!(hint.contains("--code-verifier is missing"));
        let Answer::Refused { hint, .. } =
            answer(401, br#"{"error":"invalid_client"}"#, &exchange())
        else {
            panic!()
        };
        assert!(hint.starts_with("this app client has a secret and none was sent"));
        let Answer::Refused { message, .. } = answer(502, b"<html>", &exchange()) else {
            panic!()
        };
        assert_eq!(
            message,
            "the token endpoint failed: HTTP 502, and its body is not JSON"
        );
        let Answer::Refused { message, .. } = answer(404, b"<html>", &exchange()) else {
            panic!()
        };
        assert!(message.ends_with("its body is not JSON (not an OAuth answer)"));
        for (domain, ok) in [
            ("https://myapp.auth.us-east-1.amazoncognito.com", true),
            ("https://login.example.com/", true),
            ("http://127.0.0.1:8080", true),
            ("https://", false),
            ("ftp://myapp.example.com", false),
            ("http://myapp.example.com", false),
            ("https://myapp.example.com?x=1", false),
            ("myapp.example.com", false),
        ] {
            assert_eq!(check_domain(domain).is_ok(), ok, "{domain}");
        }
    }
}
