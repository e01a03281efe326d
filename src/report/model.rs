//! The one result every command produces, rendered as text or JSON: a verdict, the checks that
//! led to it (stable ids, pass/warn/fail/skip, a hint for each problem), and the evidence.
//!
//! Pure data plus small helpers; no I/O.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::Id;

/// The answer, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Verified and every check passed (exit 0).
    Valid,
    /// Decoded, signature not checked (`decode`, `from-url --decode`; exit 0).
    Unverified,
    /// At least one check failed (exit 1).
    Invalid,
    /// Bad flags, unreadable files, unusable configuration (exit 2).
    UsageError,
    /// What the judgement needs could not be obtained: the keys, or (`login`, the code
    /// exchange) the token itself (exit 3).
    Undecidable,
    /// Not a compact JWS, or a callback with no token (exit 4).
    Malformed,
    /// A command that makes or serves something did it (`keygen`, `serve-keys`, `mint` without a
    /// Hasura configuration; exit 0): nothing was judged.
    Done,
}

impl Verdict {
    /// The process exit code for this verdict (DESIGN.md §2).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Valid | Verdict::Unverified | Verdict::Done => 0,
            Verdict::Invalid => 1,
            Verdict::UsageError => 2,
            Verdict::Undecidable => 3,
            Verdict::Malformed => 4,
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked and fine.
    Pass,
    /// Not checked (and why is in the message).
    Skip,
    /// Fine for the verdict, but worth knowing.
    Warn,
    /// Fails the token.
    Fail,
}

/// One check: a stable id (the book lists them), its status, a one-line message, and a hint for
/// anything that is not a pass.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Check {
    /// Stable id from the catalogue: `exp`, `signature`, `hasura.default_role`, …
    pub id: Id,
    /// Pass, warn, fail or skip.
    pub status: Status,
    /// What was found, in one line.
    pub message: Text,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
}

/// A check's words: most hints (and many messages) are fixed text, held without a copy, so a
/// batch of 100,000 tokens does not allocate each of them 100,000 times.
pub type Text = std::borrow::Cow<'static, str>;

impl Check {
    /// A check with no hint.
    pub fn new(id: Id, status: Status, message: impl Into<Text>) -> Check {
        Check {
            id,
            status,
            message: message.into(),
            hint: None,
        }
    }

    /// A passing check.
    pub fn pass(id: Id, message: impl Into<Text>) -> Check {
        Check::new(id, Status::Pass, message)
    }

    /// A failing check with a hint.
    pub fn fail(id: Id, message: impl Into<Text>, hint: impl Into<Text>) -> Check {
        Check::new(id, Status::Fail, message).with_hint(hint)
    }

    /// A warning with a hint.
    pub fn warn(id: Id, message: impl Into<Text>, hint: impl Into<Text>) -> Check {
        Check::new(id, Status::Warn, message).with_hint(hint)
    }

    /// A skipped check (the message says why).
    pub fn skip(id: Id, message: impl Into<Text>) -> Check {
        Check::new(id, Status::Skip, message)
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<Text>) -> Check {
        self.hint = Some(hint.into());
        self
    }
}

/// An error that ended the run before a verdict on the token (usage, keys, malformed input).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Problem {
    /// Stable id from the catalogue, e.g. `input.too_large`, `fetch.timeout`, `token.base64`.
    pub id: Id,
    /// One line.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// One row of the claims table: a claim, its value as shown, and what it means.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ClaimRow {
    /// The claim name.
    pub name: String,
    /// The value as shown (times with UTC and relative forms).
    pub value: String,
    /// What the claim means.
    // Fixed text, not copied for every token of a batch.
    pub meaning: Text,
}

/// A number of seconds as the JSON report writes it: an integer when the value is integral
/// (`1795512600`, never `1795512600.0`), else a decimal; a claim's time keeps the token's own
/// number text where a float would change it (`179551440000000000000000000000`, `1e400`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Seconds(serde_json::Number);

/// Integers up to this size are exact in an f64 (2^53).
const EXACT_IN_F64: f64 = 9_007_199_254_740_992.0;

