//! The `person` document: identifying details of one person. Its audience is
//! always national; it never leaves its country except under an explicit,
//! audited grant, and it is never shown in lists.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::country::CountryCode;
use crate::enums::{Gender, IdDocumentKind, closed_enum};
use crate::ids::{Owner, PersonId};

closed_enum!(
    /// Why an identity may reach another country (a grant's stated purpose).
    GrantPurpose, "grant-purpose" {
        /// Return of a victim to their country (Protocol Art. 8).
        Repatriation => "repatriation",
        /// An investigation carried out with the other country.
        JointInvestigation => "joint_investigation",
        /// Assistance and protection of the victim there (Art. 6).
        VictimAssistance => "victim_assistance",
    }
);

/// Permission for a person document to reach another country: for a
/// stated purpose, until a date, given by an official who may grant. The
/// owner's nodes send the document to that country's hubs and offices
/// while it stands; revoked or past its date, no later change travels.
/// What was delivered cannot be recalled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Grant {
    /// Its identity (a UUID), to revoke it by.
    pub id: String,
    pub country: CountryCode,
    pub purpose: GrantPurpose,
    /// The last day it stands.
    #[ts(type = "string")]
    pub until: NaiveDate,
    pub reason: String,
    /// Who gave it (`node/official`) and when (RFC 3339).
    pub by: String,
    pub at: String,
    /// Who revoked it and when (`node/official`, RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub revoked_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub revoked_at: Option<String>,
}

/// The longest a grant may last, in days from when it is given: a grant
/// is renewed, not made forever (a revoked one keeps its copies standing
/// where they were delivered until its last day).
pub const MAX_GRANT_DAYS: u64 = 366;

impl Grant {
    /// Does it let the document reach its country on `today`? Not revoked,
    /// `until` today or later, and lasting at most [`MAX_GRANT_DAYS`] from
    /// the day it was given (sync reads grants by the same rule).
    pub fn stands(&self, today: NaiveDate) -> bool {
        self.revoked_at.is_none() && self.until >= today && self.within_bound()
    }

    /// It lasts at most [`MAX_GRANT_DAYS`] from the day it was given.
    pub fn within_bound(&self) -> bool {
        self.at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|given| self.until <= given + chrono::Days::new(MAX_GRANT_DAYS))
    }
}

/// An identity or travel document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct IdDocument {
    /// The item's identity in its list: given when it is first written
    /// (empty in input), kept through edits, so edits made apart on
    /// different nodes meet in the same item.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub id: String,
    pub kind: IdDocumentKind,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub issuing_country: Option<CountryCode>,
}

/// Consent to share personal data, and its scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Consent {
    pub given: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub date: Option<NaiveDate>,
}

/// The identifying part of a person, as entered (also the input format).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Identity {
    pub given_names: String,
    pub first_surname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub second_surname: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nationality: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<IdDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub address: Option<String>,
    #[serde(default)]
    pub consent: Consent,
}

impl Identity {
    /// `José Núñez Ávila`.
    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.given_names.trim(), self.first_surname.trim());
        if let Some(second) = self.second_surname.as_deref().map(str::trim)
            && !second.is_empty()
        {
            s.push(' ');
            s.push_str(second);
        }
        s.trim().to_owned()
    }

    /// `Núñez Ávila, José` — the order lists of people sort by.
    pub fn sort_name(&self) -> String {
        let mut s = self.first_surname.trim().to_owned();
        if let Some(second) = self.second_surname.as_deref().map(str::trim)
            && !second.is_empty()
        {
            s.push(' ');
            s.push_str(second);
        }
        format!("{s}, {}", self.given_names.trim())
    }

    /// Every name this person is known by, for the local search index.
    pub fn search_text(&self) -> String {
        let mut s = self.full_name();
        for a in &self.aliases {
            s.push(' ');
            s.push_str(a);
        }
        for d in &self.documents {
            s.push(' ');
            s.push_str(&d.number);
        }
        s
    }
}

/// The `person` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: PersonId,
    pub identity: Identity,
    pub owner: Owner,
    /// Nodes of the owner's country that work with this person besides
    /// the node that recorded it (`owner.node`): the full public keys, hex.
    /// A border post or an NGO node receives the identity only when it is
    /// one of them (need-to-know); a hub and an office receive every one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub nodes: Vec<String>,
    /// Permissions to reach other countries, oldest first (revoked ones
    /// stay, marked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Grant>>", optional)]
    pub grants: Vec<Grant>,
    pub demo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_two_surnames() {
        let id = Identity {
            given_names: "José".into(),
            first_surname: "Núñez".into(),
            second_surname: Some("Ávila".into()),
            ..Default::default()
        };
        assert_eq!(id.full_name(), "José Núñez Ávila");
        assert_eq!(id.sort_name(), "Núñez Ávila, José");
        let one = Identity {
            given_names: "María de los Ángeles".into(),
            first_surname: "Güity".into(),
            ..Default::default()
        };
        assert_eq!(one.full_name(), "María de los Ángeles Güity");
    }
}
