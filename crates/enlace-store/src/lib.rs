//! The only crate that speaks SQL.
//!
//! An encrypted SQLite database (SQLCipher) in a data directory:
//! `enlace.db` (+ WAL files) and `enlace.key.json`, the Argon2id salt and
//! parameters from which the database key is derived from the passphrase.
//! It holds the documents (automerge bytes and heads — the truth), the
//! change log (a monotonically increasing sequence per stored change, which
//! sync builds on), the derived index tables and FTS5 index (a cache that
//! `reindex` rebuilds), reference counters, and the hash-chained audit log.
//!
//! Every write runs in one `BEGIN IMMEDIATE` transaction ([`Store::write`]):
//! it commits whole or not at all. The database is opened one way
//! everywhere: WAL, `synchronous=FULL`, foreign keys on, busy timeout, a
//! fixed 64 MiB page cache (decrypted pages; bounded, whatever the size of
//! the database).
//!
//! Not here: automerge, domain rules, the network.
#![forbid(unsafe_code)]

mod error;
mod kdf;
mod queries;
mod sync;

use std::path::{Path, PathBuf};
use std::time::Duration;

use enlace_domain::DocKind;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use zeroize::Zeroizing;

pub use error::StoreError;
pub use kdf::{Derived, KeyFile};
pub use queries::*;
pub use sync::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "enlace.db";
/// The key-derivation parameters' file name.
pub const KEY_FILE: &str = "enlace.key.json";

/// The numbered migrations, in order. Never edit one once shipped.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_document_kinds.sql")).foreign_key_check(),
        M::up(include_str!("../migrations/0003_case_filters.sql")),
        M::up(include_str!("../migrations/0004_drafts.sql")),
        M::up(include_str!("../migrations/0005_sync.sql")),
        M::up(include_str!("../migrations/0006_sync_trust.sql")),
        M::up(include_str!("../migrations/0007_peer_changes.sql")),
    ])
}

/// The open, unlocked database.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    /// The database key, kept to open a second connection (sync works on
    /// its own connection beside the application's).
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Removes a database's files from `dir` (after a failed creation). Other
/// files in the folder are left alone.
pub fn discard(dir: &Path) {
    for f in [DB_FILE, "enlace.db-wal", "enlace.db-shm", KEY_FILE] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}

/// True when `dir` holds a database.
pub fn exists(dir: &Path) -> bool {
    dir.join(DB_FILE).exists()
}

/// Files of a data directory that only its owner may read.
const PRIVATE_FILES: &[&str] = &[
    DB_FILE,
    "enlace.db-wal",
    "enlace.db-shm",
    KEY_FILE,
    "preferences.json",
];

/// Creates (or truncates) `path` for writing, readable and writable by
/// its owner only (0600 on Unix): exports, bundles, the key file.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    // A file that existed keeps its mode through `open`: set it.
    set_mode(path, 0o600)?;
    Ok(f)
}

/// Creates `dir` (and its parents) when missing and makes it its owner's
/// only (0700 on Unix): the data folder, the exports folder.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)?;
    if meta.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Makes the data directory its owner's only (0700) and its files 0600,
/// creating the directory when missing. Run at every open, so a folder
/// made by an older version (0755/0644) is closed too.
pub fn make_private(dir: &Path) -> Result<()> {
    private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    for f in PRIVATE_FILES {
        let p = dir.join(f);
        if p.exists() {
            set_mode(&p, 0o600).map_err(|e| StoreError::io(&p, e))?;
        }
    }
    Ok(())
}

fn configure(conn: &Connection, key: &[u8; 32]) -> Result<()> {
    let hex = Zeroizing::new(hex::encode(key));
    // SQLCipher would log a wrong key to stderr itself; we report it instead.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex.as_str()))
        .map_err(StoreError::from_sqlite)?;
    // SQLCipher reports a wrong key on the first read, not on PRAGMA key.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(StoreError::WrongPassphrase);
        }
        Err(e) => return Err(StoreError::from_sqlite(e)),
    }
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(StoreError::from_sqlite)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;",
    )
    .map_err(StoreError::from_sqlite)?;
    Ok(())
}

