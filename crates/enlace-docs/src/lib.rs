//! Domain values <-> automerge documents.
//!
//! Every case and person is one automerge document. The mapping is a plain,
//! documented JSON mapping: a value is serialised with serde, then written
//! into the document's root map field by field — objects become automerge
//! maps, arrays lists, strings *scalar* strings (never collaborative `Text`:
//! one convention for every field, see ARCHITECTURE.md), numbers and booleans
//! scalars, and `null` is an absent key. Only what differs is written, so a
//! change touches exactly the fields that changed and the history can say
//! which. Reading hydrates the document back into JSON and deserialises it
//! with the field path of any error.
//!
//! Every change carries a JSON message ([`ChangeMessage`]: who, which fields)
//! and a timestamp in Unix seconds; its actor is derived from the node's
//! Ed25519 public key ([`actor_for_key`]) so signed changes can later be
//! bound to keys.
//!
//! Not here: storage (enlace-store), the network, or any IO.
#![forbid(unsafe_code)]

pub mod chunk;
mod document;
mod mapping;
mod received;

pub use document::Document;
pub use received::ParsedChange;

use automerge::{ActorId, ChangeHash};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error(
        "the stored document cannot be read by automerge ({0}); restore it from a backup or a peer"
    )]
    Automerge(#[from] automerge::AutomergeError),
    #[error(
        "`{0}` is not a change hash (64 hexadecimal characters): send the `heads` the document was read with"
    )]
    BadHeads(String),
    #[error("the document holds `{kind}` where a value of another shape is expected: {source}")]
    Shape {
        kind: &'static str,
        source: enlace_domain::input::InputError,
    },
    #[error("a value could not be converted to JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a received change is malformed ({0}); it was not applied")]
    BadChange(String),
    #[error(
        "the change is too large to be synced ({0}); nothing was saved: make it in smaller steps"
    )]
    TooLarge(String),
    #[error(
        "a received change reuses the sequence number {seq} of its author in this document with other content (equivocation); it was not applied"
    )]
    Equivocation { seq: u64 },
    #[error("the document root must be a JSON object")]
    NotAnObject,
}

pub type Result<T, E = DocError> = std::result::Result<T, E>;

/// The automerge actor of a node: its 32-byte Ed25519 public key.
pub fn actor_for_key(public_key: &[u8; 32]) -> ActorId {
    ActorId::from(&public_key[..])
}

/// The actor a node writes one session's changes under: its key followed
/// by `session` (a few random bytes drawn when the node is opened).
/// automerge numbers each actor's changes in a document; a node restored
/// from a backup would otherwise number new changes as the lost ones were
/// numbered, which every peer holding those refuses as equivocation. With
/// a fresh session actor, no number is ever given twice. The key part
/// still names the author (see enlace-sync's `proof::actor_key`).
pub fn session_actor(public_key: &[u8; 32], session: &[u8]) -> ActorId {
    let mut bytes = public_key.to_vec();
    bytes.extend_from_slice(session);
    ActorId::from(bytes)
}

/// The author's key part of an actor id, as hex (what histories show).
fn author_hex(actor: &ActorId) -> String {
    let bytes = actor.to_bytes();
    bytes[..bytes.len().min(32)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a change says about itself, stored as its automerge message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeMessage {
    /// `node` or `node/user`.
    pub by: String,
    /// Top-level fields the change touched.
    pub fields: Vec<String>,
    /// What kind of action: `create`, `update`, `note`, `import`, ...
    pub action: String,
}

/// The actor of every [`Document::genesis`] change: no node's (a node's
/// actor is its 32-byte key and a session), so no proof can name it.
pub const GENESIS_ACTOR: [u8; 16] = *b"enlace-genesis-1";

/// One entry of a document's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub hash: String,
    /// The author node's public key, as hex (the actor without its
    /// session part).
    pub actor: String,
    /// The author's change counter.
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "string")]
    pub time: DateTime<Utc>,
    pub by: String,
    pub action: String,
    pub fields: Vec<String>,
    /// The changes this one follows (the document's heads before it).
    pub deps: Vec<String>,
}

/// A change just made, ready for the change log.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub hash: ChangeHash,
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod tests;
