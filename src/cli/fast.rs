//! The everyday invocation — `verify TOKEN` with a few common flags — read without building
//! clap's command.
//!
//! Building `verify`'s fifty-odd flags was the largest share of a one-token verify's start-up
//! (about 0.3 M of its 1.8 M instructions). This reader accepts only a narrow, unambiguous
//! subset: the `verify` command, one token, and the flags in `FLAGS`, each with its value as
//! the next word or after `=`, none repeated unless repeatable. Anything else — help, a short
//! flag, `--`, a value starting with `-`, an unknown, repeated or conflicting flag, text that
//! is not UTF-8 — returns `None` and clap reads the command line as before, with its messages.
//! Tests check that whenever this reader answers, clap gives the very same arguments.

use std::ffi::OsString;
use std::num::NonZeroUsize;

use super::{Cli, ColorChoice, Command, GlobalArgs, TokenChoice, VerifyArgs};

/// How a flag of the fast path takes its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// A switch: no value.
    Nothing,
    /// One value; the flag may appear once.
    One,
    /// One value per occurrence; the flag may repeat.
    Many,
}

/// The flags the fast path reads, and how each takes its value: the key source, expected
/// claims, the Hasura configuration and role, the policy's roles, the clock and the output form.
/// `verify --help` lists them all.
const FLAGS: &[(&str, Takes)] = &[
    ("json", Takes::Nothing),
    ("color", Takes::One),
    ("now", Takes::One),
    ("jwks", Takes::One),
    ("key", Takes::One),
    ("secret-env", Takes::One),
    ("issuer", Takes::Many),
    ("cognito-pool", Takes::One),
    ("audience", Takes::Many),
    ("client-id", Takes::Many),
    ("token-use", Takes::One),
    ("hasura-config", Takes::One),
    ("hasura-config-env", Takes::Nothing),
    ("role", Takes::One),
    ("expect-role", Takes::Many),
    ("expect-default-role", Takes::One),
    ("forbid-role", Takes::Many),
    ("offline", Takes::Nothing),
];

fn takes(flag: &str) -> Option<Takes> {
    FLAGS
        .iter()
        .find(|(name, _)| *name == flag)
        .map(|&(_, takes)| takes)
}

/// Reads `jwtcheck verify TOKEN [FLAGS]` (`args` with the program name first); `None` when the
/// command line is anything else, for clap to read.
pub fn parse(args: &[OsString]) -> Option<Cli> {
    let mut words = Vec::with_capacity(args.len());
    for arg in args.get(1..)? {
        words.push(arg.to_str()?);
    }
    let (&command, rest) = words.split_first()?;
    if command != "verify" {
        return None;
    }
    let mut token = None;
    let mut global = GlobalArgs::default();
    let mut verify = VerifyArgs::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut rest = rest.iter();
    while let Some(&word) = rest.next() {
        let Some(flag) = word.strip_prefix("--") else {
            // One token, not starting with '-' (a lone '-' is stdin).
            if token.is_some() || (word.starts_with('-') && word != "-") || word.is_empty() {
                return None;
            }
            token = Some(word.to_owned());
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (flag, None),
        };
        let kind = takes(name)?;
        if kind != Takes::Many && seen.contains(&name) {
            return None;
        }
        seen.push(name);
        let value = match (kind, inline) {
            (Takes::Nothing, None) => "",
            (Takes::Nothing, Some(_)) => return None,
            (_, Some(value)) => value,
            (_, None) => rest.next()?,
        };
        if kind != Takes::Nothing && (value.is_empty() || value.starts_with('-')) {
            return None;
        }
        set(name, value, &mut global, &mut verify)?;
    }
    if verify.hasura.hasura_config.is_some() && verify.hasura.hasura_config_env {
        return None;
    }
    Some(Cli {
        command: Command::Verify {
            token: Some(token?),
            batch: None,
            jobs: None::<NonZeroUsize>,
            verify,
        },
        global,
    })
}

