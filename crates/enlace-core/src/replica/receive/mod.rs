//! Applying a page from a peer, in one transaction with this node's
//! position in the peer's log.
//!
//! For every change: a valid proof by its author ([`crate::replica::proven`]), an
//! author this node knows, the history it follows, nesting within bounds,
//! and a right to change what it changes ([`crate::replica::rules::may`]). The
//! document as it then reads must be one this node may hold, well formed,
//! its owner's fields its owner's ([`crate::replica::rules::holdable`]). A change
//! that fails is kept aside with the reason ([`crate::replica::quarantine`]); a
//! document this node may not hold is refused whole and nothing of it is
//! kept. An error caused by what was received — automerge refusing a
//! change, a reused sequence number (equivocation), even a panic in a
//! library — stays with that change or document: the rest of the page
//! applies, and the next round does not fail again on the same bytes.

mod work;

use std::collections::{HashMap, HashSet};

use enlace_docs::ParsedChange;
use enlace_domain::DocKind;
use enlace_store::{Read, Received, WriteTx};
use enlace_sync::proof;
use enlace_sync::{Applied, Cursor, Page, PeerKey, Refusal, RefusalReason};
use serde_bytes::ByteArray;

use crate::node::Identity;
use crate::replica::proven::{Checked, Stored as StoredProofs};
use crate::replica::quarantine::{self, Keeper, Place};
use crate::replica::working::*;
use crate::replica::{doc_id_bytes, doc_id_string, position, want};
use crate::{App, CoreError, Result, index, now_string};
use work::*;

