//! Strict JSON for tokens: valid UTF-8, exactly one value, members kept in the token's own order,
//! and every duplicated member name reported with its path.
//!
//! `serde_json` alone keeps the last of duplicated names silently; parsers disagree on which one
//! wins, so a token with duplicates must never look clean. This module builds the same
//! `serde_json::Value` while recording each duplicate, or ([`scan`]) checks a document as
//! strictly without building more of it than asked.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A parsed JSON document and the paths of the member names it repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The value; of duplicated names the last one is kept (what `serde_json` and most
    /// JavaScript parsers do), which is why duplicates are reported separately.
    pub value: Value,
    /// Paths (`$.a["b c"]`) of every repeated member name, in document order.
    pub duplicates: Vec<String>,
}

/// Why a byte string is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// The bytes are not UTF-8.
    #[error("byte {offset} is not valid UTF-8")]
    Utf8 {
        /// 1-based offset of the first bad byte.
        offset: usize,
    },
    /// A UTF-8 byte order mark precedes the JSON text.
    #[error(
        "starts with a byte order mark (U+FEFF), which JSON text must not have (RFC 8259 section 8.1)"
    )]
    Bom,
    /// The text nests arrays and objects deeper than jwtcheck reads ([`MAX_DEPTH`]): jwtcheck's
    /// own limit, not a fault of the JSON (Hasura v2's aeson has no such limit).
    #[error("nested more than {limit} levels deep, beyond jwtcheck's own limit")]
    TooDeep {
        /// The deepest nesting jwtcheck reads.
        limit: usize,
    },
    /// `serde_json` rejected the text.
    #[error("invalid JSON at {}: {message}", place(*line, *column))]
    Syntax {
        /// 1-based column of the problem (tokens are one line; multi-line JSON counts lines too).
        column: usize,
        /// 1-based line.
        line: usize,
        /// What the parser expected.
        message: String,
    },
}

/// The deepest nesting of arrays and objects jwtcheck reads (`[[1]]` is 2 deep): deeper texts
/// are refused as [`JsonError::TooDeep`], before they can exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// Parses `bytes` strictly: UTF-8, one JSON value, no trailing data, nesting at most
/// [`MAX_DEPTH`] levels. Of duplicated member names the last value is kept.
pub fn parse(bytes: &[u8]) -> Result<Parsed, JsonError> {
    parse_keeping(bytes, false)
}

/// Like [`parse`], but of duplicated member names the **first** value is kept, as Haskell's
/// aeson (and so Hasura) does.
pub fn parse_first_wins(bytes: &[u8]) -> Result<Parsed, JsonError> {
    parse_keeping(bytes, true)
}

fn parse_keeping(bytes: &[u8], keep_first: bool) -> Result<Parsed, JsonError> {
    let (value, duplicates) = drive(bytes, |de, found| {
        ValueSeed {
            at: At::Root,
            depth: 0,
            found,
            keep_first,
        }
        .deserialize(de)
    })?;
    Ok(Parsed { value, duplicates })
}

/// A JSON document checked as strictly as [`parse`] checks it, without building it: the type
/// of its value, some of a top-level object's members, and the paths of its repeated names.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The value's type, as [`type_name`] names it.
    pub kind: &'static str,
    /// The members of a top-level object named in the scan's list, each once, with the value
    /// [`parse`] keeps (the last of duplicated names).
    pub picked: Vec<(&'static str, Value)>,
    /// Paths of every repeated member name, in document order (as [`Parsed::duplicates`]).
    pub duplicates: Vec<String>,
}

/// Checks `bytes` as [`parse`] does (the same errors, the same duplicates) but builds only the
/// top-level members named in `pick`: a token's payload is read once for the claims every
/// judgement checks, and built whole only when something asks for the rest.
pub fn scan(bytes: &[u8], pick: &'static [&'static str]) -> Result<Scan, JsonError> {
    // The member names of the objects being read, outermost first: one buffer for the document.
    let names = RefCell::new(Vec::with_capacity(32));
    let ((kind, picked), duplicates) = drive(bytes, |de, found| {
        ScanSeed {
            at: At::Root,
            depth: 0,
            found,
            names: &names,
            pick,
        }
        .deserialize(de)
    })?;
    Ok(Scan {
        kind,
        picked,
        duplicates,
    })
}

