//! PEM keys and certificates, and the DER inside them: the input is either PEM text, or DER
//! bytes (after a first byte that picks the label) that the target wraps in PEM armour.
#![no_main]

use jwtcheck::jose::pem;
use libfuzzer_sys::fuzz_target;

const LABELS: [&str; 5] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "PRIVATE KEY",
];

fuzz_target!(|data: &[u8]| {
    if let Some(text) = jwtcheck_fuzz::text(data) {
        let _ = pem::public_key(text);
        let _ = pem::first_block(text);
        let _ = jwtcheck::hasura::ddn::fixed_key("RS256", text);
        let _ = jwtcheck::hasura::ddn::fixed_key("ES256", text);
    }
    let Some((&pick, der)) = data.split_first() else {
        return;
    };
    let label = LABELS[usize::from(pick) % LABELS.len()];
    let b64 = armour_body(der);
    let armoured = format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n");
    match pem::public_key(&armoured) {
        Ok(key) => {
            let k = jwtcheck::jose::jwk::Key::bare(jwtcheck::jose::jwk::Material::Public(key));
            let _ = (k.bits(), k.thumbprint(), k.weakness());
        }
        Err(e) => {
            let _ = (e.id(), e.hint(), e.to_string());
        }
    }
});

/// Standard base64 with padding (PEM's alphabet), wrapped at 64 columns.
fn armour_body(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let flat = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = flat
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    lines.join("\n")
}