impl Seconds {
    /// A computed number of seconds.
    pub fn of(value: f64) -> Seconds {
        if value.fract() == 0.0 && value.abs() <= EXACT_IN_F64 {
            // Integral and exact: the cast neither rounds nor saturates.
            #[allow(clippy::cast_possible_truncation)]
            return Seconds(serde_json::Number::from(value as i64));
        }
        Seconds(serde_json::Number::from_f64(value).unwrap_or_else(|| 0.into()))
    }

    /// A number as the token wrote it: an integer when it is one (`1795512600.0` included),
    /// else the token's own text.
    pub fn claim(n: &serde_json::Number) -> Seconds {
        if let Some(i) = n.as_i64() {
            return Seconds(i.into());
        }
        match n.as_f64() {
            Some(v) if v.fract() == 0.0 && v.abs() <= EXACT_IN_F64 => Seconds::of(v),
            _ => Seconds(n.clone()),
        }
    }

    /// The difference `a − b` of two numbers a token wrote, without the float's noise: exact
    /// for integers, else rounded to the decimals the two texts carry (`1795514400.999 −
    /// 1795510800` is `3600.999`, not `3600.9990000724792`).
    pub fn difference(a: &serde_json::Number, b: &serde_json::Number) -> Option<Seconds> {
        if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
            return a.checked_sub(b).map(|d| Seconds(d.into()));
        }
        let d = a.as_f64()? - b.as_f64()?;
        let places = decimals(a).max(decimals(b));
        let Some(places) = places else {
            return Some(Seconds::of(d));
        };
        let scale = 10f64.powi(i32::try_from(places).unwrap_or(0));
        Some(Seconds::of((d * scale).round() / scale))
    }

    /// The value as a float, for computing and for text.
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }
}

/// How many decimals a number's text carries (`None`: an exponent, or more than 9, where
/// rounding to them would not help).
fn decimals(n: &serde_json::Number) -> Option<usize> {
    let text = n.to_string();
    if text.contains(['e', 'E']) {
        return None;
    }
    let places = text.split_once('.').map_or(0, |(_, f)| f.len());
    (places <= 9).then_some(places)
}

impl JsonSchema for Seconds {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Seconds".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "Seconds: an integer when the value is integral; a claim's time keeps the token's own number text where a float would change it."
        })
    }
}

/// `Option<f64>` seconds written as [`Seconds`].
fn seconds_opt<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    v.map(Seconds::of).serialize(s)
}

/// A point in time as shown to people and machines.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Moment {
    /// Seconds since the epoch.
    pub unix: Seconds,
    /// RFC 3339 UTC, when representable.
    pub utc: Option<String>,
    /// Relative to the report's clock: `in 42m`, `3h 12m ago`.
    pub relative: String,
}

/// A time claim and when it is.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TimedClaim {
    /// The claim name.
    pub claim: Text,
    /// Its value.
    #[serde(flatten)]
    pub at: Moment,
}

/// A token's header or claims as the report shows them: the decoded token's own object, shared
/// rather than copied (`None`: null, a payload that is not an object). Written and described
/// as the JSON value it holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shared(pub Option<std::sync::Arc<serde_json::Map<String, Value>>>);

impl Shared {
    /// The member `name`, when this is an object that has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.as_ref()?.get(name)
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(m) => m.serialize(s),
            None => s.serialize_none(),
        }
    }
}

impl JsonSchema for Shared {
    fn inline_schema() -> bool {
        <Value as JsonSchema>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Value as JsonSchema>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Value as JsonSchema>::json_schema(generator)
    }
}

/// The decoded token.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TokenInfo {
    /// The header, members in the token's order.
    pub header: Shared,
    /// The payload as JSON (null when it is not a JSON object).
    pub payload: Shared,
    /// The payload as text when it is not a JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_text: Option<String>,
    /// `id` or `access` (Cognito `token_use`, or inferred), else null.
    pub kind: Option<String>,
    /// `iat`, `auth_time`, `nbf`, `exp` when they are numbers.
    pub times: Vec<TimedClaim>,
    /// `exp − iat` in seconds.
    pub lifetime: Option<Seconds>,
    /// The claims table.
    pub claims: Vec<ClaimRow>,
    /// Size of the signature in bytes.
    pub signature_bytes: usize,
}