/// The strict reading every parse shares: UTF-8, no byte order mark, one value and nothing
/// after it, jwtcheck's depth limit; `read` reads the value.
fn drive<'de, T>(
    bytes: &'de [u8],
    read: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
        &Found,
    ) -> Result<T, serde_json::Error>,
) -> Result<(T, Vec<String>), JsonError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(JsonError::Utf8 {
            offset: e.valid_up_to() + 1,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(JsonError::Bom);
    }
    let found = Found {
        // Room for the members a top-level object of this size may hold (a claims set's member
        // takes about 40 bytes; a token's has about 15): at once, not in four growths, and no
        // more than that, since a map's room for 16 members is a 1.6 KiB block, which glibc
        // serves from its slow path (and a header of two members needs none of it).
        room: (bytes.len() / 40).min(16),
        ..Found::default()
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // serde_json's own limit refuses the 128th level; the depth is counted here instead.
    de.disable_recursion_limit();
    let value = read(&mut de, &found).and_then(|v| de.end().map(|()| v));
    match value {
        Ok(value) => Ok((value, found.duplicates.into_inner())),
        Err(_) if found.too_deep.get() => Err(JsonError::TooDeep { limit: MAX_DEPTH }),
        Err(e) => Err(syntax(e)),
    }
}

/// Parses `text` strictly; see [`parse`].
pub fn parse_str(text: &str) -> Result<Parsed, JsonError> {
    parse(text.as_bytes())
}

/// Where a syntax error is: the column, and the line too when the text has more than one.
fn place(line: usize, column: usize) -> String {
    if line > 1 {
        format!("line {line}, column {column}")
    } else {
        format!("column {column}")
    }
}

fn syntax(e: serde_json::Error) -> JsonError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    JsonError::Syntax {
        column: e.column(),
        line: e.line(),
        message,
    }
}

/// Appends one member name to a path the way Hasura prints JSON paths: `.name` for plain names,
/// `["…"]` (JSON-escaped) for anything else.
pub fn push_key(path: &mut String, key: &str) {
    let mut chars = key.chars();
    let plain = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_string()).to_string());
        path.push(']');
    }
}

/// What [`type_name`] (and a [`Scan`]'s `kind`) calls an object.
pub const OBJECT: &str = "an object";

/// The name of a JSON value's type, as people say it ("a string", "a number").
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => OBJECT,
    }
}

/// The key serde_json's `arbitrary_precision` uses to pass a number's text through `visit_map`.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Where a value is, as a chain back to the root; written out as a path only for a duplicate
/// (building every member's path up front costs more than the parse).
#[derive(Clone, Copy)]
enum At<'s> {
    Root,
    Key(&'s At<'s>, &'s str),
    Index(&'s At<'s>, usize),
}

impl At<'_> {
    fn path(&self) -> String {
        match self {
            At::Root => "$".to_string(),
            At::Key(parent, key) => {
                let mut p = parent.path();
                push_key(&mut p, key);
                p
            }
            At::Index(parent, i) => format!("{}[{i}]", parent.path()),
        }
    }
}

/// What a parse notes on its way: repeated member names, and whether it went too deep; and
/// the room a top-level object is given at once.
#[derive(Default)]
struct Found {
    duplicates: RefCell<Vec<String>>,
    too_deep: std::cell::Cell<bool>,
    room: usize,
}

struct ValueSeed<'a, 's> {
    at: At<'s>,
    /// Arrays and objects around this value.
    depth: usize,
    found: &'a Found,
    keep_first: bool,
}

impl ValueSeed<'_, '_> {
    /// Refuses an array or object at a depth over [`MAX_DEPTH`].
    fn enter<E: de::Error>(&self) -> Result<(), E> {
        enter(self.depth, self.found)
    }
}