impl Store {
    /// Creates a new database in `dir` (created if missing). Refuses when a
    /// database exists there. On failure nothing is left behind.
    pub fn create(dir: &Path, passphrase: &str) -> Result<Store> {
        if exists(dir) {
            return Err(StoreError::AlreadyInitialised(dir.to_owned()));
        }
        make_private(dir)?;
        let mut keyfile = KeyFile::generate();
        let key = match keyfile.derive(passphrase)? {
            Derived::Checked(k) | Derived::Unchecked(k) => k,
        };
        keyfile.seal(&key);
        let result = keyfile
            .write(&dir.join(KEY_FILE))
            .and_then(|()| {
                // SQLite gives the WAL files the database file's mode.
                let db = dir.join(DB_FILE);
                private_file(&db).map_err(|e| StoreError::io(&db, e))?;
                Self::connect(dir, &key, true)
            })
            .and_then(|s| make_private(dir).map(|()| s));
        if result.is_err() {
            discard(dir);
        }
        result
    }

    /// Opens the database in `dir` with `passphrase`. A wrong passphrase
    /// fails with [`StoreError::WrongPassphrase`] and changes no file; a
    /// damaged key file or database says so, and what to do.
    pub fn open(dir: &Path, passphrase: &str) -> Result<Store> {
        if !exists(dir) {
            return Err(StoreError::NotInitialised(dir.to_owned()));
        }
        make_private(dir)?;
        let path = dir.join(KEY_FILE);
        let mut keyfile = KeyFile::read(&path)?;
        match keyfile.derive(passphrase)? {
            Derived::Checked(key) => Self::connect(dir, &key, false).map_err(|e| match e {
                // The key is the right one: the database is what is damaged.
                StoreError::WrongPassphrase => StoreError::Corrupt(
                    "its first page cannot be read although the passphrase is right".into(),
                ),
                other => other,
            }),
            Derived::Unchecked(key) => {
                let store = Self::connect(dir, &key, false)?;
                // An older key file: it gets its check value now.
                keyfile.seal(&key);
                keyfile.write(&path)?;
                Ok(store)
            }
        }
    }

    /// Opens (or creates) the file, unlocks it, configures the connection
    /// and brings the schema up to date: the one way a database is opened.
    fn connect(dir: &Path, key: &[u8; 32], create: bool) -> Result<Store> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(dir.join(DB_FILE), flags)
            .map_err(|e| StoreError::from_open(dir, e))?;
        configure(&conn, key)?;
        // Migrations run with foreign keys off (a table rebuild needs it);
        // each one that rebuilds checks them before it commits.
        migrations()
            .to_latest(&mut conn)
            .map_err(StoreError::migration)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(StoreError::from_sqlite)?;
        Ok(Store {
            conn,
            dir: dir.to_owned(),
            key: Zeroizing::new(*key),
        })
    }

    /// Another connection to the same database (no passphrase needed: the
    /// key is already derived). SQLite serialises the writers.
    pub fn reopen(&self) -> Result<Store> {
        Self::connect(&self.dir, &self.key, false)
    }

    /// For a connection that only applies sync pages: transactions are not
    /// flushed to disk one by one (`synchronous = NORMAL`; still flushed at
    /// every checkpoint). A page, its documents and the position it moves
    /// to are one transaction, so one lost in a power cut is lost whole and
    /// simply fetched again; nothing acknowledged to a person is written
    /// through this connection.
    pub fn for_sync(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL;")
            .map_err(StoreError::from_sqlite)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `f` in one immediate transaction: all of it commits, or none.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&WriteTx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from_sqlite)?;
        let out = f(&WriteTx { tx: &tx })?;
        tx.commit().map_err(StoreError::from_sqlite)?;
        Ok(out)
    }

    /// Read access.
    pub fn read(&self) -> Read<'_> {
        Read { conn: &self.conn }
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(StoreError::from_sqlite)?;
        Ok(r == "ok")
    }

    /// The SQLCipher version in use.
    pub fn cipher_version(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .map_err(StoreError::from_sqlite)
    }
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
}

