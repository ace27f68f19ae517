//! The messages of `/sync/v1`, as they travel: each body is one CBOR
//! (RFC 8949) value in one zstd frame. docs/sync-protocol.md is the
//! reference; field names here are the wire's.

use serde::{Deserialize, Serialize};
use serde_bytes::{ByteArray, ByteBuf};

use crate::bounded;

/// The protocol version this build speaks (`/sync/v1`, `v: 1`).
pub const VERSION: u32 = 1;

/// A node's 32-byte Ed25519 public key (also its automerge actor id).
pub type Key = ByteArray<32>;
/// A 32-byte automerge change hash (SHA-256).
pub type Hash = ByteArray<32>;
/// A 64-byte Ed25519 signature.
pub type Sig = ByteArray<64>;
/// A document id: 16 bytes of UUID.
pub type DocId = ByteArray<16>;
/// The first 8 bytes of a change hash (enough to tell one log from another).
pub type Tag = ByteArray<8>;

/// A position in a node's change log: a sequence number and the first 8
/// bytes of the hash of the change stored there (so a log restored from a
/// backup or replaced is told apart). `seq: 0` is the start (no hash).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cursor {
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<Tag>,
}

impl Cursor {
    pub fn start() -> Cursor {
        Cursor::default()
    }

    /// The position `seq`, where the change with hash `hash` is stored.
    pub fn at(seq: u64, hash: [u8; 32]) -> Cursor {
        let mut tag = [0u8; 8];
        tag.copy_from_slice(&hash[..8]);
        Cursor {
            seq,
            hash: Some(ByteArray::new(tag)),
        }
    }

    /// True when this position names `hash` at `seq`.
    pub fn names(&self, seq: u64, hash: &[u8; 32]) -> bool {
        self.seq == seq && self.hash.is_some_and(|t| *t == hash[..8])
    }
}

/// `POST /sync/v1/round`: the client's half of one exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundRequest {
    pub v: u32,
    /// What the client asks for: the server's log after `after`.
    pub pull: Pull,
    /// What the client sends: a page of its own log (absent when it has
    /// nothing new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<Page>,
    /// Documents the client wants whole (it holds changes of them whose
    /// history it lacks, or a reconciliation found them different).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need: Vec<DocId>,
    /// The same, for documents known only by one of their changes (a
    /// change whose document the receiver could not tell).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need_changes: Vec<Hash>,
    /// Documents wanted whole whose first part already came (a document
    /// larger than a page travels in parts): the rest, after the change
    /// named (the last one received).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need_after: Vec<(DocId, Hash)>,
    /// The client's audit log head (see [`AuditHead`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditHead>,
}

/// A node's audit log as a peer sees it: its last entry, and the hashes
/// its log holds now at the heads it showed this peer before (at most
/// [`MAX_CONFIRMS`]). A peer that kept an earlier head finds it confirmed
/// — or finds the log cut (a shorter head) or rewritten (another hash at
/// the same entry): what a node's own hash chain cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: Hash,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "at_most_confirms"
    )]
    pub confirms: Vec<(u64, Hash)>,
}

/// The most earlier heads an [`AuditHead`] confirms.
pub const MAX_CONFIRMS: usize = 8;

fn at_most_confirms<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(u64, Hash)>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<(u64, Hash)>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "at most {MAX_CONFIRMS} confirmed heads")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element()? {
                if out.len() == MAX_CONFIRMS {
                    return Err(serde::de::Error::custom(format!(
                        "more than {MAX_CONFIRMS} confirmed audit heads"
                    )));
                }
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    pub after: Cursor,
    /// The most change bytes (uncompressed) the client wants in one page.
    pub max_bytes: u32,
}

/// The server's half of one exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResponse {
    pub v: u32,
    /// What became of the client's page.
    pub pushed: Pushed,
    /// The server's page for the client, or why there is none.
    pub pull: Pulled,
    /// Documents the server wants whole from the client.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need: Vec<DocId>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need_changes: Vec<Hash>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub need_after: Vec<(DocId, Hash)>,
    /// The server's audit log head (see [`AuditHead`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditHead>,
}

/// Decoded by hand (`tagged.rs`): `status` first, then the variant's
/// fields, with no buffering of the whole value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Pushed {
    /// The request carried no page.
    Nothing,
    /// Verified and applied (what could be) in one transaction; the
    /// server's position in the client's log is now `to`.
    Applied {
        to: Cursor,
        #[serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "bounded::refusals"
        )]
        refused: Vec<Refusal>,
    },
    /// The page did not start where the server is in the client's log:
    /// nothing was applied; continue from `expected` (or reconcile when
    /// that position is not in the client's log).
    Resync { expected: Cursor },
}

