//! Reading cases: one case with what this node may show of it, the case
//! list, and a case's history.

use chrono::Utc;
use enlace_docs::{Document, HistoryEntry};
use enlace_domain::validate::validate_case;
use enlace_domain::{Case, CountryCode, Permission, SortField, text};
use enlace_store::CaseQuery;

use super::{CASE_CHOOSABLE, resolve};
use crate::{
    App, CaseFilter, CaseList, CaseSummary, CaseView, ItemChange, PersonIdentityView, Result,
    history, index, now_string,
};

impl App {
    /// A case's reference (to name a file after it): reads no identity,
    /// so records no view of one.
    pub fn case_reference(&self, key: &str) -> Result<String> {
        let r = self.store.read();
        let id = resolve(&r, key)?;
        crate::edit::load::<Case>(&r, &self.node.actor, &id)?
            .map(|(c, _, _)| c.reference)
            .ok_or_else(|| crate::CoreError::NotFound {
                what: key.to_owned(),
            })
    }

    /// A case with its validation findings and, for persons whose
    /// identifying document is on this node, their identity. Showing an
    /// identity is recorded in the audit log.
    pub fn case(&mut self, key: &str) -> Result<CaseView> {
        let node = &self.node;
        let by = self.by();
        let may_see = self.session.role.allows(Permission::SeeIdentities);
        self.store.write(|tx| {
            let id = resolve(&tx.read(), key)?;
            let row = tx
                .read()
                .doc(&id)?
                .ok_or_else(|| crate::CoreError::NotFound {
                    what: key.to_owned(),
                })?;
            let doc = Document::load(&row.bytes, node.actor.clone())?;
            let case: Case = doc.read("case")?;
            let issues = validate_case(&case, Utc::now().date_naive());
            let mut identities = vec![];
            let mut identities_withheld = vec![];
            for p in &case.persons {
                if !may_see {
                    if p.person_ref
                        .is_some_and(|pid| tx.read().doc(&pid.to_string()).ok().flatten().is_some())
                    {
                        identities_withheld.push(p.pseudonym.clone());
                    }
                    continue;
                }
                if let Some(pid) = p.person_ref
                    && let Some(person) = index::person(&tx.read(), &pid.to_string(), &node.actor)?
                {
                    tx.audit(
                        &now_string(),
                        &by,
                        "person.view",
                        &pid.to_string(),
                        &format!("case {}", case.reference),
                    )?;
                    identities.push(PersonIdentityView {
                        pseudonym: p.pseudonym.clone(),
                        person_id: pid.to_string(),
                        full_name: person.identity.full_name(),
                        identity: person.identity,
                    });
                }
            }
            let conflicts = crate::views::field_conflicts(&doc, CASE_CHOOSABLE)?;
            let others: Vec<String> = tx
                .read()
                .cases_by_reference(&case.reference)?
                .current
                .into_iter()
                .filter(|other| *other != id)
                .collect();
            let shares_reference = super::references::summaries(&tx.read(), &others)?;
            let linked = linked_cases(&tx.read(), &node.actor, &id, &case)?;
            // A reference another node gave it apart is shown with the
            // former ones (it finds the case as they do).
            let case = crate::index::findable(&case, &doc).into_owned();
            Ok(CaseView {
                editable: case.owner.country == node.country,
                shares_reference,
                linked,
                case,
                issues,
                identities,
                identities_withheld,
                updated_at: row.updated_at,
                heads: serde_json::from_str(&row.heads).unwrap_or_default(),
                conflicts,
            })
        })
    }