/// Refuses an array or object at `depth` when that is over [`MAX_DEPTH`].
fn enter<E: de::Error>(depth: usize, found: &Found) -> Result<(), E> {
    if depth >= MAX_DEPTH {
        found.too_deep.set(true);
        return Err(E::custom("too deep"));
    }
    Ok(())
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::new();
        let parent = self.at;
        loop {
            let seed = ValueSeed {
                at: At::Index(&parent, items.len()),
                depth: self.depth + 1,
                found: self.found,
                keep_first: self.keep_first,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::with_capacity(if self.depth == 0 { self.found.room } else { 0 });
        let parent = self.at;
        let mut first = true;
        while let Some(name) = access.next_key_seed(NameSeed)? {
            // serde_json hands a number over as this one-member map (arbitrary_precision), so
            // that a number out of f64's range (`1e400`) is read, as aeson reads it, not refused.
            if first && name == NUMBER_TOKEN {
                return access.next_value_seed(NumberSeed);
            }
            let key = name.into_owned();
            if std::mem::take(&mut first) {
                self.enter()?;
            }
            let at = At::Key(&parent, &key);
            let seed = ValueSeed {
                at,
                depth: self.depth + 1,
                found: self.found,
                keep_first: self.keep_first,
            };
            let value = access.next_value_seed(seed)?;
            // One lookup (a hash of the name) per member.
            match map.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(mut slot) => {
                    self.found
                        .duplicates
                        .borrow_mut()
                        .push(At::Key(&parent, slot.key()).path());
                    // Keep the first position and, unless told to keep the first value, the
                    // last value: the display shows where the name first appeared, and the
                    // value most parsers would use.
                    if !self.keep_first {
                        slot.insert(value);
                    }
                }
            }
        }
        if first {
            // `{}`: an object all the same.
            self.enter()?;
        }
        Ok(Value::Object(map))
    }
}

/// What a [`ScanSeed`] reads: the value's type, and the picked members of a top-level object.
type Scanned = (&'static str, Vec<(&'static str, Value)>);