/// Decoded by hand, like [`Pushed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Pulled {
    Page(Page),
    /// `after` is not a position in the server's log (its database was
    /// restored or replaced): reconcile by heads, then continue from `log`.
    Doubtful {
        log: Cursor,
    },
}

/// Why a receiver did not apply a document or a change. The change is not
/// lost: refused documents stay with their sender; refused changes are
/// kept in the receiver's quarantine (see docs/sync-protocol.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// Absent when the receiver could not tell the change's document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Hash>,
    pub reason: RefusalReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The receiver's country is not in the document's audience.
    NotInAudience,
    /// Identifying documents never leave their country.
    NationalOnly,
    /// No valid proof (signature) of the change's author.
    BadSignature,
    /// The author's key is not known to the receiver (kept until it is).
    UnknownAuthor,
    /// The author may not change what the change touches.
    NotAllowed,
    /// The change or document cannot be read.
    Malformed,
    /// The change depends on history the receiver does not have yet (kept;
    /// the document is asked for whole).
    MissingHistory,
    /// Its author wrote another change with the same sequence number in
    /// the same document (a node that equivocates, or one restored from
    /// a backup by an older version): kept, never merged.
    Equivocation,
    /// The receiver keeps no more changes aside from this sender (its
    /// quarantine for the sender is full): not kept; the sender still
    /// holds it.
    QuarantineFull,
    /// Its author's key was revoked by a node of its country, and the
    /// revoker did not hold this change when it revoked: kept, never
    /// merged.
    Revoked,
    /// A reason this build does not know (sent by a newer node).
    #[serde(other)]
    Other,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 11] = [
        RefusalReason::NotInAudience,
        RefusalReason::NationalOnly,
        RefusalReason::BadSignature,
        RefusalReason::UnknownAuthor,
        RefusalReason::NotAllowed,
        RefusalReason::Malformed,
        RefusalReason::MissingHistory,
        RefusalReason::Equivocation,
        RefusalReason::QuarantineFull,
        RefusalReason::Revoked,
        RefusalReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::NotInAudience => "not_in_audience",
            RefusalReason::NationalOnly => "national_only",
            RefusalReason::BadSignature => "bad_signature",
            RefusalReason::UnknownAuthor => "unknown_author",
            RefusalReason::NotAllowed => "not_allowed",
            RefusalReason::Malformed => "malformed",
            RefusalReason::MissingHistory => "missing_history",
            RefusalReason::Equivocation => "equivocation",
            RefusalReason::QuarantineFull => "quarantine_full",
            RefusalReason::Revoked => "revoked",
            RefusalReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<RefusalReason> {
        Some(match s {
            "not_in_audience" => RefusalReason::NotInAudience,
            "national_only" => RefusalReason::NationalOnly,
            "bad_signature" => RefusalReason::BadSignature,
            "unknown_author" => RefusalReason::UnknownAuthor,
            "not_allowed" => RefusalReason::NotAllowed,
            "malformed" => RefusalReason::Malformed,
            "missing_history" => RefusalReason::MissingHistory,
            "equivocation" => RefusalReason::Equivocation,
            "quarantine_full" => RefusalReason::QuarantineFull,
            "revoked" => RefusalReason::Revoked,
            "other" => RefusalReason::Other,
            _ => return None,
        })
    }
}

/// A stretch of a node's change log, as one receiver may see it: changes
/// grouped by document, in log order within each document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Page {
    /// The page continues the sender's log after this position...
    pub base: Cursor,
    /// ...up to and including this one.
    pub to: Cursor,
    /// The sender has more after `to`.
    pub more: bool,
    /// About how many log entries follow `to` (for progress bars).
    pub remaining: u64,
    /// Keys of authors in this page that the receiver may not know yet.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::roster"
    )]
    pub roster: Vec<RosterEntry>,
    /// Keys revoked by a node of their country, which the receiver may not
    /// know of yet.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::revocations"
    )]
    pub revocations: Vec<Revocation>,
    /// Signatures covering every change of the page.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::proofs"
    )]
    pub proofs: Vec<Proof>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::groups"
    )]
    pub groups: Vec<Group>,
    /// Documents asked for whole that the sender does not hold or may not
    /// give this receiver.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub unavailable: Vec<DocId>,
    /// The same, for documents asked for by one of their changes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::needs"
    )]
    pub unavailable_changes: Vec<Hash>,
}

