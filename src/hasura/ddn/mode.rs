//! Which mode of an AuthConfig a request is authenticated with: `definition.mode`, or (v4) an
//! alternative mode named by the request's `X-Hasura-Auth-Mode` header; jwtcheck judges only JWT.

use serde_json::{Map, Value};

use super::read::{DdnConfigError, DdnErrorKind, R, err, field, known, object, one_of, string};

pub(super) fn not_jwt<T>(path: &str, message: impl Into<String>, hint: impl Into<String>) -> R<T> {
    Err(DdnConfigError {
        path: path.to_string(),
        message: message.into(),
        hint: hint.into(),
        kind: DdnErrorKind::NotJwt,
    })
}

/// What the engine does with a request in a mode other than `jwt`.
pub(super) const NOT_JWT_HINT: &str = "jwtcheck judges JWTs: in webhook mode the engine asks the webhook about each request, in noAuth mode it reads no token, and the build accepts both";

/// The JWT mode the request uses: `definition.mode`, or (v4) the alternative mode the
/// `X-Hasura-Auth-Mode` header names — `auth_mode` picks it; without it, the default mode when it
/// is JWT, else the one JWT alternative.
pub(super) fn jwt_mode<'d>(
    def: &'d Map<String, Value>,
    auth_mode: Option<&str>,
) -> R<(&'d Map<String, Value>, String, Option<String>)> {
    let modes = modes(def)?;
    let mut kinds = Vec::new();
    for m in &modes {
        kinds.push(
            one_of(
                object(m.config, &m.at)?,
                &m.at,
                &["jwt", "webhook", "noAuth"],
            )?
            .0,
        );
    }
    let jwt_ids: Vec<&str> = modes
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == "jwt")
        .filter_map(|(m, _)| m.id.as_deref())
        .collect();
    let chosen = match auth_mode {
        // An identifier no alternative has falls back to the default mode (docs, "Multiple
        // Authentication Modes"; RFC support-for-multiple-auth-configs).
        Some(want) => modes
            .iter()
            .position(|m| m.id.as_deref() == Some(want))
            .unwrap_or(0),
        None => unnamed(&kinds, &jwt_ids, modes.len())?,
    };
    let (Some(m), Some(kind)) = (modes.get(chosen), kinds.get(chosen)) else {
        return err("definition.mode", "no mode", "write definition.mode");
    };
    if *kind != "jwt" {
        let id = m.id.as_deref().unwrap_or("");
        return not_jwt(
            &m.at,
            format!("the alternative mode {id:?} is {kind}, not jwt"),
            if jwt_ids.is_empty() {
                NOT_JWT_HINT.to_string()
            } else {
                ask(&jwt_ids)
            },
        );
    }
    let at = &m.at;
    let mode = object(m.config, at)?;
    Ok((
        object(field(mode, at, "jwt")?, &format!("{at}.jwt"))?,
        format!("{at}.jwt"),
        m.id.clone(),
    ))
}

/// One mode of the AuthConfig: its v4 identifier (none for the default), its configuration,
/// and where it is written.
struct Mode<'d> {
    id: Option<String>,
    config: &'d Value,
    at: String,
}

/// `definition.mode`, then each v4 alternative mode.
fn modes(def: &Map<String, Value>) -> R<Vec<Mode<'_>>> {
    let mut modes = vec![Mode {
        id: None,
        config: field(def, "definition", "mode")?,
        at: "definition.mode".to_string(),
    }];
    if let Some(alts) = def.get("alternativeModes") {
        let Value::Array(alts) = alts else {
            return err(
                "definition.alternativeModes",
                "alternativeModes is not a list",
                "write a list of {identifier, config}",
            );
        };
        for (i, alt) in alts.iter().enumerate() {
            let at = format!("definition.alternativeModes[{i}]");
            let a = object(alt, &at)?;
            known(a, &at, &["identifier", "config"])?;
            let id = string(field(a, &at, "identifier")?, &format!("{at}.identifier"))?;
            modes.push(Mode {
                id: Some(id),
                config: field(a, &at, "config")?,
                at: format!("{at}.config"),
            });
        }
    }
    Ok(modes)
}

/// The mode of a request that names none: the default mode when it is JWT, else the one JWT
/// alternative.
fn unnamed(kinds: &[&str], jwt_ids: &[&str], count: usize) -> R<usize> {
    let default = kinds.first().copied().unwrap_or("jwt");
    match kinds.iter().position(|k| *k == "jwt") {
        Some(0) => Ok(0),
        Some(i) if jwt_ids.len() == 1 => Ok(i),
        Some(_) => not_jwt(
            "definition.mode",
            format!(
                "the default mode is {default}; the alternative modes {} use JWT",
                jwt_ids.join(", ")
            ),
            ask(jwt_ids),
        ),
        None => {
            let also = if count > 1 {
                " and no alternative mode is jwt"
            } else {
                ""
            };
            not_jwt(
                "definition.mode",
                format!("this AuthConfig does not use JWT: its mode is {default}{also}"),
                NOT_JWT_HINT,
            )
        }
    }
}

/// The hint that asks which JWT mode the request names.
fn ask(jwt_ids: &[&str]) -> String {
    format!(
        "say which mode the request names in X-Hasura-Auth-Mode with --ddn-auth-mode ({})",
        jwt_ids.join(", ")
    )
}
