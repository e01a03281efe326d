//! The JSON Schema (draft 2020-12) of the `--json` report, generated from the report's own types
//! so that the two cannot drift apart. `jwtcheck schema` prints it; nothing else builds it.

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::diff::DiffReport;
use super::explain::{Explanation, Listed};
use super::{CheckReport, ConfigTranslation, Report, SetupReport, WatchEvent};

/// The schema of what `--json` prints: a [`Report`] (decode, verify, from-url, jwks, login, the
/// dev kit, and usage errors of any command), a [`CheckReport`] (`check`), a [`SetupReport`]
/// (`setup`), a [`DiffReport`] (`diff`), a [`WatchEvent`] (a line of `jwks --watch`), an
/// [`Explanation`] (`explain ID`), the list of ids (`explain`), or a
/// [`ConfigTranslation`] (`hasura-config`). `completions` and `man` refuse `--json`: their
/// output is a script or a page.
///
/// Objects stay open to members a newer jwtcheck may add; a member that changes meaning or goes
/// bumps the report's `schema` number (see CHANGELOG).
pub fn json_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let report = generator.subschema_for::<Report>();
    let check = generator.subschema_for::<CheckReport>();
    let explanation = generator.subschema_for::<Explanation>();
    let list = generator.subschema_for::<Vec<Listed>>();
    let translation = generator.subschema_for::<ConfigTranslation>();
    let setup = generator.subschema_for::<SetupReport>();
    let diff = generator.subschema_for::<DiffReport>();
    let watch = generator.subschema_for::<WatchEvent>();
    let defs: serde_json::Map<String, Value> =
        generator.take_definitions(true).into_iter().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "jwtcheck --json report",
        "description": format!(
            "What `jwtcheck --json` prints on stdout (report schema {}): a report of decode, \
             verify, from-url, jwks, login, keygen, mint or serve-keys (and of a usage error of \
             any command), the report of check, the report of setup, the report of diff, a line \
             of jwks --watch, an explanation (explain ID), the list of ids (explain), or a \
             translated configuration (hasura-config).",
            super::SCHEMA_VERSION
        ),
        "anyOf": [report, check, setup, diff, watch, explanation, list, translation],
        "$defs": defs,
    })
}
