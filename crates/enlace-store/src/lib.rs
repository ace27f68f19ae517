//! The only crate that speaks SQL.
//!
//! An encrypted SQLite database (SQLCipher) in a data directory:
//! `enlace.db` (+ WAL files) and `enlace.key.json`, the database key
//! wrapped once per official under a key derived (Argon2id) from that
//! official's passphrase (keyring.rs).
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

mod datasets;
mod error;
mod files;
mod kdf;
mod keyring;
mod officials;
mod queries;
mod store;
mod sync;
mod tx;

pub use datasets::DatasetRow;
pub use error::{Result, StoreError};
pub use files::{DB_FILE, KEY_FILE, make_private, private_dir, private_file};
pub use kdf::{Derived, KeyFile};
pub use keyring::{
    DEFAULT_ADMIN, FREE_ATTEMPTS, Keyring, LOGINS_FILE, MAX_WAIT_SECS, OfficialKey, Unlocked,
    database_key, name_key, wait_after,
};
pub use officials::{OfficialRow, PeerAudit};
pub use queries::*;
pub use store::{Store, discard, exists, migrations};
pub use sync::*;
pub use tx::{CaseIndexRow, DocRow, NodeRow, Read, RiskIndexRow, WriteTx, audit_hash};

#[cfg(test)]
mod tests;
