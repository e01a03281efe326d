//! Reading what Cognito's Hosted UI / managed login sent back to the app's redirect URI.
//!
//! The implicit grant puts `id_token`, `access_token`, `token_type`, `expires_in` and `state` in
//! the fragment; the authorization-code grant puts `code` and `state` in the query; errors come as
//! `error` and `error_description` (documented in the query, read in both). Pure: no I/O.

use crate::report::Id;

pub use crate::report::{Grant, Part};

/// One decoded parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its percent-decoded value.
    pub value: String,
    /// Query or fragment.
    pub part: Part,
}

/// A parsed callback URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// The redirect URI the app registered: the URL without query and fragment (empty when only
    /// the parameters were pasted).
    pub redirect_uri: String,
    /// Every parameter, in order.
    pub params: Vec<Param>,
}

/// Why a text is not a callback URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Nothing given.
    #[error("the callback URL is empty")]
    Empty,
    /// Not a URL and not a bare parameter string.
    #[error("not a URL: {0}")]
    NotUrl(String),
}

impl CallbackError {
    /// Stable id.
    pub fn id(&self) -> Id {
        match self {
            CallbackError::Empty => Id::CallbackEmpty,
            CallbackError::NotUrl(_) => Id::CallbackNotUrl,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        "paste the whole address the browser landed on after sign-in, e.g. https://localhost:3000/callback#id_token=…&access_token=…"
    }
}

/// Parses a callback URL (or just its `?…` / `#…` part).
pub fn parse(text: &str) -> Result<Callback, CallbackError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CallbackError::Empty);
    }
    if text.starts_with('#') || text.starts_with('?') || !text.contains(':') {
        let (query, fragment) = split_parts(text);
        return Ok(Callback {
            redirect_uri: String::new(),
            params: collect(query, fragment),
        });
    }
    let url = url::Url::parse(text).map_err(|e| CallbackError::NotUrl(e.to_string()))?;
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    Ok(Callback {
        redirect_uri: base.to_string(),
        params: collect(url.query(), url.fragment()),
    })
}

fn split_parts(text: &str) -> (Option<&str>, Option<&str>) {
    let (before, fragment) = match text.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (text, None),
    };
    let query = before
        .strip_prefix('?')
        .or_else(|| before.split_once('?').map(|(_, q)| q))
        .or(if before.contains('=') {
            Some(before)
        } else {
            None
        });
    (query, fragment)
}

fn collect(query: Option<&str>, fragment: Option<&str>) -> Vec<Param> {
    let mut params = Vec::new();
    for (text, part) in [(query, Part::Query), (fragment, Part::Fragment)] {
        if let Some(text) = text {
            params.extend(
                url::form_urlencoded::parse(text.as_bytes()).map(|(k, v)| Param {
                    name: k.into_owned(),
                    value: v.into_owned(),
                    part,
                }),
            );
        }
    }
    params
}

impl Callback {
    /// The first value of a parameter (fragment first: that is where the implicit grant puts
    /// tokens).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.find(name, Part::Fragment)
            .or_else(|| self.find(name, Part::Query))
    }

    fn find(&self, name: &str, part: Part) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name && p.part == part)
            .map(|p| p.value.as_str())
    }

    /// Names given more than once (ambiguous: which one did the app read?).
    pub fn repeated(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        let mut repeated = Vec::new();
        for p in &self.params {
            if seen.contains(&p.name.as_str()) {
                if !repeated.contains(&p.name.as_str()) {
                    repeated.push(p.name.as_str());
                }
            } else {
                seen.push(&p.name);
            }
        }
        repeated
    }

    /// What kind of callback this is.
    pub fn grant(&self) -> Grant {
        if self.get("error").is_some() {
            Grant::Error
        } else if self.get("id_token").is_some() || self.get("access_token").is_some() {
            Grant::Implicit
        } else if self.get("code").is_some() {
            Grant::Code
        } else {
            Grant::Empty
        }
    }

    /// Where the tokens were: the fragment for a proper implicit callback.
    pub fn token_part(&self) -> Option<Part> {
        self.params
            .iter()
            .find(|p| p.name == "id_token" || p.name == "access_token")
            .map(|p| p.part)
    }
}

/// Whether a callback's `state` is the one sent, compared in constant time (the state is the
/// secret that ties a callback to its sign-in).
pub fn state_matches(got: Option<&str>, want: &str) -> bool {
    got.is_some_and(|got| {
        aws_lc_rs::constant_time::verify_slices_are_equal(got.as_bytes(), want.as_bytes()).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implicit_fragment() {
        let cb = parse("https://localhost:3000/cognito-callback#id_token=a.b.c&access_token=d.e.f&token_type=bearer&expires_in=3600&state=xyz%2B1").unwrap();
        assert_eq!(cb.grant(), Grant::Implicit);
        assert_eq!(cb.redirect_uri, "https://localhost:3000/cognito-callback");
        assert_eq!(cb.get("id_token"), Some("a.b.c"));
        assert_eq!(cb.get("state"), Some("xyz+1"));
        assert_eq!(cb.get("expires_in"), Some("3600"));
        assert_eq!(cb.token_part(), Some(Part::Fragment));
    }

    #[test]
    fn code_grant_query() {
        let cb = parse("myapp://signin/callback?code=ab12-cd&state=s1").unwrap();
        assert_eq!(cb.grant(), Grant::Code);
        assert_eq!(cb.get("code"), Some("ab12-cd"));
        assert_eq!(cb.redirect_uri, "myapp://signin/callback");
    }

    #[test]
    fn error_callback_with_description() {
        let cb = parse("https://app.example.com/cb?error=invalid_request&error_description=Timeout+occurred+in+calling+IdP+token+endpoint").unwrap();
        assert_eq!(cb.grant(), Grant::Error);
        assert_eq!(
            cb.get("error_description"),
            Some("Timeout occurred in calling IdP token endpoint")
        );
    }

    #[test]
    fn implicit_without_id_token() {
        let cb =
            parse("https://x/cb#access_token=a.b.c&token_type=bearer&expires_in=3600").unwrap();
        assert_eq!(cb.grant(), Grant::Implicit);
        assert_eq!(cb.get("id_token"), None);
    }

    #[test]
    fn bare_fragment_and_empty() {
        let cb = parse("#id_token=a.b.c&state=1").unwrap();
        assert_eq!(cb.get("id_token"), Some("a.b.c"));
        let cb = parse("https://x/cb").unwrap();
        assert_eq!(cb.grant(), Grant::Empty);
        assert_eq!(parse("  "), Err(CallbackError::Empty));
        assert!(matches!(
            parse("http://[::1"),
            Err(CallbackError::NotUrl(_))
        ));
    }

    #[test]
    fn state_is_compared_whole() {
        assert!(state_matches(Some("k3s9"), "k3s9"));
        assert!(!state_matches(Some("k3s"), "k3s9"));
        assert!(!state_matches(Some("k3s9x"), "k3s9"));
        assert!(!state_matches(None, "k3s9"));
    }

    #[test]
    fn repeated_parameters_are_reported() {
        let cb = parse("https://x/cb#id_token=a&id_token=b").unwrap();
        assert_eq!(cb.repeated(), vec!["id_token"]);
        assert_eq!(cb.get("id_token"), Some("a"));
    }
}
