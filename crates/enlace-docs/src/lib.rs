//! Domain values <-> automerge documents.
//!
//! Every case and person is one automerge document. The mapping is a plain,
//! documented JSON mapping: a value is serialised with serde, then written
//! into the document's root map field by field — objects become automerge
//! maps, arrays lists, strings *scalar* strings (never collaborative `Text`:
//! one convention for every field, see ARCHITECTURE.md), numbers and booleans
//! scalars, and `null` is an absent key. Only what differs is written, so a
//! change touches exactly the fields that changed and the history can say
//! which. Reading hydrates the document back into JSON and deserialises it
//! with the field path of any error.
//!
//! Every change carries a JSON message ([`ChangeMessage`]: who, which fields)
//! and a timestamp in Unix seconds; its actor is derived from the node's
//! Ed25519 public key ([`actor_for_key`]) so signed changes can later be
//! bound to keys.
//!
//! Not here: storage (enlace-store), the network, or any IO.
#![forbid(unsafe_code)]

use std::collections::BTreeSet;

pub mod chunk;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue,
};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use ts_rs::TS;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error(
        "the stored document cannot be read by automerge ({0}); restore it from a backup or a peer"
    )]
    Automerge(#[from] automerge::AutomergeError),
    #[error("the document holds `{kind}` where a value of another shape is expected: {source}")]
    Shape {
        kind: &'static str,
        source: enlace_domain::input::InputError,
    },
    #[error("a value could not be converted to JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a received change is malformed ({0}); it was not applied")]
    BadChange(String),
    #[error(
        "the change is too large to be synced ({0}); nothing was saved: make it in smaller steps"
    )]
    TooLarge(String),
    #[error(
        "a received change reuses the sequence number {seq} of its author in this document with other content (equivocation); it was not applied"
    )]
    Equivocation { seq: u64 },
    #[error("the document root must be a JSON object")]
    NotAnObject,
}

pub type Result<T, E = DocError> = std::result::Result<T, E>;

/// The automerge actor of a node: its 32-byte Ed25519 public key.
pub fn actor_for_key(public_key: &[u8; 32]) -> ActorId {
    ActorId::from(&public_key[..])
}

/// The actor a node writes one session's changes under: its key followed
/// by `session` (a few random bytes drawn when the node is opened).
/// automerge numbers each actor's changes in a document; a node restored
/// from a backup would otherwise number new changes as the lost ones were
/// numbered, which every peer holding those refuses as equivocation. With
/// a fresh session actor, no number is ever given twice. The key part
/// still names the author (see enlace-sync's `proof::actor_key`).
pub fn session_actor(public_key: &[u8; 32], session: &[u8]) -> ActorId {
    let mut bytes = public_key.to_vec();
    bytes.extend_from_slice(session);
    ActorId::from(bytes)
}

/// The author's key part of an actor id, as hex (what histories show).
fn author_hex(actor: &ActorId) -> String {
    let bytes = actor.to_bytes();
    bytes[..bytes.len().min(32)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a change says about itself, stored as its automerge message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeMessage {
    /// `node` or `node/user`.
    pub by: String,
    /// Top-level fields the change touched.
    pub fields: Vec<String>,
    /// What kind of action: `create`, `update`, `note`, `import`, ...
    pub action: String,
}

/// One entry of a document's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub hash: String,
    /// The author node's public key, as hex (the actor without its
    /// session part).
    pub actor: String,
    /// The author's change counter.
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "string")]
    pub time: DateTime<Utc>,
    pub by: String,
    pub action: String,
    pub fields: Vec<String>,
    /// The changes this one follows (the document's heads before it).
    pub deps: Vec<String>,
}

/// A change just made, ready for the change log.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub hash: ChangeHash,
    pub bytes: Vec<u8>,
}

/// A change received from elsewhere, parsed and checked (its checksum is
/// verified by automerge): its hash, author and dependencies.
#[derive(Debug, Clone)]
pub struct ParsedChange {
    pub hash: [u8; 32],
    /// The actor id's bytes (for Enlace nodes, the 32-byte public key).
    pub actor: Vec<u8>,
    pub deps: Vec<[u8; 32]>,
    change: automerge::Change,
}

