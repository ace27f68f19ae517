//! Demonstration legal assessments for the seven participating
//! countries. Fictional throughout: the laws cited do not exist.

use chrono::NaiveDate;
use enlace_domain::*;

use super::rng::{Rng, unreachable_code};
use crate::{App, Result};

/// Demonstration assessments for the seven participating countries, unless
/// this node already holds any assessment. Fictional throughout: the laws
/// cited do not exist and nothing here describes any country's real law.
pub(super) fn load(app: &mut App) -> Result<u64> {
    use enlace_domain::assessment::assessment_id;
    use enlace_domain::legal::{AssessmentStatus, CATALOGUE};
    if !app
        .store
        .read()
        .doc_ids(DocKind::LegalAssessment)?
        .is_empty()
    {
        return Ok(0);
    }
    let mut r = Rng(0x1E6A_1DA7_A5E5_5ED0);
    let own = app.node.country.clone();
    let mut docs = vec![];
    for (ci, cc) in ["GT", "MX", "HN", "SV", "NI", "CR", "PA"]
        .iter()
        .enumerate()
    {
        let country = CountryCode::parse(cc).unwrap_or_else(unreachable_code);
        let owner = Owner {
            node: if country == own {
                app.node.node_id.clone()
            } else {
                format!("demo-{}", cc.to_lowercase())
            },
            country: country.clone(),
        };
        let mut a = LegalAssessment::new(owner, true);
        debug_assert_eq!(a.id, assessment_id(&country));
        let law = format!("Ley de Demostración {} contra la Trata de Personas", ci + 1);
        let year = 2009 + (ci as i32 * 2);
        for (k, it) in CATALOGUE.iter().enumerate() {
            let roll = r.below(100);
            // Later countries have assessed less so far.
            let status = if roll < 8 + ci * 3 {
                AssessmentStatus::NotAssessed
            } else if roll < 55 {
                AssessmentStatus::Compliant
            } else if roll < 80 {
                AssessmentStatus::PartiallyCompliant
            } else {
                AssessmentStatus::NotCompliant
            };
            let mut item = AssessmentItem {
                status,
                ..AssessmentItem::default()
            };
            if status != AssessmentStatus::NotAssessed {
                item.assessor = format!("Equipo nacional de demostración ({cc})");
                item.assessed_on =
                    NaiveDate::from_ymd_opt(2026, 3 + (ci as u32 % 6), 2 + k as u32 % 25);
            }
            if matches!(
                status,
                AssessmentStatus::Compliant | AssessmentStatus::PartiallyCompliant
            ) {
                item.provisions.push(Provision {
                    id: String::new(),
                    law: law.clone(),
                    article: format!("art. {}", 3 + k * 2),
                    year: Some(year),
                });
            }
            if matches!(
                status,
                AssessmentStatus::PartiallyCompliant | AssessmentStatus::NotCompliant
            ) {
                let (gap, proposal): (&&str, &&str) = (r.pick(GAPS), r.pick(PROPOSALS));
                item.gap = fill_item(gap, it.id, it.article);
                item.proposal = fill_item(proposal, it.id, it.article);
            }
            if status == AssessmentStatus::PartiallyCompliant && r.chance(30) {
                item.evidence.push(Evidence {
                    id: String::new(),
                    kind: EvidenceKind::CourtDecision,
                    reference: format!("Sentencia de demostración {}/2025", 10 + r.below(90)),
                    note: "Ficticia: ilustra cómo se cita una resolución.".into(),
                });
            }
            a.items.insert(it.id.to_owned(), item);
        }
        docs.push(a);
    }
    app.store_demo_assessments(docs)
}

fn fill_item(t: &str, id: &str, article: &str) -> String {
    t.replace("{id}", id).replace("{article}", article)
}

const GAPS: &[&str] = &[
    "[Demostración] La disposición citada no recoge todos los supuestos que exige {id} ({article}); el tipo penal queda más estrecho que la obligación.",
    "[Demostración] La ley exige requisitos adicionales que {id} ({article}) no contempla, lo que dificulta la persecución en la práctica.",
    "[Demostración] No existe una norma específica; los tribunales aplican disposiciones generales de forma desigual.",
    "[Demostración] La norma existe pero no tiene reglamento ni presupuesto asignado, por lo que no se aplica.",
];

const PROPOSALS: &[&str] = &[
    "[Demostración] Reformar la ley para recoger expresamente {id}, conforme al texto armonizado regional.",
    "[Demostración] Incluir un artículo nuevo siguiendo la Ley Modelo de la UNODC y eliminar los requisitos adicionales.",
    "[Demostración] Aprobar el reglamento y asignar presupuesto en la próxima ley de presupuesto.",
];
