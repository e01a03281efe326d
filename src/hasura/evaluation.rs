//! What both engine models share: the request as an engine receives it, the evaluation they
//! return, the error an engine answers with, and the recorder of steps that keeps the first
//! failing step's answer.

use crate::input::forms::Wrapper;
use crate::report::{Check, HasuraInfo, Id, KeyInfo};

/// The request as the engine receives it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The token text.
    pub token: &'a str,
    /// How the user gave it (a header line tells where it is sent).
    pub wrapper: &'a Wrapper,
    /// The `x-hasura-role` request header.
    pub role: Option<&'a str>,
}

/// The engine's verdict and the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// One check per step.
    pub checks: Vec<Check>,
    /// The first failing step's error: what the engine returns.
    pub error: Option<EngineError>,
    /// Claims, roles and session.
    pub info: HasuraInfo,
    /// The key that verified the signature.
    pub key: Option<KeyInfo>,
    /// Set when jwtcheck cannot reproduce a step (an algorithm or key it cannot check).
    pub undecidable: Option<String>,
}

/// The error the engine returns: an error code (v2) or HTTP status (DDN), and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// v2: `invalid-jwt`, `jwt-invalid-claims`, `jwt-missing-role-claims`, `invalid-headers`,
    /// `access-denied`; DDN: the HTTP status, `400`, `401` or `500`.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

/// The checks so far, one per step, and the answer of the first step that failed: what the
/// engine returns. Each engine model records its steps here, with its own kind of answer.
#[derive(Debug)]
pub struct Steps<A> {
    /// One check per step, in the engine's order.
    pub checks: Vec<Check>,
    /// The first failing step's answer.
    pub answer: Option<A>,
}

impl<A> Default for Steps<A> {
    fn default() -> Self {
        Steps {
            checks: Vec::new(),
            answer: None,
        }
    }
}

impl<A> Steps<A> {
    /// A step that passed.
    pub fn pass(&mut self, id: Id, message: impl Into<crate::report::Text>) {
        self.checks.push(Check::pass(id, message));
    }

    /// A check that is not the engine's answer (a note, a warning, a skipped step).
    pub fn note(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// A failing step: its check, and its answer when it is the first to fail.
    pub fn fail(
        &mut self,
        id: Id,
        message: impl Into<crate::report::Text>,
        hint: impl Into<crate::report::Text>,
        answer: A,
    ) {
        self.fail_with(Check::fail(id, message, hint), answer);
    }

    /// A failing check made by the caller, and its answer when it is the first to fail.
    pub fn fail_with(&mut self, check: Check, answer: A) {
        self.checks.push(check);
        if self.answer.is_none() {
            self.answer = Some(answer);
        }
    }

    /// Whether a step has failed: the engine has its answer.
    pub fn failed(&self) -> bool {
        self.answer.is_some()
    }
}