impl ParsedChange {
    /// Parses a received change: a plain change chunk whose form was
    /// checked first ([`chunk::check`]: no compressed chunk, a bounded
    /// number of operations) and whose checksum matches its hash, so each
    /// change has one byte form.
    pub fn parse(bytes: &[u8]) -> Result<ParsedChange> {
        chunk::check(bytes).map_err(DocError::BadChange)?;
        let change = automerge::Change::from_bytes(bytes.to_vec())
            .map_err(|e| DocError::BadChange(e.to_string()))?;
        let hash = change.hash().0;
        if bytes.get(4..8) != Some(&hash[..4]) {
            return Err(DocError::BadChange(
                "its checksum does not match its content".into(),
            ));
        }
        Ok(ParsedChange {
            hash,
            actor: change.actor_id().to_bytes().to_vec(),
            deps: change.deps().iter().map(|d| d.0).collect(),
            change,
        })
    }

    /// The hash as automerge prints it (hex).
    pub fn hash_hex(&self) -> String {
        ChangeHash(self.hash).to_string()
    }
}

/// One automerge document.
#[derive(Clone)]
pub struct Document {
    doc: AutoCommit,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document").finish_non_exhaustive()
    }
}

impl Document {
    /// A new, empty document written by `actor`.
    pub fn new(actor: ActorId) -> Document {
        Document {
            doc: AutoCommit::new().with_actor(actor),
        }
    }

    /// Loads saved bytes; further changes are written by `actor`.
    pub fn load(bytes: &[u8], actor: ActorId) -> Result<Document> {
        Ok(Document {
            doc: AutoCommit::load(bytes)?.with_actor(actor),
        })
    }

    /// Writes `value` (serialised to a JSON object) into the root map,
    /// touching only what differs. Returns the top-level fields changed.
    pub fn write<T: Serialize>(&mut self, value: &T) -> Result<Vec<String>> {
        let Value::Object(map) = serde_json::to_value(value)? else {
            return Err(DocError::NotAnObject);
        };
        let mut changed = BTreeSet::new();
        reconcile_map(&mut self.doc, &ROOT, &map, &mut Some(&mut changed))?;
        Ok(changed.into_iter().collect())
    }

    /// The document as JSON. automerge's own hydration walks each object
    /// once (reading key by key cost ~5× more for a typical case).
    pub fn to_json(&self) -> Result<Value> {
        Ok(hydrated_to_json(&self.doc.hydrate(&ROOT, None)?))
    }

    /// Reads the document as a `T`.
    pub fn read<T: DeserializeOwned>(&self, kind: &'static str) -> Result<T> {
        enlace_domain::input::from_value(self.to_json()?)
            .map_err(|source| DocError::Shape { kind, source })
    }

