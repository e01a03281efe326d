//! The users a setup is proven with (one per role source case: in groups, in none, with the
//! roles attribute, without it), and what Hasura must make of each: the session the trigger (or,
//! without one, the `claims_map`) gives them, or the refusal the chosen fallback asks for.

use super::choices::{Choices, NoRole, RoleSource, Trigger, UserIdSource};
use crate::devkit::shape::Session;

/// A sample user, as Cognito knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// What the case shows, e.g. "a user in the groups user, editor".
    pub case: String,
    /// `sub`.
    pub sub: String,
    /// The user name.
    pub username: String,
    /// Their Cognito groups (`cognito:groups`).
    pub groups: Vec<String>,
    /// Their attributes (`custom:org` → value).
    pub attributes: Vec<(String, String)>,
}

impl User {
    /// The attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What must come of a user's sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Hasura accepts the token with this session (the role is the default role).
    Accepted(Session),
    /// The trigger fails the sign-in: no token is issued.
    NoToken(String),
    /// Hasura refuses the token.
    Refused(String),
}

/// A role other than the default one, for the samples.
fn other_role(c: &Choices) -> String {
    if c.default_role == "editor" {
        "reviewer".into()
    } else {
        "editor".into()
    }
}

/// The sample users for the choices.
pub fn samples(c: &Choices) -> Vec<User> {
    let other = other_role(c);
    let mut attributes: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str| {
        if !attributes.iter().any(|(n, _)| n == name) {
            let short = name.rsplit(':').next().unwrap_or(name);
            attributes.push((name.to_string(), format!("ada-{short}")));
        }
    };
    if let UserIdSource::Attribute(a) = &c.user_id {
        add(a);
    }
    for s in &c.session {
        add(&s.attribute);
    }
    let user = |case: String, groups: Vec<String>, extra: Option<(String, String)>| {
        let mut attrs = attributes.clone();
        if let Some((n, v)) = extra {
            attrs.retain(|(name, _)| *name != n);
            if !v.is_empty() {
                attrs.push((n, v));
            }
        }
        User {
            case,
            sub: "7c4f1d2e-0b9a-4e63-9d85-2f6a1c3b8e70".into(),
            username: "ada".into(),
            groups,
            attributes: attrs,
        }
    };
    match &c.roles {
        RoleSource::Groups => vec![
            user(
                format!("a user in the groups {}, {other}", c.default_role),
                vec![c.default_role.clone(), other.clone()],
                None,
            ),
            user(
                format!("a user in the group {other} only"),
                vec![other.clone()],
                None,
            ),
            user("a user in no group".into(), Vec::new(), None),
        ],
        RoleSource::Attribute(a) => vec![
            user(
                format!("a user whose {a} is \"{other},{}\"", c.default_role),
                Vec::new(),
                Some((a.clone(), format!("{other},{}", c.default_role))),
            ),
            user(
                format!("a user without {a}"),
                Vec::new(),
                Some((a.clone(), String::new())),
            ),
        ],
        RoleSource::Fixed(_) => vec![user("any user".into(), Vec::new(), None)],
    }
}

/// What Hasura must make of the user's token under these choices.
pub fn expected(c: &Choices, u: &User) -> Expected {
    let with_trigger = c.trigger != Trigger::None;
    let mut roles: Vec<String> = match &c.roles {
        RoleSource::Groups => u.groups.clone(),
        RoleSource::Attribute(a) => u
            .attribute(a)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
        RoleSource::Fixed(list) => list.clone(),
    };
    let mut unique = Vec::new();
    for r in roles.drain(..) {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    let mut roles = unique;
    if roles.is_empty() {
        match (c.no_role, with_trigger) {
            (NoRole::Default, _) => roles.push(c.default_role.clone()),
            (NoRole::Deny, true) => {
                return Expected::NoToken("the trigger fails the sign-in: no role".into());
            }
            (NoRole::Deny, false) => {
                return Expected::Refused(
                    "no cognito:groups claim, so Hasura finds no allowed roles".into(),
                );
            }
        }
    }
    // The trigger picks the default role when the user has it; claims_map can only take the
    // first group.
    let default_role = match (&c.roles, with_trigger) {
        (RoleSource::Groups, false) => u.groups.first().cloned(),
        _ if roles.contains(&c.default_role) => Some(c.default_role.clone()),
        _ => roles.first().cloned(),
    }
    .unwrap_or_else(|| c.default_role.clone());
    let user_id = match &c.user_id {
        UserIdSource::Sub => Some(u.sub.clone()),
        UserIdSource::Username => Some(u.username.clone()),
        UserIdSource::Attribute(a) => u.attribute(a).map(str::to_string),
    };
    let Some(user_id) = user_id.filter(|id| !id.is_empty()) else {
        return Expected::NoToken("the trigger fails the sign-in: no user id".into());
    };
    let mut variables = vec![("x-hasura-user-id".to_string(), user_id)];
    for s in &c.session {
        if let Some(v) = u.attribute(&s.attribute).filter(|v| !v.is_empty()) {
            variables.push((s.name.clone(), v.to_string()));
        }
    }
    Expected::Accepted(Session {
        roles,
        default_role,
        variables,
    })
}
