//! Building pages and changes as a hostile (or reordering) peer could:
//! outside `App`, signed with whatever key is at hand.

use ed25519_dalek::SigningKey;
use enlace_docs::{ChangeMessage, Document, ParsedChange, actor_for_key};
use enlace_sync::{Group, Page, Proof};
use serde_bytes::{ByteArray, ByteBuf};
use serde_json::Value;

use super::*;

/// A change to document `id` as `holder` holds it, written under `actor`.
pub(super) fn change_as(
    holder: &Node,
    id: &str,
    actor: automerge::ActorId,
    edit: impl FnOnce(&mut Document),
) -> Vec<u8> {
    let row = holder
        .app
        .store
        .read()
        .doc(id)
        .expect("read")
        .expect("held");
    let mut doc = Document::load(&row.bytes, actor).expect("load");
    edit(&mut doc);
    commit(&mut doc)
}

/// A page by `author` of one change to its own copy of document `id` (of
/// `kind`): its JSON as `edit` leaves it, signed with its key.
pub(super) fn own_edit_page(
    author: &Node,
    id: &str,
    kind: &str,
    edit: impl FnOnce(&mut Value),
) -> Page {
    let forged = change_as(author, id, actor_for_key(&author.key), |d| {
        let mut json = d.to_json().expect("json");
        edit(&mut json);
        d.write(&json).expect("write");
    });
    page_by(
        author.app.node.signing_key(),
        vec![group(Some(id), kind, vec![forged])],
    )
}

pub(super) fn commit(doc: &mut Document) -> Vec<u8> {
    doc.commit(
        &ChangeMessage {
            by: "x".into(),
            fields: vec![],
            action: "update".into(),
        },
        Utc::now(),
    )
    .expect("commit")
    .expect("a change")
    .bytes
}

/// A whole new document `json` written by `author`'s key.
pub(super) fn new_doc(author: &Node, json: &Value) -> Vec<u8> {
    let mut doc = Document::new(actor_for_key(&author.key));
    doc.write(json).expect("write");
    commit(&mut doc)
}

pub(super) fn hash_of(change: &[u8]) -> [u8; 32] {
    ParsedChange::parse(change).expect("parse").hash
}

/// Ascending positions as `[start, count]` runs.
pub(super) fn runs(mut positions: Vec<usize>) -> Vec<[u32; 2]> {
    positions.sort_unstable();
    let mut out: Vec<[u32; 2]> = vec![];
    for p in positions {
        let p = p as u32;
        match out.last_mut() {
            Some([s, c]) if *s + *c == p => *c += 1,
            _ => out.push([p, 1]),
        }
    }
    out
}

/// A proof by `key` over the page's changes at `positions` (their hashes
/// in `hashes`).
pub(super) fn signed(key: &SigningKey, page: &Page, positions: Vec<usize>) -> Proof {
    let all: Vec<[u8; 32]> = page
        .groups
        .iter()
        .flat_map(|g| g.changes.iter().map(|c| hash_of(c)))
        .collect();
    let hashes: Vec<[u8; 32]> = positions.iter().map(|&i| all[i]).collect();
    let author = key.verifying_key().to_bytes();
    let sig =
        ed25519_dalek::Signer::sign(key, &enlace_sync::proof::proof_message(&author, &hashes));
    Proof {
        author: Some(ByteArray::new(author)),
        sig: ByteArray::new(sig.to_bytes()),
        members: runs(positions),
        hidden: vec![],
    }
}

/// Puts `groups` before a page's own, keeping its proofs on their changes.
pub(super) fn prepend(page: &mut Page, groups: Vec<Group>) {
    let shift: usize = groups.iter().map(|g| g.changes.len()).sum();
    for p in &mut page.proofs {
        let moved: Vec<usize> = enlace_sync::proof::positions(p)
            .map(|i| i + shift)
            .collect();
        p.members = runs(moved);
    }
    let mut all = groups;
    all.append(&mut page.groups);
    page.groups = all;
}

pub(super) fn group(doc: Option<&str>, kind: &str, changes: Vec<Vec<u8>>) -> Group {
    Group {
        doc: doc.map(|d| crate::replica::doc_id_bytes(d).expect("uuid")),
        kind: doc.map(|_| kind.to_owned()),
        changes: changes.into_iter().map(ByteBuf::from).collect(),
        full: false,
        part: false,
    }
}

/// A page of `groups` whose every change is signed by `key`.
pub(super) fn page_by(key: &SigningKey, groups: Vec<Group>) -> Page {
    let mut page = Page {
        groups,
        ..Page::default()
    };
    let n = page.change_count();
    if n > 0 {
        page.proofs = vec![signed(key, &page, (0..n).collect())];
    }
    page
}

/// The page with its groups in the order `order` gives (a permutation of
/// their positions), its proofs still naming their changes.
pub(super) fn reorder(page: &mut Page, order: &[usize]) {
    // Where each change goes.
    let mut starts = vec![];
    let mut at = 0;
    for g in &page.groups {
        starts.push(at);
        at += g.changes.len();
    }
    let mut moved = vec![0usize; at];
    let mut next = 0;
    for &gi in order {
        for k in 0..page.groups[gi].changes.len() {
            moved[starts[gi] + k] = next;
            next += 1;
        }
    }
    for p in &mut page.proofs {
        let positions: Vec<usize> = enlace_sync::proof::positions(p).map(|i| moved[i]).collect();
        p.members = runs(positions);
    }
    let mut groups: Vec<Option<Group>> = page.groups.drain(..).map(Some).collect();
    page.groups = order.iter().filter_map(|&gi| groups[gi].take()).collect();
}
