//! Countries: ISO 3166-1 alpha-2 codes. The participating states and
//! observers form a configurable set; routes may name any country.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use crate::i18n::{Lang, has, tr};

/// The seven participating states.
pub const PARTICIPATING: [&str; 7] = ["MX", "GT", "HN", "SV", "NI", "CR", "PA"];
/// Observers through the Regional Conference on Migration.
pub const OBSERVERS: [&str; 2] = ["CA", "US"];

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[ts(export, type = "string")]
pub struct CountryCode(String);

impl CountryCode {
    /// Accepts two ASCII letters in either case.
    pub fn parse(s: &str) -> Option<CountryCode> {
        let t = s.trim();
        if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            Some(CountryCode(t.to_ascii_uppercase()))
        } else {
            None
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// One of the seven participating states.
    pub fn is_participating(&self) -> bool {
        PARTICIPATING.contains(&self.0.as_str())
    }

    /// Participating state or observer: may own documents and run nodes.
    pub fn is_member(&self) -> bool {
        self.is_participating() || OBSERVERS.contains(&self.0.as_str())
    }

    /// The country's name in `lang`, or its code when the name is not in
    /// the catalogue.
    pub fn name(&self, lang: Lang) -> String {
        let key = format!("country-{}", self.0);
        if has(lang, &key) {
            tr(lang, &key)
        } else {
            self.0.clone()
        }
    }

    /// The members (participating states, then observers).
    pub fn members() -> Vec<CountryCode> {
        PARTICIPATING
            .iter()
            .chain(OBSERVERS.iter())
            .map(|c| CountryCode((*c).to_owned()))
            .collect()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a country code: use two letters of ISO 3166-1 (e.g. GT, HN, MX)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_names() {
        let gt = CountryCode::parse("gt").expect("valid");
        assert_eq!(gt.as_str(), "GT");
        assert!(gt.is_participating());
        assert_eq!(gt.name(Lang::Es), "Guatemala");
        assert_eq!(CountryCode::parse("PAN"), None);
        assert_eq!(CountryCode::parse("G1"), None);
        assert!(!CountryCode::parse("US").expect("valid").is_participating());
        assert!(CountryCode::parse("US").expect("valid").is_member());
        assert_eq!(
            CountryCode::parse("PA").expect("valid").name(Lang::Es),
            "Panamá"
        );
        assert_eq!(
            CountryCode::parse("ZZ").expect("valid").name(Lang::En),
            "ZZ"
        );
    }

    #[test]
    fn every_member_is_named_in_both_languages() {
        for c in CountryCode::members() {
            for lang in Lang::ALL {
                assert!(has(lang, &format!("country-{c}")), "{c} in {lang:?}");
            }
        }
    }
}
