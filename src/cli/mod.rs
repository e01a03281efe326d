//! The command line (clap derive): commands, flags and help text with examples.

pub mod devkit;
mod help;
pub mod options;
pub mod setup;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Id;
pub use help::ENVIRONMENT;
use help::{TOP_HELP, top_long_help};

/// `jwtcheck --version`: the version and the crypto backend (Cargo.toml builds jsonwebtoken and
/// rustls on aws-lc-rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (crypto: aws-lc-rs; TLS: rustls with aws-lc-rs)"
);

/// Will Hasura accept this JWT? A local, offline-capable jwt.io for Hasura behind Amazon Cognito.
#[derive(Debug, Parser)]
#[command(
    name = "jwtcheck",
    version = VERSION,
    about,
    long_about = "Will Hasura accept this JWT, and if not, why?\n\n\
        jwtcheck decodes tokens and Cognito callback URLs, verifies signatures against a JWKS, \
        and reads the Hasura claims the way Hasura GraphQL Engine does.",
    after_help = TOP_HELP,
    after_long_help = top_long_help()
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "Options every command takes.")]
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one JSON report on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// When to use colors (auto: only on a terminal, and never with NO_COLOR set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,
    /// The clock for every time statement: Unix seconds or RFC 3339 (e.g. 2026-11-24T10:42:00Z).
    #[arg(long, global = true, value_name = "TIME", allow_hyphen_values = true)]
    pub now: Option<String>,
    /// Refuse inputs larger than this many bytes before decoding them.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT)]
    pub max_input: u64,
}

impl Cli {
    /// `--json` on a command whose output is not a report (a completion script, a man page):
    /// the usage error that refuses it, rather than a script on stdout with exit 0.
    pub fn json_refused(&self, now: f64) -> Option<crate::report::Report> {
        let (name, prints) = match &self.command {
            _ if !self.global.json => return None,
            Command::Completions { .. } => ("completions", "a shell script"),
            // A name that is not a command gets man's own usage error, with the closest name.
            Command::Man { command: Some(c) }
                if <Cli as clap::CommandFactory>::command()
                    .find_subcommand(c)
                    .is_none() =>
            {
                return None;
            }
            Command::Man { .. } => ("man", "a man page (roff)"),
            _ => return None,
        };
        let mut report = crate::report::Report::new(now);
        report.stop(
            crate::report::Verdict::UsageError,
            Id::UsageArguments,
            format!("--json does not apply to {name}, which prints {prints}"),
            format!("leave --json out: jwtcheck {name} …"),
        );
        Some(report)
    }
}

/// `--jobs N`: a whole number of threads, at least one.
fn jobs(text: &str) -> Result<std::num::NonZeroUsize, String> {
    match text.parse::<usize>() {
        Ok(n) => std::num::NonZeroUsize::new(n).ok_or_else(|| {
            "at least one thread must verify (leave --jobs out for one per core)".into()
        }),
        Err(_) => Err(
            "not a whole number of threads (e.g. --jobs 4; leave it out for one per core)".into(),
        ),
    }
}

/// The `--color` choice on a command line clap refused (for its help and error text, which
/// follow the same decision as every other output): the last `--color WHEN` or `--color=WHEN`,
/// else auto.
pub fn color_in(args: &[std::ffi::OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut args = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(c) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = c;
        }
    }
    choice
}

