//! The legal checklist catalogue: the obligations of the Trafficking in
//! Persons Protocol (with the TOC Convention articles it relies on), the
//! UNODC Model Law's recommendations and the Smuggling of Migrants Protocol
//! that each country's legislation is assessed against.
//!
//! Ids are stable (`TIP-01` … `SOM-45`). The obligation texts are in the
//! Fluent files under `legal-<ID>`, in Spanish and English. The catalogue is
//! versioned: every item records the version that introduced it, and an
//! assessment records the version it used, so a newer catalogue adds items
//! without changing what an older assessment covered.

use crate::enums::closed_enum;
use crate::i18n::{Lang, tr};

/// The newest catalogue version.
pub const CATALOGUE_VERSION: u32 = 1;

closed_enum!(
    /// Where an obligation comes from.
    Instrument, "instrument" {
        TraffickingProtocol => "trafficking_protocol",
        ModelLaw => "model_law",
        SmugglingProtocol => "smuggling_protocol",
    }
);

closed_enum!(
    /// Whether the instrument requires the measure ("shall") or recommends it.
    Obligation, "obligation" {
        Mandatory => "mandatory",
        Optional => "optional",
        /// Partly mandatory, partly recommended (e.g. TOC Art. 11, 12-14).
        Mixed => "mixed",
    }
);

closed_enum!(
    /// How far a country's law meets one obligation.
    AssessmentStatus, "assessment" {
        Compliant => "compliant",
        PartiallyCompliant => "partially_compliant",
        NotCompliant => "not_compliant",
        NotAssessed => "not_assessed",
    }
);

/// One obligation of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Stable id, e.g. `TIP-05`.
    pub id: &'static str,
    pub instrument: Instrument,
    /// The article(s) it comes from, as cited: `Art. 3(c)-(d)`, `TOC 10`.
    pub article: &'static str,
    pub obligation: Obligation,
    /// The catalogue version that introduced the item.
    pub since: u32,
}

impl ChecklistItem {
    /// The Fluent key of the obligation text.
    pub fn text_key(&self) -> String {
        format!("legal-{}", self.id)
    }

    /// The obligation in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        tr(lang, &self.text_key())
    }

    /// Mandatory in whole or in part.
    pub fn is_mandatory(&self) -> bool {
        matches!(self.obligation, Obligation::Mandatory | Obligation::Mixed)
    }
}

const fn item(
    id: &'static str,
    instrument: Instrument,
    article: &'static str,
    obligation: Obligation,
) -> ChecklistItem {
    ChecklistItem {
        id,
        instrument,
        article,
        obligation,
        since: 1,
    }
}

use Instrument::{ModelLaw as ML, SmugglingProtocol as SOM, TraffickingProtocol as TIP};
use Obligation::{Mandatory as M, Mixed as MO, Optional as O};

/// Every item, in catalogue order.
pub const CATALOGUE: &[ChecklistItem] = &[
    item("TIP-01", TIP, "Art. 3(a), 5(1)", M),
    item("TIP-02", TIP, "Art. 3(a)", M),
    item("TIP-03", TIP, "Art. 3(a)", M),
    item("TIP-04", TIP, "Art. 3(b)", M),
    item("TIP-05", TIP, "Art. 3(c)-(d)", M),
    item("TIP-06", TIP, "Art. 4; TOC 34(2)", M),
    item("TIP-07", TIP, "Art. 5(2)(a)", M),
    item("TIP-08", TIP, "Art. 5(2)(b)", M),
    item("TIP-09", TIP, "Art. 5(2)(c)", M),
    item("TIP-10", TIP, "TOC 10", M),
    item("TIP-11", TIP, "TOC 11", MO),
    item("TIP-12", TIP, "TOC 12-14", MO),
    item("TIP-13", TIP, "Art. 6(1)", M),
    item("TIP-14", TIP, "Art. 6(2)", M),
    item("TIP-15", TIP, "Art. 6(3)", O),
    item("TIP-16", TIP, "Art. 6(4)", M),
    item("TIP-17", TIP, "Art. 6(5)", M),
    item("TIP-18", TIP, "Art. 6(6)", M),
    item("TIP-19", TIP, "Art. 7", O),
    item("TIP-20", TIP, "Art. 8(1), (3), (4)", M),
    item("TIP-21", TIP, "Art. 8(2)", M),
    item("TIP-22", TIP, "Art. 9(1)", M),
    item("TIP-23", TIP, "Art. 9(2)-(3)", O),
    item("TIP-24", TIP, "Art. 9(4)-(5)", M),
    item("TIP-25", TIP, "Art. 10(1)", M),
    item("TIP-26", TIP, "Art. 10(2)", M),
    item("TIP-27", TIP, "Art. 10(3)", M),
    item("TIP-28", TIP, "Art. 11(1), (6)", M),
    item("TIP-29", TIP, "Art. 11(2)-(4)", M),
    item("TIP-30", TIP, "Art. 11(5)", O),
    item("TIP-31", TIP, "Art. 12-13", M),
    item("TIP-32", TIP, "Art. 14", M),
    item("ML-33", ML, "Art. 10", O),
    item("ML-34", ML, "Art. 16", O),
    item("ML-35", ML, "Art. 11", O),
    item("ML-36", ML, "victims", O),
    item("ML-37", ML, "victims", O),
    item("ML-38", ML, "coordination", O),
    item("SOM-39", SOM, "Art. 6(1)(a)", M),
    item("SOM-40", SOM, "Art. 6(1)(b)-(c)", M),
    item("SOM-41", SOM, "Art. 6(2)", M),
    item("SOM-42", SOM, "Art. 6(3)", M),
    item("SOM-43", SOM, "Art. 5", M),
    item("SOM-44", SOM, "Art. 16", M),
    item("SOM-45", SOM, "Art. 10, 18", M),
];

