//! Victims' risk assessments (`risk_assessment` documents): the first
//! assessment, reviews that keep the earlier ones, the choice between
//! assessments nodes made apart, and the reviews that come due.
//!
//! A victim's risk reaches whom the victim's identity reaches: national,
//! need-to-know inside the country (a border post or an NGO node holds it
//! when it recorded it or the person is shared with it), abroad only under
//! the person's grants — which the hub or office that shares or grants
//! copies onto the victim's risk documents ([`follow_person`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use enlace_domain::risk::{current, validate_entry};
use enlace_domain::validate::has_errors;
use enlace_domain::{
    Case, CaseId, Issue, Permission, Person, PersonRole, ReviewState, RiskEntry, RiskLevel,
    RiskRecord, Severity, ThreatFactor,
};
use enlace_store::{RiskIndexRow, WriteTx};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::edit::{self, Author, Change, New, Rule, Validation};
use crate::{App, CoreError, Result, cases};

/// An assessment as the app and `enlace risk add|review` give it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RiskInput {
    /// The victim's pseudonym in the case (`V1`).
    pub pseudonym: String,
    /// Defaults to today.
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub assessed_on: Option<NaiveDate>,
    pub assessor: String,
    pub level: RiskLevel,
    #[serde(default)]
    #[ts(as = "Option<Vec<ThreatFactor>>", optional)]
    pub threats: Vec<ThreatFactor>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub measures_taken: String,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub measures_needed: String,
    /// Defaults by level (critical: 7 days; high 14; medium 30; low 90).
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub next_review: Option<NaiveDate>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub notes: String,
}

/// One victim's risk as people read it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VictimRisk {
    pub case_id: String,
    pub reference: String,
    pub pseudonym: String,
    /// The current assessments: one, or several made apart for a person
    /// to choose between (`concurrent`).
    pub current: Vec<RiskEntry>,
    /// Every assessment, latest first.
    pub history: Vec<RiskEntry>,
    pub concurrent: bool,
    /// The earliest review the current assessments are due for, and
    /// where it stands today.
    #[ts(type = "string | null")]
    pub next_review: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub review: Option<ReviewState>,
}

/// A row of the country's "reviews due" list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RiskDue {
    pub case_id: String,
    /// The case's reference, when this node holds the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference: Option<String>,
    pub pseudonym: String,
    /// The current levels, gravest first (several: concurrent).
    pub levels: Vec<RiskLevel>,
    #[ts(type = "string")]
    pub next_review: NaiveDate,
    pub review: ReviewState,
    pub concurrent: bool,
    /// Days past its review (0: not yet).
    #[ts(type = "number")]
    pub days_overdue: i64,
}

impl App {
    /// Records a victim's first risk assessment (refused when the victim
    /// already has one here: that is a review).
    pub fn risk_add(&mut self, case_key: &str, input: RiskInput) -> Result<VictimRisk> {
        self.record_risk(case_key, input, Recording::First)
    }

    /// Records a review of a victim's risk: a new assessment that reviews
    /// the current ones (all of them, when nodes made several apart).
    pub fn risk_review(&mut self, case_key: &str, input: RiskInput) -> Result<VictimRisk> {
        self.record_risk(case_key, input, Recording::Review)
    }

    /// Settles concurrent assessments by choosing one (`entry`, its id or
    /// the first characters of it): recorded as a review of all of them
    /// that repeats the chosen one's level, threats, measures and review
    /// day.
    pub fn risk_choose(
        &mut self,
        case_key: &str,
        pseudonym: &str,
        entry: &str,
    ) -> Result<VictimRisk> {
        let view = self.victim_risk(case_key, pseudonym)?;
        let entry = entry.trim();
        let chosen = view
            .current
            .iter()
            .find(|e| !entry.is_empty() && e.id.starts_with(entry))
            .ok_or_else(|| CoreError::NotFound {
                what: entry.to_owned(),
            })?
            .clone();
        let assessed_on = crate::clock::now().date_naive().max(chosen.assessed_on);
        let input = RiskInput {
            pseudonym: view.pseudonym.clone(),
            assessed_on: Some(assessed_on),
            assessor: chosen.assessor.clone(),
            level: chosen.level,
            threats: chosen.threats.clone(),
            measures_taken: chosen.measures_taken.clone(),
            measures_needed: chosen.measures_needed.clone(),
            // A review day already past stays due: today (choosing is not
            // reviewing).
            next_review: Some(chosen.next_review.max(assessed_on)),
            notes: chosen.notes.clone(),
        };
        self.record_risk(case_key, input, Recording::Choice(chosen.id))
    }

