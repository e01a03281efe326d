//! The proof: each sample user's token, shaped exactly as Cognito issues it once the generated
//! trigger has run (or, without one, as Cognito issues it bare), signed by a key made for the
//! run, and judged by the one judge under each generated configuration and the generated policy.
//! Keys come from memory: no network.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::choices::{Choices, Trigger};
use super::user::{self, Expected, User};
use crate::devkit::keypair::{self, Kind, SigningKey};
use crate::devkit::shape::{self, Ids, Placement, Session, Spec, TokenUse};
use crate::hasura::claims::{DEFAULT_NAMESPACE, Format};
use crate::hasura::v2::config::{ClaimsMap, MapValue, Namespace};
use crate::input::forms::Wrapper;
use crate::jose::jwk::{self, KeySet};
use crate::jose::select::Provenance;
use crate::judge::{self, KeyError, KeyProvider, Loaded};
use crate::report::{Id, ProofCase, Report, Status, Verdict};
use crate::settings::{KeySource, UsageError, VerifyConfig};

/// The key set of the run's key, handed to the judge for any key source or URL.
struct MemoryKeys(Arc<Loaded>);

impl KeyProvider for MemoryKeys {
    fn keys(
        &mut self,
        _source: &KeySource,
        _token_iss: Option<&str>,
        _fresh: bool,
    ) -> Result<Arc<Loaded>, KeyError> {
        Ok(self.0.clone())
    }

    fn key_set(&mut self, _url: &str, _fresh: bool) -> Result<Arc<Loaded>, KeyError> {
        Ok(self.0.clone())
    }

    fn may_refetch(&self) -> bool {
        false
    }
}

/// A generated configuration to judge under.
pub struct Engine<'a> {
    /// `v2` or `ddn`.
    pub name: &'static str,
    /// The configuration, as `verify --hasura-config FILE --policy policy.json` builds it.
    pub config: &'a VerifyConfig,
}

fn failed(e: impl std::fmt::Display) -> UsageError {
    UsageError::new(
        Id::SetupProof,
        format!("the proof could not make its key: {e}"),
        "the system's random source or crypto library failed; try again",
    )
}

/// The proof's signing key and the key set that publishes it, as the pool's `jwk_url` would.
fn key(c: &Choices) -> Result<(SigningKey, MemoryKeys), UsageError> {
    let pem = keypair::generate(Kind::Rs256).map_err(failed)?;
    let key = SigningKey::from_pem(&pem).map_err(failed)?;
    let doc = json!({ "keys": [key.jwk()] });
    let set: KeySet = jwk::parse_set(&doc).map_err(failed)?;
    let loaded = Loaded {
        set,
        provenance: Provenance::RemoteSet,
        source: c.pool.jwks_url(),
        fetched: Some("made in memory for the proof".into()),
        cached: false,
        http: None,
        issuer: None,
        notes: Vec::new(),
        raw: Some(Arc::new(doc)),
        duplicates: Vec::new(),
    };
    Ok((key, MemoryKeys(Arc::new(loaded))))
}