/// Whether a command line clap refused asked for a batch (`--batch`): its usage error is then
/// one NDJSON line like every other report of the run.
pub fn batch_in(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .filter_map(|a| a.to_str())
        .any(|a| a == "--batch" || a.starts_with("--batch="))
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

/// The commands. Each one's flags are built only when it runs (`defer`): building every
/// command's arguments was a quarter of a `verify`'s start-up.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Show a token's header, claims, times and Hasura claims; never says "valid".
    #[command(
        after_help = "TOKEN may be the token, '-' (stdin), @FILE, 'Bearer <t>' or a whole \
        'Authorization: Bearer <t>' line; surrounding whitespace and quotes are ignored.\n\n\
        Examples:\n  \
        jwtcheck decode eyJraWQiOi...\n  \
        jwtcheck decode @samples/id-token.jwt --now 2026-11-24T09:30:00Z\n  \
        pbpaste | jwtcheck decode - --json | jq .token.payload"
    )]
    Decode {
        /// The token (or -, @FILE, 'Bearer …').
        token: String,
    },
    /// Verify a token: signature, times, issuer, audience, Cognito token use and client.
    #[command(
        after_help = "Keys come from exactly one of --jwks, --key, --secret-file, \
        --secret-env, --secret; or from --cognito-pool (the pool's JWKS) or --issuer (OIDC \
        discovery). With none of these, a token whose iss is a Cognito user pool is checked \
        against that pool's keys (and the output says so); any other issuer is never trusted \
        for keys.\n\n\
        Examples:\n  \
        jwtcheck verify @id-token.jwt --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfs...\n  \
        jwtcheck verify @samples/id-token.jwt --jwks samples/jwks.json \\\n      \
        --now 2026-11-24T09:30:00Z\n  \
        jwtcheck verify \"$TOKEN\" --issuer https://auth.example.com/ --audience api\n  \
        jwtcheck verify - --secret-env JWT_SECRET < token.txt\n  \
        jwtcheck verify --batch tokens.txt --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfs...\n  \
        grep -o 'Bearer [^\"]*' access.log \\\n      \
        | jwtcheck verify --batch - --hasura-config-env --json\n  \
        jwtcheck verify --batch access.ndjson --field request.headers.authorization \\\n      \
        --cognito-pool us-east-1_AbC123"
    )]
    Verify {
        /// The token (or -, @FILE, 'Bearer …').
        #[arg(required_unless_present = "batch")]
        token: Option<String>,
        /// Verify many tokens: one per line of FILE (or - for stdin), in any form TOKEN takes;
        /// blank lines and lines starting with # are skipped. One line (with --json, one JSON
        /// report) per token, in input order, then a summary; the exit code is the worst verdict.
        #[arg(long, value_name = "FILE|-", conflicts_with = "token")]
        batch: Option<String>,
        /// With --batch: how many threads verify (default: one per core).
        #[arg(long, value_name = "N", requires = "batch", conflicts_with = "token", value_parser = jobs)]
        jobs: Option<std::num::NonZeroUsize>,
        /// With --batch: every line is a JSON object (a JSON access log) and the token is the
        /// string at PATH, a dotted path such as request.headers.authorization; write a name
        /// that holds a dot or another special character in brackets and quotes
        /// (headers["x.token"]), an array element as [N]. The string may be in any form TOKEN
        /// takes ('Bearer <t>' included). A line that is not JSON, or lacks the field, is
        /// reported (malformed) and the rest checked.
        #[arg(
            long,
            value_name = "PATH",
            requires = "batch",
            conflicts_with = "token"
        )]
        field: Option<String>,
        /// With --batch: judge every line afresh. By default a token seen again in the run (the
        /// same text, with the same keys) repeats its line without being judged again; the memo
        /// keeps at most 65,536 tokens and 8 MiB of lines, then starts over.
        #[arg(long, requires = "batch", conflicts_with = "token")]
        no_memo: bool,
        /// Where the keys come from and what the token must satisfy.
        #[command(flatten)]
        verify: VerifyArgs,
    },
    /// Read a Cognito Hosted UI / managed login callback URL and verify the token it carries.
    #[command(
        name = "from-url",
        after_help = "Reads the fragment (implicit grant: id_token, access_token, token_type, \
        expires_in, state) and the query (code grant: code, state; errors: error, \
        error_description).\n\n\
        Examples:\n  \
        jwtcheck from-url 'https://localhost:3000/cb#id_token=eyJ...&state=abc' \\\n      \
        --cognito-pool us-east-1_AbC123\n  \
        jwtcheck from-url @samples/callback-url.txt --decode --state k3s9-f00d\n  \
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
        /// Exchanging a code callback's code for tokens.
        #[command(flatten)]
        exchange: ExchangeArgs,
        /// Where the keys come from and what the token must satisfy.
        #[command(flatten)]
        verify: VerifyArgs,
    },
    /// Sign in through Cognito's managed login / Hosted UI and check the id token you get.
    #[command(
        after_help = "Builds the authorize URL (code grant, PKCE S256, a fresh state and nonce), \
        listens on http://localhost:PORT/callback (127.0.0.1 and ::1; allow that callback URL in the \
        app client), opens the browser ($BROWSER, else the platform's opener), exchanges the \
        code and checks the id token (nonce included) like verify.\n\n\
        Examples:\n  \
        jwtcheck login --domain https://myapp.auth.us-east-1.amazoncognito.com \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0\n  \
        TOKEN=$(jwtcheck login --domain … --client-id … --print id)\n  \
        curl -H \"Authorization: Bearer $TOKEN\" https://hasura.example/v1/graphql …"
    )]
    Login(LoginArgs),
    /// Show and lint a key set, with the HTTP caching headers its server sends.
    #[command(
        after_help = "A URL is always fetched (and the cache updated) unless --offline. \
        Lints: duplicate kids, missing alg/use, RSA under 2048 bits, private key members, \
        symmetric (oct) keys, keys jwtcheck cannot use; and what the caching headers mean for \
        Hasura's refresh of a jwk_url.\n\n\
        Examples:\n  \
        POOL=https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123\n  \
        jwtcheck jwks $POOL/.well-known/jwks.json\n  \
        jwtcheck jwks samples/jwks.json --json\n  \
        jwtcheck jwks $POOL/.well-known/jwks.json \\\n      \
        --watch --interval 5m --hasura-config-env"
    )]
    Jwks {
        /// A key set URL or file.
        source: String,
        /// How key sets are fetched and cached.
        #[command(flatten)]
        fetch: FetchArgs,
        /// Poll the key set URL until Ctrl-C, printing a line (with the time) when kids are
        /// added or removed and when a poll fails; polls honour Cache-Control.
        #[arg(long)]
        watch: bool,
        /// With --watch: the shortest time between polls (at least 10s) [default: 60s]; a
        /// fresh Cache-Control max-age waits longer.
        #[arg(long, value_name = "DURATION", requires = "watch")]
        interval: Option<String>,
        /// With --watch: the Hasura configuration, to say when the engine sees a new key.
        #[command(flatten)]
        hasura: HasuraArgs,
    },
    /// Translate a Hasura JWT configuration between v2 (HASURA_GRAPHQL_JWT_SECRET) and Hasura
    /// DDN (an AuthConfig), saying what cannot be carried over.
    #[command(
        name = "hasura-config",
        after_help = "A v2 configuration (JSON) becomes a DDN AuthConfig (YAML, for \
        globals/metadata/auth-config.hml); a DDN AuthConfig becomes the v2 JSON value. What \
        cannot be carried over, and behaviours that differ between the engines, are listed \
        (as comments in the YAML; on stderr for JSON). An HMAC secret is not written into the \
        AuthConfig: it reads key.valueFromEnv HASURA_DDN_JWT_SECRET.\n\n\
        Examples:\n  \
        jwtcheck hasura-config @samples/hasura-jwt-secret.json > auth-config.hml\n  \
        jwtcheck hasura-config @samples/auth-config.hml --to v2\n  \
        printenv HASURA_GRAPHQL_JWT_SECRET | jwtcheck hasura-config -\n  \
        jwtcheck hasura-config \"$HASURA_GRAPHQL_JWT_SECRET\" --to ddn\n  \
        jwtcheck hasura-config --hasura-config-env"
    )]
    HasuraConfig {
        /// The configuration: JSON or YAML text, @FILE, or - (standard input).
        #[arg(
            value_name = "CONFIG|@FILE|-",
            required_unless_present = "hasura_config_env",
            conflicts_with = "hasura_config_env"
        )]
        config: Option<String>,
        /// Read the configuration from HASURA_GRAPHQL_JWT_SECRET (or the list
        /// HASURA_GRAPHQL_JWT_SECRETS, as the engine does) instead of CONFIG.
        #[arg(long)]
        hasura_config_env: bool,
        /// The form to write (default: the other one).
        #[arg(long, value_enum, value_name = "FORM")]
        to: Option<ConfigForm>,
        /// Hasura DDN: the project's compatibility date (for the notes on aud).
        #[arg(long, value_name = "YYYY-MM-DD")]
        ddn_compatibility_date: Option<String>,
    },
    /// Make a key pair and a key set shaped like a Cognito pool's (dev kit: with mint and
    /// serve-keys, test Hasura permissions before a real pool exists).
    #[command(
        after_help = "Writes DIR/private.pem (PKCS#8, mode 0600; never printed), \
        DIR/public.pem (for a Hasura key configuration) and DIR/jwks.json (what serve-keys \
        publishes). The kid is the key's RFC 7638 thumbprint in standard base64, which looks \
        like a Cognito kid.\n\n\
        Examples:\n  \
        jwtcheck keygen --out devkeys\n  \
        jwtcheck keygen --out devkeys-ec --alg ES256"
    )]
    Keygen(devkit::KeygenArgs),
    /// Mint a token shaped like Cognito's, with Hasura claims where a Pre Token Generation V1
    /// trigger puts them, signed by a keygen key (dev kit).
    #[command(
        after_help = "The token alone goes to stdout; the report (its first line, or \
        --json) goes to stderr. With --hasura-config (or --hasura-config-env) the token is shaped for that \
        configuration (issuer, audience, namespace or path, format, claims_map) and checked \
        under it as verify --hasura-config checks tokens: a token Hasura would refuse is not \
        printed, and the reason is (exit 1). --now sets the time the token is issued at.\n\n\
        Examples:\n  \
        TOKEN=$(jwtcheck mint --key devkeys --role user --user-id ada)\n  \
        jwtcheck mint --key devkeys --role editor --role user \\\n      \
        --session x-hasura-org-id=42 --hasura-config-env\n  \
        jwtcheck mint --key devkeys --token-use access \\\n      \
        --claims-format json --lifetime 15m"
    )]
    Mint(devkit::MintArgs),
    /// Serve a key set at a Cognito pool's paths on 127.0.0.1, and print the
    /// HASURA_GRAPHQL_JWT_SECRET that points a local Hasura at it (dev kit).
    #[command(
        name = "serve-keys",
        after_help = "Serves /POOL_ID/.well-known/jwks.json and \
        /POOL_ID/.well-known/openid-configuration (Cache-Control: public, max-age=60) on \
        127.0.0.1 only, until Ctrl-C or SIGTERM. The first line names the key set's URL; one \
        line per request goes to stderr.\n\n\
        Examples:\n  \
        jwtcheck serve-keys devkeys\n  \
        jwtcheck serve-keys devkeys --port 0 --cognito-pool eu-west-1_AbC123 \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0"
    )]
    ServeKeys(devkit::ServeKeysArgs),
    /// The local jwt.io: a page on 127.0.0.1 where a pasted token is decoded and judged by the
    /// same judge as `verify` (offline, every asset in the binary).
    #[command(
        after_help = "Listens on 127.0.0.1 only (default port 8978; --port 0 picks a free one) and \
        prints the page's URL first, with a secret for this run after the #: the page sends it \
        with every API call, and a call without it is refused. The flags fill in the page. \
        Ctrl-C or SIGTERM stops it (exit 0).\n\n\
        Examples:\n  \
        jwtcheck ui\n  \
        jwtcheck ui --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0\n  \
        jwtcheck ui --no-browser --port 0 --hasura-config-env"
    )]
    Ui(UiArgs),
    /// Generate a working Cognito → Hasura setup (the trigger Lambda, Hasura's configuration, a
    /// policy and the steps), and prove it: sample users' tokens judged under it.
    #[command(
        after_help = "First the advice: which path the setup takes, why, and what breaks if a \
        choice changes later. Then, with --out, the files: the Pre Token Generation Lambda \
        (unless --trigger none), hasura-jwt-secret.json (v2), auth-config.hml (DDN), policy.json \
        and SETUP.md; a file already there is kept unless --force. Last the proof: a token for \
        each sample user, shaped as Cognito issues it after the trigger ran, judged under each \
        generated configuration and the policy (exit 1 if one does not come out as the choices \
        say). Choices that cannot work together are usage errors (exit 2) naming the choice to \
        change.\n\n\
        Examples:\n  \
        jwtcheck setup --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0 \\\n      \
        --out hasura-auth\n  \
        jwtcheck setup --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0 \\\n      \
        --token access --trigger v2 --lambda-runtime python \\\n      \
        --session x-hasura-org-id=attribute:custom:org --out hasura-auth\n  \
        jwtcheck setup --cognito-pool us-east-1_AbC123 \\\n      \
        --client-id 4l1h8mfsl2jt8ovcbvda5sqvd0 \\\n      \
        --trigger none --hasura ddn --no-role deny"
    )]
    Setup(setup::SetupArgs),
    /// Pre-deploy check for CI: the Hasura JWT configuration, its key set, sample tokens and the
    /// expected roles agree.
    #[command(
        after_help = "Runs every check and prints one table: configuration lints (before \
        anything is fetched), the key set (reachable, usable, refreshed by Hasura), each sample \
        token as the engine would judge it, and the policy. Exit 0 only when nothing failed \
        (--strict: nothing warned either), 1 when a check failed, 2 for unusable input, 3 when the \
        keys could not be obtained.\n\n\
        Examples:\n  \
        jwtcheck check --hasura-config-env --token @tokens.txt --policy policy.json\n  \
        jwtcheck check --hasura-config @samples/hasura-jwt-secret.json \\\n      \
        --jwks samples/jwks.json --token @samples/id-token.jwt \\\n      \
        --policy samples/policy.json --now 2026-11-24T09:30:00Z\n  \
        jwtcheck check --hasura-config-env --callback-url \"$URL\" \\\n      \
        --format github --strict"
    )]
    Check {
        /// The Hasura configuration.
        #[command(flatten)]
        hasura: HasuraArgs,
        /// A sample token: the token, @FILE (one token per line), or - (stdin; one per line). Repeatable.
        #[arg(long = "token", value_name = "TOKEN|@FILE|-")]
        tokens: Vec<String>,
        /// A Hosted UI callback URL whose id token is a sample (repeatable).
        #[arg(long = "callback-url", value_name = "URL")]
        callback_urls: Vec<String>,
        /// A key set (URL or file) standing in for the configuration's jwk_url.
        #[arg(long, value_name = "URL|FILE")]
        jwks: Option<String>,
        /// Expected roles and claims.
        #[command(flatten)]
        policy: PolicyArgs,
        /// How key sets are fetched and cached.
        #[command(flatten)]
        fetch: FetchArgs,
        /// Count warnings as failures.
        #[arg(long)]
        strict: bool,
        /// Refuse a sample whose sign-in (auth_time, else iat) is older than DURATION (check id
        /// max_age).
        #[arg(long, value_name = "DURATION")]
        max_age: Option<String>,
        /// Output style (--json overrides it).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Get new tokens with a refresh token at the pool's token endpoint and check them as login
    /// does.
    #[command(
        after_help = "Runs grant_type=refresh_token at DOMAIN/oauth2/token for --client-id (with \
        the client secret from --client-secret-env or --client-secret-file), then checks the new \
        id token (or, with --print access, the access token) like verify. The refresh token is \
        read from --refresh-token-file or --refresh-token-env, never from an argument, and never \
        shown; when Cognito rotates it, the file is replaced atomically and the output says so.\n\n\
        Examples:\n  \
        jwtcheck login --domain https://myapp.auth.us-east-1.amazoncognito.com \\\n      \
        --client-id 4l1h8mfs... \\\n      \
        --save-refresh-token ~/.config/myapp/refresh-token\n  \
        jwtcheck refresh --domain https://myapp.auth.us-east-1.amazoncognito.com \\\n      \
        --client-id 4l1h8mfs... \\\n      \
        --refresh-token-file ~/.config/myapp/refresh-token --hasura-config-env\n  \
        curl -H \"Authorization: Bearer $(jwtcheck refresh --domain … --client-id … \\\n      \
        --refresh-token-env REFRESH_TOKEN --print id)\" …"
    )]
    Refresh(RefreshArgs),
    /// Compare two tokens for what they mean: header, claims, times, issuer; with keys or a
    /// Hasura configuration, their verdicts and sessions first.
    #[command(
        after_help = "A and B take the TOKEN forms (one of them may be -). Claims are compared \
        member by member, inside objects and stringified JSON too; a type change (an array that \
        became a string, stringified JSON that became an object) is named. Times: lifetime, the \
        iat and auth_time shift, expired now. With key flags or --hasura-config each token is \
        judged (one key fetch for both) and the first line says which side fails and why.\n\n\
        Exit codes: 0 when both verdicts are the same (always, without keys), 1 when they differ; \
        2, 3 or 4 when a side cannot be read, its keys cannot be obtained, or it is malformed.\n\n\
        Examples:\n  \
        jwtcheck diff @yesterday.jwt @today.jwt\n  \
        jwtcheck diff @before-refresh.jwt @after-refresh.jwt \\\n      \
        --hasura-config-env --now 2026-11-24T09:30:00Z\n  \
        jwtcheck diff @a.jwt @b.jwt --jwks samples/jwks.json --json | jq .changes"
    )]
    Diff {
        /// The first token (or -, @FILE, 'Bearer …').
        a: String,
        /// The second token.
        b: String,
        /// Where the keys come from and what the tokens must satisfy.
        #[command(flatten)]
        verify: VerifyArgs,
    },
    /// Explain a check id: what it checks, why it matters, common causes and the fix.
    #[command(
        after_help = "Without an ID, lists every id with its one-line meaning. With --json, the \
        same as JSON. The engine's error words (JWSInvalidSignature, JWTExpired, 'claims key', \
        DDN's InvalidAudience, …) stand for the id they correspond to.\n\n\
        Examples:\n  \
        jwtcheck explain hasura.format\n  \
        jwtcheck explain JWSInvalidSignature\n  \
        jwtcheck explain\n  \
        jwtcheck explain exp --json | jq -r .fix"
    )]
    Explain {
        /// A check id, e.g. exp, hasura.default_role, fetch.timeout; or the engine's error words,
        /// e.g. JWSInvalidSignature, JWTExpired, "claims key".
        #[arg(value_name = "ID", value_parser = IdParser, hide_possible_values = true)]
        id: Option<Id>,
    },
    /// Print a shell completion script on stdout.
    #[command(after_help = "Examples:\n  \
        jwtcheck completions bash \\\n      \
        > ~/.local/share/bash-completion/completions/jwtcheck\n  \
        jwtcheck completions zsh > ~/.zfunc/_jwtcheck\n  \
        jwtcheck completions fish > ~/.config/fish/completions/jwtcheck.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) on stdout: jwtcheck(1), or jwtcheck-COMMAND(1) for one command.
    #[command(after_help = "Examples:\n  \
        jwtcheck man > ~/.local/share/man/man1/jwtcheck.1\n  \
        jwtcheck man verify > ~/.local/share/man/man1/jwtcheck-verify.1\n  \
        jwtcheck man | man -l -")]
    Man {
        /// A command, for its own page (e.g. verify).
        #[arg(value_name = "COMMAND", value_parser = CommandName, hide_possible_values = true)]
        command: Option<String>,
    },
    /// Print the JSON Schema (draft 2020-12) of the --json report on stdout.
    #[command(after_help = "Examples:\n  \
        jwtcheck schema > jwtcheck-report.schema.json\n  \
        jwtcheck schema | jq '.\"$defs\".Report.properties | keys'")]
    Schema,
}

