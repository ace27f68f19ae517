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
    Case, CaseStatus, DataSource, DocKind, Gender, LabourSector, MeansOfControl, PerpetratorRole,
    PersonRole, Purpose, RecruiterRelation, RouteRole, SexualExploitationType, TraffickingStatus,
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

impl Unmapped {
    /// `reason` is the end of its key: `standard-unmapped-<reason>`.
    fn of(case: &str, field: &str, value: &str, reason: &str) -> Unmapped {
        Unmapped {
            case: case.to_owned(),
            field: field.to_owned(),
            value: value.to_owned(),
            reason: format!("standard-unmapped-{reason}"),
        }
    }
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
        Purpose::ForcedMarriage => "ForcedMarriage",
        Purpose::ForcedMilitaryService => "ForcedMilitaryService",
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
pub const NOT_EXPORTED: [&str; 11] = [
    "title",
    "summary",
    "notes",
    "indicators",
    "information",
    "links",
    "requests",
    "joint_operations",
    "person_ref",
    "pseudonym",
    "route.place",
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
        self.require(enlace_domain::Permission::Export)?;
        let cases = self.held_cases()?;
        let mut unmapped = vec![];
        let mut rows = 0u64;
        let mut items = vec![];
        for c in &cases {
            let mut miss = |field: &str, value: &str, reason: &str| {
                unmapped.push(Unmapped::of(&c.reference, field, value, reason));
            };
            let mut persons = vec![];
            // Person-level values without a field are counted per case,
            // never listed person by person (their order would link them).
            let mut person_misses: BTreeMap<(&str, &str), u64> = BTreeMap::new();
            let mut seq: BTreeMap<&str, u64> = BTreeMap::new();
            for p in &c.persons {
                rows += 1;
                let mut o = serde_json::Map::new();
                // A pseudonym made for the export (V1, S1, O1...): the
                // case's own pseudonyms are free text people write, and
                // may say more than they should.
                let prefix = match p.role {
                    PersonRole::Victim => "V",
                    PersonRole::Suspect => "S",
                    PersonRole::Witness | PersonRole::Other => "O",
                };
                let n = seq.entry(prefix).or_default();
                *n += 1;
                o.insert("prs_Pseudonym".into(), format!("{prefix}{n}").into());
                o.insert("prs_Gender".into(), htcds_gender(p.gender).into());
                if let Some(n) = &p.nationality {
                    o.insert("prs_Nationality".into(), n.as_str().into());
                }
                if p.age_band.is_some() {
                    *person_misses
                        .entry(("age_band", "htcds-birthdate"))
                        .or_default() += 1;
                }
                if p.minor_at_exploitation.is_some() {
                    *person_misses
                        .entry(("minor_at_exploitation", "htcds-none"))
                        .or_default() += 1;
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
                        let sex: Vec<String> = c
                            .standard
                            .sexual_exploitation
                            .iter()
                            .map(|x| pascal(x.as_str()))
                            .collect();
                        o.insert("vic_TypeOfSexExploitation".into(), sex.into());
                        if let Some(t) = c.standard.trafficking_status {
                            o.insert("vic_TraffickingStatus".into(), pascal(t.as_str()).into());
                        }
                        if let Some(by) = &c.standard.trafficking_status_by {
                            o.insert("vic_TraffickingStatusDecidedBy".into(), by.clone().into());
                        }
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
                        let roles: Vec<String> =
                            p.process_roles.iter().map(|r| pascal(r.as_str())).collect();
                        o.insert("per_RoleInProcess".into(), roles.into());
                    }
                    PersonRole::Witness | PersonRole::Other => {
                        o.insert("prs_Role".into(), "Other".into());
                    }
                }
                persons.push(serde_json::Value::Object(o));
            }
            for ((field, reason), n) in person_misses {
                miss(field, &format!("×{n}"), reason);
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
            if c.standard.trafficking_status.is_none() {
                miss(
                    "classification",
                    c.classification.as_str(),
                    "htcds-trafficking-status",
                );
            }
            if c.standard.smuggling.is_some() {
                miss("smuggling", "elements", "htcds-none");
            }
            if let Some(d) = c.standard.data_source {
                miss("data_source", d.as_str(), "htcds-none");
            }
            let events: Vec<serde_json::Value> = c
                .route
                .iter()
                .map(|s| {
                    // The country only: a route's place is free text (an
                    // address, a bar's name) and stays on this node.
                    serde_json::json!({
                        "hte_Country": s.country.as_str(),
                        "hte_Type": htcds_event(s.role),
                    })
                })
                .collect();
            items.push(serde_json::json!({
                "demo": c.demo,
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
        self.require(enlace_domain::Permission::Export)?;
        if k < crate::DEFAULT_K {
            return Err(CoreError::StatsK {
                least: crate::DEFAULT_K,
            });
        }
        // The node's one k (fixed by its first publication): groups blanked
        // at one k and kept at another would tell their sizes.
        if let Some((fixed, resolution)) = self.published_settings()?
            && fixed != k
        {
            return Err(CoreError::StatsSettings {
                k: fixed,
                resolution,
            });
        }
        let cases = self.held_cases()?;
        let mut unmapped = vec![];
        let mut rows: Vec<BTreeMap<String, String>> = vec![];
        for c in &cases {
            let mut miss = |field: &str, value: &str, reason: &str| {
                unmapped.push(Unmapped::of(&c.reference, field, value, reason));
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
        // In no meaningful order: rows written case by case would show
        // which victims share a case, and where a new case went.
        let mut keyed: Vec<(uuid::Uuid, BTreeMap<String, String>)> = rows
            .into_iter()
            .map(|r| (uuid::Uuid::new_v4(), r))
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        let rows: Vec<BTreeMap<String, String>> = keyed.into_iter().map(|(_, r)| r).collect();
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
        // The export fixes the node's k as a table would (an empty
        // release: it is compared with nothing, only its k is kept).
        if self.published_settings()?.is_none() {
            let release = enlace_domain::stats::Release {
                by: vec![],
                filter: Default::default(),
                sources: Default::default(),
                cells: Default::default(),
                total: 0,
                k,
                resolution: k,
            };
            let json =
                serde_json::to_string(&release).map_err(|e| CoreError::Internal(e.to_string()))?;
            let at = crate::now_string();
            self.store.write(|tx| tx.put_stats_release(&at, &json))?;
        }
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
        "isForcedMarriage",
        "isForcedMilitary",
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
        SexualExploitationType::all()
            .iter()
            .map(|t| format!("typeOfSex{}", pascal(t.as_str()))),
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
    r.insert(
        "isForcedMarriage".into(),
        flag(has(Purpose::ForcedMarriage)),
    );
    r.insert(
        "isForcedMilitary".into(),
        flag(has(Purpose::ForcedMilitaryService)),
    );
    for t in SexualExploitationType::all() {
        r.insert(
            format!("typeOfSex{}", pascal(t.as_str())),
            flag(c.standard.sexual_exploitation.contains(t)),
        );
    }
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

/// What `enlace case import-htcds` made.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct HtcdsImported {
    /// `[ID, REFERENCE]` of each case made, in the file's order.
    pub cases: Vec<(String, String)>,
    /// Values read but without a place in Enlace (`case` is the case's
    /// position in the file, from 1).
    pub unmapped: Vec<Unmapped>,
}

/// Why an HTCDS file was refused: the case (from 1; 0 the file), the
/// field, the value found and what was expected (a translation key,
/// `htcds-expect-…`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "case {case}, field {field}: `{value}` is not {}",
    enlace_domain::tr(enlace_domain::Lang::En, expected)
)]
pub struct HtcdsError {
    pub case: usize,
    pub field: String,
    pub value: String,
    pub expected: &'static str,
}

/// An HTCDS case object read into a case to create, and what had no place.
fn htcds_case(
    n: usize,
    v: &serde_json::Value,
    lang: enlace_domain::Lang,
) -> std::result::Result<(enlace_domain::input::CaseInput, Vec<Unmapped>), HtcdsError> {
    use enlace_domain::input::{CaseInput, PersonInput};
    use enlace_domain::{AgeBand, Classification, CountryCode, Identity, RouteStop};
    let bad = |field: &str, value: &str, expected: &'static str| HtcdsError {
        case: n,
        field: field.to_owned(),
        value: value.to_owned(),
        expected,
    };
    let obj = v
        .as_object()
        .ok_or_else(|| bad("", &v.to_string(), "htcds-expect-object"))?;
    let text = |o: &serde_json::Map<String, serde_json::Value>,
                f: &str|
     -> std::result::Result<Option<String>, HtcdsError> {
        match o.get(f) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(other) => Err(bad(f, &other.to_string(), "htcds-expect-text")),
        }
    };
    let list = |o: &serde_json::Map<String, serde_json::Value>,
                f: &str|
     -> std::result::Result<Vec<String>, HtcdsError> {
        match o.get(f) {
            None | Some(serde_json::Value::Null) => Ok(vec![]),
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(|s| s.trim().to_owned())
                        .ok_or_else(|| bad(f, &x.to_string(), "htcds-expect-text"))
                })
                .collect(),
            // HTCDS spreadsheets write multi-selects as `A;B`.
            Some(serde_json::Value::String(s)) => Ok(s
                .split(';')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()),
            Some(other) => Err(bad(f, &other.to_string(), "htcds-expect-list")),
        }
    };
    let reference = text(obj, "cas_Reference")?.unwrap_or_else(|| format!("#{n}"));
    let mut unmapped = vec![];
    let mut miss = |field: &str, value: &str| {
        unmapped.push(Unmapped::of(&n.to_string(), field, value, "htcds-import"));
    };
    let status = match text(obj, "cas_Status")?.as_deref() {
        None | Some("Active") => CaseStatus::Reported,
        Some("FollowUp") => CaseStatus::UnderInvestigation,
        Some("Closed") => CaseStatus::Closed,
        Some("ClosedReferred") => CaseStatus::Referred,
        Some(other) => {
            return Err(bad("cas_Status", other, "htcds-expect-status"));
        }
    };
    // A date field (YYYY-MM-DD, a time after it ignored), refused when bad.
    let date = |o: &serde_json::Map<String, serde_json::Value>,
                f: &str|
     -> std::result::Result<Option<chrono::NaiveDate>, HtcdsError> {
        match text(o, f)? {
            None => Ok(None),
            Some(d) => chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(&d), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad(f, &d, "htcds-expect-date")),
        }
    };
    // A list of objects (persons, events), none when absent.
    let objects = |f: &str| -> std::result::Result<&[serde_json::Value], HtcdsError> {
        match obj.get(f) {
            None | Some(serde_json::Value::Null) => Ok(&[]),
            Some(serde_json::Value::Array(a)) => Ok(a),
            Some(_) => Err(bad(f, "…", "htcds-expect-list")),
        }
    };
    let opened = date(obj, "cas_OpenedDate")?;
    let mut purposes: BTreeSet<Purpose> = BTreeSet::new();
    let mut control: BTreeSet<MeansOfControl> = BTreeSet::new();
    let mut labour: Option<LabourSector> = None;
    let mut recruiter: Option<RecruiterRelation> = None;
    let mut sexual: BTreeSet<SexualExploitationType> = BTreeSet::new();
    let mut victim_status: Option<TraffickingStatus> = None;
    let mut status_by: Option<String> = None;
    let mut persons = vec![];
    let people = objects("persons")?;
    for p in people {
        let po = p
            .as_object()
            .ok_or_else(|| bad("persons", &p.to_string(), "htcds-expect-object"))?;
        let is_victim = po.keys().any(|k| k.starts_with("vic_"));
        let role = match text(po, "prs_Role")?.as_deref() {
            Some("Victim") => PersonRole::Victim,
            Some("Perpetrator") => PersonRole::Suspect,
            Some("Other") => PersonRole::Other,
            None if is_victim => PersonRole::Victim,
            None => PersonRole::Other,
            Some(other) => {
                return Err(bad("prs_Role", other, "htcds-expect-role"));
            }
        };
        let gender = match text(po, "prs_Gender")?.as_deref() {
            None | Some("Unknown") => None,
            Some("Female") => Some(Gender::Female),
            Some("Male") => Some(Gender::Male),
            Some("Transgender/NonConforming") => Some(Gender::TransNonConforming),
            Some(other) => {
                return Err(bad("prs_Gender", other, "htcds-expect-gender"));
            }
        };
        let nationality = match text(po, "prs_Nationality")? {
            None => None,
            Some(c) => Some(
                CountryCode::parse(&c)
                    .ok_or_else(|| bad("prs_Nationality", &c, "htcds-expect-alpha2"))?,
            ),
        };
        // Names, where an organisation's file carries them, become the
        // person's identity: national only, never synced with the case.
        let given = [text(po, "prs_FirstName")?, text(po, "prs_MiddleName")?]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let identity = text(po, "prs_SecondName")?
            .filter(|_| !given.is_empty())
            .map(|surname| Identity {
                given_names: given.clone(),
                first_surname: surname,
                gender,
                nationality: nationality.clone(),
                ..Identity::default()
            });
        for m in list(po, "vic_MethodsOfControl")? {
            let code = crate::datasets::shapes::snake(&m);
            match MeansOfControl::all().iter().find(|x| x.as_str() == code) {
                Some(x) => {
                    control.insert(*x);
                }
                None => return Err(bad("vic_MethodsOfControl", &m, "htcds-expect-control")),
            }
        }
        for l in list(po, "vic_TypeOfLabourExploitation")? {
            let code = crate::datasets::shapes::snake(&l);
            match LabourSector::all().iter().find(|x| x.as_str() == code) {
                Some(x) => {
                    if labour.is_some_and(|y| y != *x) {
                        miss("vic_TypeOfLabourExploitation", &l);
                    } else {
                        labour = Some(*x);
                    }
                }
                None => {
                    return Err(bad(
                        "vic_TypeOfLabourExploitation",
                        &l,
                        "htcds-expect-labour",
                    ));
                }
            }
        }
        for t in list(po, "vic_TypeOfExploitation")? {
            let p = match t.as_str() {
                "SexualExploitation" => Purpose::SexualExploitation,
                "ForcedLabour" => Purpose::ForcedLabour,
                "SlaveryAndPractices" => Purpose::Slavery,
                "OrganRemoval" => Purpose::OrganRemoval,
                "ForcedMarriage" => Purpose::ForcedMarriage,
                "ForcedMilitaryService" => Purpose::ForcedMilitaryService,
                "Other" => Purpose::Other,
                _ => {
                    return Err(bad(
                        "vic_TypeOfExploitation",
                        &t,
                        "htcds-expect-exploitation",
                    ));
                }
            };
            purposes.insert(p);
        }
        for t in list(po, "vic_TypeOfSexExploitation")? {
            let code = crate::datasets::shapes::snake(&t);
            match SexualExploitationType::all()
                .iter()
                .find(|x| x.as_str() == code)
            {
                Some(x) => {
                    sexual.insert(*x);
                }
                None => miss("vic_TypeOfSexExploitation", &t),
            }
        }
        if let Some(t) = text(po, "vic_TraffickingStatus")? {
            let code = crate::datasets::shapes::snake(&t);
            match TraffickingStatus::all().iter().find(|x| x.as_str() == code) {
                Some(x) if victim_status.is_none_or(|y| y == *x) => victim_status = Some(*x),
                _ => miss("vic_TraffickingStatus", &t),
            }
        }
        if let Some(by) = text(po, "vic_TraffickingStatusDecidedBy")? {
            status_by.get_or_insert(by);
        }
        let mut process_roles = vec![];
        for r in list(po, "per_RoleInProcess")? {
            let code = crate::datasets::shapes::snake(&r);
            match PerpetratorRole::all().iter().find(|x| x.as_str() == code) {
                Some(x) if role == PersonRole::Suspect => process_roles.push(*x),
                _ => miss("per_RoleInProcess", &r),
            }
        }
        for r in list(po, "vic_MethodOfRecruitment")? {
            let rel = match r.as_str() {
                "Familial" => Some(RecruiterRelation::Family),
                "Intimate partner/marriage proposition" => Some(RecruiterRelation::IntimatePartner),
                "Other" => Some(RecruiterRelation::Other),
                "Unknown" => Some(RecruiterRelation::Unknown),
                _ => None,
            };
            match rel {
                Some(x) if recruiter.is_none() => recruiter = Some(x),
                _ => miss("vic_MethodOfRecruitment", &r),
            }
        }
        for k in po.keys() {
            if !matches!(
                k.as_str(),
                "prs_Pseudonym"
                    | "prs_Role"
                    | "prs_Gender"
                    | "prs_Nationality"
                    | "prs_FirstName"
                    | "prs_MiddleName"
                    | "prs_SecondName"
                    | "vic_MethodsOfControl"
                    | "vic_TypeOfLabourExploitation"
                    | "vic_TypeOfExploitation"
                    | "vic_TypeOfSexExploitation"
                    | "vic_TraffickingStatus"
                    | "vic_TraffickingStatusDecidedBy"
                    | "per_RoleInProcess"
                    | "vic_MethodOfRecruitment"
            ) {
                // The field only: a person's other fields (a birth date,
                // an address) are not repeated on a screen or in a log.
                miss(k, "…");
            }
        }
        persons.push(PersonInput {
            pseudonym: text(po, "prs_Pseudonym")?,
            role,
            gender,
            age_band: None::<AgeBand>,
            minor_at_exploitation: None,
            nationality,
            identity,
            process_roles,
        });
    }
    let mut route = vec![];
    let events = objects("historicTraffickingEvents")?;
    for e in events {
        let eo = e.as_object().ok_or_else(|| {
            bad(
                "historicTraffickingEvents",
                &e.to_string(),
                "htcds-expect-object",
            )
        })?;
        let Some(country) = text(eo, "hte_Country")? else {
            miss("historicTraffickingEvents", &e.to_string());
            continue;
        };
        let country = CountryCode::parse(&country)
            .ok_or_else(|| bad("hte_Country", &country, "htcds-expect-alpha2"))?;
        let role = match text(eo, "hte_Type")?.as_deref() {
            Some("Recruitment") => RouteRole::Origin,
            Some("Transit") => RouteRole::Transit,
            Some("Exploitation") => RouteRole::Exploitation,
            other => {
                return Err(bad("hte_Type", other.unwrap_or(""), "htcds-expect-event"));
            }
        };
        let from = date(eo, "hte_Date")?;
        route.push(RouteStop {
            id: String::new(),
            country,
            place: text(eo, "hte_City")?.unwrap_or_default(),
            role,
            from,
            to: None,
        });
    }
    for k in obj.keys() {
        if !matches!(
            k.as_str(),
            "cas_Reference"
                | "cas_Status"
                | "cas_OpenedDate"
                | "persons"
                | "historicTraffickingEvents"
        ) {
            miss(k, &obj[k].to_string());
        }
    }
    let input = CaseInput {
        title: enlace_domain::tr_args(lang, "htcds-import-title", &[("reference", &reference)]),
        classification: Classification::UnderAssessment,
        status: Some(status),
        opened,
        purposes: purposes.into_iter().collect(),
        route,
        persons,
        standard: enlace_domain::StandardFields {
            means_of_control: control.into_iter().collect(),
            labour_sector: labour,
            recruiter_relation: recruiter,
            data_source: None,
            sexual_exploitation: sexual.into_iter().collect(),
            trafficking_status: victim_status,
            trafficking_status_by: status_by,
            smuggling: None,
        },
        summary: String::new(),
        acts: vec![],
        means: vec![],
        child_involved: false,
        indicators: vec![],
        information: vec![],
        links: vec![],
        requests: vec![],
        joint_operations: vec![],
        notes: vec![],
        audience: None,
        demo: false,
    };
    Ok((input, unmapped))
}

