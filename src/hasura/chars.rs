//! Haskell's `Data.Char` classes, as the engine's parsers use them (`Data.Parser.JSONPath`,
//! aeson's path rendering). GHC's `isAlpha` is a letter by Unicode general category (Lu, Ll, Lt,
//! Lm, Lo), narrower than Rust's `char::is_alphabetic`, which also admits combining marks such
//! as Devanagari vowel signs (`$.हिंदी` is refused by the engine, and must be here too).

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

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

#[cfg(test)]
mod tests {
    use super::*;

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