/// Reads a command name for `man`: any text (a name that is not a command is `man`'s own usage
/// error, with the closest name), and the command names are offered to shell completion.
#[derive(Debug, Clone, Copy)]
pub struct CommandName;

impl clap::builder::TypedValueParser for CommandName {
    type Value = String;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            COMMANDS
                .iter()
                .map(|n| clap::builder::PossibleValue::new(*n)),
        ))
    }
}

/// Every command's name (a test proves it is the clap definitions' list).
pub const COMMANDS: &[&str] = &[
    "decode",
    "verify",
    "from-url",
    "login",
    "jwks",
    "hasura-config",
    "keygen",
    "mint",
    "serve-keys",
    "ui",
    "setup",
    "check",
    "refresh",
    "diff",
    "explain",
    "completions",
    "man",
    "schema",
];

/// Reads a check id for `explain`: an unknown one is a usage error that suggests the closest id,
/// and the ids are offered to shell completion.
#[derive(Debug, Clone, Copy)]
pub struct IdParser;

impl clap::builder::TypedValueParser for IdParser {
    type Value = Id;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Id, clap::Error> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let text = value.to_string_lossy();
        if let Some(id) = Id::parse(&text).or_else(|| crate::report::explain::engine_words(&text)) {
            return Ok(id);
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        let name = arg.map_or_else(|| "ID".to_string(), |a| a.to_string());
        err.insert(ContextKind::InvalidArg, ContextValue::String(name));
        err.insert(ContextKind::InvalidValue, ContextValue::String(text.into()));
        if let Some(close) = Id::closest(&value.to_string_lossy()) {
            err.insert(
                ContextKind::SuggestedValue,
                ContextValue::String(close.as_str().to_string()),
            );
        }
        Err(err)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Id::ALL.iter().map(|id| {
            clap::builder::PossibleValue::new(id.as_str()).help(id.meaning())
        })))
    }
}

