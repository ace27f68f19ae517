//! Reading and writing inside a transaction: the rows of documents and
//! of the node, and the writes every use case makes (documents, the change
//! log, references, the case index, drafts, maintenance, the audit log).

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use enlace_domain::DocKind;

use crate::{Result, StoreError};

/// One case's derived rows: the list columns, the countries it touches and
/// the folded text the full-text index searches.
#[derive(Debug, Clone, Default)]
pub struct CaseIndexRow {
    pub doc_id: String,
    pub reference: String,
    pub title: String,
    pub title_sort: String,
    pub status: String,
    pub classification: String,
    pub owner_country: String,
    pub opened: String,
    pub updated_at: String,
    pub warnings: i64,
    pub demo: bool,
    /// (country, role) pairs: route roles and `owner`.
    pub countries: Vec<(String, String)>,
    /// (kind, value) pairs: `act`, `means`, `purpose` and their wire names.
    pub tags: Vec<(String, String)>,
    pub search_text: String,
    /// The persons' names, aliases and document numbers (searched only for
    /// officials who may see identities).
    pub search_names: String,
    /// The handling codes its information items carry (`H1,H2`).
    pub handling: String,
    /// Ids of the person documents the case points at.
    pub persons: Vec<String>,
    /// The case's victims as statistical records (JSON); None: statistics
    /// read the document.
    pub victims: Option<String>,
}

/// One victim's risk assessments as the lists read them
/// ([`WriteTx::index_risk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskIndexRow {
    pub case_id: String,
    pub pseudonym: String,
    pub person_id: String,
    /// The current assessments' levels, gravest first, comma separated.
    pub levels: String,
    /// The earliest review the current assessments are due for.
    pub next_review: String,
    pub concurrent: bool,
    pub demo: bool,
}

/// The node's identity row.
#[derive(Debug, Clone)]
pub struct NodeRow {
    pub node_id: String,
    pub country: String,
    pub name: String,
    pub public_key: Vec<u8>,
    pub secret_key: Zeroizing<Vec<u8>>,
    pub created_at: String,
    /// Its place in its country (`hub`, `office`, `border_post`, `ngo`).
    pub role: String,
}

/// A document row.
#[derive(Debug, Clone)]
pub struct DocRow {
    pub id: String,
    pub kind: DocKind,
    pub owner_country: String,
    pub owner_node: String,
    pub audience: String,
    pub bytes: Vec<u8>,
    pub heads: String,
    pub updated_at: String,
    /// Demonstration data: never synced.
    pub local_only: bool,
    /// The nodes besides its owner's that a national document reaches
    /// where need-to-know applies (full keys, hex).
    pub reach: Vec<String>,
    /// The countries a person document's standing grants let it reach,
    /// each with its last day: `HN:2027-01-31`.
    pub grants: Vec<String>,
}

/// Reads, inside or outside a transaction.
pub struct Read<'c> {
    pub(crate) conn: &'c Connection,
}

/// Writes, inside one transaction.
pub struct WriteTx<'t> {
    pub(crate) tx: &'t rusqlite::Transaction<'t>,
}

