//! `SETUP.md`: the steps that put the generated files to work: create the Lambda, attach it to
//! the pool, give Hasura its configuration, and prove a real token with `jwtcheck check` first.

use std::fmt::Write as _;

use super::choices::{Choices, Engines, Trigger};
use super::lambda;

/// The name the guide gives the Lambda.
const FUNCTION: &str = "hasura-pre-token-generation";

/// The guide's text; `files` names what was written, one `(name, what it holds)` per line.
pub fn text(c: &Choices, files: &[(String, String)], advice: &[String]) -> String {
    let mut out = String::new();
    intro(&mut out, c, files, advice);
    match (c.runtime, trigger_version(c.trigger)) {
        (Some(runtime), Some(version)) => trigger_steps(&mut out, c, runtime, version),
        _ => out.push_str(
            "## 1. No Lambda\n\nCognito's own claims carry the session: nothing to deploy on the Cognito side. Put the users in groups named after their Hasura roles (`aws cognito-idp admin-add-user-to-group`).\n\n",
        ),
    }
    hasura_step(&mut out, c);
    proof_step(&mut out, c);
    out
}

/// The title, why this path, and the files.
fn intro(out: &mut String, c: &Choices, files: &[(String, String)], advice: &[String]) {
    let _ = writeln!(
        out,
        "# Cognito → Hasura setup\n\nWritten by `jwtcheck setup` for user pool `{}` and app client `{}`; Hasura is sent the **{} token**.\n\n## Why this path\n",
        c.pool.id,
        c.client_id,
        c.token_name()
    );
    for a in advice {
        let _ = writeln!(out, "- {a}");
    }
    out.push_str("\n## Files\n\n");
    for (name, holds) in files {
        let _ = writeln!(out, "- `{name}`: {holds}");
    }
    out.push('\n');
}

/// Steps 1 and 2 with a trigger: create the Lambda, attach it to the pool.
fn trigger_steps(out: &mut String, c: &Choices, runtime: super::choices::Runtime, version: &str) {
    let region = &c.pool.region;
    let pool = &c.pool.id;
    let file = lambda::file_name(runtime);
    let _ = writeln!(
        out,
        "## 1. Create the Lambda\n\nReplace ACCOUNT_ID and the execution role with yours.\n\n```sh\nzip function.zip {file}"
    );
    let _ = writeln!(
        out,
        "aws lambda create-function --region {region} --function-name {FUNCTION} \\\n  --runtime {} --handler {} --zip-file fileb://function.zip \\\n  --role arn:aws:iam::ACCOUNT_ID:role/{FUNCTION}-role",
        lambda::runtime_id(runtime),
        lambda::handler_name(runtime)
    );
    let _ = writeln!(
        out,
        "aws lambda add-permission --region {region} --function-name {FUNCTION} \\\n  --statement-id cognito-{pool} --action lambda:InvokeFunction \\\n  --principal cognito-idp.amazonaws.com \\\n  --source-arn arn:aws:cognito-idp:{region}:ACCOUNT_ID:userpool/{pool}\n```\n"
    );
    out.push_str(
        "## 2. Attach it to the user pool\n\n`update-user-pool` resets every setting you leave out to its default: first read the pool's current settings (`aws cognito-idp describe-user-pool`) and pass the ones you keep, the other triggers in `--lambda-config` included.\n",
    );
    if c.trigger != Trigger::V1 {
        out.push_str(
            "\nEvent versions V2_0 and V3_0 need the pool on the Essentials or Plus feature plan.\n",
        );
    }
    let arn = format!("arn:aws:lambda:{region}:ACCOUNT_ID:function:{FUNCTION}");
    // AWS: "For new instances of pre token generation triggers, set LambdaArn" (of
    // PreTokenGenerationConfig, which also names the event version), V1_0 included.
    let config = format!(
        "'{{\"PreTokenGenerationConfig\":{{\"LambdaArn\":\"{arn}\",\"LambdaVersion\":\"{version}\"}}}}'"
    );
    let _ = writeln!(
        out,
        "\n```sh\naws cognito-idp update-user-pool --region {region} --user-pool-id {pool} \\\n  --lambda-config {config}\n```\n"
    );
}

/// Step 3: the configuration Hasura is given.
fn hasura_step(out: &mut String, c: &Choices) {
    out.push_str("## 3. Configure Hasura\n\n");
    if c.hasura.v2() {
        out.push_str(
            "Hasura v2 (the value is the file's JSON):\n\n```sh\nexport HASURA_GRAPHQL_JWT_SECRET=\"$(cat hasura-jwt-secret.json)\"\n```\n\n",
        );
    }
    if c.hasura.ddn() {
        let _ = writeln!(
            out,
            "Hasura DDN: copy `auth-config.hml` to `globals/metadata/auth-config.hml`; the project's compatibility date should be {} or later, so that DDN checks the audience.\n",
            super::engine::DDN_COMPATIBILITY_DATE
        );
    }
}

/// Step 4: `jwtcheck check` on a real token before deploying.
fn proof_step(out: &mut String, c: &Choices) {
    let _ = writeln!(
        out,
        "## 4. Prove it before deploying\n\nSign in (e.g. `jwtcheck login`), save the {} token to `token.txt`, then:\n\n```sh",
        c.token_name()
    );
    if c.hasura.v2() {
        out.push_str("jwtcheck check --hasura-config @hasura-jwt-secret.json --token @token.txt --policy policy.json\n");
    }
    if c.hasura.ddn() {
        let _ = writeln!(
            out,
            "jwtcheck check --hasura-config @auth-config.hml --ddn-compatibility-date {} \\\n  --token @token.txt --policy policy.json",
            super::engine::DDN_COMPATIBILITY_DATE
        );
    }
    out.push_str("```\n");
    if c.hasura == Engines::Both {
        out.push_str(
            "\n`jwtcheck hasura-config @hasura-jwt-secret.json --to ddn` writes `auth-config.hml` again from the v2 file.\n",
        );
    }
}

fn trigger_version(t: Trigger) -> Option<&'static str> {
    match t {
        Trigger::V1 => Some("V1_0"),
        Trigger::None => None,
        other => other.lambda_version(),
    }
}
