//! What is kept for later: the quarantine, documents wanted whole (and
//! owed), parts of documents too large for a page.

use rusqlite::params;

use super::*;

impl Read<'_> {
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
                   OR EXISTS (SELECT 1 FROM roster r WHERE r.public_key = q.author)
                   OR EXISTS (SELECT 1 FROM revocation v WHERE v.public_key = q.author AND v.applied = 1))
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
}

impl WriteTx<'_> {
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
}
