//! The change log as sync reads and writes it, proofs, and documents
//! by their changes.

use rusqlite::{OptionalExtension, params};

use super::*;

impl Read<'_> {
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
                 bytes = ?6, heads = ?7, updated_at = ?8, local_only = ?9, reach = ?10, grants = ?11
             WHERE id = ?1",
            params![
                d.id,
                d.kind.name(),
                d.owner_country,
                d.owner_node,
                d.audience,
                d.bytes,
                d.heads,
                d.updated_at,
                d.local_only,
                d.reach.join(","),
                d.grants.join(",")
            ],
        )
        .map(|_| ())
    }
}
