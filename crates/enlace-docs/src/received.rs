//! Changes received from elsewhere: parsed and checked before automerge
//! applies them, and what they would do to a document, read from their own
//! operations.

use automerge::{ActorId, ChangeHash, ObjType, ROOT, ReadDoc};

use crate::*;

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

impl Document {
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
        use automerge::legacy::{Key, ObjectId, OpType};
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
                // Inside what it adds, anything but an `id`: an item is
                // known by its object, and an id written by another
                // country could name one of the owner's items.
                ObjectId::Id(id) if own(id.0, &id.1) => {
                    writes_value
                        && op.pred.iter().all(|p| own(p.0, &p.1))
                        && !matches!(&op.key, Key::Map(k) if k == "id")
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
}
