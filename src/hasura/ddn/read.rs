//! Reading an AuthConfig's fields as the engine's deserializer does (unknown fields denied,
//! externally tagged enums), and the error jwtcheck reports when it cannot use the document.

use serde_json::{Map, Value};

/// Why the configuration cannot be used: DDN's build refuses it, or it builds but the request
/// is not authenticated with a JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DdnConfigError {
    /// Where: `definition.mode.jwt.claimsConfig`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// Whether the build refuses the AuthConfig.
    pub kind: DdnErrorKind,
}

/// Whether DDN's build refuses an AuthConfig jwtcheck cannot use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DdnErrorKind {
    /// The build refuses it.
    Refused,
    /// It builds, but the mode the request uses is `webhook` or `noAuth` (or `--ddn-auth-mode`
    /// names no mode): there is no JWT to judge.
    NotJwt,
}

pub(super) type R<T> = Result<T, DdnConfigError>;

pub(super) fn err<T>(path: &str, message: impl Into<String>, hint: impl Into<String>) -> R<T> {
    Err(DdnConfigError {
        path: path.to_string(),
        message: message.into(),
        hint: hint.into(),
        kind: DdnErrorKind::Refused,
    })
}

pub(super) fn object<'v>(v: &'v Value, at: &str) -> R<&'v Map<String, Value>> {
    v.as_object().ok_or_else(|| DdnConfigError {
        path: at.to_string(),
        message: format!(
            "{} is not an object",
            if at.is_empty() { "the document" } else { at }
        ),
        hint: "see the AuthConfig reference (hasura.io/docs/3.0/supergraph-modeling/auth-config)"
            .into(),
        kind: DdnErrorKind::Refused,
    })
}

pub(super) fn field<'v>(obj: &'v Map<String, Value>, at: &str, name: &str) -> R<&'v Value> {
    obj.get(name).ok_or_else(|| DdnConfigError {
        path: at.to_string(),
        message: format!("missing field `{name}`"),
        hint: format!("add `{name}`"),
        kind: DdnErrorKind::Refused,
    })
}

pub(super) fn string(v: &Value, at: &str) -> R<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| DdnConfigError {
            path: at.to_string(),
            message: format!("{at} is {v}, not a string"),
            hint: "quote it".into(),
            kind: DdnErrorKind::Refused,
        })
}

/// An externally tagged enum: exactly one of `names`.
pub(super) fn one_of<'v>(
    obj: &'v Map<String, Value>,
    at: &str,
    names: &[&'static str],
) -> R<(&'static str, &'v Value)> {
    known(obj, at, names)?;
    let present: Vec<(&'static str, &Value)> = names
        .iter()
        .filter_map(|n| obj.get(*n).map(|v| (*n, v)))
        .collect();
    match present.as_slice() {
        [one] => Ok(*one),
        [] => err(
            at,
            format!("expected one of {}", names.join(", ")),
            format!("write one of {}", names.join(", ")),
        ),
        _ => err(
            at,
            format!("more than one of {}", names.join(", ")),
            "keep one",
        ),
    }
}

/// Every member of `obj` is one of `names` (the engine denies unknown fields).
pub(super) fn known(obj: &Map<String, Value>, at: &str, names: &[&str]) -> R<()> {
    match obj.keys().find(|k| !names.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => err(
            &if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            },
            format!(
                "unknown field `{k}`{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(" in {at}")
                }
            ),
            did_you_mean(k, names)
                .unwrap_or_else(|| format!("the fields here are {}", names.join(", "))),
        ),
    }
}

/// `did you mean \`x\`?` for a name close to one of `names`.
pub fn did_you_mean(name: &str, names: &[&str]) -> Option<String> {
    names
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&name.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| format!("did you mean `{k}`? (field names are case-sensitive)"))
}
