//! The README's id table is the catalogue's: an id the binary can emit is documented, and the
//! README names no id the binary does not have. `UPDATE_README=1 cargo test --test catalogue`
//! rewrites the table from the catalogue.

use jwtcheck::report::Id;

const BEGIN: &str = "<!-- ids:begin (generated from src/report/ids.rs) -->\n";
const END: &str = "<!-- ids:end -->";

#[test]
fn the_readme_id_table_is_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(BEGIN).expect("README has the ids:begin marker") + BEGIN.len();
    let end = readme.find(END).expect("README has the ids:end marker");
    let table = Id::markdown_table();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "the README's id table differs from the catalogue: run UPDATE_README=1 cargo test --test catalogue"
    );
}

#[test]
fn every_id_in_the_readme_prose_exists() {
    // Ids quoted elsewhere in the README (examples, explanations) must be real ones too.
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let prefixes = [
        "hasura.",
        "policy.",
        "lint.",
        "callback.",
        "fetch.",
        "usage.",
        "keys.",
    ];
    let mut unknown = Vec::new();
    for word in readme.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')) {
        let word = word.trim_end_matches('.');
        if prefixes.iter().any(|p| word.starts_with(p) && word.len() > p.len())
            && ![".rs", ".json", ".io"].iter().any(|ext| word.ends_with(ext))
            // JSON report fields, not ids.
            && !word.starts_with("hasura.engine_")
            && Id::parse(word).is_none()
        {
            unknown.push(word.to_string());
        }
    }
    unknown.sort();
    unknown.dedup();
    assert!(
        unknown.is_empty(),
        "the README names ids the catalogue does not have: {unknown:?}"
    );
}
