//! This node as sync sees it: [`enlace_sync::Replica`] over the encrypted
//! store. One job per module:
//!
//! - [`rules`]: who may hold and who may change what — plain functions
//!   over values, with table-driven tests.
//! - [`proven`]: a received change together with a valid proof by its
//!   author. Nothing is applied, stored as applied or relayed without
//!   one: applying takes a [`proven::Proven`], and the only ways to make
//!   one verify a proof (the page's, or a stored one again).
//! - [`send`]: building a page for a peer (what it may hold, documents
//!   asked for whole, in parts when large, relayed changes only with
//!   their proofs).
//! - [`receive`]: applying a page in one transaction: every change
//!   proven, allowed and well formed, or kept aside; one bad change or
//!   document never fails the rest of the page.
//! - [`revocations`]: keys withdrawn by a node of their country.
//! - [`quarantine`]: keeping changes aside (bounded per peer) and trying
//!   them again when what they waited for arrives, their proofs checked
//!   anew.

pub(crate) mod audit_heads;
pub(crate) mod proven;
pub(crate) mod quarantine;
pub(crate) mod receive;
pub(crate) mod revocations;
pub(crate) mod rules;
pub(crate) mod send;
pub(crate) mod working;

use enlace_store::{PeerRow, Read};
use enlace_sync::{Cursor, DocId, Page, PeerKey, PeerState, Wants};
use serde_bytes::ByteArray;
use sha2::{Digest, Sha256};

use crate::{App, CoreError, Result};

pub(crate) use quarantine::retry_after_roster;
pub(crate) use rules::{first_u64, may_receive};

/// Operations and predecessors the changes of one page may declare (what
/// automerge walks to read them): a page of 1 MiB of cases declares about
/// 100,000. A sender builds its pages within it; a page over it is refused.
pub(crate) const PAGE_WORK: u64 = 2_000_000;

/// Documents this node wants whole from one peer, at most: a peer that
/// answers a reconciliation with endless ids cannot grow the list beyond
/// this (what is left out is found again at a later reconciliation).
pub(crate) const MAX_WANTS: u64 = 10_000;

pub(crate) fn doc_id_bytes(id: &str) -> Option<DocId> {
    uuid::Uuid::parse_str(id)
        .ok()
        .map(|u| ByteArray::new(*u.as_bytes()))
}

pub(crate) fn doc_id_string(id: &DocId) -> String {
    uuid::Uuid::from_bytes(**id).to_string()
}

pub(crate) fn hash_bytes(hex_hash: &str) -> Option<[u8; 32]> {
    let v = hex::decode(hex_hash).ok()?;
    v.try_into().ok()
}

/// A stored position: its sequence and hash tag (8 bytes).
fn cursor(seq: i64, tag: Option<&[u8]>) -> Cursor {
    match (
        u64::try_from(seq).unwrap_or(0),
        tag.and_then(|h| <[u8; 8]>::try_from(h).ok()),
    ) {
        (0, _) | (_, None) => Cursor::start(),
        (seq, Some(t)) => Cursor {
            seq,
            hash: Some(ByteArray::new(t)),
        },
    }
}

/// A stored position of a cursor: its sequence and hash tag.
fn position(c: &Cursor) -> (i64, Option<Vec<u8>>) {
    (
        i64::try_from(c.seq).unwrap_or(i64::MAX),
        c.hash.map(|h| h.to_vec()),
    )
}

/// How a want (or a debt: what a peer asked for in a bundle) is stored:
/// a document id; `change:HASH` (a document known by one of its changes);
/// `after:DOC:HASH` (the rest of a document sent in parts).
pub(crate) mod want {
    use super::*;

    const BY_CHANGE: &str = "change:";
    const AFTER: &str = "after:";

    pub(crate) fn by_change(hash_hex: &str) -> String {
        format!("{BY_CHANGE}{hash_hex}")
    }

    pub(crate) fn after(doc: &str, hash_hex: &str) -> String {
        format!("{AFTER}{doc}:{hash_hex}")
    }

    /// The prefix of the `after` wants of one document.
    pub(crate) fn after_prefix(doc: &str) -> String {
        format!("{AFTER}{doc}:")
    }

    /// The hash a `change:` want names.
    pub(crate) fn change_of(w: &str) -> Option<&str> {
        w.strip_prefix(BY_CHANGE)
    }