impl WriteTx<'_> {
    /// Runs a statement, prepared once per connection (writes repeat the
    /// same few statements many times: sync applies thousands a page).
    pub(crate) fn run(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(p)
    }

    /// Reads within this transaction.
    pub fn read(&self) -> Read<'_> {
        Read { conn: self.tx }
    }

    pub fn put_node(&self, n: &NodeRow) -> Result<()> {
        self.run(
            "INSERT INTO node (id, node_id, country, name, public_key, secret_key, created_at, role)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                n.node_id,
                n.country,
                n.name,
                n.public_key,
                n.secret_key.as_slice(),
                n.created_at,
                n.role
            ],
        )
        .map_err(StoreError::from_sqlite)?;
        Ok(())
    }

    /// Sets this node's place in its country.
    pub fn set_node_role(&self, role: &str) -> Result<()> {
        self.run("UPDATE node SET role = ?1 WHERE id = 1", [role])
            .map_err(StoreError::from_sqlite)?;
        Ok(())
    }

    /// Inserts or replaces a document's bytes, heads and metadata.
    pub fn put_doc(&self, d: &DocRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO documents (id, kind, owner_country, owner_node, audience, bytes, heads, created_at, updated_at, local_only, reach, grants)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)
                 ON CONFLICT(id) DO UPDATE SET audience = excluded.audience, bytes = excluded.bytes,
                     heads = excluded.heads, updated_at = excluded.updated_at, reach = excluded.reach,
                     grants = excluded.grants",
            )
            .and_then(|mut st| {
                st.execute(params![
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
                ])
            })
            .map_err(StoreError::from_sqlite)?;
        Ok(())
    }

    /// Appends a change written by this node (`author`, its key) to the
    /// change log; returns its sequence number, or `None` when this change
    /// of this document was already stored.
    pub fn log_change(
        &self,
        doc_id: &str,
        hash: &str,
        change: &[u8],
        signature: Option<&[u8]>,
        author: &[u8],
        at: &str,
    ) -> Result<Option<i64>> {
        let n = self
            .tx
            .execute(
                "INSERT INTO change_log (doc_id, hash, change, signature, author, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(doc_id, hash) DO NOTHING",
                params![doc_id, hash, change, signature, author, at],
            )
            .map_err(StoreError::from_sqlite)?;
        Ok((n == 1).then(|| self.tx.last_insert_rowid()))
    }

    /// Allocates the next case reference sequence for `country` and `year`
    /// in this node's series (`series` is the prefix its references share,
    /// `GT-K7M3Q-2026-`): one more than both the counter and the highest
    /// sequence of the series this node holds, so a node restored from an
    /// old backup, once it has received its own later cases, does not issue
    /// their references again. Part of the caller's transaction, so a
    /// reference is never handed out twice, even if the process dies.
    pub fn next_reference(&self, country: &str, year: i32, series: &str) -> Result<u32> {
        let held = self.read().highest_in_series(series)?;
        let last: i64 = self
            .tx
            .query_row(
                "INSERT INTO reference_counters (country, year, last) VALUES (?1, ?2, ?3 + 1)
                 ON CONFLICT(country, year) DO UPDATE SET last = max(last, ?3) + 1
                 RETURNING last",
                params![country, year, held],
                |r| r.get(0),
            )
            .map_err(StoreError::from_sqlite)?;
        u32::try_from(last).map_err(|_| StoreError::Corrupt("reference counter overflow".into()))
    }

    /// Replaces the derived index rows of one case.
    pub fn index_case(&self, row: &CaseIndexRow) -> Result<()> {
        self.index_case_rows(row, false)
    }

    /// The derived index rows of a case the index does not hold yet (one
    /// just received): nothing to remove first.
    pub fn index_new_case(&self, row: &CaseIndexRow) -> Result<()> {
        self.index_case_rows(row, true)
    }

    fn index_case_rows(&self, row: &CaseIndexRow, new: bool) -> Result<()> {
        let tx = self.tx;
        let sql = |e| StoreError::from_sqlite(e);
        if !new {
            self.run("DELETE FROM case_country WHERE doc_id = ?1", [&row.doc_id])
                .map_err(sql)?;
            self.run("DELETE FROM case_tag WHERE doc_id = ?1", [&row.doc_id])
                .map_err(sql)?;
            self.run("DELETE FROM person_link WHERE case_id = ?1", [&row.doc_id])
                .map_err(sql)?;
        }
        let mut link = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO person_link (person_id, case_id) VALUES (?1, ?2)",
            )
            .map_err(sql)?;
        for p in &row.persons {
            link.execute(params![p, row.doc_id]).map_err(sql)?;
        }

        self.run(
            "INSERT INTO case_index (doc_id, reference, title, title_sort, status, classification,
                 owner_country, opened, updated_at, warnings, demo, victims, handling)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT(doc_id) DO UPDATE SET reference = excluded.reference, title = excluded.title,
                 title_sort = excluded.title_sort, status = excluded.status,
                 classification = excluded.classification, owner_country = excluded.owner_country,
                 opened = excluded.opened, updated_at = excluded.updated_at,
                 warnings = excluded.warnings, demo = excluded.demo,
                 victims = excluded.victims, handling = excluded.handling",
            params![
                row.doc_id,
                row.reference,
                row.title,
                row.title_sort,
                row.status,
                row.classification,
                row.owner_country,
                row.opened,
                row.updated_at,
                row.warnings,
                row.demo,
                row.victims,
                row.handling
            ],
        )
        .map_err(sql)?;
        let mut ins = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO case_country (doc_id, country, role) VALUES (?1, ?2, ?3)",
            )
            .map_err(sql)?;
        for (c, role) in &row.countries {
            ins.execute(params![row.doc_id, c, role]).map_err(sql)?;
        }
        let mut tag = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO case_tag (doc_id, kind, value) VALUES (?1, ?2, ?3)",
            )
            .map_err(sql)?;
        for (kind, value) in &row.tags {
            tag.execute(params![row.doc_id, kind, value]).map_err(sql)?;
        }
        let rowid: i64 = tx
            .prepare_cached("SELECT rowid FROM case_index WHERE doc_id = ?1")
            .and_then(|mut st| st.query_row([&row.doc_id], |r| r.get(0)))
            .map_err(sql)?;
        if !new {
            self.run("DELETE FROM case_fts WHERE rowid = ?1", [rowid])
                .map_err(sql)?;
        }
        self.run(
            "INSERT INTO case_fts (rowid, body, names) VALUES (?1, ?2, ?3)",
            params![rowid, row.search_text, row.search_names],
        )
        .map_err(sql)?;
        Ok(())
    }

    /// Drops every derived row (before a full reindex).
    pub fn clear_indexes(&self) -> Result<()> {
        self.tx
            .execute_batch(
                "DELETE FROM case_country; DELETE FROM case_tag; DELETE FROM case_fts;
                 DELETE FROM person_link; DELETE FROM case_index; DELETE FROM risk_index;",
            )
            .map_err(StoreError::from_sqlite)
    }

    /// Puts the merged state of one victim's risk assessments on each of
    /// that victim's documents (`docs`), replacing what they held.
    pub fn index_risk(&self, docs: &[String], row: &RiskIndexRow) -> Result<()> {
        for d in docs {
            self.run(
                "INSERT INTO risk_index (doc_id, case_id, pseudonym, person_id, levels,
                     next_review, concurrent, demo)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(doc_id) DO UPDATE SET case_id = excluded.case_id,
                     pseudonym = excluded.pseudonym, person_id = excluded.person_id,
                     levels = excluded.levels, next_review = excluded.next_review,
                     concurrent = excluded.concurrent, demo = excluded.demo",
                params![
                    d,
                    row.case_id,
                    row.pseudonym,
                    row.person_id,
                    row.levels,
                    row.next_review,
                    row.concurrent,
                    row.demo
                ],
            )
            .map_err(StoreError::from_sqlite)?;
        }
        Ok(())
    }

    /// Asks for a maintenance task on the next open (as a migration does).
    pub fn schedule_maintenance(&self, task: &str) -> Result<()> {
        self.run(
            "INSERT OR IGNORE INTO maintenance (task) VALUES (?1)",
            [task],
        )
        .map(|_| ())
        .map_err(StoreError::from_sqlite)
    }

    /// Keeps what a form holds that could not be saved yet (migration 0004).
    pub fn put_draft(&self, key: &str, body: &str, at: &str) -> Result<()> {
        self.run(
                "INSERT INTO draft (key, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![key, body, at],
            )
            .map(|_| ())
            .map_err(StoreError::from_sqlite)
    }

    /// Gives every draft kept before officials existed to the official
    /// `id` (the administrator they become).
    pub fn adopt_drafts(&self, id: &str) -> Result<()> {
        self.run("UPDATE draft SET key = ?1 || ':' || key", [id])
            .map(|_| ())
            .map_err(StoreError::from_sqlite)
    }

    /// Forgets a draft (saved or discarded).
    pub fn delete_draft(&self, key: &str) -> Result<()> {
        self.run("DELETE FROM draft WHERE key = ?1", [key])
            .map(|_| ())
            .map_err(StoreError::from_sqlite)
    }

    /// Marks a maintenance task (see migration 0003) done.
    pub fn maintenance_done(&self, task: &str) -> Result<()> {
        self.run("DELETE FROM maintenance WHERE task = ?1", [task])
            .map(|_| ())
            .map_err(StoreError::from_sqlite)
    }

    /// Appends to the hash-chained audit log.
    pub fn audit(
        &self,
        at: &str,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<()> {
        let prev: String = self
            .tx
            .query_row(
                "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from_sqlite)?
            .unwrap_or_default();
        let hash = audit_hash(&prev, at, actor, action, subject, detail);
        self.run(
                "INSERT INTO audit_log (at, actor, action, subject, detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![at, actor, action, subject, detail, prev, hash],
            )
            .map_err(StoreError::from_sqlite)?;
        Ok(())
    }
}

/// The hash of one audit-log entry, chained to the one before it (`prev`,
/// empty for the first): SHA-256 over each part, length first.
pub fn audit_hash(
    prev: &str,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [prev, at, actor, action, subject, detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}