/// Stores one flag's value; `None` when the value is not one clap would take as is.
fn set(name: &str, value: &str, global: &mut GlobalArgs, verify: &mut VerifyArgs) -> Option<()> {
    let owned = || value.to_owned();
    match name {
        "json" => global.json = true,
        "color" => {
            global.color = match value {
                "auto" => ColorChoice::Auto,
                "always" => ColorChoice::Always,
                "never" => ColorChoice::Never,
                _ => return None,
            }
        }
        "now" => global.now = Some(owned()),
        "jwks" => verify.keys.jwks = Some(owned()),
        "key" => verify.keys.key = Some(owned().into()),
        "secret-env" => verify.keys.secret_env = Some(owned()),
        "issuer" => verify.keys.issuer.push(owned()),
        "cognito-pool" => verify.keys.cognito_pool = Some(owned()),
        "audience" => verify.claims.audience.push(owned()),
        "client-id" => verify.claims.client_id.push(owned()),
        "token-use" => verify.claims.token_use = Some(token_choice(value)?),
        "hasura-config" => verify.hasura.hasura_config = Some(owned()),
        "hasura-config-env" => verify.hasura.hasura_config_env = true,
        "role" => verify.hasura.role = Some(owned()),
        "expect-role" => verify.policy.expect_role.push(owned()),
        "expect-default-role" => verify.policy.expect_default_role = Some(owned()),
        "forbid-role" => verify.policy.forbid_role.push(owned()),
        "offline" => verify.fetch.offline = true,
        _ => return None,
    }
    Some(())
}

