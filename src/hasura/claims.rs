//! Finding and reading Hasura claims in a token: the namespace value as a JSON object
//! (`claims_format: json`) or as a JSON string holding one (`stringified_json`, what a Cognito
//! Pre Token Generation V1 trigger produces), and the `x-hasura-*` members inside.

use serde_json::{Map, Value};

use crate::jose::json;

/// Hasura's default `claims_namespace`.
pub const DEFAULT_NAMESPACE: &str = "https://hasura.io/jwt/claims";

/// The two encodings of the namespace value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON object.
    Json,
    /// A JSON string whose content is a JSON object.
    StringifiedJson,
}

impl Format {
    /// The `claims_format` value that selects it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::StringifiedJson => "stringified_json",
        }
    }
}

/// What the value at the claims location is.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// An object, or a string holding an object.
    Claims {
        /// The encoding found.
        format: Format,
        /// The object.
        claims: Map<String, Value>,
        /// Duplicated member names inside a stringified object (the outer parse reports the
        /// others).
        inner_duplicates: Vec<String>,
    },
    /// A string that does not hold a JSON object.
    BadString {
        /// Why.
        problem: String,
    },
    /// Neither an object nor a string.
    Other(&'static str),
}

/// Reads the value found at the claims location without assuming a format.
pub fn shape(value: &Value) -> Shape {
    match value {
        Value::Object(m) => Shape::Claims {
            format: Format::Json,
            claims: m.clone(),
            inner_duplicates: Vec::new(),
        },
        // Hasura (aeson) keeps the first of duplicated names.
        Value::String(s) => match json::parse_first_wins(s.as_bytes()) {
            Ok(p) => match p.value {
                Value::Object(m) => Shape::Claims {
                    format: Format::StringifiedJson,
                    claims: m,
                    inner_duplicates: p.duplicates,
                },
                other => Shape::BadString {
                    problem: format!(
                        "the string holds {}, not a JSON object",
                        json::type_name(&other)
                    ),
                },
            },
            Err(e) => Shape::BadString {
                problem: format!("the string is not JSON ({e})"),
            },
        },
        other => Shape::Other(json::type_name(other)),
    }
}

/// Whether a member name is a Hasura session variable (`x-hasura-` once case-folded, as the
/// engine's `isSessionVariable` does with `T.toCaseFold`: `x-haſura-` is one too).
pub fn is_session_variable(name: &str) -> bool {
    fold(name).starts_with("x-hasura-")
}

/// A name case-folded, as `Data.CaseInsensitive` and `T.toCaseFold` compare session variable
/// names: full case folding (`ſ` → `s`, `ß` → `ss`, `K` (Kelvin) → `k`, `ﬁ` → `fi`), which
/// upper-casing then lower-casing gives for every character that folds to ASCII; the dotless
/// `ı`, which upper-cases to `I` but has no folding, stays itself.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    // Character by character: `str::to_lowercase` would turn a word-final Σ into ς.
    name.chars()
        .flat_map(|c| -> Vec<char> {
            if c == 'ı' {
                vec![c]
            } else {
                c.to_uppercase().flat_map(char::to_lowercase).collect()
            }
        })
        .collect()
}

/// The `x-hasura-*` members of a claims object, as Hasura reads them (names case-insensitive).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    /// `x-hasura-allowed-roles` value, if present.
    pub allowed_roles: Option<Value>,
    /// `x-hasura-default-role` value, if present.
    pub default_role: Option<Value>,
    /// Other `x-hasura-*` members, names lower-cased, in token order.
    pub variables: Map<String, Value>,
    /// Names that occur more than once once case is ignored (e.g. `x-hasura-user-id` and
    /// `X-Hasura-User-Id`): which one the engine uses is not defined.
    pub case_collisions: Vec<String>,
    /// Members that are not session variables (Hasura ignores them).
    pub ignored: Vec<String>,
}

/// Collects the session variables of a claims object.
pub fn session(claims: &Map<String, Value>) -> Session {
    let mut s = Session::default();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in claims {
        if !is_session_variable(name) {
            s.ignored.push(name.clone());
            continue;
        }
        let lower = fold(name);
        if seen.contains(&lower) {
            if !s.case_collisions.contains(&lower) {
                s.case_collisions.push(lower.clone());
            }
        } else {
            seen.push(lower.clone());
        }
        match lower.as_str() {
            "x-hasura-allowed-roles" => s.allowed_roles = Some(value.clone()),
            "x-hasura-default-role" => s.default_role = Some(value.clone()),
            _ => {
                s.variables.insert(lower, value.clone());
            }
        }
    }
    s
}

/// A place in the payload that holds `x-hasura-*` claims, for "found elsewhere" diagnoses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    /// JSON path of the holding object (`$` for the top level).
    pub path: String,
    /// The top-level member under which the holder is (for a holder that is that member
    /// itself, a usable `claims_namespace`).
    pub namespace: Option<String>,
    /// How many steps below the top level the holder is (1: a top-level member).
    pub depth: usize,
    /// How the holder is encoded.
    pub format: Format,
}

