//! What the case editor needs beyond a merge patch: drafts of forms that
//! cannot be saved yet, and the identifying `person` document behind a
//! pseudonymous person in a case.

use std::collections::HashSet;

use chrono::Utc;
use enlace_docs::Document;
use enlace_domain::input::InputError;
use enlace_domain::validate::{has_errors, validate_identity};
use enlace_domain::*;
use serde_json::Value;

use crate::views::{CaseSaved, Draft};
use crate::{App, CoreError, Result, commit_and_persist, index, now_string};

/// The largest draft kept (a form with a 1 MB paste fits many times over).
pub const MAX_DRAFT_BYTES: usize = 8 * 1024 * 1024;

/// A draft's key: `case:new` or `case:<uuid>` (letters, digits, `-`, `:`, `_`).
fn draft_key(key: &str) -> Result<&str> {
    let ok = !key.is_empty()
        && key.len() <= 100
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '_'));
    if ok {
        Ok(key)
    } else {
        Err(CoreError::Input(InputError {
            path: "key".into(),
            detail: "a draft key is like case:new or case:<id>".into(),
        }))
    }
}

impl App {
    /// Keeps a form's state that could not be saved yet, in the encrypted
    /// store (replacing the previous draft of the same form).
    pub fn save_draft(&mut self, key: &str, body: &Value) -> Result<()> {
        let key = draft_key(key)?;
        let text = serde_json::to_string(body).map_err(|e| CoreError::Internal(e.to_string()))?;
        if text.len() > MAX_DRAFT_BYTES {
            return Err(CoreError::Input(InputError {
                path: String::new(),
                detail: format!(
                    "the form holds {} MB; at most {} MB can be kept",
                    text.len() / 1_000_000,
                    MAX_DRAFT_BYTES / 1_000_000
                ),
            }));
        }
        let at = now_string();
        self.store.write(|tx| Ok(tx.put_draft(key, &text, &at)?))
    }

    /// The draft of a form, if one is kept.
    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let key = draft_key(key)?;
        let Some((body, updated_at)) = self.store.read().draft(key)? else {
            return Ok(None);
        };
        let body = serde_json::from_str(&body)
            .map_err(|e| CoreError::Internal(format!("stored draft {key}: {e}")))?;
        Ok(Some(Draft {
            key: key.to_owned(),
            body,
            updated_at,
        }))
    }

    /// Forgets a form's draft (once saved, or when the user discards it).
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        let key = draft_key(key)?;
        self.store.write(|tx| Ok(tx.delete_draft(key)?))
    }

    /// Records or corrects the identity of the person `pseudonym` in a case:
    /// the national `person` document is created (and linked from the case)
    /// or updated. Only nodes of the case's country may do it; every edit
    /// goes into the audit log.
    pub fn save_identity(
        &mut self,
        case_key: &str,
        pseudonym: &str,
        identity: Identity,
    ) -> Result<CaseSaved> {
        let now = Utc::now();
        let issues = validate_identity(&identity, now.date_naive());
        if has_errors(&issues) {
            return Err(CoreError::Invalid(issues));
        }
        let at = now_string();
        let by = self.by();
        let node = &self.node;
        self.store.write(|tx| {
            let id = Self::resolve(&tx.read(), case_key)?;
            let row = tx.read().doc(&id)?.ok_or_else(|| CoreError::NotFound {
                what: case_key.to_owned(),
            })?;
            let mut doc = Document::load(&row.bytes, node.actor.clone())?;
            let mut case: Case = doc.read("case")?;
            if case.owner.country != node.country {
                return Err(CoreError::NotOwner {
                    country: case.owner.country.to_string(),
                });
            }
            let index_of = case
                .persons
                .iter()
                .position(|p| p.pseudonym == pseudonym)
                .ok_or_else(|| CoreError::NotFound {
                    what: format!("{} {pseudonym}", case.reference),
                })?;
            let existing = match case.persons[index_of].person_ref {
                Some(pid) => tx.read().doc(&pid.to_string())?.map(|r| (pid, r)),
                None => None,
            };
            let (pid, mut pdoc, action) = match existing {
                Some((pid, prow)) => (
                    pid,
                    Document::load(&prow.bytes, node.actor.clone())?,
                    "update",
                ),
                None => (PersonId::new(), Document::new(node.actor.clone()), "create"),
            };
            let person = Person {
                id: pid,
                identity,
                owner: case.owner.clone(),
                demo: case.demo,
            };
            let fields = pdoc.write(&person)?;
            commit_and_persist(
                node,
                tx,
                &mut pdoc,
                (
                    &pid.to_string(),
                    "person",
                    &person.owner,
                    &Audience::national(),
                ),
                (&by, fields, action),
                now,
                &at,
            )?;
            tx.audit(
                &at,
                &by,
                &format!("person.{action}"),
                &pid.to_string(),
                &format!("case {} {pseudonym}", case.reference),
            )?;
            let mut changed = vec![];
            if case.persons[index_of].person_ref != Some(pid) {
                case.persons[index_of].person_ref = Some(pid);
                let fields = doc.write(&case)?;
                commit_and_persist(
                    node,
                    tx,
                    &mut doc,
                    (&id, "case", &case.owner, &case.audience),
                    (&by, fields.clone(), "update"),
                    now,
                    &at,
                )?;
                changed = fields;
            }
            let case_issues = enlace_domain::validate::validate_case(&case, now.date_naive());
            let names = index::person_names(&tx.read(), &case, &node.actor)?;
            tx.index_case(&index::case_row(&case, &names, &case_issues, &at))?;
            Ok(CaseSaved {
                id,
                reference: case.reference,
                changed,
                issues: case_issues,
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
