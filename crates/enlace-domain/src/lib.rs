//! Enlace's domain: the types and rules of the Regional Database.
//!
//! What is here: identifiers, the closed enumerations of the Trafficking in
//! Persons Protocol (Art. 3 acts, means, purposes) and of the field's data
//! standards, the `case` and `person` documents as plain Rust values, their
//! validation (with messages in Spanish and English), case references, the
//! translation layer shared with the desktop UI (Fluent files under
//! `locales/`), and text folding for diacritics-insensitive search and sort.
//!
//! What is not here: IO of any kind, async, SQL, automerge, Tauri. Other
//! crates turn these values into documents, rows and screens.
#![forbid(unsafe_code)]

pub mod agency;
pub mod assessment;
pub mod case;
pub mod country;
pub mod enums;
pub mod i18n;
pub mod ids;
pub mod input;
pub mod kinds;
pub mod legal;
pub mod person;
pub mod plan;
pub mod reference;
pub mod risk;
pub mod roles;
pub mod stats;
pub mod text;
pub mod validate;
pub mod vocabulary;

pub use agency::{Agency, AgencyContact, AgencyKind, Service};
pub use assessment::{AssessmentItem, Evidence, EvidenceKind, LegalAssessment, Provision, Tally};
pub use case::*;
pub use country::CountryCode;
pub use enums::*;
pub use i18n::{Lang, tr, tr_args};
pub use ids::{CaseId, Owner, PersonId};
pub use kinds::{DocKind, SortField, Traffic};
pub use person::*;
pub use plan::{
    Component, LocalText, PlanIndicator, PlanTask, Sector, SectorCount, TaskKind, TaskStatus,
};
pub use reference::{CaseRef, NODE_CODE_LEN, NodeCode};
pub use risk::{
    Referral, ReferralStatus, ReviewState, RiskEntry, RiskLevel, RiskRecord, ThreatFactor,
};
pub use roles::{NodeRole, Permission, Role};
pub use validate::{Issue, Severity};
