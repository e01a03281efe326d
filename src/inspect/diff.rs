//! `diff`: two tokens compared for what they mean, not as text. Header, claims (added, removed,
//! changed, a type that changed), times (lifetime, `iat` and `auth_time` shifts, expiry now),
//! issuer, audience, client and pool, and, when each token was judged, the verdicts and the
//! Hasura session, named first. Pure: each side comes with the report the judge (or `decode`)
//! made of it, and the clock is a parameter.

use serde_json::{Map, Value};

use crate::clock;
use crate::cognito;
use crate::hasura;
use crate::hasura::claims::Shape;
use crate::inspect::registry::TIME_CLAIMS;
use crate::jose::json::type_name;
use crate::report::diff::{Change, Kind, Outcome, Section, TokenDiff};
use crate::report::{Report, Verdict};

/// Claims compared in their own sections (issuer and times), not among the other claims.
const ISSUER_CLAIMS: [&str; 4] = ["iss", "aud", "client_id", "token_use"];

/// How deep objects are compared member by member; deeper ones compare as a whole.
const MAX_DEPTH: usize = 8;

/// One token of the two.
pub struct Side<'a> {
    /// Its header.
    pub header: &'a Map<String, Value>,
    /// Its claims.
    pub claims: &'a Map<String, Value>,
    /// What the judge (or `decode`) found: verdict, summary, the Hasura session.
    pub report: &'a Report,
}

/// Compares A and B at `now`; `judged` says whether their reports carry verdicts. `hasura`
/// says whether a Hasura configuration judged them.
pub fn diff(a: &Side<'_>, b: &Side<'_>, judged: bool, hasura: bool, now: f64) -> TokenDiff {
    let mut changes = Vec::new();
    let (oa, ob) = (outcome(a.report), outcome(b.report));
    let same_verdict = !judged || oa.verdict == ob.verdict;
    if !same_verdict {
        changes.push(Change {
            section: Section::Verdict,
            name: "verdict".into(),
            change: Kind::Changed,
            a: Some(Value::String(verdict_word(oa.verdict).into())),
            b: Some(Value::String(verdict_word(ob.verdict).into())),
            note: None,
        });
    }
    hasura_changes(a.report, b.report, &mut changes);
    issuer_changes(a.claims, b.claims, &mut changes);
    let mut header = Vec::new();
    members(Section::Header, "", a.header, b.header, 0, &mut header);
    changes.extend(header);
    let skip = |name: &str| ISSUER_CLAIMS.contains(&name) || TIME_CLAIMS.contains(&name);
    let (ca, cb) = (without(a.claims, skip), without(b.claims, skip));
    members(Section::Claims, "", &ca, &cb, 0, &mut changes);
    time_changes(a.claims, b.claims, now, &mut changes);
    changes.sort_by_key(|c| c.section);
    let summary = headline(&oa, &ob, judged, hasura, &changes);
    TokenDiff {
        summary,
        judged,
        same_verdict,
        a: oa,
        b: ob,
        changes,
    }
}

fn outcome(report: &Report) -> Outcome {
    Outcome {
        verdict: report.verdict,
        summary: report.summary.clone(),
        role: report
            .hasura
            .as_ref()
            .filter(|h| h.engine_error.is_none())
            .and_then(|h| h.role.clone()),
        failed: report.first_failure().map(|c| c.id.as_str().to_string()),
    }
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Valid => "valid",
        Verdict::Unverified => "unverified",
        Verdict::Invalid => "invalid",
        Verdict::UsageError => "usage_error",
        Verdict::Undecidable => "undecidable",
        Verdict::Malformed => "malformed",
        Verdict::Done => "done",
    }
}

/// How one side fares, in words: `accepted as user`, `Hasura rejects (…)`.
fn fate(o: &Outcome, hasura: bool) -> String {
    match (o.verdict, hasura, &o.role) {
        (Verdict::Valid, true, Some(role)) => format!("accepted as {role}"),
        (Verdict::Valid, true, None) => "accepted".into(),
        (Verdict::Valid, false, _) => "valid".into(),
        (Verdict::Invalid, true, _) => match o.summary.split_once(" rejects this token: ") {
            Some((engine, why)) => format!("{engine} rejects ({why})"),
            None => format!("Hasura rejects ({})", o.summary),
        },
        (Verdict::Invalid, false, _) => format!("rejected ({})", o.summary),
        (other, _, _) => format!("{} ({})", verdict_word(other), o.summary),
    }
}

