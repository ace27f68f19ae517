//! Changes kept aside, and trust in authors.
//!
//! A received change that cannot be applied now is kept with its reason
//! and the proof it came with — never merged, never silently dropped —
//! up to a bound per sender ([`MAX_KEPT`], [`MAX_KEPT_BYTES`]): past it,
//! a change is refused and not kept (`quarantine_full`; its sender still
//! holds it), so a peer cannot fill this node's disk with changes it will
//! never apply. Changes waiting for history or for their author's key are
//! tried again when what they wait for arrives, their proofs verified
//! again ([`super::proven::Stored`]); only the rows that may apply are
//! read, never the whole quarantine.
//!
//! Roster entries ("this key is a node of that country") are accepted
//! only from a node this node trusts directly — a paired peer or an
//! anchor — of the same country: trust does not pass on, so a node known
//! only through the roster cannot vouch for more keys. A key unpaired here
//! is not brought back by anyone's entry.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use enlace_docs::ParsedChange;
use enlace_domain::DocKind;
use enlace_store::{PartRow, QuarantineRow, RosterRow, WriteTx};
use enlace_sync::proof;
use enlace_sync::{Applied, PeerKey, Refusal, RefusalReason};
use serde_bytes::ByteArray;

use super::proven::{Checked, ProofRef, Stored as StoredProofs};
use super::rules;
use super::want;
use super::working::{
    Authors, Fate, author_country, doc_row_from, first_dep, put_received, rebuild, stored_doc,
    try_change, working,
};
use super::{MAX_WANTS, country_of};
use crate::Result;
use crate::node::Identity;

/// Changes kept from one sender, at most.
pub(crate) const MAX_KEPT: u64 = 10_000;
/// Bytes of changes kept from one sender, at most.
pub(crate) const MAX_KEPT_BYTES: u64 = 64 << 20;
/// Bytes of parts of large documents kept from one sender, at most (a
/// document larger than this cannot be received in parts).
pub(crate) const MAX_PART_BYTES: u64 = 64 << 20;
/// Operations and predecessors the parts of one document may declare
/// together (they are read at once when the last part comes).
pub(crate) const MAX_DOC_WORK: u64 = 8_000_000;
/// Kept changes tried again after one page, at most (the rest at the next).
const RETRY_ROWS: usize = 10_000;

/// Where a kept change belongs: its document, and that document's kind,
/// when known (a change whose document is not here yet has neither).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub(crate) doc: &'a str,
    pub(crate) kind: Option<DocKind>,
}

impl<'a> Place<'a> {
    pub(crate) const UNKNOWN: Place<'static> = Place {
        doc: "",
        kind: None,
    };

    pub(crate) fn known(doc: &'a str, kind: DocKind) -> Place<'a> {
        Place {
            doc,
            kind: Some(kind),
        }
    }
}

/// Keeps changes aside for one page from one sender, within the bounds,
/// storing each proof of the page once.
pub(crate) struct Keeper<'t, 'c> {
    tx: &'t WriteTx<'c>,
    sender: PeerKey,
    proofs: &'t [enlace_sync::Proof],
    hashes: &'t [[u8; 32]],
    at: &'t str,
    proof_ids: HashMap<usize, i64>,
    kept: u64,
    kept_bytes: u64,
    part_bytes: u64,
    wants: u64,
}

impl<'t, 'c> Keeper<'t, 'c> {
    pub(crate) fn new(
        tx: &'t WriteTx<'c>,
        sender: &PeerKey,
        proofs: &'t [enlace_sync::Proof],
        hashes: &'t [[u8; 32]],
        at: &'t str,
    ) -> Result<Keeper<'t, 'c>> {
        let r = tx.read();
        let (kept, kept_bytes) = r.quarantine_usage(sender)?;
        let part_bytes = r.parts_usage(sender)?;
        let wants = r.want_count(sender)?;
        Ok(Keeper {
            tx,
            sender: *sender,
            proofs,
            hashes,
            at,
            proof_ids: HashMap::new(),
            kept,
            kept_bytes,
            part_bytes,
            wants,
        })
    }

