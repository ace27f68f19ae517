//! The `legal_assessment` document: one country's legislation against the
//! checklist catalogue ([`crate::legal`]), item by item.
//!
//! One document per country, owned by that country, audience regional. Its
//! id is derived from the country code, so every node names the same
//! document the same way. The harmonisation matrix is derived from the
//! seven documents; it is not stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::case::Audience;
use crate::country::CountryCode;
use crate::enums::{Closed, closed_enum};
use crate::ids::Owner;
use crate::legal::{self, AssessmentStatus, CATALOGUE_VERSION, ChecklistItem};
use crate::reference::CaseRef;
use crate::validate::{Issue, MAX_SHORT, MAX_TEXT, Severity, text};

/// The namespace of assessment document ids (UUID v5).
const NAMESPACE: Uuid = Uuid::from_u128(0x6c1f_0e2a_8f4b_4d0c_9a57_3e2b_1d0c_a551);

/// The id of `country`'s assessment document: the same on every node.
pub fn assessment_id(country: &CountryCode) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("legal_assessment/{country}").as_bytes())
}

closed_enum!(
    /// What supports an assessment.
    EvidenceKind, "evidence" {
        CourtDecision => "court_decision",
        EnlaceCase => "enlace_case",
        Report => "report",
        Other => "other",
    }
);

/// A national provision: the law, the article, the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Provision {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub law: String,
    #[serde(default)]
    pub article: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub year: Option<i32>,
}

/// A court decision, a case in Enlace (its reference), a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Evidence {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub kind: EvidenceKind,
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

/// The assessment of one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AssessmentItem {
    pub status: AssessmentStatus,
    #[serde(default)]
    pub provisions: Vec<Provision>,
    /// What the law lacks against the obligation.
    #[serde(default)]
    pub gap: String,
    /// The reform proposed to close the gap.
    #[serde(default)]
    pub proposal: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The national expert responsible for the assessment.
    #[serde(default)]
    pub assessor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub assessed_on: Option<NaiveDate>,
    /// Set by the application on every save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_by: String,
}

impl Default for AssessmentItem {
    fn default() -> Self {
        AssessmentItem {
            status: AssessmentStatus::NotAssessed,
            provisions: vec![],
            gap: String::new(),
            proposal: String::new(),
            evidence: vec![],
            assessor: String::new(),
            assessed_on: None,
            updated_at: None,
            updated_by: String::new(),
        }
    }
}

/// Fields of an item the application sets; a patch may not name them.
pub const ITEM_PROTECTED: &[&str] = &["updated_at", "updated_by"];

/// One country's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct LegalAssessment {
    #[ts(type = "string")]
    pub id: Uuid,
    pub country: CountryCode,
    /// The catalogue version the assessment was made against.
    pub catalogue_version: u32,
    /// Keyed by checklist id (`TIP-05`).
    pub items: BTreeMap<String, AssessmentItem>,
    pub owner: Owner,
    pub audience: Audience,
    #[serde(default)]
    pub demo: bool,
}

impl LegalAssessment {
    /// A new assessment with every item of the current catalogue not yet
    /// assessed (so each item's map exists before anyone edits it, and
    /// concurrent edits of one item meet in the same object).
    pub fn new(owner: Owner, demo: bool) -> LegalAssessment {
        LegalAssessment {
            id: assessment_id(&owner.country),
            country: owner.country.clone(),
            catalogue_version: CATALOGUE_VERSION,
            items: legal::catalogue(CATALOGUE_VERSION)
                .map(|i| (i.id.to_owned(), AssessmentItem::default()))
                .collect(),
            owner,
            audience: Audience::regional(),
            demo,
        }
    }

    /// The common root every node starts `country`'s assessment from
    /// (enlace-core's `Kind::genesis`): catalogue version 1's items, not
    /// yet assessed, owned by the country. Frozen: its bytes are every
    /// node's first change of the document (a test pins its hash), so a
    /// newer catalogue reaches it by [`LegalAssessment::upgrade`], never
    /// by changing this.
    pub fn root(country: &CountryCode) -> LegalAssessment {
        LegalAssessment {
            id: assessment_id(country),
            country: country.clone(),
            catalogue_version: 1,
            items: legal::catalogue(1)
                .map(|i| (i.id.to_owned(), AssessmentItem::default()))
                .collect(),
            owner: Owner {
                country: country.clone(),
                node: String::new(),
            },
            audience: Audience::regional(),
            demo: false,
        }
    }

    /// Brings the assessment to the current catalogue: adds items a newer
    /// catalogue introduced (not assessed). Returns true when it changed.
    pub fn upgrade(&mut self) -> bool {
        if self.catalogue_version >= CATALOGUE_VERSION {
            return false;
        }
        for i in legal::catalogue(CATALOGUE_VERSION) {
            self.items.entry(i.id.to_owned()).or_default();
        }
        self.catalogue_version = CATALOGUE_VERSION;
        true
    }