fn headline(a: &Outcome, b: &Outcome, judged: bool, hasura: bool, changes: &[Change]) -> String {
    if judged && a.verdict != b.verdict {
        // The side that fails is named first: that is what the user came for.
        let (first, second) = if b.verdict == Verdict::Valid {
            (("A", a), ("B", b))
        } else {
            (("B", b), ("A", a))
        };
        return format!(
            "{}: {}; {}: {}",
            first.0,
            fate(first.1, hasura),
            second.0,
            fate(second.1, hasura)
        );
    }
    let both = if judged {
        format!("both {}", fate(a, hasura))
    } else {
        "not verified (give keys or --hasura-config to compare verdicts)".into()
    };
    let both = if judged && a.role != b.role && a.verdict == Verdict::Valid {
        format!(
            "both accepted, A as {}, B as {}",
            a.role.as_deref().unwrap_or("?"),
            b.role.as_deref().unwrap_or("?")
        )
    } else {
        both
    };
    match changes.first() {
        None => format!("{both}; no difference in meaning"),
        Some(first) => format!(
            "{both}; {} difference(s), first: {}",
            changes.len(),
            describe(first)
        ),
    }
}

/// A change in a few words: `kid changed`, `x-hasura-org-id added`.
pub fn describe(c: &Change) -> String {
    let how = match c.change {
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Changed => "changed",
        Kind::TypeChanged => "changed type",
    };
    match &c.note {
        Some(note) => format!("{} {how} ({note})", c.name),
        None => format!("{} {how}", c.name),
    }
}

fn without(claims: &Map<String, Value>, skip: impl Fn(&str) -> bool) -> Map<String, Value> {
    claims
        .iter()
        .filter(|(k, _)| !skip(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix} › {name}")
    }
}

/// Members of A and B compared: added, removed, changed; objects (and stringified JSON objects
/// on both sides) member by member.
fn members(
    section: Section,
    prefix: &str,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    depth: usize,
    out: &mut Vec<Change>,
) {
    for (name, va) in a {
        let at = path(prefix, name);
        match b.get(name) {
            None => out.push(Change {
                section,
                name: at,
                change: Kind::Removed,
                a: Some(va.clone()),
                b: None,
                note: None,
            }),
            Some(vb) => value(section, &at, va, vb, depth, out),
        }
    }
    for (name, vb) in b {
        if !a.contains_key(name) {
            out.push(Change {
                section,
                name: path(prefix, name),
                change: Kind::Added,
                a: None,
                b: Some(vb.clone()),
                note: None,
            });
        }
    }
}

fn value(section: Section, at: &str, va: &Value, vb: &Value, depth: usize, out: &mut Vec<Change>) {
    if va == vb {
        return;
    }
    let inner = |v: &Value| match (v, hasura::claims::shape(v)) {
        (Value::String(_), Shape::Claims { claims, .. }) => Some(claims),
        _ => None,
    };
    match (va, vb) {
        (Value::Object(ma), Value::Object(mb)) if depth < MAX_DEPTH => {
            members(section, at, ma, mb, depth + 1, out);
        }
        (Value::String(_), Value::String(_)) if depth < MAX_DEPTH => match (inner(va), inner(vb)) {
            (Some(ma), Some(mb)) => {
                let before = out.len();
                members(section, at, &ma, &mb, depth + 1, out);
                if out.len() == before {
                    out.push(Change {
                        section,
                        name: at.to_string(),
                        change: Kind::Changed,
                        a: Some(va.clone()),
                        b: Some(vb.clone()),
                        note: Some("the same stringified JSON, written differently".into()),
                    });
                }
            }
            _ => out.push(changed(section, at, va, vb, Kind::Changed, None)),
        },
        _ if std::mem::discriminant(va) == std::mem::discriminant(vb) => {
            out.push(changed(section, at, va, vb, Kind::Changed, None));
        }
        _ => {
            let word = |v: &Value| match inner(v) {
                Some(_) => "stringified JSON".to_string(),
                None => type_name(v)
                    .trim_start_matches("an ")
                    .trim_start_matches("a ")
                    .to_string(),
            };
            let note = format!("{} became {}", article(&word(va)), article(&word(vb)));
            out.push(changed(section, at, va, vb, Kind::TypeChanged, Some(note)));
        }
    }
}

