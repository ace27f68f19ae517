//! The one edit path. Every kind of document is created and changed here,
//! in the caller's transaction: load (or create) → check who may → change
//! → stamp → validate → write → commit → sign → store → index. A kind says
//! what is its own through [`Kind`] (`kinds.rs`); adding a kind is a type
//! and its rules, not another copy of this sequence.

use automerge::ActorId;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use enlace_docs::{ChangeMessage, Document, NewChange};
use enlace_domain::validate::{Issue as ValidationIssue, Severity};
use enlace_domain::{Audience, DocKind, Issue, Owner, Permission, Role};
use enlace_store::{DocRow, Read, WriteTx};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::node::Identity;
use crate::{CoreError, Result};

/// A kind of document: what the edit path needs to know of it.
pub(crate) trait Kind: Serialize + DeserializeOwned + Clone {
    const KIND: DocKind;
    /// What an official's role needs to create or change one.
    const EDIT: Permission;

    fn id(&self) -> String;
    fn owner(&self) -> &Owner;
    fn audience(&self) -> Audience;

    /// The nodes of its country besides its owner's that a national
    /// document reaches when need-to-know applies (a person's `nodes`).
    fn reach(&self) -> Vec<String> {
        vec![]
    }

    /// The countries a national document's standing grants let it reach,
    /// as stored (`CC:YYYY-MM-DD`).
    fn grants(&self) -> Vec<String> {
        vec![]
    }

    /// Puts back what no change may alter (its id, owner, reference).
    fn keep_identity(&mut self, before: &Self);

    /// The value every node starts document `id` from when several nodes
    /// may create it apart (a country's legal assessment): made into the
    /// same first change everywhere ([`Document::genesis`]), so their edits
    /// meet in the same maps. `None`: each creation is its own document.
    fn genesis(_id: &str) -> Option<Self> {
        None
    }

    /// Whether an edit may be made on `base` (what an editor read) and
    /// merged into `current`: not when something since then changed the
    /// document's shape (an assessment whose catalogue was upgraded would
    /// get its new items a second time, apart).
    fn may_fork(_base: &Self, _current: &Self) -> bool {
        true
    }

    /// Records what a change implies beyond its fields (a case's status
    /// history, a legal item's stamp).
    fn stamp(&mut self, _before: &Self, _stamp: &Stamp<'_>) {}

    /// Findings on what the change touches; an error refuses it.
    fn validate(&self, before: &Self, today: NaiveDate) -> Vec<Issue>;

    /// Checks against other documents (a task's dependencies exist).
    fn check_links(&self, _read: &Read<'_>) -> Result<()> {
        Ok(())
    }

    /// The fields a change touched, as its message names them: by default
    /// the top-level fields written.
    fn changed_fields(_before: &Self, _after: &Self, written: Vec<String>) -> Result<Vec<String>> {
        Ok(written)
    }

    /// Updates the derived tables after a change (the case index).
    fn index(&self, _tx: &WriteTx<'_>, _cx: &IndexCx<'_>) -> Result<()> {
        Ok(())
    }
}

/// What a derived table may need besides the document.
pub(crate) struct IndexCx<'a> {
    pub actor: &'a ActorId,
    /// The document as stored.
    pub doc: &'a Document,
    pub issues: &'a [Issue],
    pub at: &'a str,
}

/// What [`Kind::stamp`] is told of the change.
pub(crate) struct Stamp<'a> {
    pub by: &'a str,
    pub now: DateTime<Utc>,
    /// The field named by a choice between concurrent values, if any.
    pub chosen: Option<&'a str>,
}

/// Who acts, and when: what every change records and signs.
pub(crate) struct Author<'a> {
    pub node: &'a Identity,
    /// `node/official`.
    pub by: String,
    /// The official's role: the edit path refuses a kind it may not edit.
    pub role: Role,
    pub now: DateTime<Utc>,
    /// `now` as the store keeps it.
    pub at: String,
}