/// Judges every sample user's token under every engine's configuration at `now`.
pub fn run(c: &Choices, engines: &[Engine<'_>], now: f64) -> Result<Vec<ProofCase>, UsageError> {
    let (key, mut provider) = key(c)?;
    let mut cases = Vec::new();
    for u in user::samples(c) {
        let expected = user::expected(c, &u);
        let token = match &expected {
            Expected::NoToken(_) => None,
            _ => Some(
                crate::devkit::sign_claims(claims(c, &u, &expected, now), &key).map_err(failed)?,
            ),
        };
        for engine in engines {
            cases.push(judge_one(
                c,
                &u,
                &expected,
                token.as_deref(),
                engine,
                &mut provider,
                now,
            ));
        }
    }
    Ok(cases)
}

fn judge_one(
    c: &Choices,
    u: &User,
    expected: &Expected,
    token: Option<&str>,
    engine: &Engine<'_>,
    provider: &mut MemoryKeys,
    now: f64,
) -> ProofCase {
    let mut case = ProofCase {
        case: u.case.clone(),
        engine: engine.name.to_string(),
        token_use: c.token_name().to_string(),
        expected: match expected {
            Expected::Accepted(_) => "accepted",
            Expected::NoToken(_) => "no_token",
            Expected::Refused(_) => "refused",
        }
        .to_string(),
        verdict: "no_token".into(),
        pass: false,
        role: None,
        allowed_roles: None,
        session_variables: Map::new(),
        message: None,
    };
    let Some(token) = token else {
        case.pass = true;
        if let Expected::NoToken(why) = expected {
            case.message = Some(why.clone());
        }
        return case;
    };
    let mut report = Report::new(now);
    let wrapper = Wrapper::Bearer {
        scheme: "Bearer".into(),
    };
    judge::judge(token, &wrapper, engine.config, provider, now, &mut report);
    case.verdict = verdict_name(report.verdict).into();
    if let Some(h) = &report.hasura {
        case.role = h.role.clone();
        case.allowed_roles = h.allowed_roles.clone();
        case.session_variables = h.session_variables.clone();
    }
    let problem = first_problem(&report);
    match expected {
        Expected::Accepted(session) => {
            let mismatch = mismatch(session, &case);
            case.pass = report.verdict == Verdict::Valid && mismatch.is_none();
            case.message = match (report.verdict, mismatch) {
                (Verdict::Valid, None) => None,
                (Verdict::Valid, Some(m)) => Some(m),
                _ => problem,
            };
        }
        Expected::Refused(why) => {
            case.pass = report.verdict == Verdict::Invalid;
            case.message = Some(match problem {
                Some(p) if case.pass => format!("{why}: {p}"),
                Some(p) => p,
                None => format!("accepted, but {why}"),
            });
        }
        Expected::NoToken(_) => {}
    }
    case
}

/// The first failing check, or what ended the run.
fn first_problem(report: &Report) -> Option<String> {
    report
        .checks
        .iter()
        .find(|ch| ch.status == Status::Fail)
        .map(|ch| format!("{}: {}", ch.id.as_str(), ch.message))
        .or_else(|| report.error.as_ref().map(|e| e.message.clone()))
}

/// How the accepted session differs from the expected one.
fn mismatch(expected: &Session, got: &ProofCase) -> Option<String> {
    if got.role.as_deref() != Some(expected.default_role.as_str()) {
        return Some(format!(
            "runs as {}, not {}",
            got.role.as_deref().unwrap_or("no role"),
            expected.default_role
        ));
    }
    if got.allowed_roles.as_ref() != Some(&expected.roles) {
        return Some(format!(
            "allowed roles {:?}, not {:?}",
            got.allowed_roles.clone().unwrap_or_default(),
            expected.roles
        ));
    }
    for (name, value) in &expected.variables {
        let found = got
            .session_variables
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        if found.and_then(Value::as_str) != Some(value.as_str()) {
            return Some(format!("{name} is {found:?}, not {value:?}"));
        }
    }
    None
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Valid => "valid",
        Verdict::Invalid => "invalid",
        Verdict::Undecidable => "undecidable",
        Verdict::Malformed => "malformed",
        Verdict::UsageError => "usage_error",
        Verdict::Unverified => "unverified",
        Verdict::Done => "done",
    }
}

