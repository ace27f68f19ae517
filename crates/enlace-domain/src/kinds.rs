//! Types several crates share so that none spells them its own way: the
//! kinds of document, the sort orders of the case list, and what a sync
//! session moved.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::enums::{Closed, closed_enum};

closed_enum!(
    /// A kind of document. Its wire name is the kind stored with the
    /// document, sent in sync pages, and the key of the document's root
    /// object (`{"case": {...}}`).
    DocKind, "kind" {
        Case => "case",
        /// A person's identifying data, behind a pseudonym in a case.
        Person => "person",
        LegalAssessment => "legal_assessment",
        PlanTask => "plan_task",
        /// A victim's risk assessments and referrals (national,
        /// need-to-know).
        RiskAssessment => "risk_assessment",
        /// An organisation of the directory (regional).
        Agency => "agency",
    }
);

impl DocKind {
    /// Documents of this kind never leave their owner's country
    /// (identifying data), whatever audience they name.
    pub fn is_national(self) -> bool {
        matches!(self, DocKind::Person | DocKind::RiskAssessment)
    }

    /// Documents of this kind reach inside their country whom a person's
    /// identity reaches (need-to-know: the owner node, the nodes named in
    /// `nodes`, every hub and office) and abroad only under the grants
    /// they carry.
    pub fn follows_identity(self) -> bool {
        matches!(self, DocKind::Person | DocKind::RiskAssessment)
    }

    /// The kind of a stored or received document, if Enlace knows it.
    pub fn of(wire: &str) -> Option<DocKind> {
        <DocKind as Closed>::parse(wire)
    }

    /// The wire name (`"case"`).
    pub fn name(self) -> &'static str {
        Closed::as_str(self)
    }
}

closed_enum!(
    /// Sort orders of the case list (the app, `enlace case list --sort`,
    /// and the store's query).
    #[derive(Default)]
    SortField, "ui-sort" {
        #[default]
        Updated => "updated",
        /// Best match first.
        Relevance => "relevance",
        /// Most recently created first (the default when searching).
        Newest => "newest",
        Reference => "reference",
        Title => "title",
        Opened => "opened",
        Status => "status",
        Classification => "classification",
        /// The owner country.
        Owner => "owner",
    }
);

impl SortField {
    /// The order when none is asked: newest first while searching (the
    /// full-text index yields them in that order), last modified otherwise.
    pub fn default_for(searching: bool) -> SortField {
        if searching {
            SortField::Newest
        } else {
            SortField::Updated
        }
    }

    /// Whether this order runs from the largest value down unless reversed.
    pub fn descending_by_default(self) -> bool {
        matches!(self, SortField::Updated | SortField::Newest)
    }
}

/// What sync moved with one peer: counted by the protocol's session, kept
/// on the peer's row, shown in the app and in `enlace sync --json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Traffic {
    #[ts(type = "number")]
    pub bytes_sent: u64,
    #[ts(type = "number")]
    pub bytes_received: u64,
    #[ts(type = "number")]
    pub docs_sent: u64,
    #[ts(type = "number")]
    pub docs_received: u64,
    #[ts(type = "number")]
    pub changes_sent: u64,
    #[ts(type = "number")]
    pub changes_received: u64,
}

impl Traffic {
    /// Both counts added (saturating).
    pub fn add(&mut self, other: &Traffic) {
        self.bytes_sent = self.bytes_sent.saturating_add(other.bytes_sent);
        self.bytes_received = self.bytes_received.saturating_add(other.bytes_received);
        self.docs_sent = self.docs_sent.saturating_add(other.docs_sent);
        self.docs_received = self.docs_received.saturating_add(other.docs_received);
        self.changes_sent = self.changes_sent.saturating_add(other.changes_sent);
        self.changes_received = self.changes_received.saturating_add(other.changes_received);
    }

    /// Whether any document moved either way.
    pub fn moved_documents(&self) -> bool {
        self.docs_sent + self.docs_received > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_only_persons_stay_home() {
        for k in DocKind::all() {
            assert_eq!(DocKind::of(k.name()), Some(*k));
            assert_eq!(
                serde_json::to_string(k).expect("json"),
                format!("\"{}\"", k.name())
            );
        }
        assert_eq!(DocKind::of("grant"), None);
        assert_eq!(DocKind::of("Case"), None, "wire names are exact");
        let national: Vec<_> = DocKind::all().iter().filter(|k| k.is_national()).collect();
        assert_eq!(national, vec![&DocKind::Person, &DocKind::RiskAssessment]);
    }

    #[test]
    fn sort_defaults() {
        assert_eq!(SortField::default_for(true), SortField::Newest);
        assert_eq!(SortField::default_for(false), SortField::Updated);
        assert!(SortField::Updated.descending_by_default());
        assert!(!SortField::Title.descending_by_default());
        assert_eq!(
            SortField::parse("classification"),
            Some(SortField::Classification)
        );
    }

    #[test]
    fn traffic_adds_without_overflow() {
        let mut t = Traffic {
            bytes_sent: u64::MAX - 1,
            docs_received: 2,
            ..Traffic::default()
        };
        t.add(&Traffic {
            bytes_sent: 5,
            docs_received: 3,
            ..Traffic::default()
        });
        assert_eq!(t.bytes_sent, u64::MAX);
        assert_eq!(t.docs_received, 5);
        assert!(t.moved_documents());
        assert!(!Traffic::default().moved_documents());
    }
}
