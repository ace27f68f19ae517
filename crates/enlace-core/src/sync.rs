//! This node as sync sees it: [`enlace_sync::Replica`] over the encrypted
//! store. Here live the rules of who may hold and who may change what:
//!
//! - **Sending** (the source of every page): only documents whose audience
//!   admits the receiver's country; `person` documents only to nodes of
//!   their own country; demonstration documents never; never a change back
//!   to the node it came from or to its author.
//! - **Receiving**, in one transaction per page: every change must carry a
//!   valid proof by its author (whose key is its automerge actor); the
//!   author must be known (this node, a paired peer, or a roster entry
//!   vouched for by a node of the same country); an author of the owner's
//!   country may change anything, any other may only add notes and links
//!   to a case; a document this node may not hold is refused whole and not
//!   kept. Refused changes are kept in the quarantine (never merged, never
//!   silently dropped); changes whose history is missing wait there and
//!   the document is asked for whole.

use std::collections::{HashMap, HashSet};

use automerge::ActorId;
use chrono::Utc;
use enlace_docs::{Document, ParsedChange};
use enlace_domain::validate::validate_case;
use enlace_domain::{Audience, Case, CountryCode};
use enlace_store::{DocRow, LogRow, PeerRow, QuarantineRow, Read, RosterRow, WriteTx};
use enlace_sync::proof::{self, ProofSource, StoredProof};
use enlace_sync::{
    Applied, Cursor, DocId, Group, Page, PeerKey, PeerState, Refusal, RefusalReason,
};
use serde_bytes::{ByteArray, ByteBuf};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::node::Identity;
use crate::{App, CoreError, Result, index, now_string};

/// Kinds of document that sync carries.
pub(crate) const KINDS: &[&str] = &["case", "person", "legal_assessment", "plan_task"];
/// Kinds that never leave their country (identifying data).
const NATIONAL_KINDS: &[&str] = &["person", "risk_assessment"];
/// Log entries read per query while building a page.
const SCAN_BATCH: usize = 2_000;
/// Log entries a page may skip over (not for this receiver) before it
/// stops and says there is more: bounds the work of one request.
const SCAN_LIMIT: usize = 50_000;

/// May a node of `country` receive this document?
pub(crate) fn may_receive(
    kind: &str,
    owner: &str,
    audience: &str,
    local_only: bool,
    country: &str,
) -> bool {
    if local_only || !KINDS.contains(&kind) {
        return false;
    }
    if NATIONAL_KINDS.contains(&kind) {
        return owner == country;
    }
    let (Some(owner), Some(country), Ok(audience)) = (
        CountryCode::parse(owner),
        CountryCode::parse(country),
        serde_json::from_str::<Audience>(audience),
    ) else {
        return false;
    };
    audience.admits(&owner, &country)
}

/// The visibility class of a document for proofs: documents that the same
/// receivers may see share a class, so relayed proofs rarely hide members.
fn class_of(kind: &str, owner: &str, audience: &str) -> u64 {
    let text = if NATIONAL_KINDS.contains(&kind) {
        format!("national:{owner}")
    } else {
        match serde_json::from_str::<Audience>(audience) {
            Ok(a) => match a.scope {
                enlace_domain::AudienceScope::Regional => "regional".to_owned(),
                enlace_domain::AudienceScope::National => format!("national:{owner}"),
                enlace_domain::AudienceScope::Bilateral => {
                    let mut c: Vec<String> = a.countries.iter().map(|c| c.to_string()).collect();
                    c.push(owner.to_owned());
                    c.sort();
                    c.dedup();
                    format!("bilateral:{}", c.join(","))
                }
            },
            Err(_) => format!("other:{owner}"),
        }
    };
    first_u64(&Sha256::digest(text.as_bytes()))
}

