//! Applying a page from a peer, in one transaction with this node's
//! position in the peer's log.
//!
//! For every change: a valid proof by its author ([`super::proven`]), an
//! author this node knows, the history it follows, nesting within bounds,
//! and a right to change what it changes ([`super::rules::may`]). The
//! document as it then reads must be one this node may hold, well formed,
//! its owner's fields its owner's ([`super::rules::holdable`]). A change
//! that fails is kept aside with the reason ([`super::quarantine`]); a
//! document this node may not hold is refused whole and nothing of it is
//! kept. An error caused by what was received — automerge refusing a
//! change, a reused sequence number (equivocation), even a panic in a
//! library — stays with that change or document: the rest of the page
//! applies, and the next round does not fail again on the same bytes.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::ActorId;
use chrono::Utc;
use enlace_docs::{DocError, Document, ParsedChange};
use enlace_domain::validate::validate_case;
use enlace_domain::{Audience, Case, DocKind};
use enlace_store::{DocRow, Read, Received, WriteTx};
use enlace_sync::proof;
use enlace_sync::{Applied, Cursor, Page, PeerKey, Refusal, RefusalReason};
use serde_bytes::ByteArray;
use serde_json::Value;

use super::proven::{Checked, Proven, Stored as StoredProofs};
use super::quarantine::{self, Keeper, Place};
use super::rules::{self, FOREIGN_LISTS, MAX_DEPTH, May};
use super::{country_of, doc_id_bytes, doc_id_string, position, want};
use crate::node::Identity;
use crate::{App, CoreError, Result, index, now_string};

/// Groups worked on one by one, checking the document after each change,
/// to find which change made a document unholdable (more changes than
/// this in one group: they are all kept aside instead).
const RETRACE_LIMIT: usize = 64;

/// What happened to one received change.
#[derive(Debug)]
pub(crate) enum Fate {
    Applied,
    Known,
    /// Kept aside, with the reason and its detail. `damaged`: automerge
    /// failed part-way and the working document must be built again.
    Kept {
        reason: RefusalReason,
        detail: String,
        damaged: bool,
    },
}

fn kept(reason: RefusalReason, detail: String) -> Fate {
    Fate::Kept {
        reason,
        detail,
        damaged: false,
    }
}

/// One document while received changes are applied to it.
pub(crate) struct Working {
    pub(crate) kind: DocKind,
    pub(crate) doc: Document,
    /// The owner country before the change being tried (None: new).
    pub(crate) owner: Option<String>,
    /// A local demonstration document with this id is being replaced.
    pub(crate) replaces_demo: bool,
}

/// What a group needs from the store before it is worked on.
pub(crate) struct Stored {
    pub(crate) bytes: Vec<u8>,
    pub(crate) owner_country: String,
    pub(crate) local_only: bool,
}

pub(crate) fn stored_doc(
    r: &Read<'_>,
    id: &str,
    kind: DocKind,
) -> Result<std::result::Result<Option<Stored>, RefusalReason>> {
    Ok(Ok(match r.doc(id)? {
        Some(row) if !row.local_only && row.kind != kind => {
            return Ok(Err(RefusalReason::Malformed));
        }
        Some(row) => Some(Stored {
            bytes: row.bytes,
            owner_country: row.owner_country,
            local_only: row.local_only,
        }),
        None => None,
    }))
}

/// The document a group's changes apply to: the stored one, a fresh one
/// (new here), or a fresh one replacing a local demonstration document.
pub(crate) fn working(actor: &ActorId, kind: DocKind, stored: Option<&Stored>) -> Result<Working> {
    Ok(match stored {
        Some(s) if !s.local_only => Working {
            kind,
            doc: Document::load(&s.bytes, actor.clone())?,
            owner: Some(s.owner_country.clone()),
            replaces_demo: false,
        },
        other => Working {
            kind,
            doc: Document::new(actor.clone()),
            owner: None,
            replaces_demo: other.is_some(),
        },
    })
}

