//! `check`'s sample tokens: `--token` and `--callback-url`, numbered in that order.

use super::{CheckArgs, Context};
use crate::cli::options::UsageError;
use crate::input::callback::{self, Grant};
use crate::input::{self, Wrapper};
use crate::report::Id;

/// A sample token and where it came from.
pub(super) struct Sample {
    pub(super) label: String,
    pub(super) text: String,
    pub(super) wrapper: Wrapper,
    /// A callback that carries no usable token: (id, message, hint).
    pub(super) dead_end: Option<(Id, String, String)>,
    /// The file and line it was read from.
    pub(super) place: Option<(String, usize)>,
}

/// The sample tokens from `--token` and `--callback-url`, numbered in that order.
pub(super) fn samples(
    args: &CheckArgs<'_>,
    ctx: &mut Context<'_>,
) -> Result<Vec<Sample>, UsageError> {
    let mut out = Vec::new();
    let cap = ctx.max_input.max(1024 * 1024);
    for arg in args.tokens {
        let (text, origin) = if arg == "-" {
            let i = input::read("-", cap, ctx.stdin)
                .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
            (i.text, "stdin".to_string())
        } else if let Some(path) = arg.strip_prefix('@') {
            let t = input::read_file(std::path::Path::new(path), cap)
                .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
            (t, path.to_string())
        } else if input::names_a_file(arg) {
            return Err(UsageError::new(
                Id::InputRead,
                format!("--token {}", input::did_you_mean_at(arg)),
                input::AT_FILE,
            ));
        } else {
            (arg.clone(), "--token".to_string())
        };
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if lines.is_empty() {
            return Err(empty_token_input(arg, &origin, &text));
        }
        let several = lines.len() > 1;
        for (n, line) in lines {
            let (token, wrapper) = input::clean(line);
            let label = if several {
                format!("{origin} line {n}")
            } else {
                origin.clone()
            };
            out.push(Sample {
                label: format!("token #{} ({label})", out.len() + 1),
                text: token.into_owned(),
                wrapper,
                dead_end: None,
                place: arg.strip_prefix('@').map(|path| (path.to_string(), n)),
            });
        }
    }
    for arg in args.callback_urls {
        let sample = callback_sample(arg, out.len() + 1, ctx)?;
        out.push(sample);
    }
    Ok(out)
}

/// A `--token` input that holds no token (an unset CI secret, an empty or comment-only file):
/// `check` stops rather than pass without judging a token.
fn empty_token_input(arg: &str, origin: &str, text: &str) -> UsageError {
    let what = if arg == "-" {
        "--token -: standard input".to_string()
    } else if arg.starts_with('@') {
        format!("--token @{origin}")
    } else {
        "--token".to_string()
    };
    let content = if text.trim().is_empty() {
        "is empty"
    } else {
        "holds only comments"
    };
    UsageError::new(
        Id::TokenEmpty,
        format!("{what} {content}: no sample token to check"),
        "an unset variable or an empty CI secret gives an empty --token; put one token per line (lines starting with # are comments), or leave --token out",
    )
}

/// The id token of a callback URL as sample number `number`, or why it carries none.
fn callback_sample(arg: &str, number: usize, ctx: &mut Context<'_>) -> Result<Sample, UsageError> {
    let i = input::read(arg, ctx.max_input, ctx.stdin)
        .map_err(|e| UsageError::new(Id::UsageUnreadable, e.to_string(), e.hint()))?;
    let label = format!("token #{number} (callback URL)");
    Ok(match callback::parse(&i.text) {
        Err(e) => Sample {
            label,
            text: String::new(),
            wrapper: Wrapper::None,
            dead_end: Some((e.id(), e.to_string(), e.hint().to_string())),
            place: None,
        },
        Ok(cb) => match (cb.grant(), cb.get("id_token")) {
            (Grant::Implicit, Some(t)) => Sample {
                label,
                text: t.to_string(),
                wrapper: Wrapper::None,
                dead_end: None,
                place: None,
            },
            (grant, _) => Sample {
                label,
                text: String::new(),
                wrapper: Wrapper::None,
                place: None,
                dead_end: Some((
                    match grant {
                        Grant::Error => Id::CallbackError,
                        Grant::Code => Id::CallbackCode,
                        Grant::Implicit => Id::CallbackNoIdToken,
                        Grant::Empty => Id::CallbackEmpty,
                    },
                    format!(
                        "the callback URL carries no id token ({})",
                        match grant {
                            Grant::Error =>
                                format!("Cognito returned {}", cb.get("error").unwrap_or_default()),
                            Grant::Code => "a code-grant callback".to_string(),
                            Grant::Implicit => "the openid scope was not requested".to_string(),
                            Grant::Empty => "no parameters".to_string(),
                        }
                    ),
                    "run jwtcheck from-url on it for the details".to_string(),
                )),
            },
        },
    })
}
