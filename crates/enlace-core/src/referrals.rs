//! Referrals of victims to the directory's agencies: kept in the victim's
//! national record (with her risk assessments, so they reach whom her
//! identity reaches), with her consent or an override and its written
//! reason, a status and a due date; and the referral letter (PDF), which
//! names her by pseudonym unless the official chooses to print her identity
//! and may (audited either way).

use std::path::Path;

use chrono::NaiveDate;
use enlace_domain::risk::validate_referral;
use enlace_domain::validate::has_errors;
use enlace_domain::{
    Agency, Case, Issue, Lang, Permission, Person, Referral, ReferralStatus, RiskRecord, Service,
    Severity,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::edit::{self, Author, Change, Rule, Validation};
use crate::files::write_atomically;
use crate::risk::{append_to_victim, victim_of};
use crate::{App, Candidate, CoreError, Result, cases, now_string};

/// A referral as `enlace referral add` and the app give it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReferralInput {
    pub pseudonym: String,
    /// The agency: its id, or a name only it has.
    pub agency: String,
    #[serde(default)]
    #[ts(as = "Option<Vec<Service>>", optional)]
    pub services: Vec<Service>,
    pub reason: String,
    pub consent: bool,
    /// Without consent, why the referral is made anyway.
    #[serde(default)]
    #[ts(optional)]
    pub consent_override: Option<String>,
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub notes: String,
}

/// A referral as people read it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReferralView {
    pub case_id: String,
    pub reference: String,
    pub pseudonym: String,
    pub referral: Referral,
    /// The agency's entry, when this node holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub agency: Option<Agency>,
    /// Its due date passed while in progress or accepted.
    pub overdue: bool,
}

