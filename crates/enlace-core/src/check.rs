//! `enlace check`: whether this node's database is whole — SQLite's own
//! `PRAGMA integrity_check`, every document's stored heads against its
//! bytes, the change log against the documents (every logged change is in
//! its document, every change of a synced document is in the log it is sent
//! from), and the audit log's hash chain. The crash campaign runs it after
//! every kill; a person runs it when something looks wrong, and is told
//! what to do (restore a backup, or sync again from the hub).

use std::collections::HashSet;

use enlace_docs::Document;
use serde::Serialize;
use ts_rs::TS;

use crate::{App, Result};

/// What is wrong with one part of the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[ts(export)]
pub enum Damage {
    /// SQLite's integrity check did not say "ok": its first lines.
    Integrity { detail: String },
    /// The stored bytes of a document do not load.
    Unreadable { doc: String, detail: String },
    /// The heads stored beside a document are not the heads of its bytes.
    Heads { doc: String },
    /// A change in the log is missing from its document.
    LoggedNotInDocument { doc: String, hash: String },
    /// A change of a synced document is missing from the log (peers would
    /// never receive it).
    NotLogged { doc: String, hash: String },
    /// The audit log's chain breaks at this entry.
    AuditChain {
        #[ts(type = "number")]
        seq: i64,
    },
}

/// What `enlace check` found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CheckReport {
    #[ts(type = "number")]
    pub documents: u64,
    #[ts(type = "number")]
    pub changes: u64,
    #[ts(type = "number")]
    pub audit_entries: u64,
    pub damage: Vec<Damage>,
}

impl CheckReport {
    pub fn is_whole(&self) -> bool {
        self.damage.is_empty()
    }
}

/// At most this many damages are listed (the first ones say enough).
const MAX_LISTED: usize = 100;

impl App {
    /// Checks the whole database; `progress(done, total)` per document.
    pub fn check(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<CheckReport> {
        let mut damage = vec![];
        // A page that does not decrypt stops the integrity check itself.
        match self.store.integrity_report() {
            Ok(r) if r == "ok" => {}
            Ok(detail) | Err(enlace_store::StoreError::Corrupt(detail)) => {
                damage.push(Damage::Integrity { detail });
                return Ok(CheckReport {
                    documents: 0,
                    changes: 0,
                    audit_entries: 0,
                    damage,
                });
            }
            Err(e) => return Err(e.into()),
        }
        let read = self.store.read();
        let ids = read.all_doc_ids()?;
        let total = ids.len() as u64;
        let mut changes = 0u64;
        progress(0, total);
        for (i, (id, _kind)) in ids.iter().enumerate() {
            if damage.len() >= MAX_LISTED {
                break;
            }
            let Some(row) = read.doc(id)? else { continue };
            let mut doc = match Document::load(&row.bytes, self.node.actor.clone()) {
                Ok(d) => d,
                Err(e) => {
                    damage.push(Damage::Unreadable {
                        doc: id.clone(),
                        detail: e.to_string(),
                    });
                    continue;
                }
            };
            let stored: Option<Vec<String>> = serde_json::from_str(&row.heads).ok();
            if stored.is_none_or(|mut h| {
                h.sort();
                h != doc.heads()
            }) {
                damage.push(Damage::Heads { doc: id.clone() });
            }
            let raw = doc.raw_changes();
            let held: HashSet<String> = raw.iter().map(|(h, _)| hex::encode(h)).collect();
            // A common root (made by nobody, the same on every node) is
            // never logged nor sent.
            let roots: HashSet<String> = raw
                .iter()
                .filter(|(_, bytes)| {
                    enlace_docs::ParsedChange::parse(bytes)
                        .is_ok_and(|c| c.actor == enlace_docs::GENESIS_ACTOR)
                })
                .map(|(h, _)| hex::encode(h))
                .collect();
            changes += held.len() as u64;
            let logged: HashSet<String> =
                read.log_of_doc(id)?.into_iter().map(|r| r.hash).collect();
            for hash in logged.difference(&held) {
                damage.push(Damage::LoggedNotInDocument {
                    doc: id.clone(),
                    hash: hash.clone(),
                });
            }
            if !row.local_only {
                for hash in held.difference(&logged).filter(|h| !roots.contains(*h)) {
                    damage.push(Damage::NotLogged {
                        doc: id.clone(),
                        hash: hash.clone(),
                    });
                }
            }
            progress(i as u64 + 1, total);
        }
        let audit = read.audit_log()?;
        if let Some(seq) = crate::audit::broken_at(&audit) {
            damage.push(Damage::AuditChain { seq });
        }
        damage.truncate(MAX_LISTED);
        Ok(CheckReport {
            documents: total,
            changes,
            audit_entries: audit.len() as u64,
            damage,
        })
    }
}
