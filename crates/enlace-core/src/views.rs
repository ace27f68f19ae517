//! What the façade returns: serialisable, with TypeScript bindings.

use enlace_domain::SortField;
use enlace_domain::{Case, CaseStatus, Classification, Identity, Issue, RouteRole};
use enlace_store::CaseListRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The result of a create or update.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseSaved {
    pub id: String,
    pub reference: String,
    /// Top-level fields the change touched (empty when nothing changed).
    pub changed: Vec<String>,
    /// Warnings (errors prevent saving and come back as an error instead).
    pub issues: Vec<Issue>,
    /// What an editor that goes on editing sends as `base` with its next
    /// change (`update_case_from`): the change just made, or the heads
    /// it read when nothing changed.
    pub heads: Vec<String>,
}

/// A person's identity as shown to users of the owner country's nodes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PersonIdentityView {
    pub pseudonym: String,
    pub person_id: String,
    pub full_name: String,
    pub identity: Identity,
}

/// What a form held that could not be saved yet (kept encrypted).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Draft {
    pub key: String,
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
    pub updated_at: String,
}

/// Concurrent values of one field of one item.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    pub item: String,
    pub field: String,
    /// Every value, the one currently shown first.
    #[ts(type = "unknown[]")]
    pub values: Vec<Value>,
}

/// The values nodes gave each of the top-level `fields` apart, for those
/// that have more than one (the one shown first).
pub(crate) fn field_conflicts(
    doc: &enlace_docs::Document,
    fields: &[&str],
) -> crate::Result<Vec<FieldConflict>> {
    let mut out = vec![];
    for field in fields {
        let values = doc.conflicts_at(&[field])?;
        if values.len() > 1 {
            out.push(FieldConflict {
                item: String::new(),
                field: (*field).to_owned(),
                values,
            });
        }
    }
    Ok(out)
}

/// One case, for the case view.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseView {
    pub case: Case,
    /// This node's country owns the case: it may edit it.
    pub editable: bool,
    pub issues: Vec<Issue>,
    /// Identities of the case's persons held on this node (national only),
    /// for officials whose role may see them.
    pub identities: Vec<PersonIdentityView>,
    /// Identities held on this node that the official's role may not see
    /// (their pseudonyms; the UI says so instead of showing nothing).
    pub identities_withheld: Vec<String>,
    pub updated_at: String,
    pub heads: Vec<String>,
    /// Fields where nodes wrote different values concurrently (`item` is
    /// empty); the value shown first.
    pub conflicts: Vec<FieldConflict>,
    /// Other cases that carry this case's reference now (issued twice):
    /// one of them is to be renumbered.
    pub shares_reference: Vec<CaseSummary>,
    /// Its links resolved: those it makes (each with the case this node
    /// holds under that reference, if any) and those other cases held here
    /// make to it.
    pub linked: Vec<LinkedCase>,
}

/// A link between two cases, as this node can follow it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LinkedCase {
    /// The reference the link names (outgoing) or the linking case's
    /// (incoming).
    pub reference: String,
    pub relation: enlace_domain::LinkRelation,
    #[ts(optional)]
    pub note: Option<String>,
    /// Another case links to this one.
    pub incoming: bool,
    /// The other case, when this node holds it (one case under that
    /// reference).
    #[ts(optional)]
    pub case: Option<CaseSummary>,
}

/// Filters of the case list. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CaseFilter {
    /// Words matched (as prefixes, accents and case ignored) against every
    /// text of the case and — for officials who may see identities — the
    /// names of its persons held on this node.
    #[ts(optional)]
    pub query: Option<String>,
    #[ts(optional)]
    pub status: Option<CaseStatus>,
    #[ts(optional)]
    pub classification: Option<Classification>,
    /// Any country on the route, or the owner country.
    #[ts(optional)]
    pub country: Option<String>,
    /// A route role (with `country`: that country in that role).
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<RouteRole>,
    /// An exploitation purpose (Art. 3).
    #[serde(default)]
    #[ts(optional)]
    pub purpose: Option<enlace_domain::Purpose>,
    /// A means (Art. 3).
    #[serde(default)]
    #[ts(optional)]
    pub means: Option<enlace_domain::Means>,
    /// Opened on or after this date.
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub opened_from: Option<chrono::NaiveDate>,
    /// Opened on or before this date.
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub opened_to: Option<chrono::NaiveDate>,
    /// The owner country.
    #[serde(default)]
    #[ts(optional)]
    pub owner: Option<String>,
    /// Only cases with a victim whose risk review is due today or overdue
    /// (for officials who may see risk assessments).
    #[serde(default)]
    #[ts(optional)]
    pub review_due: Option<bool>,
    #[ts(optional)]
    pub sort: Option<SortField>,
    /// Defaults to newest first for `updated`, ascending otherwise.
    #[ts(optional)]
    pub descending: Option<bool>,
    /// At most 1000; defaults to 100.
    #[ts(optional)]
    pub limit: Option<u32>,
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A stop as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RoutePoint {
    pub country: String,
    pub role: RouteRole,
}

/// One row of the case list. Never holds identifying data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: CaseStatus,
    pub classification: Classification,
    pub owner_country: String,
    pub opened: String,
    pub updated_at: String,
    pub route: Vec<RoutePoint>,
    #[ts(type = "number")]
    pub warnings: i64,
    pub demo: bool,
    /// The earliest risk review its victims are due for (only for
    /// officials who may see risk assessments).
    #[ts(type = "string | null")]
    pub next_review: Option<chrono::NaiveDate>,
    /// Where that review stands today.
    #[ts(optional)]
    pub review: Option<enlace_domain::ReviewState>,
}

impl From<CaseListRow> for CaseSummary {
    fn from(r: CaseListRow) -> CaseSummary {
        use enlace_domain::enums::Closed;
        let mut route: Vec<RoutePoint> = r
            .countries
            .split(',')
            .filter_map(|pair| {
                let (c, role) = pair.split_once(':')?;
                Some(RoutePoint {
                    country: c.to_owned(),
                    role: RouteRole::parse(role)?,
                })
            })
            .collect();
        route.sort_by_key(|p| p.role);
        CaseSummary {
            id: r.doc_id,
            reference: r.reference,
            title: r.title,
            status: CaseStatus::parse(&r.status).unwrap_or(CaseStatus::Reported),
            classification: Classification::parse(&r.classification)
                .unwrap_or(Classification::UnderAssessment),
            owner_country: r.owner_country,
            opened: r.opened,
            updated_at: r.updated_at,
            route,
            warnings: r.warnings,
            demo: r.demo,
            next_review: r
                .next_review
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            review: None,
        }
    }
}

/// A page of the case list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseList {
    #[ts(type = "number")]
    pub total: u64,
    pub offset: u32,
    pub items: Vec<CaseSummary>,
}
