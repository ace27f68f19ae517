//! The Enlace sync protocol, without IO: what travels between two nodes
//! and how a session proceeds. docs/sync-protocol.md is its reference.
//!
//! - [`wire`]: the messages of `/sync/v1` (CBOR), versioned.
//! - [`codec`]: zstd + CBOR encoding, and the decoder that meets untrusted
//!   bytes: limits on size and memory, never a panic.
//! - [`proof`]: signatures of change authors over sets of changes, and the
//!   roster entries that say which country a key belongs to.
//! - [`session`]: the client's state machine and the server's answers,
//!   generic over a [`Replica`] (the local store, implemented by
//!   enlace-core), and an in-memory link that tests can cut.
//! - [`bundle`]: the same pages in a signed file encrypted to one peer.
//!
//! Not here: sockets, TLS, threads or a runtime (enlace-node), SQL
//! (enlace-store), automerge or the rules of who may hold or change a
//! document (enlace-core).
#![forbid(unsafe_code)]

mod bounded;
pub mod bundle;
pub mod codec;
mod limits;
pub mod proof;
pub mod session;
mod tagged;
pub mod testing;
pub mod wire;

pub use codec::{LIMITS, Limits, WireError};
pub use session::{
    Applied, ClientSession, PeerKey, PeerState, RECONCILE_PATH, ROUND_PATH, Replica, Request,
    Served, SessionStats, SyncError, Wants, run_in_memory, serve_reconcile, serve_round,
};
pub use wire::*;

#[cfg(test)]
mod tests;
