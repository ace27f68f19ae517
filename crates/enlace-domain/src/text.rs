//! Text folding for search and sort: lower case, diacritics removed, so that
//! `nunez` finds `Núñez` and `Ávila` sorts with `Avila`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases and strips combining marks (NFD), keeping letters, digits and
/// single spaces. `José Núñez Ávila` → `jose nunez avila`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// A sort key: the folded text, then the original to order ties stably.
pub fn sort_key(s: &str) -> String {
    format!("{}\u{1}{}", fold(s), s)
}

/// Splits a search box's text into folded terms.
pub fn search_terms(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("José Núñez Ávila"), "jose nunez avila");
        assert_eq!(
            fold("María de los Ángeles Güity"),
            "maria de los angeles guity"
        );
        assert_eq!(fold("  PANAMÁ,  Colón "), "panama colon");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(fold("😀 test"), "test");
        assert_eq!(search_terms("Núñez  ávi"), vec!["nunez", "avi"]);
    }

    #[test]
    fn sorting_ignores_accents() {
        let mut names = vec!["Zúñiga", "Ávila", "Álvarez", "Ayala", "Núñez", "Nava"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec!["Álvarez", "Ávila", "Ayala", "Nava", "Núñez", "Zúñiga"]
        );
    }
}
