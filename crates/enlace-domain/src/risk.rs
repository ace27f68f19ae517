//! The `risk_assessment` document: the risk one victim of a case runs,
//! assessed as soon as the victim comes forward and reviewed regularly.
//! National (it never leaves its country except under the person's
//! grants), and reaching inside the country whom the victim's identity
//! reaches (need-to-know).
//!
//! A review adds an assessment and keeps the earlier ones; each one names
//! the assessments it reviews (`reviews`). The current assessments are
//! those no other reviews: one, normally; two or more when nodes assessed
//! the victim apart, offline — then a person chooses, never a silent
//! winner.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::enums::closed_enum;
use crate::ids::{CaseId, Owner, PersonId};
use crate::person::Grant;
use crate::validate::{Issue, MAX_SHORT, MAX_TEXT, Severity, text};

closed_enum!(
    /// How much danger the victim is in.
    RiskLevel, "risk-level" {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

impl RiskLevel {
    /// Days from an assessment to its review when none is given: the
    /// graver the risk, the sooner.
    pub fn review_days(self) -> u64 {
        match self {
            RiskLevel::Critical => 7,
            RiskLevel::High => 14,
            RiskLevel::Medium => 30,
            RiskLevel::Low => 90,
        }
    }

    /// The review due by default for an assessment made on `assessed_on`.
    pub fn default_review(self, assessed_on: NaiveDate) -> NaiveDate {
        // The last day there is, for a date so far ahead (refused anyway
        // as in the future).
        assessed_on
            .checked_add_days(Days::new(self.review_days()))
            .unwrap_or(NaiveDate::MAX)
    }
}

closed_enum!(
    /// A factor that threatens the victim's safety.
    ThreatFactor, "threat" {
        /// Threats to the victim.
        ToVictim => "to_victim",
        /// Threats to the victim's family.
        ToFamily => "to_family",
        /// Threats to the people supporting the victim.
        ToSupporters => "to_supporters",
        /// The traffickers know where the victim is.
        TraffickersKnowLocation => "traffickers_know_location",
        /// The victim is a witness in proceedings.
        VictimIsWitness => "victim_is_witness",
        /// The victim is a minor.
        Minor => "minor",
        /// The trafficker is a relative or partner of the victim.
        TraffickerIsRelative => "trafficker_is_relative",
        /// The traffickers claim a debt from the victim.
        DebtClaimed => "debt_claimed",
        /// The victim was trafficked before.
        TraffickedBefore => "trafficked_before",
        /// No safe place to stay.
        NoSafeAccommodation => "no_safe_accommodation",
        /// Health needs that put the victim at risk.
        HealthNeeds => "health_needs",
    }
);

/// One assessment of the victim's risk (a first one or a review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RiskEntry {
    /// The item's identity in its list: given when it is first written,
    /// kept through merges; reviews name it.
    #[serde(default)]
    pub id: String,
    /// The day the victim's risk was assessed.
    #[ts(type = "string")]
    pub assessed_on: NaiveDate,
    /// Who assessed it (a name and function, as the official writes it).
    #[serde(default)]
    pub assessor: String,
    /// Who recorded it (`node/official`) and when (RFC 3339): stamped.
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub recorded_at: String,
    pub level: RiskLevel,
    #[serde(default)]
    pub threats: Vec<ThreatFactor>,
    /// Protection measures taken.
    #[serde(default)]
    pub measures_taken: String,
    /// Protection measures still needed.
    #[serde(default)]
    pub measures_needed: String,
    /// When it must be reviewed.
    #[ts(type = "string")]
    pub next_review: NaiveDate,
    /// The assessments this one reviews (none: the first).
    #[serde(default)]
    pub reviews: Vec<String>,
    /// Of concurrent assessments, the one whose level a person chose
    /// (this entry then repeats it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chosen: Option<String>,
    #[serde(default)]
    pub notes: String,
}

closed_enum!(
    /// Where a referral stands.
    ReferralStatus, "referral-status" {
        InProgress => "in_progress",
        Accepted => "accepted",
        Rejected => "rejected",
        Done => "done",
    }
);

/// A victim referred to an agency's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Referral {
    /// The item's identity in its list.
    #[serde(default)]
    pub id: String,
    /// The agency document's id.
    pub agency: String,
    /// Its name when referred (read where the directory entry is not held).
    #[serde(default)]
    pub agency_name: String,
    #[serde(default)]
    pub services: Vec<crate::agency::Service>,
    /// Why: the victim's needs the agency meets.
    pub reason: String,
    /// The victim consented to the referral.
    pub consent: bool,
    /// Without consent: why the referral is made anyway (written by an
    /// official allowed to decide it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub consent_override: Option<String>,
    pub status: ReferralStatus,
    /// The day the agency should have answered or acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub due: Option<NaiveDate>,
    /// Who referred (`node/official`) and when (RFC 3339): stamped.
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub notes: String,
}

