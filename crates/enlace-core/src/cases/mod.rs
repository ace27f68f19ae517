//! Case use cases: creating ([`create`]), changing through the one edit
//! path, reading ([`read`]), references named twice and renumbering
//! ([`references`]), and the whole-store jobs ([`bulk`]: reindex, export).

mod bulk;
mod create;
mod print;
mod read;
mod references;
mod requests;

pub use references::DuplicateReference;
pub(crate) use references::resolve;
pub use requests::{RequestFilter, RequestSide, RequestView};

use enlace_domain::input::{InputError, PROTECTED_FIELDS};
use std::collections::HashSet;

use enlace_domain::{Case, Note, PersonId};
use serde_json::Value;

use crate::edit::{self, Author, Change, Editing, Rule, Validation};
use crate::{App, CaseSaved, CoreError, Result};

/// Case fields whose concurrent values the case view shows for a choice:
/// the legal status and classification, and the texts people rely on.
pub const CASE_CHOOSABLE: &[&str] = &["status", "classification", "title", "summary"];

impl App {
    /// Applies a JSON merge patch (RFC 7396) to a case.
    pub fn update_case(&mut self, key: &str, patch: &Value) -> Result<CaseSaved> {
        self.update_case_from(key, patch, None)
    }

    /// [`update_case`](App::update_case) from an editor that read the case
    /// at `base` (its heads then, or the `heads` of its last save): a list
    /// the patch holds whole is merged with what other nodes did to it
    /// since, instead of replacing it.
    pub fn update_case_from(
        &mut self,
        key: &str,
        patch: &Value,
        base: Option<&[String]>,
    ) -> Result<CaseSaved> {
        let Value::Object(fields) = patch else {
            return Err(CoreError::Input(InputError {
                path: String::new(),
                detail: "a merge patch must be a JSON object".into(),
            }));
        };
        for (field, why) in PROTECTED_FIELDS {
            if fields.contains_key(*field) {
                return Err(CoreError::Patch {
                    field: (*field).to_owned(),
                    key: why,
                });
            }
        }
        self.change_case(key, "update", Rule::Owner, base, |_, case| {
            let patched: Case = edit::patched(&*case, patch)??;
            check_person_refs(case, &patched)?;
            *case = patched;
            Ok(())
        })
    }

    /// Appends a note to a case — also to another country's case: a note
    /// is the one thing any node that holds a case may add (its owner's
    /// nodes accept notes and links from other countries, nothing else).
    pub fn add_note(&mut self, key: &str, text: &str) -> Result<CaseSaved> {
        if text.trim().is_empty() {
            return Err(CoreError::Input(InputError {
                path: "text".into(),
                detail: "the note is empty".into(),
            }));
        }
        self.change_case(key, "note", Rule::AnyHolder, None, |e, case| {
            case.notes.push(Note {
                id: String::new(),
                at: e.now,
                author: e.by.to_owned(),
                text: text.to_owned(),
            });
            Ok(())
        })
    }

    /// Records the user's choice between concurrent values of a case field
    /// (one of [`CASE_CHOOSABLE`]): the value is written again, superseding
    /// the others on every node; a status or classification chosen differs
    /// from the one shown goes into its history as any change does.
    pub fn choose_case_value(
        &mut self,
        key: &str,
        field: &str,
        value: &Value,
    ) -> Result<CaseSaved> {
        edit::choosable(field, CASE_CHOOSABLE)?;
        self.change_case(key, "resolve", Rule::Owner, None, |e, case| {
            *case = edit::with_field(&*case, field, value)?;
            e.choose(&[field], field.to_owned(), value)
        })
    }

    /// One change of the case `key` (an id or a reference), through the
    /// edit path, in one transaction.
    fn change_case(
        &mut self,
        key: &str,
        action: &str,
        rule: Rule,
        base: Option<&[String]>,
        f: impl FnOnce(&mut Editing<'_>, &mut Case) -> Result<()>,
    ) -> Result<CaseSaved> {
        let author = Author::new(&self.node, self.by(), self.session.role);
        self.store.write(|tx| {
            let id = resolve(&tx.read(), key)?;
            let change = Change {
                id: &id,
                shown_as: key,
                action,
                rule,
                base,
                validation: Validation::Refuse,
                or_new: None,
            };
            let saved = edit::edit(tx, &author, change, f)?;
            Ok(CaseSaved {
                id: saved.id,
                reference: saved.value.reference,
                changed: saved.changed,
                issues: saved.issues,
                heads: saved.heads,
            })
        })
    }
}

/// A merge patch may reorder, edit or drop persons, but may not point a
/// person at an identifying document the case did not already link.
pub(crate) fn check_person_refs(before: &Case, after: &Case) -> Result<()> {
    let known: HashSet<PersonId> = before.persons.iter().filter_map(|p| p.person_ref).collect();
    if after
        .persons
        .iter()
        .filter_map(|p| p.person_ref)
        .any(|r| !known.contains(&r))
    {
        return Err(CoreError::Patch {
            field: "persons".into(),
            key: "err-patch-person-ref",
        });
    }
    Ok(())
}

/// A reference as this node writes it (`gt-k7m3q-2026-42` →
/// `GT-K7M3Q-2026-0042`), or trimmed when it is not one: links are found
/// by it however they were typed.
pub(crate) fn normal_reference(r: &str) -> String {
    enlace_domain::CaseRef::parse(r.trim()).map_or_else(|| r.trim().to_owned(), |c| c.to_string())
}