/// How `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A table for people.
    Text,
    /// GitHub Actions annotations (::error ::…), then the table.
    Github,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(
    doc,
    doc = "What `login` needs: the managed login domain, the listener and what to check."
)]
#[derive(Debug, Args, Clone)]
// The app client is required here (optional for the other commands that share the flag), so
// the usage line shows it.
#[command(mut_arg("client_id", |a| a.required(true)))]
pub struct LoginArgs {
    /// The Hosted UI / managed login domain.
    #[arg(long, value_name = "URL")]
    pub domain: String,
    /// The scopes to request.
    #[arg(long, value_name = "SCOPES", default_value = "openid email profile")]
    pub scope: String,
    /// The listener's port on localhost (0: any free port).
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_LOGIN_PORT)]
    pub port: u16,
    /// Only print the sign-in URL; do not open a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// A federated identity provider to go to directly (Cognito's identity_provider).
    #[arg(long, value_name = "NAME")]
    pub identity_provider: Option<String>,
    /// How long to wait for the sign-in, in seconds (1 to 86400).
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub wait: u64,
    /// Write only this token to stdout (the report then goes to stderr).
    #[arg(long, value_enum, value_name = "TOKEN")]
    pub print: Option<TokenChoice>,
    /// The app client's secret, read from this environment variable (sent as HTTP Basic).
    #[arg(long, value_name = "VAR", conflicts_with = "client_secret_file")]
    pub client_secret_env: Option<String>,
    /// The app client's secret, read from this file.
    #[arg(long, value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,
    /// Write the refresh token the sign-in returns to FILE (new, mode 0600; never shown), for
    /// `jwtcheck refresh --refresh-token-file FILE`.
    #[arg(long, value_name = "FILE")]
    pub save_refresh_token: Option<PathBuf>,
    /// With --save-refresh-token: replace the file when it exists.
    #[arg(long, requires = "save_refresh_token")]
    pub force: bool,
    /// Where the keys come from and what the token must satisfy.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// The default port of `jwtcheck ui`'s page: `http://127.0.0.1:8978/`.
