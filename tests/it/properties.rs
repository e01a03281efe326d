//! Property tests (proptest) for the invariants every run keeps, over generated tokens:
//! decoding never panics; every rejection names a check id or a problem id; a token rebuilt
//! from its parsed parts is the same token; a claim reads the same from the decode's scan as
//! from the whole set; and the verdict is never `valid` when a check failed.

use clap::Parser as _;
use jwtcheck::cli::Cli;
use jwtcheck::jose::claimset::{self, Claims};
use jwtcheck::jose::{base64url, json, token};
use jwtcheck::report::{Id, Outcome, Report, Status, Verdict};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// 2026-11-24T09:30:00Z, as Unix seconds.
const NOW: f64 = 1_795_512_600.0;

/// Runs a command line in-process with `stdin` as standard input.
fn run(args: &[&str], stdin: &str) -> Report {
    let cli = Cli::try_parse_from(args).unwrap();
    let mut input = stdin.as_bytes();
    match jwtcheck::commands::run(&cli, &mut input, &mut std::io::sink(), NOW) {
        Outcome::Single(r) => *r,
        _ => panic!("one report expected"),
    }
}

/// What every report keeps, whatever the input: the verdict agrees with the checks, every
/// rejection has an id from the catalogue, and both renderings work.
fn assert_consistent(report: &Report) {
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.as_str())
        .collect();
    match report.verdict {
        Verdict::Valid | Verdict::Done => {
            assert!(failed.is_empty(), "valid, but {failed:?} failed");
            assert!(report.error.is_none(), "valid, but {:?}", report.error);
        }
        Verdict::Invalid => assert!(!failed.is_empty(), "invalid, but no check failed"),
        Verdict::Malformed | Verdict::Undecidable | Verdict::UsageError => {
            let e = report
                .error
                .as_ref()
                .expect("a stopped run names its problem");
            assert!(Id::ALL.contains(&e.id), "{:?}", e.id);
            assert!(!e.message.is_empty() && !e.hint.is_empty(), "{e:?}");
        }
        Verdict::Unverified => {}
    }
    for c in &report.checks {
        assert!(
            Id::ALL.contains(&c.id),
            "{:?} is not in the catalogue",
            c.id
        );
        if c.status == Status::Fail {
            assert!(c.hint.is_some(), "{} failed without a hint", c.id.as_str());
        }
    }
    let json: Value = serde_json::from_str(&jwtcheck::render::json::render(report)).unwrap();
    assert_eq!(
        json["verdict"],
        serde_json::to_value(report.verdict).unwrap()
    );
    let text = jwtcheck::render::human::render(report);
    assert!(
        !text.lines().next().unwrap_or("").trim().is_empty(),
        "{text}"
    );
}

/// JSON values: scalars (with the edge numbers of the issue) nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just("1e400"),
            Just("-0"),
            Just("1e20"),
            Just("-1e400"),
            Just("0.5")
        ]
        .prop_map(|n| serde_json::from_str::<Value>(n).unwrap()),
        "[ -~]{0,12}".prop_map(Value::String),
        prop_oneof![Just("user"), Just("admin"), Just("x-hasura-user-id")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((member_name(), inner), 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Member names: the ones jwtcheck and Hasura read, and others.
fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop_oneof![
            Just("alg"),
            Just("kid"),
            Just("crit"),
            Just("typ"),
            Just("exp"),
            Just("nbf"),
            Just("iat"),
            Just("iss"),
            Just("aud"),
            Just("sub"),
            Just("token_use"),
            Just("https://hasura.io/jwt/claims"),
            Just("x-hasura-allowed-roles"),
            Just("x-hasura-default-role"),
            Just("x-hasura-user-id"),
        ]
        .prop_map(str::to_string),
        "[a-zA-Z_:/.-]{1,10}",
    ]
}

/// An object's text whose member names may repeat (as no map can hold them), at any depth up
/// to `depth`.
fn object_text(depth: u32) -> BoxedStrategy<String> {
    let value = if depth == 0 {
        json_value().prop_map(|v| v.to_string()).boxed()
    } else {
        prop_oneof![
            3 => json_value().prop_map(|v| v.to_string()),
            1 => object_text(depth - 1),
        ]
        .boxed()
    };
    prop::collection::vec((member_name(), value), 0..12)
        .prop_map(|members| {
            let members: Vec<String> = members
                .into_iter()
                .map(|(name, value)| format!("{}:{value}", Value::String(name)))
                .collect();
            format!("{{{}}}", members.join(","))
        })
        .boxed()
}

/// A JSON object.
fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((member_name(), json_value()), 0..8).prop_map(|m| m.into_iter().collect())
}

/// A header with an `alg` (often a real one) and random other members.
fn header() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop_oneof![
            Just(json!("HS256")),
            Just(json!("RS256")),
            Just(json!("none")),
            json_value()
        ],
        object(),
    )
        .prop_map(|(alg, mut m)| {
            m.insert("alg".into(), alg);
            m
        })
}

