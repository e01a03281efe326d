//! v2's `HASURA_GRAPHQL_JWT_SECRET` to a DDN `AuthConfig`, and back where it is defined, with
//! what cannot be carried over and the behaviours that differ between the engines.

use serde_json::{Map, Value, json};

use super::config::{ClaimsFormat, DdnClaims, DdnConfig, DdnKey, Entry, TokenLocation};
use crate::hasura::claims::Format;
use crate::hasura::jsonpath::{self, Step};
use crate::hasura::v2::config::{Claims, JwtConfig, KeyConfig, Location, MapValue, Namespace};

/// A translation and what the reader must know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The configuration in the target's form (a JSON value).
    pub config: Value,
    /// What could not be carried over: the translation is not equivalent there.
    pub lost: Vec<String>,
    /// Behaviours that differ between the engines even where the fields translate.
    pub differences: Vec<String>,
}

/// The AuthConfig file `hasura-config --to ddn` writes: a comment naming its origin, one comment
/// per note (what was not carried over, what differs), then the YAML.
pub fn ddn_text(t: &Translation) -> String {
    let mut out = String::from("# Translated by jwtcheck from a v2 HASURA_GRAPHQL_JWT_SECRET.\n");
    for n in t.notes() {
        out.push_str(&format!("# {n}\n"));
    }
    out.push_str(&serde_yaml_ng::to_string(&yaml(&t.config)).unwrap_or_default());
    out
}

impl Translation {
    /// What was not carried over, then what differs, each as one line.
    pub fn notes(&self) -> impl Iterator<Item = String> + '_ {
        self.lost
            .iter()
            .map(|l| format!("not carried over: {l}"))
            .chain(self.differences.iter().map(|d| format!("differs: {d}")))
    }
}

/// The configuration as a YAML value (numbers as numbers: serde_json's arbitrary-precision
/// numbers would otherwise serialize as maps).
pub fn yaml(v: &Value) -> serde_yaml_ng::Value {
    use serde_yaml_ng::Value as Y;
    match v {
        Value::Null => Y::Null,
        Value::Bool(b) => Y::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Y::Number(u.into()),
            (_, Some(i), _) => Y::Number(i.into()),
            (_, _, Some(f)) => Y::Number(f.into()),
            _ => Y::String(n.to_string()),
        },
        Value::String(s) => Y::String(s.clone()),
        Value::Array(a) => Y::Sequence(a.iter().map(yaml).collect()),
        Value::Object(m) => Y::Mapping(
            m.iter()
                .map(|(k, v)| (Y::String(k.clone()), yaml(v)))
                .collect(),
        ),
    }
}

/// The environment variable a translated HMAC secret is read from (`key.valueFromEnv`).
pub const SECRET_VAR: &str = "HASURA_DDN_JWT_SECRET";

/// The DDN AuthConfig (v3) equivalent to a v2 configuration; `key_text` is v2's `key` as
/// written (a PEM public key is carried over as it is).
pub fn to_ddn(cfg: &JwtConfig, key_text: Option<&str>) -> Translation {
    let mut lost = Vec::new();
    let mut differences = vec![
        "DDN does not check nbf or iat; v2 refuses a token before its nbf or issued in the future (allowed_skew applying to both)".to_string(),
        "at the second of exp DDN still accepts (it refuses when exp < now - allowedSkew, in whole seconds); v2 refuses from exp + allowed_skew on".to_string(),
        "session variables from claims keep their JSON types in DDN; v2 turns them into strings".to_string(),
    ];
    if let Claims::Namespace { .. } = &cfg.claims {
        differences.insert(
            2,
            "namespace mode: DDN makes every member of the claims object a session variable; v2 keeps only x-hasura-* members".to_string(),
        );
    }
    let key = match &cfg.key {
        KeyConfig::Url(u) => {
            differences.push("with jwkFromUrl DDN needs the token's kid and uses only the key it names (v2 tries every key); DDN also fetches the set on every request".into());
            json!({"jwkFromUrl": u})
        }
        KeyConfig::Static { alg_type, key } => fixed(alg_type, key, key_text, &mut lost),
    };
    let mut jwt = Map::new();
    if let Some(aud) = &cfg.audience {
        jwt.insert("audience".into(), json!(aud));
    } else {
        differences.push("no audience: DDN (compatibility date 2025-03-11 or later) refuses every token that has an aud claim; v2 accepts any. Add audience: [\"<app client id>\"]".into());
    }
    if let Some(iss) = &cfg.issuer {
        jwt.insert("issuer".into(), json!(iss));
    }
    // DDN's default leeway is 60 s, v2's 0 s: write it out.
    let skew = cfg.skew();
    if skew.fract() != 0.0 {
        lost.push(format!("allowed_skew {skew} is not a whole number of seconds; DDN takes whole seconds (written as {})", skew.floor()));
    }
    jwt.insert("allowedSkew".into(), json!(skew.floor() as u64));
    jwt.insert(
        "claimsConfig".into(),
        claims_to_ddn(cfg, &mut lost, &mut differences),
    );
    jwt.insert(
        "tokenLocation".into(),
        match &cfg.location {
            Location::Authorization => json!({"type": "BearerAuthorization"}),
            Location::Cookie(n) => {
                differences.push(format!("DDN reads only the first cookie of the Cookie header: {n} must come first; v2 finds it anywhere"));
                json!({"type": "Cookie", "name": n})
            }
            Location::CustomHeader(n) => json!({"type": "Header", "name": n}),
        },
    );
    jwt.insert("key".into(), key);
    Translation {
        config: json!({"kind": "AuthConfig", "version": "v3", "definition": {"mode": {"jwt": Value::Object(jwt)}}}),
        lost,
        differences,
    }
}

