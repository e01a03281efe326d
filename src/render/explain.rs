//! The text of `jwtcheck explain`: one id in depth, or every id with its one-line meaning.
//! (`--json` prints the same data with serde.)

use std::fmt::Write as _;

use colored::Colorize;

use crate::report::Id;
use crate::report::explain::Explanation;

/// Lines are wrapped to this many columns.
const WIDTH: usize = 100;

/// One id: its meaning, what it checks, why, the causes, the fix and the links.
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", e.id.as_str().bold(), e.meaning);
    for (title, text) in [("What it checks", &e.checks), ("Why it matters", &e.why)] {
        let _ = writeln!(out, "\n{}", title.bold());
        out.push_str(&wrap(text, 2, 2));
    }
    let _ = writeln!(out, "\n{}", "Common causes".bold());
    for cause in &e.causes {
        out.push_str(&wrap(&format!("- {cause}"), 2, 4));
    }
    let _ = writeln!(out, "\n{}", "Fix".bold());
    out.push_str(&wrap(&e.fix, 2, 2));
    let _ = writeln!(out, "\n{}", "Read more".bold());
    for link in &e.links {
        out.push_str(&wrap(&link.title, 2, 4));
        let _ = writeln!(out, "    {}", link.url.dimmed());
    }
    out
}

/// Every id of the catalogue with its one-line meaning.
pub fn render_list() -> String {
    let w = Id::ALL
        .iter()
        .map(|id| id.as_str().len())
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "{}  ({} ids; jwtcheck explain ID tells more about one)\n\n",
        "Check ids".bold(),
        Id::ALL.len()
    );
    for id in Id::ALL {
        let meaning = wrap(id.meaning(), w + 4, w + 4);
        let _ = write!(
            out,
            "  {:w$}{}",
            id.as_str(),
            meaning.get(w + 2..).unwrap_or("")
        );
    }
    out
}

/// Greedy word wrap: the first line indented by `first`, the others by `rest`; a word longer
/// than a line (a URL) stays whole.
fn wrap(text: &str, first: usize, rest: usize) -> String {
    let mut out = String::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_short_and_long_words_whole() {
        let text = "word ".repeat(60);
        let wrapped = wrap(&text, 2, 4);
        assert!(wrapped.lines().all(|l| l.chars().count() <= WIDTH));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("    word")));
        let url = format!("see https://example.org/{}", "a".repeat(120));
        assert_eq!(wrap(&url, 0, 0).lines().count(), 2);
    }
}
