//! `verify --batch --field PATH`: the token of a JSON log line, the string at PATH (Hasura's
//! JSONPath subset, so `request.headers.authorization` and `headers["x.token"]` both work).

use crate::hasura::jsonpath::{self, JsonPath};
use crate::jose::json;
use crate::report::Id;

/// Why a line has no token at the field.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// The line is not JSON.
    #[error("the line is not JSON ({0}), so --field {1} cannot be read")]
    NotJson(json::JsonError, String),
    /// Nothing at the path.
    #[error("the line has no {0}")]
    Missing(String),
    /// Something other than a string at the path.
    #[error("{0} is {1}, not a string holding a token")]
    NotString(String, &'static str),
}

impl FieldError {
    /// Stable id.
    pub fn id(&self) -> Id {
        Id::InputField
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        "with --field every line must be a JSON object with the token (or 'Bearer <token>') at that path; names are case-sensitive, and a name with a dot is written [\"a.b\"]".into()
    }
}

/// The `--field` path, read; the error is a usage error's message and hint.
pub fn parse(path: &str) -> Result<JsonPath, (String, String)> {
    jsonpath::parse(path).map_err(|e| {
        let hint =
            "e.g. --field request.headers.authorization; a name with a dot is written [\"a.b\"]";
        (format!("--field {e}"), hint.to_string())
    })
}

/// The string at `path` in the JSON `line`.
pub fn extract(line: &str, path: &JsonPath, written: &str) -> Result<String, FieldError> {
    let parsed =
        json::parse_str(line.trim()).map_err(|e| FieldError::NotJson(e, written.to_string()))?;
    match path.eval(&parsed.value) {
        None => Err(FieldError::Missing(written.to_string())),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(FieldError::NotString(
            written.to_string(),
            json::type_name(other),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_quoted_and_indexed_names() {
        let line =
            r#"{"request":{"headers":{"authorization":"Bearer t","x.token":"u"},"all":["v"]}}"#;
        let at = |p: &str| extract(line, &parse(p).unwrap(), p);
        assert_eq!(at("request.headers.authorization").unwrap(), "Bearer t");
        assert_eq!(at(r#"request.headers["x.token"]"#).unwrap(), "u");
        assert_eq!(at("$.request.all[0]").unwrap(), "v");
        assert!(matches!(
            at("request.headers.Authorization"),
            Err(FieldError::Missing(_))
        ));
        assert!(matches!(
            at("request.all"),
            Err(FieldError::NotString(_, "an array"))
        ));
        assert!(matches!(
            extract("not json", &parse("a").unwrap(), "a"),
            Err(FieldError::NotJson(..))
        ));
        assert!(parse("a..b").is_err());
    }
}
