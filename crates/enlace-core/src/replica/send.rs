//! Building a page of this node's log for a peer: only what the peer may
//! hold, never what came from it or was written by it, documents asked
//! for whole (in parts when one does not fit a page), and relayed changes
//! only with the proof they came with.

use std::collections::{HashMap, HashSet};

use enlace_store::{LogRow, Read};
use enlace_sync::proof::{self, ProofSource, StoredProof};
use enlace_sync::{Cursor, DocId, Group, Page, PeerKey, Wants};
use serde_bytes::{ByteArray, ByteBuf};

use super::rules::{class_of, granted, may_receive, reaches, relay_barred};
use super::{doc_id_bytes, doc_id_string, hash_bytes};
use enlace_domain::{DocKind, NodeRole};

use crate::{App, Result};

/// Log entries read per query while building a page.
const SCAN_BATCH: usize = 2_000;
/// Log entries a page may skip over (not for this receiver) before it
/// stops and says there is more: bounds the work of one request.
const SCAN_LIMIT: usize = 50_000;
/// Changes of a document asked for whole read per query.
const WHOLE_BATCH: usize = 256;

/// What a page may still carry: the receiver's decoder refuses a page
/// over any of its limits, whatever its bytes (a page of many tiny changes,
/// or relayed proofs that name many hidden members).
struct Budget {
    changes: usize,
    groups: usize,
    proofs: HashSet<i64>,
    hidden: usize,
    members: HashMap<i64, usize>,
    /// Operations and predecessors the changes declare.
    work: u64,
}

/// Room kept for this node's own proofs (one per visibility class).
const OWN_PROOFS: usize = 512;

impl Budget {
    fn new() -> Budget {
        Budget {
            changes: 0,
            groups: 0,
            proofs: HashSet::new(),
            hidden: 0,
            members: HashMap::new(),
            work: 0,
        }
    }

    /// Takes room for `row` (and a new group when `new_group`); false,
    /// taking nothing, when the page has none left for it.
    fn admit(&mut self, r: &Read<'_>, row: &LogRow, new_group: bool) -> Result<bool> {
        let l = &enlace_sync::LIMITS;
        if self.changes + 1 > l.max_changes || self.groups + usize::from(new_group) > l.max_groups {
            return Ok(false);
        }
        let work = enlace_docs::chunk::check(&row.change).unwrap_or(enlace_docs::chunk::MAX_WORK);
        if self.work + work > super::PAGE_WORK {
            return Ok(false);
        }
        let mut hidden = 0;
        if let Some(pid) = row.proof_id
            && !self.proofs.contains(&pid)
        {
            if self.proofs.len() + 1 + OWN_PROOFS > l.max_proofs {
                return Ok(false);
            }
            let members = match self.members.get(&pid) {
                Some(n) => *n,
                None => {
                    let n = r.proof(pid)?.map_or(0, |p| p.members.len() / 32);
                    self.members.insert(pid, n);
                    n
                }
            };
            // At worst every member but this change is hidden.
            hidden = members;
            if self.hidden + hidden > l.max_hidden {
                return Ok(false);
            }
        }
        self.changes += 1;
        self.groups += usize::from(new_group);
        self.work += work;
        if let Some(pid) = row.proof_id
            && self.proofs.insert(pid)
        {
            self.hidden += hidden;
        }
        Ok(true)
    }
}

/// A log entry chosen for a page.
struct Chosen {
    row: LogRow,
    hash: [u8; 32],
}

/// One document's changes in the page being built.
struct Building {
    id: String,
    kind: DocKind,
    chosen: Vec<Chosen>,
    /// Asked for whole: `Some(true)` when it is all here, `Some(false)`
    /// for a part (more follows).
    whole: Option<bool>,
}

/// A document asked for whole, as far as this page goes.
enum Whole {
    /// This node does not hold it, or the receiver may not.
    Unavailable,
    /// Nothing of it fits this page.
    Later,
    Some(Building),
}

/// True when the first change of a group depends on others (so the
/// receiver finds its document by them and the page can leave it out).
fn extends(change: &[u8]) -> bool {
    enlace_docs::chunk::has_deps(change)
}