    /// Commits pending operations as one change. `None` when nothing changed.
    pub fn commit(
        &mut self,
        message: &ChangeMessage,
        at: DateTime<Utc>,
    ) -> Result<Option<NewChange>> {
        let text = serde_json::to_string(message)?;
        let opts = CommitOptions::default()
            .with_message(text)
            .with_time(at.timestamp());
        let Some(hash) = self.doc.commit_with(opts) else {
            return Ok(None);
        };
        let bytes = self
            .doc
            .get_change_by_hash(&hash)
            .map(|c| c.raw_bytes().to_vec())
            .unwrap_or_default();
        // A change every peer would refuse is not made here either.
        chunk::check(&bytes).map_err(DocError::TooLarge)?;
        Ok(Some(NewChange { hash, bytes }))
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The current heads, as hex strings (sorted).
    pub fn heads(&mut self) -> Vec<String> {
        let mut h: Vec<String> = self.doc.get_heads().iter().map(|h| h.to_string()).collect();
        h.sort();
        h
    }

    /// Applies changes from elsewhere (raw change bytes). Idempotent.
    pub fn apply(&mut self, changes: &[Vec<u8>]) -> Result<()> {
        let mut parsed = Vec::with_capacity(changes.len());
        for c in changes {
            parsed.push(
                automerge::Change::from_bytes(c.clone())
                    .map_err(|e| DocError::BadChange(e.to_string()))?,
            );
        }
        self.doc.apply_changes(parsed)?;
        Ok(())
    }

    /// True when the document holds the change with this hash.
    pub fn has_change(&self, hash: &[u8; 32]) -> bool {
        self.doc.get_change_by_hash(&ChangeHash(*hash)).is_some()
    }

    /// Applies one parsed change whose dependencies the document holds.
    /// A change whose author already wrote another change with its
    /// sequence number here is refused as [`DocError::Equivocation`]; the
    /// document is then unchanged (automerge checks before it applies).
    /// A panic inside automerge (it has `unwrap`s that received
    /// operations can reach) is returned as [`DocError::BadChange`]; the
    /// document must then be built again (it may be half changed).
    pub fn apply_parsed(&mut self, c: &ParsedChange) -> Result<()> {
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.doc.apply_changes([c.change.clone()])
        }));
        match applied {
            Ok(Ok(())) => Ok(()),
            Ok(Err(automerge::AutomergeError::DuplicateSeqNumber(seq, _))) => {
                Err(DocError::Equivocation { seq })
            }
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(DocError::BadChange("automerge failed on it".into())),
        }
    }

    /// True when change `c` does nothing but insert items into the
    /// top-level lists named in `lists` (which the document must have) and
    /// fill in the objects it creates itself: no value it did not create
    /// is set, deleted or counted. This is what
    /// another country may do to a case (add notes and links); checked on
    /// the change's own operations, without applying it.
    pub fn only_appends(&self, c: &ParsedChange, lists: &[&str]) -> bool {
        use automerge::legacy::{ObjectId, OpType};
        let ex = c.change.decode();
        let actor = c.change.actor_id();
        let start = c.change.start_op().get();
        let end = start + ex.operations.len() as u64;
        let own = |counter: u64, by: &ActorId| by == actor && (start..end).contains(&counter);
        // The lists as they are now (concurrent ones included).
        let mut targets: Vec<(u64, ActorId)> = vec![];
        for name in lists {
            if let Ok(all) = self.doc.get_all(ROOT, *name) {
                for (v, id) in all {
                    if let (
                        automerge::Value::Object(ObjType::List),
                        automerge::ObjId::Id(n, a, _),
                    ) = (v, id)
                    {
                        targets.push((n, a));
                    }
                }
            }
        }
        ex.operations.iter().all(|op| {
            let writes_value = matches!(op.action, OpType::Make(_) | OpType::Put(_));
            match &op.obj {
                // Nothing at the root: not even a list the document lacks
                // (it would win over the owner's own concurrent list).
                ObjectId::Root => false,
                ObjectId::Id(id) if targets.iter().any(|(n, a)| *n == id.0 && *a == id.1) => {
                    op.insert && writes_value && op.pred.is_empty()
                }
                ObjectId::Id(id) if own(id.0, &id.1) => {
                    writes_value && op.pred.iter().all(|p| own(p.0, &p.1))
                }
                ObjectId::Id(_) => false,
            }
        })
    }

    /// How deep the objects change `c` creates would sit in this document
    /// (a child of the root is at depth 1; 0 when it creates none).
    /// Reading a document walks its objects recursively, so a receiver
    /// refuses a change that nests deeper than any document of Enlace
    /// does before it applies it. An object the change writes into that
    /// this document cannot place (not visible now) counts as the root:
    /// what is created under it is not visible either.
    pub fn nesting_after(&self, c: &ParsedChange) -> usize {
        use automerge::legacy::{ObjectId, OpType};
        let ex = c.change.decode();
        let actor = c.change.actor_id();
        let start = c.change.start_op().get();
        let mut created: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        let mut deepest = 0;
        for (i, op) in ex.operations.iter().enumerate() {
            if !matches!(op.action, OpType::Make(_)) {
                continue;
            }
            let parent = match &op.obj {
                ObjectId::Root => 0,
                ObjectId::Id(id) if id.1 == *actor && created.contains_key(&id.0) => {
                    created.get(&id.0).copied().unwrap_or(0)
                }
                ObjectId::Id(id) => self
                    .doc
                    .import_obj(&format!("{}@{}", id.0, id.1.to_hex_string()))
                    .ok()
                    .and_then(|obj| self.doc.parents(&obj).ok())
                    .map_or(0, |p| p.count()),
            };
            let depth = parent + 1;
            created.insert(start + i as u64, depth);
            deepest = deepest.max(depth);
        }
        deepest
    }

    /// The string at `path` (map keys from the root), if there is one —
    /// read without hydrating the document.
    pub fn str_at(&self, path: &[&str]) -> Option<String> {
        let (last, parents) = path.split_last()?;
        let obj = self.object_at(parents, None).ok()??;
        match self.doc.get(&obj, *last) {
            Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(t) => Some(t.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    /// A top-level boolean field (false when absent or not a boolean).
    pub fn flag(&self, key: &str) -> bool {
        matches!(
            self.doc.get(ROOT, key),
            Ok(Some((automerge::Value::Scalar(s), _))) if matches!(s.as_ref(), ScalarValue::Boolean(true))
        )
    }

    /// Every change of the document as raw bytes, with its hash, in an
    /// order where dependencies come first.
    pub fn raw_changes(&mut self) -> Vec<([u8; 32], Vec<u8>)> {
        self.doc
            .get_changes(&[])
            .into_iter()
            .map(|c| (c.hash().0, c.raw_bytes().to_vec()))
            .collect()
    }

    /// Every change, oldest first, with what its message says.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        self.doc
            .get_changes(&[])
            .into_iter()
            .map(|c| {
                let msg: ChangeMessage = c
                    .message()
                    .and_then(|m| serde_json::from_str(m).ok())
                    .unwrap_or_else(|| ChangeMessage {
                        by: String::new(),
                        fields: vec![],
                        action: c.message().unwrap_or_default().to_owned(),
                    });
                HistoryEntry {
                    hash: c.hash().to_string(),
                    actor: author_hex(c.actor_id()),
                    seq: c.seq(),
                    time: DateTime::from_timestamp(c.timestamp(), 0).unwrap_or_default(),
                    by: msg.by,
                    action: msg.action,
                    fields: msg.fields,
                    deps: c.deps().iter().map(|d| d.to_string()).collect(),
                }
            })
            .collect()
    }

    /// Every value automerge holds for a top-level field: more than one when
    /// concurrent edits conflicted (the first is the one shown by default).
    pub fn conflicts(&self, field: &str) -> Result<Vec<Value>> {
        let all = self.doc.get_all(ROOT, field)?;
        let mut out = Vec::with_capacity(all.len());
        for (v, id) in all {
            out.push(value_to_json(&self.doc, v, &id)?);
        }
        Ok(out)
    }

    /// The underlying automerge document (for merges and tests).
    /// Every concurrent value at `path` (map keys from the root), winner
    /// first. One value means no conflict; none means absent.
    pub fn conflicts_at(&self, path: &[&str]) -> Result<Vec<Value>> {
        let Some((last, parents)) = path.split_last() else {
            return Ok(vec![]);
        };
        let Some(obj) = self.object_at(parents, None)? else {
            return Ok(vec![]);
        };
        let all = self.doc.get_all(&obj, *last)?;
        let mut out = Vec::with_capacity(all.len());
        for (v, id) in all {
            out.push(value_to_json(&self.doc, v, &id)?);
        }
        // automerge lists the winner last.
        out.reverse();
        Ok(out)
    }

    /// The value at `path` as the document was at `heads` (`None` when it
    /// did not exist then). With no heads: before any change.
    pub fn value_at(&self, path: &[&str], heads: &[String]) -> Result<Option<Value>> {
        let heads = parse_heads(heads)?;
        let Some((last, parents)) = path.split_last() else {
            return Ok(Some(hydrate_at(&self.doc, &ROOT, ObjType::Map, &heads)?));
        };
        let Some(obj) = self.object_at(parents, Some(&heads))? else {
            return Ok(None);
        };
        match self.doc.get_at(&obj, *last, &heads)? {
            Some((automerge::Value::Object(t), id)) => {
                Ok(Some(hydrate_at(&self.doc, &id, t, &heads)?))
            }
            Some((automerge::Value::Scalar(s), _)) => Ok(Some(scalar_to_json(&s))),
            None => Ok(None),
        }
    }

    /// Puts a scalar at `path` even when it equals the current winner: the
    /// new value supersedes every concurrent one (how a user's choice
    /// between conflicting values is recorded). The parent map must exist.
    pub fn put_scalar_at(&mut self, path: &[&str], value: &Value) -> Result<()> {
        let Some((last, parents)) = path.split_last() else {
            return Err(DocError::NotAnObject);
        };
        if value.is_array() || value.is_object() {
            return Err(DocError::NotAnObject);
        }
        let obj = self
            .object_at(parents, None)?
            .ok_or(DocError::NotAnObject)?;
        if value.is_null() {
            self.doc.delete(&obj, *last)?;
        } else {
            self.doc.put(&obj, *last, to_scalar(value))?;
        }
        Ok(())
    }

    /// The map object at `path` (now, or at `heads`).
    fn object_at(&self, path: &[&str], heads: Option<&[ChangeHash]>) -> Result<Option<ObjId>> {
        let mut obj = ROOT;
        for key in path {
            let got = match heads {
                Some(h) => self.doc.get_at(&obj, *key, h)?,
                None => self.doc.get(&obj, *key)?,
            };
            match got {
                Some((automerge::Value::Object(ObjType::Map), id)) => obj = id,
                _ => return Ok(None),
            }
        }
        Ok(Some(obj))
    }

    pub fn inner(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }
}

/// Where a value sits: a key in a map or an index in a list.
#[derive(Clone)]
enum Slot<'a> {
    Key(&'a str),
    Index(usize),
}

impl Slot<'_> {
    fn prop(&self) -> Prop {
        match self {
            Slot::Key(k) => Prop::Map((*k).to_owned()),
            Slot::Index(i) => Prop::Seq(*i),
        }
    }
}

