//! This node's cases in the field's published formats, for those who
//! exchange or publish data without Enlace: HTCDS 2.0 (IOM's Human
//! Trafficking Case Data Standard, JSON, one object per case with its
//! persons and trafficking events) and the CTDC global dataset's columns
//! (CSV, one row per victim, k-anonymised as CTDC publishes it). Both are
//! pseudonymous: no name, birth date, contact, free text or identity
//! document ever leaves; what a format has no field for is listed, case by
//! case, in the export's report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use enlace_docs::Document;
use enlace_domain::enums::Closed;
use enlace_domain::{
    Case, CaseStatus, DataSource, DocKind, Gender, LabourSector, MeansOfControl, PersonRole,
    Purpose, RecruiterRelation, RouteRole,
};
use serde::Serialize;
use ts_rs::TS;

use crate::files::write_atomically;
use crate::{App, CoreError, Result};

/// A value a format has no place for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Unmapped {
    /// The case's reference.
    pub case: String,
    /// Enlace's field (`means`, `age_band`, `data_source`, ...).
    pub field: String,
    pub value: String,
    /// Why, as a translation key (`standard-unmapped-…`).
    pub reason: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct StandardExport {
    /// `htcds` or `ctdc`.
    pub format: String,
    #[ts(type = "number")]
    pub cases: u64,
    /// HTCDS: persons; CTDC: rows (victims) written.
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Values left out because the format has no field for them.
    pub unmapped: Vec<Unmapped>,
    /// CTDC: values blanked so every combination of the quasi-identifiers
    /// is shared by at least k victims, by column.
    #[ts(type = "Record<string, number>")]
    pub blanked: BTreeMap<String, u64>,
    /// CTDC: victims left out because even with every quasi-identifier
    /// blank their row would be one of fewer than k.
    #[ts(type = "number")]
    pub dropped: u64,
    /// CTDC: the k applied (HTCDS: 0, it is not a publication).
    #[ts(type = "number")]
    pub k: u64,
}

/// PascalCase of a snake_case code (`debt_bondage` → `DebtBondage`).
fn pascal(code: &str) -> String {
    code.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn htcds_gender(g: Gender) -> &'static str {
    match g {
        Gender::Female => "Female",
        Gender::Male => "Male",
        Gender::TransNonConforming => "Transgender/NonConforming",
        Gender::Unknown => "Unknown",
    }
}

fn htcds_status(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Reported
        | CaseStatus::UnderInvestigation
        | CaseStatus::Prosecution
        | CaseStatus::Trial => "Active",
        CaseStatus::Convicted | CaseStatus::Acquitted | CaseStatus::Closed => "Closed",
        CaseStatus::Referred => "ClosedReferred",
    }
}

/// HTCDS's type of exploitation for a Protocol purpose.
fn htcds_purpose(p: Purpose) -> &'static str {
    match p {
        Purpose::SexualExploitation => "SexualExploitation",
        Purpose::ForcedLabour => "ForcedLabour",
        Purpose::Slavery | Purpose::Servitude => "SlaveryAndPractices",
        Purpose::OrganRemoval => "OrganRemoval",
        Purpose::Other => "Other",
    }
}

/// HTCDS's method of recruitment for a recruiter relation (where one says
/// the same thing).
fn htcds_recruitment(r: RecruiterRelation) -> Option<&'static str> {
    match r {
        RecruiterRelation::Family => Some("Familial"),
        RecruiterRelation::IntimatePartner => Some("Intimate partner/marriage proposition"),
        RecruiterRelation::Other => Some("Other"),
        RecruiterRelation::Unknown => Some("Unknown"),
        RecruiterRelation::Friend => None,
    }
}

fn htcds_event(r: RouteRole) -> &'static str {
    match r {
        RouteRole::Origin => "Recruitment",
        RouteRole::Transit => "Transit",
        RouteRole::Destination | RouteRole::Exploitation => "Exploitation",
    }
}

