//! Officials (migration 0011), reading the audit log, and the audit
//! heads exchanged with peers.

use rusqlite::params;

use crate::queries::AuditRow;
use crate::tx::{Read, WriteTx};
use crate::{Result, StoreError};

/// One official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialRow {
    pub id: String,
    pub name: String,
    /// The role's wire name.
    pub role: String,
    pub created_at: String,
    pub created_by: String,
    pub removed_at: Option<String>,
    /// See migration 0011 (`None`: not yet known; kept as it is by an
    /// update).
    pub key_check: Option<String>,
}

/// A peer's audit-head state (JSON texts, docs/sync-protocol.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerAudit {
    /// The heads this node showed it (a list of sequence numbers).
    pub told: String,
    /// The last head it showed (`{seq, hash}`).
    pub seen: Option<String>,
    /// What comparing its heads found (`{at, kind, seq}`).
    pub alarm: Option<String>,
}

const COLS: &str = "id, name, role, created_at, created_by, removed_at, key_check";

fn official_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OfficialRow> {
    Ok(OfficialRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        created_at: r.get(3)?,
        created_by: r.get(4)?,
        removed_at: r.get(5)?,
        key_check: r.get(6)?,
    })
}

pub(crate) fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
        prev: r.get(6)?,
        hash: r.get(7)?,
    })
}

impl Read<'_> {
    /// Whether the audit log has an entry `action` about `subject` (a
    /// refusal recorded once, not at every page that repeats it).
    pub fn audit_has(&self, action: &str, subject: &str) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM audit_log WHERE action = ?1 AND subject = ?2 LIMIT 1",
                rusqlite::params![action, subject],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// Every official, current and removed, in the order they were added.
    pub fn officials(&self) -> Result<Vec<OfficialRow>> {
        self.rows(
            &format!("SELECT {COLS} FROM official ORDER BY created_at, rowid"),
            [],
            official_row,
        )
    }

    pub fn official(&self, id: &str) -> Result<Option<OfficialRow>> {
        self.one(
            &format!("SELECT {COLS} FROM official WHERE id = ?1"),
            [id],
            official_row,
        )
    }

    /// The handling codes case `doc_id`'s items carry (`H1,H2`), if the
    /// case is indexed.
    pub fn case_handling(&self, doc_id: &str) -> Result<Option<String>> {
        self.one(
            "SELECT handling FROM case_index WHERE doc_id = ?1",
            [doc_id],
            |r| r.get(0),
        )
    }

    /// A peer's audit-head state, as stored.
    pub fn peer_audit(&self, key: &[u8]) -> Result<Option<PeerAudit>> {
        self.one(
            "SELECT audit_told, audit_seen, audit_alarm FROM peer WHERE public_key = ?1",
            [key],
            |r| {
                Ok(PeerAudit {
                    told: r.get(0)?,
                    seen: r.get(1)?,
                    alarm: r.get(2)?,
                })
            },
        )
    }

    /// Peers whose audit log was found cut or rewritten: (name, alarm JSON).
    pub fn peer_audit_alarms(&self) -> Result<Vec<(String, String)>> {
        self.rows(
            "SELECT name, audit_alarm FROM peer WHERE audit_alarm IS NOT NULL ORDER BY name",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}

impl WriteTx<'_> {
    /// Records a peer's audit-head state (JSON texts; `None` leaves the
    /// alarm as it is).
    pub fn set_peer_audit(
        &self,
        key: &[u8],
        told: &str,
        seen: Option<&str>,
        alarm: Option<&str>,
    ) -> Result<()> {
        self.run(
            "UPDATE peer SET audit_told = ?2, audit_seen = coalesce(?3, audit_seen),
             audit_alarm = coalesce(?4, audit_alarm) WHERE public_key = ?1",
            params![key, told, seen, alarm],
        )
        .map(|_| ())
        .map_err(StoreError::from_sqlite)
    }

    pub fn put_official(&self, o: &OfficialRow) -> Result<()> {
        self.run(
            &format!(
                "INSERT INTO official ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
                 removed_at = excluded.removed_at,
                 key_check = coalesce(excluded.key_check, key_check)"
            ),
            params![
                o.id,
                o.name,
                o.role,
                o.created_at,
                o.created_by,
                o.removed_at,
                o.key_check
            ],
        )
        .map(|_| ())
        .map_err(StoreError::from_sqlite)
    }
}