fn to_scalar(v: &Value) -> ScalarValue {
    match v {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                ScalarValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                ScalarValue::Uint(u)
            } else {
                ScalarValue::F64(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        Value::Array(_) | Value::Object(_) => ScalarValue::Null,
    }
}

fn scalar_to_json(s: &ScalarValue) -> Value {
    match s {
        ScalarValue::Null => Value::Null,
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::Uint(u) => Value::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        ScalarValue::Counter(c) => Value::Number(i64::from(c).into()),
        ScalarValue::Timestamp(t) => Value::Number((*t).into()),
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Bytes(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
        ScalarValue::Unknown { .. } => Value::Null,
    }
}

fn value_to_json(doc: &AutoCommit, v: automerge::Value<'_>, id: &ObjId) -> Result<Value> {
    Ok(match v {
        automerge::Value::Object(t) => hydrate(doc, id, t)?,
        automerge::Value::Scalar(s) => scalar_to_json(&s),
    })
}

fn hydrate(doc: &AutoCommit, obj: &ObjId, t: ObjType) -> Result<Value> {
    Ok(match t {
        ObjType::Map | ObjType::Table => {
            let mut m = Map::new();
            for k in doc.keys(obj) {
                if let Some((v, id)) = doc.get(obj, k.as_str())? {
                    m.insert(k, value_to_json(doc, v, &id)?);
                }
            }
            Value::Object(m)
        }
        ObjType::List => {
            let mut out = Vec::new();
            for i in 0..doc.length(obj) {
                if let Some((v, id)) = doc.get(obj, i)? {
                    out.push(value_to_json(doc, v, &id)?);
                }
            }
            Value::Array(out)
        }
        ObjType::Text => Value::String(doc.text(obj)?),
    })
}

fn parse_heads(heads: &[String]) -> Result<Vec<ChangeHash>> {
    heads
        .iter()
        .map(|h| {
            h.parse::<ChangeHash>()
                .map_err(|e| DocError::BadChange(format!("change hash {h}: {e}")))
        })
        .collect()
}

/// [`hydrate`] as of `heads`.
fn hydrate_at(doc: &AutoCommit, obj: &ObjId, _t: ObjType, heads: &[ChangeHash]) -> Result<Value> {
    // One clock for the whole object (automerge's hydrate), not one per key:
    // a historical read per field would walk the change graph every time.
    Ok(hydrated_to_json(&doc.hydrate(obj, Some(heads))?))
}

fn hydrated_to_json(v: &automerge::hydrate::Value) -> Value {
    use automerge::hydrate::Value as H;
    match v {
        H::Scalar(s) => scalar_to_json(s),
        H::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), hydrated_to_json(&v.value)))
                .collect(),
        ),
        H::List(l) => Value::Array(l.iter().map(|v| hydrated_to_json(&v.value)).collect()),
        H::Text(t) => Value::String(t.to_string()),
    }
}