/// Finds every object (or stringified object) in the payload, up to three levels deep, that
/// holds an `x-hasura-*` member.
pub fn sightings(payload: &Map<String, Value>) -> Vec<Sighting> {
    let mut found = Vec::new();
    visit(payload, "$", None, Format::Json, 0, &mut found);
    found
}

fn visit(
    map: &Map<String, Value>,
    path: &str,
    namespace: Option<&str>,
    format: Format,
    depth: usize,
    found: &mut Vec<Sighting>,
) {
    if map.keys().any(|k| is_session_variable(k)) {
        found.push(Sighting {
            path: path.to_string(),
            namespace: namespace.map(str::to_string),
            depth,
            format,
        });
    }
    if depth >= 3 {
        return;
    }
    for (key, value) in map {
        let mut child = path.to_string();
        json::push_key(&mut child, key);
        let ns = if depth == 0 {
            Some(key.as_str())
        } else {
            namespace
        };
        match value {
            Value::Object(m) => visit(m, &child, ns, Format::Json, depth + 1, found),
            Value::String(s) if s.trim_start().starts_with('{') => {
                if let Ok(json::Parsed {
                    value: Value::Object(m),
                    ..
                }) = json::parse_str(s)
                {
                    visit(&m, &child, ns, Format::StringifiedJson, depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    // #33 item 6. Hasura/Session.hs `isSessionVariable` (`T.toCaseFold`) and `mkSessionVariable`
    // (`CI.mk`): names compare case-folded, so U+017F (ſ) is an s, and ß is ss.
    #[test]
    fn claim_names_are_case_folded() {
        assert!(is_session_variable("x-haſura-allowed-roles"));
        assert!(is_session_variable("X-HASURA-USER-ID"));
        assert!(!is_session_variable("x-hası-a"));
        assert_eq!(fold("x-haſura-allowed-roles"), "x-hasura-allowed-roles");
        assert_eq!(fold("x-hasura-straße"), "x-hasura-strasse");
        assert_eq!(fold("x-hasura-ς"), fold("x-hasura-Σ"));
        let s = session(&obj(
            json!({"x-haſura-allowed-roles": ["user"], "x-hasura-default-role": "user"}),
        ));
        assert_eq!(s.allowed_roles, Some(json!(["user"])));
    }

    #[test]
    fn reads_both_formats() {
        let inner = json!({"x-hasura-default-role":"user","x-hasura-allowed-roles":["user"]});
        match shape(&inner) {
            Shape::Claims { format, .. } => assert_eq!(format, Format::Json),
            s => panic!("{s:?}"),
        }
        match shape(&Value::String(inner.to_string())) {
            Shape::Claims { format, claims, .. } => {
                assert_eq!(format, Format::StringifiedJson);
                assert_eq!(claims["x-hasura-default-role"], "user");
            }
            s => panic!("{s:?}"),
        }
        assert!(matches!(shape(&json!("user")), Shape::BadString { .. }));
        assert_eq!(shape(&json!(3)), Shape::Other("a number"));
    }

    #[test]
    fn stringified_duplicates_are_found() {
        let s = r#"{"x-hasura-default-role":"user","x-hasura-default-role":"admin"}"#;
        match shape(&json!(s)) {
            Shape::Claims {
                inner_duplicates, ..
            } => assert_eq!(inner_duplicates, vec!["$.x-hasura-default-role"]),
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn session_is_case_insensitive_and_flags_collisions() {
        let s = session(&obj(json!({
            "X-Hasura-Default-Role": "user",
            "x-hasura-allowed-roles": ["user"],
            "x-hasura-user-id": "1",
            "X-HASURA-USER-ID": "2",
            "name": "ignored"
        })));
        assert_eq!(s.default_role, Some(json!("user")));
        assert_eq!(s.variables["x-hasura-user-id"], "2");
        assert_eq!(s.case_collisions, vec!["x-hasura-user-id"]);
        assert_eq!(s.ignored, vec!["name"]);
    }

    #[test]
    fn session_variable_names_with_any_characters() {
        assert!(is_session_variable("X-Hasura-User-Id"));
        assert!(!is_session_variable("x-hasura"));
        assert!(
            !is_session_variable("x-hasurá-id"),
            "a multibyte character at byte 9 is no panic"
        );
        assert!(!is_session_variable("ééééé"));
    }

    #[test]
    fn finds_claims_elsewhere() {
        let payload = obj(json!({
            "sub": "1",
            "hasura": {"claims": {"x-hasura-default-role": "user"}},
            "https://example.com/claims": "{\"x-hasura-user-id\":\"1\"}"
        }));
        let found = sightings(&payload);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path, "$.hasura.claims");
        assert_eq!(found[0].depth, 2);
        assert_eq!(
            found[1].namespace.as_deref(),
            Some("https://example.com/claims")
        );
        assert_eq!(found[1].path, r#"$["https://example.com/claims"]"#);
        assert_eq!(found[1].format, Format::StringifiedJson);
    }
}
