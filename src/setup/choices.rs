//! The choices a setup is made of, their defaults, and the combinations that cannot work:
//! each refusal names the choice to change.

use clap::ValueEnum;

use crate::cognito::Pool;
use crate::devkit::shape::TokenUse;
use crate::report::Id;
use crate::settings::UsageError;

/// The Pre Token Generation trigger's event version (`LambdaVersion`), or no trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Trigger {
    /// V1_0: the id token only, string claims only; every feature plan.
    V1,
    /// V2_0: id and access tokens, JSON claims; Essentials or Plus.
    V2,
    /// V3_0: as V2, and machine-to-machine access tokens; Essentials or Plus.
    V3,
    /// No trigger: Hasura's claims_map reads Cognito's own claims (cognito:groups).
    None,
}

impl Trigger {
    /// The name as the flag takes it.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::V1 => "v1",
            Trigger::V2 => "v2",
            Trigger::V3 => "v3",
            Trigger::None => "none",
        }
    }

    /// The `LambdaVersion` Cognito's API takes (`None` for V1's plain `PreTokenGeneration`).
    pub fn lambda_version(self) -> Option<&'static str> {
        match self {
            Trigger::V2 => Some("V2_0"),
            Trigger::V3 => Some("V3_0"),
            Trigger::V1 | Trigger::None => None,
        }
    }
}

/// Which Hasura the configuration is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engines {
    /// Hasura GraphQL Engine v2: `HASURA_GRAPHQL_JWT_SECRET`.
    V2,
    /// Hasura DDN: an AuthConfig.
    Ddn,
    /// Both.
    Both,
}

impl Engines {
    /// Whether v2's configuration is written.
    pub fn v2(self) -> bool {
        matches!(self, Engines::V2 | Engines::Both)
    }

    /// Whether DDN's AuthConfig is written.
    pub fn ddn(self) -> bool {
        matches!(self, Engines::Ddn | Engines::Both)
    }
}

/// The trigger Lambda's runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Runtime {
    /// Node.js (an ES module, `index.mjs`).
    Nodejs,
    /// Python (`lambda_function.py`).
    Python,
}

/// What a user with no role gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoRole {
    /// The default role.
    Default,
    /// Nothing: the trigger fails the sign-in (without a trigger, Hasura refuses the token).
    Deny,
}

/// Where the roles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleSource {
    /// The user's Cognito groups.
    Groups,
    /// A user attribute holding comma-separated roles.
    Attribute(String),
    /// The same roles for every user.
    Fixed(Vec<String>),
}

/// Where `x-hasura-user-id` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserIdSource {
    /// `sub`.
    Sub,
    /// The user name.
    Username,
    /// A user attribute.
    Attribute(String),
}

/// A session variable read from a user attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionVar {
    /// The `x-hasura-*` name, lower case.
    pub name: String,
    /// The user attribute, e.g. `custom:org`.
    pub attribute: String,
}

/// The choices as the flags gave them (the session variables already read as `VAR=VALUE`).
#[derive(Debug, Clone)]
pub struct Given {
    /// The pool.
    pub pool: Pool,
    /// The app client.
    pub client_id: String,
    /// `--roles-from`.
    pub roles_from: String,
    /// `--default-role`.
    pub default_role: Option<String>,
    /// `--no-role`.
    pub no_role: NoRole,
    /// `--user-id-from`.
    pub user_id_from: String,
    /// `--session VAR=VALUE` pairs.
    pub session: Vec<(String, String)>,
    /// `--token`.
    pub token: TokenUse,
    /// `--trigger`, when given.
    pub trigger: Option<Trigger>,
    /// `--hasura`.
    pub hasura: Engines,
    /// `--lambda-runtime`, when given.
    pub runtime: Option<Runtime>,
}