/// Fields never exported (free text, identities, operational detail), and
/// the key saying why.
pub const NOT_EXPORTED: [&str; 9] = [
    "title",
    "summary",
    "notes",
    "indicators",
    "information",
    "links",
    "requests",
    "joint_operations",
    "person_ref",
];

impl App {
    /// Every case this node holds, by reference.
    pub(crate) fn held_cases(&self) -> Result<Vec<Case>> {
        let ids = self.store.read().doc_ids(DocKind::Case)?;
        let mut out = vec![];
        for id in ids {
            let Some(row) = self.store.read().doc(&id)? else {
                continue;
            };
            let doc = Document::load(&row.bytes, self.node.actor.clone())?;
            out.push(doc.read::<Case>("case")?);
        }
        out.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(out)
    }

    /// Writes this node's cases as HTCDS 2.0 JSON at `out` (whole or not at
    /// all; audited).
    pub fn export_htcds(&mut self, out: &Path) -> Result<StandardExport> {
        let cases = self.held_cases()?;
        let mut unmapped = vec![];
        let mut rows = 0u64;
        let mut items = vec![];
        for c in &cases {
            let mut miss = |field: &str, value: &str, reason: &str| {
                unmapped.push(Unmapped {
                    case: c.reference.clone(),
                    field: field.to_owned(),
                    value: value.to_owned(),
                    reason: format!("standard-unmapped-{reason}"),
                });
            };
            let mut persons = vec![];
            for p in &c.persons {
                rows += 1;
                let mut o = serde_json::Map::new();
                o.insert("prs_Pseudonym".into(), p.pseudonym.clone().into());
                o.insert("prs_Gender".into(), htcds_gender(p.gender).into());
                if let Some(n) = &p.nationality {
                    o.insert("prs_Nationality".into(), n.as_str().into());
                }
                if let Some(a) = p.age_band {
                    miss("age_band", a.as_str(), "htcds-birthdate");
                }
                if let Some(m) = p.minor_at_exploitation {
                    miss("minor_at_exploitation", &m.to_string(), "htcds-none");
                }
                match p.role {
                    PersonRole::Victim => {
                        o.insert("prs_Role".into(), "Victim".into());
                        let control: Vec<String> = c
                            .standard
                            .means_of_control
                            .iter()
                            .map(|m| pascal(m.as_str()))
                            .collect();
                        o.insert("vic_MethodsOfControl".into(), control.into());
                        let labour: Vec<String> = c
                            .standard
                            .labour_sector
                            .iter()
                            .map(|l| pascal(l.as_str()))
                            .collect();
                        o.insert("vic_TypeOfLabourExploitation".into(), labour.into());
                        let exploitation: BTreeSet<&str> =
                            c.purposes.iter().map(|x| htcds_purpose(*x)).collect();
                        o.insert(
                            "vic_TypeOfExploitation".into(),
                            exploitation.into_iter().collect::<Vec<_>>().into(),
                        );
                        let recruitment: Vec<&str> = c
                            .standard
                            .recruiter_relation
                            .and_then(htcds_recruitment)
                            .into_iter()
                            .collect();
                        o.insert("vic_MethodOfRecruitment".into(), recruitment.into());
                    }
                    PersonRole::Suspect => {
                        o.insert("prs_Role".into(), "Perpetrator".into());
                        // HTCDS's role in the process is not recorded yet
                        // (issue 17 adds it).
                        miss("role", "suspect", "htcds-role-in-process");
                    }
                    PersonRole::Witness | PersonRole::Other => {
                        o.insert("prs_Role".into(), "Other".into());
                    }
                }
                persons.push(serde_json::Value::Object(o));
            }
            if let Some(r) = c.standard.recruiter_relation
                && htcds_recruitment(r).is_none()
            {
                miss("recruiter_relation", r.as_str(), "htcds-recruitment");
            }
            if c.purposes.contains(&Purpose::Servitude) {
                miss("purposes", "servitude", "htcds-servitude");
            }
            for m in &c.means {
                miss("means", m.as_str(), "htcds-protocol-means");
            }
            for a in &c.acts {
                miss("acts", a.as_str(), "htcds-protocol-acts");
            }
            miss(
                "classification",
                c.classification.as_str(),
                "htcds-trafficking-status",
            );
            if let Some(d) = c.standard.data_source {
                miss("data_source", d.as_str(), "htcds-none");
            }
            let events: Vec<serde_json::Value> = c
                .route
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "hte_Country": s.country.as_str(),
                        "hte_City": s.place,
                        "hte_Type": htcds_event(s.role),
                    })
                })
                .collect();
            items.push(serde_json::json!({
                "cas_Reference": c.reference,
                "cas_Status": htcds_status(c.status),
                "cas_OpenedDate": c.opened.to_string(),
                "persons": persons,
                "historicTraffickingEvents": events,
            }));
        }
        let doc = serde_json::json!({
            "standard": "HTCDS",
            "version": "2.0",
            "exported_at": crate::now_string(),
            "node": self.node.name,
            "not_exported": NOT_EXPORTED,
            "cases": items,
            "unmapped": unmapped,
        });
        let bytes = serde_json::to_vec_pretty(&doc)
            .map_err(|e| CoreError::Internal(format!("the export could not be written: {e}")))?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, "htcds json")?;
        Ok(StandardExport {
            format: "htcds".into(),
            cases: cases.len() as u64,
            rows,
            bytes: bytes.len() as u64,
            unmapped,
            ..StandardExport::default()
        })
    }

    /// Writes this node's victims as CTDC global dataset rows at `out`,
    /// k-anonymised: the quasi-identifiers (year, sex, age band, majority,
    /// citizenship, country of exploitation) are blanked, least useful
    /// first, until every combination is shared by at least `k` victims;
    /// a victim still alone with fewer than `k` is left out.
    pub fn export_ctdc(&mut self, out: &Path, k: u64) -> Result<StandardExport> {
        if k < crate::DEFAULT_K {
            return Err(CoreError::StatsK {
                least: crate::DEFAULT_K,
            });
        }
        let cases = self.held_cases()?;
        let mut unmapped = vec![];
        let mut rows: Vec<BTreeMap<String, String>> = vec![];
        for c in &cases {
            let mut miss = |field: &str, value: &str, reason: &str| {
                unmapped.push(Unmapped {
                    case: c.reference.clone(),
                    field: field.to_owned(),
                    value: value.to_owned(),
                    reason: format!("standard-unmapped-{reason}"),
                });
            };
            for m in &c.means {
                miss("means", m.as_str(), "ctdc-protocol-means");
            }
            if let Some(d) = c.standard.data_source
                && !matches!(d, DataSource::CaseManagement | DataSource::Hotline)
            {
                miss("data_source", d.as_str(), "ctdc-datasource");
            }
            if c.purposes.contains(&Purpose::Servitude) {
                miss("purposes", "servitude", "ctdc-servitude");
            }
            let exploitation: Vec<&str> = c
                .route
                .iter()
                .filter(|s| matches!(s.role, RouteRole::Exploitation | RouteRole::Destination))
                .map(|s| s.country.as_str())
                .collect();
            if exploitation.len() > 1 {
                miss(
                    "route",
                    &exploitation[1..].join(","),
                    "ctdc-one-exploitation-country",
                );
            }
            for p in c.persons.iter().filter(|p| p.role == PersonRole::Victim) {
                rows.push(ctdc_row(c, p, exploitation.first().copied()));
            }
        }
        let (blanked, dropped) = k_anonymise(&mut rows, k);
        let mut w = csv::Writer::from_writer(vec![]);
        let fail =
            |e: csv::Error| CoreError::Internal(format!("the export could not be written: {e}"));
        let columns = ctdc_columns();
        w.write_record(&columns).map_err(fail)?;
        for r in &rows {
            w.write_record(columns.iter().map(|c| r.get(c).map_or("", String::as_str)))
                .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| CoreError::Internal(format!("the export could not be written: {e}")))?;
        write_atomically(out, &bytes)?;
        self.audit_export(out, &format!("ctdc csv k={k}"))?;
        Ok(StandardExport {
            format: "ctdc".into(),
            cases: cases.len() as u64,
            rows: rows.len() as u64,
            bytes: bytes.len() as u64,
            unmapped,
            blanked,
            dropped,
            k,
        })
    }
}

