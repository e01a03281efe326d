//! The documents of a Hasura DDN metadata file: YAML (several documents per `.hml` file, as
//! DDN's CLI reads them) or JSON, bounded in nesting before the YAML reader sees them.

use serde_json::Value;

/// Reads YAML (one or several documents, as in an `.hml` file) or JSON, and says whether it
/// holds a DDN AuthConfig: a document with `kind: AuthConfig`, or one shaped like one
/// (`version` and `definition.mode`). `None` when it does not (a v2 secret, or not YAML).
pub fn documents(text: &str) -> Option<Vec<Value>> {
    // A v2 secret is a JSON object without `definition` (or a list of them): no YAML reading
    // at every start for it.
    let trimmed = text.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('[')) && !text.contains("\"definition\"") {
        return None;
    }
    let docs = yaml_documents(text).ok()?;
    docs.iter().any(is_auth_config).then_some(docs)
}

/// Whether a document is an AuthConfig: `kind: AuthConfig`, or the shape of one.
pub(super) fn is_auth_config(doc: &Value) -> bool {
    match doc.get("kind").and_then(Value::as_str) {
        Some(kind) => kind == "AuthConfig",
        None => doc.get("version").is_some() && doc.pointer("/definition/mode").is_some(),
    }
}

/// How deep a YAML (or JSON) text may nest `[` and `{`: serde's own limit. Deeper texts are
/// refused before libyaml reads them, as its scanner slows down quadratically with depth.
pub const MAX_NESTING: usize = 128;

/// Every YAML document of `text` as JSON values; duplicate keys are refused, as DDN's CLI does.
pub fn yaml_documents(text: &str) -> Result<Vec<Value>, String> {
    if nesting(text) > MAX_NESTING {
        return Err(format!(
            "nested more than {MAX_NESTING} levels deep (no configuration needs that)"
        ));
    }
    let mut out = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let value: Value = serde::Deserialize::deserialize(doc).map_err(|e| e.to_string())?;
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(out)
}

/// The deepest nesting of `[` and `{` in `text`, outside double-quoted strings (an
/// overestimate elsewhere, e.g. brackets in plain scalars, which is on the safe side).
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut quoted, mut escaped) = (0usize, 0usize, false, false);
    for c in text.chars() {
        match (quoted, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') | (false, '"') => quoted = !quoted,
            (false, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