impl App {
    /// Refers a victim of a case to an agency. Without her consent, only an
    /// official who may grant (a coordinator, an administrator) refers her,
    /// and writes why.
    pub fn referral_add(&mut self, case_key: &str, input: ReferralInput) -> Result<ReferralView> {
        self.require(Permission::SeeRiskAssessments)?;
        self.require(Permission::EditCases)?;
        let agency = self.resolve_agency(&input.agency).map_err(|e| match e {
            CoreError::NotFound { .. } => CoreError::Invalid(vec![
                Issue::new(Severity::Error, "agency", "val-referral-unknown-agency")
                    .arg("value", input.agency.trim()),
            ]),
            other => other,
        })?;
        let agency = self.agency(&agency)?;
        let referral = Referral {
            id: Uuid::new_v4().to_string(),
            agency: agency.id.to_string(),
            agency_name: agency.name.clone(),
            services: input.services.clone(),
            reason: input.reason.trim().to_owned(),
            consent: input.consent,
            consent_override: input
                .consent_override
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            status: ReferralStatus::InProgress,
            due: input.due,
            by: self.by(),
            at: now_string(),
            notes: input.notes.trim().to_owned(),
        };
        let issues = validate_referral(&referral);
        if has_errors(&issues) {
            return Err(CoreError::Invalid(issues));
        }
        if !referral.consent {
            self.require(Permission::Grant)?;
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        let restricted = self.node.role.need_to_know();
        let (case_id, pseudonym) = self.store.write(|tx| {
            let r = tx.read();
            let id = cases::resolve(&r, case_key)?;
            let (case, _, _) =
                edit::load::<Case>(&r, &author.node.actor, &id)?.ok_or_else(|| {
                    CoreError::NotFound {
                        what: case_key.to_owned(),
                    }
                })?;
            crate::risk::own_case(&case, &author)?;
            let (victim, held) = victim_of(&r, &author.node.actor, &case, &input.pseudonym)?;
            let mut item = Some(referral.clone());
            append_to_victim(
                tx,
                &author,
                &case,
                victim,
                restricted,
                &held,
                &issues,
                |rec| {
                    if let Some(i) = item.take() {
                        rec.referrals.push(i);
                    }
                },
            )?;
            let consent = match &referral.consent_override {
                None => "consent".to_owned(),
                Some(why) => format!("consent overridden: {why}"),
            };
            tx.audit(
                &author.at,
                &author.by,
                "referral.add",
                &format!("{} {}", case.reference, victim.pseudonym),
                &format!("{} ({}); {consent}", agency.name, agency.id),
            )?;
            Ok::<_, CoreError>((id, victim.pseudonym.clone()))
        })?;
        self.referrals(&case_id)?
            .into_iter()
            .find(|v| v.referral.id == referral.id && v.pseudonym == pseudonym)
            .ok_or_else(|| CoreError::Internal("the referral just made is gone".into()))
    }

    /// Records where a referral stands (and a note).
    pub fn referral_update(
        &mut self,
        case_key: &str,
        referral: &str,
        status: ReferralStatus,
        note: &str,
    ) -> Result<ReferralView> {
        self.require(Permission::SeeRiskAssessments)?;
        self.require(Permission::EditCases)?;
        let found = self.find_referral(case_key, referral)?;
        let author = Author::new(&self.node, self.by(), self.session.role);
        let note = note.trim().to_owned();
        let rid = found.referral.id.clone();
        let doc = found_doc(self, &found)?;
        self.store.write(|tx| {
            let change = Change {
                id: &doc,
                shown_as: &found.pseudonym,
                action: "referral",
                rule: Rule::Owner,
                base: None,
                validation: Validation::Refuse,
                or_new: None,
            };
            edit::edit(tx, &author, change, |_, rec: &mut RiskRecord| {
                for r in rec.referrals.iter_mut().filter(|r| r.id == rid) {
                    r.status = status;
                    if !note.is_empty() {
                        if !r.notes.is_empty() {
                            r.notes.push('\n');
                        }
                        r.notes.push_str(&note);
                    }
                }
                Ok(())
            })?;
            tx.audit(
                &author.at,
                &author.by,
                "referral.update",
                &format!("{} {}", found.reference, found.pseudonym),
                &format!("{rid}: {status}"),
            )?;
            Ok::<_, CoreError>(())
        })?;
        self.find_referral(case_key, &rid)
    }

    /// The referrals of a case's victims (or, without a case, of every
    /// victim this node holds records of), the latest first.
    pub fn referrals(&self, case_key: &str) -> Result<Vec<ReferralView>> {
        self.require(Permission::SeeRiskAssessments)?;
        let docs = {
            let r = self.store.read();
            let id = cases::resolve(&r, case_key)?;
            r.risk_docs_of_case(&id)?
        };
        self.referral_views(docs)
    }

    /// Every referral this node holds.
    pub fn referrals_all(&self) -> Result<Vec<ReferralView>> {
        self.require(Permission::SeeRiskAssessments)?;
        let docs = self
            .store
            .read()
            .doc_ids(enlace_domain::DocKind::RiskAssessment)?;
        self.referral_views(docs)
    }

    fn referral_views(&self, docs: Vec<String>) -> Result<Vec<ReferralView>> {
        let today = crate::clock::now().date_naive();
        let r = self.store.read();
        let mut out = vec![];
        for d in docs {
            let Some((rec, _, _)) = edit::load::<RiskRecord>(&r, &self.node.actor, &d)? else {
                continue;
            };
            let case = edit::load::<Case>(&r, &self.node.actor, &rec.case.to_string())?;
            // Another country's record naming a case held here does not count.
            if case
                .as_ref()
                .is_some_and(|(c, _, _)| !crate::risk::counts(&rec, c))
            {
                continue;
            }
            let reference = case.map_or_else(|| rec.case.to_string(), |(c, _, _)| c.reference);
            for referral in &rec.referrals {
                let agency = Uuid::parse_str(&referral.agency)
                    .ok()
                    .and_then(|_| edit::load::<Agency>(&r, &self.node.actor, &referral.agency).ok())
                    .flatten()
                    .map(|(a, _, _)| a);
                let open = matches!(
                    referral.status,
                    ReferralStatus::InProgress | ReferralStatus::Accepted
                );
                out.push(ReferralView {
                    case_id: rec.case.to_string(),
                    reference: reference.clone(),
                    pseudonym: rec.pseudonym.clone(),
                    overdue: open && referral.due.is_some_and(|d| d < today),
                    referral: referral.clone(),
                    agency,
                });
            }
        }
        out.sort_by(|a, b| b.referral.at.cmp(&a.referral.at));
        out.dedup_by(|a, b| a.referral.id == b.referral.id && a.case_id == b.case_id);
        Ok(out)
    }

    fn find_referral(&self, case_key: &str, key: &str) -> Result<ReferralView> {
        let key = key.trim();
        let all = self.referrals(case_key)?;
        let found: Vec<&ReferralView> = all
            .iter()
            .filter(|v| !key.is_empty() && v.referral.id.starts_with(key))
            .collect();
        match found.as_slice() {
            [] => Err(CoreError::NotFound {
                what: key.to_owned(),
            }),
            [one] => Ok((*one).clone()),
            several => Err(CoreError::Ambiguous {
                what: key.to_owned(),
                candidates: several
                    .iter()
                    .map(|v| Candidate {
                        id: v.referral.id.clone(),
                        label: format!("{} → {}", v.pseudonym, v.referral.agency_name),
                    })
                    .collect(),
            }),
        }
    }

    /// Writes a referral's letter as PDF to `out`: the victim named by
    /// pseudonym, or — `with_identity`, for an official who may see and
    /// print identities, and only where the identity is held — by name.
    /// Audited either way (`report.referral_letter`).
    #[allow(clippy::too_many_arguments)]
    pub fn referral_letter_pdf(
        &mut self,
        case_key: &str,
        referral: &str,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
        with_identity: bool,
    ) -> Result<u64> {
        self.require(Permission::Export)?;
        if with_identity {
            self.require(Permission::SeeIdentities)?;
            self.require(Permission::PrintIdentities)?;
        }
        let found = self.find_referral(case_key, referral)?;
        let r = self.store.read();
        let (case, _, _) =
            edit::load::<Case>(&r, &self.node.actor, &found.case_id)?.ok_or_else(|| {
                CoreError::NotFound {
                    what: case_key.to_owned(),
                }
            })?;
        let identity = if with_identity {
            let pid = case
                .persons
                .iter()
                .find(|p| p.pseudonym == found.pseudonym)
                .and_then(|p| p.person_ref);
            let person = match pid {
                Some(pid) => {
                    edit::load::<Person>(&r, &self.node.actor, &pid.to_string())?.map(|(p, _, _)| p)
                }
                None => None,
            };
            Some(
                person
                    .ok_or_else(|| CoreError::IdentityElsewhere {
                        pseudonym: found.pseudonym.clone(),
                    })?
                    .identity
                    .full_name(),
            )
        } else {
            None
        };
        let letter = enlace_report::ReferralLetter {
            lang,
            paper,
            today: crate::clock::now().date_naive(),
            node: self.node.name.clone(),
            country: self.node.country.clone(),
            by: self.by(),
            reference: case.reference.clone(),
            pseudonym: found.pseudonym.clone(),
            identity: identity.clone(),
            referral: found.referral.clone(),
            agency: found.agency.clone(),
        };
        let bytes = enlace_report::referral_letter(&letter)?;
        write_atomically(out, &bytes)?;
        let by = self.by();
        let target = out.display().to_string();
        let printed = if identity.is_some() {
            "identity printed"
        } else {
            "pseudonym only"
        };
        self.store.write(|tx| {
            tx.audit(
                &now_string(),
                &by,
                "report.referral_letter",
                &format!("{} {}", case.reference, found.pseudonym),
                &format!("{target}: {} ({printed})", found.referral.agency_name),
            )
        })?;
        Ok(bytes.len() as u64)
    }
}

/// The id of the document of the victim that holds `v`'s referral.
fn found_doc(app: &App, v: &ReferralView) -> Result<String> {
    let r = app.store.read();
    for d in r.risk_docs_of(&v.case_id, &v.pseudonym)? {
        if let Some((rec, _, _)) = edit::load::<RiskRecord>(&r, &app.node.actor, &d)?
            && rec.owner.country == app.node.country
            && rec.referrals.iter().any(|x| x.id == v.referral.id)
        {
            return Ok(d);
        }
    }
    Err(CoreError::NotFound {
        what: v.referral.id.clone(),
    })
}