/// An HTCDS spreadsheet saved as CSV (comma or semicolon; UTF-8 or
/// Windows-1252): one row per person, the case's `cas_` columns repeated
/// on its rows (rows with the same `cas_Reference` are one case), the
/// person's `prs_` and `vic_` columns (multi-selects as `A;B`), and
/// optionally one trafficking event per row (`hte_Country`, `hte_Type`,
/// `hte_Date`). Read into the JSON shape.
fn htcds_csv(text: &str) -> std::result::Result<serde_json::Value, HtcdsError> {
    let delimiter = crate::datasets::shapes::delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let bad = |line: u64, expected: &'static str| HtcdsError {
        case: 0,
        field: String::new(),
        value: format!("{line}"),
        expected,
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| bad(1, "htcds-expect-csv"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if !header
        .iter()
        .any(|h| h.starts_with("cas_") || h.starts_with("prs_") || h.starts_with("vic_"))
    {
        return Err(bad(1, "htcds-expect-cases"));
    }
    let mut cases: Vec<serde_json::Map<String, serde_json::Value>> = vec![];
    let mut by_reference: BTreeMap<String, usize> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|_| bad(line, "htcds-expect-csv"))?;
        let mut case = serde_json::Map::new();
        let mut person = serde_json::Map::new();
        let mut event = serde_json::Map::new();
        for (h, v) in header.iter().zip(record.iter()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let target = if h.starts_with("cas_") {
                &mut case
            } else if h.starts_with("hte_") {
                &mut event
            } else {
                &mut person
            };
            target.insert(h.clone(), v.into());
        }
        let at = match case.get("cas_Reference").and_then(|r| r.as_str()) {
            Some(r) if by_reference.contains_key(r) => by_reference[r],
            reference => {
                if let Some(r) = reference {
                    by_reference.insert(r.to_owned(), cases.len());
                }
                let mut c = case.clone();
                c.insert("persons".into(), serde_json::Value::Array(vec![]));
                c.insert(
                    "historicTraffickingEvents".into(),
                    serde_json::Value::Array(vec![]),
                );
                cases.push(c);
                cases.len() - 1
            }
        };
        let push = |c: &mut serde_json::Map<String, serde_json::Value>,
                    key: &str,
                    v: serde_json::Value| {
            if let Some(serde_json::Value::Array(a)) = c.get_mut(key) {
                a.push(v);
            }
        };
        if !person.is_empty() {
            push(&mut cases[at], "persons", serde_json::Value::Object(person));
        }
        if !event.is_empty() {
            push(
                &mut cases[at],
                "historicTraffickingEvents",
                serde_json::Value::Object(event),
            );
        }
    }
    Ok(serde_json::Value::Array(
        cases.into_iter().map(serde_json::Value::Object).collect(),
    ))
}