/// The token's claims as Cognito issues them for the user: its own claims (groups, attributes in
/// the id token), and what the trigger adds.
fn claims(c: &Choices, u: &User, expected: &Expected, now: f64) -> Map<String, Value> {
    let session = match expected {
        Expected::Accepted(s) => s.clone(),
        _ => Session {
            roles: Vec::new(),
            default_role: c.default_role.clone(),
            variables: Vec::new(),
        },
    };
    let placement = match c.trigger {
        Trigger::None => Placement::Map(ClaimsMap {
            allowed_roles: MapValue::Static(Vec::new()),
            default_role: MapValue::Static(String::new()),
            others: Vec::new(),
        }),
        Trigger::V1 => Placement::Namespace {
            ns: Namespace::Key(DEFAULT_NAMESPACE.into()),
            format: Format::StringifiedJson,
        },
        Trigger::V2 | Trigger::V3 => Placement::Namespace {
            ns: Namespace::Key(DEFAULT_NAMESPACE.into()),
            format: Format::Json,
        },
    };
    let mut extra: Vec<(String, Value)> = Vec::new();
    if !u.groups.is_empty() {
        extra.push(("cognito:groups".into(), json!(u.groups)));
    }
    match c.token {
        TokenUse::Id => {
            extra.push(("cognito:username".into(), u.username.clone().into()));
            for (name, value) in &u.attributes {
                extra.push((name.clone(), value.clone().into()));
            }
        }
        TokenUse::Access => {
            extra.push(("username".into(), u.username.clone().into()));
            if c.trigger != Trigger::None {
                extra.push(("aud".into(), c.client_id.clone().into()));
            }
        }
    }
    let id = |n: u8| format!("0e6b2f4a-5c1d-4f7e-8a9b-3c2d1e0f4a{n:02}");
    let spec = Spec {
        issuer: c.pool.issuer(),
        client_id: c.client_id.clone(),
        token_use: c.token,
        user_id: u.sub.clone(),
        session,
        placement,
        issued_at: now.floor() as i64,
        lifetime: 3_600,
        ids: Ids {
            jti: id(1),
            origin_jti: id(2),
            event_id: id(3),
        },
        extra,
    };
    // A placement of literals and a namespace key cannot fail.
    shape::claims(&spec).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::VerifyArgs;
    use crate::cognito::Pool;
    use crate::setup::choices::{Engines, Given, NoRole, resolve};

    fn choices(trigger: Trigger) -> Choices {
        resolve(Given {
            pool: Pool::parse("eu-west-1_AbC123").unwrap(),
            client_id: "4l1h8mfsl2jt8ovcbvda5sqvd0".into(),
            roles_from: "groups".into(),
            default_role: None,
            no_role: NoRole::Deny,
            user_id_from: "sub".into(),
            session: vec![("x-hasura-org-id".into(), "attribute:custom:org".into())],
            token: TokenUse::Id,
            trigger: Some(trigger),
            hasura: Engines::V2,
            runtime: None,
        })
        .unwrap()
    }

    fn config(text: &str, policy: &str) -> VerifyConfig {
        let args = VerifyArgs::from_flags([format!("--hasura-config={text}")]).unwrap();
        let mut c =
            crate::cli::options::verify_config(&args, crate::input::DEFAULT_MAX_INPUT, &|_| None)
                .unwrap();
        c.policy = crate::policy::parse(policy).unwrap();
        c
    }

    const NOW: f64 = 1_795_512_600.0;

    #[test]
    fn the_generated_configuration_passes_its_proof() {
        for trigger in [Trigger::V1, Trigger::V2, Trigger::None] {
            let c = choices(trigger);
            let cfg = config(
                &super::super::engine::v2_text(&c),
                &super::super::engine::policy_text(&c),
            );
            let cases = run(
                &c,
                &[Engine {
                    name: "v2",
                    config: &cfg,
                }],
                NOW,
            )
            .unwrap();
            assert_eq!(cases.len(), 3);
            assert!(cases.iter().all(|p| p.pass), "{trigger:?}: {cases:#?}");
            let denied = cases
                .iter()
                .find(|p| p.case == "a user in no group")
                .unwrap();
            let want = if trigger == Trigger::None {
                "refused"
            } else {
                "no_token"
            };
            assert_eq!(denied.expected, want);
        }
    }

    #[test]
    fn a_configuration_that_does_not_fit_the_trigger_fails_the_proof() {
        // V1 writes a string: a configuration expecting a JSON object refuses every token.
        let c = choices(Trigger::V1);
        let wrong = super::super::engine::v2_text(&c).replace("stringified_json", "json");
        let cfg = config(&wrong, "{}");
        let cases = run(
            &c,
            &[Engine {
                name: "v2",
                config: &cfg,
            }],
            NOW,
        )
        .unwrap();
        let accepted: Vec<&ProofCase> = cases.iter().filter(|p| p.expected == "accepted").collect();
        assert!(!accepted.is_empty());
        for p in accepted {
            assert!(!p.pass, "{p:#?}");
            assert_eq!(p.verdict, "invalid");
            assert!(
                p.message.as_deref().unwrap().starts_with("hasura.format"),
                "{p:#?}"
            );
        }
    }
}