/// The quasi-identifiers, in the order they are blanked (the least useful
/// to an analyst first).
const QUASI: [&str; 6] = [
    "citizenship",
    "CountryOfExploitation",
    "ageBroad",
    "yearOfRegistration",
    "majorityStatus",
    "gender",
];

fn ctdc_columns() -> Vec<String> {
    let mut c: Vec<String> = [
        "yearOfRegistration",
        "Datasource",
        "gender",
        "ageBroad",
        "majorityStatus",
        "citizenship",
        "CountryOfExploitation",
        "isForcedLabour",
        "isSexualExploit",
        "isOtherExploit",
        "isOrganRemoval",
        "isSlaveryAndPractices",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    c.extend(
        MeansOfControl::all()
            .iter()
            .map(|m| format!("meansOfControl{}", pascal(m.as_str()))),
    );
    c.extend(
        LabourSector::all()
            .iter()
            .map(|l| format!("typeOfLabour{}", pascal(l.as_str()))),
    );
    c.extend(
        RecruiterRelation::all()
            .iter()
            .map(|r| format!("recruiterRelation{}", pascal(r.as_str()))),
    );
    c
}

fn ctdc_row(
    c: &Case,
    p: &enlace_domain::CasePerson,
    exploitation: Option<&str>,
) -> BTreeMap<String, String> {
    let mut r: BTreeMap<String, String> = BTreeMap::new();
    let flag = |b: bool| if b { "1" } else { "0" }.to_owned();
    r.insert(
        "yearOfRegistration".into(),
        chrono::Datelike::year(&c.opened).to_string(),
    );
    if let Some(d) = c.standard.data_source {
        match d {
            DataSource::CaseManagement => {
                r.insert("Datasource".into(), "Case Management".into());
            }
            DataSource::Hotline => {
                r.insert("Datasource".into(), "Hotline".into());
            }
            DataSource::Investigation | DataSource::Other => {}
        }
    }
    match p.gender {
        Gender::Female => {
            r.insert("gender".into(), "Female".into());
        }
        Gender::Male => {
            r.insert("gender".into(), "Male".into());
        }
        Gender::TransNonConforming => {
            r.insert("gender".into(), "Trans/Transgender/NonConforming".into());
        }
        Gender::Unknown => {}
    }
    if let Some(a) = p.age_band {
        r.insert("ageBroad".into(), a.as_str().to_owned());
    }
    if p.is_minor() {
        r.insert("majorityStatus".into(), "Minor".into());
    } else if p.age_band.is_some() {
        r.insert("majorityStatus".into(), "Adult".into());
    }
    if let Some(n) = &p.nationality {
        r.insert("citizenship".into(), n.as_str().to_owned());
    }
    if let Some(e) = exploitation {
        r.insert("CountryOfExploitation".into(), e.to_owned());
    }
    let has = |x: Purpose| c.purposes.contains(&x);
    r.insert("isForcedLabour".into(), flag(has(Purpose::ForcedLabour)));
    r.insert(
        "isSexualExploit".into(),
        flag(has(Purpose::SexualExploitation)),
    );
    r.insert("isOtherExploit".into(), flag(has(Purpose::Other)));
    r.insert("isOrganRemoval".into(), flag(has(Purpose::OrganRemoval)));
    r.insert("isSlaveryAndPractices".into(), flag(has(Purpose::Slavery)));
    for m in MeansOfControl::all() {
        r.insert(
            format!("meansOfControl{}", pascal(m.as_str())),
            flag(c.standard.means_of_control.contains(m)),
        );
    }
    for l in LabourSector::all() {
        r.insert(
            format!("typeOfLabour{}", pascal(l.as_str())),
            flag(c.standard.labour_sector == Some(*l)),
        );
    }
    for rel in RecruiterRelation::all() {
        r.insert(
            format!("recruiterRelation{}", pascal(rel.as_str())),
            flag(c.standard.recruiter_relation == Some(*rel)),
        );
    }
    r
}

/// Blanks quasi-identifiers until every combination of them is shared by
/// at least `k` rows, then leaves out the rows still in a smaller one.
/// Returns the values blanked by column and the rows left out.
pub(crate) fn k_anonymise(
    rows: &mut Vec<BTreeMap<String, String>>,
    k: u64,
) -> (BTreeMap<String, u64>, u64) {
    let class = |r: &BTreeMap<String, String>| -> Vec<String> {
        QUASI
            .iter()
            .map(|q| r.get(*q).cloned().unwrap_or_default())
            .collect()
    };
    let mut blanked: BTreeMap<String, u64> = BTreeMap::new();
    for q in QUASI {
        let mut sizes: BTreeMap<Vec<String>, u64> = BTreeMap::new();
        for r in rows.iter() {
            *sizes.entry(class(r)).or_default() += 1;
        }
        for r in rows.iter_mut() {
            if sizes.get(&class(r)).copied().unwrap_or(0) < k
                && r.remove(q).is_some_and(|v| !v.is_empty())
            {
                *blanked.entry(q.to_owned()).or_default() += 1;
            }
        }
    }
    let mut sizes: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for r in rows.iter() {
        *sizes.entry(class(r)).or_default() += 1;
    }
    let before = rows.len();
    rows.retain(|r| sizes.get(&class(r)).copied().unwrap_or(0) >= k);
    (blanked, (before - rows.len()) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(vals: [&str; 6]) -> BTreeMap<String, String> {
        QUASI
            .iter()
            .zip(vals)
            .filter(|(_, v)| !v.is_empty())
            .map(|(q, v)| ((*q).to_owned(), v.to_owned()))
            .collect()
    }

    proptest! {
        /// After k-anonymisation every combination of quasi-identifiers is
        /// shared by k rows or more, and no row gains a value.
        #[test]
        fn every_class_holds_k_rows(
            raw in proptest::collection::vec(
                (0..4usize, 0..3usize, 0..5usize, 0..3usize, 0..2usize, 0..3usize),
                0..200,
            ),
            k in 2u64..15,
        ) {
            let pick = |xs: &[&'static str], i: usize| xs[i % xs.len()];
            let mut rows: Vec<BTreeMap<String, String>> = raw
                .iter()
                .map(|(a, b, c, d, e, f)| {
                    row([
                        pick(&["HN", "GT", "SV", ""], *a),
                        pick(&["MX", "US", ""], *b),
                        pick(&["0-8", "9-17", "18-20", "30-38", ""], *c),
                        pick(&["2024", "2025", "2026"], *d),
                        pick(&["Adult", "Minor"], *e),
                        pick(&["Female", "Male", ""], *f),
                    ])
                })
                .collect();
            let original = rows.clone();
            let (_, dropped) = k_anonymise(&mut rows, k);
            prop_assert_eq!(rows.len() as u64 + dropped, original.len() as u64);
            let mut sizes: BTreeMap<Vec<String>, u64> = BTreeMap::new();
            for r in &rows {
                let c: Vec<String> = QUASI.iter().map(|q| r.get(*q).cloned().unwrap_or_default()).collect();
                *sizes.entry(c).or_default() += 1;
            }
            for (c, n) in &sizes {
                prop_assert!(*n >= k, "{:?} holds {} rows", c, n);
            }
            // Blanking only removes: every kept value was in some original row.
            for r in &rows {
                for (q, v) in r {
                    prop_assert!(original.iter().any(|o| o.get(q.as_str()) == Some(v)));
                }
            }
        }
    }

    #[test]
    fn pascal_case_of_codes() {
        assert_eq!(pascal("debt_bondage"), "DebtBondage");
        assert_eq!(pascal("other"), "Other");
    }
}
