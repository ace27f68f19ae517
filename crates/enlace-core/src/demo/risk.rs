//! Demonstration risk: a few victims of this country's demonstration
//! cases assessed — one review overdue, one due this week, one a month
//! away, one referred to a fictional shelter — so the reviews-due list,
//! the case list's marks and the referrals have something to show.

use chrono::Days;
use enlace_domain::{
    Agency, Case, CaseId, DocKind, PersonRole, Referral, ReferralStatus, RiskEntry, RiskLevel,
    RiskRecord, Service, ThreatFactor,
};
use uuid::Uuid;

use crate::edit::{self, Author, New};
use crate::{App, Result};

pub(super) fn load(app: &mut App) -> Result<u64> {
    if !app
        .store
        .read()
        .doc_ids(DocKind::RiskAssessment)?
        .is_empty()
    {
        return Ok(0);
    }
    let today = crate::clock::now().date_naive();
    let own = app.node.country.clone();
    let r = app.store.read();
    let mut victims: Vec<(Case, String)> = vec![];
    for id in r.doc_ids(DocKind::Case)? {
        if victims.len() == 4 {
            break;
        }
        let Some((case, _, _)) = edit::load::<Case>(&r, &app.node.actor, &id)? else {
            continue;
        };
        if !case.demo || case.owner.country != own {
            continue;
        }
        if let Some(v) = case.persons.iter().find(|p| p.role == PersonRole::Victim) {
            let pseudonym = v.pseudonym.clone();
            victims.push((case, pseudonym));
        }
    }
    // A shelter of this country's fictional directory, for a referral.
    let shelter = r
        .doc_ids(DocKind::Agency)?
        .into_iter()
        .filter_map(|id| {
            edit::load::<Agency>(&r, &app.node.actor, &id)
                .ok()
                .flatten()
        })
        .map(|(a, _, _)| a)
        .find(|a| a.country == own && a.services.contains(&Service::Shelter));
    // (level, assessed days ago, threats)
    let plans: [(RiskLevel, u64, &[ThreatFactor]); 4] = [
        (
            RiskLevel::Critical,
            12,
            &[
                ThreatFactor::TraffickersKnowLocation,
                ThreatFactor::ToFamily,
            ],
        ),
        (RiskLevel::High, 10, &[ThreatFactor::VictimIsWitness]),
        (RiskLevel::Medium, 3, &[ThreatFactor::DebtClaimed]),
        (RiskLevel::Low, 20, &[]),
    ];
    let by = app.by();
    let at = crate::now_string();
    let records: Vec<RiskRecord> = victims
        .iter()
        .zip(plans.iter())
        .enumerate()
        .map(|(i, ((case, pseudonym), (level, ago, threats)))| {
            let on = today - Days::new(*ago);
            let victim = case.persons.iter().find(|p| p.pseudonym == *pseudonym);
            let referrals = match (&shelter, i) {
                (Some(s), 0) => vec![Referral {
                    id: Uuid::new_v4().to_string(),
                    agency: s.id.to_string(),
                    agency_name: s.name.clone(),
                    services: vec![Service::Shelter],
                    reason: "Necesita alojamiento seguro lejos de la frontera".into(),
                    consent: true,
                    consent_override: None,
                    status: ReferralStatus::Accepted,
                    due: Some(today + Days::new(3)),
                    by: by.clone(),
                    at: at.clone(),
                    notes: String::new(),
                }],
                _ => vec![],
            };
            RiskRecord {
                id: Uuid::new_v4(),
                case: CaseId(case.id.0),
                pseudonym: pseudonym.clone(),
                person_ref: victim.and_then(|v| v.person_ref),
                owner: app.node.owner(),
                nodes: vec![],
                grants: vec![],
                assessments: vec![RiskEntry {
                    id: Uuid::new_v4().to_string(),
                    assessed_on: on,
                    assessor: "Inspectora de demostración".into(),
                    by: by.clone(),
                    recorded_at: at.clone(),
                    level: *level,
                    threats: threats.to_vec(),
                    measures_taken: "Entrevista en lugar seguro; contacto con el albergue".into(),
                    measures_needed: String::new(),
                    next_review: level.default_review(on),
                    reviews: vec![],
                    chosen: None,
                    notes: String::new(),
                }],
                referrals,
                demo: true,
            }
        })
        .collect();
    let author = Author::new(&app.node, app.by(), app.session.role);
    let n = records.len() as u64;
    app.store.write(|tx| {
        for rec in &records {
            let new = New {
                action: "create",
                fields: None,
                issues: &[],
            };
            edit::create(tx, &author, rec, new)?;
        }
        Ok::<_, crate::CoreError>(())
    })?;
    Ok(n)
}