    pub(crate) fn at(&self) -> &'t str {
        self.at
    }

    /// The stored id of a proof (a proof of the page is stored once, with
    /// its members, so the change can be relayed and verified again).
    pub(crate) fn proof_id(&mut self, p: ProofRef) -> Result<i64> {
        match p {
            ProofRef::Stored(id) => Ok(id),
            ProofRef::InPage(i) => {
                if let Some(id) = self.proof_ids.get(&i) {
                    return Ok(*id);
                }
                let p = &self.proofs[i];
                let members: Vec<u8> = proof::members(p, self.hashes).concat();
                let id =
                    self.tx
                        .put_proof(&proof::author_of(p, &self.sender), &*p.sig, &members)?;
                self.proof_ids.insert(i, id);
                Ok(id)
            }
        }
    }

    /// Keeps a change aside in its document (when known) with its proof,
    /// if any. Returns the reason to report: `reason`,
    /// or `quarantine_full` when the sender's share is used up (then the
    /// change is not kept).
    pub(crate) fn keep(
        &mut self,
        c: &ParsedChange,
        bytes: &[u8],
        place: Place<'_>,
        proof: Option<ProofRef>,
        reason: RefusalReason,
        detail: &str,
    ) -> Result<RefusalReason> {
        let len = bytes.len() as u64;
        if self.kept >= MAX_KEPT || self.kept_bytes + len > MAX_KEPT_BYTES {
            return Ok(RefusalReason::QuarantineFull);
        }
        let proof_id = proof.map(|p| self.proof_id(p)).transpose()?;
        self.tx.put_quarantine(&QuarantineRow {
            id: 0,
            doc_id: place.doc.to_owned(),
            kind: place.kind.map_or("", DocKind::name).to_owned(),
            hash: c.hash_hex(),
            change: bytes.to_vec(),
            author: proof::actor_key(&c.actor).map_or_else(|| c.actor.clone(), |k| k.to_vec()),
            proof_id,
            source: self.sender.to_vec(),
            reason: reason.as_str().to_owned(),
            detail: detail.to_owned(),
            received_at: self.at.to_owned(),
            dep: first_dep(c),
        })?;
        self.kept += 1;
        self.kept_bytes += len;
        Ok(reason)
    }

    /// Keeps a part of a document asked for whole from `peer` until
    /// its last part comes, and asks for the rest. Changes without a valid
    /// proof are kept aside instead. Past [`MAX_PART_BYTES`], or with no
    /// room left to ask for the rest, the document is given up (its parts
    /// dropped, no longer asked for).
    pub(crate) fn stage(
        &mut self,
        peer: &PeerKey,
        place: Place<'_>,
        changes: &[Checked],
        out: &mut Applied,
    ) -> Result<()> {
        let doc = place.doc;
        let size: u64 = changes.iter().map(|c| c.bytes().len() as u64).sum();
        let work: Vec<u64> = changes
            .iter()
            .map(|c| enlace_docs::chunk::check(c.bytes()).unwrap_or(0))
            .collect();
        let doc_work = self.tx.read().parts_work(peer, doc)? + work.iter().sum::<u64>();
        // Its own want goes (and is replaced by one for the rest) first.
        self.tx.unwant(peer, doc)?;
        self.tx.unwant_prefix(peer, &want::after_prefix(doc))?;
        self.wants = self.tx.read().want_count(peer)?;
        if self.part_bytes + size > MAX_PART_BYTES
            || doc_work > MAX_DOC_WORK
            || self.wants >= MAX_WANTS
        {
            self.tx.drop_parts(peer, doc)?;
            self.tx.unwant(peer, doc)?;
            self.tx.unwant_prefix(peer, &want::after_prefix(doc))?;
            out.refused.push(Refusal {
                doc: super::doc_id_bytes(doc),
                change: None,
                reason: RefusalReason::QuarantineFull,
            });
            return Ok(());
        }
        for (c, work) in changes.iter().zip(work) {
            match c.proven() {
                Some(p) => {
                    let proof_id = self.proof_id(p.proof())?;
                    self.tx.put_part(
                        peer,
                        doc,
                        &PartRow {
                            kind: place.kind.map_or("", DocKind::name).to_owned(),
                            hash: c.parsed().hash_hex(),
                            change: c.bytes().to_vec(),
                            proof_id,
                            work: i64::try_from(work).unwrap_or(i64::MAX),
                        },
                    )?;
                    self.part_bytes += c.bytes().len() as u64;
                }
                None => {
                    let reason = self.keep(
                        c.parsed(),
                        c.bytes(),
                        place,
                        None,
                        RefusalReason::BadSignature,
                        super::working::NO_PROOF,
                    )?;
                    out.refused.push(Refusal {
                        doc: super::doc_id_bytes(doc),
                        change: Some(ByteArray::new(c.parsed().hash)),
                        reason,
                    });
                }
            }
        }
        if let Some(last) = changes.last() {
            self.want(peer, &want::after(doc, &last.parsed().hash_hex()))?;
        }
        Ok(())
    }

    /// Wants `w` from `peer`, within [`MAX_WANTS`].
    pub(crate) fn want(&mut self, peer: &PeerKey, w: &str) -> Result<()> {
        if self.wants < MAX_WANTS {
            self.tx.want(peer, w)?;
            self.wants += 1;
        }
        Ok(())
    }
}