/// The first 8 bytes of a SHA-256 digest as a big-endian number.
fn first_u64(d: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

pub(crate) fn doc_id_bytes(id: &str) -> Option<DocId> {
    uuid::Uuid::parse_str(id)
        .ok()
        .map(|u| ByteArray::new(*u.as_bytes()))
}

pub(crate) fn doc_id_string(id: &DocId) -> String {
    uuid::Uuid::from_bytes(**id).to_string()
}

fn hash_bytes(hex_hash: &str) -> Option<[u8; 32]> {
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

/// Prefix of wants (and debts) that name a document by one of its changes.
const BY_CHANGE: &str = "change:";

/// The want (or debt) that names a document by its change `hash` (hex).
pub(crate) fn by_change(hash_hex: &str) -> String {
    format!("{BY_CHANGE}{hash_hex}")
}

/// A stored position of a cursor: its sequence and hash tag.
fn position(c: &Cursor) -> (i64, Option<Vec<u8>>) {
    (
        i64::try_from(c.seq).unwrap_or(i64::MAX),
        c.hash.map(|h| h.to_vec()),
    )
}

/// Wants of a peer: documents by id, and by one of their changes.
pub(crate) fn split_wants(rows: Vec<String>) -> (Vec<DocId>, Vec<enlace_sync::Hash>) {
    let mut docs = vec![];
    let mut changes = vec![];
    for w in rows {
        match w.strip_prefix(BY_CHANGE) {
            Some(h) => changes.extend(hash_bytes(h).map(ByteArray::new)),
            None => docs.extend(doc_id_bytes(&w)),
        }
    }
    (docs, changes)
}

/// True when the first change of a group depends on others (so the
/// receiver finds its document by them and the page can leave it out).
fn extends(change: &[u8]) -> bool {
    ParsedChange::parse(change).is_ok_and(|c| !c.deps.is_empty())
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
/// peer, or a roster entry.
pub(crate) fn country_of(
    app_key: &[u8; 32],
    app_country: &CountryCode,
    r: &Read<'_>,
    key: &[u8],
) -> Result<Option<String>> {
    if key == app_key {
        return Ok(Some(app_country.to_string()));
    }
    if let Some(p) = r.peer_by_key(key)? {
        return Ok(Some(p.country));
    }
    Ok(r.roster_entry(key)?.map(|e| e.country))
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

    /// Roster entries a receiver may need to verify the authors of a page.
    fn roster_for(&self, authors: &HashSet<[u8; 32]>) -> Result<Vec<enlace_sync::RosterEntry>> {
        let me = self.public_key();
        let mut out = vec![];
        let mut seen = HashSet::new();
        let mut todo: Vec<[u8; 32]> = authors.iter().copied().collect();
        let r = self.store.read();
        while let Some(key) = todo.pop() {
            if key == me || !seen.insert(key) || out.len() >= 500 {
                continue;
            }
            if let Some(p) = r.peer_by_key(&key)? {
                // A node of this node's country that this node paired with
                // itself: this node vouches for it.
                if p.country == self.node.country.as_str() {
                    out.push(proof::vouch(
                        self.node.signing_key(),
                        &key,
                        &p.country,
                        &p.name,
                    ));
                }
                continue;
            }
            if let Some(e) = r.roster_entry(&key)? {
                let (Ok(voucher), Ok(sig)) = (
                    <[u8; 32]>::try_from(e.voucher.as_slice()),
                    <[u8; 64]>::try_from(e.signature.as_slice()),
                ) else {
                    continue;
                };
                out.push(enlace_sync::RosterEntry {
                    key: ByteArray::new(key),
                    country: e.country,
                    name: e.name,
                    voucher: ByteArray::new(voucher),
                    sig: ByteArray::new(sig),
                });
                todo.push(voucher);
            }
        }
        Ok(out)
    }
}

/// A log entry chosen for a page.
struct Chosen {
    row: LogRow,
    hash: [u8; 32],
}

impl App {
    fn build_page(
        &mut self,
        peer: &PeerKey,
        after: &Cursor,
        whole: &[DocId],
        whole_changes: &[enlace_sync::Hash],
        max_bytes: u32,
    ) -> Result<Page> {
        let country = self.peer_country(peer)?;
        let me = self.public_key();
        let max = max_bytes as usize;
        let r = self.store.read();
        // Documents asked for whole come first (those asked for by one of
        // their changes too).
        let mut groups: Vec<(String, String, Vec<Chosen>, bool)> = vec![];
        let mut in_page: HashMap<String, usize> = HashMap::new();
        let mut unavailable = vec![];
        let mut unavailable_changes = vec![];
        let mut whole: Vec<DocId> = whole.to_vec();
        for h in whole_changes {
            match r
                .doc_of_change(&hex::encode(**h))?
                .and_then(|(id, _)| doc_id_bytes(&id))
            {
                Some(d) if !whole.contains(&d) => whole.push(d),
                Some(_) => {}
                None => unavailable_changes.push(*h),
            }
        }
        let mut bytes = 0usize;
        for d in &whole {
            let id = doc_id_string(d);
            let rows = r.log_of_doc(&id)?;
            let visible = rows.first().is_some_and(|row| {
                may_receive(
                    &row.kind,
                    &row.owner_country,
                    &row.audience,
                    row.local_only,
                    &country,
                )
            });
            if !visible {
                unavailable.push(*d);
                continue;
            }
            if bytes >= max && !groups.is_empty() {
                // The rest next time (the receiver asks again).
                continue;
            }
            let kind = rows[0].kind.clone();
            let chosen: Vec<Chosen> = rows
                .into_iter()
                .filter_map(|row| hash_bytes(&row.hash).map(|hash| Chosen { row, hash }))
                .inspect(|c| bytes += c.row.change.len())
                .collect();
            in_page.insert(id.clone(), groups.len());
            groups.push((id, kind, chosen, true));
        }
        // Then the log after `after`.
        let mut to = after.clone();
        let mut scanned = 0usize;
        let mut last = i64::try_from(after.seq).unwrap_or(i64::MAX);
        'scan: loop {
            let rows = r.log_after(last, SCAN_BATCH)?;
            let n = rows.len();
            for row in rows {
                if (bytes >= max && bytes > 0) || scanned >= SCAN_LIMIT {
                    break 'scan;
                }
                scanned += 1;
                last = row.seq;
                let Some(hash) = hash_bytes(&row.hash) else {
                    continue;
                };
                to = Cursor::at(u64::try_from(row.seq).unwrap_or(0), hash);
                let from_peer = row.source.as_deref() == Some(&peer[..]);
                let by_peer = row.author.as_deref() == Some(&peer[..]);
                if from_peer
                    || by_peer
                    || !may_receive(
                        &row.kind,
                        &row.owner_country,
                        &row.audience,
                        row.local_only,
                        &country,
                    )
                {
                    continue;
                }
                bytes += row.change.len();
                match in_page.get(&row.doc_id) {
                    Some(&i) if groups[i].3 => {} // already whole
                    Some(&i) => groups[i].2.push(Chosen { row, hash }),
                    None => {
                        in_page.insert(row.doc_id.clone(), groups.len());
                        groups.push((
                            row.doc_id.clone(),
                            row.kind.clone(),
                            vec![Chosen { row, hash }],
                            false,
                        ));
                    }
                }
            }
            if n < SCAN_BATCH {
                break;
            }
        }
        let (end, _) = r.log_end()?;
        let remaining = u64::try_from(end).unwrap_or(0).saturating_sub(to.seq);
        // Proofs: own changes signed afresh per visibility class; relayed
        // ones with the proof they came with.
        let mut stored: HashMap<i64, StoredProof> = HashMap::new();
        let mut sources: Vec<([u8; 32], ProofSource)> = vec![];
        let mut authors: HashSet<[u8; 32]> = HashSet::new();
        for (_, _, chosen, _) in &groups {
            for c in chosen {
                let author = c
                    .row
                    .author
                    .as_deref()
                    .and_then(|a| <[u8; 32]>::try_from(a).ok())
                    .unwrap_or([0; 32]);
                authors.insert(author);
                let src = if author == me && c.row.source.is_none() {
                    ProofSource::Own {
                        class: class_of(&c.row.kind, &c.row.owner_country, &c.row.audience),
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
                    // Without a proof nobody can verify the change: the
                    // receiver keeps it in quarantine.
                    ProofSource::None
                };
                sources.push((c.hash, src));
            }
        }
        let proofs = proof::build_proofs(self.node.signing_key(), &sources);
        let roster = self.roster_for(&authors)?;
        Ok(Page {
            base: after.clone(),
            to,
            more: remaining > 0,
            remaining,
            roster,
            proofs,
            groups: groups
                .into_iter()
                .filter_map(|(id, kind, chosen, full)| {
                    let doc = doc_id_bytes(&id)?;
                    // A group extending a document the receiver holds leaves
                    // it out: the receiver finds it by the dependencies.
                    let named = full || chosen.first().is_none_or(|c| !extends(&c.row.change));
                    Some(Group {
                        doc: named.then_some(doc),
                        kind: named.then_some(kind),
                        changes: chosen
                            .into_iter()
                            .map(|c| ByteBuf::from(c.row.change))
                            .collect(),
                        full,
                    })
                })
                .collect(),
            unavailable,
            unavailable_changes,
        })
    }
}

/// What happened to one received change.
enum Fate {
    Applied,
    Known,
    Kept(RefusalReason, String),
}

/// One document while received changes are applied to it.
struct Working {
    kind: String,
    doc: Document,
    /// The owner country before the change being tried (None: new).
    owner: Option<String>,
    /// A local demonstration document with this id is being replaced.
    replaces_demo: bool,
}

/// What a group needs from the store before it is worked on.
struct Stored {
    bytes: Vec<u8>,
    owner_country: String,
    local_only: bool,
}

fn stored_doc(
    r: &Read<'_>,
    id: &str,
    kind: &str,
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
fn working(actor: &ActorId, kind: &str, stored: Option<&Stored>) -> Result<Working> {
    Ok(match stored {
        Some(s) if !s.local_only => Working {
            kind: kind.to_owned(),
            doc: Document::load(&s.bytes, actor.clone())?,
            owner: Some(s.owner_country.clone()),
            replaces_demo: false,
        },
        other => Working {
            kind: kind.to_owned(),
            doc: Document::new(actor.clone()),
            owner: None,
            replaces_demo: other.is_some(),
        },
    })
}

fn open_working(
    node: &Identity,
    r: &Read<'_>,
    id: &str,
    kind: &str,
) -> Result<std::result::Result<Working, RefusalReason>> {
    Ok(match stored_doc(r, id, kind)? {
        Ok(stored) => Ok(working(&node.actor, kind, stored.as_ref())?),
        Err(reason) => Err(reason),
    })
}

/// The countries of authors, looked up once per page.
type Authors = HashMap<Vec<u8>, Option<String>>;

fn author_country(
    node: &Identity,
    r: &Read<'_>,
    cache: &mut Authors,
    key: &[u8],
) -> Result<Option<String>> {
    if let Some(c) = cache.get(key) {
        return Ok(c.clone());
    }
    let c = country_of(&node.public_key(), &node.country, r, key)?;
    cache.insert(key.to_vec(), c.clone());
    Ok(c)
}

/// Tries one change on a document: author known (`authors` holds the
/// country of every author of the page), history present, change allowed.
/// Applies it when it may be.
fn try_change(
    actor: &ActorId,
    authors: &Authors,
    w: &mut Working,
    c: &ParsedChange,
) -> Result<Fate> {
    if w.doc.has_change(&c.hash) {
        return Ok(Fate::Known);
    }
    let Some(country) = authors.get(&c.actor).cloned().flatten() else {
        return Ok(Fate::Kept(
            RefusalReason::UnknownAuthor,
            format!(
                "its author {} is not known to this node",
                hex::encode(&c.actor[..c.actor.len().min(8)])
            ),
        ));
    };
    if let Some(missing) = c.deps.iter().find(|d| !w.doc.has_change(d)) {
        return Ok(Fate::Kept(
            RefusalReason::MissingHistory,
            format!(
                "it follows change {} which this node does not hold yet",
                hex::encode(&missing[..8])
            ),
        ));
    }
    match w.owner.clone() {
        // An author of the owner's country: anything.
        Some(owner) if owner == country => {
            w.doc.apply_parsed(c)?;
            Ok(Fate::Applied)
        }
        // A new document: only its owner's country may create it.
        None => {
            w.doc.apply_parsed(c)?;
            let owner = w.doc.str_at(&["owner", "country"]);
            if owner.as_deref() == Some(country.as_str()) {
                w.owner = owner;
                Ok(Fate::Applied)
            } else {
                w.doc = Document::new(actor.clone());
                Ok(Fate::Kept(
                    RefusalReason::NotAllowed,
                    format!(
                        "a node of {country} creates a document owned by {}",
                        owner.as_deref().unwrap_or("no country")
                    ),
                ))
            }
        }
        // Another country: only notes and links added to a case.
        Some(owner) => {
            let mut trial = w.doc.clone();
            trial.apply_parsed(c)?;
            if w.kind == "case" && appends_only(&w.doc.to_json()?, &trial.to_json()?) {
                w.doc = trial;
                Ok(Fate::Applied)
            } else {
                Ok(Fate::Kept(
                    RefusalReason::NotAllowed,
                    format!(
                        "a node of {country} changes a document of {owner} beyond adding notes or links"
                    ),
                ))
            }
        }
    }
}

/// True when `after` differs from `before` only by items added to the
/// `notes` and `links` lists (nothing removed or changed).
fn appends_only(before: &Value, after: &Value) -> bool {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return false;
    };
    let keys: HashSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter().all(|k| {
        let (x, y) = (b.get(k), a.get(k));
        if x == y {
            return true;
        }
        if k != "notes" && k != "links" {
            return false;
        }
        let empty = vec![];
        let (xs, ys) = match (x, y) {
            (None, Some(Value::Array(ys))) => (&empty, ys),
            (Some(Value::Array(xs)), Some(Value::Array(ys))) => (xs, ys),
            _ => return false,
        };
        // Every old item is still there, in order (concurrent additions
        // may interleave).
        let mut it = ys.iter();
        ys.len() > xs.len() && xs.iter().all(|x| it.any(|y| y == x))
    })
}

/// May this node hold the document as it now reads? Its content must be
/// a well-formed document of its kind with its own id.
fn holdable(
    kind: &str,
    id: &str,
    json: &Value,
    my_country: &str,
) -> std::result::Result<Option<Case>, RefusalReason> {
    use enlace_domain::input::from_value_ref;
    let mut case = None;
    let shape_ok = match kind {
        "case" => {
            case = from_value_ref::<Case>(json).ok();
            case.is_some()
        }
        "person" => from_value_ref::<enlace_domain::Person>(json).is_ok(),
        "legal_assessment" => {
            from_value_ref::<enlace_domain::assessment::LegalAssessment>(json).is_ok()
        }
        "plan_task" => from_value_ref::<enlace_domain::PlanTask>(json).is_ok(),
        _ => false,
    };
    if !shape_ok || json.get("id").and_then(Value::as_str) != Some(id) {
        return Err(RefusalReason::Malformed);
    }
    let owner = json
        .pointer("/owner/country")
        .and_then(Value::as_str)
        .unwrap_or("");
    if NATIONAL_KINDS.contains(&kind) {
        return if owner == my_country {
            Ok(case)
        } else {
            Err(RefusalReason::NationalOnly)
        };
    }
    let audience = json
        .get("audience")
        .map(Value::to_string)
        .unwrap_or_default();
    if may_receive(kind, owner, &audience, false, my_country) {
        Ok(case)
    } else {
        Err(RefusalReason::NotInAudience)
    }
}

/// The row of a received document, without its bytes (the caller fills
/// them: saved, or the changes as received).
fn doc_row_from(
    id: &str,
    kind: &str,
    json: &Value,
    doc: &mut Document,
    at: &str,
) -> Result<DocRow> {
    let audience = if NATIONAL_KINDS.contains(&kind) {
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
        kind: kind.to_owned(),
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
fn put_received(tx: &WriteTx<'_>, row: &DocRow, replaces_demo: bool) -> Result<()> {
    if replaces_demo {
        tx.replace_doc(row)?;
    } else {
        tx.put_doc(row)?;
    }
    Ok(())
}

/// Stores the proof at `idx` of a page once; its id.
fn store_proof(
    tx: &WriteTx<'_>,
    (proofs, sender): (&[enlace_sync::Proof], &PeerKey),
    idx: Option<usize>,
    hashes: &[[u8; 32]],
    ids: &mut HashMap<usize, i64>,
) -> Result<Option<i64>> {
    let Some(i) = idx else { return Ok(None) };
    if let Some(id) = ids.get(&i) {
        return Ok(Some(*id));
    }
    let p = &proofs[i];
    let members: Vec<u8> = proof::members(p, hashes).concat();
    let id = tx.put_proof(&proof::author_of(p, sender), &*p.sig, &members)?;
    ids.insert(i, id);
    Ok(Some(id))
}

/// Accepts the roster entries whose voucher this node knows as a node of
/// the entry's own country (in any order: an entry may vouch for the
/// voucher of another). True when any was new.
fn accept_roster(
    node: &Identity,
    tx: &WriteTx<'_>,
    entries: &[enlace_sync::RosterEntry],
    at: &str,
) -> Result<bool> {
    let me = node.public_key();
    let mut pending: Vec<&enlace_sync::RosterEntry> = entries
        .iter()
        .filter(|e| *e.key != me && proof::roster_entry_valid(e))
        .collect();
    let mut grew = false;
    loop {
        let mut progress = false;
        let mut rest = vec![];
        for e in pending {
            let r = tx.read();
            if country_of(&me, &node.country, &r, &*e.key)?.is_some() {
                continue; // known already; the first word stands
            }
            match country_of(&me, &node.country, &r, &*e.voucher)? {
                Some(c) if c == e.country => {
                    tx.put_roster(&RosterRow {
                        public_key: e.key.to_vec(),
                        country: e.country.clone(),
                        name: e.name.chars().take(100).collect(),
                        voucher: e.voucher.to_vec(),
                        signature: e.sig.to_vec(),
                        added_at: at.to_owned(),
                    })?;
                    progress = true;
                    grew = true;
                }
                Some(_) => {} // a node may vouch only for its own country
                None => rest.push(e),
            }
        }
        pending = rest;
        if !progress || pending.is_empty() {
            return Ok(grew);
        }
    }
}

/// Re-indexes a case after sync changed it or one of its persons.
fn reindex_case(
    node: &Identity,
    tx: &WriteTx<'_>,
    id: &str,
    at: &str,
    today: chrono::NaiveDate,
) -> Result<()> {
    let Some(row) = tx.read().doc(id)? else {
        return Ok(());
    };
    if row.kind != "case" {
        return Ok(());
    }
    let doc = Document::load(&row.bytes, node.actor.clone())?;
    let case: Case = doc.read("case")?;
    let issues = validate_case(&case, today);
    let names = index::person_names(&tx.read(), &case, &node.actor)?;
    tx.index_case(&index::case_row(&case, &names, &issues, at))?;
    Ok(())
}

/// Tries again the quarantined changes that may now apply: those waiting
/// for history in documents this page touched, and (when the roster grew)
/// those whose author was unknown. Returns how many were applied.
fn retry_quarantine(
    node: &Identity,
    tx: &WriteTx<'_>,
    touched: &HashSet<String>,
    roster_grew: bool,
    at: &str,
    cases: &mut HashSet<String>,
) -> Result<u64> {
    let my_country = node.country.to_string();
    let mut rows = tx.read().quarantine(None)?;
    let mut touched = touched.clone();
    // Changes kept before their document was known: name it if it is now.
    for q in rows.iter_mut().filter(|q| q.doc_id.is_empty()) {
        let Ok(parsed) = ParsedChange::parse(&q.change) else {
            continue;
        };
        if let Some((doc, kind)) = doc_of(&tx.read(), &parsed)? {
            tx.resolve_quarantine(q.id, &doc, &kind)?;
            touched.insert(doc.clone());
            q.doc_id = doc;
            q.kind = kind;
        }
    }
    let mut by_doc: HashMap<String, Vec<QuarantineRow>> = HashMap::new();
    for q in rows.into_iter().filter(|q| !q.doc_id.is_empty()) {
        let wanted = (q.reason == RefusalReason::MissingHistory.as_str()
            && touched.contains(&q.doc_id))
            || (roster_grew && q.reason == RefusalReason::UnknownAuthor.as_str());
        if wanted {
            by_doc.entry(q.doc_id.clone()).or_default().push(q);
        }
    }
    let mut applied_total = 0;
    let mut authors = Authors::new();
    for (id, mut waiting) in by_doc {
        let kind = waiting[0].kind.clone();
        let read = tx.read();
        let Ok(mut w) = open_working(node, &read, &id, &kind)? else {
            continue;
        };
        let mut applied: Vec<QuarantineRow> = vec![];
        loop {
            let mut progress = false;
            let mut rest = vec![];
            for q in waiting {
                let Ok(parsed) = ParsedChange::parse(&q.change) else {
                    continue;
                };
                author_country(node, &read, &mut authors, &parsed.actor)?;
                match try_change(&node.actor, &authors, &mut w, &parsed)? {
                    Fate::Applied => {
                        progress = true;
                        applied.push(q);
                    }
                    Fate::Known => tx.remove_quarantine(q.id)?,
                    Fate::Kept(reason, detail) => {
                        if reason.as_str() != q.reason {
                            tx.put_quarantine(&QuarantineRow {
                                reason: reason.as_str().to_owned(),
                                detail,
                                ..q.clone()
                            })?;
                        }
                        rest.push(q);
                    }
                }
            }
            waiting = rest;
            if !progress || waiting.is_empty() {
                break;
            }
        }
        if applied.is_empty() {
            continue;
        }
        let json = w.doc.to_json()?;
        if holdable(&kind, &id, &json, &my_country).is_err() {
            continue;
        }
        let mut row = doc_row_from(&id, &kind, &json, &mut w.doc, at)?;
        row.bytes = w.doc.save();
        put_received(tx, &row, w.replaces_demo)?;
        for q in applied {
            if tx
                .log_received(
                    &id, &q.hash, &q.change, &q.author, &q.source, q.proof_id, at,
                )?
                .is_some()
            {
                applied_total += 1;
            }
            tx.remove_quarantine(q.id)?;
        }
        match kind.as_str() {
            "case" => {
                cases.insert(id.clone());
            }
            "person" => cases.extend(tx.read().cases_of_person(&id)?),
            _ => {}
        }
    }
    Ok(applied_total)
}

/// After the roster grew outside a page (a peer was paired): applies what
/// waited for an author's key, and re-indexes the cases it touched.
pub(crate) fn retry_after_roster(node: &Identity, tx: &WriteTx<'_>, at: &str) -> Result<()> {
    let mut cases = HashSet::new();
    retry_quarantine(node, tx, &HashSet::new(), true, at, &mut cases)?;
    let today = Utc::now().date_naive();
    for id in &cases {
        reindex_case(node, tx, id, at, today)?;
    }
    Ok(())
}

/// The document (id, kind) a change belongs to, when this node holds the
/// change or one it depends on.
fn doc_of(r: &Read<'_>, c: &ParsedChange) -> Result<Option<(String, String)>> {
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

/// The document (id, kind) of a group that does not name it.
fn resolve(r: &Read<'_>, incoming: &[Incoming]) -> Result<Option<(String, String)>> {
    for inc in incoming {
        if let Some(found) = doc_of(r, &inc.parsed)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Keeps a received change aside in the quarantine (never merged, never
/// dropped), with the proof that came with it, the document it belongs to
/// (empty when unknown yet) and why.
fn keep_aside(
    tx: &WriteTx<'_>,
    (proofs, sender, hashes): (&[enlace_sync::Proof], &PeerKey, &[[u8; 32]]),
    proof_ids: &mut HashMap<usize, i64>,
    inc: &Incoming,
    (doc_id, kind): (&str, &str),
    (reason, detail): (RefusalReason, String),
    at: &str,
) -> Result<()> {
    let pid = store_proof(tx, (proofs, sender), inc.proof, hashes, proof_ids)?;
    tx.put_quarantine(&QuarantineRow {
        id: 0,
        doc_id: doc_id.to_owned(),
        kind: kind.to_owned(),
        hash: inc.parsed.hash_hex(),
        change: inc.bytes.clone(),
        author: inc.parsed.actor.clone(),
        proof_id: pid,
        source: sender.to_vec(),
        reason: reason.as_str().to_owned(),
        detail,
        received_at: at.to_owned(),
    })?;
    Ok(())
}

/// A change of a group with what is known of it.
struct Incoming {
    parsed: ParsedChange,
    bytes: Vec<u8>,
    proof: Option<usize>,
}

/// A group made ready on the transaction's thread: its document, the
/// stored copy, and its changes.
struct Ready {
    id: String,
    kind: String,
    full: bool,
    stored: Option<Stored>,
    incoming: Vec<Incoming>,
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

/// What working on a group gave: the document to store (or why not), the
/// changes applied, the changes kept.
struct Worked {
    applied: Vec<usize>,
    kept: Vec<(usize, RefusalReason, String)>,
    outcome: std::result::Result<Option<Keep>, RefusalReason>,
}

/// Works on one group without touching the store: apply what may be
/// applied, check the result, save it (the CPU-heavy part of a page).
fn work(
    actor: &ActorId,
    authors: &Authors,
    my_country: &str,
    at: &str,
    today: chrono::NaiveDate,
    r: &Ready,
) -> Result<Worked> {
    let mut w = working(actor, &r.kind, r.stored.as_ref())?;
    let mut applied = vec![];
    let mut kept = vec![];
    for (i, inc) in r.incoming.iter().enumerate() {
        if inc.proof.is_none() {
            kept.push((
                i,
                RefusalReason::BadSignature,
                "no valid signature by its author".into(),
            ));
            continue;
        }
        match try_change(actor, authors, &mut w, &inc.parsed)? {
            Fate::Applied => applied.push(i),
            Fate::Known => {}
            Fate::Kept(reason, detail) => kept.push((i, reason, detail)),
        }
    }
    if applied.is_empty() {
        return Ok(Worked {
            applied,
            kept,
            outcome: Ok(None),
        });
    }
    // May this node hold the document as it now reads? If not, nothing of
    // it is kept here.
    let json = w.doc.to_json()?;
    let outcome = match holdable(&r.kind, &r.id, &json, my_country) {
        Err(reason) => Err(reason),
        Ok(case) => {
            let mut row = doc_row_from(&r.id, &r.kind, &json, &mut w.doc, at)?;
            if r.stored.is_none() && kept.is_empty() && applied.len() == r.incoming.len() {
                // New here and exactly the changes received: kept as those
                // changes (automerge loads them as fast as a saved
                // document), without saving it again.
                row.bytes = r
                    .incoming
                    .iter()
                    .flat_map(|i| i.bytes.iter().copied())
                    .collect();
            } else {
                row.bytes = w.doc.save();
            }
            let case = case.map(|c| {
                let issues = validate_case(&c, today);
                (c, issues)
            });
            let index_row = case
                .as_ref()
                .filter(|(c, _)| c.owner.country.as_str() != my_country)
                .map(|(c, issues)| index::case_row(c, &[], issues, at));
            Ok(Some(Keep {
                row,
                case,
                index_row,
                replaces_demo: w.replaces_demo,
            }))
        }
    };
    Ok(Worked {
        applied,
        kept,
        outcome,
    })
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
        let mut parsed: Vec<Option<ParsedChange>> = vec![];
        for g in &page.groups {
            for c in &g.changes {
                parsed.push(ParsedChange::parse(c).ok());
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
                    .and_then(|p| <[u8; 32]>::try_from(p.actor.as_slice()).ok())
                    .unwrap_or([0; 32])
            })
            .collect();
        let covered = proof::verify_proofs(&page.proofs, peer, &hashes, &actors);
        let node = &self.node;
        self.store.write(|tx| {
            let mut out = Applied::default();
            let roster_grew = accept_roster(node, tx, &page.roster, &at)?;
            let mut proof_ids: HashMap<usize, i64> = HashMap::new();
            let mut authors = Authors::new();
            let mut touched: HashSet<String> = HashSet::new();
            let mut cases: HashSet<String> = HashSet::new();
            let read = tx.read();

            // 1. On this thread: which document each group is, its stored
            //    copy, its authors' countries.
            let mut ready: Vec<Ready> = Vec::with_capacity(page.groups.len());
            let mut pos = 0usize;
            for g in &page.groups {
                let mut incoming = vec![];
                for c in &g.changes {
                    let p = parsed[pos].take();
                    let proof = covered[pos];
                    pos += 1;
                    match p {
                        Some(parsed) => {
                            author_country(node, &read, &mut authors, &parsed.actor)?;
                            incoming.push(Incoming {
                                parsed,
                                bytes: c.to_vec(),
                                proof,
                            });
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
                    (Some(d), Some(k)) => (doc_id_string(d), k.clone()),
                    _ => match resolve(&read, &incoming)? {
                        Some(found) => found,
                        None => {
                            // Its document is not here yet: keep the
                            // changes and ask for it by one of them.
                            let Some(first) = incoming.first() else {
                                continue;
                            };
                            for inc in &incoming {
                                keep_aside(
                                    tx,
                                    (&page.proofs, peer, &hashes),
                                    &mut proof_ids,
                                    inc,
                                    ("", ""),
                                    (
                                        RefusalReason::MissingHistory,
                                        "its document is not on this node yet".into(),
                                    ),
                                    &at,
                                )?;
                            }
                            tx.want(peer, &by_change(&first.parsed.hash_hex()))?;
                            out.refused.push(Refusal {
                                doc: None,
                                change: Some(ByteArray::new(first.parsed.hash)),
                                reason: RefusalReason::MissingHistory,
                            });
                            continue;
                        }
                    },
                };
                if !KINDS.contains(&kind.as_str()) {
                    out.refused.push(Refusal {
                        doc: doc_id_bytes(&id),
                        change: None,
                        reason: RefusalReason::Malformed,
                    });
                    continue;
                }
                match stored_doc(&read, &id, &kind)? {
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
            let (actor, authors_ref, country_ref, at_ref) =
                (&node.actor, &authors, my_country.as_str(), at.as_str());
            let ready_ref = &ready;
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
                            if send
                                .send(work(actor, authors_ref, country_ref, at_ref, today, r))
                                .is_err()
                            {
                                return;
                            }
                        }
                    });
                }
                for (k, r) in ready.iter().enumerate() {
                    let worked = receivers[k % n]
                        .recv()
                        .map_err(|_| CoreError::Internal("a worker thread stopped".into()))??;
                    let doc_ref = doc_id_bytes(&r.id);
                    match worked.outcome {
                        Err(reason) => {
                            out.refused.push(Refusal {
                                doc: doc_ref,
                                change: None,
                                reason,
                            });
                            continue;
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
                                let pid = store_proof(
                                    tx,
                                    (&page.proofs, peer),
                                    inc.proof,
                                    &hashes,
                                    &mut proof_ids,
                                )?;
                                if tx
                                    .log_received(
                                        &r.id,
                                        &inc.parsed.hash_hex(),
                                        &inc.bytes,
                                        &inc.parsed.actor,
                                        peer,
                                        pid,
                                        &at,
                                    )?
                                    .is_some()
                                {
                                    out.changes += 1;
                                }
                            }
                            out.docs += 1;
                            touched.insert(r.id.clone());
                            match (r.kind.as_str(), case) {
                                ("case", Some((case, issues))) => {
                                    // Identities live only in their own
                                    // country: another country's case has
                                    // none here (its row was built already).
                                    let row = match index_row {
                                        Some(row) => row,
                                        None => {
                                            let names = index::person_names(
                                                &tx.read(),
                                                &case,
                                                &node.actor,
                                            )?;
                                            index::case_row(&case, &names, &issues, &at)
                                        }
                                    };
                                    if r.stored.is_none() {
                                        tx.index_new_case(&row)?;
                                    } else {
                                        tx.index_case(&row)?;
                                    }
                                    cases.remove(&r.id);
                                }
                                ("person", _) => cases.extend(tx.read().cases_of_person(&r.id)?),
                                _ => {}
                            }
                        }
                    }
                    for (i, reason, detail) in worked.kept {
                        let inc = &r.incoming[i];
                        keep_aside(
                            tx,
                            (&page.proofs, peer, &hashes),
                            &mut proof_ids,
                            inc,
                            (&r.id, &r.kind),
                            (reason, detail),
                            &at,
                        )?;
                        if reason == RefusalReason::MissingHistory {
                            tx.want(peer, &r.id)?;
                        }
                        out.refused.push(Refusal {
                            doc: doc_ref,
                            change: Some(ByteArray::new(inc.parsed.hash)),
                            reason,
                        });
                    }
                    if r.full {
                        tx.unwant(peer, &r.id)?;
                    }
                }
                Ok(())
            })?;

            // 3. What the page settles.
            for d in &page.unavailable {
                tx.unwant(peer, &doc_id_string(d))?;
            }
            for h in &page.unavailable_changes {
                tx.unwant(peer, &by_change(&hex::encode(**h)))?;
            }
            // Changes kept for want of history or of their author's key
            // may apply now.
            out.changes += retry_quarantine(node, tx, &touched, roster_grew, &at, &mut cases)?;
            // Documents asked for by a change are here once that change is.
            for w in tx.read().wants(peer)? {
                if let Some(h) = w.strip_prefix(BY_CHANGE)
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
                let name = crate::peers::key_name(&tx.read(), peer)?;
                tx.audit(&at, &node.name, "sync.refused", &name, &detail.join(", "))?;
            }
            Ok::<_, CoreError>(out)
        })
    }
}

impl enlace_sync::Replica for App {
    type Error = CoreError;

    fn peer_state(&mut self, peer: &PeerKey) -> Result<PeerState> {
        let p = self.peer_row_by_key(peer)?;
        let (want, want_changes) = split_wants(self.store.read().wants(peer)?);
        Ok(PeerState {
            applied: cursor(p.applied_seq, p.applied_hash.as_deref()),
            acked: cursor(p.acked_seq, p.acked_hash.as_deref()),
            want,
            want_changes,
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
        let country = self.peer_country(peer)?;
        let mut found = false;
        self.store.read().each_doc_meta(None, None, |m| {
            found = may_receive(
                &m.kind,
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
        whole: &[DocId],
        whole_changes: &[enlace_sync::Hash],
        max_bytes: u32,
    ) -> Result<Page> {
        self.build_page(peer, after, whole, whole_changes, max_bytes)
    }

    fn apply(&mut self, peer: &PeerKey, page: &Page) -> Result<Applied> {
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
        Ok(self.store.write(|tx| {
            for d in docs {
                tx.want(peer, &doc_id_string(d))?;
            }
            Ok::<_, enlace_store::StoreError>(())
        })?)
    }

    fn summary(
        &mut self,
        peer: &PeerKey,
        after: Option<&DocId>,
        through: Option<&DocId>,
        limit: usize,
    ) -> Result<Vec<(DocId, u64)>> {
        let country = self.peer_country(peer)?;
        let after = after.map(doc_id_string);
        let through = through.map(doc_id_string);
        let mut out = vec![];
        self.store
            .read()
            .each_doc_meta(after.as_deref(), through.as_deref(), |m| {
                if may_receive(
                    &m.kind,
                    &m.owner_country,
                    &m.audience,
                    m.local_only,
                    &country,
                ) && let Some(id) = doc_id_bytes(&m.id)
                {
                    out.push((id, heads_digest(&m.heads)));
                }
                out.len() < limit
            })?;
        Ok(out)
    }
}