/// May this entry travel from here? This node's own changes always (it
/// signs them); a change received from elsewhere only with the proof it
/// came with — one without (logged by an older version) is not relayed.
fn relayable(row: &LogRow, me: &[u8; 32]) -> bool {
    let own = row.source.is_none() && row.author.as_deref() == Some(&me[..]);
    own || row.proof_id.is_some()
}

/// Whether a case of `owner` that this node (of `mine`) holds may not go on
/// to a node of `to` because it carries H2 items ([`relay_barred`]); the
/// index is read only when this node would be relaying it.
fn barred(
    r: &Read<'_>,
    kind: DocKind,
    id: &str,
    owner: &str,
    mine: &str,
    to: &str,
) -> Result<bool> {
    if kind != DocKind::Case || !relay_barred(true, owner, mine, to) {
        return Ok(false);
    }
    Ok(r.case_handling(id)?
        .is_some_and(|h| h.split(',').any(|c| c == "H2")))
}

/// A peer as what it may receive: its country, its place there (as this
/// node's administrator set it), its key, and the day grants are read on.
#[derive(Clone, Copy)]
pub(crate) struct To<'a> {
    pub country: &'a str,
    pub role: NodeRole,
    pub key: &'a [u8; 32],
    pub today: chrono::NaiveDate,
}

/// May document `id` go to peer `to`? Its audience ([`may_receive`]);
/// for a person document, need-to-know inside its country ([`reaches`])
/// and, for a hub or an office of another country, a standing grant to
/// that country ([`granted`]). The store is read only for person
/// documents.
pub(crate) fn admits(
    r: &Read<'_>,
    (kind, id, owner_country): (DocKind, &str, &str),
    audience: &str,
    local_only: bool,
    to: To<'_>,
) -> Result<bool> {
    if local_only {
        return Ok(false);
    }
    if !kind.follows_identity() {
        return Ok(may_receive(
            kind,
            owner_country,
            audience,
            false,
            to.country,
        ));
    }
    let Some(reach) = r.reach_of(id)? else {
        return Ok(false);
    };
    Ok(if owner_country == to.country {
        reaches(kind, to.role, to.key, &reach.owner_node, &reach.nodes)
    } else {
        !to.role.need_to_know() && granted(&reach.grants, to.country, to.today)
    })
}