/// The key that verified (or was selected for) the token.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KeyInfo {
    /// Where the key came from: a URL, a file, `--secret-env NAME`, …
    pub source: String,
    /// Network, cache (with age) or local.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// The key id.
    pub kid: Option<String>,
    /// RSA, EC, OKP, oct.
    pub kty: Text,
    /// The algorithm used.
    pub alg: Option<Text>,
    /// RSA modulus or HMAC key size in bits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<usize>,
    /// EC/OKP curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<Text>,
    /// RFC 7638 thumbprint (SHA-256, base64url) for public keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbprint: Option<String>,
}

/// Where the keys came from, whether or not one of them was used.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KeySourceInfo {
    /// A URL, a path, `--secret-env NAME`, …
    pub source: String,
    /// Network or cache, and age.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
}

/// One key of a key set, as `jwks` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct JwkRow {
    /// Position in the set.
    pub index: usize,
    /// `kid`.
    pub kid: Option<String>,
    /// `kty`.
    pub kty: Option<String>,
    /// `alg`.
    pub alg: Option<String>,
    /// `use`.
    #[serde(rename = "use")]
    pub use_: Option<String>,
    /// RSA bits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<usize>,
    /// EC/OKP curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// RFC 7638 thumbprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbprint: Option<String>,
    /// Why jwtcheck cannot use it, if it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unusable: Option<String>,
}

/// A key set and how its server serves it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KeySetInfo {
    /// URL or path.
    pub source: String,
    /// Network or cache, and age.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// The caching headers the server sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<crate::http::CacheHeaders>,
    /// What those headers mean for a verifier's cache and for Hasura's refresh.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caching: Vec<String>,
    /// The keys.
    pub keys: Vec<JwkRow>,
}

/// What the Hasura claims say (and, with a configuration, what the engine would do).
#[derive(Debug, Clone, PartialEq, Serialize, Default, JsonSchema)]
pub struct HasuraInfo {
    /// `ddn` when Hasura DDN's engine judged the token (absent: v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// Where the claims were looked for: a namespace, a path, or `claims_map`.
    pub location: String,
    /// Whether they were found there.
    pub found: bool,
    /// `json` or `stringified_json`, as found in the token.
    pub claims_format: Option<String>,
    /// `x-hasura-allowed-roles`.
    pub allowed_roles: Option<Vec<String>>,
    /// `x-hasura-default-role`.
    pub default_role: Option<String>,
    /// The role the request would run as (requested or default), when the engine accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Session variables (lower-cased names) as the engine passes them to permissions.
    pub session_variables: serde_json::Map<String, Value>,
    /// The message the engine would return.
    pub engine_error: Option<String>,
    /// Its error code (`invalid-jwt`, `jwt-invalid-claims`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_code: Option<String>,
    /// The whole response body the engine would send on `/v1/graphql`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_response: Option<String>,
}

/// Where in the URL a parameter was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// After `?`.
    Query,
    /// After `#`.
    Fragment,
}

/// What kind of callback this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// Tokens in the fragment.
    Implicit,
    /// A code to exchange at the token endpoint.
    Code,
    /// The authorization server reported an error.
    Error,
    /// Nothing recognisable.
    Empty,
}

/// One parameter of a callback URL.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CallbackParam {
    /// Its name.
    pub name: String,
    /// Its value as shown (tokens shortened).
    pub value: String,
    /// Query or fragment.
    pub part: Part,
}

/// What a callback URL held.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CallbackInfo {
    /// implicit, code, error or empty.
    pub grant: Grant,
    /// The URL without query and fragment.
    pub redirect_uri: String,
    /// The parameters, values as shown (tokens shortened).
    pub params: Vec<CallbackParam>,
    /// Which token was taken: `id_token` or `access_token`.
    pub selected: Option<String>,
}