/// Validates a referral about to be recorded (paths are its fields).
pub fn validate_referral(r: &Referral) -> Vec<Issue> {
    let mut v = vec![];
    if r.reason.trim().is_empty() {
        v.push(Issue::new(Severity::Error, "reason", "val-text-required"));
    }
    text(&mut v, "reason", &r.reason, MAX_TEXT);
    text(&mut v, "notes", &r.notes, MAX_TEXT);
    match (&r.consent, r.consent_override.as_deref().map(str::trim)) {
        (false, None | Some("")) => v.push(Issue::new(
            Severity::Error,
            "consent_override",
            "val-referral-override-reason",
        )),
        (true, Some(o)) if !o.is_empty() => v.push(Issue::new(
            Severity::Error,
            "consent_override",
            "val-referral-override-with-consent",
        )),
        _ => {}
    }
    if let Some(o) = &r.consent_override {
        text(&mut v, "consent_override", o, MAX_TEXT);
    }
    v
}

/// The risk assessments of one victim of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RiskRecord {
    #[ts(type = "string")]
    pub id: Uuid,
    /// The case the victim is in.
    pub case: CaseId,
    /// The victim's pseudonym in it (`V1`).
    pub pseudonym: String,
    /// The victim's person document, when the case names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person_ref: Option<PersonId>,
    pub owner: Owner,
    /// The nodes of its country it reaches besides the hubs, the offices
    /// and its owner's (the person's `nodes`, kept in step with it).
    #[serde(default)]
    pub nodes: Vec<String>,
    /// The person's grants (kept in step with it): whom abroad it reaches.
    #[serde(default)]
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub assessments: Vec<RiskEntry>,
    /// The victim's referrals to agencies (national, as the rest).
    #[serde(default)]
    pub referrals: Vec<Referral>,
    #[serde(default)]
    pub demo: bool,
}

/// The current assessments among `entries`: those no other one reviews,
/// latest assessed first (ties by id, so every node lists them alike).
pub fn current<'a>(entries: &[&'a RiskEntry]) -> Vec<&'a RiskEntry> {
    let mut out: Vec<&RiskEntry> = entries
        .iter()
        .copied()
        .filter(|e| !entries.iter().any(|o| o.reviews.contains(&e.id)))
        .collect();
    out.sort_by(|a, b| {
        b.assessed_on
            .cmp(&a.assessed_on)
            .then_with(|| a.id.cmp(&b.id))
    });
    out.dedup_by(|a, b| a.id == b.id && !a.id.is_empty());
    out
}

/// Where a victim's next review stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewState {
    /// Its day has passed.
    Overdue,
    /// Due today.
    DueToday,
    /// Due within the week.
    DueSoon,
    Scheduled,
}

impl ReviewState {
    /// The state of a review due on `due`, seen on `today`.
    pub fn of(due: NaiveDate, today: NaiveDate) -> ReviewState {
        if due < today {
            ReviewState::Overdue
        } else if due == today {
            ReviewState::DueToday
        } else if due <= today + Days::new(7) {
            ReviewState::DueSoon
        } else {
            ReviewState::Scheduled
        }
    }

    /// Its Fluent key.
    pub fn label_key(self) -> &'static str {
        match self {
            ReviewState::Overdue => "risk-review-overdue",
            ReviewState::DueToday => "risk-review-due-today",
            ReviewState::DueSoon => "risk-review-due-soon",
            ReviewState::Scheduled => "risk-review-scheduled",
        }
    }
}

