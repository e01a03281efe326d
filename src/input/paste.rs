//! Characters that copying through word processors, chats and web pages puts into tokens and
//! configurations: typographic quotes, non-breaking spaces, zero-width characters and dashes.
//! Naming the character and where it is beats a parser's "invalid character". Pure.

/// What kind of pasted character `c` is, if it is one.
pub fn kind(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2018}' | '\u{2019}' | '\u{201A}'
        | '\u{00AB}' | '\u{00BB}' | '\u{2032}' | '\u{2033}' => "a typographic quote",
        '\u{00A0}' | '\u{202F}' | '\u{2007}' => "a non-breaking space",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "a zero-width character",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
            "a typographic dash"
        }
        _ => return None,
    })
}

/// The first pasted character of `text`: what it is, where (line, column, 1-based), and the fix.
pub fn damage(text: &str) -> Option<String> {
    for (line_no, line) in text.lines().enumerate() {
        for (col, c) in line.chars().enumerate() {
            if let Some(what) = kind(c) {
                return Some(format!(
                    "line {}, column {}: {} is {what}, which a word processor, chat or web page put there: retype it as {}, or copy the text as plain text",
                    line_no + 1,
                    col + 1,
                    c.escape_unicode(),
                    plain(c)
                ));
            }
        }
    }
    None
}

/// What the character should have been.
pub fn plain(c: char) -> &'static str {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => "'",
        '\u{00A0}' | '\u{202F}' | '\u{2007}' => "a plain space",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "nothing (delete it)",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        _ => "\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_character_and_where_it_is() {
        let d = damage("{\n  \u{201C}type\": \"RS256\"}").unwrap();
        assert!(
            d.starts_with("line 2, column 3: \\u{201c} is a typographic quote"),
            "{d}"
        );
        assert!(d.contains("retype it as \""));
        assert!(damage("eyJh\u{200B}bGc").unwrap().contains("zero-width"));
        assert_eq!(damage("{\"type\": \"RS256\"}"), None);
    }
}