/// The items of catalogue `version` (those introduced at or before it).
pub fn catalogue(version: u32) -> impl Iterator<Item = &'static ChecklistItem> {
    CATALOGUE.iter().filter(move |i| i.since <= version)
}

/// The item with this id.
pub fn find(id: &str) -> Option<&'static ChecklistItem> {
    CATALOGUE.iter().find(|i| i.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Closed;
    use crate::i18n::has;

    #[test]
    fn every_id_of_the_reference_list_is_present_once_and_in_order() {
        let expected: Vec<String> = (1..=32)
            .map(|n| format!("TIP-{n:02}"))
            .chain((33..=38).map(|n| format!("ML-{n}")))
            .chain((39..=45).map(|n| format!("SOM-{n}")))
            .collect();
        let ids: Vec<&str> = CATALOGUE.iter().map(|i| i.id).collect();
        assert_eq!(ids, expected);
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "no duplicate ids");
    }

    #[test]
    fn every_item_has_its_obligation_in_both_languages() {
        for i in CATALOGUE {
            for lang in Lang::ALL {
                assert!(has(lang, &i.text_key()), "{} {lang:?}", i.id);
                assert!(i.text(lang).len() > 30, "{} {lang:?} is too short", i.id);
            }
            assert_ne!(i.text(Lang::Es), i.text(Lang::En), "{} is translated", i.id);
            assert!(!i.article.is_empty());
        }
        for v in Instrument::all()
            .iter()
            .map(|v| v.label_key())
            .chain(Obligation::all().iter().map(|v| v.label_key()))
            .chain(AssessmentStatus::all().iter().map(|v| v.label_key()))
        {
            for lang in Lang::ALL {
                assert!(has(lang, &v), "{v} {lang:?}");
            }
        }
    }

    #[test]
    fn the_spanish_uses_the_regions_legal_vocabulary() {
        assert!(
            find("TIP-01")
                .expect("item")
                .text(Lang::Es)
                .contains("captación")
        );
        assert!(
            find("TIP-01")
                .expect("item")
                .text(Lang::Es)
                .contains("acogida")
        );
        assert!(
            find("TIP-02")
                .expect("item")
                .text(Lang::Es)
                .contains("abuso de una situación de vulnerabilidad")
        );
        assert!(
            find("SOM-39")
                .expect("item")
                .text(Lang::Es)
                .contains("tráfico ilícito de migrantes")
        );
        assert!(
            find("tip-05")
                .expect("case-insensitive")
                .text(Lang::Es)
                .contains("18")
        );
    }

    #[test]
    fn mandatory_and_optional_follow_the_reference_list() {
        let optional: Vec<&str> = CATALOGUE
            .iter()
            .filter(|i| i.obligation == Obligation::Optional)
            .map(|i| i.id)
            .collect();
        assert_eq!(
            optional,
            vec![
                "TIP-15", "TIP-19", "TIP-23", "TIP-30", "ML-33", "ML-34", "ML-35", "ML-36",
                "ML-37", "ML-38"
            ]
        );
        assert!(find("TIP-11").expect("item").is_mandatory());
        assert_eq!(find("TIP-12").expect("item").obligation, Obligation::Mixed);
    }

    #[test]
    fn versions_select_items() {
        assert_eq!(catalogue(CATALOGUE_VERSION).count(), 45);
        assert_eq!(catalogue(0).count(), 0);
        assert!(
            CATALOGUE
                .iter()
                .all(|i| i.since >= 1 && i.since <= CATALOGUE_VERSION)
        );
    }
}