/// Reads a value as [`ValueSeed`] does (same checks, same duplicates) without building it, but
/// for the top-level members named in `pick`.
struct ScanSeed<'a, 's, 'de> {
    at: At<'s>,
    /// Arrays and objects around this value.
    depth: usize,
    found: &'a Found,
    /// The names of the objects around this value, each object's after its parent's.
    names: &'a RefCell<Vec<Cow<'de, str>>>,
    /// The member names to build (at the top level only; empty below it).
    pick: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for ScanSeed<'_, '_, 'de> {
    type Value = Scanned;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Scanned, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScanSeed<'_, '_, 'de> {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Scanned, E> {
        Ok(("a boolean", Vec::new()))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Scanned, E> {
        Ok(("a number", Vec::new()))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Scanned, E> {
        Ok(("a number", Vec::new()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scanned, E> {
        match serde_json::Number::from_f64(v) {
            Some(_) => Ok(("a number", Vec::new())),
            None => Err(E::custom("number out of range")),
        }
    }

    fn visit_str<E>(self, _: &str) -> Result<Scanned, E> {
        Ok(("a string", Vec::new()))
    }

    fn visit_unit<E>(self) -> Result<Scanned, E> {
        Ok(("null", Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scanned, A::Error> {
        enter(self.depth, self.found)?;
        let parent = self.at;
        let mut index = 0;
        loop {
            let seed = ScanSeed {
                at: At::Index(&parent, index),
                depth: self.depth + 1,
                found: self.found,
                names: self.names,
                pick: &[],
            };
            match seq.next_element_seed(seed)? {
                Some(_) => index += 1,
                None => return Ok(("an array", Vec::new())),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Scanned, A::Error> {
        let parent = self.at;
        let mut first = true;
        let mut seen = Seen::new(self.names);
        let mut picked: Vec<(&'static str, Value)> = Vec::with_capacity(self.pick.len());
        while let Some(key) = access.next_key_seed(NameSeed)? {
            // As ValueSeed reads it: serde_json's marker of a number, when first.
            if first && key == NUMBER_TOKEN {
                access.next_value_seed(NumberSeed)?;
                return Ok(("a number", Vec::new()));
            }
            if std::mem::take(&mut first) {
                enter(self.depth, self.found)?;
            }
            let repeated = !seen.insert(key.clone());
            let at = At::Key(&parent, &key);
            match self.pick.iter().find(|name| **name == key) {
                Some(name) => {
                    let seed = ValueSeed {
                        at,
                        depth: self.depth + 1,
                        found: self.found,
                        keep_first: false,
                    };
                    let value = access.next_value_seed(seed)?;
                    match picked.iter_mut().find(|(n, _)| n == name) {
                        Some(slot) => slot.1 = value,
                        None => picked.push((name, value)),
                    }
                }
                None => {
                    let seed = ScanSeed {
                        at,
                        depth: self.depth + 1,
                        found: self.found,
                        names: self.names,
                        pick: &[],
                    };
                    access.next_value_seed(seed)?;
                }
            }
            // After the value, as ValueSeed records it (a repeat inside the value comes first).
            if repeated {
                self.found.duplicates.borrow_mut().push(at.path());
            }
        }
        if first {
            // `{}`: an object all the same.
            enter(self.depth, self.found)?;
        }
        Ok((OBJECT, picked))
    }
}

/// The member names an object has shown so far: its part of the document's name buffer (a
/// claims set has about 15), or a hash set once there are many (an object of thousands of names
/// stays linear). Dropped at the object's end, it gives the buffer back as it found it.
struct Seen<'a, 'de> {
    names: &'a RefCell<Vec<Cow<'de, str>>>,
    /// Where this object's names start in the buffer.
    start: usize,
    many: Option<HashSet<Cow<'de, str>>>,
}

impl<'a, 'de> Seen<'a, 'de> {
    /// The most names compared one by one.
    const FEW: usize = 32;

    fn new(names: &'a RefCell<Vec<Cow<'de, str>>>) -> Self {
        let start = names.borrow().len();
        Seen {
            names,
            start,
            many: None,
        }
    }

    /// Adds `name`; false when the object already had it.
    fn insert(&mut self, name: Cow<'de, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(name);
        }
        let mut names = self.names.borrow_mut();
        // `start` was the buffer's length when this object began; inner objects truncate it
        // back to theirs, so it never shrinks below `start`.
        let ours = names.get(self.start..).unwrap_or_default();
        if ours.contains(&name) {
            return false;
        }
        if ours.len() < Self::FEW {
            names.push(name);
            return true;
        }
        let mut many: HashSet<_> = names.drain(self.start..).collect();
        many.insert(name);
        self.many = Some(many);
        true
    }
}

impl Drop for Seen<'_, '_> {
    fn drop(&mut self) {
        self.names.borrow_mut().truncate(self.start);
    }
}

/// Reads a member name, borrowed from the document when it has no escape (and serde_json's
/// marker of a number, which it lends, without a copy).
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads a number's text (arbitrary_precision) straight into a [`Value::Number`].
struct NumberSeed;

impl<'de> DeserializeSeed<'de> for NumberSeed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for NumberSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As `String`'s own, which read this text before.
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        v.parse::<serde_json::Number>()
            .map(Value::Number)
            .map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_member_order() {
        let p = parse(br#"{"z":1,"a":2,"m":{"y":1,"b":2}}"#).unwrap();
        assert_eq!(p.value.to_string(), r#"{"z":1,"a":2,"m":{"y":1,"b":2}}"#);
        assert!(p.duplicates.is_empty());
    }

    #[test]
    fn finds_duplicates_at_any_depth() {
        let p = parse(
            br#"{"a":1,"a":2,"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-default-role":"admin"},"l":[{"k":1,"k":2}]}"#,
        )
        .unwrap();
        assert_eq!(
            p.duplicates,
            vec![
                "$.a",
                r#"$["https://hasura.io/jwt/claims"].x-hasura-default-role"#,
                "$.l[0].k"
            ]
        );
        assert_eq!(p.value["a"], 2);
    }

    #[test]
    fn first_wins_like_aeson() {
        let p = parse_first_wins(br#"{"a":1,"a":2,"b":{"c":1,"c":2}}"#).unwrap();
        assert_eq!(p.value, serde_json::json!({"a":1,"b":{"c":1}}));
        assert_eq!(p.duplicates, vec!["$.a", "$.b.c"]);
    }

    #[test]
    fn rejects_trailing_data_bom_and_bad_utf8() {
        assert!(matches!(parse(b"{} x"), Err(JsonError::Syntax { .. })));
        assert_eq!(parse(b"\xEF\xBB\xBF{}"), Err(JsonError::Bom));
        assert_eq!(
            parse(b"{\"a\":\"\xff\"}"),
            Err(JsonError::Utf8 { offset: 7 })
        );
        assert!(matches!(
            parse(br#"{"a":"\ud800"}"#),
            Err(JsonError::Syntax { .. })
        ));
    }

    #[test]
    fn syntax_errors_name_the_column() {
        let e = parse(br#"{"a":1,}"#).unwrap_err();
        assert_eq!(e.to_string(), "invalid JSON at column 8: trailing comma");
        let e = parse(b"{}\n x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid JSON at line 2, column 2: trailing characters"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert_eq!(
            parse(deep.as_bytes()),
            Err(JsonError::TooDeep { limit: MAX_DEPTH })
        );
    }

    #[test]
    fn nesting_up_to_the_documented_128_levels_is_read() {
        let nested = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n))
        };
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            for inner in ["1", "1e400", "[]", "{}"] {
                // `inner` is a number (one level less) or an empty array or object (one more).
                let levels = if inner.starts_with(['[', '{']) {
                    127
                } else {
                    128
                };
                let text = nested(open, inner, close, levels);
                assert!(parse(text.as_bytes()).is_ok(), "{open}{inner}: {levels}");
                let deeper = nested(open, inner, close, levels + 1);
                assert_eq!(
                    parse(deeper.as_bytes()),
                    Err(JsonError::TooDeep { limit: MAX_DEPTH }),
                    "{open}{inner}: {}",
                    levels + 1
                );
            }
        }
        assert_eq!(
            JsonError::TooDeep { limit: MAX_DEPTH }.to_string(),
            "nested more than 128 levels deep, beyond jwtcheck's own limit"
        );
    }

    #[test]
    fn numbers_keep_their_text_and_the_number_marker_reads_as_before() {
        let p = parse(br#"{"a":1e400,"b":-0,"c":12345678901234567890123,"d":1.50}"#).unwrap();
        assert_eq!(
            p.value.to_string(),
            r#"{"a":1e+400,"b":-0,"c":12345678901234567890123,"d":1.50}"#
        );
        // serde_json's own marker of a number, written by a token: read as serde_json reads it.
        let marker = format!(r#"{{"{NUMBER_TOKEN}":"5"}}"#);
        assert_eq!(parse(marker.as_bytes()).unwrap().value, Value::from(5));
        let e = parse(format!(r#"{{"{NUMBER_TOKEN}":5}}"#).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("expected a string"), "{e}");
        let later = format!(r#"{{"a":1,"{NUMBER_TOKEN}":"5"}}"#);
        assert_eq!(parse(later.as_bytes()).unwrap().value[NUMBER_TOKEN], "5");
    }

    #[test]
    fn a_scan_finds_the_repeats_a_parse_finds_in_objects_of_many_names() {
        let names: Vec<String> = (0..100).map(|i| format!("\"n{}\":{i}", i % 70)).collect();
        let inner = format!("{{{}}}", names.join(","));
        let text = format!(
            r#"{{"a":{inner},"exp":1,{},"exp":{inner}}}"#,
            names.join(",")
        );
        let parsed = parse(text.as_bytes()).unwrap();
        let scanned = scan(text.as_bytes(), &["exp"]).unwrap();
        assert_eq!(scanned.duplicates, parsed.duplicates);
        assert_eq!(scanned.duplicates.len(), 30 + 30 + 1 + 30);
        assert_eq!(scanned.picked, vec![("exp", parsed.value["exp"].clone())]);
    }

    #[test]
    fn escaped_slashes_decode() {
        let p = parse(br#"{"iss":"https:\/\/cognito-idp.us-east-1.amazonaws.com\/x"}"#).unwrap();
        assert_eq!(
            p.value["iss"],
            "https://cognito-idp.us-east-1.amazonaws.com/x"
        );
    }
}