impl<'a> Author<'a> {
    pub fn new(node: &'a Identity, by: String, role: Role) -> Author<'a> {
        let now = crate::clock::now();
        Author {
            node,
            by,
            role,
            now,
            at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Refuses a change to a kind the official's role may not edit.
    pub fn may_edit<K: Kind>(&self) -> Result<()> {
        if self.role.allows(K::EDIT) {
            Ok(())
        } else {
            Err(CoreError::NotAllowed {
                permission: K::EDIT,
                role: self.role,
            })
        }
    }
}

/// Who may make a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Nodes of the owner country only.
    Owner,
    /// Any node that holds the document (a note on another country's case);
    /// the owner's validation is then the owner's business.
    AnyHolder,
}

/// What validation errors do to a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validation {
    /// Refuse it (a person's edit: what they typed must be right).
    Refuse,
    /// Save it and report them (a change that does not touch what is
    /// wrong, such as linking an identity to a case that has an error
    /// elsewhere).
    Report,
}

/// One change of one stored document.
pub(crate) struct Change<'a, K> {
    pub id: &'a str,
    /// What the user named it by (for "not found").
    pub shown_as: &'a str,
    /// The change message's action (`update`, `note`, `resolve`).
    pub action: &'a str,
    pub rule: Rule,
    pub validation: Validation,
    /// Created from this value when it is not stored yet (the change is
    /// then recorded as `create`).
    pub or_new: Option<K>,
    /// The heads of the document the editor read (an editor open while
    /// sync merged other nodes' changes): the edit is made on the document
    /// as it was then and merged, so what it writes whole (a list) keeps
    /// what others did meanwhile. `None`: on the document as it is.
    pub base: Option<&'a [String]>,
}

/// What a change function may use besides the value.
pub(crate) struct Editing<'a> {
    pub doc: &'a mut Document,
    /// Who acts (`node/user`) and when, as the change records them.
    pub by: &'a str,
    pub now: DateTime<Utc>,
    chosen: Option<String>,
}

impl Editing<'_> {
    /// Writes `value` again at `path`, superseding every concurrent value
    /// on every node, and names `field` in the change even when the value
    /// is the one shown.
    pub fn choose(&mut self, path: &[&str], field: String, value: &Value) -> Result<()> {
        self.doc.put_scalar_at(path, value)?;
        self.chosen = Some(field);
        Ok(())
    }
}

/// `value` with a JSON merge patch (RFC 7396) applied, read back as its
/// type (an error names the field that does not fit).
pub(crate) fn patched<T: Serialize + DeserializeOwned>(
    value: &T,
    patch: &Value,
) -> Result<std::result::Result<T, enlace_domain::input::InputError>> {
    let mut v = serde_json::to_value(value).map_err(|e| CoreError::Internal(e.to_string()))?;
    enlace_domain::input::merge_patch(&mut v, patch);
    Ok(enlace_domain::input::from_value(v))
}

/// `value` with its top-level `field` set to `chosen`: what a choice
/// between concurrent values writes.
pub(crate) fn with_field<T: Serialize + DeserializeOwned>(
    value: &T,
    field: &str,
    chosen: &Value,
) -> Result<T> {
    let mut v = serde_json::to_value(value).map_err(|e| CoreError::Internal(e.to_string()))?;
    if let Value::Object(m) = &mut v {
        m.insert(field.to_owned(), chosen.clone());
    }
    Ok(enlace_domain::input::from_value(v)?)
}

/// Refuses a choice for a field outside `choosable`, naming those that are.
pub(crate) fn choosable(field: &str, choosable: &[&str]) -> Result<()> {
    if choosable.contains(&field) {
        return Ok(());
    }
    Err(CoreError::Input(enlace_domain::input::InputError {
        path: field.to_owned(),
        detail: format!("choose one of: {}", choosable.join(", ")),
    }))
}

/// A saved change.
#[derive(Debug)]
pub(crate) struct Edited<K> {
    pub id: String,
    pub value: K,
    /// The heads an editor sends as `base` with its next change: the
    /// change just made, or (nothing changed) the base it sent or the
    /// document's heads.
    pub heads: Vec<String>,
    /// The fields the change named; empty when nothing changed (and
    /// nothing was stored).
    pub changed: Vec<String>,
    pub issues: Vec<Issue>,
}