/// Roster entries one voucher may add, and entries in all: a node that
/// vouches for endless keys fills no table.
pub(crate) const MAX_VOUCHED: u64 = 1_000;
pub(crate) const MAX_ROSTER: u64 = 20_000;

/// Accepts the roster entries a node this node trusts directly (a peer or
/// an anchor) vouches for in its own country.
pub(crate) fn accept_roster(
    node: &Identity,
    tx: &WriteTx<'_>,
    entries: &[enlace_sync::RosterEntry],
    at: &str,
) -> Result<()> {
    let me = node.public_key();
    let mine = node.country.as_str();
    for e in entries {
        if *e.key == me || *e.voucher == me || !proof::roster_entry_valid(e) {
            continue;
        }
        let r = tx.read();
        if country_of(&me, mine, &r, &*e.key)?.is_some() || r.is_removed(&*e.key)? {
            continue; // known already (the first word stands), or unpaired here
        }
        let voucher = match r.peer_by_key(&*e.voucher)? {
            Some(p) => Some(p.country),
            None => r.anchor_by_key(&*e.voucher)?.map(|a| a.country),
        };
        let (by_voucher, all) = r.roster_counts(&*e.voucher)?;
        if voucher.as_deref() == Some(e.country.as_str())
            && by_voucher < MAX_VOUCHED
            && all < MAX_ROSTER
        {
            tx.put_roster(&RosterRow {
                public_key: e.key.to_vec(),
                country: e.country.clone(),
                // Whole: the voucher's signature covers the name as sent.
                name: e.name.clone(),
                voucher: e.voucher.to_vec(),
                signature: e.sig.to_vec(),
                added_at: at.to_owned(),
            })?;
        }
    }
    Ok(())
}