    /// The risk of every victim of a case this node holds assessments of
    /// (and of victims not assessed yet, with none).
    pub fn risks(&self, case_key: &str) -> Result<Vec<VictimRisk>> {
        self.require(Permission::SeeRiskAssessments)?;
        let r = self.store.read();
        let id = cases::resolve(&r, case_key)?;
        let (case, _, _) =
            edit::load::<Case>(&r, &self.node.actor, &id)?.ok_or_else(|| CoreError::NotFound {
                what: case_key.to_owned(),
            })?;
        let mut by_victim: BTreeMap<String, Vec<RiskRecord>> = BTreeMap::new();
        for d in r.risk_docs_of_case(&id)? {
            if let Some((rec, _, _)) = edit::load::<RiskRecord>(&r, &self.node.actor, &d)?
                && counts(&rec, &case)
            {
                by_victim
                    .entry(rec.pseudonym.clone())
                    .or_default()
                    .push(rec);
            }
        }
        let today = crate::clock::now().date_naive();
        let mut out = vec![];
        for p in case.persons.iter().filter(|p| p.role == PersonRole::Victim) {
            let recs = by_victim.remove(&p.pseudonym).unwrap_or_default();
            out.push(view_of(&case, &p.pseudonym, &recs, today));
        }
        // Assessments of a pseudonym the case no longer lists are shown
        // too (nothing recorded is hidden).
        for (pseudonym, recs) in by_victim {
            out.push(view_of(&case, &pseudonym, &recs, today));
        }
        Ok(out)
    }

    /// One victim's risk.
    pub fn victim_risk(&self, case_key: &str, pseudonym: &str) -> Result<VictimRisk> {
        self.risks(case_key)?
            .into_iter()
            .find(|v| v.pseudonym.eq_ignore_ascii_case(pseudonym.trim()))
            .ok_or_else(|| not_a_victim(pseudonym))
    }

