//! The `case` document: a trafficking or smuggling case as plain values.
//!
//! Names and identity numbers are never here: persons in a case are
//! pseudonymous and point at a separate, national-only `person` document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::country::CountryCode;
use crate::enums::*;
use crate::ids::{CaseId, Owner, PersonId};

/// Who may receive a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Audience {
    pub scope: AudienceScope,
    /// For `bilateral`: the other countries (the owner is always included).
    /// For `regional`: the observers (Canada, the United States) that
    /// receive it too — "regional" alone is the seven participating states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
}

impl Audience {
    pub fn regional() -> Audience {
        Audience {
            scope: AudienceScope::Regional,
            countries: vec![],
        }
    }

    pub fn national() -> Audience {
        Audience {
            scope: AudienceScope::National,
            countries: vec![],
        }
    }

    /// May a node of `country` hold a document of `owner` with this audience?
    pub fn admits(&self, owner: &CountryCode, country: &CountryCode) -> bool {
        match self.scope {
            AudienceScope::National => owner == country,
            AudienceScope::Bilateral => owner == country || self.countries.contains(country),
            AudienceScope::Regional => {
                country.is_participating() || owner == country || self.countries.contains(country)
            }
        }
    }
}

/// One entry of the classification history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClassificationChange {
    /// The item's identity in its list (see [`RouteStop::id`]).
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub classification: Classification,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// `node` or `node/user`.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One entry of the status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusChange {
    /// The item's identity in its list (see [`RouteStop::id`]).
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub status: CaseStatus,
    /// The date the status took effect (may precede its recording).
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub by: String,
}

/// One stop on a case's route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RouteStop {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub country: CountryCode,
    #[serde(default)]
    pub place: String,
    pub role: RouteRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub to: Option<NaiveDate>,
}

/// A pseudonymous person in a case. Identifying details live in the
/// linked `person` document, which stays in its country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CasePerson {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    /// A label safe to show anywhere, e.g. `V1`, `S2`.
    pub pseudonym: String,
    pub role: PersonRole,
    #[serde(default = "unknown_gender")]
    pub gender: Gender,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub minor_at_exploitation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nationality: Option<CountryCode>,
    /// The identifying `person` document, national only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person_ref: Option<PersonId>,
    /// A suspect's roles in the process (recruiter, transporter, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<PerpetratorRole>>", optional)]
    pub process_roles: Vec<PerpetratorRole>,
}

fn unknown_gender() -> Gender {
    Gender::Unknown
}

impl CasePerson {
    /// Known to have been a child at exploitation (by flag or age band).
    pub fn is_minor(&self) -> bool {
        self.minor_at_exploitation == Some(true) || self.age_band.is_some_and(AgeBand::is_minor)
    }
}

/// A paper trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Indicator {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub kind: IndicatorKind,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub source: String,
}

/// A graded piece of information (intelligence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InformationItem {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub text: String,
    pub source_agency: String,
    pub reliability: SourceReliability,
    pub credibility: InfoCredibility,
    pub handling: HandlingCode,
    /// The restriction in words, required for H3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub handling_note: Option<String>,
    #[serde(default)]
    pub originator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub date: Option<NaiveDate>,
}

/// A link to another case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CaseLink {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    /// The other case's reference (e.g. `HN-2026-0007`).
    pub reference: String,
    pub relation: LinkRelation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// A mutual-legal-assistance or extradition request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct LegalRequest {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub kind: RequestKind,
    pub from: CountryCode,
    pub to: CountryCode,
    #[serde(default)]
    pub subject: String,
    pub status: RequestStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub sent: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub answered: Option<NaiveDate>,
    /// The day an answer is due (the requesting country's deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub due: Option<NaiveDate>,
}

/// The requested country's word on a request of the case: appended by
/// that country's nodes (the only change they may make to it), checked at
/// sync — its country must be its author's and the request must be
/// addressed to that country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RequestAnswer {
    /// The item's identity in its list (given by its list).
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    /// The request's id in `requests`.
    pub request: String,
    /// The country answering: the one the request is addressed to.
    pub country: CountryCode,
    pub action: RequestAction,
    /// The answer, the information asked for, or why it is refused.
    #[serde(default)]
    pub text: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// Who answered (`node/official`).
    #[serde(default)]
    pub by: String,
}

