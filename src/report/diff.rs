//! `diff`'s report: two tokens compared for what they mean (`inspect::diff` computes it), and
//! its JSON form with each side's whole report.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{Report, Verdict};

/// `diff`'s JSON report: the comparison, and each side's whole report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DiffReport {
    /// The report format's version.
    pub schema: u32,
    /// The comparison.
    #[serde(flatten)]
    pub diff: TokenDiff,
    /// Each side's report.
    pub reports: DiffReports,
}

/// The two sides' reports of a `diff`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DiffReports {
    /// Token A's.
    pub a: Report,
    /// Token B's.
    pub b: Report,
}

/// Which part of the tokens a change is in, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The verdicts.
    Verdict,
    /// The Hasura claims and session, as the engine reads them.
    Hasura,
    /// Issuer, audience, app client, token kind, pool.
    Issuer,
    /// `alg`, `kid`, `typ`, and other header parameters.
    Header,
    /// The other claims.
    Claims,
    /// Lifetime, `iat` and `auth_time`, expiry now.
    Times,
}

/// What happened to a value from A to B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Only B has it.
    Added,
    /// Only A has it.
    Removed,
    /// Both have it, with different values of the same type.
    Changed,
    /// Both have it, of different types (an array that became a string, stringified JSON that
    /// became an object).
    TypeChanged,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Change {
    /// Where it is.
    pub section: Section,
    /// What differs: a header parameter, a claim (`outer › inner` inside objects), a fact.
    pub name: String,
    /// How.
    pub change: Kind,
    /// A's value (absent when A has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<Value>,
    /// B's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<Value>,
    /// What it means, when there is more to say than the values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One side's outcome, in short.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Outcome {
    /// The verdict (`unverified` when the tokens were only decoded).
    pub verdict: Verdict,
    /// Its main reason, in one line.
    pub summary: String,
    /// The role Hasura would run the request as, when it accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The first failing check's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TokenDiff {
    /// What matters most, in one line.
    pub summary: String,
    /// Whether both tokens were judged (keys or a Hasura configuration were given).
    pub judged: bool,
    /// Whether the verdicts are the same (always, when nothing was judged).
    pub same_verdict: bool,
    /// A's outcome.
    pub a: Outcome,
    /// B's outcome.
    pub b: Outcome,
    /// Every difference, most important first.
    pub changes: Vec<Change>,
}

impl TokenDiff {
    /// `diff`'s exit code: 0 when the verdicts agree, 1 when they differ.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.same_verdict)
    }
}
