//! The JSONPath subset Hasura accepts in `claims_namespace_path` and `claims_map` (the engine's
//! `Data.Parser.JSONPath`): `$` alone for the root, else an optional `$` and one or more of
//! `name`, `.name`, `[N]`, `["key"]`, `['key']` (brackets optionally after a `.`). Names start
//! with a letter or `_` and go on with letters, digits, `-`, `_`. No wildcards, no `..`.

use serde_json::Value;

use super::chars::is_alpha;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonPath(pub Vec<Step>);

/// The engine's message for a path it cannot parse (the path text comes first).
pub fn invalid_message(text: &str) -> String {
    format!(
        "{text}. Accept letters, digits, underscore (_) or hyphen (-) only. Use quotes enclosed in bracket ([\\\"...\\\"]) if there is any special character"
    )
}

impl JsonPath {
    /// The JSON pointer (RFC 6901) to the same place: `$.a.b[0]` → `/a/b/0`.
    pub fn pointer(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Step::Key(k) => format!("/{}", pointer_key(k)),
                Step::Index(n) => format!("/{n}"),
            })
            .collect()
    }
}

/// A member name as one JSON pointer token (`~` and `/` escaped).
pub fn pointer_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer for a JSONPath (`$.a.b[0]` → `/a/b/0`), `None` when `text` is not one.
pub fn to_pointer(text: &str) -> Option<String> {
    parse(text).ok().map(|p| p.pointer())
}

/// Parses a path; the error is the engine's message.
pub fn parse(text: &str) -> Result<JsonPath, String> {
    if text == "$" {
        return Ok(JsonPath(Vec::new()));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = usize::from(chars.first() == Some(&'$'));
    let mut steps = Vec::new();
    while i < chars.len() {
        match element(&chars, i) {
            Some((step, next)) => {
                steps.push(step);
                i = next;
            }
            None => return Err(invalid_message(text)),
        }
    }
    if steps.is_empty() {
        return Err(invalid_message(text));
    }
    Ok(JsonPath(steps))
}

fn element(c: &[char], start: usize) -> Option<(Step, usize)> {
    // name or .name
    let mut i = start;
    if c.get(i) == Some(&'.') {
        i += 1;
    }
    if let Some(&first) = c.get(i)
        && (is_alpha(first) || first == '_')
    {
        let mut j = i + 1;
        while let Some(&ch) = c.get(j) {
            if is_alpha(ch) || ch.is_ascii_digit() || ch == '-' || ch == '_' {
                j += 1;
            } else {
                break;
            }
        }
        return Some((Step::Key(c.get(i..j)?.iter().collect()), j));
    }
    // [N], ["key"], ['key'], each optionally after a '.'
    let mut i = start;
    if c.get(i) == Some(&'.') {
        i += 1;
    }
    if c.get(i) != Some(&'[') {
        return None;
    }
    i += 1;
    let (step, next) = match c.get(i)? {
        d if d.is_ascii_digit() => {
            let mut j = i;
            while c.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            // attoparsec's `decimal` into an `Int`: 64 bits that wrap, so
            // [18446744073709551616] is index 0 and [9223372036854775808] a negative one,
            // which finds nothing (kept here as an index no array reaches).
            let n = c
                .get(i..j)?
                .iter()
                .filter_map(|d| d.to_digit(10))
                .fold(0u64, |n, d| n.wrapping_mul(10).wrapping_add(u64::from(d)));
            (Step::Index(usize::try_from(n).unwrap_or(usize::MAX)), j)
        }
        '"' => quoted(c, i + 1, '"')?,
        '\'' => quoted(c, i + 1, '\'')?,
        _ => return None,
    };
    (c.get(next) == Some(&']')).then_some((step, next + 1))
}

/// A quoted key: the characters up to the closing delimiter, read as the inside of a JSON
/// string (`\'` stands for `'` inside single quotes; a bare `"` there is literal).
fn quoted(c: &[char], start: usize, delim: char) -> Option<(Step, usize)> {
    let mut inner = String::new();
    let mut i = start;
    loop {
        let ch = *c.get(i)?;
        if ch == delim {
            break;
        }
        if ch == '\\' {
            let next = *c.get(i + 1)?;
            if delim == '\'' && next == '\'' {
                inner.push('\'');
            } else {
                inner.push('\\');
                inner.push(next);
            }
            i += 2;
            continue;
        }
        if delim == '\'' && ch == '"' {
            inner.push_str("\\\"");
        } else {
            inner.push(ch);
        }
        i += 1;
    }
    let key: String = serde_json::from_str(&format!("\"{inner}\"")).ok()?;
    Some((Step::Key(key), i + 1))
}

/// The JSONPath feature a member name looks like, when it looks like one: a wildcard, a filter,
/// a slice, recursive descent or a negative index (no name of a real claim).
fn operator_like(key: &str) -> Option<&'static str> {
    let signed = |t: &str| {
        let t = t.strip_prefix('-').unwrap_or(t);
        t.chars().all(|c| c.is_ascii_digit())
    };
    let parts: Vec<&str> = key.split(':').collect();
    if key == "*" {
        Some("a wildcard")
    } else if key.starts_with("?(") || key.starts_with('?') && key.contains('@') {
        Some("a filter")
    } else if (2..=3).contains(&parts.len()) && parts.iter().all(|p| signed(p)) {
        Some("a slice")
    } else if key.starts_with('.') || key.contains("..") {
        Some("recursive descent")
    } else if key.len() > 1 && key.starts_with('-') && signed(key) {
        Some("a negative index")
    } else {
        None
    }
}