/// Reads, inside or outside a transaction.
pub struct Read<'c> {
    conn: &'c Connection,
}

/// Writes, inside one transaction.
pub struct WriteTx<'t> {
    tx: &'t rusqlite::Transaction<'t>,
}

impl WriteTx<'_> {
    /// Runs a statement, prepared once per connection (writes repeat the
    /// same few statements many times: sync applies thousands a page).
    fn run(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(p)
    }

    /// Reads within this transaction.
    pub fn read(&self) -> Read<'_> {
        Read { conn: self.tx }
    }

    pub fn put_node(&self, n: &NodeRow) -> Result<()> {
        self.run(
            "INSERT INTO node (id, node_id, country, name, public_key, secret_key, created_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                n.node_id,
                n.country,
                n.name,
                n.public_key,
                n.secret_key.as_slice(),
                n.created_at
            ],
        )
        .map_err(StoreError::from_sqlite)?;
        Ok(())
    }

    /// Inserts or replaces a document's bytes, heads and metadata.
    pub fn put_doc(&self, d: &DocRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO documents (id, kind, owner_country, owner_node, audience, bytes, heads, created_at, updated_at, local_only)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
                 ON CONFLICT(id) DO UPDATE SET audience = excluded.audience, bytes = excluded.bytes,
                     heads = excluded.heads, updated_at = excluded.updated_at",
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
                    d.local_only
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
    /// on this node. Part of the caller's transaction, so a reference is
    /// never handed out twice, even if the process dies.
    pub fn next_reference(&self, country: &str, year: i32) -> Result<u32> {
        let last: i64 = self
            .tx
            .query_row(
                "INSERT INTO reference_counters (country, year, last) VALUES (?1, ?2, 1)
                 ON CONFLICT(country, year) DO UPDATE SET last = last + 1
                 RETURNING last",
                params![country, year],
                |r| r.get(0),
            )
            .map_err(StoreError::from_sqlite)?;
        u32::try_from(last).map_err(|_| StoreError::Corrupt("reference counter overflow".into()))
    }

    /// Makes the counter at least `seq` (after importing a case whose
    /// reference was allocated elsewhere on this node).
    pub fn bump_reference(&self, country: &str, year: i32, seq: u32) -> Result<()> {
        self.run(
            "INSERT INTO reference_counters (country, year, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT(country, year) DO UPDATE SET last = max(last, excluded.last)",
            params![country, year, seq],
        )
        .map_err(StoreError::from_sqlite)?;
        Ok(())
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
                 owner_country, opened, updated_at, warnings, demo)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(doc_id) DO UPDATE SET reference = excluded.reference, title = excluded.title,
                 title_sort = excluded.title_sort, status = excluded.status,
                 classification = excluded.classification, owner_country = excluded.owner_country,
                 opened = excluded.opened, updated_at = excluded.updated_at,
                 warnings = excluded.warnings, demo = excluded.demo",
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
                row.demo
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
            "INSERT INTO case_fts (rowid, body) VALUES (?1, ?2)",
            params![rowid, row.search_text],
        )
        .map_err(sql)?;
        Ok(())
    }

    /// Drops every derived row (before a full reindex).
    pub fn clear_indexes(&self) -> Result<()> {
        self.tx
            .execute_batch(
                "DELETE FROM case_country; DELETE FROM case_tag; DELETE FROM case_fts;
                 DELETE FROM person_link; DELETE FROM case_index;",
            )
            .map_err(StoreError::from_sqlite)
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
        use sha2::{Digest, Sha256};
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
        let mut h = Sha256::new();
        for part in [prev.as_str(), at, actor, action, subject, detail] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        let hash = hex::encode(h.finalize());
        self.run(
                "INSERT INTO audit_log (at, actor, action, subject, detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![at, actor, action, subject, detail, prev, hash],
            )
            .map_err(StoreError::from_sqlite)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