/// A file a command wrote.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WrittenFile {
    /// Its path.
    pub path: String,
    /// What it holds.
    pub holds: String,
}

/// What a dev kit command made or served (`keygen`, `serve-keys`).
#[derive(Debug, Clone, PartialEq, Serialize, Default, JsonSchema)]
pub struct DevKitInfo {
    /// The files written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<WrittenFile>,
    /// The served key set's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// The served discovery document's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery_uri: Option<String>,
    /// The `HASURA_GRAPHQL_JWT_SECRET` value that points Hasura at the served keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hasura_jwt_secret: Option<String>,
    /// How many requests were answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<usize>,
    /// Commands to run next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<String>,
}

/// What `hasura-config --json` prints: a JWT configuration translated between Hasura v2 and
/// Hasura DDN, and what the translation cannot carry over.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ConfigTranslation {
    /// The JSON report's shape version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// The form translated to: `ddn` (an AuthConfig) or `v2` (`HASURA_GRAPHQL_JWT_SECRET`).
    pub to: String,
    /// The configuration in that form.
    pub config: Value,
    /// What could not be carried over: the translation is not equivalent there.
    pub lost: Vec<String>,
    /// Behaviours that differ between the engines even where the fields translate.
    pub differences: Vec<String>,
}

/// The version of the JSON report's shape; it changes when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one run found.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// The JSON report's shape version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// The input line the token came from (`verify --batch`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Whether the report gathers the evidence only the full output shows (the decoded token,
    /// claim descriptions, key thumbprints); `verify --batch` in text prints one line per token
    /// and leaves it out. Checks and verdicts are the same either way.
    #[serde(skip)]
    pub evidence: bool,
    /// The answer.
    pub verdict: Verdict,
    /// The main reason, in one line (the human output's first line says it).
    pub summary: String,
    /// What ended the run early, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    /// The clock the time checks used.
    pub now: Moment,
    /// The leeway applied to time checks, in seconds (None where nothing was checked).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "seconds_opt"
    )]
    #[schemars(with = "Option<Seconds>")]
    pub leeway: Option<f64>,
    /// The decoded token.
    pub token: Option<TokenInfo>,
    /// The key that was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyInfo>,
    /// Where the keys came from (also when none was selected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_source: Option<KeySourceInfo>,
    /// The key set, for `jwks`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyset: Option<KeySetInfo>,
    /// Every check, in the order they were made.
    pub checks: Vec<Check>,
    /// Hasura claims and the engine's view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hasura: Option<HasuraInfo>,
    /// The callback URL, for `from-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<CallbackInfo>,
    /// What `keygen` wrote or `serve-keys` served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub devkit: Option<DevKitInfo>,
}

impl Report {
    /// An empty report at `now`, to be filled in.
    pub fn new(now: f64) -> Report {
        Report {
            schema: SCHEMA_VERSION,
            line: None,
            evidence: true,
            verdict: Verdict::Unverified,
            summary: String::new(),
            error: None,
            now: moment(now, now),
            leeway: None,
            token: None,
            key: None,
            key_source: None,
            keyset: None,
            checks: Vec::new(),
            hasura: None,
            callback: None,
            devkit: None,
        }
    }

    /// Empties the report for the next token of a batch at the same clock, keeping the
    /// buffers it grew (a batch reuses one report per worker rather than allocating one per
    /// token). Every field is named, so a field added later cannot leak from one token to the
    /// next.
    pub fn reset(&mut self) {
        let Report {
            schema,
            line,
            evidence: _,
            verdict,
            summary,
            error,
            now: _,
            leeway,
            token,
            key,
            key_source,
            keyset,
            checks,
            hasura,
            callback,
            devkit,
        } = self;
        *schema = SCHEMA_VERSION;
        *line = None;
        *verdict = Verdict::Unverified;
        summary.clear();
        *error = None;
        *leeway = None;
        *token = None;
        *key = None;
        *key_source = None;
        *keyset = None;
        checks.clear();
        *hasura = None;
        *callback = None;
        *devkit = None;
    }