impl App {
    pub(crate) fn build_page(
        &mut self,
        peer: &PeerKey,
        after: &Cursor,
        whole: &Wants,
        max_bytes: u32,
    ) -> Result<Page> {
        let (country, role) = self.peer_place(peer)?;
        let dest = To {
            country: &country,
            role,
            key: peer,
            today: crate::clock::now().date_naive(),
        };
        let mine = self.node.country.to_string();
        let me = self.public_key();
        let max = max_bytes as usize;
        let r = self.store.read();
        let mut groups: Vec<Building> = vec![];
        let mut in_page: HashMap<String, usize> = HashMap::new();
        let mut unavailable = vec![];
        let mut unavailable_changes = vec![];
        let mut bytes = 0usize;
        let mut budget = Budget::new();

        // 1. Documents asked for whole come first: by id, by one of their
        //    changes, or the rest after a part already sent.
        // Each document once, from the furthest point asked for (a part
        // already sent is not sent again).
        // Each wanted document once: from where, and the changes it was
        // asked for by (told unavailable too, when it is).
        let mut wanted: Vec<(DocId, i64, Vec<enlace_sync::Hash>)> = vec![];
        let mut ask = |d: DocId, from: i64, by: Option<enlace_sync::Hash>| match wanted
            .iter_mut()
            .find(|(w, _, _)| *w == d)
        {
            Some((_, f, hs)) => {
                *f = (*f).max(from);
                hs.extend(by);
            }
            None => wanted.push((d, from, by.into_iter().collect())),
        };
        for d in &whole.docs {
            ask(*d, 0, None);
        }
        for h in &whole.changes {
            match r
                .doc_of_change(&hex::encode(**h))?
                .and_then(|(id, _)| doc_id_bytes(&id))
            {
                Some(d) => ask(d, 0, Some(*h)),
                None => unavailable_changes.push(*h),
            }
        }
        for (d, h) in &whole.after {
            let from = r
                .seq_of_change(&doc_id_string(d), &hex::encode(**h))?
                .unwrap_or(0);
            ask(*d, from, None);
        }
        for (d, from, by) in wanted {
            if bytes >= max && !groups.is_empty() {
                // The rest next time (the receiver asks again).
                continue;
            }
            let id = doc_id_string(&d);
            match self.whole_doc(&r, &id, from, dest, &me, max, &mut bytes, &mut budget)? {
                Whole::Unavailable => {
                    unavailable.push(d);
                    unavailable_changes.extend(by);
                }
                Whole::Later => {}
                Whole::Some(b) => {
                    in_page.insert(id, groups.len());
                    groups.push(b);
                }
            }
        }

        // 2. Then the log after `after`.
        let mut to = after.clone();
        let mut scanned = 0usize;
        let mut last = i64::try_from(after.seq).unwrap_or(i64::MAX);
        'scan: loop {
            let rows = r.log_after(last, SCAN_BATCH)?;
            let n = rows.len();
            for row in rows {
                if (bytes + row.change.len() > max && bytes > 0) || scanned >= SCAN_LIMIT {
                    break 'scan;
                }
                let Some(hash) = hash_bytes(&row.hash) else {
                    scanned += 1;
                    last = row.seq;
                    continue;
                };
                let from_peer = row.source.as_deref() == Some(&peer[..]);
                let by_peer = row.author.as_deref() == Some(&peer[..]);
                let goes = !from_peer
                    && !by_peer
                    && relayable(&row, &me)
                    && admits(
                        &r,
                        (row.kind, &row.doc_id, &row.owner_country),
                        &row.audience,
                        row.local_only,
                        dest,
                    )?
                    && !barred(
                        &r,
                        row.kind,
                        &row.doc_id,
                        &row.owner_country,
                        &mine,
                        &country,
                    )?;
                // A change that does not fit what the receiver's decoder
                // accepts waits for the next page (the position stays
                // before it).
                let new_group = !in_page.contains_key(&row.doc_id);
                let fits = !goes || budget.admit(&r, &row, new_group)?;
                if !fits && !groups.is_empty() {
                    break 'scan;
                }
                // One that fits no page at all (a proof stored by an older
                // version naming more than a page may carry) is passed
                // over, so the log never stalls on it.
                let goes = goes && fits;
                scanned += 1;
                last = row.seq;
                to = Cursor::at(u64::try_from(row.seq).unwrap_or(0), hash);
                if !goes {
                    continue;
                }
                bytes += row.change.len();
                match in_page.get(&row.doc_id) {
                    Some(&i) if groups[i].whole.is_some() => {} // sent whole
                    Some(&i) => groups[i].chosen.push(Chosen { row, hash }),
                    None => {
                        in_page.insert(row.doc_id.clone(), groups.len());
                        groups.push(Building {
                            id: row.doc_id.clone(),
                            kind: row.kind,
                            chosen: vec![Chosen { row, hash }],
                            whole: None,
                        });
                    }
                }
            }
            if n < SCAN_BATCH {
                break;
            }
        }
        let (end, _) = r.log_end()?;
        let remaining = u64::try_from(end).unwrap_or(0).saturating_sub(to.seq);
        let (proofs, authors) = self.proofs_for(&r, &groups, &me)?;
        let roster = self.roster_for(&r, &authors)?;
        let revocations = revocations_for(&r, after.seq, &authors)?;
        Ok(Page {
            base: after.clone(),
            to,
            more: remaining > 0,
            remaining,
            roster,
            revocations,
            proofs,
            groups: groups.into_iter().filter_map(group_of).collect(),
            unavailable,
            unavailable_changes,
        })
    }

    /// Document `id` from log position `from` on, for a receiver of
    /// `country`, within what is left of the page's budget (at least one
    /// change when the page is empty).
    #[allow(clippy::too_many_arguments)]
    fn whole_doc(
        &self,
        r: &Read<'_>,
        id: &str,
        from: i64,
        to: To<'_>,
        me: &[u8; 32],
        max: usize,
        bytes: &mut usize,
        budget: &mut Budget,
    ) -> Result<Whole> {
        let Some(meta) = r.doc(id)? else {
            return Ok(Whole::Unavailable);
        };
        if !admits(
            r,
            (meta.kind, id, &meta.owner_country),
            &meta.audience,
            meta.local_only,
            to,
        )? || barred(
            r,
            meta.kind,
            id,
            &meta.owner_country,
            self.node.country.as_str(),
            to.country,
        )? {
            return Ok(Whole::Unavailable);
        }
        let mut chosen = vec![];
        let mut last = from;
        let complete = 'read: loop {
            let rows = r.log_of_doc_after(id, last, WHOLE_BATCH)?;
            if rows.is_empty() {
                break true;
            }
            for row in rows {
                if !relayable(&row, me) {
                    last = row.seq;
                    continue;
                }
                if *bytes + row.change.len() > max && *bytes > 0 {
                    break 'read false;
                }
                if !budget.admit(r, &row, chosen.is_empty())? {
                    if *bytes > 0 {
                        break 'read false;
                    }
                    // It fits no page at all: passed over (see the log scan).
                    last = row.seq;
                    continue;
                }
                last = row.seq;
                let Some(hash) = hash_bytes(&row.hash) else {
                    continue;
                };
                *bytes += row.change.len();
                chosen.push(Chosen { row, hash });
            }
        };
        Ok(match (chosen.is_empty(), complete) {
            // The rest of a document sent in parts: nothing more may
            // travel, so this is its end (the receiver applies its parts).
            (true, true) if from > 0 => Whole::Some(Building {
                id: id.to_owned(),
                kind: meta.kind,
                chosen,
                whole: Some(true),
            }),
            // Nothing of it may travel from here.
            (true, true) => Whole::Unavailable,
            // Nothing of it fits this page: the receiver asks again.
            (true, false) => Whole::Later,
            (false, complete) => Whole::Some(Building {
                id: id.to_owned(),
                kind: meta.kind,
                chosen,
                whole: Some(complete),
            }),
        })
    }

    /// The proofs of a page: this node's own changes signed afresh per
    /// visibility class; relayed ones with the proof they came with.
    fn proofs_for(
        &self,
        r: &Read<'_>,
        groups: &[Building],
        me: &[u8; 32],
    ) -> Result<(Vec<enlace_sync::Proof>, HashSet<[u8; 32]>)> {
        let mut stored: HashMap<i64, StoredProof> = HashMap::new();
        let mut sources: Vec<([u8; 32], ProofSource)> = vec![];
        let mut authors: HashSet<[u8; 32]> = HashSet::new();
        for g in groups {
            for c in &g.chosen {
                let author = c
                    .row
                    .author
                    .as_deref()
                    .and_then(|a| <[u8; 32]>::try_from(a).ok())
                    .unwrap_or([0; 32]);
                authors.insert(author);
                let src = if author == *me && c.row.source.is_none() {
                    ProofSource::Own {
                        class: class_of(c.row.kind, &c.row.owner_country, &c.row.audience),
                    }
                } else if let Some(pid) = c.row.proof_id {
                    if !stored.contains_key(&pid)
                        && let Some(p) = r.proof(pid)?
                        && let (Ok(author), Ok(sig)) = (
                            <[u8; 32]>::try_from(p.author.as_slice()),
                            <[u8; 64]>::try_from(p.signature.as_slice()),
                        )
                    {
                        stored.insert(
                            pid,
                            StoredProof {
                                id: pid,
                                author,
                                sig,
                                members: p
                                    .members
                                    .chunks_exact(32)
                                    .filter_map(|c| <[u8; 32]>::try_from(c).ok())
                                    .collect(),
                            },
                        );
                    }
                    match stored.get(&pid) {
                        Some(p) => ProofSource::Stored(p.clone()),
                        None => ProofSource::None,
                    }
                } else {
                    ProofSource::None
                };
                sources.push((c.hash, src));
            }
        }
        Ok((
            proof::build_proofs(self.node.signing_key(), &sources),
            authors,
        ))
    }

    /// Roster entries a receiver may need to verify the authors of a page:
    /// this node vouches for the nodes of its own country it trusts
    /// directly (peers and anchors), and forwards the entries it holds for
    /// other authors (the receiver accepts them only from a voucher it
    /// trusts directly itself).
    fn roster_for(
        &self,
        r: &Read<'_>,
        authors: &HashSet<[u8; 32]>,
    ) -> Result<Vec<enlace_sync::RosterEntry>> {
        let me = self.public_key();
        let mine = self.node.country.as_str();
        let mut out = vec![];
        for key in authors {
            if *key == me || out.len() >= 500 {
                continue;
            }
            if let Some(p) = r.peer_by_key(key)? {
                if p.country == mine {
                    out.push(proof::vouch(
                        self.node.signing_key(),
                        key,
                        &p.country,
                        &p.name,
                    ));
                }
                continue;
            }
            if let Some(a) = r.anchor_by_key(key)? {
                if a.country == mine {
                    out.push(proof::vouch(
                        self.node.signing_key(),
                        key,
                        &a.country,
                        &a.name,
                    ));
                }
                continue;
            }
            // A key revoked here is still a node of its country: vouch for
            // it (its kept changes need its country; its revocation, in the
            // same page, says which of them stand).
            if let Some(v) = r.revocation(key)?
                && v.applied
            {
                if v.country == mine {
                    out.push(proof::vouch(
                        self.node.signing_key(),
                        key,
                        &v.country,
                        &v.name,
                    ));
                }
                continue;
            }
            if let Some(e) = r.roster_entry(key)?
                && let (Ok(voucher), Ok(sig)) = (
                    <[u8; 32]>::try_from(e.voucher.as_slice()),
                    <[u8; 64]>::try_from(e.signature.as_slice()),
                )
            {
                out.push(enlace_sync::RosterEntry {
                    key: ByteArray::new(*key),
                    country: e.country,
                    name: e.name,
                    voucher: ByteArray::new(voucher),
                    sig: ByteArray::new(sig),
                });
            }
        }
        Ok(out)
    }
}

