//! Case references across many nodes: a name that several cases carry is
//! listed, never resolved to one of them; such duplicates (issued by two
//! nodes before node codes, or by a node that misbehaves) are listed for
//! the owner country to renumber one, whose old reference keeps finding it.

use chrono::Datelike;
use enlace_domain::{Case, CaseRef, DocKind};
use enlace_store::{CaseQuery, Read};
use serde::Serialize;
use ts_rs::TS;

use crate::cases::create::new_reference;
use crate::edit::{self, Author, Change, Rule, Validation};
use crate::{App, Candidate, CaseSaved, CaseSummary, CoreError, Result};

/// A reference that more than one case carries.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DuplicateReference {
    pub reference: String,
    pub cases: Vec<CaseSummary>,
}

impl App {
    /// References that several cases on this node carry, each with its
    /// cases. Sync never renumbers anything by itself: a person of the
    /// owner country chooses which case to renumber.
    pub fn duplicate_references(&self) -> Result<Vec<DuplicateReference>> {
        let read = self.store.read();
        read.duplicate_references()?
            .into_iter()
            .map(|(reference, ids)| {
                Ok(DuplicateReference {
                    cases: summaries(&read, &ids)?,
                    reference,
                })
            })
            .collect()
    }

    /// Gives case `key` (an id, or a reference that names it alone) the
    /// next reference of this node's series. The old reference goes into
    /// `former_references` and still finds the case; the change is in the
    /// case's history like any other. Only the owner country's nodes may.
    pub fn renumber_case(&mut self, key: &str) -> Result<CaseSaved> {
        let author = Author::new(&self.node, self.by(), self.session.role);
        self.store.write(|tx| {
            let id = resolve(&tx.read(), key)?;
            let (case, _, _) =
                edit::load::<Case>(&tx.read(), &self.node.actor, &id)?.ok_or_else(|| {
                    CoreError::NotFound {
                        what: key.to_owned(),
                    }
                })?;
            if case.owner.country != self.node.country {
                return Err(CoreError::NotOwner {
                    country: case.owner.country.to_string(),
                });
            }
            let fresh = new_reference(tx, &self.node, &case.owner.country, case.opened.year())?;
            let change = Change {
                id: &id,
                shown_as: key,
                action: "renumber",
                rule: Rule::Owner,
                // Renumbering touches nothing validation checks: a case
                // received with findings can still be renumbered.
                base: None,
                validation: Validation::Report,
                or_new: None,
            };
            let saved = edit::edit(tx, &author, change, |_, c: &mut Case| {
                let old = std::mem::replace(&mut c.reference, fresh);
                c.former_references.push(old);
                Ok(())
            })?;
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

/// At most this many cases are listed for one reference (a node that
/// issued thousands under one is listed by its first).
const MAX_LISTED: usize = 50;

/// The list rows of cases `ids` (the first [`MAX_LISTED`]), in the order
/// given.
pub(crate) fn summaries(read: &Read<'_>, ids: &[String]) -> Result<Vec<CaseSummary>> {
    let ids = &ids[..ids.len().min(MAX_LISTED)];
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let q = CaseQuery {
        ids: ids.to_vec(),
        limit: u32::try_from(ids.len()).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let (_, rows) = read.list_cases(&q)?;
    let mut out: Vec<CaseSummary> = rows.into_iter().map(CaseSummary::from).collect();
    out.sort_by_key(|s| ids.iter().position(|i| *i == s.id));
    Ok(out)
}

/// The id of the case a user names by id or by reference. A reference
/// that several cases carry is an error listing them; a case's current
/// reference comes before another case's former one.
pub(crate) fn resolve(read: &Read<'_>, key: &str) -> Result<String> {
    let key = key.trim();
    let not_found = || CoreError::NotFound {
        what: key.to_owned(),
    };
    if let Ok(uuid) = uuid::Uuid::parse_str(key) {
        let id = uuid.to_string();
        return match read.doc(&id)? {
            Some(row) if row.kind == DocKind::Case => Ok(id),
            _ => Err(not_found()),
        };
    }
    let Some(r) = CaseRef::parse(key) else {
        return Err(not_found());
    };
    let found = read.cases_by_reference(&r.to_string())?;
    let ids = if found.current.is_empty() {
        // A former reference finds only a case of the reference's country
        // (another country's case cannot have carried it).
        summaries(read, &found.former)?
            .into_iter()
            .filter(|s| s.owner_country == r.country.as_str())
            .map(|s| s.id)
            .collect()
    } else {
        found.current
    };
    match ids.as_slice() {
        [] => Err(not_found()),
        [one] => Ok(one.clone()),
        several => Err(CoreError::Ambiguous {
            what: key.to_owned(),
            candidates: summaries(read, several)?
                .into_iter()
                .map(|s| Candidate {
                    label: format!("{} — {} ({})", s.reference, s.title, s.owner_country),
                    id: s.id,
                })
                .collect(),
        }),
    }
}