    /// The first failing check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == Status::Fail)
    }

    /// The failing check the verdict is about: the one whose message the summary gives (the
    /// engine's answer, when it refused the request before reading the token), else the first.
    pub fn deciding_failure(&self) -> Option<&Check> {
        let failing = || self.checks.iter().filter(|c| c.status == Status::Fail);
        failing()
            .find(|c| !c.message.is_empty() && self.summary.ends_with(&*c.message))
            .or_else(|| failing().next())
    }

    /// Whether any check failed.
    pub fn failed(&self) -> bool {
        self.first_failure().is_some()
    }

    /// Ends the run with a problem and a verdict (usage error, undecidable, malformed).
    pub fn stop(&mut self, verdict: Verdict, id: Id, message: String, hint: String) {
        self.verdict = verdict;
        self.summary = message.clone();
        self.error = Some(Problem { id, message, hint });
    }
}

/// The report for a command line that does not parse (for `--json`: stdout still gets one
/// JSON document).
pub fn usage_report(message: &str, now: f64) -> Report {
    let mut r = Report::new(now);
    let (tips, first): (Vec<&str>, Vec<&str>) = message
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(|l| l.trim().trim_start_matches("error: "))
        .filter(|l| !l.is_empty())
        .partition(|l| l.starts_with("tip: "));
    // clap's suggestion ("a similar argument exists: '--jwks'") is the hint.
    let mut hint: Vec<&str> = tips.iter().map(|t| t.trim_start_matches("tip: ")).collect();
    hint.push("run jwtcheck --help (or jwtcheck <command> --help)");
    r.stop(
        Verdict::UsageError,
        Id::UsageArguments,
        first.join(" "),
        hint.join("; "),
    );
    r
}

/// A moment relative to `now`.
pub fn moment(at: f64, now: f64) -> Moment {
    Moment {
        unix: Seconds::of(at),
        utc: crate::clock::rfc3339(at),
        relative: crate::clock::relative(at, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_report_is_a_new_one_at_the_same_clock() {
        let mut report = Report::new(1_795_512_600.0);
        report.evidence = false;
        report.line = Some(7);
        report.leeway = Some(30.0);
        report.stop(Verdict::Malformed, Id::Exp, "bad".into(), "fix it".into());
        report.reset();
        let mut fresh = Report::new(1_795_512_600.0);
        fresh.evidence = false;
        assert_eq!(report, fresh);
    }

    #[test]
    fn verdicts_map_to_the_documented_exit_codes() {
        assert_eq!(Verdict::Valid.exit_code(), 0);
        assert_eq!(Verdict::Unverified.exit_code(), 0);
        assert_eq!(Verdict::Done.exit_code(), 0);
        assert_eq!(Verdict::Invalid.exit_code(), 1);
        assert_eq!(Verdict::UsageError.exit_code(), 2);
        assert_eq!(Verdict::Undecidable.exit_code(), 3);
        assert_eq!(Verdict::Malformed.exit_code(), 4);
    }

    #[test]
    fn json_shape_has_the_design_fields() {
        let mut r = Report::new(0.0);
        r.checks
            .push(Check::fail(Id::Exp, "expired", "get a new token"));
        let v = serde_json::to_value(&r).unwrap();
        for k in ["verdict", "token", "checks"] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert_eq!(v["checks"][0]["status"], "fail");
        assert_eq!(v["checks"][0]["hint"], "get a new token");
    }
}

/// A group of checks in the `check` report (configuration, key set).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Section {
    /// What was checked: the configuration's source, the key set's URL.
    pub source: String,
    /// The findings.
    pub checks: Vec<Check>,
}

/// One sample token of `check`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TokenResult {
    /// `token #1 (@tokens.txt line 1)`.
    pub label: String,
    /// The file and line the token was read from, for annotations (not in the JSON report,
    /// where the label says it).
    #[serde(skip)]
    pub place: Option<(String, usize)>,
    /// The full report on it, as `verify` gives it.
    pub report: Report,
}

