use std::path::{Path, PathBuf};

/// Errors of the store. Messages say what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the passphrase is not correct; no file was changed")]
    WrongPassphrase,
    #[error(
        "there is no official named «{0}» on this node; check the name, or ask the node's administrator to add you (`enlace user add`)"
    )]
    UnknownOfficial(String),
    #[error("too many failed logins in a row: try again in {wait_secs} s")]
    TooManyAttempts { wait_secs: u64 },
    #[error("an official named «{0}» already exists on this node; choose another name")]
    OfficialExists(String),
    #[error(
        "there is no database in {0}; create one with `enlace init` or choose another --data-dir"
    )]
    NotInitialised(PathBuf),
    #[error("a database already exists in {0}; nothing was changed")]
    AlreadyInitialised(PathBuf),
    #[error(
        "the disk is full: the change was not saved (nothing partial was written); free some space and try again"
    )]
    DiskFull,
    #[error("cannot access {path}: {source}; check that the folder exists and is writable")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the database is read-only or not writable ({0}); check the folder's permissions")]
    ReadOnly(String),
    #[error(
        "the database file could not be read or written ({0}); check the free disk space and the storage device"
    )]
    IoFailure(String),
    #[error("the database is busy in another Enlace process; close it and try again")]
    Busy,
    #[error("the database is damaged: {0}; restore a backup or sync again from a peer")]
    Corrupt(String),
    #[error(
        "the key file {path} is damaged ({detail}); restore enlace.key.json from your backup of this data folder: without it the database cannot be opened"
    )]
    KeyFile { path: PathBuf, detail: String },
    #[error("the database schema could not be brought up to date: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// Converts a SQLite error once, at the edge, into what it means.
    pub fn from_sqlite(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
            return match f.code {
                C::DiskFull => StoreError::DiskFull,
                C::ReadOnly | C::PermissionDenied | C::CannotOpen => {
                    StoreError::ReadOnly(msg.clone().unwrap_or_else(|| f.to_string()))
                }
                C::DatabaseBusy | C::DatabaseLocked => StoreError::Busy,
                C::SystemIoFailure => {
                    StoreError::IoFailure(msg.clone().unwrap_or_else(|| f.to_string()))
                }
                C::DatabaseCorrupt | C::NotADatabase => {
                    StoreError::Corrupt(msg.clone().unwrap_or_else(|| f.to_string()))
                }
                // SQLCipher reports a page whose authentication code does
                // not match (a damaged or altered page) as out of memory:
                // the pager takes the codec's refusal for a failed
                // allocation. The caches here are a few MiB, so a real
                // failed allocation would have shown long before.
                C::OutOfMemory => StoreError::Corrupt(
                    "a page of the database did not decrypt: it is damaged or was altered".into(),
                ),
                _ => StoreError::Sqlite(e),
            };
        }
        StoreError::Sqlite(e)
    }

    pub(crate) fn from_open(dir: &Path, e: rusqlite::Error) -> StoreError {
        match StoreError::from_sqlite(e) {
            StoreError::ReadOnly(m) => StoreError::ReadOnly(format!("{}: {m}", dir.display())),
            other => other,
        }
    }

    pub(crate) fn migration(e: rusqlite_migration::Error) -> StoreError {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from_sqlite(err),
            other => StoreError::Migration(other.to_string()),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