/// Tries again the kept changes that may now apply: those whose document
/// was not known and now is, those waiting for history in documents this
/// page touched, and those whose author was unknown and is known now.
/// Each is proven again by its stored proof. At most [`RETRY_ROWS`] rows
/// and a page's work are read, in a fixed order (what is left waits for
/// the next occasion, and is found again then). Returns how many were
/// applied; `cases` gets the cases to index again.
pub(crate) fn retry(
    node: &Identity,
    tx: &WriteTx<'_>,
    touched: &HashSet<String>,
    at: &str,
    cases: &mut HashSet<String>,
) -> Result<u64> {
    let read = tx.read();
    let mut by_doc: BTreeMap<String, Vec<QuarantineRow>> = BTreeMap::new();
    let waiting = |q: &QuarantineRow| {
        q.reason == RefusalReason::MissingHistory.as_str()
            || q.reason == RefusalReason::UnknownAuthor.as_str()
    };
    // Kept before their document was known: it is now.
    for (mut q, doc, kind) in read.quarantine_resolvable()? {
        tx.resolve_quarantine(q.id, &doc, kind)?;
        q.doc_id = doc;
        q.kind = kind.name().to_owned();
        if waiting(&q) {
            by_doc.entry(q.doc_id.clone()).or_default().push(q);
        }
    }
    for q in read.quarantine_known_authors(RETRY_ROWS)? {
        by_doc.entry(q.doc_id.clone()).or_default().push(q);
    }
    // Those waiting for history in the documents this page touched, and
    // in those the rows above belong to: a change kept before its
    // document or its author's key was known may be what the others of
    // that document wait for (nothing else would try those again).
    let mut docs: BTreeSet<String> = by_doc.keys().cloned().collect();
    docs.extend(touched.iter().cloned());
    for d in docs {
        for q in read.quarantine_of(RefusalReason::MissingHistory.as_str(), &d)? {
            by_doc.entry(d.clone()).or_default().push(q);
        }
    }
    let mut applied_total = 0;
    let mut authors = Authors::new();
    let mut stored_proofs = StoredProofs::default();
    let my_country = node.country.to_string();
    let today = crate::clock::now().date_naive();
    // What reading the kept changes costs, bounded as a page's is: what is
    // past it is tried at the next occasion.
    let (mut work, mut taken) = (0u64, 0usize);
    for (id, mut rows) in by_doc {
        rows.sort_by_key(|q| q.id);
        rows.dedup_by_key(|q| q.id);
        // Within the bounds, in order (at least one row is always tried).
        let mut keep = 0;
        for q in &rows {
            let w = enlace_docs::chunk::check(&q.change).unwrap_or(0);
            if taken > 0 && (work + w > super::PAGE_WORK || taken >= RETRY_ROWS) {
                break;
            }
            work += w;
            taken += 1;
            keep += 1;
        }
        rows.truncate(keep);
        if rows.is_empty() {
            break;
        }
        // Rows are kept with the kind of their (known) document.
        let Some(kind) = DocKind::of(&rows[0].kind) else {
            continue;
        };
        let Ok(stored) = stored_doc(&read, &id, kind)? else {
            continue;
        };
        let mut checked: Vec<Option<Checked>> = Vec::with_capacity(rows.len());
        for q in &rows {
            let parsed = std::panic::catch_unwind(|| ParsedChange::parse(&q.change))
                .ok()
                .and_then(std::result::Result::ok);
            checked.push(match parsed {
                Some(p) => Some(stored_proofs.check(&read, p, q.change.clone(), q.proof_id)?),
                None => None,
            });
        }
        let deps: Vec<[u8; 32]> = checked
            .iter()
            .flatten()
            .flat_map(|c| c.parsed().deps.iter().copied())
            .collect();
        let mut w = working(&node.actor, &id, kind, stored.as_ref(), &deps)?;
        let mut applied: Vec<usize> = vec![];
        let mut left: Vec<usize> = (0..rows.len()).collect();
        loop {
            let mut progress = false;
            let mut rest = vec![];
            for i in left {
                let q = &rows[i];
                let Some(c) = &checked[i] else {
                    mark(tx, q, RefusalReason::Malformed, "it cannot be read")?;
                    continue;
                };
                let Some(p) = c.proven() else {
                    mark(
                        tx,
                        q,
                        RefusalReason::BadSignature,
                        "its stored proof does not hold",
                    )?;
                    continue;
                };
                author_country(node, &read, &mut authors, p.author())?;
                authors.set_source(&read, &q.source)?;
                match try_change(&authors, &mut w, &p) {
                    Fate::Applied => {
                        progress = true;
                        applied.push(i);
                    }
                    Fate::Known => tx.remove_quarantine(q.id)?,
                    Fate::Kept {
                        reason,
                        detail,
                        damaged,
                    } => {
                        if reason.as_str() != q.reason {
                            mark(tx, q, reason, &detail)?;
                        }
                        if damaged {
                            let done: Vec<&ParsedChange> = applied
                                .iter()
                                .filter_map(|&j| checked[j].as_ref().map(Checked::parsed))
                                .collect();
                            w = rebuild(&node.actor, &id, kind, stored.as_ref(), &deps, &done)?;
                        }
                        if matches!(
                            reason,
                            RefusalReason::MissingHistory | RefusalReason::UnknownAuthor
                        ) {
                            rest.push(i);
                        }
                    }
                }
            }
            left = rest;
            if !progress || left.is_empty() {
                break;
            }
        }
        if applied.is_empty() {
            continue;
        }
        // Reading and saving the document is automerge's work too: a
        // panic stays with this document.
        // The countries the applied changes came through (H2: a case
        // carrying one reaches a third country only from its owner).
        let mut vias: Vec<String> = vec![];
        for &i in &applied {
            if let Some(p) = read.peer_by_key(&rows[i].source)? {
                vias.push(p.country);
            }
        }
        let read_out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            w.doc.to_json().map(|json| {
                let holdable = rules::holdable(kind, &id, &json, &my_country, today)
                    .and_then(|case| {
                        if rules::reaches_json(kind, node.role, &node.public_key(), &json) {
                            Ok(case)
                        } else {
                            Err(RefusalReason::NotInAudience)
                        }
                    })
                    .and_then(|case| {
                        let barred = case.as_ref().is_some_and(|c| {
                            let h2 = c
                                .handling_codes()
                                .contains(&enlace_domain::HandlingCode::H2);
                            vias.iter().any(|via| {
                                rules::relay_barred(h2, c.owner.country.as_str(), via, &my_country)
                            })
                        });
                        if barred {
                            Err(RefusalReason::NotInAudience)
                        } else {
                            Ok(())
                        }
                    });
                (json, holdable, w.doc.save())
            })
        }));
        let Ok(read_out) = read_out else {
            for &i in &applied {
                mark(
                    tx,
                    &rows[i],
                    RefusalReason::Malformed,
                    "automerge failed on it",
                )?;
            }
            continue;
        };
        let (json, holdable, bytes) = read_out?;
        match holdable {
            Err(RefusalReason::NotInAudience | RefusalReason::NationalOnly) => {
                tx.forget_quarantined_doc(&id)?;
                continue;
            }
            Err(reason) => {
                for &i in &applied {
                    mark(
                        tx,
                        &rows[i],
                        reason,
                        "the document it belongs to would not be well formed",
                    )?;
                }
                continue;
            }
            Ok(_) => {}
        }
        let mut row = doc_row_from(&id, kind, &json, &mut w.doc, at)?;
        row.bytes = bytes;
        put_received(tx, &row, w.replaces_demo)?;
        for &i in &applied {
            let q = &rows[i];
            let Some(proof_id) = q.proof_id else { continue };
            let author = proof::actor_key(&q.author).unwrap_or([0; 32]);
            if tx
                .log_received(
                    &enlace_store::Received {
                        doc_id: &id,
                        hash: &q.hash,
                        change: &q.change,
                        author: &author,
                        source: &q.source,
                        proof_id,
                    },
                    at,
                )?
                .is_some()
            {
                applied_total += 1;
            }
            tx.remove_quarantined_hash(&q.hash)?;
        }
        match kind {
            DocKind::Case => {
                cases.insert(id.clone());
            }
            DocKind::Person => cases.extend(read.cases_of_person(&id)?),
            DocKind::RiskAssessment => {
                cases.insert(id.clone());
            }
            _ => {}
        }
    }
    Ok(applied_total)
}

