//! `jwtcheck setup`: the choices judged, the advice, the files written (`--out`, never over an
//! existing file without `--force`), and the proof under the generated configurations.

use std::path::Path;

use serde_json::{Map, Value};

use super::Context;
use crate::cli::options::{self, UsageError, VerifyConfig};
use crate::cli::setup::SetupArgs;
use crate::cli::{TokenChoice, VerifyArgs};
use crate::devkit::shape::TokenUse;
use crate::report::{Id, Outcome, Report, SCHEMA_VERSION, SetupReport, Verdict, WrittenFile};
use crate::setup::choices::{self, Choices, Given, NoRole, RoleSource, UserIdSource};
use crate::setup::{self, Generated, engine, proof};

/// Runs `setup`.
pub fn run(args: &SetupArgs, json: bool, ctx: &Context<'_>) -> Outcome {
    match setup(args, ctx) {
        Ok(report) => {
            let code = report.verdict.exit_code();
            let stdout = if json {
                crate::render::json::render(&report)
            } else {
                crate::render::setup::text(&report)
            };
            Outcome::Written {
                stdout,
                stderr: String::new(),
                code,
            }
        }
        Err(e) => {
            let mut report = Report::new(ctx.now);
            report.stop(Verdict::UsageError, e.id, e.message, e.hint);
            Outcome::Single(Box::new(report))
        }
    }
}

fn setup(args: &SetupArgs, ctx: &Context<'_>) -> Result<SetupReport, UsageError> {
    let pool = options::cognito_pool(&args.cognito_pool)?;
    // `mint`'s reading of VAR=VALUE (x-hasura-* names, lower-cased; not the role claims).
    let session = crate::cli::devkit::session(&args.session)
        .map_err(|e| UsageError::new(Id::SetupChoice, e.message, e.hint))?;
    let choices = choices::resolve(Given {
        pool,
        client_id: args.client_id.clone(),
        roles_from: args.roles_from.clone(),
        default_role: args.default_role.clone(),
        no_role: args.no_role,
        user_id_from: args.user_id_from.clone(),
        session,
        token: match args.token {
            TokenChoice::Id => TokenUse::Id,
            TokenChoice::Access => TokenUse::Access,
        },
        trigger: args.trigger,
        hasura: args.hasura,
        runtime: args.lambda_runtime,
    })?;
    let generated = setup::generate(&choices)?;
    let files = match &args.out {
        Some(dir) => write(dir, &generated, args.force)?,
        None => Vec::new(),
    };
    let v2 = config(&generated, setup::V2_FILE, None)?;
    let ddn = config(
        &generated,
        setup::DDN_FILE,
        Some(engine::DDN_COMPATIBILITY_DATE),
    )?;
    let mut engines = Vec::new();
    if let Some(config) = &v2 {
        engines.push(proof::Engine { name: "v2", config });
    }
    if let Some(config) = &ddn {
        engines.push(proof::Engine {
            name: "ddn",
            config,
        });
    }
    let cases = proof::run(&choices, &engines, ctx.now)?;
    let failed = cases.iter().filter(|c| !c.pass).count();
    let (verdict, summary) = if failed == 0 {
        (
            Verdict::Valid,
            format!(
                "the setup works: {} proof case(s) came out as the choices say",
                cases.len()
            ),
        )
    } else {
        (
            Verdict::Invalid,
            format!(
                "{failed} of {} proof case(s) did not come out as the choices say (setup.proof): please report this with the command line",
                cases.len()
            ),
        )
    };
    Ok(SetupReport {
        schema: SCHEMA_VERSION,
        verdict,
        summary,
        choices: described(&choices),
        advice: generated.advice.clone(),
        files,
        proof: cases,
    })
}

/// The configuration `verify --hasura-config FILE --policy policy.json` builds from a generated
/// file (`None` when that engine was not chosen).
fn config(
    generated: &Generated,
    file: &str,
    ddn_date: Option<&str>,
) -> Result<Option<VerifyConfig>, UsageError> {
    let Some(text) = generated.text(file) else {
        return Ok(None);
    };
    let mut flags = vec![format!("--hasura-config={text}")];
    flags.extend(ddn_date.map(|d| format!("--ddn-compatibility-date={d}")));
    let args = VerifyArgs::from_flags(flags).map_err(|e| {
        UsageError::new(
            Id::SetupProof,
            format!("the generated configuration is not a flag value: {e}"),
            setup::BUG_HINT,
        )
    })?;
    // The environment plays no part: the configuration is the generated text.
    let mut config = options::verify_config(&args, crate::input::DEFAULT_MAX_INPUT, &|_| None)?;
    let policy = generated.text(setup::POLICY_FILE).unwrap_or("{}");
    config.policy = crate::policy::parse(policy).map_err(|e| {
        UsageError::new(
            Id::SetupProof,
            format!("the generated policy does not parse: {e}"),
            setup::BUG_HINT,
        )
    })?;
    // The generated configuration is given as text only here, not by the user: no note about it.
    config.notes.clear();
    Ok(Some(config))
}

/// Writes the files into `dir`: none when one is already there and `--force` is not given.
fn write(dir: &Path, generated: &Generated, force: bool) -> Result<Vec<WrittenFile>, UsageError> {
    if !force
        && let Some(existing) = generated
            .files
            .iter()
            .map(|f| dir.join(&f.name))
            .find(|p| p.exists())
    {
        return Err(UsageError::new(
            Id::SetupExists,
            format!("{} already exists", existing.display()),
            "pass --force to replace the files, or choose another --out",
        ));
    }
    let failed = |path: &Path, e: std::io::Error| {
        UsageError::new(
            Id::SetupWrite,
            format!("cannot write {}: {e}", path.display()),
            "check that the folder can be written",
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    let mut written = Vec::new();
    for f in &generated.files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.text).map_err(|e| failed(&path, e))?;
        written.push(WrittenFile {
            path: path.display().to_string(),
            holds: f.holds.clone(),
        });
    }
    Ok(written)
}

/// The choices, defaults filled in, as the flags spell them.
fn described(c: &Choices) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("cognito_pool", c.pool.id.clone().into());
    put("client_id", c.client_id.clone().into());
    put(
        "roles_from",
        match &c.roles {
            RoleSource::Groups => "groups".to_string(),
            RoleSource::Attribute(a) => format!("attribute:{a}"),
            RoleSource::Fixed(list) => format!("fixed:{}", list.join(",")),
        }
        .into(),
    );
    put("default_role", c.default_role.clone().into());
    put(
        "no_role",
        match c.no_role {
            NoRole::Default => "default",
            NoRole::Deny => "deny",
        }
        .into(),
    );
    put(
        "user_id_from",
        match &c.user_id {
            UserIdSource::Sub => "sub".to_string(),
            UserIdSource::Username => "username".to_string(),
            UserIdSource::Attribute(a) => format!("attribute:{a}"),
        }
        .into(),
    );
    let session: Map<String, Value> = c
        .session
        .iter()
        .map(|s| (s.name.clone(), format!("attribute:{}", s.attribute).into()))
        .collect();
    put("session", Value::Object(session));
    put("token", c.token_name().into());
    put("trigger", c.trigger.name().into());
    put(
        "hasura",
        match c.hasura {
            choices::Engines::V2 => "v2",
            choices::Engines::Ddn => "ddn",
            choices::Engines::Both => "both",
        }
        .into(),
    );
    put(
        "lambda_runtime",
        match c.runtime {
            Some(choices::Runtime::Nodejs) => "nodejs".into(),
            Some(choices::Runtime::Python) => "python".into(),
            None => Value::Null,
        },
    );
    m
}
