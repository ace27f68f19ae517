//! Reading and verifying the audit log (`enlace audit`, the app's audit
//! viewer): who did what, under which official, chained by hashes so an
//! entry edited, removed or moved breaks the chain at that point.
//!
//! What the chain cannot show by itself: entries cut from its end, or a
//! log rewritten whole with its hashes recomputed. Peers keep the head
//! each sync showed them (replica/audit_heads.rs), and a later head that
//! does not extend it is reported ([`App::audit_verify`] lists them).

use std::path::Path;

use enlace_domain::Permission;
use enlace_store::AuditRow;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{App, Result, files};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    /// `node/official`.
    pub actor: String,
    /// `login`, `login.failed`, `person.view`, `export`, `sync`,
    /// `official.add`, …
    pub action: String,
    pub subject: String,
    pub detail: String,
    /// The hash of the entry before it (empty for the first).
    pub prev: String,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
            prev: r.prev,
            hash: r.hash,
        }
    }
}

/// Which entries to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AuditFilter {
    /// Entries whose action starts with this (`login`, `official.`, …).
    #[ts(optional)]
    pub action: Option<String>,
    /// Entries whose actor contains this (an official's or node's name;
    /// case and accents ignored).
    #[ts(optional)]
    pub actor: Option<String>,
    /// At most this many (default 200, at most 5,000).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// What verifying the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuditVerified {
    #[ts(type = "number")]
    pub entries: u64,
    /// The first entry where the chain breaks (edited, removed before it,
    /// or moved), if any.
    #[ts(optional, type = "number")]
    pub broken_at: Option<i64>,
    /// The hash of the last entry: the head peers compare.
    pub head: String,
    /// Peers whose own audit log this node found cut or rewritten (by the
    /// heads they showed at sync).
    pub peers: Vec<PeerAuditFinding>,
}

/// A peer whose audit log was found cut or rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PeerAuditFinding {
    pub peer: String,
    pub alarm: crate::AuditAlarm,
}

impl AuditVerified {
    /// This node's chain holds and no peer's log was found altered.
    pub fn ok(&self) -> bool {
        self.broken_at.is_none() && self.peers.is_empty()
    }
}

/// The first entry of `rows` (in order) whose chain does not hold.
pub(crate) fn broken_at(rows: &[AuditRow]) -> Option<i64> {
    let mut prev = String::new();
    for row in rows {
        let hash = enlace_store::audit_hash(
            &prev,
            &row.at,
            &row.actor,
            &row.action,
            &row.subject,
            &row.detail,
        );
        if row.prev != prev || hash != row.hash {
            return Some(row.seq);
        }
        prev.clone_from(&row.hash);
    }
    None
}

impl App {
    /// The latest entries of the audit log, newest first.
    pub fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.require(Permission::ViewAudit)?;
        let limit = filter.limit.unwrap_or(200).clamp(1, 5_000) as usize;
        let action = filter.action.as_deref().unwrap_or("");
        let actor = filter
            .actor
            .as_deref()
            .map(enlace_domain::text::fold)
            .unwrap_or_default();
        let rows = self.store.read().audit_log()?;
        Ok(rows
            .into_iter()
            .rev()
            .filter(|r| r.action.starts_with(action))
            .filter(|r| actor.is_empty() || enlace_domain::text::fold(&r.actor).contains(&actor))
            .take(limit)
            .map(AuditEntry::from)
            .collect())
    }

    /// Verifies the whole chain.
    pub fn audit_verify(&self) -> Result<AuditVerified> {
        self.require(Permission::ViewAudit)?;
        let rows = self.store.read().audit_log()?;
        Ok(AuditVerified {
            entries: rows.len() as u64,
            broken_at: broken_at(&rows),
            head: rows.last().map(|r| r.hash.clone()).unwrap_or_default(),
            peers: self
                .peer_audit_alarms()?
                .into_iter()
                .map(|(peer, alarm)| PeerAuditFinding { peer, alarm })
                .collect(),
        })
    }

    /// Writes the whole log as JSON Lines (one entry per line, with its
    /// hashes, so anyone can recompute the chain); the export is itself
    /// audited. Returns the number of entries.
    pub fn export_audit_log(&mut self, out: &Path) -> Result<u64> {
        self.require(Permission::ViewAudit)?;
        self.require(Permission::Export)?;
        let rows = self.store.read().audit_log()?;
        let mut text = String::new();
        for r in &rows {
            let line = serde_json::to_string(&AuditEntry::from(r.clone()))
                .map_err(|e| crate::CoreError::Internal(e.to_string()))?;
            text.push_str(&line);
            text.push('\n');
        }
        files::write_atomically(out, text.as_bytes())?;
        self.audit_export(out, &format!("audit log, {} entries", rows.len()))?;
        Ok(rows.len() as u64)
    }
}