fn article(word: &str) -> String {
    match word {
        "stringified JSON" | "null" => word.to_string(),
        w if w.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {w}"),
        w => format!("a {w}"),
    }
}

fn changed(
    section: Section,
    at: &str,
    va: &Value,
    vb: &Value,
    change: Kind,
    note: Option<String>,
) -> Change {
    Change {
        section,
        name: at.to_string(),
        change,
        a: Some(va.clone()),
        b: Some(vb.clone()),
        note,
    }
}

fn optional(v: Option<&Value>, w: Option<&Value>) -> Option<(Kind, Option<Value>, Option<Value>)> {
    match (v, w) {
        (None, None) => None,
        (Some(x), Some(y)) if x == y => None,
        (Some(x), Some(y)) => Some((Kind::Changed, Some(x.clone()), Some(y.clone()))),
        (Some(x), None) => Some((Kind::Removed, Some(x.clone()), None)),
        (None, Some(y)) => Some((Kind::Added, None, Some(y.clone()))),
    }
}

fn fact(
    section: Section,
    name: &str,
    a: Option<Value>,
    b: Option<Value>,
    note: Option<String>,
    out: &mut Vec<Change>,
) {
    if let Some((change, a, b)) = optional(a.as_ref(), b.as_ref()) {
        out.push(Change {
            section,
            name: name.into(),
            change,
            a,
            b,
            note,
        });
    }
}

fn hasura_changes(a: &Report, b: &Report, out: &mut Vec<Change>) {
    let (Some(ha), Some(hb)) = (&a.hasura, &b.hasura) else {
        return;
    };
    let s = |v: &Option<String>| v.clone().map(Value::String);
    let roles = |v: &Option<Vec<String>>| {
        v.as_ref()
            .map(|r| Value::Array(r.iter().cloned().map(Value::String).collect()))
    };
    fact(
        Section::Hasura,
        "engine error",
        s(&ha.engine_error),
        s(&hb.engine_error),
        None,
        out,
    );
    fact(Section::Hasura, "role", s(&ha.role), s(&hb.role), None, out);
    fact(
        Section::Hasura,
        "claims format",
        s(&ha.claims_format),
        s(&hb.claims_format),
        None,
        out,
    );
    fact(
        Section::Hasura,
        "allowed roles",
        roles(&ha.allowed_roles),
        roles(&hb.allowed_roles),
        None,
        out,
    );
    fact(
        Section::Hasura,
        "default role",
        s(&ha.default_role),
        s(&hb.default_role),
        None,
        out,
    );
    members(
        Section::Hasura,
        "session",
        &ha.session_variables,
        &hb.session_variables,
        MAX_DEPTH,
        out,
    );
}

fn pool(claims: &Map<String, Value>) -> Option<String> {
    claims
        .get("iss")
        .and_then(Value::as_str)
        .and_then(cognito::pool_of_issuer)
        .map(|p| p.id)
}

fn issuer_changes(a: &Map<String, Value>, b: &Map<String, Value>, out: &mut Vec<Change>) {
    for name in ISSUER_CLAIMS {
        if let (Some(va), Some(vb)) = (a.get(name), b.get(name)) {
            value(Section::Issuer, name, va, vb, MAX_DEPTH, out);
        } else {
            fact(
                Section::Issuer,
                name,
                a.get(name).cloned(),
                b.get(name).cloned(),
                None,
                out,
            );
        }
    }
    let (pa, pb) = (pool(a), pool(b));
    if pa != pb {
        let note = match (&pa, &pb) {
            (Some(_), Some(_)) => Some("the tokens come from different user pools".to_string()),
            _ => Some("only one token comes from a Cognito user pool".to_string()),
        };
        fact(
            Section::Issuer,
            "pool",
            pa.map(Value::String),
            pb.map(Value::String),
            note,
            out,
        );
    }
}