    /// The victims whose review is due within `days` (0: today or
    /// overdue), the earliest first: the country's "reviews due" list.
    pub fn risks_due(&self, days: u32) -> Result<Vec<RiskDue>> {
        self.require(Permission::SeeRiskAssessments)?;
        use enlace_domain::enums::Closed;
        let today = crate::clock::now().date_naive();
        let by = today
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        let rows = self.store.read().risks_due(&by.to_string())?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let next = NaiveDate::parse_from_str(&row.next_review, "%Y-%m-%d").ok()?;
                Some(RiskDue {
                    case_id: row.case_id,
                    reference: row.reference,
                    pseudonym: row.pseudonym,
                    levels: row.levels.split(',').filter_map(RiskLevel::parse).collect(),
                    next_review: next,
                    review: ReviewState::of(next, today),
                    concurrent: row.concurrent,
                    days_overdue: (today - next).num_days().max(0),
                })
            })
            .collect())
    }

    fn record_risk(
        &mut self,
        case_key: &str,
        input: RiskInput,
        how: Recording,
    ) -> Result<VictimRisk> {
        self.require(Permission::SeeRiskAssessments)?;
        self.require(Permission::EditCases)?;
        let author = Author::new(&self.node, self.by(), self.session.role);
        let today = author.today();
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
            own_case(&case, &author)?;
            let (victim, held) = victim_of(&r, &author.node.actor, &case, &input.pseudonym)?;
            let all: Vec<&RiskEntry> = held.iter().flat_map(|h| &h.assessments).collect();
            let heads: Vec<String> = current(&all).iter().map(|e| e.id.clone()).collect();
            let (reviews, chosen) = match &how {
                Recording::First if !all.is_empty() => {
                    return Err(CoreError::RiskExists {
                        pseudonym: victim.pseudonym.clone(),
                    });
                }
                Recording::First => (vec![], None),
                Recording::Review | Recording::Choice(_) if all.is_empty() => {
                    return Err(CoreError::NoRisk {
                        pseudonym: victim.pseudonym.clone(),
                    });
                }
                Recording::Review => (heads, None),
                Recording::Choice(c) => (heads, Some(c.clone())),
            };
            let assessed_on = input.assessed_on.unwrap_or(today);
            let entry = RiskEntry {
                id: Uuid::new_v4().to_string(),
                assessed_on,
                assessor: input.assessor.trim().to_owned(),
                by: String::new(),
                recorded_at: String::new(),
                level: input.level,
                threats: dedup(&input.threats),
                measures_taken: input.measures_taken.trim().to_owned(),
                measures_needed: input.measures_needed.trim().to_owned(),
                next_review: input
                    .next_review
                    .unwrap_or_else(|| input.level.default_review(assessed_on)),
                reviews,
                chosen,
                notes: input.notes.trim().to_owned(),
            };
            // Refused before anything is written, naming the field.
            let reviewed: Vec<&RiskEntry> = all
                .iter()
                .copied()
                .filter(|e| entry.reviews.contains(&e.id))
                .collect();
            let issues = validate_entry(&entry, &reviewed, today);
            if has_errors(&issues) {
                return Err(CoreError::Invalid(issues));
            }
            let pseudonym = victim.pseudonym.clone();
            let action = match how {
                Recording::First => "risk.add",
                Recording::Review => "risk.review",
                Recording::Choice(_) => "risk.choose",
            };
            let mut first = Some(stamped(entry.clone(), &author));
            append_to_victim(
                tx,
                &author,
                &case,
                victim,
                restricted,
                &held,
                &issues,
                |rec| {
                    if let Some(e) = first.take() {
                        rec.assessments.push(e);
                    }
                },
            )?;
            tx.audit(
                &author.at,
                &author.by,
                action,
                &format!("{} {pseudonym}", case.reference),
                &format!("{} → {}", entry.level, entry.next_review),
            )?;
            Ok::<_, CoreError>((id, pseudonym))
        })?;
        self.victim_risk(&case_id, &pseudonym)
    }
}

/// Appends to a victim's record through `f`: into the first of her
/// documents held here (`held`; documents made apart stay apart, and are
/// read together), or a new one when there is none — reaching whom the
/// victim's identity reaches where this node may write that (a hub or an
/// office; a border post or an NGO names no node and carries no grant,
/// which its nodes would refuse: the hub or office that shares the person
/// copies them on).
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_to_victim(
    tx: &WriteTx<'_>,
    author: &Author<'_>,
    case: &Case,
    victim: &enlace_domain::CasePerson,
    restricted: bool,
    held: &[RiskRecord],
    issues: &[Issue],
    f: impl FnOnce(&mut RiskRecord),
) -> Result<()> {
    match held.first() {
        Some(doc) => {
            let doc_id = doc.id.to_string();
            let change = Change {
                id: &doc_id,
                shown_as: &victim.pseudonym,
                action: "update",
                rule: Rule::Owner,
                base: None,
                validation: Validation::Refuse,
                or_new: None,
            };
            edit::edit(tx, author, change, |_, rec: &mut RiskRecord| {
                f(rec);
                Ok(())
            })?;
        }
        None => {
            let person = match victim.person_ref {
                Some(pid) => {
                    edit::load::<Person>(&tx.read(), &author.node.actor, &pid.to_string())?
                        .map(|(p, _, _)| p)
                }
                None => None,
            };
            let (nodes, grants) = match (&person, restricted) {
                (Some(p), false) => (p.nodes.clone(), p.grants.clone()),
                _ => (vec![], vec![]),
            };
            let mut rec = RiskRecord {
                id: Uuid::new_v4(),
                case: CaseId(case.id.0),
                pseudonym: victim.pseudonym.clone(),
                person_ref: victim.person_ref,
                owner: author.node.owner(),
                nodes,
                grants,
                assessments: vec![],
                referrals: vec![],
                demo: case.demo,
            };
            f(&mut rec);
            let new = New {
                action: "create",
                fields: None,
                issues,
            };
            edit::create(tx, author, &rec, new)?;
        }
    }
    Ok(())
}

