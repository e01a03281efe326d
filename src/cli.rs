//! The command line (clap derive): commands, flags and help text with examples.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Will Hasura accept this JWT? A local, offline-capable jwt.io for Hasura behind Amazon Cognito.
#[derive(Debug, Parser)]
#[command(
    name = "jwtcheck",
    version,
    about,
    long_about = "Will Hasura accept this JWT, and if not, why?\n\n\
        jwtcheck decodes tokens and Cognito callback URLs, verifies signatures against a JWKS, \
        and reads the Hasura claims the way Hasura GraphQL Engine does.",
    after_help = "Examples:\n  \
        jwtcheck decode @samples/id-token.jwt\n  \
        jwtcheck from-url \"$(cat samples/callback-url.txt)\" --decode\n  \
        pbpaste | jwtcheck decode -\n\n\
        Exit codes: 0 valid/decoded, 1 rejected, 2 usage error, 3 keys unavailable, 4 malformed input."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one JSON report on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// When to use colors (auto: only on a terminal, and never with NO_COLOR set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,
    /// The clock for every time statement: Unix seconds or RFC 3339 (e.g. 2026-11-24T10:42:00Z).
    #[arg(long, global = true, value_name = "TIME")]
    pub now: Option<String>,
    /// Refuse inputs larger than this many bytes before decoding them.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT)]
    pub max_input: u64,
}

/// When to color the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colors on a terminal unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a token's header, claims, times and Hasura claims; never says "valid".
    #[command(
        after_help = "TOKEN may be the token, '-' (stdin), @FILE, 'Bearer <t>' or a whole \
        'Authorization: Bearer <t>' line; surrounding whitespace and quotes are ignored.\n\n\
        Examples:\n  \
        jwtcheck decode eyJraWQiOi...\n  \
        jwtcheck decode @samples/id-token.jwt --now 2026-11-24T10:00:00Z\n  \
        pbpaste | jwtcheck decode - --json | jq .token.payload"
    )]
    Decode {
        /// The token (or -, @FILE, 'Bearer …').
        token: String,
    },
    /// Read a Cognito Hosted UI / managed login callback URL and decode the token it carries.
    #[command(
        name = "from-url",
        after_help = "Reads the fragment (implicit grant: id_token, access_token, token_type, \
        expires_in, state) and the query (code grant: code, state; errors: error, \
        error_description).\n\n\
        Examples:\n  \
        jwtcheck from-url 'https://localhost:3000/callback#id_token=eyJ...&state=abc' --decode\n  \
        jwtcheck from-url @samples/callback-url.txt --decode --state abc123\n  \
        jwtcheck from-url - --decode --token access < url.txt"
    )]
    FromUrl {
        /// The URL the browser landed on after sign-in (or -, @FILE).
        url: String,
        /// Which token to take from an implicit-grant callback.
        #[arg(long, value_enum, default_value_t = TokenChoice::Id)]
        token: TokenChoice,
        /// The state value the app sent; a different state in the callback fails the check.
        #[arg(long, value_name = "VALUE")]
        state: Option<String>,
        /// Only show the token; do not verify it and never touch the network.
        #[arg(long)]
        decode: bool,
    },
}

/// Which token of a callback to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenChoice {
    /// The id token (what Hasura usually needs).
    Id,
    /// The access token.
    Access,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
