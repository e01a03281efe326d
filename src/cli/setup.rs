//! `setup`'s flags: the Cognito pool and app client, and the choices the generated setup is made
//! of (each has a default the output explains). `crate::setup::choices` judges them.

use std::path::PathBuf;

use clap::Args;

use super::TokenChoice;
use crate::setup::choices::{Engines, NoRole, Runtime, Trigger};

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "`setup`'s flags.")]
#[derive(Debug, Args, Clone)]
pub struct SetupArgs {
    /// The Cognito user pool (us-east-1_AbC123): its issuer and key set.
    #[arg(long, value_name = "POOL_ID")]
    pub cognito_pool: String,
    /// The app client whose tokens Hasura accepts.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// Where the roles come from: the user's Cognito groups, a user attribute holding
    /// comma-separated roles, or the same roles for everyone.
    #[arg(
        long,
        value_name = "groups|attribute:NAME|fixed:ROLE[,ROLE…]",
        default_value = "groups"
    )]
    pub roles_from: String,
    /// x-hasura-default-role: the role of a user who has it (else their first role), and of a user
    /// with no role at all (see --no-role) [default: the first fixed role, else user].
    #[arg(long, value_name = "ROLE")]
    pub default_role: Option<String>,
    /// What happens to a user with no role: give them the default role, or deny (the trigger
    /// fails the sign-in; without a trigger Hasura refuses the token).
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = NoRole::Default)]
    pub no_role: NoRole,
    /// Where x-hasura-user-id comes from: sub, the user name, or a user attribute.
    #[arg(
        long,
        value_name = "sub|username|attribute:NAME",
        default_value = "sub"
    )]
    pub user_id_from: String,
    /// Another session variable from a user attribute (repeatable), e.g.
    /// x-hasura-org-id=attribute:custom:org.
    #[arg(long = "session", value_name = "VAR=attribute:NAME")]
    pub session: Vec<String>,
    /// The token the app sends to Hasura.
    #[arg(long, value_enum, value_name = "KIND", default_value_t = TokenChoice::Id)]
    pub token: TokenChoice,
    /// The Pre Token Generation trigger's event version, or none (Hasura's claims_map reads
    /// Cognito's own claims) [default: v1 for the id token, v2 for the access token].
    #[arg(long, value_enum, value_name = "VERSION")]
    pub trigger: Option<Trigger>,
    /// Which Hasura the configuration is for: v2 (HASURA_GRAPHQL_JWT_SECRET), DDN (an
    /// AuthConfig), or both.
    #[arg(long, value_enum, value_name = "ENGINE", default_value_t = Engines::Both)]
    pub hasura: Engines,
    /// The trigger Lambda's runtime [default: nodejs].
    #[arg(long, value_enum, value_name = "RUNTIME")]
    pub lambda_runtime: Option<Runtime>,
    /// The folder to write the files into (made if missing); without it, only the advice and
    /// the proof are printed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace files the folder already holds.
    #[arg(long)]
    pub force: bool,
}