/// A victim of a case held here, and her records held here.
pub(crate) fn victim_of<'c>(
    r: &enlace_store::Read<'_>,
    actor: &automerge::ActorId,
    case: &'c Case,
    pseudonym: &str,
) -> Result<(&'c enlace_domain::CasePerson, Vec<RiskRecord>)> {
    let victim = case
        .persons
        .iter()
        .find(|p| {
            p.role == PersonRole::Victim && p.pseudonym.eq_ignore_ascii_case(pseudonym.trim())
        })
        .ok_or_else(|| not_a_victim(pseudonym))?;
    let mut held = vec![];
    for d in r.risk_docs_of(&case.id.to_string(), &victim.pseudonym)? {
        if let Some((rec, _, _)) = edit::load::<RiskRecord>(r, actor, &d)?
            && counts(&rec, case)
        {
            held.push(rec);
        }
    }
    Ok((victim, held))
}

/// Whether a victim's record counts for her case: one kept by the country
/// that owns the case. A record another country made naming it (which it
/// may create, of its own, and carry here under a grant it writes itself)
/// is never merged into her risk, indexed with it or followed.
pub(crate) fn counts(rec: &RiskRecord, case: &Case) -> bool {
    rec.owner.country == case.owner.country && rec.case.0 == case.id.0
}

/// A victim's risk and referrals are recorded by the country whose case
/// (and so whose victim) it is.
pub(crate) fn own_case(case: &Case, author: &Author<'_>) -> Result<()> {
    if case.owner.country == author.node.country {
        Ok(())
    } else {
        Err(CoreError::NotOwner {
            country: case.owner.country.to_string(),
        })
    }
}

/// How an assessment is recorded.
enum Recording {
    First,
    Review,
    /// Of concurrent assessments, this one chosen.
    Choice(String),
}

pub(crate) fn not_a_victim(pseudonym: &str) -> CoreError {
    CoreError::Invalid(vec![
        Issue::new(Severity::Error, "pseudonym", "val-risk-not-a-victim")
            .arg("value", pseudonym.trim()),
    ])
}

