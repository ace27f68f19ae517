//! Enlace on the network: the only crate that opens sockets.
//!
//! - [`tls`]: mutual TLS 1.3 with certificates made from the nodes' own
//!   Ed25519 keys, pinned to paired peers (an unknown client or server is
//!   refused during the handshake).
//! - [`server`]: the sync server (axum on tokio-rustls) for
//!   `/sync/v1/round` and `/sync/v1/reconcile`, with graceful shutdown.
//! - [`client`]: one session with one peer over HTTPS (reqwest), and what
//!   a failure means in words for people.
//! - [`listener`]: the server started and stopped while the desktop app
//!   runs (a small office's hub), and the machine's LAN addresses.
//! - [`netwatch`]: the machine's network watched, so a change syncs at
//!   once.
//! - [`engine`]: rounds with every peer, now or periodically, with
//!   backoff.
//!
//! The protocol itself is enlace-sync's (sans-IO); what is stored and who
//! may receive what is enlace-core's. There is no plaintext listener.
#![forbid(unsafe_code)]

pub mod client;
pub mod engine;
pub mod listener;
pub mod netwatch;
pub mod server;
pub mod tls;

use std::sync::{Arc, Mutex};

pub use client::{PeerReport, PeerTarget, SyncOptions, SyncProgress, sync_with};
pub use engine::{Engine, backoff};
pub use listener::{Listener, lan_addresses};
pub use netwatch::watch_network;
pub use server::{OnReceived, serve, serve_notifying};
pub use tls::{Identity, PeerCheck, PeerSet, certificate_key};

/// A node shared between the server's requests and the client's sessions
/// (its own database connection: `App::sync_connection`).
pub type Shared = Arc<Mutex<enlace_core::App>>;

/// The media type of sync bodies: a zstd frame holding CBOR.
pub const MEDIA_TYPE: &str = "application/vnd.enlace.sync.v1+cbor+zstd";

/// Errors of the network layer.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("TLS could not be set up: {0}")]
    Tls(String),
    #[error(
        "cannot listen on {addr}: {source}; choose another address or port, or stop what uses it"
    )]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "peer {0} has no address: add one with `enlace peer add … --url https://HOST:PORT`, or exchange bundles"
    )]
    NoAddress(String),
    #[error("the node's state is unusable after an earlier failure; restart it")]
    Poisoned,
    #[error(transparent)]
    Core(#[from] enlace_core::CoreError),
}

/// Locks the node. A panic in an earlier request poisons the lock but not
/// the node: every write is one transaction, rolled back as the panic
/// unwound through it, so the state is whole and work goes on (a hostile
/// peer that makes a library panic must not stop the service).
pub(crate) fn lock(app: &Shared) -> std::sync::MutexGuard<'_, enlace_core::App> {
    app.lock().unwrap_or_else(|poisoned| {
        tracing::warn!("an earlier request failed part-way; its transaction was rolled back");
        app.clear_poison();
        poisoned.into_inner()
    })
}

#[cfg(test)]
mod attack_tests;
#[cfg(test)]
mod tests;