impl App {
    /// Creates cases from an HTCDS 2.0 JSON file (an object with `cases`,
    /// as `enlace export htcds` writes, or an array of case objects): all
    /// or none. A value out of HTCDS's vocabulary refuses the file, naming
    /// the case and the field; fields Enlace has no place for are listed.
    pub fn import_htcds(
        &mut self,
        path: &Path,
        lang: enlace_domain::Lang,
    ) -> Result<HtcdsImported> {
        let bytes = std::fs::read(path).map_err(|e| CoreError::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let refuse = |e: HtcdsError| CoreError::Htcds {
            path: path.to_owned(),
            error: e,
        };
        let (text, _) = crate::datasets::shapes::decode(bytes);
        let json_like = text.trim_start().starts_with(['{', '[']);
        let doc: serde_json::Value = if json_like {
            serde_json::from_str(&text).map_err(|e| {
                refuse(HtcdsError {
                    case: 0,
                    field: String::new(),
                    value: format!("{}:{}", e.line(), e.column()),
                    expected: "htcds-expect-json",
                })
            })?
        } else {
            htcds_csv(&text).map_err(refuse)?
        };
        let items = match &doc {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(o) => match o.get("cases") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    return Err(refuse(HtcdsError {
                        case: 0,
                        field: "cases".into(),
                        value: "…".into(),
                        expected: "htcds-expect-list",
                    }));
                }
            },
            _ => {
                return Err(refuse(HtcdsError {
                    case: 0,
                    field: String::new(),
                    value: "…".into(),
                    expected: "htcds-expect-cases",
                }));
            }
        };
        let mut inputs = vec![];
        let mut unmapped = vec![];
        for (i, v) in items.iter().enumerate() {
            let (input, miss) = htcds_case(i + 1, v, lang).map_err(refuse)?;
            inputs.push(input);
            unmapped.extend(miss);
        }
        let saved = self.import_cases(inputs)?;
        Ok(HtcdsImported {
            cases: saved
                .into_iter()
                .map(|s| (s.id.clone(), s.reference.clone()))
                .collect(),
            unmapped,
        })
    }
}