fn dedup(threats: &[ThreatFactor]) -> Vec<ThreatFactor> {
    let mut out: Vec<ThreatFactor> = vec![];
    for t in threats {
        if !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

/// A first entry is stamped by the creation itself (the edit path stamps
/// only changes).
fn stamped(mut e: RiskEntry, author: &Author<'_>) -> RiskEntry {
    e.by.clone_from(&author.by);
    e.recorded_at.clone_from(&author.at);
    e
}

/// One victim's risk from its documents.
fn view_of(case: &Case, pseudonym: &str, recs: &[RiskRecord], today: NaiveDate) -> VictimRisk {
    let all: Vec<&RiskEntry> = recs.iter().flat_map(|r| &r.assessments).collect();
    let heads = current(&all);
    let next_review = heads.iter().map(|e| e.next_review).min();
    let mut history: Vec<RiskEntry> = all.iter().map(|e| (*e).clone()).collect();
    history.sort_by(|a, b| {
        b.assessed_on
            .cmp(&a.assessed_on)
            .then_with(|| b.recorded_at.cmp(&a.recorded_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    history.dedup_by(|a, b| a.id == b.id);
    VictimRisk {
        case_id: case.id.to_string(),
        reference: case.reference.clone(),
        pseudonym: pseudonym.to_owned(),
        concurrent: heads.len() > 1,
        current: heads.into_iter().cloned().collect(),
        history,
        next_review,
        review: next_review.map(|d| ReviewState::of(d, today)),
    }
}

/// Writes one victim's merged risk (over every document of the victim
/// held here, `rec` as it now reads among them) onto each document's row
/// of the risk index.
pub(crate) fn index_victim(
    tx: &WriteTx<'_>,
    actor: &automerge::ActorId,
    rec: &RiskRecord,
) -> Result<()> {
    let r = tx.read();
    let case_id = rec.case.to_string();
    // The records that count: those of the country that owns the case
    // (where the case is not held here, those of `rec`'s country).
    let country = edit::load::<Case>(&r, actor, &case_id)?
        .map_or_else(|| rec.owner.country.clone(), |(c, _, _)| c.owner.country);
    let mine = rec.id.to_string();
    let mut recs = vec![];
    if rec.owner.country == country {
        recs.push(rec.clone());
    }
    for d in r.risk_docs_of(&case_id, &rec.pseudonym)? {
        if d == mine {
            continue;
        }
        if let Some((other, _, _)) = edit::load::<RiskRecord>(&r, actor, &d)?
            && other.case == rec.case
            && other.pseudonym == rec.pseudonym
            && other.owner.country == country
        {
            recs.push(other);
        }
    }
    let all: Vec<&RiskEntry> = recs.iter().flat_map(|r| &r.assessments).collect();
    let heads = current(&all);
    let mut levels: Vec<RiskLevel> = heads.iter().map(|e| e.level).collect();
    levels.sort_by(|a, b| b.cmp(a));
    levels.dedup();
    let mut row = RiskIndexRow {
        case_id,
        pseudonym: rec.pseudonym.clone(),
        person_id: String::new(),
        levels: levels
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        // A victim with no assessment (referrals only) is never due.
        next_review: heads
            .iter()
            .map(|e| e.next_review)
            .min()
            .map_or_else(String::new, |d| d.to_string()),
        concurrent: heads.len() > 1,
        demo: rec.demo,
    };
    // Each row names its own record's person (what `follow_person` finds
    // it by): another record of the victim cannot take that away.
    for each in &recs {
        row.person_id = each.person_ref.map(|p| p.to_string()).unwrap_or_default();
        tx.index_risk(&[each.id.to_string()], &row)?;
    }
    if rec.owner.country != country {
        // One that does not count is indexed alone (never due, no levels).
        row.person_id = rec.person_ref.map(|p| p.to_string()).unwrap_or_default();
        row.levels = String::new();
        row.next_review = String::new();
        row.concurrent = false;
        tx.index_risk(&[mine], &row)?;
    }
    Ok(())
}

/// Keeps the risk documents of `person` reaching whom the person reaches
/// (its `nodes` and `grants`), after a hub or an office shared it or
/// granted it: the risk follows the identity.
pub(crate) fn follow_person(tx: &WriteTx<'_>, author: &Author<'_>, person: &Person) -> Result<()> {
    let pid = person.id.to_string();
    for d in tx.read().risk_docs_of_person(&pid)? {
        let change = Change {
            id: &d,
            shown_as: &d,
            action: "reach",
            rule: Rule::Owner,
            base: None,
            validation: Validation::Report,
            or_new: None,
        };
        // Only this country's records of this very person are followed (a
        // record another node wrote naming the person is not this
        // country's to change, nor a reason to refuse the share).
        let Some((held, _, _)) = edit::load::<RiskRecord>(&tx.read(), &author.node.actor, &d)?
        else {
            continue;
        };
        if held.owner.country != author.node.country || held.person_ref != Some(person.id) {
            continue;
        }
        edit::edit(tx, author, change, |_, rec: &mut RiskRecord| {
            rec.nodes.clone_from(&person.nodes);
            rec.grants.clone_from(&person.grants);
            Ok(())
        })?;
    }
    Ok(())
}

/// Re-indexes a risk document sync changed.
pub(crate) fn reindex_received(
    tx: &WriteTx<'_>,
    actor: &automerge::ActorId,
    id: &str,
) -> Result<()> {
    if let Some((rec, _, _)) = edit::load::<RiskRecord>(&tx.read(), actor, id)? {
        index_victim(tx, actor, &rec)?;
    }
    Ok(())
}
