//! The closed vocabularies as TypeScript constants for the UI, generated
//! from the enumerations here so the two cannot drift
//! (`ui/src/bindings/vocabulary.ts`, checked by `cargo xtask test`).

use crate::assessment::EvidenceKind;
use crate::country::{OBSERVERS, PARTICIPATING};
use crate::enums::*;
use crate::legal::{AssessmentStatus, CATALOGUE, CATALOGUE_VERSION, Instrument, Obligation};
use crate::plan::{Component, Sector, TaskKind, TaskStatus};

fn list<T: Closed>(out: &mut String, name: &str, ty: &str) {
    out.push_str(&format!("export const {name}: readonly {ty}[] = ["));
    let items: Vec<String> = T::all()
        .iter()
        .map(|v| format!("\"{}\"", v.as_str()))
        .collect();
    out.push_str(&items.join(", "));
    out.push_str("];\n");
}

/// The TypeScript source of `vocabulary.ts`.
pub fn typescript() -> String {
    let mut s =
        String::from("// Generated from crates/enlace-domain (vocabulary.rs). Do not edit.\n");
    let mut imports = vec![
        "Act",
        "AgeBand",
        "AssessmentStatus",
        "Component",
        "Sector",
        "TaskKind",
        "TaskStatus",
        "EvidenceKind",
        "Instrument",
        "Obligation",
        "AudienceScope",
        "CaseStatus",
        "Classification",
        "Gender",
        "HandlingCode",
        "IndicatorKind",
        "InfoCredibility",
        "Means",
        "Purpose",
        "RouteRole",
        "PersonRole",
        "SourceReliability",
        "LinkRelation",
        "RequestKind",
        "RequestStatus",
        "OperationStatus",
        "MeansOfControl",
        "LabourSector",
        "RecruiterRelation",
        "DataSource",
        "IdDocumentKind",
    ];
    imports.sort();
    for i in &imports {
        s.push_str(&format!("import type {{ {i} }} from \"./{i}\";\n"));
    }
    s.push('\n');
    list::<Classification>(&mut s, "CLASSIFICATIONS", "Classification");
    list::<CaseStatus>(&mut s, "STATUSES", "CaseStatus");
    list::<Act>(&mut s, "ACTS", "Act");
    list::<Means>(&mut s, "MEANS", "Means");
    list::<Purpose>(&mut s, "PURPOSES", "Purpose");
    list::<RouteRole>(&mut s, "ROUTE_ROLES", "RouteRole");
    list::<PersonRole>(&mut s, "PERSON_ROLES", "PersonRole");
    list::<Gender>(&mut s, "GENDERS", "Gender");
    list::<AgeBand>(&mut s, "AGE_BANDS", "AgeBand");
    list::<IndicatorKind>(&mut s, "INDICATOR_KINDS", "IndicatorKind");
    list::<SourceReliability>(&mut s, "RELIABILITIES", "SourceReliability");
    list::<InfoCredibility>(&mut s, "CREDIBILITIES", "InfoCredibility");
    list::<HandlingCode>(&mut s, "HANDLING_CODES", "HandlingCode");
    list::<AudienceScope>(&mut s, "AUDIENCE_SCOPES", "AudienceScope");
    list::<LinkRelation>(&mut s, "LINK_RELATIONS", "LinkRelation");
    list::<RequestKind>(&mut s, "REQUEST_KINDS", "RequestKind");
    list::<RequestStatus>(&mut s, "REQUEST_STATUSES", "RequestStatus");
    list::<OperationStatus>(&mut s, "OPERATION_STATUSES", "OperationStatus");
    list::<MeansOfControl>(&mut s, "MEANS_OF_CONTROL", "MeansOfControl");
    list::<LabourSector>(&mut s, "LABOUR_SECTORS", "LabourSector");
    list::<RecruiterRelation>(&mut s, "RECRUITER_RELATIONS", "RecruiterRelation");
    list::<DataSource>(&mut s, "DATA_SOURCES", "DataSource");
    list::<IdDocumentKind>(&mut s, "ID_DOCUMENT_KINDS", "IdDocumentKind");
    list::<AssessmentStatus>(&mut s, "ASSESSMENT_STATUSES", "AssessmentStatus");
    list::<Instrument>(&mut s, "INSTRUMENTS", "Instrument");
    list::<Obligation>(&mut s, "OBLIGATIONS", "Obligation");
    list::<EvidenceKind>(&mut s, "EVIDENCE_KINDS", "EvidenceKind");
    list::<Component>(&mut s, "COMPONENTS", "Component");
    list::<TaskStatus>(&mut s, "TASK_STATUSES", "TaskStatus");
    list::<TaskKind>(&mut s, "TASK_KINDS", "TaskKind");
    list::<Sector>(&mut s, "SECTORS", "Sector");
    s.push_str(&format!(
        "export const CATALOGUE_VERSION = {CATALOGUE_VERSION};\n\
         export interface ChecklistEntry {{ id: string; instrument: Instrument; article: string; \
         obligation: Obligation; since: number }}\n\
         export const CATALOGUE: readonly ChecklistEntry[] = [\n"
    ));
    for i in CATALOGUE {
        s.push_str(&format!(
            "  {{ id: \"{}\", instrument: \"{}\", article: \"{}\", obligation: \"{}\", since: {} }},\n",
            i.id,
            i.instrument.as_str(),
            i.article,
            i.obligation.as_str(),
            i.since
        ));
    }
    s.push_str("];\n");
    let quote = |l: &[&str]| {
        l.iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    s.push_str(&format!(
        "export const PARTICIPATING: readonly string[] = [{}];\n",
        quote(&PARTICIPATING)
    ));
    s.push_str(&format!(
        "export const OBSERVERS: readonly string[] = [{}];\n",
        quote(&OBSERVERS)
    ));
    s
}

#[cfg(test)]
mod tests {
    /// Writes `vocabulary.ts` beside the ts-rs bindings (the same
    /// `TS_RS_EXPORT_DIR`), so one `cargo test` regenerates all bindings.
    #[test]
    fn export_vocabulary() {
        let ts = super::typescript();
        assert!(ts.contains("\"abuse_of_vulnerability\""));
        assert!(ts.contains("{ id: \"SOM-45\", instrument: \"smuggling_protocol\""));
        assert!(ts.contains("export const AGE_BANDS: readonly AgeBand[] = [\"0-8\""));
        if let Ok(dir) = std::env::var("TS_RS_EXPORT_DIR") {
            std::fs::create_dir_all(&dir).expect("create bindings dir");
            std::fs::write(std::path::Path::new(&dir).join("vocabulary.ts"), ts)
                .expect("write vocabulary.ts");
        }
    }
}