    /// Stored wants as the protocol carries them.
    pub(crate) fn split(rows: Vec<String>) -> Wants {
        let mut out = Wants::default();
        for w in rows {
            if let Some(h) = w.strip_prefix(BY_CHANGE) {
                out.changes.extend(hash_bytes(h).map(ByteArray::new));
            } else if let Some(rest) = w.strip_prefix(AFTER) {
                if let Some((d, h)) = rest.split_once(':')
                    && let (Some(d), Some(h)) = (doc_id_bytes(d), hash_bytes(h))
                {
                    out.after.push((d, ByteArray::new(h)));
                }
            } else {
                out.docs.extend(doc_id_bytes(&w));
            }
        }
        out
    }

    /// The protocol's wants as stored rows.
    pub(crate) fn rows(w: &Wants) -> Vec<String> {
        let mut out: Vec<String> = w.docs.iter().map(doc_id_string).collect();
        out.extend(w.changes.iter().map(|h| by_change(&hex::encode(**h))));
        out.extend(
            w.after
                .iter()
                .map(|(d, h)| after(&doc_id_string(d), &hex::encode(**h))),
        );
        out
    }
}

/// The first 8 bytes of SHA-256 over a document's heads (sorted, 32 bytes
/// each) as a big-endian number: what a reconciliation compares.
pub(crate) fn heads_digest(heads_json: &str) -> u64 {
    let mut heads: Vec<String> = serde_json::from_str(heads_json).unwrap_or_default();
    heads.sort();
    let mut s = Sha256::new();
    for h in &heads {
        if let Some(b) = hash_bytes(h) {
            s.update(b);
        }
    }
    first_u64(&s.finalize())
}

/// The country of a node key, as this node knows it: itself, a paired
/// peer, an anchor, a roster entry, or a revocation applied here (its
/// changes that stand are still its country's).
pub(crate) fn country_of(
    app_key: &[u8; 32],
    app_country: &str,
    r: &Read<'_>,
    key: &[u8],
) -> Result<Option<String>> {
    if key == app_key {
        return Ok(Some(app_country.to_owned()));
    }
    if let Some(p) = r.peer_by_key(key)? {
        return Ok(Some(p.country));
    }
    if let Some(a) = r.anchor_by_key(key)? {
        return Ok(Some(a.country));
    }
    if let Some(e) = r.roster_entry(key)? {
        return Ok(Some(e.country));
    }
    Ok(r.revocation(key)?.filter(|v| v.applied).map(|v| v.country))
}

impl App {
    pub(crate) fn public_key(&self) -> [u8; 32] {
        self.node.public_key()
    }

    /// The paired peer with key `peer`, or an error naming its key.
    pub(crate) fn peer_row_by_key(&self, peer: &PeerKey) -> Result<PeerRow> {
        self.store
            .read()
            .peer_by_key(peer)?
            .ok_or_else(|| CoreError::UnknownPeer {
                name: hex::encode(&peer[..8]),
            })
    }

    fn peer_country(&self, peer: &PeerKey) -> Result<String> {
        Ok(self.peer_row_by_key(peer)?.country)
    }

    /// A peer's country and its place there (an unreadable place is taken
    /// as the narrowest, an NGO's).
    pub(crate) fn peer_place(&self, peer: &PeerKey) -> Result<(String, enlace_domain::NodeRole)> {
        use enlace_domain::enums::Closed;
        let row = self.peer_row_by_key(peer)?;
        let role =
            enlace_domain::NodeRole::parse(&row.node_role).unwrap_or(enlace_domain::NodeRole::Ngo);
        Ok((row.country, role))
    }

    /// Adds wants for `peer`, up to [`MAX_WANTS`] in all.
    pub(crate) fn add_wants(&mut self, peer: &PeerKey, rows: &[String]) -> Result<()> {
        Ok(self.store.write(|tx| {
            let room = MAX_WANTS.saturating_sub(tx.read().want_count(peer)?);
            for w in rows
                .iter()
                .take(usize::try_from(room).unwrap_or(usize::MAX))
            {
                tx.want(peer, w)?;
            }
            Ok::<_, enlace_store::StoreError>(())
        })?)
    }
}

impl enlace_sync::Replica for App {
    type Error = CoreError;

    fn peer_state(&mut self, peer: &PeerKey) -> Result<PeerState> {
        let p = self.peer_row_by_key(peer)?;
        Ok(PeerState {
            applied: cursor(p.applied_seq, p.applied_hash.as_deref()),
            acked: cursor(p.acked_seq, p.acked_hash.as_deref()),
            want: want::split(self.store.read().wants(peer)?),
        })
    }

