//! What sync keeps (migration 0005): peers and their cursors, the roster
//! of relayed authors, proofs, the quarantine, documents wanted whole, and
//! the log read in the order sync sends it.

use rusqlite::{OptionalExtension, params};

use enlace_domain::{DocKind, Traffic};

use crate::queries::kind_at;
use crate::{Read, Result, StoreError, WriteTx};

/// A count as SQLite keeps it (an i64; counts past it stay at the top).
fn count(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A count read back (a negative one, which no version writes, reads 0).
fn count_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

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
    /// What sync moved with this peer, in total.
    pub traffic: Traffic,
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
    pub kind: DocKind,
    pub owner_country: String,
    pub audience: String,
    pub local_only: bool,
}

/// A document's metadata and heads (for summaries).
#[derive(Debug, Clone)]
pub struct DocMeta {
    pub id: String,
    pub kind: DocKind,
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
    /// The change's first dependency (hex), or empty: how a change whose
    /// document was not known is matched to it once it is.
    pub dep: String,
}

/// A kept change as the quarantine list shows it (without its bytes).
#[derive(Debug, Clone)]
pub struct QuarantineInfo {
    pub doc_id: String,
    pub kind: String,
    pub hash: String,
    pub author: Vec<u8>,
    pub source: Vec<u8>,
    pub reason: String,
    pub detail: String,
    pub received_at: String,
}

/// A part of a document asked for whole, kept until the last part comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRow {
    pub kind: String,
    pub hash: String,
    pub change: Vec<u8>,
    pub proof_id: i64,
    /// Operations and predecessors the change declares.
    pub work: i64,
}

/// A node trusted as an author (and voucher) of its country, not a peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRow {
    pub public_key: Vec<u8>,
    pub country: String,
    pub name: String,
    pub added_at: String,
}

/// A received change, as the log keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    pub doc_id: &'a str,
    /// Hex.
    pub hash: &'a str,
    pub change: &'a [u8],
    /// The author's 32-byte key.
    pub author: &'a [u8],
    /// The peer it came from.
    pub source: &'a [u8],
    /// The stored proof of its author.
    pub proof_id: i64,
}

/// What one session did, recorded on the peer's row.
#[derive(Debug, Clone, Default)]
pub struct SessionRecord {
    pub at: String,
    pub ok: bool,
    pub error: Option<String>,
    /// What it moved (added to the peer's totals).
    pub traffic: Traffic,
}

const PEER_COLS: &str = "name, public_key, country, url, added_at, applied_seq, applied_hash,
    acked_seq, acked_hash, last_attempt, last_success, last_error, failures, bytes_sent,
    bytes_received, docs_sent, docs_received, bundle_out_seq, bundle_in_seq, changes_sent,
    changes_received";

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
        traffic: Traffic {
            bytes_sent: count_at(r, 13)?,
            bytes_received: count_at(r, 14)?,
            docs_sent: count_at(r, 15)?,
            docs_received: count_at(r, 16)?,
            changes_sent: count_at(r, 19)?,
            changes_received: count_at(r, 20)?,
        },
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
        kind: kind_at(r, 7)?,
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
        dep: r.get(11)?,
    })
}

const Q_COLS: &str = "q.id, q.doc_id, q.kind, q.hash, q.change, q.author, q.proof_id, q.source, q.reason, q.detail, q.received_at, q.dep";