fn token_choice(value: &str) -> Option<TokenChoice> {
    match value {
        "id" => Some(TokenChoice::Id),
        "access" => Some(TokenChoice::Access),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    fn argv(words: &[&str]) -> Vec<OsString> {
        std::iter::once("jwtcheck")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// Whenever the fast path answers, clap reads the same arguments (compared as Debug text:
    /// every field, defaults included).
    fn agrees(words: &[&str]) -> Result<bool, String> {
        let args = argv(words);
        let Some(fast) = parse(&args) else {
            return Ok(false);
        };
        match Cli::try_parse_from(&args) {
            Ok(clap) if format!("{clap:?}") == format!("{fast:?}") => Ok(true),
            Ok(clap) => Err(format!("{words:?}:\n fast {fast:?}\n clap {clap:?}")),
            Err(e) => Err(format!("{words:?}: fast path answered, clap refused: {e}")),
        }
    }

    #[test]
    fn everyday_invocations_take_the_fast_path_and_match_clap() {
        let cases: &[&[&str]] = &[
            &["verify", "eyJ.x.y"],
            &["verify", "-"],
            &[
                "verify",
                "@samples/id-token.jwt",
                "--jwks",
                "samples/jwks.json",
            ],
            &[
                "verify",
                "--jwks=samples/jwks.json",
                "@t.jwt",
                "--now",
                "2026-11-24T09:30:00Z",
            ],
            &["verify", "t", "--json", "--color", "never", "--offline"],
            &[
                "verify",
                "t",
                "--cognito-pool",
                "us-east-1_AbC123",
                "--client-id",
                "a",
                "--client-id",
                "b",
            ],
            &[
                "verify",
                "t",
                "--issuer",
                "https://a/",
                "--audience",
                "api",
                "--token-use",
                "access",
            ],
            &[
                "verify",
                "t",
                "--hasura-config",
                "@samples/hasura-jwt-secret.json",
                "--role",
                "user",
            ],
            &[
                "verify",
                "t",
                "--hasura-config-env",
                "--expect-role",
                "user",
                "--forbid-role",
                "admin",
            ],
            &[
                "verify",
                "t",
                "--expect-default-role=user",
                "--key",
                "pub.pem",
                "--secret-env",
                "S",
            ],
            &["verify", "t", "--now", "1795915062", "--color=always"],
        ];
        for words in cases {
            assert_eq!(agrees(words), Ok(true), "{words:?}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_clap() {
        let cases: &[&[&str]] = &[
            &["verify"],
            &["verify", "--help"],
            &["verify", "t", "-h"],
            &["--json", "verify", "t"],
            &["decode", "t"],
            &["verify", "t", "u"],
            &["verify", "t", "--jwks", "a", "--jwks", "b"],
            &["verify", "t", "--json=true"],
            &["verify", "t", "--jwks"],
            &["verify", "t", "--jwks", "--json"],
            &["verify", "t", "--jwks", ""],
            &["verify", "t", "--color", "sometimes"],
            &["verify", "t", "--token-use", "refresh"],
            &[
                "verify",
                "t",
                "--hasura-config",
                "{}",
                "--hasura-config-env",
            ],
            &["verify", "t", "--leeway", "5"],
            &["verify", "t", "--batch", "f"],
            &["verify", "--", "t"],
            &["verify", "-x"],
            // A prefix of a flag (clap does not infer flags from prefixes either).
            &["verify", "t", concat!("-", "-jwk"), "f"],
        ];
        for words in cases {
            assert_eq!(parse(&argv(words)).map(|_| ()), None, "{words:?}");
        }
    }

    const FLAG_WORDS: &[&str] = &[
        "--json",
        "--color",
        "--now",
        "--jwks",
        "--key",
        "--secret-env",
        "--issuer",
        "--cognito-pool",
        "--audience",
        "--client-id",
        "--token-use",
        "--hasura-config",
        "--hasura-config-env",
        "--role",
        "--expect-role",
        "--expect-default-role",
        "--forbid-role",
        "--offline",
        "--no-cache",
        "--refresh",
        "--batch",
        "--leeway",
        "--jobs",
        "--help",
        "-h",
        "--",
        "--json=1",
        "--role=",
        concat!("-", "-jwk"),
    ];
    const VALUE_WORDS: &[&str] = &[
        "t",
        "-",
        "@f",
        "",
        "-x",
        "never",
        "always",
        "auto",
        "1795915062",
        "-5",
        "id",
        "access",
        "a=b",
        "=",
        "ü",
        "{\"jwk_url\":\"x\"}",
        "verify",
    ];

    /// One command-line item: a flag with a separate value, a flag with `=value`, a flag
    /// alone, or a value alone.
    fn item() -> impl Strategy<Value = String> {
        (0..FLAG_WORDS.len(), 0..VALUE_WORDS.len(), 0..4u8).prop_map(|(f, v, form)| {
            let flag = FLAG_WORDS.get(f).copied().unwrap_or("--json");
            let value = VALUE_WORDS.get(v).copied().unwrap_or("t");
            match form {
                0 => format!("{flag}\u{0}{value}"),
                1 => format!("{flag}={value}"),
                2 => flag.to_owned(),
                _ => value.to_owned(),
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Random command lines of the fast path's flags, values and near misses: never an
        /// answer clap would not give.
        #[test]
        fn fast_path_never_disagrees_with_clap(
            items in proptest::collection::vec(item(), 0..7),
            token_at in 0..8usize,
            verify_first in proptest::bool::weighted(0.9),
        ) {
            let mut words: Vec<&str> = items.iter().flat_map(|i| i.split('\u{0}')).collect();
            words.insert(token_at.min(words.len()), "eyJ.x.y");
            if verify_first {
                words.insert(0, "verify");
            }
            prop_assert!(agrees(&words).is_ok(), "{}", agrees(&words).unwrap_err());
        }
    }

    #[test]
    fn the_random_command_lines_reach_the_fast_path() {
        // The property above is only worth something if the fast path often answers.
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = proptest::collection::vec(item(), 0..4);
        let mut answered = 0;
        for _ in 0..1000 {
            let items = strategy
                .new_tree(&mut runner)
                .map(|t| t.current())
                .unwrap_or_default();
            let mut words: Vec<&str> = items.iter().flat_map(|i| i.split('\u{0}')).collect();
            words.insert(0, "eyJ.x.y");
            words.insert(0, "verify");
            if agrees(&words) == Ok(true) {
                answered += 1;
            }
        }
        assert!(answered > 100, "the fast path answered {answered} of 1000");
    }
}
