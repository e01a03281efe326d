//! The wording of Haskell's aeson (and `show`) that Hasura's error messages embed, so that
//! jwtcheck can print the engine's own text.

use serde_json::Value;

use crate::hasura::chars::{is_alpha, is_alpha_num};

/// aeson's name for a JSON value's type (`typeOf`).
pub fn type_word(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "Object",
        Value::Array(_) => "Array",
        Value::String(_) => "String",
        Value::Number(_) => "Number",
        Value::Bool(_) => "Boolean",
        Value::Null => "Null",
    }
}

/// `parsing <name> failed, expected <expected>, but encountered <type>`.
pub fn mismatch(name: &str, expected: &str, v: &Value) -> String {
    format!(
        "parsing {name} failed, expected {expected}, but encountered {}",
        type_word(v)
    )
}

/// Appends a member name to an aeson error path: `.key` when the name is a letter followed by
/// letters and digits, else `['key']`.
pub fn path_key(path: &str, key: &str) -> String {
    let mut chars = key.chars();
    let plain = chars.next().is_some_and(is_alpha) && chars.all(is_alpha_num);
    if plain {
        format!("{path}.{key}")
    } else {
        let escaped = key.replace('\\', "\\\\").replace('\'', "\\'");
        format!("{path}['{escaped}']")
    }
}

/// `Error in <path>: <message>`, aeson's `eitherDecode` rendering.
pub fn error_in(path: &str, message: &str) -> String {
    format!("Error in {path}: {message}")
}

/// Haskell's `show` of a string: quoted, `"` and `\` escaped, control and non-ASCII
/// characters as decimal escapes (`\8217`), with `\&` where a digit follows a numeric escape.
pub fn show(s: &str) -> String {
    let mut out = String::from("\"");
    let mut after_numeric = false;
    for ch in s.chars() {
        if after_numeric && ch.is_ascii_digit() {
            out.push_str("\\&");
        }
        after_numeric = false;
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) >= 0x7F => {
                out.push_str(&format!("\\{}", c as u32));
                after_numeric = true;
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses a list of role names as Hasura's `[RoleName]` does (non-empty strings).
pub fn roles(v: &Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = v else {
        return Err(mismatch("[]", "Array", v));
    };
    items.iter().map(role).collect()
}

/// Parses one role name as Hasura's `RoleName` does (a non-empty string).
pub fn role(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) if s.is_empty() => Err("empty string not allowed".into()),
        Value::String(s) => Ok(s.clone()),
        other => Err(mismatch("String", "String", other)),
    }
}

/// Parses a session variable value (`Text`).
pub fn text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(mismatch("Text", "String", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_match_aeson() {
        assert_eq!(
            roles(&json!("user")).unwrap_err(),
            "parsing [] failed, expected Array, but encountered String"
        );
        assert_eq!(
            roles(&json!([1])).unwrap_err(),
            "parsing String failed, expected String, but encountered Number"
        );
        assert_eq!(roles(&json!([""])).unwrap_err(), "empty string not allowed");
        assert_eq!(roles(&json!([])).unwrap(), Vec::<String>::new());
        assert_eq!(
            text(&json!(null)).unwrap_err(),
            "parsing Text failed, expected String, but encountered Null"
        );
    }

    #[test]
    fn paths_and_show() {
        assert_eq!(path_key("$", "claims_format"), "$['claims_format']");
        assert_eq!(path_key("$", "exp"), "$.exp");
        assert_eq!(path_key("$", "x5t#S256"), "$['x5t#S256']");
        assert_eq!(
            show(r#"missing required header "alg""#),
            r#""missing required header \"alg\"""#
        );
        assert_eq!(show("it’s 1"), r#""it\8217s 1""#);
        assert_eq!(show("\u{e9}1"), r#""\233\&1""#);
    }
}