/// A setup's choices, defaults filled in, known to work together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    /// The pool.
    pub pool: Pool,
    /// The app client.
    pub client_id: String,
    /// Where the roles come from.
    pub roles: RoleSource,
    /// `x-hasura-default-role`.
    pub default_role: String,
    /// What a user with no role gets.
    pub no_role: NoRole,
    /// Where `x-hasura-user-id` comes from.
    pub user_id: UserIdSource,
    /// Other session variables.
    pub session: Vec<SessionVar>,
    /// The token Hasura is sent.
    pub token: TokenUse,
    /// The trigger.
    pub trigger: Trigger,
    /// The engines.
    pub hasura: Engines,
    /// The Lambda's runtime (`None` without a trigger).
    pub runtime: Option<Runtime>,
}

impl Choices {
    /// `id` or `access`.
    pub fn token_name(&self) -> &'static str {
        match self.token {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

fn refuse(message: impl Into<String>, hint: impl Into<String>) -> UsageError {
    UsageError::new(Id::SetupChoice, message, hint)
}

/// Fills in the defaults and refuses the combinations that cannot work.
pub fn resolve(given: Given) -> Result<Choices, UsageError> {
    let client_id = given.client_id.trim().to_string();
    if client_id.is_empty() || !client_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(refuse(
            format!("--client-id {:?} is not an app client id", given.client_id),
            "the app client id is on the pool's App clients page: letters and digits, e.g. 4l1h8mfsl2jt8ovcbvda5sqvd0",
        ));
    }
    let roles = role_source(&given.roles_from)?;
    let default_role = match (&given.default_role, &roles) {
        (Some(r), _) => role_name(r, "--default-role")?,
        (None, RoleSource::Fixed(list)) => list.first().cloned().unwrap_or_else(|| "user".into()),
        (None, _) => "user".to_string(),
    };
    if let RoleSource::Fixed(list) = &roles
        && !list.contains(&default_role)
    {
        return Err(refuse(
            format!(
                "--default-role {default_role} is not among --roles-from fixed:{}",
                list.join(",")
            ),
            format!(
                "change --default-role to one of {}, or add {default_role} to the fixed roles",
                list.join(", ")
            ),
        ));
    }
    let user_id = user_id_source(&given.user_id_from)?;
    let mut session: Vec<SessionVar> = Vec::new();
    for (name, value) in &given.session {
        let var = session_var(name, value)?;
        if session.iter().any(|s| s.name == var.name) {
            return Err(refuse(
                format!("--session {name} is given twice"),
                format!("keep one --session {name}=attribute:NAME"),
            ));
        }
        session.push(var);
    }
    let trigger = given.trigger.unwrap_or(match given.token {
        TokenUse::Id => Trigger::V1,
        TokenUse::Access => Trigger::V2,
    });
    let choices = Choices {
        pool: given.pool,
        client_id,
        roles,
        default_role,
        no_role: given.no_role,
        user_id,
        session,
        token: given.token,
        trigger,
        hasura: given.hasura,
        runtime: match trigger {
            Trigger::None => given.runtime,
            _ => Some(given.runtime.unwrap_or(Runtime::Nodejs)),
        },
    };
    compatible(&choices)?;
    Ok(choices)
}

/// The combinations that cannot work, each naming the choice to change.
fn compatible(c: &Choices) -> Result<(), UsageError> {
    if c.token == TokenUse::Access && c.trigger == Trigger::V1 {
        return Err(refuse(
            "--token access --trigger v1: a V1 trigger changes only the id token, so the access token would carry no Hasura claims",
            "change --trigger to v2 or v3 (Essentials or Plus plan), or --token to id",
        ));
    }
    if c.trigger != Trigger::None {
        return Ok(());
    }
    if let Some(runtime) = c.runtime {
        return Err(refuse(
            format!(
                "--lambda-runtime {} --trigger none: without a trigger there is no Lambda",
                match runtime {
                    Runtime::Nodejs => "nodejs",
                    Runtime::Python => "python",
                }
            ),
            "leave out --lambda-runtime, or change --trigger to v1, v2 or v3",
        ));
    }
    if let RoleSource::Attribute(a) = &c.roles {
        return Err(refuse(
            format!(
                "--roles-from attribute:{a} --trigger none: Cognito writes an attribute as one string, and Hasura needs a list of roles"
            ),
            "change --trigger to v1, v2 or v3 (the trigger splits the attribute), or --roles-from to groups",
        ));
    }
    let attribute = match &c.user_id {
        UserIdSource::Attribute(a) => Some(a.clone()),
        _ => c.session.first().map(|s| s.attribute.clone()),
    };
    if let (TokenUse::Access, Some(a)) = (c.token, attribute) {
        return Err(refuse(
            format!(
                "--token access --trigger none: an access token carries no user attributes, so {a} cannot reach Hasura"
            ),
            "change --trigger to v2 or v3 (the trigger copies the attribute into the access token), or --token to id",
        ));
    }
    Ok(())
}

fn role_name(text: &str, flag: &str) -> Result<String, UsageError> {
    let role = text.trim();
    if role.is_empty() || role.contains(',') || role.chars().any(char::is_whitespace) {
        return Err(refuse(
            format!("{flag} {text:?} is not a role name"),
            "a role name is one word without commas, e.g. user or editor",
        ));
    }
    Ok(role.to_string())
}

/// A user attribute's name: Cognito's (`email`, `custom:org`), printable ASCII without quotes.
fn attribute_name(text: &str, flag: &str) -> Result<String, UsageError> {
    let name = text.trim();
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_:.-".contains(&b));
    if ok {
        return Ok(name.to_string());
    }
    Err(refuse(
        format!("{flag}: {text:?} is not a user attribute name"),
        "name the attribute as Cognito does, e.g. attribute:custom:org or attribute:email",
    ))
}

fn role_source(text: &str) -> Result<RoleSource, UsageError> {
    let t = text.trim();
    if t == "groups" {
        return Ok(RoleSource::Groups);
    }
    if let Some(a) = t.strip_prefix("attribute:") {
        return attribute_name(a, "--roles-from").map(RoleSource::Attribute);
    }
    if let Some(list) = t.strip_prefix("fixed:") {
        let mut roles = Vec::new();
        for r in list.split(',') {
            let r = role_name(r, "--roles-from fixed:")?;
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
        return Ok(RoleSource::Fixed(roles));
    }
    Err(refuse(
        format!("--roles-from {text:?} is not groups, attribute:NAME or fixed:ROLE[,ROLE…]"),
        "e.g. --roles-from groups, --roles-from attribute:custom:roles or --roles-from fixed:user",
    ))
}

fn user_id_source(text: &str) -> Result<UserIdSource, UsageError> {
    match text.trim() {
        "sub" => Ok(UserIdSource::Sub),
        "username" => Ok(UserIdSource::Username),
        t => match t.strip_prefix("attribute:") {
            Some(a) => attribute_name(a, "--user-id-from").map(UserIdSource::Attribute),
            None => Err(refuse(
                format!("--user-id-from {text:?} is not sub, username or attribute:NAME"),
                "e.g. --user-id-from sub (Cognito's stable user id)",
            )),
        },
    }
}

fn session_var(name: &str, value: &str) -> Result<SessionVar, UsageError> {
    if name == "x-hasura-role" {
        return Err(refuse(
            "--session x-hasura-role: Hasura sets it from the request (x-hasura-role header, else the default role)",
            "leave it out; the roles come from --roles-from and --default-role",
        ));
    }
    if name == "x-hasura-user-id" {
        return Err(refuse(
            "--session x-hasura-user-id: the user id has a flag of its own",
            "use --user-id-from sub|username|attribute:NAME",
        ));
    }
    match value.strip_prefix("attribute:") {
        Some(a) => Ok(SessionVar {
            name: name.to_string(),
            attribute: attribute_name(a, "--session")?,
        }),
        None => Err(refuse(
            format!(
                "--session {name}={value}: a setup's session variable comes from a user attribute"
            ),
            format!("write --session {name}=attribute:custom:NAME"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given() -> Given {
        Given {
            pool: Pool::parse("eu-west-1_AbC123").unwrap(),
            client_id: "4l1h8mfsl2jt8ovcbvda5sqvd0".into(),
            roles_from: "groups".into(),
            default_role: None,
            no_role: NoRole::Default,
            user_id_from: "sub".into(),
            session: Vec::new(),
            token: TokenUse::Id,
            trigger: None,
            hasura: Engines::Both,
            runtime: None,
        }
    }

    #[test]
    fn defaults_follow_the_token() {
        let c = resolve(given()).unwrap();
        assert_eq!(c.trigger, Trigger::V1);
        assert_eq!(c.runtime, Some(Runtime::Nodejs));
        assert_eq!(c.default_role, "user");
        let c = resolve(Given {
            token: TokenUse::Access,
            ..given()
        })
        .unwrap();
        assert_eq!(c.trigger, Trigger::V2);
        let c = resolve(Given {
            roles_from: "fixed:viewer,editor".into(),
            ..given()
        })
        .unwrap();
        assert_eq!(c.default_role, "viewer");
    }

    #[test]
    fn incompatible_choices_name_the_choice_to_change() {
        let cases = [
            (
                Given {
                    token: TokenUse::Access,
                    trigger: Some(Trigger::V1),
                    ..given()
                },
                "change --trigger",
            ),
            (
                Given {
                    trigger: Some(Trigger::None),
                    runtime: Some(Runtime::Python),
                    ..given()
                },
                "leave out --lambda-runtime",
            ),
            (
                Given {
                    trigger: Some(Trigger::None),
                    roles_from: "attribute:custom:roles".into(),
                    ..given()
                },
                "change --trigger",
            ),
            (
                Given {
                    trigger: Some(Trigger::None),
                    token: TokenUse::Access,
                    session: vec![("x-hasura-org-id".into(), "attribute:custom:org".into())],
                    ..given()
                },
                "change --trigger",
            ),
            (
                Given {
                    roles_from: "fixed:viewer".into(),
                    default_role: Some("user".into()),
                    ..given()
                },
                "change --default-role",
            ),
        ];
        for (g, hint) in cases {
            let e = resolve(g).unwrap_err();
            assert_eq!(e.id, Id::SetupChoice);
            assert!(e.hint.starts_with(hint), "{}: {}", e.message, e.hint);
        }
    }

    #[test]
    fn malformed_sources_are_refused() {
        for (roles, user) in [("group", "sub"), ("groups", "email"), ("fixed:a b", "sub")] {
            let g = Given {
                roles_from: roles.into(),
                user_id_from: user.into(),
                ..given()
            };
            assert_eq!(
                resolve(g).unwrap_err().id,
                Id::SetupChoice,
                "{roles} {user}"
            );
        }
        let g = Given {
            roles_from: "attribute:custom:x\"y".into(),
            ..given()
        };
        assert!(resolve(g).is_err());
        for session in [
            vec![(
                "x-hasura-role".to_string(),
                "attribute:custom:r".to_string(),
            )],
            vec![(
                "x-hasura-user-id".to_string(),
                "attribute:custom:u".to_string(),
            )],
            vec![("x-hasura-org-id".to_string(), "42".to_string())],
            vec![
                (
                    "x-hasura-org-id".to_string(),
                    "attribute:custom:org".to_string(),
                ),
                (
                    "x-hasura-org-id".to_string(),
                    "attribute:custom:team".to_string(),
                ),
            ],
        ] {
            let g = Given {
                session: session.clone(),
                ..given()
            };
            assert_eq!(resolve(g).unwrap_err().id, Id::SetupChoice, "{session:?}");
        }
    }
}
