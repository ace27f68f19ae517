//! Opening the encrypted database: creation, the key from the
//! passphrase, the connection's settings, migrations, and the one way to
//! write (a transaction).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use zeroize::Zeroizing;

use crate::files::{DB_FILE, KEY_FILE, make_private, private_file};
use crate::kdf::Derived;
use crate::keyring::{self, AnyKeyFile, DEFAULT_ADMIN, Keyring, OfficialKey, Unlocked};
use crate::tx::{Read, WriteTx};
use crate::{Result, StoreError};

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
        M::up(include_str!("../migrations/0008_revocation.sql")),
        M::up(include_str!("../migrations/0009_datasets.sql")),
        M::up(include_str!("../migrations/0010_case_victims.sql")),
        M::up(include_str!("../migrations/0011_officials.sql")),
        M::up(include_str!("../migrations/0012_need_to_know.sql")),
        M::up(include_str!("../migrations/0013_risk.sql")),
    ])
}

/// The open, unlocked database.
pub struct Store {
    pub(crate) conn: Connection,
    dir: PathBuf,
    /// The database key, kept to open a second connection (sync works on
    /// its own connection beside the application's).
    key: Zeroizing<[u8; 32]>,
    /// Transactions this connection committed.
    writes: std::cell::Cell<u64>,
    /// Who unlocked it.
    official: Unlocked,
    /// The check of the key-file entry that unlocked it (compared with the
    /// database's `official.key_check` at login).
    check: String,
    /// Failed logins under that name since its last success (Unix
    /// seconds), for the caller's audit log.
    failed_logins: Vec<i64>,
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
    for f in [
        DB_FILE,
        "enlace.db-wal",
        "enlace.db-shm",
        KEY_FILE,
        keyring::LOGINS_FILE,
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}

/// True when `dir` holds a database.
pub fn exists(dir: &Path) -> bool {
    dir.join(DB_FILE).exists()
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
    /// Creates a new database in `dir` (created if missing), its first
    /// official named [`DEFAULT_ADMIN`]. Refuses when a database exists
    /// there. On failure nothing is left behind.
    pub fn create(dir: &Path, passphrase: &str) -> Result<Store> {
        Self::create_for(dir, DEFAULT_ADMIN, passphrase)
    }

    /// Creates a new database in `dir`, its key random and wrapped for its
    /// first official, `name` (the node's administrator).
    pub fn create_for(dir: &Path, name: &str, passphrase: &str) -> Result<Store> {
        if exists(dir) {
            return Err(StoreError::AlreadyInitialised(dir.to_owned()));
        }
        make_private(dir)?;
        let key = keyring::new_database_key();
        let id = keyring::new_id();
        let mut check = String::new();
        let result = OfficialKey::wrap(&id, name, true, passphrase, &key)
            .and_then(|(entry, c)| {
                check = c;
                Keyring::new(vec![entry]).write(&dir.join(KEY_FILE))
            })
            .and_then(|()| {
                // SQLite gives the WAL files the database file's mode.
                let db = dir.join(DB_FILE);
                private_file(&db).map_err(|e| StoreError::io(&db, e))?;
                Self::connect(
                    dir,
                    &key,
                    true,
                    Unlocked {
                        id: id.clone(),
                        name: name.trim().to_owned(),
                        first: true,
                    },
                )
            })
            .and_then(|s| make_private(dir).map(|()| s))
            .map(|mut s| {
                s.check = check;
                s
            });
        if result.is_err() {
            discard(dir);
        }
        result
    }

    /// Opens the database in `dir` as the official made at creation.
    pub fn open(dir: &Path, passphrase: &str) -> Result<Store> {
        Self::open_as(dir, None, passphrase)
    }

    /// Opens the database in `dir` as the official `name` (`None`: the one
    /// made at creation). A wrong passphrase fails with
    /// [`StoreError::WrongPassphrase`] and changes no file but the count
    /// of failed logins; after [`keyring::FREE_ATTEMPTS`] failures in a
    /// row attempts wait ([`StoreError::TooManyAttempts`]). A damaged key
    /// file or database says so, and what to do.
    pub fn open_as(dir: &Path, name: Option<&str>, passphrase: &str) -> Result<Store> {
        if !exists(dir) {
            return Err(StoreError::NotInitialised(dir.to_owned()));
        }
        make_private(dir)?;
        let path = dir.join(KEY_FILE);
        let now = chrono::Utc::now().timestamp();
        match keyring::read_any(&path)? {
            AnyKeyFile::Ring(ring) => {
                let entry = ring.entry(name)?;
                keyring::check_throttle(dir, &entry.name, now)?;
                let (key, check) = match entry.unwrap_checked(passphrase) {
                    Err(StoreError::WrongPassphrase) => {
                        keyring::record_failure(dir, &entry.name, now)?;
                        return Err(StoreError::WrongPassphrase);
                    }
                    other => other?,
                };
                let who = Unlocked {
                    id: entry.id.clone(),
                    name: entry.name.clone(),
                    first: entry.first,
                };
                let mut store = Self::connect(dir, &key, false, who).map_err(|e| match e {
                    // The key is the right one: the database is what is damaged.
                    StoreError::WrongPassphrase => StoreError::Corrupt(
                        "its first page cannot be read although the passphrase is right".into(),
                    ),
                    other => other,
                })?;
                store.failed_logins = keyring::failures(dir, &entry.name);
                store.check = check;
                Ok(store)
            }
            AnyKeyFile::Legacy(keyfile) => {
                // Before officials: one passphrase, the administrator's.
                if let Some(n) = name
                    && keyring::name_key(n) != keyring::name_key(DEFAULT_ADMIN)
                {
                    return Err(StoreError::UnknownOfficial(n.trim().to_owned()));
                }
                keyring::check_throttle(dir, DEFAULT_ADMIN, now)?;
                let derived = match keyfile.derive(passphrase) {
                    Err(StoreError::WrongPassphrase) => {
                        keyring::record_failure(dir, DEFAULT_ADMIN, now)?;
                        return Err(StoreError::WrongPassphrase);
                    }
                    other => other?,
                };
                let who = Unlocked {
                    id: String::new(),
                    name: DEFAULT_ADMIN.to_owned(),
                    first: true,
                };
                let (key, mut store) = match derived {
                    Derived::Checked(key) => {
                        let s = Self::connect(dir, &key, false, who).map_err(|e| match e {
                            StoreError::WrongPassphrase => StoreError::Corrupt(
                                "its first page cannot be read although the passphrase is right"
                                    .into(),
                            ),
                            other => other,
                        })?;
                        (key, s)
                    }
                    Derived::Unchecked(key) => match Self::connect(dir, &key, false, who) {
                        Ok(s) => (key, s),
                        Err(StoreError::WrongPassphrase) => {
                            keyring::record_failure(dir, DEFAULT_ADMIN, now)?;
                            return Err(StoreError::WrongPassphrase);
                        }
                        Err(e) => return Err(e),
                    },
                };
                store.official.id = keyring::legacy_admin_id(&key);
                // The file becomes a keyring wrapping the same key: nothing
                // is re-encrypted. The administrator's identity comes from
                // the key, so every upgrade of this database agrees on it.
                let (entry, check) = OfficialKey::wrap_salted(
                    &store.official.id,
                    DEFAULT_ADMIN,
                    true,
                    passphrase,
                    &key,
                    Some(keyring::legacy_admin_salt(&key)),
                )?;
                store.with_key_lock(|| Keyring::new(vec![entry]).write(&path))?;
                store.check = check;
                store.failed_logins = keyring::failures(dir, DEFAULT_ADMIN);
                Ok(store)
            }
        }
    }

    /// Opens (or creates) the file, unlocks it, configures the connection
    /// and brings the schema up to date: the one way a database is opened.
    fn connect(dir: &Path, key: &[u8; 32], create: bool, official: Unlocked) -> Result<Store> {
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
            writes: std::cell::Cell::new(0),
            official,
            check: String::new(),
            failed_logins: vec![],
        })
    }

    /// Another connection to the same database (no passphrase needed: the
    /// key is already derived). SQLite serialises the writers.
    pub fn reopen(&self) -> Result<Store> {
        Self::connect(&self.dir, &self.key, false, self.official.clone())
    }

    /// Who unlocked the database.
    pub fn official(&self) -> &Unlocked {
        &self.official
    }

    /// The check of the key-file entry that unlocked the database (see
    /// `official.key_check`).
    pub fn official_check(&self) -> &str {
        &self.check
    }

    /// Runs `f` (a change of the key file) holding the database's write
    /// lock, so two processes changing the key file at once take turns
    /// instead of losing each other's entries.
    fn with_key_lock<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE;")
            .map_err(StoreError::from_sqlite)?;
        let out = f();
        let end = self
            .conn
            .execute_batch(if out.is_ok() { "COMMIT;" } else { "ROLLBACK;" });
        match (out, end) {
            (Ok(v), Ok(())) => Ok(v),
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(StoreError::from_sqlite(e)),
        }
    }

    /// The failed logins (Unix seconds) under this official's name before
    /// this unlock (for the audit log).
    pub fn failed_logins(&self) -> &[i64] {
        &self.failed_logins
    }

    /// Forgets the failed logins (once they are in the audit log).
    pub fn forget_failed_logins(&mut self) -> Result<()> {
        keyring::forget_failures(&self.dir, &self.official.name)?;
        self.failed_logins.clear();
        Ok(())
    }

    fn keyring(&self) -> Result<Keyring> {
        match keyring::read_any(&self.dir.join(KEY_FILE))? {
            AnyKeyFile::Ring(r) => Ok(r),
            AnyKeyFile::Legacy(_) => Err(StoreError::Corrupt(
                "the key file went back to version 1 while the database was open".into(),
            )),
        }
    }

    /// The officials who can unlock the database: (id, name, first).
    pub fn key_holders(&self) -> Result<Vec<Unlocked>> {
        Ok(self
            .keyring()?
            .officials
            .into_iter()
            .map(|o| Unlocked {
                id: o.id,
                name: o.name,
                first: o.first,
            })
            .collect())
    }

    /// Wraps the database key for a new official; returns the new entry's
    /// identity and check. Refuses a name already in use.
    pub fn add_key_holder(&self, name: &str, passphrase: &str) -> Result<(String, String)> {
        let id = keyring::new_id();
        let (entry, check) = OfficialKey::wrap(&id, name, false, passphrase, &self.key)?;
        self.with_key_lock(|| {
            let ring = self.keyring()?;
            if ring
                .officials
                .iter()
                .any(|o| keyring::name_key(&o.name) == keyring::name_key(name))
            {
                return Err(StoreError::OfficialExists(name.trim().to_owned()));
            }
            let mut officials = ring.officials;
            officials.push(entry);
            Keyring::new(officials).write(&self.dir.join(KEY_FILE))
        })?;
        Ok((id, check))
    }

    /// Wraps the database key again for official `id` (named `name`) under
    /// a new passphrase — anew if the key file lost their entry (an older
    /// key file put back); returns the new check.
    pub fn rewrap_key_holder(&self, id: &str, name: &str, passphrase: &str) -> Result<String> {
        let first = self
            .keyring()?
            .officials
            .iter()
            .any(|o| o.id == id && o.first);
        let (entry, check) = OfficialKey::wrap(id, name, first, passphrase, &self.key)?;
        self.with_key_lock(|| {
            let mut officials = self.keyring()?.officials;
            match officials.iter_mut().find(|o| o.id == id) {
                Some(e) => *e = entry,
                None => officials.push(entry),
            }
            Keyring::new(officials).write(&self.dir.join(KEY_FILE))
        })?;
        keyring::forget_failures(&self.dir, name)?;
        Ok(check)
    }

    /// Removes `id`'s wrapping: that passphrase no longer opens the
    /// database. Refuses to remove the last one.
    pub fn remove_key_holder(&self, id: &str) -> Result<()> {
        self.with_key_lock(|| {
            let ring = self.keyring()?;
            let officials: Vec<OfficialKey> = ring
                .officials
                .iter()
                .filter(|o| o.id != id)
                .cloned()
                .collect();
            if officials.len() == ring.officials.len() {
                return Err(StoreError::UnknownOfficial(id.to_owned()));
            }
            if officials.is_empty() {
                return Err(StoreError::Corrupt(
                    "the last official's key cannot be removed".into(),
                ));
            }
            Keyring::new(officials).write(&self.dir.join(KEY_FILE))
        })
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
        self.writes.set(self.writes.get() + 1);
        Ok(out)
    }

    /// [`Store::write`] for a reader that must record something (an audit
    /// entry for a search by name): the same one immediate transaction.
    pub fn write_shared<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&WriteTx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(StoreError::from_sqlite)?;
        let out = f(&WriteTx { tx: &tx })?;
        tx.commit().map_err(StoreError::from_sqlite)?;
        self.writes.set(self.writes.get() + 1);
        Ok(out)
    }

    /// Read access.
    /// Changes when the database may have changed: this connection's
    /// commits and SQLite's `data_version` (which changes when another
    /// connection, such as sync's, commits). Equal values: nothing was
    /// written in between (for caches of what was read).
    pub fn generation(&self) -> Result<(u64, i64)> {
        let other: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(StoreError::from_sqlite)?;
        Ok((self.writes.get(), other))
    }

    pub fn read(&self) -> Read<'_> {
        Read { conn: &self.conn }
    }

    /// Writes a consistent copy of the database (one snapshot, taken while
    /// other connections go on writing), encrypted with the same key, and
    /// the key file into the folder `to`, which must not hold a database.
    pub fn copy_into(&self, to: &Path) -> Result<()> {
        if exists(to) {
            return Err(StoreError::AlreadyInitialised(to.to_owned()));
        }
        make_private(to)?;
        let key_from = self.dir.join(KEY_FILE);
        let key_to = to.join(KEY_FILE);
        std::fs::copy(&key_from, &key_to).map_err(|e| StoreError::io(&key_to, e))?;
        let db = to.join(DB_FILE);
        private_file(&db).map_err(|e| StoreError::io(&db, e))?;
        let hex = Zeroizing::new(hex::encode(*self.key));
        let path = db.to_string_lossy().replace('\'', "''");
        self.conn
            .execute_batch(&format!(
                "ATTACH DATABASE '{path}' AS backup KEY \"x'{}'\";",
                hex.as_str()
            ))
            .map_err(StoreError::from_sqlite)?;
        // One read transaction: the copy, and the schema version it is
        // at, are one snapshot of the database.
        let copied = (|| {
            self.conn.execute_batch("BEGIN;")?;
            let version: i64 = self
                .conn
                .query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
            self.conn.execute_batch(&format!(
                "SELECT sqlcipher_export('backup');
                 PRAGMA backup.user_version = {version};
                 COMMIT;"
            ))
        })()
        .map_err(StoreError::from_sqlite);
        if copied.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK;");
        }
        let detached = self
            .conn
            .execute_batch("DETACH DATABASE backup;")
            .map_err(StoreError::from_sqlite);
        copied.and(detached)
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(StoreError::from_sqlite)?;
        Ok(r == "ok")
    }

    /// `PRAGMA integrity_check`'s answer: "ok", or its first problems.
    pub fn integrity_report(&self) -> Result<String> {
        let mut st = self
            .conn
            .prepare("PRAGMA integrity_check(5)")
            .map_err(StoreError::from_sqlite)?;
        let lines = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(StoreError::from_sqlite)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(StoreError::from_sqlite)?;
        Ok(lines.join("\n"))
    }

    /// The SQLCipher version in use.
    pub fn cipher_version(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .map_err(StoreError::from_sqlite)
    }
}