impl App {
    /// Verifies and applies a page from `peer` and, in the same
    /// transaction, moves this node's position in the peer's log to
    /// `advance` (kept where it is when `None`).
    ///
    /// The documents are worked on (automerge, JSON, checks, saving) by
    /// worker threads while this one writes them in page order: a page is
    /// CPU work and database work in about equal parts.
    pub(crate) fn apply_page(
        &mut self,
        peer: &PeerKey,
        page: &Page,
        advance: Option<&Cursor>,
    ) -> Result<Applied> {
        let my_country = self.node.country.to_string();
        let via = self.peer_country(peer)?;
        let at = now_string();
        let today = crate::clock::now().date_naive();
        // Parse every change once: hashes and authors for the proofs.
        // What reading the changes will cost, from their headers: a page
        // that declares more than a page may is refused before any is read.
        let work: u64 = page
            .groups
            .iter()
            .flat_map(|g| &g.changes)
            .map(|c| enlace_docs::chunk::check(c).unwrap_or(0))
            .sum();
        if work > crate::replica::PAGE_WORK {
            return Err(CoreError::PeerSent {
                detail: format!(
                    "a page whose changes declare {work} operations (at most {})",
                    crate::replica::PAGE_WORK
                ),
            });
        }
        let mut parsed: Vec<Option<ParsedChange>> = vec![];
        for g in &page.groups {
            for c in &g.changes {
                parsed.push(parse(c));
            }
        }
        let hashes: Vec<[u8; 32]> = parsed
            .iter()
            .map(|p| p.as_ref().map_or([0; 32], |p| p.hash))
            .collect();
        let actors: Vec<[u8; 32]> = parsed
            .iter()
            .map(|p| {
                p.as_ref()
                    .and_then(|p| proof::actor_key(&p.actor))
                    .unwrap_or([0; 32])
            })
            .collect();
        let covered = proof::verify_proofs(&page.proofs, peer, &hashes, &actors);
        let node = &self.node;
        self.store.write(|tx| {
            let mut out = Applied::default();
            quarantine::accept_roster(node, tx, &page.roster, &at)?;
            super::revocations::accept_revocations(node, tx, &page.revocations, &at)?;
            let mut keeper = Keeper::new(tx, peer, &page.proofs, &hashes, &at)?;
            let mut authors = Authors::new();
            let mut touched: HashSet<String> = HashSet::new();
            let mut cases: HashSet<String> = HashSet::new();
            let read = tx.read();
            authors.set_source(&read, &peer[..])?;

            // 1. On this thread: which document each group is, its stored
            //    copy, its authors' countries.
            let mut ready: Vec<Ready> = Vec::with_capacity(page.groups.len());
            let mut stored_proofs = StoredProofs::default();
            let mut pos = 0usize;
            for g in &page.groups {
                let mut incoming = vec![];
                for c in &g.changes {
                    let p = parsed[pos].take();
                    let covered = covered[pos];
                    pos += 1;
                    match p {
                        Some(parsed) => {
                            if let Some(key) = proof::actor_key(&parsed.actor) {
                                author_country(node, &read, &mut authors, &key)?;
                            }
                            incoming.push(Checked::from_page(parsed, c.to_vec(), covered));
                        }
                        None => out.refused.push(Refusal {
                            doc: g.doc,
                            change: None,
                            reason: RefusalReason::Malformed,
                        }),
                    }
                }
                // Which document: named, or found by the changes it holds.
                let (id, kind) = match (&g.doc, &g.kind) {
                    (Some(d), Some(k)) => (doc_id_string(d), DocKind::of(k)),
                    _ => match resolve(&read, &incoming)? {
                        Some((id, kind)) => (id, Some(kind)),
                        None => {
                            // Its document is not here yet: keep the
                            // changes (proven ones to wait, the others as
                            // refused) and ask for it by one of them.
                            keep_unplaced(&mut keeper, peer, &incoming, &mut out)?;
                            continue;
                        }
                    },
                };
                // A kind this version does not know is not held.
                let Some(kind) = kind else {
                    out.refused.push(Refusal {
                        doc: doc_id_bytes(&id),
                        change: None,
                        reason: RefusalReason::Malformed,
                    });
                    continue;
                };
                // A part of a document asked for whole (by its id, or by a
                // change of it when this node did not know it), too large
                // for a page, is kept until its last part: the document is
                // judged whole.
                let asked = read.wanted_whole(peer, &id)?
                    || (read.wants_by_change(peer)? && read.doc(&id)?.is_none());
                if g.part && asked {
                    keeper.stage(peer, Place::known(&id, kind), &incoming, &mut out)?;
                    continue;
                }
                if g.full {
                    let kept = read.parts(peer, &id)?;
                    if !kept.is_empty() {
                        let mut all = Vec::with_capacity(kept.len() + incoming.len());
                        for p in kept {
                            if let Some(parsed) = parse(&p.change) {
                                all.push(stored_proofs.check(
                                    &read,
                                    parsed,
                                    p.change,
                                    Some(p.proof_id),
                                )?);
                            }
                        }
                        all.append(&mut incoming);
                        incoming = all;
                    }
                }
                match stored_doc(&read, &id, kind)? {
                    Ok(stored) => ready.push(Ready {
                        id,
                        kind,
                        full: g.full,
                        stored,
                        incoming,
                    }),
                    Err(reason) => out.refused.push(Refusal {
                        doc: doc_id_bytes(&id),
                        change: None,
                        reason,
                    }),
                }
            }

            // 2. Worker threads work on the groups while this one writes
            //    each, in page order, as it comes.
            let cx = Context {
                actor: &node.actor,
                authors: &authors,
                my_country: &my_country,
                my_role: node.role,
                my_key: node.public_key(),
                via: &via,
                at: &at,
                today,
            };
            let (cx_ref, ready_ref) = (&cx, &ready);
            // Workers (one per core, at most 4) take every n-th group; the
            // writer takes their results in turn, so in page order.
            let n = std::thread::available_parallelism()
                .map_or(1, std::num::NonZeroUsize::get)
                .clamp(1, 4);
            std::thread::scope(|scope| -> Result<()> {
                let mut receivers = Vec::with_capacity(n);
                for k in 0..n {
                    let (send, recv) = std::sync::mpsc::sync_channel::<Result<Worked>>(16);
                    receivers.push(recv);
                    scope.spawn(move || {
                        for r in ready_ref.iter().skip(k).step_by(n) {
                            if send.send(work_confined(cx_ref, r)).is_err() {
                                return;
                            }
                        }
                    });
                }
                for (k, r) in ready.iter().enumerate() {
                    let worked = receivers[k % n]
                        .recv()
                        .map_err(|_| CoreError::Internal("a worker thread stopped".into()))??;
                    let done = write_group(tx, node, peer, &mut keeper, r, worked, &mut out)?;
                    if done.stored {
                        touched.insert(r.id.clone());
                        match r.kind {
                            DocKind::Case if !done.indexed => {
                                cases.insert(r.id.clone());
                            }
                            DocKind::Case => {
                                cases.remove(&r.id);
                            }
                            DocKind::Person => cases.extend(tx.read().cases_of_person(&r.id)?),
                            // A victim's risk: its row of the risk index.
                            DocKind::RiskAssessment => {
                                cases.insert(r.id.clone());
                            }
                            _ => {}
                        }
                    }
                }
                Ok(())
            })?;

            // 3. What the page settles.
            for d in &page.unavailable {
                // Not to be had from this peer (any more): no want of it,
                // no part of it kept.
                let id = doc_id_string(d);
                tx.unwant(peer, &id)?;
                tx.unwant_prefix(peer, &want::after_prefix(&id))?;
                tx.drop_parts(peer, &id)?;
            }
            for h in &page.unavailable_changes {
                // The change asked by waits for a document this node will
                // not get from this peer: not kept either.
                let hash = hex::encode(**h);
                let asked = want::by_change(&hash);
                if tx.read().is_wanted(peer, &asked)? {
                    tx.unwant(peer, &asked)?;
                    tx.forget_unplaced(&hash)?;
                }
            }
            // Changes kept for want of history or of their author's key
            // may apply now.
            out.changes += quarantine::retry(node, tx, &touched, &at, &mut cases)?;
            // Documents asked for by a change are here once that change is.
            for w in tx.read().wants(peer)? {
                if let Some(h) = want::change_of(&w)
                    && tx.read().doc_of_change(h)?.is_some()
                {
                    tx.unwant(peer, &w)?;
                }
            }
            for id in &cases {
                reindex_case(node, tx, id, &at, today)?;
            }
            if let Some(to) = advance {
                let (seq, hash) = position(to);
                tx.set_peer_applied(peer, seq, hash.as_deref())?;
            }
            if !out.refused.is_empty() {
                let mut by_reason: HashMap<&str, usize> = HashMap::new();
                for r in &out.refused {
                    *by_reason.entry(r.reason.as_str()).or_default() += 1;
                }
                let mut detail: Vec<String> =
                    by_reason.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                detail.sort();
                let name = crate::replica::key_name(&tx.read(), peer)?;
                tx.audit(&at, &node.name, "sync.refused", &name, &detail.join(", "))?;
            }
            Ok::<_, CoreError>(out)
        })
    }
}