fn fixed(
    alg_type: &str,
    key: &crate::jose::jwk::Key,
    text: Option<&str>,
    lost: &mut Vec<String>,
) -> Value {
    let algorithm = match alg_type {
        "Ed25519" => "EdDSA",
        "ES512" => {
            lost.push("ES512: DDN's JWT library has no ES512; sign with ES256 or ES384".into());
            "ES512"
        }
        other => other,
    };
    let value = match &key.material {
        // A secret stays out of files that are committed: the AuthConfig names a variable.
        crate::jose::jwk::Material::Secret(_) => json!({"valueFromEnv": SECRET_VAR}),
        crate::jose::jwk::Material::Public(_) => {
            let pem = text.unwrap_or_default();
            if pem.contains("CERTIFICATE") {
                lost.push("the key is an X.509 certificate; DDN's fixed key takes the public key PEM (openssl x509 -pubkey -noout)".into());
            }
            if let Some((bits, why)) = super::rsa_size_refusal(key) {
                lost.push(format!(
                    "the key is RSA-{bits}: v2 verifies with it, but {why}"
                ));
            }
            json!({"value": pem})
        }
    };
    json!({"fixed": {"algorithm": algorithm, "key": value}})
}

fn claims_to_ddn(cfg: &JwtConfig, lost: &mut Vec<String>, differences: &mut Vec<String>) -> Value {
    differences.push("DDN reads claim names case-sensitively (x-hasura-default-role, x-hasura-allowed-roles in lower case); v2 ignores case".into());
    match &cfg.claims {
        Claims::Namespace { ns, format } => {
            let location = match ns {
                Namespace::Key(k) => format!("/{}", jsonpath::pointer_key(k)),
                Namespace::Path(p) => {
                    if let Some(Step::Key(first)) = p.0.first()
                        && ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]
                            .contains(&first.as_str())
                    {
                        lost.push(format!("claims_namespace_path starts at the registered claim {first}, which v2 never searches; DDN's pointer does"));
                    }
                    p.pointer()
                }
            };
            let format = match format {
                Format::Json => "Json",
                Format::StringifiedJson => "StringifiedJson",
            };
            json!({"namespace": {"claimsFormat": format, "location": location}})
        }
        Claims::Map(map) => {
            let mut locs = Map::new();
            locs.insert(
                "x-hasura-default-role".into(),
                entry_to_ddn(&map.default_role),
            );
            locs.insert(
                "x-hasura-allowed-roles".into(),
                entry_to_ddn(&map.allowed_roles),
            );
            for (name, v) in &map.others {
                locs.insert(name.clone(), entry_to_ddn(v));
            }
            json!({"locations": Value::Object(locs)})
        }
    }
}

