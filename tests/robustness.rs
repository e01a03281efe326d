//! Nothing panics on any input: thousands of random and mutated tokens and URLs go through the
//! parsers and both renderers.

use jwtcheck::commands::decode_into;
use jwtcheck::report::Report;
use jwtcheck::{callback, input, render, token};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ *%#&?\\\"'\n\t{}[]:,";

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        if bytes.is_empty() {
            bytes.push(b'.');
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => bytes[at] = ALPHABET[rng.below(ALPHABET.len())],
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            3 => bytes.insert(at, b'.'),
            4 => bytes.truncate(at),
            _ => bytes.insert(at, (rng.next() & 0xFF) as u8),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn b64(s: &str) -> String {
    jwtcheck::base64url::encode(s.as_bytes())
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("sample")
        .trim()
        .to_string()
}

fn exercise_token(text: &str) {
    let (clean, _) = input::clean(text);
    let _ = token::parse(&clean);
    let mut report = Report::new(1_795_512_600.0);
    let _ = decode_into(&clean, 1_795_512_600.0, &mut report);
    let _ = render::human::render(&report);
    let _ = render::json::render(&report);
}

#[test]
fn random_and_mutated_tokens_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let seeds = [
        sample("id-token.jwt"),
        sample("access-token.jwt"),
        "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ.".to_string(),
    ];
    let headers = [
        r#"{"alg":"RS256"}"#,
        r#"{"alg":null}"#,
        r#"{"alg":1,"crit":"x"}"#,
        r#"[]"#,
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"RS256","jwk":{"kty":"RSA"},"x5c":[1]}"#,
        "\u{FEFF}{}",
        r#"{"a":"\ud800"}"#,
    ];
    let payloads = [
        r#"{"exp":1e308,"iat":-1e308,"nbf":"x"}"#,
        r#"{"exp":99999999999999999999}"#,
        r#""str""#,
        "3",
        r#"{"https://hasura.io/jwt/claims":"{\"x-hasura-allowed-roles\":{}}"}"#,
        r#"{"https://hasura.io/jwt/claims":{"X-HASURA-DEFAULT-ROLE":[],"x-hasura-default-role":null}}"#,
        r#"{"a":{"b":{"c":{"x-hasura-user-id":1}}},"h":"{\"x-hasura-role\":\"r\"}"}"#,
        &format!("{}{}", "[".repeat(300), "]".repeat(300)),
        "",
    ];
    for i in 0..4000 {
        let text = match i % 3 {
            0 => {
                let seed = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, seed)
            }
            1 => format!(
                "{}.{}.{}",
                b64(rng.pick(&headers)),
                b64(rng.pick(&payloads)),
                b64(&"s".repeat(rng.below(70)))
            ),
            _ => (0..rng.below(120))
                .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
                .collect(),
        };
        exercise_token(&text);
    }
}

#[test]
fn random_and_mutated_urls_never_panic() {
    let mut rng = Rng(42);
    let seed = sample("callback-url.txt");
    let shapes = [
        "https://x/cb?code=a&state=b",
        "https://x/cb#error=server_error",
        "#id_token=a.b.c",
        "?",
        "#",
        "myapp://cb?x=%zz&y=%",
        "http://[::1",
        "https://x/cb#id_token=&id_token=%00",
    ];
    for i in 0..3000 {
        let text = if i % 2 == 0 {
            mutate(&mut rng, &seed)
        } else {
            let shape = rng.pick(&shapes);
            mutate(&mut rng, shape)
        };
        if let Ok(cb) = callback::parse(&text) {
            let _ = (cb.grant(), cb.repeated(), cb.token_part());
            if let Some(t) = cb.get("id_token") {
                exercise_token(t);
            }
        }
    }
}