fn anchor_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AnchorRow> {
    Ok(AnchorRow {
        public_key: r.get(0)?,
        country: r.get(1)?,
        name: r.get(2)?,
        added_at: r.get(3)?,
    })
}

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
                kind: kind_at(r, 1).map_err(StoreError::from_sqlite)?,
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

    /// Kept changes of `reason` in document `doc_id`, oldest first.
    pub fn quarantine_of(&self, reason: &str, doc_id: &str) -> Result<Vec<QuarantineRow>> {
        self.rows(
            &format!(
                "SELECT {Q_COLS} FROM quarantine q WHERE q.reason = ?1 AND q.doc_id = ?2 ORDER BY q.id"
            ),
            [reason, doc_id],
            quarantine_row,
        )
    }

    /// Kept changes of `reason`, oldest first, at most `limit`.
    pub fn quarantine_by_reason(&self, reason: &str, limit: usize) -> Result<Vec<QuarantineRow>> {
        self.rows(
            &format!(
                "SELECT {Q_COLS} FROM quarantine q WHERE q.reason = ?1 ORDER BY q.id LIMIT ?2"
            ),
            params![reason, limit as i64],
            quarantine_row,
        )
    }

    /// Kept changes whose author was unknown and is known now (a peer, an
    /// anchor or a roster entry), oldest first, at most `limit`.
    pub fn quarantine_known_authors(&self, limit: usize) -> Result<Vec<QuarantineRow>> {
        self.rows(
            &format!(
                "SELECT {Q_COLS} FROM quarantine q WHERE q.reason = 'unknown_author' AND q.doc_id != ''
                 AND (EXISTS (SELECT 1 FROM peer p WHERE p.public_key = q.author)
                   OR EXISTS (SELECT 1 FROM anchor a WHERE a.public_key = q.author)
                   OR EXISTS (SELECT 1 FROM roster r WHERE r.public_key = q.author))
                 ORDER BY q.id LIMIT ?1"
            ),
            [limit as i64],
            quarantine_row,
        )
    }

    /// True when `w` is wanted from `peer`.
    pub fn is_wanted(&self, peer: &[u8], w: &str) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM sync_want WHERE peer = ?1 AND doc_id = ?2",
                params![peer, w],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// Roster entries vouched for by `voucher`, and in all.
    pub fn roster_counts(&self, voucher: &[u8]) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM roster WHERE voucher = ?1), (SELECT count(*) FROM roster)",
                [voucher],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map(|(a, b)| (u64::try_from(a).unwrap_or(0), u64::try_from(b).unwrap_or(0)))
            .map_err(StoreError::from_sqlite)
    }

    /// True when any document is wanted from `peer` by one of its changes.
    pub fn wants_by_change(&self, peer: &[u8]) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM sync_want WHERE peer = ?1 AND substr(doc_id, 1, 7) = 'change:' LIMIT 1",
                [peer],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// True when `doc_id` is wanted whole from `peer` (from its start, or
    /// the rest after a part).
    pub fn wanted_whole(&self, peer: &[u8], doc_id: &str) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM sync_want WHERE peer = ?1
                 AND (doc_id = ?2 OR substr(doc_id, 1, length(?2) + 7) = 'after:' || ?2 || ':')
                 LIMIT 1",
                params![peer, doc_id],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// Kept changes whose document was not known and whose first
    /// dependency is now in the log, with that document (id, kind).
    pub fn quarantine_resolvable(&self) -> Result<Vec<(QuarantineRow, String, DocKind)>> {
        self.rows(
            &format!(
                "SELECT {Q_COLS}, d.id, d.kind FROM quarantine q
                 JOIN change_log l ON l.hash = q.dep JOIN documents d ON d.id = l.doc_id
                 WHERE q.doc_id = '' AND q.dep != '' ORDER BY q.id"
            ),
            [],
            |r| Ok((quarantine_row(r)?, r.get(12)?, kind_at(r, 13)?)),
        )
    }

    /// Kept changes whose document was not known and whose first
    /// dependency is not named yet (kept by an earlier version).
    pub fn quarantine_without_dep(&self) -> Result<Vec<(i64, Vec<u8>)>> {
        self.rows(
            "SELECT id, change FROM quarantine WHERE doc_id = '' AND dep = ''",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// How many changes from `source` are kept, and their bytes.
    pub fn quarantine_usage(&self, source: &[u8]) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(change)), 0) FROM quarantine WHERE source = ?1",
                [source],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map(|(n, b)| (u64::try_from(n).unwrap_or(0), u64::try_from(b).unwrap_or(0)))
            .map_err(StoreError::from_sqlite)
    }

    /// The newest kept changes, without their bytes, at most `limit`; and
    /// how many are kept in all.
    pub fn quarantine_list(&self, limit: usize) -> Result<(Vec<QuarantineInfo>, u64)> {
        let rows = self.rows(
            "SELECT doc_id, kind, hash, author, source, reason, detail, received_at
             FROM quarantine ORDER BY id DESC LIMIT ?1",
            [limit as i64],
            |r| {
                Ok(QuarantineInfo {
                    doc_id: r.get(0)?,
                    kind: r.get(1)?,
                    hash: r.get(2)?,
                    author: r.get(3)?,
                    source: r.get(4)?,
                    reason: r.get(5)?,
                    detail: r.get(6)?,
                    received_at: r.get(7)?,
                })
            },
        )?;
        let total = self
            .conn
            .query_row("SELECT count(*) FROM quarantine", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(StoreError::from_sqlite)?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// The parts of `doc_id` received from `peer`, in the order they came.
    pub fn parts(&self, peer: &[u8], doc_id: &str) -> Result<Vec<PartRow>> {
        self.rows(
            "SELECT kind, hash, change, proof_id, work FROM sync_part WHERE peer = ?1 AND doc_id = ?2 ORDER BY n",
            params![peer, doc_id],
            |r| {
                Ok(PartRow {
                    kind: r.get(0)?,
                    hash: r.get(1)?,
                    change: r.get(2)?,
                    proof_id: r.get(3)?,
                    work: r.get(4)?,
                })
            },
        )
    }

    /// Work (operations and predecessors) the parts of `doc_id` kept from
    /// `peer` declare together.
    pub fn parts_work(&self, peer: &[u8], doc_id: &str) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(work), 0) FROM sync_part WHERE peer = ?1 AND doc_id = ?2",
                params![peer, doc_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(StoreError::from_sqlite)
    }

    /// Bytes of parts kept from `peer`.
    pub fn parts_usage(&self, peer: &[u8]) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(length(change)), 0) FROM sync_part WHERE peer = ?1",
                [peer],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(StoreError::from_sqlite)
    }

    /// How many documents this node wants whole from `peer`.
    pub fn want_count(&self, peer: &[u8]) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sync_want WHERE peer = ?1",
                [peer],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(StoreError::from_sqlite)
    }

    pub fn anchor_by_key(&self, key: &[u8]) -> Result<Option<AnchorRow>> {
        self.one(
            "SELECT public_key, country, name, added_at FROM anchor WHERE public_key = ?1",
            [key],
            anchor_row,
        )
    }

    pub fn anchors(&self) -> Result<Vec<AnchorRow>> {
        self.rows(
            "SELECT public_key, country, name, added_at FROM anchor ORDER BY country, name",
            [],
            anchor_row,
        )
    }

    /// True when `key` was unpaired here (and not paired again).
    pub fn is_removed(&self, key: &[u8]) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM removed_key WHERE public_key = ?1",
                [key],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// True when a bundle with this signed digest was imported.
    pub fn bundle_seen(&self, digest: &[u8]) -> Result<bool> {
        Ok(self
            .one(
                "SELECT 1 FROM bundle_seen WHERE digest = ?1",
                [digest],
                |_| Ok(()),
            )?
            .is_some())
    }

    /// The log position (sequence) of change `hash` of `doc_id`.
    pub fn seq_of_change(&self, doc_id: &str, hash: &str) -> Result<Option<i64>> {
        self.one(
            "SELECT seq FROM change_log WHERE doc_id = ?1 AND hash = ?2",
            [doc_id, hash],
            |r| r.get(0),
        )
    }

    /// At most `limit` logged changes of one document after position
    /// `after`, in log order (a document sent whole, in parts).
    pub fn log_of_doc_after(&self, doc_id: &str, after: i64, limit: usize) -> Result<Vec<LogRow>> {
        self.rows(
            &format!(
                "SELECT {LOG_COLS} FROM change_log l JOIN documents d ON d.id = l.doc_id
                 WHERE l.doc_id = ?1 AND l.seq > ?2 ORDER BY l.seq LIMIT ?3"
            ),
            params![doc_id, after, limit as i64],
            log_row,
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
    pub fn doc_of_change(&self, hash: &str) -> Result<Option<(String, DocKind)>> {
        self.one(
            "SELECT d.id, d.kind FROM change_log l JOIN documents d ON d.id = l.doc_id
             WHERE l.hash = ?1 LIMIT 1",
            [hash],
            |r| Ok((r.get(0)?, kind_at(r, 1)?)),
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
    pub fn all_doc_ids(&self) -> Result<Vec<(String, DocKind)>> {
        self.rows("SELECT id, kind FROM documents ORDER BY id", [], |r| {
            Ok((r.get(0)?, kind_at(r, 1)?))
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

    /// Forgets a peer, its cursors, what was wanted from it and the
    /// roster entries it vouched for, and remembers its key as removed.
    /// Returns the key, or `None` when no peer has that name.
    pub fn remove_peer(&self, name: &str, at: &str) -> Result<Option<Vec<u8>>> {
        let key: Option<Vec<u8>> = self
            .tx
            .query_row("SELECT public_key FROM peer WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::from_sqlite)?;
        let Some(key) = key else { return Ok(None) };
        self.exec("DELETE FROM sync_want WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM sync_owe WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM sync_part WHERE peer = ?1", [&key])?;
        self.exec("DELETE FROM peer WHERE name = ?1", [name])?;
        self.forget_key(&key, at)?;
        Ok(Some(key))
    }

    /// Keeps a part of document `doc_id` from `peer` (after those kept).
    pub fn put_part(&self, peer: &[u8], doc_id: &str, p: &PartRow) -> Result<()> {
        self.exec(
            "INSERT INTO sync_part (peer, doc_id, kind, n, hash, change, proof_id, work)
             VALUES (?1, ?2, ?3,
                 (SELECT coalesce(max(n), 0) + 1 FROM sync_part WHERE peer = ?1 AND doc_id = ?2),
                 ?4, ?5, ?6, ?7)",
            params![peer, doc_id, p.kind, p.hash, p.change, p.proof_id, p.work],
        )
        .map(|_| ())
    }

    /// Forgets the parts of `doc_id` from `peer` (applied, or given up).
    pub fn drop_parts(&self, peer: &[u8], doc_id: &str) -> Result<()> {
        self.exec(
            "DELETE FROM sync_part WHERE peer = ?1 AND doc_id = ?2",
            params![peer, doc_id],
        )
        .map(|_| ())
    }

    /// Removes an anchor (as [`WriteTx::remove_peer`] does a peer).
    pub fn remove_anchor(&self, name: &str, at: &str) -> Result<Option<Vec<u8>>> {
        let key: Option<Vec<u8>> = self
            .tx
            .query_row(
                "SELECT public_key FROM anchor WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from_sqlite)?;
        let Some(key) = key else { return Ok(None) };
        self.exec("DELETE FROM anchor WHERE public_key = ?1", [&key])?;
        self.forget_key(&key, at)?;
        Ok(Some(key))
    }

    /// Drops the roster entries `key` vouched for (and its own), and
    /// remembers it as removed so no entry brings it back.
    fn forget_key(&self, key: &[u8], at: &str) -> Result<()> {
        self.exec(
            "DELETE FROM roster WHERE voucher = ?1 OR public_key = ?1",
            [key],
        )?;
        self.exec(
            "INSERT INTO removed_key (public_key, removed_at) VALUES (?1, ?2)
             ON CONFLICT(public_key) DO UPDATE SET removed_at = excluded.removed_at",
            params![key, at],
        )
        .map(|_| ())
    }

    /// Trusts `a` as an author of its country (not a peer).
    pub fn put_anchor(&self, a: &AnchorRow) -> Result<()> {
        self.exec(
            "INSERT INTO anchor (public_key, country, name, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![a.public_key, a.country, a.name, a.added_at],
        )?;
        self.exec(
            "DELETE FROM removed_key WHERE public_key = ?1",
            [&a.public_key],
        )
        .map(|_| ())
    }

    /// A key paired (again): no longer removed, no longer only an anchor.
    pub fn paired_again(&self, key: &[u8]) -> Result<()> {
        self.exec("DELETE FROM removed_key WHERE public_key = ?1", [key])?;
        self.exec("DELETE FROM anchor WHERE public_key = ?1", [key])
            .map(|_| ())
    }

    /// Records an imported bundle's digest (a replay is refused by it).
    pub fn put_bundle_seen(&self, digest: &[u8], sender: &[u8], seq: i64, at: &str) -> Result<()> {
        self.exec(
            "INSERT OR IGNORE INTO bundle_seen (digest, sender, seq, imported_at) VALUES (?1, ?2, ?3, ?4)",
            params![digest, sender, seq, at],
        )
        .map(|_| ())
    }

    /// Names the first dependency of a kept change (maintenance).
    pub fn set_quarantine_dep(&self, id: i64, dep: &str) -> Result<()> {
        self.exec(
            "UPDATE quarantine SET dep = ?2 WHERE id = ?1",
            params![id, dep],
        )
        .map(|_| ())
    }

    /// Removes every kept change with this hash (it arrived with a valid
    /// proof and was applied).
    pub fn remove_quarantined_hash(&self, hash: &str) -> Result<()> {
        self.exec("DELETE FROM quarantine WHERE hash = ?1", [hash])
            .map(|_| ())
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
                 docs_sent = docs_sent + ?7, docs_received = docs_received + ?8,
                 changes_sent = changes_sent + ?9, changes_received = changes_received + ?10
             WHERE public_key = ?1",
            params![
                key,
                s.at,
                s.ok,
                s.error,
                count(s.traffic.bytes_sent),
                count(s.traffic.bytes_received),
                count(s.traffic.docs_sent),
                count(s.traffic.docs_received),
                count(s.traffic.changes_sent),
                count(s.traffic.changes_received)
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

    /// Logs a change received from a peer, with its author's key and the
    /// proof that it wrote it (every received change has one: it is
    /// relayed with it). `None` when this change of this document was
    /// already logged.
    pub fn log_received(&self, r: &Received<'_>, at: &str) -> Result<Option<i64>> {
        let Received {
            doc_id,
            hash,
            change,
            author,
            source,
            proof_id,
        } = *r;
        let n = self.exec(
            "INSERT INTO change_log (doc_id, hash, change, author, source, proof_id, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(doc_id, hash) DO NOTHING",
            params![doc_id, hash, change, author, source, proof_id, at],
        )?;
        Ok((n == 1).then(|| self.tx.last_insert_rowid()))
    }

    /// Keeps a change that was not merged. Once per change: kept again,
    /// its reason is updated and a proof it now comes with replaces none —
    /// but a copy without a proof (a peer resending it bare) never changes
    /// a row kept with one.
    pub fn put_quarantine(&self, q: &QuarantineRow) -> Result<()> {
        self.exec(
            "INSERT INTO quarantine (doc_id, kind, hash, change, author, proof_id, source, reason, detail, received_at, dep)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(doc_id, hash) DO UPDATE SET
                 reason = CASE WHEN excluded.proof_id IS NULL AND quarantine.proof_id IS NOT NULL
                     THEN quarantine.reason ELSE excluded.reason END,
                 detail = CASE WHEN excluded.proof_id IS NULL AND quarantine.proof_id IS NOT NULL
                     THEN quarantine.detail ELSE excluded.detail END,
                 proof_id = coalesce(excluded.proof_id, quarantine.proof_id)",
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
                q.received_at,
                q.dep
            ],
        )
        .map(|_| ())
    }

    /// Names the document of a kept change whose document was not known.
    pub fn resolve_quarantine(&self, id: i64, doc_id: &str, kind: DocKind) -> Result<()> {
        self.exec(
            "UPDATE OR REPLACE quarantine SET doc_id = ?2, kind = ?3 WHERE id = ?1",
            params![id, doc_id, kind.name()],
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

    /// Forgets every want of `peer` that starts with `prefix`.
    pub fn unwant_prefix(&self, peer: &[u8], prefix: &str) -> Result<()> {
        self.exec(
            "DELETE FROM sync_want WHERE peer = ?1 AND substr(doc_id, 1, length(?2)) = ?2",
            params![peer, prefix],
        )
        .map(|_| ())
    }

    /// Forgets a kept change whose document was never known here (the
    /// caller checks that it was asked for by it, from this peer).
    pub fn forget_unplaced(&self, hash: &str) -> Result<()> {
        self.exec(
            "DELETE FROM quarantine WHERE hash = ?1 AND doc_id = ''",
            [hash],
        )
        .map(|_| ())
    }

    /// Forgets the kept changes of a document this node may not hold.
    pub fn forget_quarantined_doc(&self, doc_id: &str) -> Result<()> {
        self.exec("DELETE FROM quarantine WHERE doc_id = ?1", [doc_id])
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
                d.kind.name(),
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
