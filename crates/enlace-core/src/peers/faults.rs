//! Why sync with a peer failed, in words for people and as codes for
//! scripts (`enlace sync --json`).

use enlace_domain::{Lang, tr_args};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why the last sync with a peer failed, in words for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncFaultCode {
    /// No answer at the address (no network, wrong address, peer off).
    Unreachable,
    /// The peer took too long to answer.
    Timeout,
    /// The connection was cut in the middle of a transfer.
    Interrupted,
    /// TLS refused: the peer does not know this node, or answered with
    /// another key than the one paired.
    Refused,
    /// The peer sent something this node cannot accept.
    Malformed,
    /// The peer speaks another protocol version.
    Version,
    /// The peer could not store what it received (its disk, its database).
    PeerStorage,
    /// This node could not store what it received (disk full, ...).
    LocalStorage,
    /// The peer kept answering without progress.
    Stalled,
    /// Anything else (the detail says what).
    Other,
}

impl SyncFaultCode {
    pub const ALL: [SyncFaultCode; 10] = [
        SyncFaultCode::Unreachable,
        SyncFaultCode::Timeout,
        SyncFaultCode::Interrupted,
        SyncFaultCode::Refused,
        SyncFaultCode::Malformed,
        SyncFaultCode::Version,
        SyncFaultCode::PeerStorage,
        SyncFaultCode::LocalStorage,
        SyncFaultCode::Stalled,
        SyncFaultCode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncFaultCode::Unreachable => "unreachable",
            SyncFaultCode::Timeout => "timeout",
            SyncFaultCode::Interrupted => "interrupted",
            SyncFaultCode::Refused => "refused",
            SyncFaultCode::Malformed => "malformed",
            SyncFaultCode::Version => "version",
            SyncFaultCode::PeerStorage => "peer_storage",
            SyncFaultCode::LocalStorage => "local_storage",
            SyncFaultCode::Stalled => "stalled",
            SyncFaultCode::Other => "other",
        }
    }

    /// What happened and what to do, in `lang`.
    pub fn message(self, lang: Lang, peer: &str) -> String {
        tr_args(
            lang,
            &format!("sync-fault-{}", self.as_str().replace('_', "-")),
            &[("peer", peer)],
        )
    }
}

/// The last failure of sync with a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncFault {
    pub code: SyncFaultCode,
    /// The technical detail (for the administrator).
    pub detail: String,
    /// The failure in plain words, in the language asked for.
    #[serde(default)]
    pub message: String,
}