/// Claims with times around [`NOW`] (and the edge numbers) and Hasura claims, or random.
fn claims() -> impl Strategy<Value = Map<String, Value>> {
    let time = prop_oneof![
        (-7200i64..7200).prop_map(|d| json!(NOW as i64 + d)),
        json_value(),
    ];
    let hasura = prop_oneof![
        Just(json!({"x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"})),
        Just(json!(
            "{\"x-hasura-allowed-roles\":[\"user\"],\"x-hasura-default-role\":\"user\"}"
        )),
        json_value(),
    ];
    (
        proptest::option::of(time.clone()),
        proptest::option::of(time.clone()),
        proptest::option::of(time),
        proptest::option::of(hasura),
        object(),
    )
        .prop_map(|(exp, nbf, iat, hasura, mut m)| {
            for (name, v) in [("exp", exp), ("nbf", nbf), ("iat", iat)] {
                if let Some(v) = v {
                    m.insert(name.into(), v);
                }
            }
            if let Some(h) = hasura {
                m.insert("https://hasura.io/jwt/claims".into(), h);
            }
            m
        })
}

fn b64(text: &str) -> String {
    base64url::encode(text.as_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decoding_any_text_never_panics(text in "\\PC{0,200}") {
        let report = run(&["jwtcheck", "decode", "-"], &text);
        assert_consistent(&report);
    }

    #[test]
    fn decoding_tokens_of_any_json_never_panics(
        h in json_value(),
        p in json_value(),
        sig in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        let t = format!("{}.{}.{}", b64(&h.to_string()), b64(&p.to_string()), base64url::encode(&sig));
        let report = run(&["jwtcheck", "decode", "-"], &t);
        assert_consistent(&report);
    }

    #[test]
    fn a_claim_reads_the_same_from_the_scan_as_from_the_whole_set(text in object_text(2)) {
        let parsed = json::parse(text.as_bytes()).unwrap();
        let (claims, duplicates) = Claims::read(text.clone().into_bytes()).unwrap();
        prop_assert_eq!(&duplicates, &parsed.duplicates);
        let whole = parsed.value.as_object().unwrap();
        for name in claimset::REGISTERED.iter().copied().chain(whole.keys().map(String::as_str)) {
            prop_assert_eq!(claims.get(name), whole.get(name), "{}", name);
        }
        prop_assert_eq!(claims.map(), whole);
    }

    #[test]
    fn a_token_rebuilt_from_its_parsed_parts_is_the_same_token(
        h in header(),
        p in claims(),
        sig in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        let (h_text, p_text) = (Value::Object(h).to_string(), Value::Object(p).to_string());
        let t = format!("{}.{}.{}", b64(&h_text), b64(&p_text), base64url::encode(&sig));
        let jws = token::parse(&t).unwrap();
        let claims = jws.claims().expect("an object payload is a claims set").map().clone();
        let rebuilt = format!(
            "{}.{}.{}",
            b64(&Value::Object(jws.header.as_ref().clone()).to_string()),
            b64(&Value::Object(claims).to_string()),
            base64url::encode(&jws.signature)
        );
        prop_assert_eq!(&rebuilt, &t);
        prop_assert_eq!(format!("{}.{}", jws.signing_input(), jws.signature_b64()), t);
    }

    #[test]
    fn the_verdict_is_never_valid_when_a_check_failed(
        p in claims(),
        alg in prop_oneof![Just("HS256"), Just("HS512"), Just("none"), Just("RS256")],
        extra in object(),
        hasura in any::<bool>(),
    ) {
        let mut h = extra;
        h.insert("alg".into(), json!(alg));
        let (h_text, p_text) = (Value::Object(h).to_string(), Value::Object(p).to_string());
        // Signed with the HS256 fixture key: a good signature whenever alg is HS256.
        let t = crate::support::sign::sign("HS256", "hs256", &h_text, &p_text);
        let secret = crate::support::sign::key_path("hs256.secret").display().to_string();
        let config = format!(
            r#"{{"type":"HS256","key":{}}}"#,
            Value::String(String::from_utf8(std::fs::read(&secret).unwrap()).unwrap().trim_end().into())
        );
        let args: Vec<&str> = if hasura {
            vec!["jwtcheck", "verify", "-", "--hasura-config", &config]
        } else {
            vec!["jwtcheck", "verify", "-", "--secret-file", &secret]
        };
        let report = run(&args, &t);
        assert_consistent(&report);
        let failed = report.checks.iter().any(|c| c.status == Status::Fail);
        prop_assert!(!(failed && report.verdict == Verdict::Valid));
    }
}

#[test]
fn a_token_that_passes_every_check_is_valid() {
    // The property above must not hold vacuously: a good token is valid under both readers.
    let payload = json!({
        "exp": NOW as i64 + 600, "iat": NOW as i64 - 60, "sub": "u1",
        "https://hasura.io/jwt/claims": {"x-hasura-allowed-roles": ["user"], "x-hasura-default-role": "user"}
    });
    let t =
        crate::support::sign::sign("HS256", "hs256", r#"{"alg":"HS256"}"#, &payload.to_string());
    let secret = crate::support::sign::key_path("hs256.secret")
        .display()
        .to_string();
    let report = run(&["jwtcheck", "verify", "-", "--secret-file", &secret], &t);
    assert_eq!(report.verdict, Verdict::Valid, "{:#?}", report.checks);
    assert_consistent(&report);
}