fn entry_to_ddn<T: serde::Serialize>(v: &MapValue<T>) -> Value {
    match v {
        MapValue::Static(lit) => json!({"literal": lit}),
        MapValue::Path(p, None) => json!({"path": {"path": p.pointer()}}),
        MapValue::Path(p, Some(d)) => json!({"path": {"path": p.pointer(), "default": d}}),
    }
}

/// A pointer as a v2 JSONPath (`/a/b/0` → `$.a.b[0]`; digits read as array indices).
fn pointer_to_path(p: &str) -> String {
    let mut out = String::from("$");
    for seg in p.split('/').skip(1) {
        let key = seg.replace("~1", "/").replace("~0", "~");
        match key.parse::<usize>() {
            Ok(n) if !key.starts_with('0') || key == "0" => out.push_str(&format!("[{n}]")),
            _ => crate::jose::json::push_key(&mut out, &key),
        }
    }
    out
}

/// The v2 `HASURA_GRAPHQL_JWT_SECRET` equivalent to a DDN configuration.
pub fn to_v2(cfg: &DdnConfig) -> Translation {
    let mut lost = Vec::new();
    let mut out = Map::new();
    key_to_v2(&cfg.key, &mut out, &mut lost);
    claims_to_v2(&cfg.claims, &mut out);
    if let Some(a) = &cfg.audience {
        out.insert(
            "audience".into(),
            match a.as_slice() {
                [one] => json!(one),
                _ => json!(a),
            },
        );
    }
    if let Some(i) = &cfg.issuer {
        out.insert("issuer".into(), json!(i));
    }
    out.insert("allowed_skew".into(), json!(cfg.leeway()));
    match &cfg.location {
        TokenLocation::Bearer => {}
        TokenLocation::Cookie(n) => {
            out.insert("header".into(), json!({"type": "Cookie", "name": n}));
        }
        TokenLocation::Header(n) => {
            out.insert("header".into(), json!({"type": "CustomHeader", "name": n}));
        }
    }
    Translation {
        config: Value::Object(out),
        lost,
        differences: vec![match &cfg.claims {
            DdnClaims::Namespace { .. } => "v2 also checks nbf and iat, and in namespace mode keeps only x-hasura-* members as session variables",
            DdnClaims::Locations(_) => "v2 also checks nbf and iat",
        }
        .into()],
    }
}

fn key_to_v2(key: &DdnKey, out: &mut Map<String, Value>, lost: &mut Vec<String>) {
    match key {
        DdnKey::JwkFromUrl(u) => {
            out.insert("jwk_url".into(), json!(u));
        }
        DdnKey::Fixed {
            algorithm,
            key,
            from_env,
        } => {
            let ty = match algorithm.as_str() {
                "EdDSA" => "Ed25519",
                a if a.starts_with("PS") => {
                    lost.push(format!("{a}: v2 has no RSA-PSS; sign with RS256"));
                    a
                }
                a => a,
            };
            out.insert("type".into(), json!(ty));
            out.insert("key".into(), json!(key));
            if let Some(var) = from_env {
                lost.push(format!(
                    "the key came from {var}; the v2 value holds it inline"
                ));
            }
        }
    }
}

fn claims_to_v2(claims: &DdnClaims, out: &mut Map<String, Value>) {
    match claims {
        DdnClaims::Namespace { format, location } => {
            let segs: Vec<&str> = location.split('/').skip(1).collect();
            match segs.as_slice() {
                [one] => {
                    out.insert(
                        "claims_namespace".into(),
                        json!(one.replace("~1", "/").replace("~0", "~")),
                    );
                }
                _ => {
                    out.insert(
                        "claims_namespace_path".into(),
                        json!(pointer_to_path(location)),
                    );
                }
            }
            if *format == ClaimsFormat::StringifiedJson {
                out.insert("claims_format".into(), json!("stringified_json"));
            }
        }
        DdnClaims::Locations(entries) => {
            let mut map = Map::new();
            for (name, e) in entries {
                let v = match e {
                    Entry::Literal(v) => v.clone(),
                    Entry::Path {
                        path,
                        default: None,
                    } => json!({"path": pointer_to_path(path)}),
                    Entry::Path {
                        path,
                        default: Some(d),
                    } => json!({"path": pointer_to_path(path), "default": d}),
                };
                map.insert(name.clone(), v);
            }
            out.insert("claims_map".into(), Value::Object(map));
        }
    }
}