    /// The item's assessment (not assessed when absent).
    pub fn item(&self, id: &str) -> AssessmentItem {
        self.items.get(id).cloned().unwrap_or_default()
    }

    /// The catalogue items this assessment covers, in catalogue order.
    pub fn catalogue(&self) -> impl Iterator<Item = &'static ChecklistItem> {
        legal::catalogue(self.catalogue_version)
    }

    /// Counts by status over the items it covers.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for c in self.catalogue() {
            t.add(
                self.items
                    .get(c.id)
                    .map_or(AssessmentStatus::NotAssessed, |i| i.status),
            );
        }
        t
    }
}

/// Counts of items by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tally {
    pub compliant: u32,
    pub partially_compliant: u32,
    pub not_compliant: u32,
    pub not_assessed: u32,
}

impl Tally {
    pub fn add(&mut self, s: AssessmentStatus) {
        match s {
            AssessmentStatus::Compliant => self.compliant += 1,
            AssessmentStatus::PartiallyCompliant => self.partially_compliant += 1,
            AssessmentStatus::NotCompliant => self.not_compliant += 1,
            AssessmentStatus::NotAssessed => self.not_assessed += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.compliant + self.partially_compliant + self.not_compliant + self.not_assessed
    }

    /// Items assessed (any status but "not assessed").
    pub fn assessed(&self) -> u32 {
        self.total() - self.not_assessed
    }

    /// "Cumple: 23 · Cumple parcialmente: 9 · … · Catálogo versión 1".
    pub fn describe(&self, lang: crate::i18n::Lang, catalogue_version: u32) -> String {
        crate::i18n::tr_args(
            lang,
            "report-legal-tally",
            &[
                ("compliant", &self.compliant.to_string()),
                ("partial", &self.partially_compliant.to_string()),
                ("not", &self.not_compliant.to_string()),
                ("unassessed", &self.not_assessed.to_string()),
                ("version", &catalogue_version.to_string()),
            ],
        )
    }
}

/// Validates one item's assessment as of `today`. Paths are relative to
/// the item (`provisions[0].year`).
pub fn validate_item(id: &str, item: &AssessmentItem, today: NaiveDate) -> Vec<Issue> {
    let mut v = vec![];
    if legal::find(id).is_none() {
        v.push(Issue::new(Severity::Error, "item", "val-legal-unknown-item").arg("item", id));
    }
    text(&mut v, "gap", &item.gap, MAX_TEXT);
    text(&mut v, "proposal", &item.proposal, MAX_TEXT);
    text(&mut v, "assessor", &item.assessor, MAX_SHORT);
    for (n, p) in item.provisions.iter().enumerate() {
        let path = format!("provisions[{n}]");
        if p.law.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("{path}.law"),
                "val-text-required",
            ));
        }
        text(&mut v, &format!("{path}.law"), &p.law, MAX_SHORT);
        text(&mut v, &format!("{path}.article"), &p.article, MAX_SHORT);
        if let Some(y) = p.year
            && !(1800..=today.year()).contains(&y)
        {
            v.push(
                Issue::new(Severity::Error, format!("{path}.year"), "val-legal-year")
                    .arg("year", y)
                    .arg("max", today.year()),
            );
        }
    }
    for (n, e) in item.evidence.iter().enumerate() {
        let path = format!("evidence[{n}].reference");
        if e.reference.trim().is_empty() {
            v.push(Issue::new(Severity::Error, &path, "val-text-required"));
        } else if e.kind == EvidenceKind::EnlaceCase && CaseRef::parse(&e.reference).is_none() {
            v.push(
                Issue::new(Severity::Error, &path, "val-legal-case-reference")
                    .arg("value", &e.reference),
            );
        }
        text(&mut v, &path, &e.reference, MAX_SHORT);
        text(&mut v, &format!("evidence[{n}].note"), &e.note, MAX_TEXT);
    }
    if let Some(d) = item.assessed_on
        && d > today + chrono::Days::new(1)
    {
        v.push(Issue::new(Severity::Error, "assessed_on", "val-date-future").arg("date", d));
    }
    match item.status {
        AssessmentStatus::Compliant | AssessmentStatus::PartiallyCompliant
            if item.provisions.is_empty() =>
        {
            v.push(Issue::new(
                Severity::Warning,
                "provisions",
                "val-legal-no-provision",
            ));
        }
        AssessmentStatus::PartiallyCompliant | AssessmentStatus::NotCompliant
            if item.gap.trim().is_empty() =>
        {
            v.push(Issue::new(Severity::Warning, "gap", "val-legal-no-gap"));
        }
        _ => {}
    }
    v
}

