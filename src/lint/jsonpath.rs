//! Claims paths the engine accepts but that read a member literally named like a JSONPath
//! feature Hasura's subset does not have (`$.roles["*"].name`): no token has such a member, so
//! the claim is never found.

use crate::hasura::jsonpath::JsonPath;
use crate::hasura::v2::config::{Claims, JwtConfig, MapValue, Namespace};
use crate::report::{Check, Id};

/// One warning per such path (its first such name) of `claims_namespace_path` and `claims_map`.
pub fn claims_paths(cfg: &JwtConfig, label: &str) -> Vec<Check> {
    let mut paths: Vec<(String, &JsonPath)> = Vec::new();
    match &cfg.claims {
        Claims::Namespace {
            ns: Namespace::Path(p),
            ..
        } => paths.push(("claims_namespace_path".into(), p)),
        Claims::Namespace { .. } => {}
        Claims::Map(map) => {
            let entries = [
                ("x-hasura-allowed-roles", path_of(&map.allowed_roles)),
                ("x-hasura-default-role", path_of(&map.default_role)),
            ];
            let others = map.others.iter().map(|(n, v)| (n.as_str(), path_of(v)));
            for (name, path) in entries.into_iter().chain(others) {
                if let Some(p) = path {
                    paths.push((format!("claims_map {name}"), p));
                }
            }
        }
    }
    paths
        .into_iter()
        .filter(|(_, path)| !path.literal_operators().is_empty())
        .map(|(name, path)| {
            Check::warn(
                Id::LintClaimsPath,
                format!(
                    "{label}{name} path {} names nothing a token has{}",
                    path.encode(),
                    path.literal_note()
                ),
                "a quoted bracket is a member name. A claims path names one value, and a list is taken whole: point the path at the list (or have the issuer write the claim where a path can name it)",
            )
        })
        .collect()
}

fn path_of<T>(value: &MapValue<T>) -> Option<&JsonPath> {
    match value {
        MapValue::Path(p, _) => Some(p),
        MapValue::Static(_) => None,
    }
}