pub const DEFAULT_UI_PORT: u16 = 8978;

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "What `ui` needs: its port, and what fills in the page.")]
#[derive(Debug, Args, Clone)]
pub struct UiArgs {
    /// The page's port on 127.0.0.1 (0: any free port).
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_UI_PORT)]
    pub port: u16,
    /// Only print the page's URL; do not open a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// What fills in the page's verification panel.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "Key source and claim requirements for verification.")]
#[derive(Debug, Args, Clone)]
pub struct VerifyArgs {
    /// Keys.
    #[command(flatten)]
    pub keys: KeyArgs,
    /// Claims.
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// Fetching.
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Hasura's configuration.
    #[command(flatten)]
    pub hasura: HasuraArgs,
    /// Expected roles and claims.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

impl VerifyArgs {
    /// The verification flags as clap reads `flags` (flags only, no command name), every
    /// default filled in by clap as on the command line: for a configuration built in code.
    pub fn from_flags<I, T>(flags: I) -> Result<VerifyArgs, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let command = clap::Command::new("verify").no_binary_name(true);
        let matches = <VerifyArgs as Args>::augment_args(command).try_get_matches_from(flags)?;
        <VerifyArgs as clap::FromArgMatches>::from_arg_matches(&matches)
    }
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "The Hasura JWT configuration to judge the token by.")]
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Hasura")]
pub struct HasuraArgs {
    /// The engine's JWT configuration: the value of HASURA_GRAPHQL_JWT_SECRET (JSON text or @FILE; a JSON list is read as HASURA_GRAPHQL_JWT_SECRETS), or a Hasura DDN AuthConfig (@auth-config.hml, YAML or JSON).
    #[arg(long, value_name = "JSON|@FILE", conflicts_with = "hasura_config_env")]
    pub hasura_config: Option<String>,
    /// Read HASURA_GRAPHQL_JWT_SECRETS (a list; it wins when both are set) or HASURA_GRAPHQL_JWT_SECRET from the environment.
    #[arg(long)]
    pub hasura_config_env: bool,
    /// Simulate the x-hasura-role request header (must be one of the token's allowed roles).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The engine's wording for claim errors: unquoted (as in every release seen) or quoted (builds since the quoting change).
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = MessageStyle::Unquoted)]
    pub hasura_messages: MessageStyle,
    /// Which Hasura reads the configuration: the open-source engine (oss) reads only
    /// HASURA_GRAPHQL_JWT_SECRET; Hasura Cloud and Enterprise (cloud, ee) also read the list
    /// HASURA_GRAPHQL_JWT_SECRETS, which then wins.
    #[arg(long, value_enum, value_name = "EDITION")]
    pub hasura_edition: Option<Edition>,
    /// Hasura DDN: the project's compatibility date (compatibility-config.hml). From 2025-03-11
    /// the engine refuses a token whose aud the AuthConfig does not name; before, it never checks aud.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub ddn_compatibility_date: Option<String>,
    /// Hasura DDN (AuthConfig v4): the alternative mode the request names in its
    /// X-Hasura-Auth-Mode header (default: the AuthConfig's default mode).
    #[arg(long, value_name = "IDENTIFIER")]
    pub ddn_auth_mode: Option<String>,
}

