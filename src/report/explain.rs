//! `jwtcheck explain`: the long form of every id of the catalogue — what it checks, why it
//! matters, its common causes, the fix, and where to read more.
//!
//! The text is data, kept in `explanations.md` beside the catalogue so that it reads as a
//! document of its own; it is compiled in and parsed only when `explain` runs. A test fails when
//! an id of the catalogue has no section, so a new id is explained before it ships.

use serde::Serialize;

use super::Id;

/// The explanations document, one section per id.
const TEXT: &str = include_str!("explanations.md");

/// One id, explained (`explain ID --json`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Explanation {
    /// The id.
    pub id: Id,
    /// Its one-line meaning, from the catalogue.
    pub meaning: &'static str,
    /// What the check looks at.
    pub checks: String,
    /// Why it matters.
    pub why: String,
    /// The common causes when it fails or warns.
    pub causes: Vec<String>,
    /// What to do.
    pub fix: String,
    /// Where to read more.
    pub links: Vec<Link>,
}

/// A reference: a spec section, a vendor's documentation page, an issue.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Link {
    /// What it is, e.g. `RFC 7519 §4.1.4: "exp" (Expiration Time) Claim`.
    pub title: String,
    /// The https URL.
    pub url: String,
}

/// One id of the catalogue and its one-line meaning (`explain --json` prints the list).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Listed {
    /// The id.
    pub id: Id,
    /// Its one-line meaning.
    pub meaning: &'static str,
}

/// Every id of the catalogue, in its order.
pub fn list() -> Vec<Listed> {
    Id::ALL
        .iter()
        .map(|id| Listed {
            id: *id,
            meaning: id.meaning(),
        })
        .collect()
}

/// The engines' own error words and the id each corresponds to, most specific first: Hasura v2's
/// (research/hasura-jwt.md, the error table) and Hasura DDN's (research/hasura-ddn-jwt.md §2).
/// A user's first clue is often the engine's answer, pasted whole or in part.
const ENGINE_WORDS: &[(&str, Id)] = &[
    // Hasura v2 (jose's and the engine's words).
    ("JWTNotInIssuer", Id::Iss),
    ("Multiple JWTs found", Id::HasuraConfig),
    ("CompactDecodeError", Id::Format),
    ("Invalid number of parts", Id::Format),
    ("JWTClaimsSetDecodeError", Id::Format),
    ("JSONDecodeError", Id::Format),
    ("JWSNoSignatures", Id::Alg),
    ("NoUsableKeys", Id::Key),
    ("JWSInvalidSignature", Id::Signature),
    ("JWTExpired", Id::Exp),
    ("JWTIssuedAtFuture", Id::Iat),
    ("JWTNotYetValid", Id::Nbf),
    ("JWTNotInAudience", Id::Aud),
    (
        "claims not found at claims_namespace_path",
        Id::HasuraNamespace,
    ),
    ("claims key", Id::HasuraNamespace),
    ("when claims_format is", Id::HasuraFormat),
    ("expecting stringified json", Id::HasuraFormat),
    ("JWT claim from claims_map", Id::HasuraSessionVariables),
    ("x-hasura-allowed-roles", Id::HasuraAllowedRoles),
    ("x-hasura-default-role", Id::HasuraDefaultRole),
    ("not in allowed roles", Id::HasuraRole),
    ("Malformed Authorization header", Id::HasuraHeader),
    (
        "Missing 'Authorization' or 'Cookie' header",
        Id::HasuraHeader,
    ),
    ("Error parsing JWK from url", Id::HasuraJwksRefused),
    ("requires --admin-secret", Id::LintAdminSecret),
    ("HASURA_GRAPHQL_JWT_SECRET", Id::HasuraStartup),
    // Hasura DDN (jsonwebtoken's kinds and the engine's words).
    ("InvalidSignature", Id::Signature),
    ("ExpiredSignature", Id::Exp),
    ("Missing required claim", Id::Exp),
    ("ImmatureSignature", Id::Nbf),
    ("InvalidIssuer", Id::Iss),
    ("InvalidAudience", Id::Aud),
    ("InvalidAlgorithm", Id::Alg),
    ("InvalidToken", Id::Format),
    ("No matching JWK found", Id::Key),
    ("(Key ID) header claim not found", Id::Key),
    ("Error while constructing the JWT decoding key", Id::Key),
    ("error decoding response body", Id::HasuraJwksRefused),
    ("while fetching JWK", Id::LintJwkUrl),
    ("Error decoding the `Authorization` header", Id::Format),
    ("Hasura claims not found in the JWT", Id::HasuraNamespace),
    (
        "Error in parsing the Hasura claims map",
        Id::HasuraNamespace,
    ),
    ("Expected the Hasura claims to be", Id::HasuraFormat),
    (
        "default role is not present in the allowed roles",
        Id::HasuraDefaultRole,
    ),
    ("Duplicate allowed role", Id::HasuraAllowedRoles),
    ("claim x-hasura-role", Id::HasuraRole),
    ("JWT Authorization token source", Id::HasuraHeader),
    ("Error in parsing the Cookie header value", Id::HasuraHeader),
];

