//! What the engine answers: its error codes and messages, and the run that keeps the first
//! failing step's error as the answer.

use crate::hasura::evaluation::{EngineError, Steps};
use crate::report::{Check, Id};

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

/// The body the engine answers on `/v1/graphql` (HTTP 200) with this error.
pub fn response(error: &EngineError) -> String {
    serde_json::json!({"errors": [{"extensions": {"path": "$", "code": error.code}, "message": error.message}]})
        .to_string()
}

pub(super) const INVALID_JWT: &str = "invalid-jwt";

pub(super) const INVALID_CLAIMS: &str = "jwt-invalid-claims";

pub(super) const MISSING_ROLE: &str = "jwt-missing-role-claims";

/// The engine's steps so far (see [`Steps`]), its answer an error code and message.
pub(super) type V2Steps = Steps<EngineError>;

/// v2's failing steps name the engine's error code and message.
impl Steps<EngineError> {
    /// A failing step: its check, and the engine's error when it is the first to fail.
    pub(super) fn refuse(
        &mut self,
        id: Id,
        message: impl Into<crate::report::Text>,
        hint: impl Into<crate::report::Text>,
        code: &'static str,
        engine: impl Into<String>,
    ) {
        self.refuse_with(Check::fail(id, message, hint), code, engine);
    }

    /// A failing check made by the caller, and the engine's error when it is the first.
    pub(super) fn refuse_with(
        &mut self,
        check: Check,
        code: &'static str,
        engine: impl Into<String>,
    ) {
        self.fail_with(
            check,
            EngineError {
                code,
                message: engine.into(),
            },
        );
    }
}