/// Changes the stored document `change.id` through `f`, in `tx`.
pub(crate) fn edit<K: Kind>(
    tx: &WriteTx<'_>,
    author: &Author<'_>,
    change: Change<'_, K>,
    f: impl FnOnce(&mut Editing<'_>, &mut K) -> Result<()>,
) -> Result<Edited<K>> {
    author.may_edit::<K>()?;
    let node = author.node;
    let stored = tx.read().doc(change.id)?;
    if stored.as_ref().is_some_and(|r| r.kind != K::KIND) {
        // Another kind of document under that id (a received case may point
        // anywhere): it is not the one asked for, and is left alone.
        return Err(CoreError::NotFound {
            what: change.shown_as.to_owned(),
        });
    }
    let (mut doc, current, created) = match (stored, change.or_new) {
        (Some(row), _) => {
            let (before, doc) = from_row::<K>(&row, &node.actor)?;
            (doc, before, false)
        }
        (None, Some(new)) => {
            let (doc, root) = fresh::<K>(change.id, &node.actor)?;
            (doc, root.unwrap_or(new), true)
        }
        (None, None) => {
            return Err(CoreError::NotFound {
                what: change.shown_as.to_owned(),
            });
        }
    };
    let own = current.owner().country == node.country;
    if !own && (change.rule == Rule::Owner || created) {
        return Err(CoreError::NotOwner {
            country: current.owner().country.to_string(),
        });
    }
    // An editor that read the document before sync moved it edits the
    // document as it read it; the change is merged after.
    let heads_now = doc.heads();
    let forked = match change.base {
        Some(base) if !created => {
            match doc.fork_at(base, &|a| node.wrote_this_session(a), || node.fresh_actor()) {
                Ok(f) => f,
                Err(enlace_docs::DocError::BadHeads(h)) => {
                    return Err(CoreError::Input(enlace_domain::input::InputError {
                        path: "base".into(),
                        detail: format!(
                            "`{h}` is not a change hash; send the heads the document was read with"
                        ),
                    }));
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    let forked = match forked {
        Some(f) => {
            let read = f.read::<K>(K::KIND.name())?;
            K::may_fork(&read, &current).then_some((f, read))
        }
        None => None,
    };
    // The heads an unchanged edit leaves the editor with: its own line's
    // when it wrote on a fork, the document's otherwise.
    let kept_heads = match (&forked, change.base) {
        (Some(_), Some(base)) => {
            let mut b: Vec<String> = base.iter().map(|h| h.to_ascii_lowercase()).collect();
            b.sort();
            b.dedup();
            b
        }
        _ => heads_now,
    };
    let (mut fork, before) = match forked {
        Some((f, read)) => (Some(f), read),
        None => (None, current),
    };
    let target = fork.as_mut().unwrap_or(&mut doc);
    let mut value = before.clone();
    let mut editing = Editing {
        doc: target,
        by: &author.by,
        now: author.now,
        chosen: None,
    };
    f(&mut editing, &mut value)?;
    let chosen = editing.chosen;
    value.keep_identity(&before);
    value.stamp(
        &before,
        &Stamp {
            by: &author.by,
            now: author.now,
            chosen: chosen.as_deref(),
        },
    );
    let issues = value.validate(&before, author.today());
    // An edit is refused for the errors it brings, not for those the
    // document held already: a case opened "in the future" by a laptop
    // whose clock ran days ahead stays editable by every other node.
    let held: Vec<(String, String)> = if created {
        vec![]
    } else {
        errors_of(&before.validate(&before, author.today()))
    };
    let brought = errors_of(&issues).iter().any(|e| !held.contains(e));
    // Another country's document is that country's to validate; what
    // another country may add does not depend on it.
    if own && change.validation == Validation::Refuse && brought {
        return Err(CoreError::Invalid(issues));
    }
    value.check_links(&tx.read())?;
    let target = fork.as_mut().unwrap_or(&mut doc);
    let written = target.write(&value)?;
    let mut fields = K::changed_fields(&before, &value, written)?;
    if let Some(c) = chosen
        && !fields.contains(&c)
    {
        fields.push(c);
    }
    let id = value.id();
    let unchanged = |value| Edited {
        id: id.clone(),
        value,
        heads: kept_heads.clone(),
        changed: vec![],
        issues: issues.clone(),
    };
    if fields.is_empty() && !created {
        return Ok(unchanged(value));
    }
    let action = if created { "create" } else { change.action };
    // Automerge makes no operation for a value written again when it has
    // no rival (choosing the only value): then nothing changed.
    let target = fork.as_mut().unwrap_or(&mut doc);
    let Some(new) = commit(target, author, fields.clone(), action)? else {
        return Ok(unchanged(value));
    };
    let heads = vec![new.hash.to_string()];
    let mut issues = issues;
    if let Some(f) = fork.as_mut() {
        doc.merge(f)?;
        // What is stored, indexed and reported: the edit with what others
        // did (the edit itself was checked above, as the person made it).
        value = doc.read::<K>(K::KIND.name())?;
        issues = value.validate(&before, author.today());
    }
    store(tx, author, &value, &mut doc, Some(new))?;
    value.index(
        tx,
        &IndexCx {
            actor: &node.actor,
            doc: &doc,
            issues: &issues,
            at: &author.at,
        },
    )?;
    Ok(Edited {
        id,
        value,
        heads,
        changed: fields,
        issues,
    })
}

/// A new document, already validated by the caller (an import checks a
/// whole batch before storing any).
pub(crate) struct New<'a> {
    pub action: &'a str,
    /// The fields its first change names (`None`: the fields written).
    pub fields: Option<Vec<String>>,
    pub issues: &'a [Issue],
}

/// Stores `value` as a new document of its kind, in `tx`; returns its
/// heads.
pub(crate) fn create<K: Kind>(
    tx: &WriteTx<'_>,
    author: &Author<'_>,
    value: &K,
    new: New<'_>,
) -> Result<Vec<String>> {
    author.may_edit::<K>()?;
    let (mut doc, _) = fresh::<K>(&value.id(), &author.node.actor)?;
    let written = doc.write(value)?;
    let change = commit(&mut doc, author, new.fields.unwrap_or(written), new.action)?;
    store(tx, author, value, &mut doc, change)?;
    value.index(
        tx,
        &IndexCx {
            actor: &author.node.actor,
            doc: &doc,
            issues: new.issues,
            at: &author.at,
        },
    )?;
    Ok(doc.heads())
}

/// A new document `id` of kind `K`: from its kind's common root when it
/// has one (and that root's value), else empty.
pub(crate) fn fresh<K: Kind>(id: &str, actor: &ActorId) -> Result<(Document, Option<K>)> {
    Ok(match K::genesis(id) {
        Some(root) => (Document::genesis(&root, actor.clone())?, Some(root)),
        None => (Document::new(actor.clone()), None),
    })
}

/// Commits what was written to `doc` as one change: who, which fields,
/// what kind of change.
fn commit(
    doc: &mut Document,
    author: &Author<'_>,
    fields: Vec<String>,
    action: &str,
) -> Result<Option<NewChange>> {
    Ok(doc.commit(
        &ChangeMessage {
            by: author.by.clone(),
            fields,
            action: action.to_owned(),
        },
        author.now,
    )?)
}

/// Stores the document and its new change, signed by this node.
fn store<K: Kind>(
    tx: &WriteTx<'_>,
    author: &Author<'_>,
    value: &K,
    doc: &mut Document,
    change: Option<NewChange>,
) -> Result<()> {
    let row = DocRow {
        id: value.id(),
        kind: K::KIND,
        owner_country: value.owner().country.to_string(),
        owner_node: value.owner().node.clone(),
        audience: serde_json::to_string(&value.audience())
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        bytes: doc.save(),
        heads: serde_json::to_string(&doc.heads())
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        updated_at: author.at.clone(),
        // Demonstration documents stay on this node.
        local_only: doc.flag("demo"),
        reach: value.reach(),
        grants: value.grants(),
    };
    tx.put_doc(&row)?;
    if let Some(c) = change {
        let node = author.node;
        tx.log_change(
            &row.id,
            &c.hash.to_string(),
            &c.bytes,
            Some(&node.sign(&c.hash.0)),
            &node.public_key(),
            &author.at,
        )?;
    }
    Ok(())
}

/// The stored document `id` of kind `K`, with its value.
pub(crate) fn load<K: Kind>(
    read: &Read<'_>,
    actor: &ActorId,
    id: &str,
) -> Result<Option<(K, Document, DocRow)>> {
    let Some(row) = read.doc(id)?.filter(|r| r.kind == K::KIND) else {
        return Ok(None);
    };
    let (value, doc) = from_row(&row, actor)?;
    Ok(Some((value, doc, row)))
}

/// The value of a stored row of kind `K`, and its document.
pub(crate) fn from_row<K: Kind>(row: &DocRow, actor: &ActorId) -> Result<(K, Document)> {
    let doc = Document::load(&row.bytes, actor.clone())?;
    let value = doc.read(K::KIND.name())?;
    Ok((value, doc))
}

/// The errors among `issues`, by path and code.
fn errors_of(issues: &[ValidationIssue]) -> Vec<(String, String)> {
    issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.path.clone(), i.code.clone()))
        .collect()
}