fn reconcile_map(
    doc: &mut AutoCommit,
    obj: &ObjId,
    new: &Map<String, Value>,
    changed: &mut Option<&mut BTreeSet<String>>,
) -> Result<()> {
    let existing: Vec<String> = doc.keys(obj).collect();
    for k in existing {
        if new.get(&k).is_none_or(Value::is_null) {
            doc.delete(obj, k.as_str())?;
            if let Some(c) = changed.as_deref_mut() {
                c.insert(k);
            }
        }
    }
    for (k, v) in new {
        if v.is_null() {
            continue;
        }
        if reconcile_slot(doc, obj, Slot::Key(k), v, false)?
            && let Some(c) = changed.as_deref_mut()
        {
            c.insert(k.clone());
        }
    }
    Ok(())
}

/// Makes the value at `slot` equal `new`; true when anything was written.
fn reconcile_slot(
    doc: &mut AutoCommit,
    obj: &ObjId,
    slot: Slot<'_>,
    new: &Value,
    insert: bool,
) -> Result<bool> {
    let current = if insert {
        None
    } else {
        doc.get(obj, slot.prop())?
    };
    match (new, current) {
        (Value::Object(m), Some((automerge::Value::Object(ObjType::Map), id))) => {
            let mut set = BTreeSet::new();
            reconcile_map(doc, &id, m, &mut Some(&mut set))?;
            Ok(!set.is_empty())
        }
        (Value::Array(a), Some((automerge::Value::Object(ObjType::List), id))) => {
            reconcile_list(doc, &id, a)
        }
        (Value::Object(m), _) => {
            let id = put_object(doc, obj, &slot, ObjType::Map, insert)?;
            reconcile_map(doc, &id, m, &mut None)?;
            Ok(true)
        }
        (Value::Array(a), _) => {
            let id = put_object(doc, obj, &slot, ObjType::List, insert)?;
            reconcile_list(doc, &id, a)?;
            Ok(true)
        }
        (scalar, Some((automerge::Value::Scalar(s), _))) if scalar_to_json(&s) == *scalar => {
            Ok(false)
        }
        (scalar, _) => {
            let v = to_scalar(scalar);
            match (&slot, insert) {
                (Slot::Index(i), true) => doc.insert(obj, *i, v)?,
                _ => doc.put(obj, slot.prop(), v)?,
            }
            Ok(true)
        }
    }
}

fn put_object(
    doc: &mut AutoCommit,
    obj: &ObjId,
    slot: &Slot<'_>,
    t: ObjType,
    insert: bool,
) -> Result<ObjId> {
    Ok(match (slot, insert) {
        (Slot::Index(i), true) => doc.insert_object(obj, *i, t)?,
        _ => doc.put_object(obj, slot.prop(), t)?,
    })
}

fn reconcile_list(doc: &mut AutoCommit, obj: &ObjId, new: &[Value]) -> Result<bool> {
    let mut changed = false;
    let len = doc.length(obj);
    // Remove surplus items from the end.
    for i in (new.len()..len).rev() {
        doc.delete(obj, i)?;
        changed = true;
    }
    for (i, v) in new.iter().enumerate() {
        let insert = i >= len;
        changed |= reconcile_slot(doc, obj, Slot::Index(i), v, insert)?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests;