/// Validates an assessment about to be recorded, as of `today`, against
/// the assessments it reviews. Paths are the entry's fields.
pub fn validate_entry(e: &RiskEntry, reviewed: &[&RiskEntry], today: NaiveDate) -> Vec<Issue> {
    let mut v = vec![];
    if today
        .checked_add_days(Days::new(1))
        .is_some_and(|tomorrow| e.assessed_on > tomorrow)
    {
        v.push(
            Issue::new(Severity::Error, "assessed_on", "val-date-future")
                .arg("date", e.assessed_on),
        );
    }
    if e.next_review < e.assessed_on {
        v.push(
            Issue::new(
                Severity::Error,
                "next_review",
                "val-risk-review-before-assessment",
            )
            .arg("date", e.next_review)
            .arg("assessed", e.assessed_on),
        );
    }
    if let Some(last) = reviewed.iter().map(|r| r.assessed_on).max()
        && e.assessed_on < last
    {
        v.push(
            Issue::new(
                Severity::Error,
                "assessed_on",
                "val-risk-review-before-earlier",
            )
            .arg("date", e.assessed_on)
            .arg("earlier", last),
        );
    }
    if e.assessor.trim().is_empty() {
        v.push(Issue::new(Severity::Error, "assessor", "val-text-required"));
    }
    text(&mut v, "assessor", &e.assessor, MAX_SHORT);
    text(&mut v, "measures_taken", &e.measures_taken, MAX_TEXT);
    text(&mut v, "measures_needed", &e.measures_needed, MAX_TEXT);
    text(&mut v, "notes", &e.notes, MAX_TEXT);
    if matches!(e.level, RiskLevel::High | RiskLevel::Critical)
        && e.measures_taken.trim().is_empty()
        && e.measures_needed.trim().is_empty()
    {
        v.push(Issue::new(
            Severity::Warning,
            "measures_needed",
            "val-risk-no-measures",
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::Closed;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn entry(id: &str, on: &str, level: RiskLevel, reviews: &[&str]) -> RiskEntry {
        RiskEntry {
            id: id.into(),
            assessed_on: day(on),
            assessor: "Inspectora Núñez".into(),
            by: String::new(),
            recorded_at: String::new(),
            level,
            threats: vec![],
            measures_taken: "Albergue".into(),
            measures_needed: String::new(),
            next_review: level.default_review(day(on)),
            reviews: reviews.iter().map(|s| (*s).to_owned()).collect(),
            chosen: None,
            notes: String::new(),
        }
    }

    #[test]
    fn review_due_by_level_and_where_it_stands() {
        // (level, assessed on, review due by default)
        for (level, on, due) in [
            (RiskLevel::Critical, "2026-12-01", "2026-12-08"),
            (RiskLevel::High, "2026-12-01", "2026-12-15"),
            (RiskLevel::Medium, "2026-12-01", "2026-12-31"),
            (RiskLevel::Low, "2026-12-01", "2027-03-01"),
            (RiskLevel::Critical, "2028-02-25", "2028-03-03"),
        ] {
            assert_eq!(level.default_review(day(on)), day(due), "{level} {on}");
        }
        // (due, today, state)
        for (due, today, state) in [
            ("2026-12-08", "2026-12-09", ReviewState::Overdue),
            ("2026-12-08", "2026-12-08", ReviewState::DueToday),
            ("2026-12-08", "2026-12-01", ReviewState::DueSoon),
            ("2026-12-09", "2026-12-01", ReviewState::Scheduled),
            ("2026-12-08", "2027-12-08", ReviewState::Overdue),
        ] {
            assert_eq!(
                ReviewState::of(day(due), day(today)),
                state,
                "{due} {today}"
            );
        }
        for l in RiskLevel::all() {
            assert!(l.default_review(day("2026-01-01")) > day("2026-01-01"));
            // The last day there is: no panic, and refused as in the future.
            assert_eq!(l.default_review(NaiveDate::MAX), NaiveDate::MAX);
        }
    }

    #[test]
    fn current_assessments_are_those_no_review_names() {
        let a = entry("a", "2026-12-01", RiskLevel::Critical, &[]);
        let b = entry("b", "2026-12-08", RiskLevel::High, &["a"]);
        let ids = |v: Vec<&RiskEntry>| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(current(&[&a])), ["a"]);
        assert_eq!(ids(current(&[&a, &b])), ["b"]);
        assert_eq!(
            ids(current(&[&b, &a])),
            ["b"],
            "order of the list is not order"
        );
        // Two nodes review `a` apart: both are current, neither wins.
        let c = entry("c", "2026-12-08", RiskLevel::Low, &["a"]);
        assert_eq!(ids(current(&[&a, &c, &b])), ["b", "c"]);
        // A review that names both settles it.
        let d = entry("d", "2026-12-09", RiskLevel::High, &["b", "c"]);
        assert_eq!(ids(current(&[&a, &b, &c, &d])), ["d"]);
        assert!(current(&[]).is_empty());
    }

    #[test]
    fn bad_assessments_name_their_field() {
        let today = day("2026-12-06");
        let ok = entry("", "2026-12-06", RiskLevel::Critical, &[]);
        assert!(validate_entry(&ok, &[], today).is_empty());
        let codes = |e: &RiskEntry, reviewed: &[&RiskEntry]| {
            validate_entry(e, reviewed, today)
                .into_iter()
                .map(|i| (i.path, i.code))
                .collect::<Vec<_>>()
        };
        let mut early = ok.clone();
        early.next_review = day("2026-12-05");
        assert_eq!(
            codes(&early, &[]),
            [(
                "next_review".into(),
                "val-risk-review-before-assessment".into()
            )]
        );
        let first = entry("a", "2026-12-06", RiskLevel::Critical, &[]);
        let mut review = entry("", "2026-12-01", RiskLevel::Low, &["a"]);
        review.next_review = day("2026-12-20");
        assert_eq!(
            codes(&review, &[&first]),
            [(
                "assessed_on".into(),
                "val-risk-review-before-earlier".into()
            )]
        );
        let mut future = ok.clone();
        future.assessed_on = day("2026-12-20");
        future.next_review = day("2026-12-27");
        assert_eq!(
            codes(&future, &[]),
            [("assessed_on".into(), "val-date-future".into())]
        );
        let mut nobody = ok.clone();
        nobody.assessor = " ".into();
        assert_eq!(
            codes(&nobody, &[]),
            [("assessor".into(), "val-text-required".into())]
        );
        let mut bare = ok;
        bare.measures_taken.clear();
        let issues = validate_entry(&bare, &[], today);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Warning);
    }
}