/// A form of Hasura JWT configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigForm {
    /// Hasura DDN's AuthConfig (YAML).
    Ddn,
    /// Hasura v2's HASURA_GRAPHQL_JWT_SECRET (JSON).
    V2,
}

pub use crate::settings::Edition;

/// The default port of `login`'s callback listener: register
/// `http://localhost:8976/callback` as an allowed callback URL of the app client.
pub const DEFAULT_LOGIN_PORT: u16 = 8976;

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(
    doc,
    doc = "A code callback's code exchanged at Cognito's token endpoint (`--client-id` names the app client)."
)]
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Code exchange")]
pub struct ExchangeArgs {
    /// The Hosted UI / managed login domain (https://PREFIX.auth.REGION.amazoncognito.com or a
    /// custom domain; http only on loopback): a code callback's code is exchanged there.
    #[arg(long, value_name = "URL")]
    pub domain: Option<String>,
    /// The app client's secret, read from this environment variable (sent as HTTP Basic).
    #[arg(long, value_name = "VAR", conflicts_with = "client_secret_file")]
    pub client_secret_env: Option<String>,
    /// The app client's secret, read from this file.
    #[arg(long, value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,
    /// The PKCE code_verifier the authorize request's code_challenge was made from (works, but
    /// lands in shell history: prefer the two below).
    #[arg(long, value_name = "VERIFIER", conflicts_with_all = ["code_verifier_env", "code_verifier_file"])]
    pub code_verifier: Option<String>,
    /// The PKCE code_verifier, read from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "code_verifier_file")]
    pub code_verifier_env: Option<String>,
    /// The PKCE code_verifier, read from this file (surrounding whitespace is ignored).
    #[arg(long, value_name = "FILE")]
    pub code_verifier_file: Option<PathBuf>,
    /// The authorize request's redirect_uri [default: the callback URL without query and
    /// fragment].
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
}