/// The id an engine's error text corresponds to (`JWSInvalidSignature`, `Could not verify JWT:
/// JWTExpired`, `claims key`, DDN's `JWT validation error: InvalidAudience`), compared without
/// regard to case.
pub fn engine_words(text: &str) -> Option<Id> {
    let text = text.to_ascii_lowercase();
    ENGINE_WORDS
        .iter()
        .find(|(words, _)| text.contains(&words.to_ascii_lowercase()))
        .map(|(_, id)| *id)
}

/// A section of `explanations.md` that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("explanations.md, section {section:?}: {problem}")]
pub struct FormatError {
    /// The section's heading.
    pub section: String,
    /// What is wrong with it.
    pub problem: String,
}

/// Every section of the document, in its order.
pub fn all() -> Result<Vec<Explanation>, FormatError> {
    sections()
        .map(|(heading, body)| parse(heading, body))
        .collect()
}

/// The explanation of one id, if the document has one.
pub fn explain(id: Id) -> Option<Explanation> {
    let heading = format!("`{}`", id.as_str());
    sections()
        .find(|(h, _)| *h == heading)
        .and_then(|(h, body)| parse(h, body).ok())
}

/// The document's sections as (heading, body), the preamble left out.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    TEXT.split("\n## ").skip(1).map(|section| {
        let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
        (heading.trim(), body)
    })
}

/// The fields of a section, each a label line (`Checks:`) and what follows up to the next one.
#[derive(Default)]
struct Fields {
    checks: Option<String>,
    why: Option<String>,
    causes: Option<Vec<String>>,
    fix: Option<String>,
    see: Option<Vec<String>>,
}

