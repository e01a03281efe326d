//! `jwtcheck setup`: a Cognito → Hasura setup generated from a few choices (where the roles, the
//! user id and other session variables come from, which token, which trigger version, which
//! Hasura), and proven: the advice, the files (the trigger Lambda, the v2 configuration, the DDN
//! AuthConfig, the policy, SETUP.md) and the proof (sample users' tokens judged under the
//! generated configurations).
//!
//! Pure: `commands::setup` writes the files and builds the configurations the proof judges under.

pub mod advice;
pub mod choices;
pub mod engine;
pub mod guide;
pub mod lambda;
pub mod proof;
pub mod user;

use choices::Choices;

use crate::report::Id;
use crate::settings::UsageError;

/// The hint of a generated file that jwtcheck itself cannot read back.
pub const BUG_HINT: &str = "this is a jwtcheck bug: please report it with the command line";

/// The v2 configuration's file name.
pub const V2_FILE: &str = "hasura-jwt-secret.json";
/// The DDN AuthConfig's file name.
pub const DDN_FILE: &str = "auth-config.hml";
/// The policy's file name.
pub const POLICY_FILE: &str = "policy.json";
/// The guide's file name.
pub const GUIDE_FILE: &str = "SETUP.md";

/// A generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its name in the output folder.
    pub name: String,
    /// What it holds, in a few words.
    pub holds: String,
    /// Its text.
    pub text: String,
}

/// Everything a setup is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Which path, why, and what breaks later.
    pub advice: Vec<String>,
    /// The files, SETUP.md last.
    pub files: Vec<File>,
}

impl Generated {
    /// The text of the file named `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.text.as_str())
    }
}

/// The advice and the files for the choices.
pub fn generate(c: &Choices) -> Result<Generated, UsageError> {
    let advice = advice::lines(c);
    let mut files = Vec::new();
    let mut add = |name: &str, holds: String, text: String| {
        files.push(File {
            name: name.to_string(),
            holds,
            text,
        });
    };
    if let (Some(runtime), Some(text)) = (c.runtime, lambda::source(c)) {
        add(
            lambda::file_name(runtime),
            format!(
                "the Pre Token Generation Lambda ({}, event version {})",
                lambda::runtime_id(runtime),
                c.trigger.lambda_version().unwrap_or("V1_0")
            ),
            text,
        );
    }
    if c.hasura.v2() {
        add(
            V2_FILE,
            "Hasura v2's HASURA_GRAPHQL_JWT_SECRET".into(),
            engine::v2_text(c),
        );
    }
    if c.hasura.ddn() {
        let text = engine::ddn_text(c).map_err(|e| {
            UsageError::new(
                Id::SetupProof,
                format!("the generated v2 configuration does not parse: {e}"),
                BUG_HINT,
            )
        })?;
        add(DDN_FILE, "Hasura DDN's AuthConfig".into(), text);
    }
    add(
        POLICY_FILE,
        "the policy for jwtcheck check (roles and session variables)".into(),
        engine::policy_text(c),
    );
    let listed: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.name.clone(), f.holds.clone()))
        .chain(std::iter::once((
            GUIDE_FILE.to_string(),
            "these steps".to_string(),
        )))
        .collect();
    let guide = guide::text(c, &listed, &advice);
    files.push(File {
        name: GUIDE_FILE.into(),
        holds: "the AWS CLI steps, Hasura's environment and the jwtcheck check line".into(),
        text: guide,
    });
    Ok(Generated { advice, files })
}
