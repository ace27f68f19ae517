//! One document while received changes are applied to it: the stored
//! copy, the working copy, each change tried (`try_change`: its author's
//! right, its history, its nesting) with its fate, and the row stored
//! after. Used by the receive path and by the quarantine's retries.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::ActorId;
use enlace_docs::{DocError, Document, ParsedChange};
use enlace_domain::validate::validate_case;
use enlace_domain::{Audience, Case, DocKind};
use enlace_store::{DocRow, Read, WriteTx};
use enlace_sync::RefusalReason;
use serde_json::Value;

use super::country_of;
use super::proven::Proven;
use super::rules::{self, FOREIGN_LISTS, MAX_DEPTH, May};
use crate::node::Identity;
use crate::{CoreError, Result, index};

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

pub(crate) fn kept(reason: RefusalReason, detail: String) -> Fate {
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
    /// New here, and started from its kind's common root (which no peer
    /// sends: the saved document must include it).
    pub(crate) rooted: bool,
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
        // Another kind under that id; a local demonstration document gives
        // way only to a real one of its own kind.
        Some(row) if row.kind != kind => {
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
/// (new here; from its kind's common root when one of the changes, whose
/// dependencies are `deps`, follows it), or a fresh one replacing a local
/// demonstration document.
pub(crate) fn working(
    actor: &ActorId,
    id: &str,
    kind: DocKind,
    stored: Option<&Stored>,
    deps: &[[u8; 32]],
) -> Result<Working> {
    Ok(match stored {
        Some(s) if !s.local_only => Working {
            kind,
            doc: Document::load(&s.bytes, actor.clone())?,
            owner: Some(s.owner_country.clone()),
            replaces_demo: false,
            rooted: false,
        },
        other => {
            let (doc, owner) = crate::kinds::fresh_received(kind, id, actor, deps)?;
            Working {
                kind,
                doc,
                rooted: owner.is_some(),
                owner,
                replaces_demo: other.is_some(),
            }
        }
    })
}

/// The working document built again from the stored one and `applied`
/// (after automerge failed part-way through a change).
pub(crate) fn rebuild(
    actor: &ActorId,
    id: &str,
    kind: DocKind,
    stored: Option<&Stored>,
    deps: &[[u8; 32]],
    applied: &[&ParsedChange],
) -> Result<Working> {
    let mut w = working(actor, id, kind, stored, deps)?;
    for c in applied {
        w.doc.apply_parsed(c)?;
        if w.owner.is_none() {
            w.owner = w.doc.str_at(&["owner", "country"]);
        }
    }
    Ok(w)
}

/// What this node knows of a page's authors (by key), looked up once per
/// page: their country, and for a revoked key the changes that stand.
#[derive(Default)]
pub(crate) struct Authors {
    map: HashMap<[u8; 32], Option<Author>>,
    /// The peer the changes came through is a border post or an NGO (or
    /// not a peer): only an author paired here as a hub or an office is
    /// then trusted to make an identity reach a node.
    pub(crate) source_restricted: bool,
}

pub(crate) struct Author {
    country: String,
    revoked: Option<Revoked>,
    /// Paired here as a border post or an NGO: it may not make a person
    /// document reach another node (need-to-know).
    need_to_know: bool,
    /// Paired here as a hub or an office.
    direct_full: bool,
}

/// A revoked key's changes that stand: the hashes its revoker held.
struct Revoked {
    kept: Vec<[u8; 32]>,
    by: String,
    at: String,
}

impl Authors {
    pub(crate) fn new() -> Authors {
        Authors::default()
    }

    fn get(&self, key: &[u8; 32]) -> Option<&Author> {
        self.map.get(key).and_then(Option::as_ref)
    }

    /// Whether the changes now read came through a border post or an NGO
    /// (`source`: the peer they came from).
    pub(crate) fn set_source(&mut self, r: &Read<'_>, source: &[u8]) -> Result<()> {
        use enlace_domain::enums::Closed;
        self.source_restricted = r.peer_by_key(source)?.is_none_or(|p| {
            enlace_domain::NodeRole::parse(&p.node_role).is_none_or(|role| role.need_to_know())
        });
        Ok(())
    }
}

pub(crate) fn author_country(
    node: &Identity,
    r: &Read<'_>,
    cache: &mut Authors,
    key: &[u8; 32],
) -> Result<Option<String>> {
    if let Some(c) = cache.map.get(key) {
        return Ok(c.as_ref().map(|a| a.country.clone()));
    }
    let country = country_of(&node.public_key(), node.country.as_str(), r, key)?;
    let revoked = match r.revocation(key)? {
        Some(v) if v.applied => {
            let mut kept: Vec<[u8; 32]> = v
                .kept
                .chunks_exact(32)
                .filter_map(|c| <[u8; 32]>::try_from(c).ok())
                .collect();
            kept.sort_unstable();
            Some(Revoked {
                kept,
                by: super::key_name(r, &v.revoker)?,
                at: v.revoked_at,
            })
        }
        _ => None,
    };
    let need_to_know = author_need_to_know(r, key)?;
    let direct_full = !need_to_know && r.peer_by_key(key)?.is_some();
    cache.map.insert(
        *key,
        country.clone().map(|country| Author {
            country,
            revoked,
            need_to_know,
            direct_full,
        }),
    );
    Ok(country)
}

/// Is this author a border post or an NGO as far as this node can tell?
/// A peer by the place its administrator set; an anchor (imported from
/// the hub's list) is not; a node known through the roster is when its
/// voucher is a peer paired here as a border post or an NGO (or is not a
/// peer or anchor at all): the node that relayed its changes judged them
/// only if it is a hub or an office. Fails closed.
fn author_need_to_know(r: &Read<'_>, key: &[u8; 32]) -> Result<bool> {
    use enlace_domain::enums::Closed;
    let restricted = |p: &enlace_store::PeerRow| {
        enlace_domain::NodeRole::parse(&p.node_role).is_none_or(|role| role.need_to_know())
    };
    if let Some(p) = r.peer_by_key(key)? {
        return Ok(restricted(&p));
    }
    if r.anchor_by_key(key)?.is_some() {
        return Ok(false);
    }
    let Some(e) = r.roster_entry(key)? else {
        return Ok(true);
    };
    if let Some(v) = r.peer_by_key(&e.voucher)? {
        return Ok(restricted(&v));
    }
    Ok(r.anchor_by_key(&e.voucher)?.is_none())
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
    let Some(Author {
        country,
        revoked,
        need_to_know,
        direct_full,
    }) = authors.get(p.author())
    else {
        return kept(
            RefusalReason::UnknownAuthor,
            format!(
                "its author {} is not known to this node",
                hex::encode(&p.author()[..8])
            ),
        );
    };
    if let Some(r) = revoked
        && r.kept.binary_search(&c.hash).is_err()
    {
        return kept(
            RefusalReason::Revoked,
            format!(
                "its author {} was revoked by {} on {}, who did not hold this change",
                hex::encode(&p.author()[..8]),
                r.by,
                r.at
            ),
        );
    }
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
    match rules::may(w.kind, w.owner.as_deref(), country) {
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
    // A case's references as they read before it (every concurrent value).
    let references_before = (w.kind == DocKind::Case).then(|| references(&w.doc));
    // Its answers to requests, the same.
    let answers_before = (w.kind == DocKind::Case).then(|| items(&w.doc, "request_answers"));
    // Whom a person document reaches before it (every concurrent value).
    let reach_before = w.kind.follows_identity().then(|| person_reach(&w.doc));
    // A victim's risk record as it reads before it.
    let risk_before =
        (w.kind == DocKind::RiskAssessment).then(|| risk_state(&w.doc, w.owner.is_some()));
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
    // A reference it wrote (a value there now that was not before, won
    // or concurrent) must be in its author's series.
    if let Some(before) = references_before
        && let Some(foreign) = references(&w.doc)
            .into_iter()
            .find(|r| !before.contains(r) && !reference_is_authors(r, p.author()))
    {
        return Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail: format!(
                "it gives a case the reference {foreign}, which names a node other than its author"
            ),
            damaged: true,
        };
    }
    if let Some(before) = answers_before
        && let Some(detail) = rules::answers_refused(
            &before,
            &items(&w.doc, "request_answers"),
            &items(&w.doc, "requests"),
            country,
        )
    {
        return Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail,
            damaged: true,
        };
    }
    if let Some(before) = risk_before
        && let Some(detail) = rules::risk_refused(&before, &risk_state(&w.doc, true))
    {
        return Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail,
            damaged: true,
        };
    }
    if let Some(before) = reach_before
        && let Some(detail) = reach_refused(
            &before,
            &person_reach(&w.doc),
            w.owner.is_none(),
            // Through a border post or an NGO, only a hub or an office
            // paired here is taken at its word (a laptop relaying another
            // laptop's change that names it).
            *need_to_know || (authors.source_restricted && !*direct_full),
            p.author(),
        )
    {
        return Fate::Kept {
            reason: RefusalReason::NotAllowed,
            detail,
            damaged: true,
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

/// Whom a person document reaches, every concurrent value: its owner
/// node, and the nodes it names.
struct Reach {
    owner_nodes: Vec<String>,
    nodes: Vec<String>,
    /// Its grants as they read now (each whole, as JSON text).
    grants: Vec<String>,
}

/// Whom a person document reaches: every owner node any concurrent
/// `owner` map holds (a losing one could win later), and the nodes its
/// `nodes` names as it reads now (the winning list: what sync obeys).
fn person_reach(doc: &Document) -> Reach {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let mut owner_nodes: Vec<String> = doc
        .conflicts_at(&["owner", "node"])
        .unwrap_or_default()
        .iter()
        .map(text)
        .collect();
    for o in doc.conflicts("owner").unwrap_or_default() {
        owner_nodes.push(o.get("node").map(text).unwrap_or_default());
    }
    owner_nodes.sort();
    owner_nodes.dedup();
    // The winning value of a list (`conflicts_at` puts it first).
    let winner = |field: &str| -> Vec<String> {
        match doc
            .conflicts_at(&[field])
            .unwrap_or_default()
            .into_iter()
            .next()
        {
            Some(Value::Array(a)) => a.iter().map(text).collect(),
            Some(other) => vec![text(&other)],
            None => vec![],
        }
    };
    Reach {
        owner_nodes,
        nodes: winner("nodes"),
        grants: winner("grants"),
    }
}

/// Why a change may not make a person document reach whom it now does
/// (`None`: it may). Nobody gives a person document another owner node
/// once it exists (in any concurrent `owner`: a person document created
/// apart under an id already in use cannot take it over). A border post
/// or an NGO (`need_to_know`) names no node on a person: it creates person
/// documents owned by itself only, and adds no key to `nodes` — otherwise
/// a laptop could send a change naming itself on anyone's identity and be
/// sent it.
fn reach_refused(
    before: &Reach,
    after: &Reach,
    creating: bool,
    need_to_know: bool,
    author: &[u8; 32],
) -> Option<String> {
    let new_owner = after
        .owner_nodes
        .iter()
        .find(|o| !before.owner_nodes.contains(o));
    if !creating && let Some(o) = new_owner {
        return Some(format!(
            "it gives a person document another owner node ({o})"
        ));
    }
    if !need_to_know {
        return None;
    }
    let own = hex::encode(&author[..8]);
    if creating && let Some(o) = after.owner_nodes.iter().find(|o| **o != own) {
        return Some(format!(
            "a border post or an NGO node creates a person document owned by node {o}"
        ));
    }
    // Grants are given and revoked by a hub's or an office's officials:
    // a border post or an NGO touches none (it could send an identity it
    // holds abroad through its hub).
    if after.grants != before.grants {
        return Some(
            "a border post or an NGO node changes a person's grants to other countries".into(),
        );
    }
    let added = after.nodes.iter().find(|n| !before.nodes.contains(n));
    // (The value is a peer's: cut by characters, never mid-character.)
    added.map(|n| {
        format!(
            "a border post or an NGO node makes a person's identity reach node {}",
            n.chars().take(16).collect::<String>()
        )
    })
}

/// The items of a top-level list of a document, over every concurrent
/// value of it.
fn items(doc: &Document, list: &str) -> Vec<Value> {
    doc.conflicts(list)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|v| match v {
            Value::Array(a) => a,
            _ => vec![],
        })
        .collect()
}

/// A victim's risk record as [`rules::risk_refused`] judges it.
fn risk_state(doc: &Document, existed: bool) -> rules::RiskState {
    rules::RiskState {
        existed,
        identity: rules::RISK_IDENTITY
            .iter()
            .map(|f| doc.conflicts(f).unwrap_or_default())
            .collect(),
        assessments: items(doc, "assessments"),
        referrals: items(doc, "referrals"),
    }
}

/// Every value a case document holds for its reference.
fn references(doc: &Document) -> Vec<String> {
    doc.conflicts("reference")
        .unwrap_or_default()
        .into_iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect()
}

/// Whether a reference a change writes may be its author's: one with a
/// node code names the node whose key wrote it (each node numbers its own
/// series, so no node can issue a reference in another's and collide with
/// it); one without (issued before node codes) is accepted as issued, and
/// its duplicates are listed for renumbering like any other.
fn reference_is_authors(reference: &str, author: &[u8; 32]) -> bool {
    match enlace_domain::CaseRef::parse(reference) {
        Some(r) => r
            .node
            .is_none_or(|code| code == crate::node::node_code(author)),
        // Not a reference at all: `holdable` refuses the document.
        None => true,
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
        reach: if kind.follows_identity() {
            rules::person_nodes(json)
        } else {
            vec![]
        },
        grants: if kind.follows_identity() {
            rules::grants_of(json)
        } else {
            vec![]
        },
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

/// Re-indexes a case after sync changed it or one of its persons (or a
/// victim's risk document: its row of the risk index).
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
    if row.kind == DocKind::RiskAssessment {
        return crate::risk::reindex_received(tx, &node.actor, id);
    }
    if row.kind != DocKind::Case {
        return Ok(());
    }
    let doc = Document::load(&row.bytes, node.actor.clone())?;
    let case: Case = doc.read("case")?;
    let issues = validate_case(&case, today);
    let names = index::person_names(&tx.read(), &case, &node.actor)?;
    let case = index::findable(&case, &doc);
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

/// Why a change without a valid proof is kept aside.
pub(crate) const NO_PROOF: &str = "no valid signature by its author";

/// A kept change's first dependency (hex), for the quarantine.
pub(crate) fn first_dep(c: &ParsedChange) -> String {
    c.deps.first().map(hex::encode).unwrap_or_default()
}