fn time_changes(a: &Map<String, Value>, b: &Map<String, Value>, now: f64, out: &mut Vec<Change>) {
    let num = |c: &Map<String, Value>, n: &str| c.get(n).and_then(Value::as_f64);
    let secs = |v: Option<f64>| v.and_then(serde_json::Number::from_f64).map(Value::Number);
    let life = |c: &Map<String, Value>| Some(num(c, "exp")? - num(c, "iat")?);
    let (la, lb) = (life(a), life(b));
    if la != lb {
        let note = match (la, lb) {
            (Some(x), Some(y)) => Some(format!("{} → {}", clock::span(x), clock::span(y))),
            _ => None,
        };
        fact(Section::Times, "lifetime", secs(la), secs(lb), note, out);
    }
    for name in ["iat", "auth_time", "nbf"] {
        let (x, y) = (num(a, name), num(b, name));
        if x == y {
            continue;
        }
        let mut note = match (x, y) {
            (Some(x), Some(y)) if y >= x => Some(format!("B is {} later", clock::span(y - x))),
            (Some(x), Some(y)) => Some(format!("B is {} earlier", clock::span(x - y))),
            _ => None,
        };
        let same_sign_in =
            num(a, "auth_time").is_some() && num(a, "auth_time") == num(b, "auth_time");
        if name == "iat" && same_sign_in {
            note = note.map(|n| format!("{n}; the same sign-in (auth_time): a refresh"));
        }
        fact(
            Section::Times,
            name,
            a.get(name).cloned(),
            b.get(name).cloned(),
            note,
            out,
        );
    }
    let expired = |c: &Map<String, Value>| num(c, "exp").map(|e| now >= e);
    let (ea, eb) = (expired(a), expired(b));
    if ea != eb {
        let word = |e: Option<bool>| {
            e.map(|e| Value::String(if e { "expired" } else { "not expired" }.into()))
        };
        let at = |c: &Map<String, Value>| {
            num(c, "exp")
                .map(|e| clock::relative(e, now))
                .unwrap_or_else(|| "no exp".into())
        };
        fact(
            Section::Times,
            "expired now",
            word(ea),
            word(eb),
            Some(format!("A: exp {}, B: exp {}", at(a), at(b))),
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn run(ha: Value, ca: Value, hb: Value, cb: Value) -> TokenDiff {
        let (ha, ca, hb, cb) = (map(ha), map(ca), map(hb), map(cb));
        let (ra, rb) = (Report::new(0.0), Report::new(0.0));
        diff(
            &Side {
                header: &ha,
                claims: &ca,
                report: &ra,
            },
            &Side {
                header: &hb,
                claims: &cb,
                report: &rb,
            },
            false,
            false,
            100.0,
        )
    }

    #[test]
    fn names_added_removed_changed_and_type_changes() {
        let d = run(
            json!({"alg": "RS256", "kid": "a"}),
            json!({"sub": "1", "groups": ["x"], "old": 1, "h": "{\"x-hasura-role\":\"u\"}"}),
            json!({"alg": "RS256", "kid": "b"}),
            json!({"sub": "1", "groups": "x", "new": 2, "h": {"x-hasura-role": "u"}}),
        );
        let find = |n: &str| d.changes.iter().find(|c| c.name == n).unwrap();
        assert_eq!(find("kid").change, Kind::Changed);
        assert_eq!(find("kid").section, Section::Header);
        assert_eq!(
            find("groups").note.as_deref(),
            Some("an array became a string")
        );
        assert_eq!(
            find("h").note.as_deref(),
            Some("stringified JSON became an object")
        );
        assert_eq!(find("old").change, Kind::Removed);
        assert_eq!(find("new").change, Kind::Added);
        assert!(d.changes.iter().all(|c| c.name != "sub"));
        assert_eq!(d.exit_code(), 0);
    }

    #[test]
    fn times_say_refresh_and_shift() {
        let d = run(
            json!({}),
            json!({"auth_time": 10, "iat": 20, "exp": 80}),
            json!({}),
            json!({"auth_time": 10, "iat": 3620, "exp": 3680}),
        );
        let names: Vec<&str> = d.changes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["iat", "expired now"]);
        assert_eq!(
            d.changes[0].note.as_deref(),
            Some("B is 1h later; the same sign-in (auth_time): a refresh")
        );
    }

    #[test]
    fn stringified_claims_compare_inside() {
        let d = run(
            json!({}),
            json!({"h": "{\"a\":1,\"b\":2}"}),
            json!({}),
            json!({"h": "{\"b\":2,\"a\":3}"}),
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].name, "h › a");
    }
}
