//! The `agency` document: the directory of organisations investigators
//! and case workers refer victims to and take information from — name,
//! type, country, services, contacts, hours, languages, reliability as a
//! source (A–F), and whether it is the task force's focal point. Regional:
//! every participating country reads every country's directory; only the
//! agency's country edits its entry.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::case::Audience;
use crate::country::CountryCode;
use crate::enums::{SourceReliability, closed_enum};
use crate::ids::Owner;
use crate::validate::{Issue, MAX_SHORT, MAX_TEXT, MAX_TITLE, Severity, text};

closed_enum!(
    /// What kind of organisation an agency is.
    AgencyKind, "agency-kind" {
        InternationalOrg => "international_org",
        RegionalOrg => "regional_org",
        Government => "government",
        Ngo => "ngo",
        Research => "research",
    }
);

closed_enum!(
    /// A service an agency offers victims.
    Service, "service" {
        Shelter => "shelter",
        LegalAid => "legal_aid",
        Medical => "medical",
        Psychological => "psychological",
        Repatriation => "repatriation",
        Hotline => "hotline",
        Interpretation => "interpretation",
        Education => "education",
        Employment => "employment",
        FamilyTracing => "family_tracing",
    }
);

/// A person to call at an agency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AgencyContact {
    /// The item's identity in its list (given when first written).
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub function: String,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub phone: String,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub email: String,
}

/// An organisation of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Agency {
    #[ts(type = "string")]
    pub id: Uuid,
    pub name: String,
    pub kind: AgencyKind,
    /// Where it works (its owner's country).
    pub country: CountryCode,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub contacts: Vec<AgencyContact>,
    #[serde(default)]
    pub hours: String,
    /// Languages spoken (free text each: `español`, `garífuna`, `K'iche'`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// As a source of information (Admiralty scale).
    pub reliability: SourceReliability,
    /// The National Task Force's focal point for referrals.
    #[serde(default)]
    pub focal_point: bool,
    #[serde(default)]
    pub notes: String,
    pub owner: Owner,
    pub audience: Audience,
    #[serde(default)]
    pub demo: bool,
}

/// Validates an agency (paths are its fields).
pub fn validate_agency(a: &Agency) -> Vec<Issue> {
    let mut v = vec![];
    if a.name.trim().is_empty() {
        v.push(Issue::new(Severity::Error, "name", "val-text-required"));
    }
    text(&mut v, "name", &a.name, MAX_TITLE);
    text(&mut v, "city", &a.city, MAX_SHORT);
    text(&mut v, "hours", &a.hours, MAX_SHORT);
    text(&mut v, "notes", &a.notes, MAX_TEXT);
    if a.services.is_empty() {
        v.push(Issue::new(
            Severity::Warning,
            "services",
            "val-agency-no-services",
        ));
    }
    for (n, c) in a.contacts.iter().enumerate() {
        if c.name.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("contacts[{n}].name"),
                "val-text-required",
            ));
        }
        for (f, value) in [
            ("name", &c.name),
            ("function", &c.function),
            ("phone", &c.phone),
            ("email", &c.email),
        ] {
            text(&mut v, &format!("contacts[{n}].{f}"), value, MAX_SHORT);
        }
    }
    for (n, l) in a.languages.iter().enumerate() {
        text(&mut v, &format!("languages[{n}]"), l, MAX_SHORT);
    }
    v
}
