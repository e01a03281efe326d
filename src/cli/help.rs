//! The text around the top-level help: examples, exit codes and the environment variables.

/// The examples and exit codes under `jwtcheck -h`.
pub(super) const TOP_HELP: &str = "Examples:\n  \
    jwtcheck decode @samples/id-token.jwt\n  \
    jwtcheck verify @samples/id-token.jwt --jwks samples/jwks.json \\\n      \
    --now 2026-11-24T09:30:00Z\n  \
    jwtcheck from-url @samples/callback-url.txt --decode\n  \
    pbpaste | jwtcheck decode -\n  \
    jwtcheck explain hasura.format\n\n\
    Exit codes: 0 valid/decoded, 1 rejected, 2 usage error, 3 undecidable (the keys, or a \
    sign-in's token, could not be obtained), 4 malformed input; 74 the output could not be \
    written, 141 the output was closed early (| head).";

/// `jwtcheck --help`: [`TOP_HELP`], then the environment variables jwtcheck reads.
/// Built on every run (clap takes the text, not a function), so with `push_str` rather than a
/// `format!` per line.
pub(super) fn top_long_help() -> String {
    let width = ENVIRONMENT.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut text = String::with_capacity(2048);
    text.push_str(TOP_HELP);
    text.push_str("\n\nEnvironment:");
    for (name, what) in ENVIRONMENT {
        text.push_str("\n  ");
        text.push_str(name);
        text.extend(std::iter::repeat_n(
            ' ',
            width.saturating_sub(name.len()) + 2,
        ));
        text.push_str(what);
    }
    text
}

/// The environment variables jwtcheck reads, and what each does: the Environment section of
/// `jwtcheck --help` and the ENVIRONMENT section of every man page.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "HASURA_GRAPHQL_JWT_SECRET",
        "the engine's JWT configuration, read by --hasura-config-env",
    ),
    (
        "HASURA_GRAPHQL_JWT_SECRETS",
        "a list of configurations (Hasura Cloud and Enterprise), read by --hasura-config-env",
    ),
    (
        "JWTCHECK_COGNITO_ENDPOINT",
        "where Cognito pools' key sets are fetched instead of AWS (serve-keys, cognito-local)",
    ),
    (
        "XDG_CACHE_HOME",
        "the key set cache is $XDG_CACHE_HOME/jwtcheck (else ~/.cache; --cache-dir wins)",
    ),
    (
        "NO_COLOR",
        "set and not empty: no colours (wins over CLICOLOR_FORCE; --color always wins)",
    ),
    (
        "CLICOLOR_FORCE",
        "set and not 0: colours even when the output is not a terminal",
    ),
    ("TERM", "dumb: no colours"),
    (
        "HTTPS_PROXY, NO_PROXY",
        "the proxy for fetching key sets and discovery, and the hosts that bypass it",
    ),
    (
        "BROWSER",
        "the program login opens the sign-in page with (else the platform's opener)",
    ),
];
