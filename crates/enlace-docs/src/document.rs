//! An automerge document holding one Enlace document: written and read as
//! JSON (the mapping in [`crate::mapping`]), committed with a message,
//! its history, concurrent values and a choice between them.

use std::collections::BTreeSet;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::mapping::*;
use crate::*;

/// One automerge document.
#[derive(Clone)]
pub struct Document {
    pub(crate) doc: AutoCommit,
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

    /// A document that every node starts from the same root: `value`
    /// written by [`GENESIS_ACTOR`] at time 0 with a fixed message, so the
    /// first change is byte for byte the same wherever it is made (one
    /// hash), and nodes that create the document apart share its maps
    /// instead of each making its own (of which a merge would show one).
    /// Nobody signs it and nobody sends it: each node makes it. Further
    /// changes are written by `actor`.
    pub fn genesis<T: Serialize>(value: &T, actor: ActorId) -> Result<Document> {
        let mut d = Document {
            doc: AutoCommit::new().with_actor(ActorId::from(GENESIS_ACTOR)),
        };
        d.write(value)?;
        let message = ChangeMessage {
            by: String::new(),
            fields: vec![],
            action: "genesis".into(),
        };
        let opts = CommitOptions::default()
            .with_message(serde_json::to_string(&message)?)
            .with_time(0);
        d.doc.commit_with(opts);
        d.doc.set_actor(actor);
        Ok(d)
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
        hydrated_with_ids(&self.doc, &ROOT, &self.doc.hydrate(&ROOT, None)?)
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

    /// The document as it stood at `heads` (hex, any order, repeats
    /// allowed), to edit from there: a change made on it and
    /// [`merged`](Document::merge) back is concurrent with every change
    /// since, so a list written whole from a read at those heads keeps the
    /// items others added, moved or edited meanwhile. `None` when those
    /// are the current heads (nothing to fork) or a head is not a change
    /// of this document. The fork writes as the author of `heads` when
    /// `heads` is one change of an actor `may_continue` accepts and that
    /// actor's latest here (its line goes on: an editor saving again),
    /// else as the actor `fresh` gives (a line of its own, so no change
    /// number is given twice).
    pub fn fork_at(
        &mut self,
        heads: &[String],
        may_continue: &dyn Fn(&ActorId) -> bool,
        fresh: impl FnOnce() -> ActorId,
    ) -> Result<Option<Document>> {
        let mut hashes = Vec::with_capacity(heads.len());
        for h in heads {
            let hash = h
                .to_ascii_lowercase()
                .parse::<automerge::ChangeHash>()
                .map_err(|_| DocError::BadHeads(h.clone()))?;
            if self.doc.get_change_by_hash(&hash).is_none() {
                return Ok(None);
            }
            hashes.push(hash);
        }
        hashes.sort();
        hashes.dedup();
        let mut now = self.doc.get_heads();
        now.sort();
        if hashes.is_empty() || hashes == now {
            return Ok(None);
        }
        let continued = match hashes.as_slice() {
            [one] => self
                .doc
                .get_change_by_hash(one)
                .map(|c| (c.actor_id().clone(), c.seq()))
                .filter(|(a, seq)| may_continue(a) && self.latest_seq(a) == *seq)
                .map(|(a, _)| a),
            _ => None,
        };
        let actor = continued.unwrap_or_else(fresh);
        Ok(Some(Document {
            doc: self.doc.fork_at(&hashes)?.with_actor(actor),
        }))
    }

    /// The highest change number `actor` has in this document.
    fn latest_seq(&mut self, actor: &ActorId) -> u64 {
        self.doc
            .get_changes(&[])
            .iter()
            .filter(|c| c.actor_id() == actor)
            .map(|c| c.seq())
            .max()
            .unwrap_or(0)
    }

    /// Takes in the changes of `other` (a fork of this document) that this
    /// one lacks.
    pub fn merge(&mut self, other: &mut Document) -> Result<()> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The current heads' hashes.
    pub fn head_hashes(&mut self) -> Vec<[u8; 32]> {
        self.doc.get_heads().iter().map(|h| h.0).collect()
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

    /// Every change, oldest first, with what its message says (not the
    /// common root of a [`Document::genesis`] document: nobody made it).
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        self.doc
            .get_changes(&[])
            .into_iter()
            .filter(|c| c.actor_id().to_bytes() != GENESIS_ACTOR)
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
