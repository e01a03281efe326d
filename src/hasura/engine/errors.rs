//! What the engine answers: its error codes and messages, and the run that keeps the first
//! failing step's error as the answer.

use super::*;

/// Whether session-variable names in messages are quoted (engine builds from commit 2e907f10
/// on) or not (every earlier release, and every test and user report seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Messages {
    /// `JWT claim does not contain x-hasura-allowed-roles`.
    #[default]
    Unquoted,
    /// `JWT claim does not contain "x-hasura-allowed-roles"`.
    Quoted,
}
impl Messages {
    pub(super) fn name(self, n: &str) -> String {
        match self {
            Messages::Unquoted => n.to_string(),
            Messages::Quoted => format!("\"{n}\""),
        }
    }
}

/// The error the engine returns: an error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// `invalid-jwt`, `jwt-invalid-claims`, `jwt-missing-role-claims`, `invalid-headers`,
    /// `access-denied`.
    pub code: &'static str,
    /// The message.
    pub message: String,
}
impl EngineError {
    /// The body the engine answers on `/v1/graphql` (HTTP 200).
    pub fn response(&self) -> String {
        serde_json::json!({"errors": [{"extensions": {"path": "$", "code": self.code}, "message": self.message}]})
            .to_string()
    }
}

pub(super) const INVALID_JWT: &str = "invalid-jwt";

pub(super) const INVALID_CLAIMS: &str = "jwt-invalid-claims";

pub(super) const MISSING_ROLE: &str = "jwt-missing-role-claims";

pub(super) struct Run {
    pub(super) checks: Vec<Check>,
    pub(super) error: Option<EngineError>,
}
impl Run {
    pub(super) fn fail(
        &mut self,
        id: Id,
        message: impl Into<String>,
        hint: impl Into<String>,
        code: &'static str,
        engine: impl Into<String>,
    ) {
        self.fail_with(Check::fail(id, message, hint), code, engine);
    }

    /// A failing check that is the engine's error when it is the first.
    pub(super) fn fail_with(
        &mut self,
        check: Check,
        code: &'static str,
        engine: impl Into<String>,
    ) {
        self.checks.push(check);
        if self.error.is_none() {
            self.error = Some(EngineError {
                code,
                message: engine.into(),
            });
        }
    }

    pub(super) fn push(&mut self, c: Check) {
        self.checks.push(c);
    }

    pub(super) fn failed(&self) -> bool {
        self.error.is_some()
    }
}