/// Why `text` is outside the engine's JSONPath subset, and the path that would work when one
/// can be written from the text alone: `$.cognito:groups` → `$['cognito:groups']`,
/// `$.roles[*]` → `$.roles`. `None` when the text parses.
pub fn repair(text: &str) -> Option<(String, Option<String>)> {
    if parse(text).is_ok() {
        return None;
    }
    if text.contains("..") {
        return Some((
            "recursive descent (..) is not in Hasura's JSONPath subset: write the whole path from $"
                .into(),
            None,
        ));
    }
    if text.contains("[?") {
        return Some((
            "filters ([?(…)]) are not in Hasura's JSONPath subset: a claims path names one value"
                .into(),
            None,
        ));
    }
    if text.contains("[*]") || text.contains(".*") {
        // Only a trailing wildcard has a path that works: the list itself, taken whole.
        let without = text
            .strip_suffix("[*]")
            .or_else(|| text.strip_suffix(".*"))
            .filter(|t| !t.contains("[*]") && !t.contains(".*"))
            .map(str::to_string);
        return Some((
            "wildcards ([*], .*) are not in Hasura's JSONPath subset: a claims path names one value, and a list is taken whole".into(),
            without.filter(|w| parse(w).is_ok()),
        ));
    }
    let bracketed = text.split('[').skip(1).filter_map(|t| t.split(']').next());
    if bracketed
        .into_iter()
        .any(|inside| operator_like(inside) == Some("a slice"))
    {
        return Some((
            "slices ([0:2]) are not in Hasura's JSONPath subset: a claims path names one value, and a list is taken whole".into(),
            None,
        ));
    }
    // Names with characters the dotted form does not allow (':' in cognito:groups, '@', …):
    // the bracket form takes any name.
    let body = text.strip_prefix('$').unwrap_or(text);
    let mut rewritten = String::from("$");
    let mut segments: Vec<String> = Vec::new();
    let mut pieces = body.split('.').filter(|s| !s.is_empty());
    while let Some(piece) = pieces.next() {
        // A URI name (`https://hasura.io/jwt/claims`, the engine's default namespace) keeps its
        // dots: it is one member to the end of the path.
        if piece.contains("://") {
            segments.push(
                std::iter::once(piece)
                    .chain(pieces.by_ref())
                    .collect::<Vec<_>>()
                    .join("."),
            );
        } else {
            segments.push(piece.to_string());
        }
    }
    for segment in &segments {
        match parse(&format!("$.{segment}")) {
            Ok(_) => {
                rewritten.push('.');
                rewritten.push_str(segment);
            }
            Err(_) => rewritten.push_str(&format!("['{}']", segment.replace('\'', "\\'"))),
        }
    }
    parse(&rewritten).is_ok().then(|| {
        (
            "a name with characters other than letters, digits, - and _ needs the bracket form"
                .into(),
            Some(rewritten),
        )
    })
}

