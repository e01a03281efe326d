//! The book's id table (`docs/src/check-ids.md`) is the catalogue's: an id the binary can emit is
//! documented, and neither the README nor the book names an id the binary does not have.
//! `JWTCHECK_BLESS=1 cargo test --test it catalogue` rewrites the table from the catalogue.

use jwtcheck::report::Id;

const BEGIN: &str = "<!-- ids:begin (generated from src/report/ids.rs) -->\n";
const END: &str = "<!-- ids:end -->";

#[test]
fn the_book_id_table_is_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/check-ids.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("check-ids.md has the ids:begin marker")
        + BEGIN.len();
    let end = readme
        .find(END)
        .expect("check-ids.md has the ids:end marker");
    let table = Id::markdown_table();
    if std::env::var_os("JWTCHECK_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "docs/src/check-ids.md's id table differs from the catalogue: run JWTCHECK_BLESS=1 cargo test --test it catalogue"
    );
}

#[test]
fn every_id_in_the_readme_and_the_book_exists() {
    // Ids quoted elsewhere in the README and the book (examples, explanations) must be real too.
    let readme: String = crate::docs::pages()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
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
            && ![".rs", ".json", ".io", ".md", ".example"].iter().any(|ext| word.ends_with(ext))
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
        "the README or the book names ids the catalogue does not have: {unknown:?}"
    );
}
