//! What sync keeps (migration 0005): peers and their cursors, the roster
//! of relayed authors, proofs, the quarantine, documents wanted whole, and
//! the log read in the order sync sends it.

use rusqlite::{OptionalExtension, params};

use crate::{Read, Result, StoreError, WriteTx};

/// A paired peer and where sync with it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerRow {
    pub name: String,
    pub public_key: Vec<u8>,
    pub country: String,
    pub url: Option<String>,
    pub added_at: String,
    pub applied_seq: i64,
    pub applied_hash: Option<Vec<u8>>,
    pub acked_seq: i64,
    pub acked_hash: Option<Vec<u8>>,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub failures: i64,
    pub bytes_sent: i64,
    pub bytes_received: i64,
    pub docs_sent: i64,
    pub docs_received: i64,
    pub bundle_out_seq: i64,
    pub bundle_in_seq: i64,
}

/// A node known through a voucher of its own country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub public_key: Vec<u8>,
    pub country: String,
    pub name: String,
    pub voucher: Vec<u8>,
    pub signature: Vec<u8>,
    pub added_at: String,
}

/// A stored proof: `author`'s signature over `members` (32-byte hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofRow {
    pub id: i64,
    pub author: Vec<u8>,
    pub signature: Vec<u8>,
    pub members: Vec<u8>,
}

/// One change-log entry with its document's metadata.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub seq: i64,
    pub doc_id: String,
    pub hash: String,
    pub change: Vec<u8>,
    pub author: Option<Vec<u8>>,
    pub source: Option<Vec<u8>>,
    pub proof_id: Option<i64>,
    pub kind: String,
    pub owner_country: String,
    pub audience: String,
    pub local_only: bool,
}

/// A document's metadata and heads (for summaries).
#[derive(Debug, Clone)]
pub struct DocMeta {
    pub id: String,
    pub kind: String,
    pub owner_country: String,
    pub audience: String,
    pub heads: String,
    pub local_only: bool,
}

/// A received change that was not merged.
#[derive(Debug, Clone)]
pub struct QuarantineRow {
    pub id: i64,
    pub doc_id: String,
    pub kind: String,
    pub hash: String,
    pub change: Vec<u8>,
    pub author: Vec<u8>,
    pub proof_id: Option<i64>,
    pub source: Vec<u8>,
    pub reason: String,
    pub detail: String,
    pub received_at: String,
}

/// What one session did, recorded on the peer's row.
#[derive(Debug, Clone, Default)]
pub struct SessionRecord {
    pub at: String,
    pub ok: bool,
    pub error: Option<String>,
    pub bytes_sent: i64,
    pub bytes_received: i64,
    pub docs_sent: i64,
    pub docs_received: i64,
}

const PEER_COLS: &str = "name, public_key, country, url, added_at, applied_seq, applied_hash,
    acked_seq, acked_hash, last_attempt, last_success, last_error, failures, bytes_sent,
    bytes_received, docs_sent, docs_received, bundle_out_seq, bundle_in_seq";

fn peer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PeerRow> {
    Ok(PeerRow {
        name: r.get(0)?,
        public_key: r.get(1)?,
        country: r.get(2)?,
        url: r.get(3)?,
        added_at: r.get(4)?,
        applied_seq: r.get(5)?,
        applied_hash: r.get(6)?,
        acked_seq: r.get(7)?,
        acked_hash: r.get(8)?,
        last_attempt: r.get(9)?,
        last_success: r.get(10)?,
        last_error: r.get(11)?,
        failures: r.get(12)?,
        bytes_sent: r.get(13)?,
        bytes_received: r.get(14)?,
        docs_sent: r.get(15)?,
        docs_received: r.get(16)?,
        bundle_out_seq: r.get(17)?,
        bundle_in_seq: r.get(18)?,
    })
}

const LOG_COLS: &str = "l.seq, l.doc_id, l.hash, l.change, l.author, l.source, l.proof_id,
    d.kind, d.owner_country, d.audience, d.local_only";

fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogRow> {
    Ok(LogRow {
        seq: r.get(0)?,
        doc_id: r.get(1)?,
        hash: r.get(2)?,
        change: r.get(3)?,
        author: r.get(4)?,
        source: r.get(5)?,
        proof_id: r.get(6)?,
        kind: r.get(7)?,
        owner_country: r.get(8)?,
        audience: r.get(9)?,
        local_only: r.get(10)?,
    })
}

fn quarantine_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QuarantineRow> {
    Ok(QuarantineRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        kind: r.get(2)?,
        hash: r.get(3)?,
        change: r.get(4)?,
        author: r.get(5)?,
        proof_id: r.get(6)?,
        source: r.get(7)?,
        reason: r.get(8)?,
        detail: r.get(9)?,
        received_at: r.get(10)?,
    })
}

const Q_COLS: &str =
    "id, doc_id, kind, hash, change, author, proof_id, source, reason, detail, received_at";

impl Read<'_> {
    pub fn peers(&self) -> Result<Vec<PeerRow>> {
        self.rows(
            &format!("SELECT {PEER_COLS} FROM peer ORDER BY name"),
            [],
            peer_row,
        )
    }

    pub fn peer_by_key(&self, key: &[u8]) -> Result<Option<PeerRow>> {
        self.one(
            &format!("SELECT {PEER_COLS} FROM peer WHERE public_key = ?1"),
            [key],
            peer_row,
        )
    }

    pub fn peer_by_name(&self, name: &str) -> Result<Option<PeerRow>> {
        self.conn
            .query_row(
                &format!("SELECT {PEER_COLS} FROM peer WHERE name = ?1"),
                [name],
                peer_row,
            )
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    pub fn roster_entry(&self, key: &[u8]) -> Result<Option<RosterRow>> {
        self.one(
                "SELECT public_key, country, name, voucher, signature, added_at FROM roster WHERE public_key = ?1",
                [key],
                |r| {
                    Ok(RosterRow {
                        public_key: r.get(0)?,
                        country: r.get(1)?,
                        name: r.get(2)?,
                        voucher: r.get(3)?,
                        signature: r.get(4)?,
                        added_at: r.get(5)?,
                    })
                },
            )
    }

    pub fn roster(&self) -> Result<Vec<RosterRow>> {
        self.rows(
            "SELECT public_key, country, name, voucher, signature, added_at FROM roster ORDER BY country, name",
            [],
            |r| {
                Ok(RosterRow {
                    public_key: r.get(0)?,
                    country: r.get(1)?,
                    name: r.get(2)?,
                    voucher: r.get(3)?,
                    signature: r.get(4)?,
                    added_at: r.get(5)?,
                })
            },
        )
    }

    /// The hash of the change at `seq` of the log, if there is one.
    pub fn log_hash_at(&self, seq: i64) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT hash FROM change_log WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    /// The last entry of the log: its sequence and hash (0 and `None` when
    /// the log is empty).
    pub fn log_end(&self) -> Result<(i64, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, Some(r.get(1)?))),
            )
            .optional()
            .map_err(StoreError::from_sqlite)?
            .unwrap_or((0, None)))
    }

    /// At most `limit` log entries after `after`, in order.
    pub fn log_after(&self, after: i64, limit: usize) -> Result<Vec<LogRow>> {
        self.rows(
            &format!(
                "SELECT {LOG_COLS} FROM change_log l JOIN documents d ON d.id = l.doc_id
                 WHERE l.seq > ?1 ORDER BY l.seq LIMIT ?2"
            ),
            params![after, limit as i64],
            log_row,
        )
    }

    /// Every logged change of one document, in log order.
    pub fn log_of_doc(&self, doc_id: &str) -> Result<Vec<LogRow>> {
        self.rows(
            &format!(
                "SELECT {LOG_COLS} FROM change_log l JOIN documents d ON d.id = l.doc_id
                 WHERE l.doc_id = ?1 ORDER BY l.seq"
            ),
            [doc_id],
            log_row,
        )
    }

    /// How many log entries follow `after`.
    pub fn log_count_after(&self, after: i64) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM change_log WHERE seq > ?1",
                [after],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(StoreError::from_sqlite)
    }

    pub fn proof(&self, id: i64) -> Result<Option<ProofRow>> {
        self.conn
            .query_row(
                "SELECT id, author, signature, members FROM proof WHERE id = ?1",
                [id],
                |r| {
                    Ok(ProofRow {
                        id: r.get(0)?,
                        author: r.get(1)?,
                        signature: r.get(2)?,
                        members: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::from_sqlite)
    }

    /// Documents this node wants whole from `peer`.
    pub fn wants(&self, peer: &[u8]) -> Result<Vec<String>> {
        self.rows(
            "SELECT doc_id FROM sync_want WHERE peer = ?1 ORDER BY doc_id",
            [peer],
            |r| r.get(0),
        )
    }

    /// Documents `peer` asked for whole in a bundle.
    pub fn owed(&self, peer: &[u8]) -> Result<Vec<String>> {
        self.rows(
            "SELECT doc_id FROM sync_owe WHERE peer = ?1 ORDER BY doc_id",
            [peer],
            |r| r.get(0),
        )
    }

    /// Calls `f` with each document's metadata in id order, for ids after
    /// `after` and up to `through`, until `f` returns false.
    pub fn each_doc_meta(
        &self,
        after: Option<&str>,
        through: Option<&str>,
        mut f: impl FnMut(DocMeta) -> bool,
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, kind, owner_country, audience, heads, local_only FROM documents
                 WHERE (?1 IS NULL OR id > ?1) AND (?2 IS NULL OR id <= ?2) ORDER BY id",
            )
            .map_err(StoreError::from_sqlite)?;
        let mut rows = st
            .query(params![after, through])
            .map_err(StoreError::from_sqlite)?;
        while let Some(r) = rows.next().map_err(StoreError::from_sqlite)? {
            let meta = DocMeta {
                id: r.get(0).map_err(StoreError::from_sqlite)?,
                kind: r.get(1).map_err(StoreError::from_sqlite)?,
                owner_country: r.get(2).map_err(StoreError::from_sqlite)?,
                audience: r.get(3).map_err(StoreError::from_sqlite)?,
                heads: r.get(4).map_err(StoreError::from_sqlite)?,
                local_only: r.get(5).map_err(StoreError::from_sqlite)?,
            };
            if !f(meta) {
                break;
            }
        }
        Ok(())
    }

    /// Quarantined changes, oldest first (of one document, or all).
    pub fn quarantine(&self, doc_id: Option<&str>) -> Result<Vec<QuarantineRow>> {
        self.rows(
            &format!("SELECT {Q_COLS} FROM quarantine WHERE ?1 IS NULL OR doc_id = ?1 ORDER BY id"),
            [doc_id],
            quarantine_row,
        )
    }

    /// The cases that point at person document `person_id`.
    pub fn cases_of_person(&self, person_id: &str) -> Result<Vec<String>> {
        self.rows(
            "SELECT case_id FROM person_link WHERE person_id = ?1",
            [person_id],
            |r| r.get(0),
        )
    }

    /// The document (id and kind) that logged change `hash` belongs to.
    pub fn doc_of_change(&self, hash: &str) -> Result<Option<(String, String)>> {
        self.one(
            "SELECT d.id, d.kind FROM change_log l JOIN documents d ON d.id = l.doc_id
             WHERE l.hash = ?1 LIMIT 1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// True when the change `hash` of `doc_id` is in the log.
    pub fn logged(&self, doc_id: &str, hash: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM change_log WHERE doc_id = ?1 AND hash = ?2",
                [doc_id, hash],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(StoreError::from_sqlite)
    }

    /// Every document id of any kind, with its kind (maintenance).
    pub fn all_doc_ids(&self) -> Result<Vec<(String, String)>> {
        self.rows("SELECT id, kind FROM documents ORDER BY id", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    }
}

impl WriteTx<'_> {
    /// Runs a statement, prepared once per connection.
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map_err(StoreError::from_sqlite)
    }

    /// Adds a peer. Fails (constraint) when the name or key is taken.
    pub fn put_peer(&self, p: &PeerRow) -> Result<()> {
        self.exec(
            "INSERT INTO peer (name, public_key, country, url, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![p.name, p.public_key, p.country, p.url, p.added_at],
        )
        .map(|_| ())
    }

    /// Forgets a peer, its cursors and what was wanted from it.
    pub fn remove_peer(&self, name: &str) -> Result<bool> {
        let key: Option<Vec<u8>> = self
            .tx
            .query_row("SELECT public_key FROM peer WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::from_sqlite)?;
        let Some(key) = key else { return Ok(false) };
        self.exec("DELETE FROM sync_want WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM sync_owe WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM peer WHERE name = ?1", [name])?;
        Ok(true)
    }

    pub fn set_peer_applied(&self, key: &[u8], seq: i64, hash: Option<&[u8]>) -> Result<()> {
        self.exec(
            "UPDATE peer SET applied_seq = ?2, applied_hash = ?3 WHERE public_key = ?1",
            params![key, seq, hash],
        )
        .map(|_| ())
    }

    pub fn set_peer_acked(&self, key: &[u8], seq: i64, hash: Option<&[u8]>) -> Result<()> {
        self.exec(
            "UPDATE peer SET acked_seq = ?2, acked_hash = ?3 WHERE public_key = ?1",
            params![key, seq, hash],
        )
        .map(|_| ())
    }

    /// Records a session's outcome on the peer's row.
    pub fn record_session(&self, key: &[u8], s: &SessionRecord) -> Result<()> {
        self.exec(
            "UPDATE peer SET last_attempt = ?2,
                 last_success = CASE WHEN ?3 THEN ?2 ELSE last_success END,
                 last_error = ?4,
                 failures = CASE WHEN ?3 THEN 0 ELSE failures + 1 END,
                 bytes_sent = bytes_sent + ?5, bytes_received = bytes_received + ?6,
                 docs_sent = docs_sent + ?7, docs_received = docs_received + ?8
             WHERE public_key = ?1",
            params![
                key,
                s.at,
                s.ok,
                s.error,
                s.bytes_sent,
                s.bytes_received,
                s.docs_sent,
                s.docs_received
            ],
        )
        .map(|_| ())
    }

    pub fn set_bundle_out_seq(&self, key: &[u8], seq: i64) -> Result<()> {
        self.exec(
            "UPDATE peer SET bundle_out_seq = ?2 WHERE public_key = ?1",
            params![key, seq],
        )
        .map(|_| ())
    }

    pub fn set_bundle_in_seq(&self, key: &[u8], seq: i64) -> Result<()> {
        self.exec(
            "UPDATE peer SET bundle_in_seq = ?2 WHERE public_key = ?1",
            params![key, seq],
        )
        .map(|_| ())
    }

    /// Keeps a roster entry (the first one for a key wins).
    pub fn put_roster(&self, r: &RosterRow) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO roster (public_key, country, name, voucher, signature, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.public_key,
                r.country,
                r.name,
                r.voucher,
                r.signature,
                r.added_at
            ],
        )
        .map(|_| ())
    }

    /// Stores a proof (once per signature); returns its id.
    pub fn put_proof(&self, author: &[u8], signature: &[u8], members: &[u8]) -> Result<i64> {
        self.tx
            .query_row(
                "INSERT INTO proof (author, signature, members) VALUES (?1, ?2, ?3)
                 ON CONFLICT(signature) DO UPDATE SET signature = excluded.signature
                 RETURNING id",
                params![author, signature, members],
                |r| r.get(0),
            )
            .map_err(StoreError::from_sqlite)
    }

    /// Logs a change received from a peer (with its author and proof).
    /// `None` when this change of this document was already logged.
    #[allow(clippy::too_many_arguments)]
    pub fn log_received(
        &self,
        doc_id: &str,
        hash: &str,
        change: &[u8],
        author: &[u8],
        source: &[u8],
        proof_id: Option<i64>,
        at: &str,
    ) -> Result<Option<i64>> {
        let n = self.exec(
            "INSERT INTO change_log (doc_id, hash, change, author, source, proof_id, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(doc_id, hash) DO NOTHING",
            params![doc_id, hash, change, author, source, proof_id, at],
        )?;
        Ok((n == 1).then(|| self.tx.last_insert_rowid()))
    }

    /// Keeps a change that was not merged. Once per change.
    pub fn put_quarantine(&self, q: &QuarantineRow) -> Result<()> {
        self.exec(
            "INSERT INTO quarantine (doc_id, kind, hash, change, author, proof_id, source, reason, detail, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(doc_id, hash) DO UPDATE SET reason = excluded.reason, detail = excluded.detail",
            params![
                q.doc_id,
                q.kind,
                q.hash,
                q.change,
                q.author,
                q.proof_id,
                q.source,
                q.reason,
                q.detail,
                q.received_at
            ],
        )
        .map(|_| ())
    }

    /// Names the document of a kept change whose document was not known.
    pub fn resolve_quarantine(&self, id: i64, doc_id: &str, kind: &str) -> Result<()> {
        self.exec(
            "UPDATE OR REPLACE quarantine SET doc_id = ?2, kind = ?3 WHERE id = ?1",
            params![id, doc_id, kind],
        )
        .map(|_| ())
    }

    pub fn remove_quarantine(&self, id: i64) -> Result<()> {
        self.exec("DELETE FROM quarantine WHERE id = ?1", [id])
            .map(|_| ())
    }

    pub fn want(&self, peer: &[u8], doc_id: &str) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO sync_want (peer, doc_id) VALUES (?1, ?2)",
            params![peer, doc_id],
        )
        .map(|_| ())
    }

    pub fn unwant(&self, peer: &[u8], doc_id: &str) -> Result<()> {
        self.exec(
            "DELETE FROM sync_want WHERE peer = ?1 AND doc_id = ?2",
            params![peer, doc_id],
        )
        .map(|_| ())
    }

    pub fn owe(&self, peer: &[u8], doc_id: &str) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO sync_owe (peer, doc_id) VALUES (?1, ?2)",
            params![peer, doc_id],
        )
        .map(|_| ())
    }

    pub fn clear_owed(&self, peer: &[u8]) -> Result<()> {
        self.exec("DELETE FROM sync_owe WHERE peer = ?1", [peer])
            .map(|_| ())
    }

    pub fn set_local_only(&self, doc_id: &str, local: bool) -> Result<()> {
        self.exec(
            "UPDATE documents SET local_only = ?2 WHERE id = ?1",
            params![doc_id, local],
        )
        .map(|_| ())
    }

    /// Replaces a document whole (a received one taking the place of a
    /// local demonstration document with the same id): its row, and the
    /// log entries of the document it replaces, which were never sent.
    pub fn replace_doc(&self, d: &crate::DocRow) -> Result<()> {
        self.exec("DELETE FROM change_log WHERE doc_id = ?1", [&d.id])?;
        self.exec(
            "UPDATE documents SET kind = ?2, owner_country = ?3, owner_node = ?4, audience = ?5,
                 bytes = ?6, heads = ?7, updated_at = ?8, local_only = ?9 WHERE id = ?1",
            params![
                d.id,
                d.kind,
                d.owner_country,
                d.owner_node,
                d.audience,
                d.bytes,
                d.heads,
                d.updated_at,
                d.local_only
            ],
        )
        .map(|_| ())
    }
}