    /// One page of the case list.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        // Filtering by reviews due says who is at risk: refused, not ignored.
        if filter.review_due == Some(true) {
            self.require(Permission::SeeRiskAssessments)?;
        }
        let terms = text::search_terms(filter.query.as_deref().unwrap_or(""));
        // Searching lists the newest cases first unless another order was
        // asked for: the full-text index yields them in that order, so a
        // page costs the same however many cases match.
        let sort = filter
            .sort
            .unwrap_or(SortField::default_for(!terms.is_empty()));
        let country = |c: &Option<String>| {
            c.as_deref()
                .and_then(CountryCode::parse)
                .map(|c| c.to_string())
        };
        let q = CaseQuery {
            terms,
            names: self.session.role.allows(Permission::SeeIdentities),
            status: filter.status.map(|s| s.to_string()),
            classification: filter.classification.map(|c| c.to_string()),
            country: country(&filter.country),
            role: filter.role.map(|r| r.to_string()),
            purpose: filter.purpose.map(|p| p.to_string()),
            means: filter.means.map(|m| m.to_string()),
            opened_from: filter.opened_from.map(|d| d.to_string()),
            opened_to: filter.opened_to.map(|d| d.to_string()),
            owner: country(&filter.owner),
            review_due_by: (filter.review_due == Some(true))
                .then(|| crate::clock::now().date_naive().to_string()),
            ids: vec![],
            sort,
            descending: filter.descending.unwrap_or(sort.descending_by_default()),
            limit: filter.limit.unwrap_or(100).clamp(1, 1000),
            offset: filter.offset.unwrap_or(0),
        };
        let (total, rows) = self.store.read().list_cases(&q)?;
        // A search that found cases by a person's name is audited (who
        // looked for whom): the same words counted without the names tell.
        if q.names && !q.terms.is_empty() && total > 0 {
            let (plain, _) = self.store.read().list_cases(&CaseQuery {
                names: false,
                limit: 1,
                offset: 0,
                ..q.clone()
            })?;
            if total > plain {
                let by = self.by();
                let words = q.terms.join(" ");
                let detail = format!("{} cases by name", total - plain);
                self.store.write_shared(|tx| {
                    tx.audit(&now_string(), &by, "case.search.name", &words, &detail)
                })?;
            }
        }
        let risks = self.session.role.allows(Permission::SeeRiskAssessments);
        let today = crate::clock::now().date_naive();
        Ok(CaseList {
            total,
            offset: q.offset,
            items: rows
                .into_iter()
                .map(CaseSummary::from)
                .map(|mut c| {
                    if !risks {
                        c.next_review = None;
                    }
                    c.review = c
                        .next_review
                        .map(|d| enlace_domain::ReviewState::of(d, today));
                    c
                })
                .collect(),
        })
    }

    /// A case's changes with the old and new value of each field.
    pub fn case_changes(&self, key: &str) -> Result<Vec<ItemChange>> {
        let id = resolve(&self.store.read(), key)?;
        let mut doc = self.load_doc(&id, key)?;
        history::changes_with_values(&mut doc, |f| Some(vec![f.to_owned()]))
    }

    /// The change history of a case, oldest first.
    pub fn history(&self, key: &str) -> Result<Vec<HistoryEntry>> {
        let id = resolve(&self.store.read(), key)?;
        Ok(self.load_doc(&id, key)?.history())
    }
}

/// A case's links resolved against what this node holds: the cases it
/// links to (found by reference, current or former), and the cases held
/// here whose links name it.
fn linked_cases(
    r: &enlace_store::Read<'_>,
    actor: &automerge::ActorId,
    id: &str,
    case: &Case,
) -> Result<Vec<crate::views::LinkedCase>> {
    use crate::views::LinkedCase;
    let one = |reference: &str| -> Result<Option<crate::CaseSummary>> {
        let m = r.cases_by_reference(&super::normal_reference(reference))?;
        let ids: Vec<String> = if m.current.is_empty() {
            m.former
        } else {
            m.current
        };
        Ok(match ids.as_slice() {
            [only] if only != id => super::references::summaries(r, std::slice::from_ref(only))?
                .into_iter()
                .next(),
            _ => None,
        })
    };
    let mut out = vec![];
    for l in &case.links {
        out.push(LinkedCase {
            reference: l.reference.clone(),
            relation: l.relation,
            note: l.note.clone(),
            incoming: false,
            case: one(&l.reference)?,
        });
    }
    let mut names = vec![case.reference.clone()];
    names.extend(case.former_references.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        for other in r.cases_linking(name)? {
            if other == id || !seen.insert(other.clone()) {
                continue;
            }
            let Some((o, _, _)) = crate::edit::load::<Case>(r, actor, &other)? else {
                continue;
            };
            for l in o
                .links
                .iter()
                .filter(|l| names.contains(&super::normal_reference(&l.reference)))
            {
                out.push(LinkedCase {
                    reference: o.reference.clone(),
                    relation: l.relation,
                    note: l.note.clone(),
                    incoming: true,
                    case: super::references::summaries(r, std::slice::from_ref(&other))?
                        .into_iter()
                        .next(),
                });
            }
        }
    }
    Ok(out)
}