/// A joint cross-border operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct JointOperation {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub countries: Vec<CountryCode>,
    pub lead_agency: String,
    pub status: OperationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub to: Option<NaiveDate>,
}

/// An append-only note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Note {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// `node` or `node/user`.
    pub author: String,
    pub text: String,
}

/// HTCDS/CTDC-aligned fields, so import and export are lossless.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct StandardFields {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub means_of_control: Vec<MeansOfControl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub labour_sector: Option<LabourSector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub recruiter_relation: Option<RecruiterRelation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub data_source: Option<DataSource>,
    /// The types of sexual exploitation (with the purpose sexual
    /// exploitation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<SexualExploitationType>>", optional)]
    pub sexual_exploitation: Vec<SexualExploitationType>,
    /// HTCDS trafficking status, and the organisation that decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trafficking_status: Option<TraffickingStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trafficking_status_by: Option<String>,
    /// What makes a smuggling case one (Smuggling Protocol, Art. 3):
    /// procured for a financial or other material benefit, and an illegal
    /// entry into a State of which the person is not a national.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub smuggling: Option<SmugglingElements>,
}

/// The elements of migrant smuggling (Smuggling Protocol, Art. 3(a)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmugglingElements {
    /// Procured for a financial or other material benefit.
    pub material_benefit: bool,
    /// An illegal entry into a State of which the person is neither a
    /// national nor a permanent resident.
    pub illegal_entry: bool,
}

/// A trafficking or smuggling case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Case {
    pub id: CaseId,
    pub reference: String,
    /// References the case carried before it was renumbered (oldest
    /// first); each still finds it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub former_references: Vec<String>,
    pub title: String,
    pub summary: String,
    pub classification: Classification,
    pub classification_history: Vec<ClassificationChange>,
    pub status: CaseStatus,
    pub status_history: Vec<StatusChange>,
    #[ts(type = "string")]
    pub opened: NaiveDate,
    pub acts: Vec<Act>,
    pub means: Vec<Means>,
    pub purposes: Vec<Purpose>,
    /// A child is involved (then means are not required). Also implied by
    /// any victim who was a minor at exploitation.
    pub child_involved: bool,
    pub route: Vec<RouteStop>,
    pub persons: Vec<CasePerson>,
    pub indicators: Vec<Indicator>,
    pub information: Vec<InformationItem>,
    pub links: Vec<CaseLink>,
    pub requests: Vec<LegalRequest>,
    /// The requested countries' answers to `requests` (append only; always
    /// written, even empty, so a requested country can append to it).
    #[serde(default)]
    pub request_answers: Vec<RequestAnswer>,
    pub joint_operations: Vec<JointOperation>,
    pub notes: Vec<Note>,
    pub standard: StandardFields,
    pub owner: Owner,
    pub audience: Audience,
    /// Demonstration data, not a real case.
    pub demo: bool,
}

impl Case {
    /// The restrictions its information items carry (H1, H2, H3), each
    /// once, in order.
    pub fn handling_codes(&self) -> Vec<HandlingCode> {
        let mut v: Vec<HandlingCode> = self
            .information
            .iter()
            .map(|i| i.handling)
            .filter(|h| *h != HandlingCode::H0)
            .collect();
        v.sort();
        v.dedup();
        v
    }
    /// A child is involved, explicitly or through a person's age.
    pub fn involves_child(&self) -> bool {
        self.child_involved
            || self
                .persons
                .iter()
                .any(|p| p.role == PersonRole::Victim && p.is_minor())
    }

    /// Every country the case touches (route, requests, operations, owner),
    /// sorted and without repeats.
    pub fn countries(&self) -> Vec<CountryCode> {
        let mut out: Vec<CountryCode> = self.route.iter().map(|s| s.country.clone()).collect();
        out.push(self.owner.country.clone());
        out.sort();
        out.dedup();
        out
    }
}