/// Where a member named `name` is in `value`, as paths the engine reads (for proposing the path
/// that finds it in a real token).
pub fn locate(name: &str, value: &Value) -> Vec<String> {
    fn walk(name: &str, value: &Value, at: &mut Vec<Step>, out: &mut Vec<String>) {
        match value {
            Value::Object(members) => {
                for (k, v) in members {
                    at.push(Step::Key(k.clone()));
                    if k == name {
                        out.push(JsonPath(at.clone()).proposal());
                    }
                    walk(name, v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    walk(name, v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(name, value, &mut Vec::new(), &mut out);
    out
}

impl JsonPath {
    /// The path as a user writes it in a JSON configuration: dotted names where they can be,
    /// `['name']` (no quotes to escape in JSON) where they cannot.
    pub fn proposal(&self) -> String {
        let mut out = String::from("$");
        for step in &self.0 {
            match step {
                Step::Key(k)
                    if parse(&format!("$.{k}")).is_ok_and(|p| p.0 == [Step::Key(k.clone())]) =>
                {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Key(k) => {
                    // The inside of a JSON string (what the parser reads), `'` escaped too.
                    let json = serde_json::Value::String(k.clone()).to_string();
                    let inner = json.get(1..json.len() - 1).unwrap_or_default();
                    out.push_str(&format!("['{}']", inner.replace('\'', "\\'")));
                }
                Step::Index(n) => out.push_str(&format!("[{n}]")),
            }
        }
        out
    }

    /// The path as the engine prints it in messages: `$.a["b c"][0]`.
    pub fn encode(&self) -> String {
        let mut out = String::from("$");
        for step in &self.0 {
            match step {
                Step::Key(k) => crate::jose::json::push_key(&mut out, k),
                // The engine's `Int`: an index from 2^63 up shows negative.
                Step::Index(n) => out.push_str(&format!("[{}]", *n as i64)),
            }
        }
        out
    }

    /// The steps that are a member name written like a JSONPath feature the engine does not
    /// have (`["*"]`, `['?(@.a)']`, `["0:2"]`, `[".."]`, `["-1"]`): the engine reads each as a
    /// member literally so named. Each with the feature it looks like.
    pub fn literal_operators(&self) -> Vec<(&str, &'static str)> {
        self.0
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => operator_like(k).map(|what| (k.as_str(), what)),
                Step::Index(_) => None,
            })
            .collect()
    }

    /// Why nothing is found, when the path names a member like a JSONPath feature: text to
    /// append to "nothing at PATH", or "" (the one wording for every message that says so).
    pub fn literal_note(&self) -> String {
        match self.literal_operators().first() {
            Some((key, what)) => format!(
                " (Hasura's JSONPath has no wildcards, filters, slices or recursive descent: it reads a member literally named {key:?}, not {what})"
            ),
            None => String::new(),
        }
    }

    /// Follows the path; `None` when a step does not exist ("not found").
    pub fn eval<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(value, |v, step| step.apply(v))
    }
}

impl Step {
    /// The value this step leads to from `value`, if it exists.
    pub fn apply<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        match (self, value) {
            (Step::Key(k), Value::Object(m)) => m.get(k),
            (Step::Index(n), Value::Array(a)) => a.get(*n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(p: &str) -> Vec<Step> {
        parse(p).unwrap_or_else(|e| panic!("{p}: {e}")).0
    }

    #[test]
    fn parses_the_engine_test_paths() {
        assert_eq!(keys("$"), vec![]);
        assert_eq!(
            keys("$.hasura_claims"),
            vec![Step::Key("hasura_claims".into())]
        );
        assert_eq!(
            keys("$.hasura.claims"),
            vec![Step::Key("hasura".into()), Step::Key("claims".into())]
        );
        assert_eq!(
            keys("$.hasura['claims%']"),
            vec![Step::Key("hasura".into()), Step::Key("claims%".into())]
        );
        assert_eq!(
            keys("$.['https://myapp.com/jwt/claims'].user.id"),
            vec![
                Step::Key("https://myapp.com/jwt/claims".into()),
                Step::Key("user".into()),
                Step::Key("id".into())
            ]
        );
        assert_eq!(
            keys("a[0][\"x\\\"y\"]"),
            vec![
                Step::Key("a".into()),
                Step::Index(0),
                Step::Key("x\"y".into())
            ]
        );
        assert_eq!(keys("$['it\\'s']"), vec![Step::Key("it's".into())]);
        assert_eq!(keys("$.sub"), vec![Step::Key("sub".into())]);
        assert_eq!(
            keys("$.中文"),
            vec![Step::Key("中文".into())],
            "letters of any script"
        );
    }

    #[test]
    fn rejects_what_the_engine_rejects() {
        for bad in [
            "",
            "$.",
            "$..a",
            "$.a.*",
            "$[-1]",
            "$.1a",
            "$[]",
            "$['a'",
            "a b",
            "$$",
            // Haskell's isAlpha refuses combining marks (Devanagari vowel signs).
            "$.हिंदी",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(
                err.starts_with(&format!("{bad}. Accept letters")),
                "{bad}: {err}"
            );
        }
    }

    // #33 item 6. Data.Parser.JSONPath reads an index with attoparsec's `decimal` into an Int,
    // which wraps modulo 2^64.
    #[test]
    fn indexes_wrap_as_the_engines_int() {
        assert_eq!(
            parse("$.a[18446744073709551616]").unwrap(),
            JsonPath(vec![Step::Key("a".into()), Step::Index(0)])
        );
        assert_eq!(
            parse("$[18446744073709551617]")
                .unwrap()
                .eval(&json!(["x", "y"])),
            Some(&json!("y"))
        );
        let negative = parse("$[9223372036854775808]").unwrap();
        assert_eq!(negative.eval(&json!(["x"])), None);
        assert_eq!(negative.encode(), "$[-9223372036854775808]");
    }

    #[test]
    fn encodes_like_the_engine() {
        assert_eq!(
            parse("$.hasura['claims%']").unwrap().encode(),
            r#"$.hasura["claims%"]"#
        );
        assert_eq!(parse("$[0].a-b").unwrap().encode(), "$[0].a-b");
        assert_eq!(parse("$").unwrap().encode(), "$");
    }

    #[test]
    fn evaluates() {
        let v = json!({"a": {"b": [10, {"c": null}]}});
        assert_eq!(parse("$.a.b[0]").unwrap().eval(&v), Some(&json!(10)));
        assert_eq!(
            parse("$.a.b[1].c").unwrap().eval(&v),
            Some(&Value::Null),
            "null is found"
        );
        assert_eq!(parse("$.a.b[2]").unwrap().eval(&v), None);
        assert_eq!(parse("$.a.x").unwrap().eval(&v), None);
        assert_eq!(parse("$").unwrap().eval(&v), Some(&v));
    }

    #[test]
    fn repairs_paths_outside_the_subset() {
        let (why, fix) = repair("$.cognito:groups").unwrap();
        assert!(why.contains("bracket form"));
        assert_eq!(fix.as_deref(), Some("$['cognito:groups']"));
        let (why, fix) = repair("$.roles[*]").unwrap();
        assert!(why.contains("wildcards"));
        assert_eq!(fix.as_deref(), Some("$.roles"));
        assert!(repair("$..groups").unwrap().0.contains("recursive descent"));
        assert_eq!(repair("$.fine"), None);
        // A URI name keeps its dots (issue 34 item 5).
        for text in [
            "https://hasura.io/jwt/claims",
            "$.https://hasura.io/jwt/claims",
        ] {
            let (_, fix) = repair(text).unwrap();
            assert_eq!(
                fix.as_deref(),
                Some("$['https://hasura.io/jwt/claims']"),
                "{text}"
            );
        }
        // #33 item 4: a wildcard inside the path has no working equivalent (dropping it reads
        // a member of the list itself), and a slice is named, not bracketed as a name.
        let (why, fix) = repair("$.roles[*].name").unwrap();
        assert!(why.contains("wildcards"));
        assert_eq!(fix, None);
        let (why, fix) = repair("$.roles[0:2]").unwrap();
        assert!(why.contains("slices"), "{why}");
        assert_eq!(fix, None);
        assert!(repair("$.roles[?(@.admin)]").unwrap().0.contains("filters"));
    }

    // #33 item 4. Data.Parser.JSONPath (the engine's) reads a quoted bracket as a member name,
    // whatever it holds: these parse, and name members no token has.
    #[test]
    fn quoted_operators_are_literal_names() {
        for (path, key, what) in [
            (r#"$.roles["*"].name"#, "*", "a wildcard"),
            ("$.roles['?(@.admin)']", "?(@.admin)", "a filter"),
            (r#"$.roles["0:2"]"#, "0:2", "a slice"),
            (r#"$["..roles"]"#, "..roles", "recursive descent"),
            (r#"$.roles["-1"]"#, "-1", "a negative index"),
        ] {
            let parsed = parse(path).unwrap();
            assert_eq!(parsed.literal_operators(), vec![(key, what)], "{path}");
        }
        assert!(
            parse("$.roles[0]['cognito:groups']")
                .unwrap()
                .literal_operators()
                .is_empty()
        );
    }

    #[test]
    fn locates_a_member_anywhere() {
        let v = json!({"cognito:groups": ["a"], "x": {"cognito:groups": 1}});
        assert_eq!(
            locate("cognito:groups", &v),
            vec![
                "$['cognito:groups']".to_string(),
                "$.x['cognito:groups']".to_string()
            ]
        );
    }
}