/// Records a kept change's new reason.
fn mark(tx: &WriteTx<'_>, q: &QuarantineRow, reason: RefusalReason, detail: &str) -> Result<()> {
    tx.put_quarantine(&QuarantineRow {
        reason: reason.as_str().to_owned(),
        detail: detail.to_owned(),
        ..q.clone()
    })?;
    Ok(())
}

/// After keys became known outside a page (a peer was paired, anchors
/// were imported): applies what waited for them, and re-indexes the cases
/// it touched.
pub(crate) fn retry_after_roster(node: &Identity, tx: &WriteTx<'_>, at: &str) -> Result<()> {
    let mut cases = HashSet::new();
    retry(node, tx, &HashSet::new(), at, &mut cases)?;
    let today = chrono::Utc::now().date_naive();
    for id in &cases {
        super::working::reindex_case(node, tx, id, at, today)?;
    }
    Ok(())
}

/// Names the first dependency of changes kept by an older version before
/// their document was known (migration 0006's task), so they are found
/// when it arrives.
pub(crate) fn name_deps(tx: &WriteTx<'_>) -> Result<()> {
    for (id, bytes) in tx.read().quarantine_without_dep()? {
        if let Ok(c) = ParsedChange::parse(&bytes) {
            tx.set_quarantine_dep(id, &first_dep(&c))?;
        }
    }
    Ok(())
}