fn parse(heading: &str, body: &str) -> Result<Explanation, FormatError> {
    let problem = |p: String| FormatError {
        section: heading.to_string(),
        problem: p,
    };
    let name = heading
        .strip_prefix('`')
        .and_then(|h| h.strip_suffix('`'))
        .ok_or_else(|| problem("the heading is not an id in backticks".into()))?;
    let id = Id::parse(name).ok_or_else(|| problem(format!("{name} is not in the catalogue")))?;
    let fields = fields(body).map_err(problem)?;
    let missing = |what: &str| problem(format!("no {what}"));
    let links = fields
        .see
        .ok_or_else(|| missing("See:"))?
        .iter()
        .map(|item| {
            link(item).ok_or_else(|| problem(format!("not a [title](https://…) link: {item}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Explanation {
        id,
        meaning: id.meaning(),
        checks: fields.checks.ok_or_else(|| missing("Checks:"))?,
        why: fields.why.ok_or_else(|| missing("Why:"))?,
        causes: fields.causes.ok_or_else(|| missing("Causes:"))?,
        fix: fields.fix.ok_or_else(|| missing("Fix:"))?,
        links,
    })
}

/// Reads the labelled paragraphs and lists of a section body.
fn fields(body: &str) -> Result<Fields, String> {
    let mut f = Fields::default();
    let mut label = "";
    let mut text: Vec<&str> = Vec::new();
    for line in body.lines() {
        let next = ["Checks:", "Why:", "Causes:", "Fix:", "See:"]
            .into_iter()
            .find(|l| line.starts_with(l));
        let Some(next) = next else {
            text.push(line);
            continue;
        };
        if !label.is_empty() {
            store(&mut f, label, &text)?;
        } else if text.iter().any(|l| !l.trim().is_empty()) {
            return Err("text before the first label".into());
        }
        label = next;
        text = vec![line.get(next.len()..).unwrap_or("")];
    }
    if !label.is_empty() {
        store(&mut f, label, &text)?;
    }
    Ok(f)
}

fn store(f: &mut Fields, label: &str, text: &[&str]) -> Result<(), String> {
    let paragraph = || {
        let joined = text
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!joined.is_empty())
            .then_some(joined)
            .ok_or(format!("{label} is empty"))
    };
    let twice = || format!("{label} twice");
    match label {
        "Checks:" if f.checks.is_none() => f.checks = Some(paragraph()?),
        "Why:" if f.why.is_none() => f.why = Some(paragraph()?),
        "Fix:" if f.fix.is_none() => f.fix = Some(paragraph()?),
        "Causes:" if f.causes.is_none() => f.causes = Some(items(label, text)?),
        "See:" if f.see.is_none() => f.see = Some(items(label, text)?),
        _ => return Err(twice()),
    }
    Ok(())
}

/// A `- ` list, items joined across their continuation lines.
fn items(label: &str, text: &[&str]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        match (line.strip_prefix("- "), out.last_mut()) {
            (Some(item), _) => out.push(item.to_string()),
            (None, Some(last)) => {
                last.push(' ');
                last.push_str(line);
            }
            (None, None) => return Err(format!("{label} is a list of \"- \" items")),
        }
    }
    if out.is_empty() {
        return Err(format!("{label} is empty"));
    }
    Ok(out)
}

/// `[title](https://…)`, alone on its item.
fn link(item: &str) -> Option<Link> {
    let rest = item.strip_prefix('[')?;
    let (title, rest) = rest.split_once("](")?;
    let url = rest.strip_suffix(')')?;
    (url.starts_with("https://") && !url.contains(char::is_whitespace)).then(|| Link {
        title: title.to_string(),
        url: url.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test that keeps the catalogue and its explanations together: it reads the catalogue,
    /// so a new id fails it until its section is written.
    #[test]
    fn every_id_of_the_catalogue_is_explained_once() {
        let all = all().unwrap_or_else(|e| panic!("{e}"));
        let mut missing = Vec::new();
        for id in Id::ALL {
            match all.iter().filter(|e| e.id == *id).count() {
                1 => {}
                0 => missing.push(id.as_str()),
                n => panic!("{id} is explained {n} times"),
            }
            assert!(explain(*id).is_some(), "{id}");
        }
        assert!(
            missing.is_empty(),
            "ids without a section in src/report/explanations.md: {missing:?}"
        );
    }

    #[test]
    fn sections_follow_the_catalogue_order() {
        let order: Vec<Id> = all().unwrap().iter().map(|e| e.id).collect();
        let catalogue: Vec<Id> = Id::ALL
            .iter()
            .copied()
            .filter(|id| order.contains(id))
            .collect();
        assert_eq!(order, catalogue);
    }

    #[test]
    fn links_point_at_the_sources_we_cite() {
        let hosts = [
            "https://www.rfc-editor.org/rfc/",
            "https://docs.aws.amazon.com/cognito",
            "https://hasura.io/docs/",
            "https://github.com/hasura/graphql-engine/issues/",
            "https://openid.net/specs/",
        ];
        for e in all().unwrap() {
            assert!(!e.links.is_empty(), "{}", e.id);
            for l in &e.links {
                assert!(
                    hosts.iter().any(|h| l.url.starts_with(h)),
                    "{}: {}",
                    e.id,
                    l.url
                );
                assert!(!l.title.is_empty());
            }
        }
    }

    #[test]
    fn a_malformed_section_is_named() {
        let err = parse("`exp`", "Checks: x\n\nWhy: y\n").unwrap_err();
        assert_eq!(err.problem, "no See:");
        let err = parse("`nope`", "").unwrap_err();
        assert!(err.problem.contains("not in the catalogue"));
        let err = parse(
            "`exp`",
            "Checks: a\nWhy: b\nCauses:\n- c\nFix: d\nSee:\n- plain text\n",
        )
        .unwrap_err();
        assert!(err.problem.contains("link"), "{err}");
    }

    /// Sentences start with a capital: no lowercase word after a full stop (jwtcheck's name
    /// included), abbreviations aside.
    #[test]
    fn no_sentence_starts_in_lower_case() {
        for e in all().unwrap() {
            for text in [&e.checks, &e.why, &e.fix]
                .into_iter()
                .chain(e.causes.iter())
            {
                for (i, _) in text.match_indices(". ") {
                    let before = text.get(..i).unwrap_or_default();
                    let next = text.get(i + 2..).and_then(|t| t.chars().next());
                    let abbreviation = ["e.g", "i.e", "etc", "vs"]
                        .iter()
                        .any(|a| before.ends_with(a));
                    assert!(
                        abbreviation || !next.is_some_and(char::is_lowercase),
                        "{}: {text}",
                        e.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_engines_words_resolve_to_their_ids() {
        for (text, id) in [
            ("JWSInvalidSignature", Id::Signature),
            (
                "Could not verify JWT: JWSError JWSInvalidSignature",
                Id::Signature,
            ),
            ("JWTExpired", Id::Exp),
            ("claims key", Id::HasuraNamespace),
            (
                "claims key: 'https://hasura.io/jwt/claims' not found",
                Id::HasuraNamespace,
            ),
            (
                "JWT claim does not contain x-hasura-default-role",
                Id::HasuraDefaultRole,
            ),
            ("Could not verify JWT: JWSError NoUsableKeys", Id::Key),
            ("JWT validation error: InvalidAudience", Id::Aud),
            (
                "Internal Error - No matching JWK found for the given kid: k1",
                Id::Key,
            ),
            (
                "Hasura claims not found in the JWT at /claims.jwt.hasura.io",
                Id::HasuraNamespace,
            ),
            ("jwtexpired", Id::Exp),
        ] {
            assert_eq!(engine_words(text), Some(id), "{text}");
        }
        assert_eq!(engine_words("no such words"), None);
    }

    #[test]
    fn paragraphs_and_items_are_joined_across_lines() {
        let e = explain(Id::Exp).unwrap();
        assert!(e.checks.starts_with("`exp`, the expiry"), "{}", e.checks);
        assert!(!e.checks.contains('\n'));
        assert!(
            e.causes
                .iter()
                .any(|c| c.contains("one hour by default (5 minutes to 1 day"))
        );
        assert_eq!(
            e.links[0].url,
            "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"
        );
    }
}