/// The document (id, kind) of a group that does not name it.
fn resolve(r: &Read<'_>, incoming: &[Checked]) -> Result<Option<(String, DocKind)>> {
    for inc in incoming {
        if let Some(found) = doc_of(r, inc.parsed())? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Keeps the changes of a group whose document this node does not hold:
/// proven ones wait for it (and it is asked for by one of them); the
/// others are kept as refused.
fn keep_unplaced(
    keeper: &mut Keeper<'_, '_>,
    peer: &PeerKey,
    incoming: &[Checked],
    out: &mut Applied,
) -> Result<()> {
    let mut asked = false;
    for inc in incoming {
        let (reason, detail, proof) = match inc.proven() {
            Some(p) => (
                RefusalReason::MissingHistory,
                "its document is not on this node yet",
                Some(p.proof()),
            ),
            None => (RefusalReason::BadSignature, NO_PROOF, None),
        };
        let reason = keeper.keep(
            inc.parsed(),
            inc.bytes(),
            Place::UNKNOWN,
            proof,
            reason,
            detail,
        )?;
        if reason == RefusalReason::MissingHistory && !asked {
            keeper.want(peer, &want::by_change(&inc.parsed().hash_hex()))?;
            asked = true;
        }
        out.refused.push(Refusal {
            doc: None,
            change: Some(ByteArray::new(inc.parsed().hash)),
            reason,
        });
    }
    Ok(())
}

/// What writing a group did.
struct Written {
    /// The document was stored.
    stored: bool,
    /// Its index row was written too (a case).
    indexed: bool,
}

/// Writes what working on a group gave: the document, its applied changes
/// with their proofs, its index row, the changes kept aside, and what the
/// group settles of the documents wanted whole.
fn write_group(
    tx: &WriteTx<'_>,
    node: &Identity,
    peer: &PeerKey,
    keeper: &mut Keeper<'_, '_>,
    r: &Ready,
    worked: Worked,
    out: &mut Applied,
) -> Result<Written> {
    let doc_ref = doc_id_bytes(&r.id);
    let mut written = Written {
        stored: false,
        indexed: false,
    };
    match worked.outcome {
        Err(reason) => {
            // Not for this node: nothing of it is kept (a change of it
            // kept earlier goes too), and it is not asked for again.
            out.refused.push(Refusal {
                doc: doc_ref,
                change: None,
                reason,
            });
            tx.forget_quarantined_doc(&r.id)?;
            tx.unwant(peer, &r.id)?;
            tx.unwant_prefix(peer, &want::after_prefix(&r.id))?;
            tx.drop_parts(peer, &r.id)?;
            return Ok(written);
        }
        Ok(None) => {}
        Ok(Some(Keep {
            row,
            case,
            index_row,
            replaces_demo,
        })) => {
            put_received(tx, &row, replaces_demo)?;
            // Another country's identity, held here under a grant: its
            // arrival is in this country's audit log too.
            if r.kind.follows_identity()
                && r.stored.is_none()
                && row.owner_country != node.country.as_str()
            {
                tx.audit(
                    keeper.at(),
                    &node.name,
                    "grant.received",
                    &r.id,
                    &format!("{}: {}", row.owner_country, row.grants.join(", ")),
                )?;
            }
            for &i in &worked.applied {
                let inc = &r.incoming[i];
                let Some(p) = inc.proven() else { continue };
                let proof_id = keeper.proof_id(p.proof())?;
                let hash = inc.parsed().hash_hex();
                let logged = tx.log_received(
                    &Received {
                        doc_id: &r.id,
                        hash: &hash,
                        change: inc.bytes(),
                        author: p.author(),
                        source: peer,
                        proof_id,
                    },
                    keeper.at(),
                )?;
                if logged.is_some() {
                    out.changes += 1;
                    tx.remove_quarantined_hash(&hash)?;
                }
            }
            out.docs += 1;
            written.stored = true;
            if let (DocKind::Case, Some((case, issues))) = (r.kind, case) {
                // Identities live in their own country: another country's
                // case has none here (its row was built already) unless
                // one was granted to this country.
                let granted_here = match index_row {
                    Some(_) => {
                        let rd = tx.read();
                        let mut any = false;
                        for p in case.persons.iter().filter_map(|p| p.person_ref) {
                            any |= rd.reach_of(&p.to_string())?.is_some();
                        }
                        any
                    }
                    None => false,
                };
                let row = match index_row {
                    Some(row) if !granted_here => row,
                    _ => {
                        let names = index::person_names(&tx.read(), &case, &node.actor)?;
                        index::case_row(&case, &names, &issues, keeper.at())
                    }
                };
                if r.stored.is_none() {
                    tx.index_new_case(&row)?;
                } else {
                    tx.index_case(&row)?;
                }
                written.indexed = true;
            }
        }
    }
    for (i, reason, detail) in worked.kept {
        let inc = &r.incoming[i];
        let proof = inc.proven().map(|p| p.proof());
        let reason = keeper.keep(
            inc.parsed(),
            inc.bytes(),
            Place::known(&r.id, r.kind),
            proof,
            reason,
            &detail,
        )?;
        if reason == RefusalReason::MissingHistory {
            keeper.want(peer, &r.id)?;
        }
        out.refused.push(Refusal {
            doc: doc_ref,
            change: Some(ByteArray::new(inc.parsed().hash)),
            reason,
        });
    }
    if r.full {
        tx.unwant(peer, &r.id)?;
        tx.unwant_prefix(peer, &want::after_prefix(&r.id))?;
        tx.drop_parts(peer, &r.id)?;
    }
    Ok(written)
}