/// The status wire names, for messages.
pub fn statuses() -> String {
    AssessmentStatus::allowed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, has};

    fn gt() -> Owner {
        Owner {
            country: CountryCode::parse("GT").expect("GT"),
            node: "abcd".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
    }

    #[test]
    fn ids_are_stable_per_country_and_differ_between_countries() {
        let a = LegalAssessment::new(gt(), false);
        let b = LegalAssessment::new(gt(), false);
        assert_eq!(a.id, b.id);
        let hn = CountryCode::parse("HN").expect("HN");
        assert_ne!(assessment_id(&hn), a.id);
        assert_eq!(a.items.len(), legal::CATALOGUE.len());
        assert_eq!(a.tally().not_assessed as usize, legal::CATALOGUE.len());
    }

    #[test]
    fn an_assessment_round_trips_through_json() {
        let mut a = LegalAssessment::new(gt(), true);
        a.items.insert(
            "TIP-05".into(),
            AssessmentItem {
                status: AssessmentStatus::PartiallyCompliant,
                provisions: vec![Provision {
                    id: String::new(),
                    law: "Ley contra la Violencia Sexual, Explotación y Trata de Personas".into(),
                    article: "art. 202 Ter".into(),
                    year: Some(2009),
                }],
                gap: "Exige prueba de medios si la víctima tiene 16 o 17 años.".into(),
                proposal: "Suprimir el requisito de medios para menores de 18 años.".into(),
                evidence: vec![Evidence {
                    id: String::new(),
                    kind: EvidenceKind::EnlaceCase,
                    reference: "GT-2026-0001".into(),
                    note: String::new(),
                }],
                assessor: "Lcda. María José Pérez Ávila".into(),
                assessed_on: Some(today()),
                updated_at: None,
                updated_by: String::new(),
            },
        );
        let json = serde_json::to_value(&a).expect("json");
        let back: LegalAssessment = serde_json::from_value(json).expect("back");
        assert_eq!(back, a);
        let t = back.tally();
        assert_eq!((t.partially_compliant, t.total()), (1, 45));
        assert!(validate_item("TIP-05", &back.item("TIP-05"), today()).is_empty());
    }

    #[test]
    fn item_validation_names_the_field() {
        let item = AssessmentItem {
            status: AssessmentStatus::Compliant,
            provisions: vec![Provision {
                id: String::new(),
                law: " ".into(),
                article: String::new(),
                year: Some(2031),
            }],
            evidence: vec![Evidence {
                id: String::new(),
                kind: EvidenceKind::EnlaceCase,
                reference: "caso 12".into(),
                note: String::new(),
            }],
            gap: "x".repeat(MAX_TEXT + 1),
            ..AssessmentItem::default()
        };
        let codes: Vec<(String, String)> = validate_item("TIP-01", &item, today())
            .into_iter()
            .map(|i| (i.path, i.code))
            .collect();
        for expected in [
            ("provisions[0].law", "val-text-required"),
            ("provisions[0].year", "val-legal-year"),
            ("evidence[0].reference", "val-legal-case-reference"),
            ("gap", "val-too-long"),
        ] {
            assert!(
                codes.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {codes:?}"
            );
        }
        let unknown = validate_item("TIP-99", &AssessmentItem::default(), today());
        assert_eq!(unknown[0].code, "val-legal-unknown-item");
        let no_gap = AssessmentItem {
            status: AssessmentStatus::NotCompliant,
            ..AssessmentItem::default()
        };
        let w = validate_item("TIP-07", &no_gap, today());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
    }

    #[test]
    fn a_newer_catalogue_adds_items_without_touching_old_ones() {
        let mut a = LegalAssessment::new(gt(), false);
        a.catalogue_version = 0;
        a.items.clear();
        a.items.insert(
            "TIP-01".into(),
            AssessmentItem {
                status: AssessmentStatus::Compliant,
                ..AssessmentItem::default()
            },
        );
        assert_eq!(a.catalogue().count(), 0, "version 0 covers nothing");
        assert!(a.upgrade());
        assert_eq!(a.catalogue_version, CATALOGUE_VERSION);
        assert_eq!(a.items.len(), legal::CATALOGUE.len());
        assert_eq!(a.item("TIP-01").status, AssessmentStatus::Compliant);
        assert!(!a.upgrade());
    }

    #[test]
    fn every_code_and_label_has_both_languages() {
        for key in [
            "val-legal-unknown-item",
            "val-legal-year",
            "val-legal-case-reference",
            "val-legal-no-provision",
            "val-legal-no-gap",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(EvidenceKind::all().iter().map(|k| k.label_key()))
        {
            for lang in Lang::ALL {
                assert!(has(lang, &key), "{key} {lang:?}");
            }
        }
    }
}
