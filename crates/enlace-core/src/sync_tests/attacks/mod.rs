//! A paired peer that sends whatever bytes it likes: each test builds the
//! hostile page or bundle as such a node could (automerge, CBOR, zstd and
//! Ed25519 are all public), hands it to an honest node, and checks that
//! nothing is applied, kept or relayed that should not be, that the page's
//! honest part applies, and that the next honest sync succeeds.

mod forgery;
mod resources;
mod trust;

use super::forge::*;
use super::*;
use enlace_docs::Document;
use enlace_sync::Cursor;
use serde_json::Value;

pub(super) fn title(n: &mut Node, reference: &str) -> String {
    n.app.case(reference).expect("case").case.title
}

pub(super) fn quarantined(n: &Node) -> Vec<(String, String)> {
    n.app
        .quarantine()
        .expect("quarantine")
        .into_iter()
        .map(|q| (q.change, q.reason))
        .collect()
}

pub(super) fn logged(n: &Node, id: &str, change: &[u8]) -> bool {
    n.app
        .store
        .read()
        .logged(id, &hex::encode(hash_of(change)))
        .expect("log")
}

/// Guatemala's acknowledged position in its log for Honduras.
pub(super) fn hn_acked(gt: &mut Node, hn: &Node) -> Cursor {
    gt.app.peer_state(&hn.key).expect("peer").acked
}

pub(super) fn doc_json(n: &Node, id: &str) -> Value {
    let row = n.app.store.read().doc(id).expect("read").expect("held");
    Document::load(&row.bytes, n.app.node.actor.clone())
        .expect("load")
        .to_json()
        .expect("json")
}