/// How many checks ended how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Counts {
    /// Passed.
    pub pass: usize,
    /// Warned.
    pub warn: usize,
    /// Failed.
    pub fail: usize,
}

/// The result of `jwtcheck check`: configuration lints, key set checks, token verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckReport {
    /// The JSON report's shape version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// The answer (valid: nothing failed).
    pub verdict: Verdict,
    /// The main reason, in one line.
    pub summary: String,
    /// What ended the run early, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    /// Whether warnings count as failures.
    pub strict: bool,
    /// Configuration findings.
    pub config: Section,
    /// Key set findings (absent when the configuration could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyset: Option<Section>,
    /// The key set itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<KeySetInfo>,
    /// One entry per sample token.
    pub tokens: Vec<TokenResult>,
    /// Totals over every check (a token counts as one check, its policy rules one each).
    pub counts: Counts,
}

/// One line of `jwks --watch --json`: what the watch saw at a time.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WatchEvent {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// `keys` (the first read), `change` or `error`.
    pub event: &'static str,
    /// What happened, in one line.
    pub message: String,
    /// The key set's kids now.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kids: Vec<String>,
    /// Kids that appeared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    /// Kids that went.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// When the engine of the Hasura configuration sees a new key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hasura: Option<String>,
}

/// What `setup` chose, wrote and proved.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SetupReport {
    /// The JSON report's shape version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// `valid`: every proof case came out as the choices say; `invalid`: one did not.
    pub verdict: Verdict,
    /// The main finding, in one line.
    pub summary: String,
    /// The choices, defaults filled in (`roles_from` → `groups`, …).
    pub choices: serde_json::Map<String, Value>,
    /// Which path the setup takes and why, and what breaks if a choice changes later.
    pub advice: Vec<String>,
    /// The files written (none without `--out`).
    pub files: Vec<WrittenFile>,
    /// Each sample user's token, judged under each generated configuration.
    pub proof: Vec<ProofCase>,
}

/// One proof case: a sample user's token under one engine's generated configuration.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProofCase {
    /// The user, e.g. "a user in no group".
    pub case: String,
    /// `v2` or `ddn`.
    pub engine: String,
    /// `id` or `access`.
    pub token_use: String,
    /// What the choices say must happen: `accepted`, `no_token` (the trigger fails the
    /// sign-in) or `refused`.
    pub expected: String,
    /// What happened: the judge's verdict on the token (`no_token` when none is issued).
    pub verdict: String,
    /// Whether that is what the choices say.
    pub pass: bool,
    /// The role the request runs as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `x-hasura-allowed-roles`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_roles: Option<Vec<String>>,
    /// The session variables the engine passes to permissions.
    pub session_variables: serde_json::Map<String, Value>,
    /// Why, when it was not accepted or not as expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What a command produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// decode, verify, from-url, jwks.
    Single(Box<Report>),
    /// check.
    Check(Box<CheckReport>),
    /// `login --print`, `mint`: the token goes alone to stdout (only when it passed, or, from a
    /// sign-in, when its keys could not be obtained: the report says so), the report to stderr.
    Printed {
        /// The report.
        report: Box<Report>,
        /// The token asked for.
        token: Option<String>,
        /// Whether the text report is only its verdict line, problems and warnings (`mint`:
        /// the token is the output, the report a note beside it).
        brief: bool,
    },
    /// A command that writes text of its own (a translated configuration): `stdout` as it is,
    /// `stderr` for notes.
    Written {
        /// What goes to standard output.
        stdout: String,
        /// What goes to standard error.
        stderr: String,
        /// The exit code.
        code: u8,
    },
    /// Text printed as it is, whatever the format (`explain`, `completions`, `man`, `schema`):
    /// the command succeeded.
    Text(String),
}

impl Outcome {
    /// The exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Single(r) => r.verdict.exit_code(),
            Outcome::Check(c) => c.verdict.exit_code(),
            Outcome::Printed { report, .. } => report.verdict.exit_code(),
            Outcome::Written { code, .. } => *code,
            Outcome::Text(_) => 0,
        }
    }
}