/// How the engine words session-variable names in its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum MessageStyle {
    /// `JWT claim does not contain x-hasura-allowed-roles`.
    #[default]
    Unquoted,
    /// `JWT claim does not contain "x-hasura-allowed-roles"`.
    Quoted,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(
    doc,
    doc = "What the token's Hasura claims must say: each rule is a check `policy.<rule>`."
)]
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Policy")]
pub struct PolicyArgs {
    /// A JSON policy file (its keys: docs/src/policy.md); the flags below add to it.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// A role that must be among the allowed roles (repeatable).
    #[arg(long, value_name = "ROLE")]
    pub expect_role: Vec<String>,
    /// The default role the token must have.
    #[arg(long, value_name = "ROLE")]
    pub expect_default_role: Option<String>,
    /// A role that must never be allowed (repeatable), e.g. admin.
    #[arg(long, value_name = "ROLE")]
    pub forbid_role: Vec<String>,
    /// A session variable that must be present and non-empty (repeatable), e.g. x-hasura-user-id.
    #[arg(long, value_name = "NAME")]
    pub require_claim: Vec<String>,
    /// A session variable that must equal a token claim (repeatable), e.g. x-hasura-user-id=sub.
    #[arg(long, value_name = "VAR=CLAIM")]
    pub claim_equals: Vec<String>,
    /// The token_use the token must have.
    #[arg(long, value_enum, value_name = "KIND")]
    pub expect_token_use: Option<TokenChoice>,
    /// The longest acceptable token lifetime (exp − iat), in seconds.
    #[arg(long, value_name = "SECONDS")]
    pub max_lifetime: Option<f64>,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "Where the keys come from.")]
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Keys")]
pub struct KeyArgs {
    /// A JWKS: an https URL (or http on localhost) or a file.
    #[arg(long, value_name = "URL|FILE")]
    pub jwks: Option<String>,
    /// A PEM public key or certificate, or a single JWK (JSON).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// An HMAC secret read from a file (a trailing newline is ignored).
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// An HMAC secret read from an environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// An HMAC secret on the command line (works, but lands in shell history: prefer the two above).
    #[arg(long, value_name = "VALUE")]
    pub secret: Option<String>,
    /// The expected issuer (exact iss; repeatable, any of). Alone, also finds the keys by OIDC discovery.
    #[arg(long, value_name = "URL")]
    pub issuer: Vec<String>,
    /// A Cognito user pool id (us-east-1_AbC123): its issuer and key set.
    #[arg(long, value_name = "POOL_ID")]
    pub cognito_pool: Option<String>,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "What the token's claims must satisfy.")]
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Claims")]
pub struct ClaimArgs {
    /// An accepted audience (repeatable, any of); the token's aud may be a string or a list.
    #[arg(long, value_name = "AUD")]
    pub audience: Vec<String>,
    /// Cognito: the token must be an id or an access token.
    #[arg(long, value_enum, value_name = "KIND")]
    pub token_use: Option<TokenChoice>,
    /// Cognito: the app client id (aud of an id token, client_id of an access token; repeatable).
    #[arg(long, value_name = "ID")]
    pub client_id: Vec<String>,
    /// Seconds of clock skew allowed on exp, nbf and iat [default: 0].
    #[arg(long, value_name = "SECONDS")]
    pub leeway: Option<f64>,
    /// Accept tokens without exp.
    #[arg(long)]
    pub no_exp_required: bool,
    /// Refuse a token whose sign-in (auth_time, else iat) is older than DURATION (3600, 15m,
    /// 12h, 7d), as panva/jose's maxTokenAge: check id max_age.
    #[arg(long, value_name = "DURATION")]
    pub max_age: Option<String>,
    /// Accept an HMAC secret shorter than the hash (RFC 7518 §3.2 forbids it; Hasura refuses
    /// it at startup): the key check then warns instead of failing.
    #[arg(long)]
    pub allow_weak_secret: bool,
}