/// The working document built again from the stored one and `applied`
/// (after automerge failed part-way through a change).
pub(crate) fn rebuild(
    actor: &ActorId,
    kind: DocKind,
    stored: Option<&Stored>,
    applied: &[&ParsedChange],
) -> Result<Working> {
    let mut w = working(actor, kind, stored)?;
    for c in applied {
        w.doc.apply_parsed(c)?;
        if w.owner.is_none() {
            w.owner = w.doc.str_at(&["owner", "country"]);
        }
    }
    Ok(w)
}

/// The countries of authors (by key), looked up once per page.
pub(crate) type Authors = HashMap<[u8; 32], Option<String>>;

pub(crate) fn author_country(
    node: &Identity,
    r: &Read<'_>,
    cache: &mut Authors,
    key: &[u8; 32],
) -> Result<Option<String>> {
    if let Some(c) = cache.get(key) {
        return Ok(c.clone());
    }
    let c = country_of(&node.public_key(), node.country.as_str(), r, key)?;
    cache.insert(*key, c.clone());
    Ok(c)
}

/// Tries one proven change on a document: author known (`authors` holds
/// the country of every author of the page), history present, nesting
/// within bounds, change allowed. Applies it when it may be. Whatever
/// automerge does on it — even a panic — stays with this change (the
/// document is then built again: `damaged`).
pub(crate) fn try_change(authors: &Authors, w: &mut Working, p: &Proven<'_>) -> Fate {
    catch_unwind(AssertUnwindSafe(|| try_change_unguarded(authors, w, p))).unwrap_or(Fate::Kept {
        reason: RefusalReason::Malformed,
        detail: "automerge failed on it".into(),
        damaged: true,
    })
}

fn try_change_unguarded(authors: &Authors, w: &mut Working, p: &Proven<'_>) -> Fate {
    let c = p.change();
    if w.doc.has_change(&c.hash) {
        return Fate::Known;
    }
    let Some(country) = authors.get(p.author()).cloned().flatten() else {
        return kept(
            RefusalReason::UnknownAuthor,
            format!(
                "its author {} is not known to this node",
                hex::encode(&p.author()[..8])
            ),
        );
    };
    if let Some(missing) = c.deps.iter().find(|d| !w.doc.has_change(d)) {
        return kept(
            RefusalReason::MissingHistory,
            format!(
                "it follows change {} which this node does not hold yet",
                hex::encode(&missing[..8])
            ),
        );
    }
    let depth = w.doc.nesting_after(c);
    if depth > MAX_DEPTH {
        return kept(
            RefusalReason::Malformed,
            format!("it nests objects {depth} deep (at most {MAX_DEPTH})"),
        );
    }
    match rules::may(w.kind, w.owner.as_deref(), &country) {
        May::Nothing => {
            return kept(
                RefusalReason::NotAllowed,
                format!(
                    "a node of {country} changes a {} of {}",
                    w.kind,
                    w.owner.as_deref().unwrap_or("?")
                ),
            );
        }
        May::Append if !w.doc.only_appends(c, FOREIGN_LISTS) => {
            return kept(
                RefusalReason::NotAllowed,
                format!(
                    "a node of {country} changes a document of {} beyond adding notes or links",
                    w.owner.as_deref().unwrap_or("?")
                ),
            );
        }
        May::Edit | May::Create | May::Append => {}
    }
    if let Err(e) = w.doc.apply_parsed(c) {
        return match e {
            DocError::Equivocation { .. } => kept(RefusalReason::Equivocation, e.to_string()),
            other => Fate::Kept {
                reason: RefusalReason::Malformed,
                detail: other.to_string(),
                damaged: true,
            },
        };
    }
    let owner = w.doc.str_at(&["owner", "country"]);
    match &w.owner {
        // A new document: only its owner's country may create it.
        None if owner.as_deref() == Some(country.as_str()) => {
            w.owner = owner;
            Fate::Applied
        }
        None => Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail: format!(
                "a node of {country} creates a document owned by {}",
                owner.as_deref().unwrap_or("no country")
            ),
            damaged: true,
        },
        // Nobody gives a document another owner.
        Some(before) if owner.as_deref() != Some(before.as_str()) => Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail: format!(
                "a node of {country} gives a document of {before} to {}",
                owner.as_deref().unwrap_or("no country")
            ),
            damaged: true,
        },
        Some(_) => Fate::Applied,
    }
}

