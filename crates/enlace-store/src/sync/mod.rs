//! What sync keeps (migrations 0005 to 0007): peers and their cursors
//! ([`peers`]), the change log read in the order sync sends it and proofs
//! ([`log`]), and what is kept for later: the quarantine, documents wanted
//! whole, parts of large documents ([`kept`]). The rows are here.

mod kept;
mod log;
mod peers;

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
    /// Its place in its country, as this node's administrator paired it.
    pub node_role: String,
}

/// A country's administrator key as this node trusts it (the secret only
/// where it was made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryKeyRow {
    pub country: String,
    pub public_key: Vec<u8>,
    pub secret_key: Option<zeroize::Zeroizing<Vec<u8>>>,
    pub added_at: String,
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

/// A key revoked by a node of its country (as signed), and how it stands
/// here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationRow {
    pub public_key: Vec<u8>,
    pub country: String,
    /// The name this node knew it by when it accepted the revocation.
    pub name: String,
    pub revoked_at: String,
    /// 8-byte tags of the changes that stand, ascending.
    pub kept: Vec<u8>,
    pub revoker: Vec<u8>,
    pub signature: Vec<u8>,
    pub received_at: String,
    /// This node's log end when it accepted it.
    pub log_seq: i64,
    /// False: received for a key this node trusts directly (waiting for
    /// its administrator).
    pub applied: bool,
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
    changes_received, node_role";

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
        node_role: r.get(21)?,
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

impl WriteTx<'_> {
    /// Runs a statement, prepared once per connection.
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map_err(StoreError::from_sqlite)
    }
}
