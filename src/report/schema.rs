//! The JSON Schema (draft 2020-12) of the `--json` report, generated from the report's own types
//! so that the two cannot drift apart. `jwtcheck schema` prints it; nothing else builds it.

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::{CheckReport, Report, SetupReport};

/// The schema of what `--json` prints: a [`Report`] (decode, verify, from-url, jwks, login, and
/// usage errors of any command), a [`CheckReport`] (`check`) or a [`SetupReport`] (`setup`).
///
/// Objects stay open to members a newer jwtcheck may add; a member that changes meaning or goes
/// bumps the report's `schema` number (see CHANGELOG).
pub fn json_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let report = generator.subschema_for::<Report>();
    let check = generator.subschema_for::<CheckReport>();
    let setup = generator.subschema_for::<SetupReport>();
    let defs: serde_json::Map<String, Value> =
        generator.take_definitions(true).into_iter().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "jwtcheck --json report",
        "description": format!(
            "What `jwtcheck --json` prints on stdout (report schema {}): a report of decode, \
             verify, from-url, jwks or login (and of a usage error of any command), the report \
             of check, or the report of setup.",
            super::SCHEMA_VERSION
        ),
        "anyOf": [report, check, setup],
        "$defs": defs,
    })
}