/// Kept tags' bytes one page carries in its revocations, at most.
const REVOCATION_BYTES: usize = 8 << 20;

/// Revocations a page carries: those this node applied since the page's
/// base (every one on a first sync), and those of the page's authors.
fn revocations_for(
    r: &Read<'_>,
    base: u64,
    authors: &HashSet<[u8; 32]>,
) -> Result<Vec<enlace_sync::Revocation>> {
    let mut rows = r.revocations_since(i64::try_from(base).unwrap_or(i64::MAX))?;
    for key in authors {
        if !rows.iter().any(|v| v.public_key == *key)
            && let Some(v) = r.revocation(key)?
            && v.applied
        {
            rows.push(v);
        }
    }
    // Within a message's limits: a revocation keeps at most 1.6 MB of
    // tags; a page carries at most 8 MiB of them.
    let mut bytes = 0usize;
    Ok(rows
        .into_iter()
        .take(enlace_sync::LIMITS.max_revocations)
        .take_while(|v| {
            bytes += v.kept.len();
            bytes <= REVOCATION_BYTES
        })
        .filter_map(|v| {
            Some(enlace_sync::Revocation {
                key: ByteArray::new(<[u8; 32]>::try_from(v.public_key.as_slice()).ok()?),
                country: v.country,
                at: v.revoked_at,
                kept: serde_bytes::ByteBuf::from(v.kept),
                revoker: ByteArray::new(<[u8; 32]>::try_from(v.revoker.as_slice()).ok()?),
                sig: ByteArray::new(<[u8; 64]>::try_from(v.signature.as_slice()).ok()?),
            })
        })
        .collect())
}

/// The wire group of a document in the page.
fn group_of(b: Building) -> Option<Group> {
    let doc = doc_id_bytes(&b.id)?;
    // A group extending a document the receiver holds leaves it out: the
    // receiver finds it by the dependencies. Whole documents and their
    // parts always name it, and so do documents with a common root (their
    // first change depends on a root nobody sends: each node makes it).
    let named = b.whole.is_some()
        || crate::kinds::has_common_root(b.kind)
        || b.chosen.first().is_none_or(|c| !extends(&c.row.change));
    Some(Group {
        doc: named.then_some(doc),
        kind: named.then(|| b.kind.name().to_owned()),
        changes: b
            .chosen
            .into_iter()
            .map(|c| ByteBuf::from(c.row.change))
            .collect(),
        full: b.whole == Some(true),
        part: b.whole == Some(false),
    })
}