impl Page {
    /// The number of changes in the page.
    pub fn change_count(&self) -> usize {
        self.groups.iter().map(|g| g.changes.len()).sum()
    }

    /// Nothing to apply and no position to advance.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.revocations.is_empty()
            && self.unavailable.is_empty()
            && self.unavailable_changes.is_empty()
            && self.base == self.to
    }
}

/// One document's changes in a page.
///
/// `doc` and `kind` are sent when the group starts the document (its
/// first change has no dependencies) or holds it whole; otherwise they are
/// left out and the receiver finds the document by the changes the first
/// one depends on (it holds them: they came before). A receiver that does
/// not hold them asks for the document by a change (`need_changes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocId>,
    /// `case`, `person`, `legal_assessment`, `plan_task`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Raw automerge changes, in an order where dependencies come first.
    #[serde(deserialize_with = "bounded::changes")]
    pub changes: Vec<ByteBuf>,
    /// The whole document (or its last part), sent because it was asked
    /// for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub full: bool,
    /// A part of a document asked for whole, too large for one page: more
    /// follows when the receiver asks for what comes after this group's
    /// last change (`need_after`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub part: bool,
}

/// A signature by `author` (by default the sender) over a set of change
/// hashes: the changes of the page at `members` (ranges of positions, counting every change of every
/// group in order) plus `hidden` ones the receiver does not get here.
/// See [`crate::proof`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Absent: the node that sent the page (its own changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Key>,
    pub sig: Sig,
    /// `[start, count]` ranges of positions in the page, ascending and
    /// not overlapping (no position is named twice, by this proof or by
    /// another of the page).
    #[serde(deserialize_with = "bounded::ranges")]
    pub members: Vec<[u32; 2]>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::hidden"
    )]
    pub hidden: Vec<Hash>,
}

/// "`key` is a node of `country` named `name`", signed by `voucher`, a
/// node of the same country. See [`crate::proof::roster_message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub key: Key,
    pub country: String,
    pub name: String,
    pub voucher: Key,
    pub sig: Sig,
}

/// "`key`, a node of `country`, is revoked as of `at`; of its changes only
/// those in `kept` stand", signed by `revoker` (a node of the same
/// country). `kept`: the 32-byte hashes of the changes by `key` the
/// revoker held when it revoked, ascending, each once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub key: Key,
    pub country: String,
    /// The revoker's clock, RFC 3339 (for people to read).
    pub at: String,
    pub kept: serde_bytes::ByteBuf,
    pub revoker: Key,
    pub sig: Sig,
}

impl Revocation {
    /// The kept change hashes, as the 32-byte pieces of `kept`.
    pub fn kept_hashes(&self) -> impl Iterator<Item = [u8; 32]> + '_ {
        self.kept
            .chunks_exact(32)
            .filter_map(|c| <[u8; 32]>::try_from(c).ok())
    }
}

/// `POST /sync/v1/reconcile`: one page of the client's document summary,
/// in document id order, for documents the server may hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileRequest {
    pub v: u32,
    /// The client's log end when reconciliation began.
    pub log: Cursor,
    /// The summary covers ids after this one (absent: from the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<DocId>,
    /// ...up to and including this one (absent: to the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<DocId>,
    /// `[id, h]`: h is the first 8 bytes of SHA-256 over the document's
    /// sorted heads, as a big-endian integer.
    #[serde(deserialize_with = "bounded::summary")]
    pub docs: Vec<(DocId, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileResponse {
    pub v: u32,
    /// The server's log end (the client continues after it when done).
    pub log: Cursor,
    /// Documents in the range the client lacks or holds differently: the
    /// client asks for them whole. (Those the server lacks or holds
    /// differently it asks for in its next round answers.)
    #[serde(deserialize_with = "bounded::summary")]
    pub send_you: Vec<DocId>,
    /// The server compared only up to this id (it held too many in the
    /// range to name in one answer): the client continues after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared_through: Option<DocId>,
    /// The whole summary has been compared: the server now stands at the
    /// client's `log` in the client's log; the client continues after
    /// the `log` of the first answer.
    pub complete: bool,
}

/// The body of an error answer (HTTP 4xx/5xx).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `malformed`, `too_large`, `version`, `storage`,
    /// `disk_full`, `busy`, `internal`.
    pub code: String,
    pub message: String,
}