/// The row of a received document, without its bytes (the caller fills
/// them: saved, or the changes as received).
pub(crate) fn doc_row_from(
    id: &str,
    kind: DocKind,
    json: &Value,
    doc: &mut Document,
    at: &str,
) -> Result<DocRow> {
    let audience = if kind.is_national() {
        Audience::national()
    } else {
        json.get("audience")
            .cloned()
            .and_then(|a| serde_json::from_value(a).ok())
            .unwrap_or_else(Audience::national)
    };
    let text = |p: &str| {
        json.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    Ok(DocRow {
        id: id.to_owned(),
        kind,
        owner_country: text("/owner/country"),
        owner_node: text("/owner/node"),
        audience: serde_json::to_string(&audience)
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        bytes: vec![],
        heads: serde_json::to_string(&doc.heads())
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        updated_at: at.to_owned(),
        local_only: json.get("demo").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// Stores a received document (in place of a local demonstration one with
/// its id, when `replaces_demo`).
pub(crate) fn put_received(tx: &WriteTx<'_>, row: &DocRow, replaces_demo: bool) -> Result<()> {
    if replaces_demo {
        tx.replace_doc(row)?;
    } else {
        tx.put_doc(row)?;
    }
    Ok(())
}

/// Re-indexes a case after sync changed it or one of its persons.
pub(crate) fn reindex_case(
    node: &Identity,
    tx: &WriteTx<'_>,
    id: &str,
    at: &str,
    today: chrono::NaiveDate,
) -> Result<()> {
    let Some(row) = tx.read().doc(id)? else {
        return Ok(());
    };
    if row.kind != DocKind::Case {
        return Ok(());
    }
    let doc = Document::load(&row.bytes, node.actor.clone())?;
    let case: Case = doc.read("case")?;
    let issues = validate_case(&case, today);
    let names = index::person_names(&tx.read(), &case, &node.actor)?;
    tx.index_case(&index::case_row(&case, &names, &issues, at))?;
    Ok(())
}

/// The document (id, kind) a change belongs to, when this node holds the
/// change or one it depends on.
pub(crate) fn doc_of(r: &Read<'_>, c: &ParsedChange) -> Result<Option<(String, DocKind)>> {
    if let Some(found) = r.doc_of_change(&c.hash_hex())? {
        return Ok(Some(found));
    }
    for d in &c.deps {
        if let Some(found) = r.doc_of_change(&hex::encode(d))? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// A group made ready on the transaction's thread: its document, the
/// stored copy, and its changes.
struct Ready {
    id: String,
    kind: DocKind,
    full: bool,
    stored: Option<Stored>,
    incoming: Vec<Checked>,
}

/// A document worked on, ready to store: its row, the case (with its
/// findings) when it is one, and whether it replaces a demonstration one.
struct Keep {
    row: DocRow,
    case: Option<(Case, Vec<enlace_domain::Issue>)>,
    /// The case's index row, built here when it needs nothing from the
    /// store (another country's case: no identities on this node).
    index_row: Option<enlace_store::CaseIndexRow>,
    replaces_demo: bool,
}

/// What working on a group gave: the document to store (or why the
/// document is refused whole), the changes applied, the changes kept.
struct Worked {
    applied: Vec<usize>,
    kept: Vec<(usize, RefusalReason, String)>,
    outcome: std::result::Result<Option<Keep>, RefusalReason>,
}

/// What every worker needs to know.
struct Context<'a> {
    actor: &'a ActorId,
    authors: &'a Authors,
    my_country: &'a str,
    at: &'a str,
    today: chrono::NaiveDate,
}

/// Refusals that mean "this node may not hold the document": nothing of
/// it is kept.
fn not_for_here(reason: RefusalReason) -> bool {
    matches!(
        reason,
        RefusalReason::NotInAudience | RefusalReason::NationalOnly
    )
}

/// Works on one group without touching the store: apply what may be
/// applied, check the result, save it (the CPU-heavy part of a page).
fn work(cx: &Context<'_>, r: &Ready) -> Result<Worked> {
    let mut w = working(cx.actor, r.kind, r.stored.as_ref())?;
    let mut applied: Vec<usize> = vec![];
    let mut kept = vec![];
    for (i, inc) in r.incoming.iter().enumerate() {
        let Some(p) = proven_or_kept(i, inc, &mut kept) else {
            continue;
        };
        match try_change(cx.authors, &mut w, &p) {
            Fate::Applied => applied.push(i),
            Fate::Known => {}
            Fate::Kept {
                reason,
                detail,
                damaged,
            } => {
                kept.push((i, reason, detail));
                if damaged {
                    w = rebuild_from(cx, r, &applied)?;
                }
            }
        }
    }
    if applied.is_empty() {
        return Ok(Worked {
            applied,
            kept,
            outcome: Ok(None),
        });
    }
    // May this node hold the document as it now reads?
    let json = w.doc.to_json()?;
    match rules::holdable(r.kind, &r.id, &json, cx.my_country) {
        Err(reason) if not_for_here(reason) => Ok(Worked {
            applied,
            kept,
            outcome: Err(reason),
        }),
        Err(reason) => retrace(cx, r, reason),
        Ok(case) => Ok(Worked {
            outcome: Ok(Some(keep(cx, r, &mut w, &json, case, &applied)?)),
            applied,
            kept,
        }),
    }
}

/// The change at `i` as its author's, or `None` with it kept aside as
/// `bad_signature`.
fn proven_or_kept<'a>(
    i: usize,
    inc: &'a Checked,
    kept: &mut Vec<(usize, RefusalReason, String)>,
) -> Option<Proven<'a>> {
    let p = inc.proven();
    if p.is_none() {
        kept.push((i, RefusalReason::BadSignature, NO_PROOF.into()));
    }
    p
}

/// Why a change without a valid proof is kept aside.
pub(crate) const NO_PROOF: &str = "no valid signature by its author";

fn rebuild_from(cx: &Context<'_>, r: &Ready, applied: &[usize]) -> Result<Working> {
    let changes: Vec<&ParsedChange> = applied.iter().map(|&i| r.incoming[i].parsed()).collect();
    rebuild(cx.actor, r.kind, r.stored.as_ref(), &changes)
}

/// The document of a group made unholdable by one of its changes
/// (malformed, another country's slot): applies the changes again one at
/// a time, checking after each, and keeps aside those that break it. A
/// long group is kept aside whole instead (the check reads the document).
fn retrace(cx: &Context<'_>, r: &Ready, reason: RefusalReason) -> Result<Worked> {
    let mut kept = vec![];
    let mut applied: Vec<usize> = vec![];
    if r.incoming.len() > RETRACE_LIMIT {
        for i in 0..r.incoming.len() {
            kept.push((
                i,
                reason,
                "the document it belongs to would not be well formed".into(),
            ));
        }
        return Ok(Worked {
            applied,
            kept,
            outcome: Ok(None),
        });
    }
    let mut w = working(cx.actor, r.kind, r.stored.as_ref())?;
    let mut last_json = None;
    for (i, inc) in r.incoming.iter().enumerate() {
        let Some(p) = proven_or_kept(i, inc, &mut kept) else {
            continue;
        };
        match try_change(cx.authors, &mut w, &p) {
            Fate::Known => {}
            Fate::Kept {
                reason,
                detail,
                damaged,
            } => {
                kept.push((i, reason, detail));
                if damaged {
                    w = rebuild_from(cx, r, &applied)?;
                }
            }
            Fate::Applied => {
                let json = w.doc.to_json()?;
                match rules::holdable(r.kind, &r.id, &json, cx.my_country) {
                    Err(reason) if not_for_here(reason) => {
                        return Ok(Worked {
                            applied,
                            kept,
                            outcome: Err(reason),
                        });
                    }
                    Err(reason) => {
                        kept.push((
                            i,
                            reason,
                            "with it the document would not be well formed, or would take another country's place"
                                .into(),
                        ));
                        w = rebuild_from(cx, r, &applied)?;
                    }
                    Ok(case) => {
                        applied.push(i);
                        last_json = Some((json, case));
                    }
                }
            }
        }
    }
    let outcome = match last_json {
        Some((json, case)) => Ok(Some(keep(cx, r, &mut w, &json, case, &applied)?)),
        None => Ok(None),
    };
    Ok(Worked {
        applied,
        kept,
        outcome,
    })
}

/// The document worked on, ready to store.
fn keep(
    cx: &Context<'_>,
    r: &Ready,
    w: &mut Working,
    json: &Value,
    case: Option<Case>,
    applied: &[usize],
) -> Result<Keep> {
    let mut row = doc_row_from(&r.id, r.kind, json, &mut w.doc, cx.at)?;
    if r.stored.is_none() && applied.len() == r.incoming.len() {
        // New here and exactly the changes received: kept as those changes
        // (automerge loads them as fast as a saved document), without
        // saving it again.
        row.bytes = r
            .incoming
            .iter()
            .flat_map(|i| i.bytes().iter().copied())
            .collect();
    } else {
        row.bytes = w.doc.save();
    }
    let case = case.map(|c| {
        let issues = validate_case(&c, cx.today);
        (c, issues)
    });
    let index_row = case
        .as_ref()
        .filter(|(c, _)| c.owner.country.as_str() != cx.my_country)
        .map(|(c, issues)| index::case_row(c, &[], issues, cx.at));
    Ok(Keep {
        row,
        case,
        index_row,
        replaces_demo: w.replaces_demo,
    })
}

/// [`work`], with whatever a library does on hostile input — even a
/// panic — confined to the group.
fn work_confined(cx: &Context<'_>, r: &Ready) -> Result<Worked> {
    match catch_unwind(AssertUnwindSafe(|| work(cx, r))) {
        Ok(Ok(w)) => Ok(w),
        // A stored document that does not load is this node's fault, not
        // the page's.
        Ok(Err(CoreError::Doc(e))) if r.stored.is_none() => Ok(all_kept(r, &e.to_string())),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(all_kept(r, "automerge failed on it")),
    }
}

/// Every change of a group kept aside as malformed.
fn all_kept(r: &Ready, detail: &str) -> Worked {
    Worked {
        applied: vec![],
        kept: (0..r.incoming.len())
            .map(|i| (i, RefusalReason::Malformed, detail.to_owned()))
            .collect(),
        outcome: Ok(None),
    }
}

/// Parses a received change; `None` when it cannot be read (even when
/// the parser panics on it).
fn parse(bytes: &[u8]) -> Option<ParsedChange> {
    catch_unwind(|| ParsedChange::parse(bytes)).ok()?.ok()
}

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
        let at = now_string();
        let today = Utc::now().date_naive();
        // Parse every change once: hashes and authors for the proofs.
        // What reading the changes will cost, from their headers: a page
        // that declares more than a page may is refused before any is read.
        let work: u64 = page
            .groups
            .iter()
            .flat_map(|g| &g.changes)
            .map(|c| enlace_docs::chunk::check(c).unwrap_or(0))
            .sum();
        if work > super::PAGE_WORK {
            return Err(CoreError::PeerSent {
                detail: format!(
                    "a page whose changes declare {work} operations (at most {})",
                    super::PAGE_WORK
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
            let mut keeper = Keeper::new(tx, peer, &page.proofs, &hashes, &at)?;
            let mut authors = Authors::new();
            let mut touched: HashSet<String> = HashSet::new();
            let mut cases: HashSet<String> = HashSet::new();
            let read = tx.read();

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
                let name = super::key_name(&tx.read(), peer)?;
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
                // Identities live only in their own country: another
                // country's case has none here (its row was built already).
                let row = match index_row {
                    Some(row) => row,
                    None => {
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

/// A kept change's first dependency (hex), for the quarantine.
pub(crate) fn first_dep(c: &ParsedChange) -> String {
    c.deps.first().map(hex::encode).unwrap_or_default()
}