    fn log_end(&mut self) -> Result<Cursor> {
        let (seq, hash) = self.store.read().log_end()?;
        Ok(match hash.and_then(|h| hash_bytes(&h)) {
            Some(h) => Cursor::at(u64::try_from(seq).unwrap_or(0), h),
            None => Cursor::start(),
        })
    }

    fn has_position(&mut self, at: &Cursor) -> Result<bool> {
        if at.hash.is_none() {
            return Ok(at.seq == 0);
        }
        let Ok(seq) = i64::try_from(at.seq) else {
            return Ok(false);
        };
        Ok(self
            .store
            .read()
            .log_hash_at(seq)?
            .and_then(|x| hash_bytes(&x))
            .is_some_and(|h| at.names(at.seq, &h)))
    }

    fn holds_any_for(&mut self, peer: &PeerKey) -> Result<bool> {
        // Only whether there is anything at all by audience: a person
        // document a border post may not hold, or one granted to another
        // country, at worst makes a reconciliation that finds nothing.
        let country = self.peer_country(peer)?;
        let mut found = false;
        self.store.read().each_doc_meta(None, None, |m| {
            found = may_receive(
                m.kind,
                &m.owner_country,
                &m.audience,
                m.local_only,
                &country,
            );
            !found
        })?;
        Ok(found)
    }

    fn page_for(
        &mut self,
        peer: &PeerKey,
        after: &Cursor,
        whole: &Wants,
        max_bytes: u32,
    ) -> Result<Page> {
        self.build_page(peer, after, whole, max_bytes)
    }

    fn audit_for(&mut self, peer: &PeerKey) -> Result<Option<enlace_sync::AuditHead>> {
        self.audit_head_for(peer)
    }

    fn audit_from(&mut self, peer: &PeerKey, head: &enlace_sync::AuditHead) -> Result<()> {
        self.audit_head_from(peer, head)
    }

    fn apply(&mut self, peer: &PeerKey, page: &Page) -> Result<enlace_sync::Applied> {
        self.apply_page(peer, page, Some(&page.to))
    }

    fn set_acked(&mut self, peer: &PeerKey, to: &Cursor) -> Result<()> {
        let (seq, hash) = position(to);
        Ok(self
            .store
            .write(|tx| tx.set_peer_acked(peer, seq, hash.as_deref()))?)
    }

    fn set_applied(&mut self, peer: &PeerKey, to: &Cursor) -> Result<()> {
        let (seq, hash) = position(to);
        Ok(self
            .store
            .write(|tx| tx.set_peer_applied(peer, seq, hash.as_deref()))?)
    }

    fn want(&mut self, peer: &PeerKey, docs: &[DocId]) -> Result<()> {
        let rows: Vec<String> = docs.iter().map(doc_id_string).collect();
        self.add_wants(peer, &rows)
    }

    fn summary(
        &mut self,
        peer: &PeerKey,
        after: Option<&DocId>,
        through: Option<&DocId>,
        limit: usize,
    ) -> Result<Vec<(DocId, u64)>> {
        let (country, role) = self.peer_place(peer)?;
        let to = send::To {
            country: &country,
            role,
            key: peer,
            today: crate::clock::now().date_naive(),
        };
        let after = after.map(doc_id_string);
        let through = through.map(doc_id_string);
        let mut out = vec![];
        let r = self.store.read();
        let mut failed = None;
        r.each_doc_meta(after.as_deref(), through.as_deref(), |m| {
            let admitted = match send::admits(
                &r,
                (m.kind, &m.id, &m.owner_country),
                &m.audience,
                m.local_only,
                to,
            ) {
                Ok(b) => b,
                Err(e) => {
                    failed = Some(e);
                    return false;
                }
            };
            if admitted && let Some(id) = doc_id_bytes(&m.id) {
                out.push((id, heads_digest(&m.heads)));
            }
            out.len() < limit
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(out)
    }
}

/// How a node key is named here: a paired peer's name, a roster entry's,
/// or the key's first 8 bytes in hex.
pub(crate) fn key_name(r: &enlace_store::Read<'_>, key: &[u8]) -> enlace_store::Result<String> {
    if let Some(p) = r.peer_by_key(key)? {
        return Ok(p.name);
    }
    if let Some(a) = r.anchor_by_key(key)? {
        return Ok(a.name);
    }
    if let Some(e) = r.roster_entry(key)? {
        return Ok(e.name);
    }
    if let Some(v) = r.revocation(key)? {
        return Ok(v.name);
    }
    Ok(hex::encode(&key[..key.len().min(8)]))
}
