//! Sync between real nodes (encrypted stores on disk) over the in-memory
//! link of enlace-sync: every message is encoded and decoded as over the
//! network, and the link can be cut.

mod attacks;
mod audience;
mod audit_heads;
mod bundles;
mod choices;
mod convergence;
mod forge;
mod grants;
mod handling;
mod lists;
mod need_to_know;
mod partitions;
mod references;
mod referrals;
mod requests;
mod revocation;
mod risk;
mod roots;
mod transfer;
mod trust;

use super::*;
use chrono::Utc;
use enlace_docs::{ChangeMessage, Document};
use enlace_domain::*;
use enlace_sync::{Cursor, Page};
use enlace_sync::{Replica, SessionStats, SyncError, run_in_memory};
use serde_json::json;

pub(super) const PASS: &str = "frase de prueba de sync";

pub(super) struct Node {
    pub(super) _dir: tempfile::TempDir,
    pub(super) app: App,
    pub(super) key: [u8; 32],
    pub(super) country: String,
    pub(super) name: String,
}

pub(super) fn node(country: &str, name: &str) -> Node {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::init(&dir.path().join("data"), PASS, country, name).expect("init");
    Node {
        key: app.public_key(),
        _dir: dir,
        app,
        country: country.to_owned(),
        name: name.to_owned(),
    }
}

/// `a` pairs with `b` (one way: `a` trusts `b`).
pub(super) fn trust(a: &mut Node, b: &Node) {
    a.app
        .add_peer(PeerInput {
            node_role: None,
            name: b.name.clone(),
            url: None,
            key: hex::encode(b.key),
            country: b.country.clone(),
        })
        .expect("pair");
}

pub(super) fn pair(a: &mut Node, b: &mut Node) {
    trust(a, b);
    trust(b, a);
}

/// `client` syncs with `server` over an uncut link.
pub(super) fn sync(client: &mut Node, server: &mut Node) -> SessionStats {
    let (ck, sk) = (client.key, server.key);
    run_in_memory(
        &mut client.app,
        &ck,
        &mut server.app,
        &sk,
        1 << 20,
        &mut |_| true,
    )
    .expect("sync")
}

/// `nodes[a]` and `nodes[b]`, both mutable.
pub(super) fn two<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    if a < b {
        let (l, r) = v.split_at_mut(b);
        (&mut l[a], &mut r[0])
    } else {
        let (l, r) = v.split_at_mut(a);
        (&mut r[0], &mut l[b])
    }
}

/// `nodes[a]` syncs with `nodes[b]` in pages of `page_bytes`; the link is
/// cut after `cut_after` messages (never when 0).
pub(super) fn session_cut(
    nodes: &mut [Node],
    a: usize,
    b: usize,
    page_bytes: u32,
    cut_after: u32,
) -> std::result::Result<SessionStats, SyncError> {
    let (x, y) = two(nodes, a, b);
    let (kx, ky) = (x.key, y.key);
    let mut left = cut_after;
    run_in_memory(&mut x.app, &kx, &mut y.app, &ky, page_bytes, &mut |_| {
        if cut_after == 0 {
            return true;
        }
        left = left.saturating_sub(1);
        left > 0
    })
}

pub(super) fn case_with_victim(
    n: &mut Node,
    title: &str,
    audience: serde_json::Value,
) -> CaseSaved {
    n.app
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": title,
                "summary": "Resumen del caso con José Núñez Ávila como sospechoso.",
                "classification": "trafficking",
                "acts": ["recruitment"],
                "means": ["deception"],
                "purposes": ["forced_labour"],
                "audience": audience,
                "persons": [{
                    "role": "victim",
                    "age_band": "21-23",
                    "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}
                }]
            }))
            .expect("input"),
        )
        .expect("create")
}

/// Copies the node's data folder with the node closed (a consistent
/// backup, as an administrator would make it), reopens the node, and
/// returns where the copy is.
pub(super) fn back_up(n: &mut Node) -> std::path::PathBuf {
    let data = n._dir.path().join("data");
    let to = n._dir.path().join("backup");
    let placeholder = tempfile::tempdir().expect("dir");
    let other = App::init(&placeholder.path().join("d"), PASS, "GT", "x").expect("init");
    drop(std::mem::replace(&mut n.app, other));
    std::fs::create_dir_all(&to).expect("dir");
    for f in std::fs::read_dir(&data).expect("ls") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
    }
    n.app = App::open(&data, PASS).expect("reopen");
    to
}

/// The node's own signing key, as an altered node signs with it.
/// A node of `country` in the given place (hub, office, border post, NGO).
pub(super) fn node_as(role: NodeRole, country: &str, name: &str) -> Node {
    let mut n = node(country, name);
    n.app.set_node_role(role).expect("role");
    n
}

/// `a` pairs with `b` as a node of role `b_role`, `b` with `a` as a hub.
pub(super) fn pair_as(a: &mut Node, b: &mut Node, b_role: NodeRole) {
    a.app
        .add_peer(PeerInput {
            node_role: Some(b_role),
            name: b.name.clone(),
            url: None,
            key: hex::encode(b.key),
            country: b.country.clone(),
        })
        .expect("pair");
    b.app
        .add_peer(PeerInput {
            node_role: Some(NodeRole::Hub),
            name: a.name.clone(),
            url: None,
            key: hex::encode(a.key),
            country: a.country.clone(),
        })
        .expect("pair");
}

/// What a hostile node does to a document's JSON before it signs it.
pub(super) type Forgery = Box<dyn Fn(&mut serde_json::Value)>;

pub(super) fn signing_key(n: &Node) -> ed25519_dalek::SigningKey {
    n.app.node.signing_key().clone()
}

/// `n` applies `page` as if `from` sent it, and refuses something in it
/// for `reason`.
pub(super) fn assert_refused(
    n: &mut Node,
    from: &[u8; 32],
    page: &Page,
    reason: enlace_sync::RefusalReason,
) {
    let applied = n.app.apply_page(from, page, None).expect("apply");
    assert!(
        applied.refused.iter().any(|r| r.reason == reason),
        "{reason:?} expected: {:?}",
        applied.refused
    );
}

pub(super) fn holds(n: &Node, id: &str) -> bool {
    n.app.store.read().doc(id).expect("read").is_some()
}

pub(super) fn kinds(n: &Node) -> Vec<(String, DocKind)> {
    n.app.store.read().all_doc_ids().expect("ids")
}

/// Task `id` as `n`'s plan shows it.
pub(super) fn task_row(n: &Node, id: &str) -> crate::TaskRow {
    n.app
        .plan(&crate::PlanFilter::default())
        .expect("plan")
        .tasks
        .into_iter()
        .find(|t| t.task.id.to_string() == id)
        .expect("task")
}

pub(super) fn heads(n: &Node, id: &str) -> String {
    n.app
        .store
        .read()
        .doc(id)
        .expect("read")
        .expect("held")
        .heads
}
