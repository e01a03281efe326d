//! A token's claims set, read in two steps: at decode, strictly checked and with only the
//! registered claims that every judgement reads built; the whole set (a `serde_json` map) when
//! something asks for the rest. A batch line that prints no claims never builds them.

use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::jose::json;

/// The claims the judge's own checks read (times, issuer, audience, Cognito's token kind and
/// client): built at decode, so that reading them costs no map.
pub const REGISTERED: &[&str] = &[
    "exp",
    "nbf",
    "iat",
    "iss",
    "aud",
    "auth_time",
    "token_use",
    "client_id",
    "nonce",
];

/// Reading one claim by name, from a token's [`Claims`] or from a map an engine built.
pub trait ClaimSet {
    /// The claim's value, if the set has it.
    fn claim(&self, name: &str) -> Option<&Value>;
}

impl ClaimSet for Map<String, Value> {
    fn claim(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl ClaimSet for Claims {
    fn claim(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// Bytes that are not a claims set, given back, with the JSON type they are or why they are not
/// JSON.
pub type NotClaims = (Vec<u8>, Result<&'static str, json::JsonError>);

/// A JSON object payload, already checked as strictly as [`json::parse`] checks it.
#[derive(Debug, Clone)]
pub struct Claims {
    /// The payload's bytes, from which the whole set is built when asked for.
    bytes: Vec<u8>,
    /// The [`REGISTERED`] claims the payload has, with the value [`json::parse`] keeps.
    registered: Vec<(&'static str, Value)>,
    /// The whole set, once built (shared with the report's decoded token).
    all: OnceLock<Arc<Map<String, Value>>>,
}

impl Claims {
    /// Reads `bytes` as a claims set: the claims and the paths of repeated names when they are
    /// a JSON object; otherwise the bytes back, with the type they are (`Ok`) or why they are
    /// not JSON (`Err`).
    pub fn read(bytes: Vec<u8>) -> Result<(Claims, Vec<String>), NotClaims> {
        let scan = match json::scan(&bytes, REGISTERED) {
            Ok(scan) => scan,
            Err(e) => return Err((bytes, Err(e))),
        };
        if scan.kind != json::OBJECT {
            return Err((bytes, Ok(scan.kind)));
        }
        let claims = Claims {
            bytes,
            registered: scan.picked,
            all: OnceLock::new(),
        };
        Ok((claims, scan.duplicates))
    }

    /// [`Claims::read`], with the whole set built at once (the registered claims read from it).
    pub fn read_whole(bytes: Vec<u8>) -> Result<(Claims, Vec<String>), NotClaims> {
        let parsed = match json::parse(&bytes) {
            Ok(parsed) => parsed,
            Err(e) => return Err((bytes, Err(e))),
        };
        let Value::Object(map) = parsed.value else {
            return Err((bytes, Ok(json::type_name(&parsed.value))));
        };
        let claims = Claims {
            bytes,
            registered: Vec::new(),
            all: OnceLock::from(Arc::new(map)),
        };
        Ok((claims, parsed.duplicates))
    }

    /// The claim's value, if the set has it: a registered claim without building the set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        if let Some(all) = self.all.get() {
            all.get(name)
        } else if REGISTERED.contains(&name) {
            self.registered
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
        } else {
            self.map().get(name)
        }
    }

    /// The whole set, members in the token's order (built on the first call).
    pub fn map(&self) -> &Map<String, Value> {
        self.shared()
    }

    /// The whole set, shared (with the report's decoded token, which would otherwise copy it).
    pub fn shared(&self) -> &Arc<Map<String, Value>> {
        self.all.get_or_init(|| {
            // The bytes passed `json::scan`, which checks exactly what `json::parse` checks:
            // this parse succeeds with an object. The empty map is unreachable.
            match json::parse(&self.bytes).map(|p| p.value) {
                Ok(Value::Object(m)) => Arc::new(m),
                _ => Arc::default(),
            }
        })
    }
}

impl PartialEq for Claims {
    fn eq(&self, other: &Claims) -> bool {
        self.map() == other.map()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Claims, Vec<String>) {
        Claims::read(text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn a_registered_claim_reads_as_the_whole_set_has_it() {
        let text =
            r#"{"sub":"u","exp":1e400,"aud":["a","b"],"exp":2000,"x":{"exp":1},"token_use":"id"}"#;
        let (claims, duplicates) = read(text);
        assert_eq!(duplicates, vec!["$.exp"]);
        let whole = json::parse(text.as_bytes()).unwrap().value;
        for name in REGISTERED.iter().chain(&["sub", "x", "missing"]) {
            assert_eq!(claims.get(name), whole.get(*name), "{name}");
        }
        assert_eq!(claims.map(), whole.as_object().unwrap());
    }

    #[test]
    fn read_whole_or_in_two_steps_the_claims_are_the_same() {
        let text = r#"{"iss":"a","iss":"b","x":[{"k":1,"k":2}],"exp":5}"#;
        let (lazy, lazy_duplicates) = read(text);
        let (whole, whole_duplicates) = Claims::read_whole(text.as_bytes().to_vec()).unwrap();
        assert_eq!(lazy_duplicates, whole_duplicates);
        for name in REGISTERED.iter().chain(&["x"]) {
            assert_eq!(lazy.get(name), whole.get(name), "{name}");
        }
        assert_eq!(lazy, whole);
        assert_eq!(
            Claims::read_whole(b"\"x\"".to_vec()).unwrap_err().1,
            Ok("a string")
        );
    }

    #[test]
    fn what_is_not_an_object_is_named_and_what_is_not_json_is_the_parse_error() {
        assert_eq!(Claims::read(b"[1]".to_vec()).unwrap_err().1, Ok("an array"));
        let marker = br#"{"$serde_json::private::Number":"5"}"#.to_vec();
        assert_eq!(Claims::read(marker).unwrap_err().1, Ok("a number"));
        for bad in [
            &b"{\"a\":1,}"[..],
            b"{\"a\":\"\\ud800\"}",
            b"\xEF\xBB\xBF{}",
            b"{} x",
        ] {
            assert_eq!(
                Claims::read(bad.to_vec()).unwrap_err().1,
                Err(json::parse(bad).unwrap_err()),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
