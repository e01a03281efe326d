//! `SETUP.md`: the steps that put the generated files to work: create the Lambda, attach it to
//! the pool, give Hasura its configuration, and prove a real token with `jwtcheck check` first.

use super::choices::{Choices, Engines, Trigger};
use super::lambda;

/// The name the guide gives the Lambda.
const FUNCTION: &str = "hasura-pre-token-generation";

/// The guide's text; `files` names what was written, one `(name, what it holds)` per line.
pub fn text(c: &Choices, files: &[(String, String)], advice: &[String]) -> String {
    let mut out = String::new();
    let push = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    push(&mut out, "# Cognito → Hasura setup");
    push(&mut out, "");
    push(
        &mut out,
        &format!(
            "Written by `jwtcheck setup` for user pool `{}` and app client `{}`; Hasura is sent the **{} token**.",
            c.pool.id,
            c.client_id,
            c.token_name()
        ),
    );
    push(&mut out, "");
    push(&mut out, "## Why this path");
    push(&mut out, "");
    for a in advice {
        push(&mut out, &format!("- {a}"));
    }
    push(&mut out, "");
    push(&mut out, "## Files");
    push(&mut out, "");
    for (name, holds) in files {
        push(&mut out, &format!("- `{name}`: {holds}"));
    }
    push(&mut out, "");
    let region = &c.pool.region;
    let pool = &c.pool.id;
    if let (Some(runtime), Some(version)) = (c.runtime, trigger_version(c.trigger)) {
        let file = lambda::file_name(runtime);
        push(&mut out, "## 1. Create the Lambda");
        push(&mut out, "");
        push(
            &mut out,
            "Replace ACCOUNT_ID and the execution role with yours.",
        );
        push(&mut out, "");
        push(&mut out, "```sh");
        push(&mut out, &format!("zip function.zip {file}"));
        push(
            &mut out,
            &format!(
                "aws lambda create-function --region {region} --function-name {FUNCTION} \\\n  --runtime {} --handler {} --zip-file fileb://function.zip \\\n  --role arn:aws:iam::ACCOUNT_ID:role/{FUNCTION}-role",
                lambda::runtime_id(runtime),
                lambda::handler_name(runtime)
            ),
        );
        push(
            &mut out,
            &format!(
                "aws lambda add-permission --region {region} --function-name {FUNCTION} \\\n  --statement-id cognito-{pool} --action lambda:InvokeFunction \\\n  --principal cognito-idp.amazonaws.com \\\n  --source-arn arn:aws:cognito-idp:{region}:ACCOUNT_ID:userpool/{pool}"
            ),
        );
        push(&mut out, "```");
        push(&mut out, "");
        push(&mut out, "## 2. Attach it to the user pool");
        push(&mut out, "");
        push(
            &mut out,
            "`update-user-pool` resets every setting you leave out to its default: first read the pool's current settings (`aws cognito-idp describe-user-pool`) and pass the ones you keep, the other triggers in `--lambda-config` included.",
        );
        if c.trigger != Trigger::V1 {
            push(&mut out, "");
            push(
                &mut out,
                "Event versions V2_0 and V3_0 need the pool on the Essentials or Plus feature plan.",
            );
        }
        push(&mut out, "");
        push(&mut out, "```sh");
        let arn = format!("arn:aws:lambda:{region}:ACCOUNT_ID:function:{FUNCTION}");
        // AWS: "For new instances of pre token generation triggers, set LambdaArn" (of
        // PreTokenGenerationConfig, which also names the event version), V1_0 included.
        let config = format!(
            "'{{\"PreTokenGenerationConfig\":{{\"LambdaArn\":\"{arn}\",\"LambdaVersion\":\"{version}\"}}}}'"
        );
        push(
            &mut out,
            &format!(
                "aws cognito-idp update-user-pool --region {region} --user-pool-id {pool} \\\n  --lambda-config {config}"
            ),
        );
        push(&mut out, "```");
        push(&mut out, "");
    } else {
        push(&mut out, "## 1. No Lambda");
        push(&mut out, "");
        push(
            &mut out,
            "Cognito's own claims carry the session: nothing to deploy on the Cognito side. Put the users in groups named after their Hasura roles (`aws cognito-idp admin-add-user-to-group`).",
        );
        push(&mut out, "");
    }
    push(&mut out, "## 3. Configure Hasura");
    push(&mut out, "");
    if c.hasura.v2() {
        push(&mut out, "Hasura v2 (the value is the file's JSON):");
        push(&mut out, "");
        push(&mut out, "```sh");
        push(
            &mut out,
            "export HASURA_GRAPHQL_JWT_SECRET=\"$(cat hasura-jwt-secret.json)\"",
        );
        push(&mut out, "```");
        push(&mut out, "");
    }
    if c.hasura.ddn() {
        push(
            &mut out,
            &format!(
                "Hasura DDN: copy `auth-config.hml` to `globals/metadata/auth-config.hml`; the project's compatibility date should be {} or later, so that DDN checks the audience.",
                super::engine::DDN_COMPATIBILITY_DATE
            ),
        );
        push(&mut out, "");
    }
    push(&mut out, "## 4. Prove it before deploying");
    push(&mut out, "");
    push(
        &mut out,
        &format!(
            "Sign in (e.g. `jwtcheck login`), save the {} token to `token.txt`, then:",
            c.token_name()
        ),
    );
    push(&mut out, "");
    push(&mut out, "```sh");
    if c.hasura.v2() {
        push(
            &mut out,
            "jwtcheck check --hasura-config @hasura-jwt-secret.json --token @token.txt --policy policy.json",
        );
    }
    if c.hasura.ddn() {
        push(
            &mut out,
            &format!(
                "jwtcheck check --hasura-config @auth-config.hml --ddn-compatibility-date {} \\\n  --token @token.txt --policy policy.json",
                super::engine::DDN_COMPATIBILITY_DATE
            ),
        );
    }
    push(&mut out, "```");
    if c.hasura == Engines::Both {
        push(&mut out, "");
        push(
            &mut out,
            "`jwtcheck hasura-config @hasura-jwt-secret.json --to ddn` writes `auth-config.hml` again from the v2 file.",
        );
    }
    out
}

fn trigger_version(t: Trigger) -> Option<&'static str> {
    match t {
        Trigger::V1 => Some("V1_0"),
        Trigger::None => None,
        other => other.lambda_version(),
    }
}
