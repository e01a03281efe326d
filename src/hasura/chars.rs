//! Haskell's `Data.Char` classes, as the engine's parsers use them (`Data.Parser.JSONPath`,
//! aeson's path rendering). GHC's `isAlpha` is a letter by Unicode general category (Lu, Ll, Lt,
//! Lm, Lo), narrower than Rust's `char::is_alphabetic`, which also admits combining marks such
//! as Devanagari vowel signs (`$.हिंदी` is refused by the engine, and must be here too).

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// GHC `isAlpha`: a letter (general category L*).
pub fn is_alpha(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Letter
}

/// GHC `isAlphaNum`: a letter or a number (general categories L* and N*).
pub fn is_alpha_num(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    )
}

/// GHC `isSpace` on a `Char` (attoparsec's `space`, ReadP's `skipSpaces`): space, `\t` to `\r`
/// and U+00A0 up to U+0377; above, a space separator (Zs). U+0085, U+2028 and U+2029, which
/// Rust's `char::is_whitespace` admits, are not spaces to it.
pub fn is_space(c: char) -> bool {
    if u32::from(c) <= 0x377 {
        matches!(c, ' ' | '\t'..='\r' | '\u{A0}')
    } else {
        c.general_category() == GeneralCategory::SpaceSeparator
    }
}

/// GHC `isSpace` on a byte read as Latin-1 (`Data.ByteString.Char8.words`, which the engine uses
/// to split an `Authorization` header): space, `\t` to `\r`, and 0xA0. It works on bytes, so the
/// last byte of a UTF-8 character such as U+20A0 splits a header, while U+2003 does not.
pub fn is_char8_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0xA0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_split_on_latin1_spaces_byte_by_byte() {
        assert!("a\u{20A0}b".bytes().any(is_char8_space));
        assert!("a\u{00A0}b".bytes().any(is_char8_space));
        assert!(!"a\u{2003}b".bytes().any(is_char8_space));
        assert!(!"a\u{0085}b".bytes().any(is_char8_space));
    }

    #[test]
    fn spaces_by_ghc_is_space() {
        for c in [
            ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{A0}', '\u{2003}', '\u{3000}',
        ] {
            assert!(is_space(c), "{c:?}");
        }
        for c in ['\u{85}', '\u{2028}', '\u{2029}', 'a', '\u{1C}'] {
            assert!(!is_space(c), "{c:?}");
        }
    }

    #[test]
    fn letters_by_general_category_not_the_alphabetic_property() {
        assert!(is_alpha('a') && is_alpha('é') && is_alpha('ह') && is_alpha('中'));
        // U+093F DEVANAGARI VOWEL SIGN I (Mc) and U+0902 SIGN ANUSVARA (Mn): Rust calls them
        // alphabetic, Haskell does not.
        for mark in ['\u{093F}', '\u{0902}'] {
            assert!(mark.is_alphabetic());
            assert!(!is_alpha(mark) && !is_alpha_num(mark));
        }
        assert!(!is_alpha('1') && is_alpha_num('1') && is_alpha_num('٣'));
        assert!(!is_alpha('_') && !is_alpha('-'));
    }
}