// clap would show a flattened struct's doc comment as its command's about; rustdoc
// still shows this one.
#[cfg_attr(doc, doc = "How documents are fetched and cached.")]
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Fetching")]
pub struct FetchArgs {
    /// Total time allowed per request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT)]
    pub timeout: f64,
    /// Where fetched key sets and discovery documents are cached (default: the platform cache dir).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with_all = ["refresh", "offline"])]
    pub no_cache: bool,
    /// Fetch even when the cache is fresh (and update it).
    #[arg(long, conflicts_with = "offline")]
    pub refresh: bool,
    /// Never use the network: use the cache, whatever its age, or fail.
    #[arg(long)]
    pub offline: bool,
}

/// The default of `--timeout`, in seconds.
pub const DEFAULT_TIMEOUT: f64 = 5.0;

/// `jwtcheck refresh`'s flags.
#[derive(Debug, Args, Clone)]
pub struct RefreshArgs {
    /// The Hosted UI / managed login domain.
    #[arg(long, value_name = "URL")]
    pub domain: String,
    /// The file holding the refresh token (`login --save-refresh-token` writes it); replaced,
    /// atomically, when the token endpoint rotates the refresh token.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "refresh_token_env",
        conflicts_with = "refresh_token_env"
    )]
    pub refresh_token_file: Option<PathBuf>,
    /// The environment variable holding the refresh token.
    #[arg(long, value_name = "VAR")]
    pub refresh_token_env: Option<String>,
    /// Write only this token to stdout (the report then goes to stderr).
    #[arg(long, value_enum, value_name = "TOKEN")]
    pub print: Option<TokenChoice>,
    /// The app client's secret, read from this environment variable (sent as HTTP Basic).
    #[arg(long, value_name = "VAR", conflicts_with = "client_secret_file")]
    pub client_secret_env: Option<String>,
    /// The app client's secret, read from this file.
    #[arg(long, value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,
    /// Where the keys come from and what the token must satisfy.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// Which token: the id token or the access token.
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

    #[test]
    fn flags_built_in_code_get_clap_defaults() {
        let args = VerifyArgs::from_flags(["--hasura-config=---\nkind: AuthConfig"]).unwrap();
        assert_eq!(
            args.hasura.hasura_config.as_deref(),
            Some("---\nkind: AuthConfig")
        );
        assert_eq!(args.fetch.timeout, DEFAULT_TIMEOUT);
        assert_eq!(args.hasura.hasura_messages, MessageStyle::Unquoted);
        assert!(VerifyArgs::from_flags(["--hasura-config"]).is_err());
    }
}
