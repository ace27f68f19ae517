//! Grants across borders: an identity (a person document, national) may
//! reach another country's hubs and offices for a stated purpose until a
//! date, given by an official who may grant (docs/sync-protocol.md,
//! "Grants"). Revoked or past its date, no later change travels; what was
//! delivered cannot be recalled.

use chrono::NaiveDate;
use enlace_domain::validate::{has_errors, validate_grant};
use enlace_domain::{Case, CountryCode, DocKind, Grant, GrantPurpose, Permission, Person};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::edit::{self, Author, Change, Rule, Validation};
use crate::{App, CoreError, Result, cases, now_string};

/// What `enlace grant add` and the app's grant form take.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct GrantInput {
    /// A case (reference or id: every identity of it held here), or a
    /// person document's id.
    pub target: String,
    /// With a case, only this person (`V1`).
    #[serde(default)]
    #[ts(optional)]
    pub pseudonym: Option<String>,
    pub country: String,
    pub purpose: GrantPurpose,
    #[ts(type = "string")]
    pub until: NaiveDate,
    pub reason: String,
}

/// A grant as people read it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GrantView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub grant: Grant,
    pub person_id: String,
    /// The country whose identity it is.
    pub owner_country: String,
    /// The case that names the person, and the person's pseudonym there
    /// (when this node holds the case).
    #[ts(optional)]
    pub case_reference: Option<String>,
    #[ts(optional)]
    pub pseudonym: Option<String>,
    /// It lets the identity reach its country today.
    pub standing: bool,
}

impl App {
    /// Grants the identities a case names (or one of them, or a person
    /// document) to another country. Each becomes a change of its person
    /// document, audited.
    pub fn grant_add(&mut self, input: GrantInput) -> Result<Vec<GrantView>> {
        self.require(Permission::Grant)?;
        self.require(Permission::SeeIdentities)?;
        // Grants are given at a hub or an office, as sharing is (a border
        // post's or an NGO's grant is refused by the nodes it syncs with).
        if self.node.role.need_to_know() {
            return Err(CoreError::ShareFromNeedToKnow);
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        let today = author.today();
        let country = CountryCode::parse(&input.country)
            .ok_or_else(|| CoreError::Country(input.country.clone()))?;
        let at = now_string();
        let template = Grant {
            id: String::new(),
            country,
            purpose: input.purpose,
            until: input.until,
            reason: input.reason.trim().to_owned(),
            by: author.by.clone(),
            at: at.clone(),
            revoked_by: None,
            revoked_at: None,
        };
        let issues = validate_grant(&template, &self.node.country, today);
        if has_errors(&issues) {
            return Err(CoreError::Invalid(issues));
        }
        let ids = self.store.write(|tx| {
            let r = tx.read();
            let persons = targets(&r, &author, &input)?;
            let mut ids = vec![];
            for (pid, shown) in persons {
                let grant = Grant {
                    id: uuid::Uuid::new_v4().to_string(),
                    ..template.clone()
                };
                let change = Change {
                    id: &pid,
                    shown_as: &shown,
                    action: "grant",
                    rule: Rule::Owner,
                    base: None,
                    validation: Validation::Report,
                    or_new: None,
                };
                let g = grant.clone();
                let saved = edit::edit(tx, &author, change, |_, p: &mut Person| {
                    p.grants.push(g);
                    Ok(())
                })?;
                // The victim's risk goes where the identity goes.
                crate::risk::follow_person(tx, &author, &saved.value)?;
                tx.audit(
                    &at,
                    &author.by,
                    "grant.add",
                    &shown,
                    &format!(
                        "{} {} {} {}: {}",
                        grant.id, grant.country, grant.purpose, grant.until, grant.reason
                    ),
                )?;
                ids.push(grant.id);
            }
            Ok::<_, CoreError>(ids)
        })?;
        Ok(self
            .grant_list()?
            .into_iter()
            .filter(|g| ids.contains(&g.grant.id))
            .collect())
    }

    /// Every grant on the identities this node holds: those its country
    /// gave, and those given to it. Newest first.
    pub fn grant_list(&self) -> Result<Vec<GrantView>> {
        self.grant_list_for(None)
    }

    /// The grants on the identities of one case held here (or, without a
    /// case, of every identity held here): reading one case's persons,
    /// not the whole node's, is what a case view needs.
    pub fn grant_list_for(&self, case_key: Option<&str>) -> Result<Vec<GrantView>> {
        self.require(Permission::Grant)?;
        let today = crate::clock::now().date_naive();
        let r = self.store.read();
        let rows = match case_key {
            None => r.docs_of_kind(DocKind::Person)?,
            Some(key) => {
                let id = cases::resolve(&r, key)?;
                let (case, _, _) =
                    edit::load::<Case>(&r, &self.node.actor, &id)?.ok_or_else(|| {
                        CoreError::NotFound {
                            what: key.to_owned(),
                        }
                    })?;
                let mut rows = vec![];
                for pid in case.persons.iter().filter_map(|p| p.person_ref) {
                    if let Some(row) = r
                        .doc(&pid.to_string())?
                        .filter(|d| d.kind == DocKind::Person)
                    {
                        rows.push(row);
                    }
                }
                rows
            }
        };
        let mut out = vec![];
        for row in rows {
            let (person, _) = edit::from_row::<Person>(&row, &self.node.actor)?;
            if person.grants.is_empty() {
                continue;
            }
            let (case_reference, pseudonym) = case_of(&r, &self.node.actor, &row.id)?;
            for g in &person.grants {
                out.push(GrantView {
                    standing: g.stands(today),
                    grant: g.clone(),
                    person_id: row.id.clone(),
                    owner_country: person.owner.country.to_string(),
                    case_reference: case_reference.clone(),
                    pseudonym: pseudonym.clone(),
                });
            }
        }
        out.sort_by(|a, b| b.grant.at.cmp(&a.grant.at));
        Ok(out)
    }

    /// Revokes a grant this node's country gave: no later change of the
    /// identity travels to that country; what it received stays there.
    pub fn grant_revoke(&mut self, id: &str) -> Result<GrantView> {
        self.require(Permission::Grant)?;
        self.require(Permission::SeeIdentities)?;
        if self.node.role.need_to_know() {
            return Err(CoreError::ShareFromNeedToKnow);
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        let found = self
            .grant_list()?
            .into_iter()
            .find(|g| g.grant.id == id.trim())
            .ok_or_else(|| CoreError::NotFound {
                what: id.to_owned(),
            })?;
        if found.owner_country != self.node.country.as_str() {
            return Err(CoreError::NotOwner {
                country: found.owner_country,
            });
        }
        if found.grant.revoked_at.is_none() {
            let at = now_string();
            self.store.write(|tx| {
                let shown = found
                    .pseudonym
                    .clone()
                    .unwrap_or_else(|| found.person_id.clone());
                let change = Change {
                    id: &found.person_id,
                    shown_as: &shown,
                    action: "grant.revoke",
                    rule: Rule::Owner,
                    base: None,
                    validation: Validation::Report,
                    or_new: None,
                };
                let saved = edit::edit(tx, &author, change, |_, p: &mut Person| {
                    for g in p.grants.iter_mut().filter(|g| g.id == found.grant.id) {
                        g.revoked_by = Some(author.by.clone());
                        g.revoked_at = Some(at.clone());
                    }
                    Ok(())
                })?;
                crate::risk::follow_person(tx, &author, &saved.value)?;
                tx.audit(
                    &at,
                    &author.by,
                    "grant.revoke",
                    &shown,
                    &format!("{} {}", found.grant.id, found.grant.country),
                )?;
                Ok::<_, CoreError>(())
            })?;
        }
        self.grant_list()?
            .into_iter()
            .find(|g| g.grant.id == found.grant.id)
            .ok_or_else(|| CoreError::NotFound {
                what: id.to_owned(),
            })
    }
}

/// The person documents a grant names, each with how people call it
/// (`GT-…-0042 V1`): a person document's id, or a case's identities held
/// here (one of them with `pseudonym`).
fn targets(
    r: &enlace_store::Read<'_>,
    author: &Author<'_>,
    input: &GrantInput,
) -> Result<Vec<(String, String)>> {
    let target = input.target.trim();
    if input.pseudonym.is_none() && r.doc(target)?.is_some_and(|d| d.kind == DocKind::Person) {
        let (case, pseudonym) = case_of(r, &author.node.actor, target)?;
        let shown = match (case, pseudonym) {
            (Some(c), Some(p)) => format!("{c} {p}"),
            _ => target.to_owned(),
        };
        check_owner(r, author, target)?;
        return Ok(vec![(target.to_owned(), shown)]);
    }
    let id = cases::resolve(r, target)?;
    let (case, _, _) =
        edit::load::<Case>(r, &author.node.actor, &id)?.ok_or_else(|| CoreError::NotFound {
            what: target.to_owned(),
        })?;
    if case.owner.country != author.node.country {
        return Err(CoreError::NotOwner {
            country: case.owner.country.to_string(),
        });
    }
    let mut out = vec![];
    for p in &case.persons {
        if input
            .pseudonym
            .as_deref()
            .is_some_and(|want| want.trim() != p.pseudonym)
        {
            continue;
        }
        let Some(pid) = p.person_ref else { continue };
        let pid = pid.to_string();
        // An identity another case links too is granted from neither (a
        // case edited to point at someone else's identity would otherwise
        // send it abroad): grant it by its person document's id.
        if r.doc(&pid)?.is_some_and(|d| d.kind == DocKind::Person)
            && r.cases_of_person(&pid)?.len() <= 1
        {
            out.push((pid, format!("{} {}", case.reference, p.pseudonym)));
        }
    }
    if out.is_empty() {
        return Err(CoreError::NotFound {
            what: match &input.pseudonym {
                Some(p) => format!("{} {p}", case.reference),
                None => case.reference,
            },
        });
    }
    Ok(out)
}

fn check_owner(r: &enlace_store::Read<'_>, author: &Author<'_>, pid: &str) -> Result<()> {
    let owner = r.doc(pid)?.map(|d| d.owner_country).unwrap_or_default();
    if owner != author.node.country.as_str() {
        return Err(CoreError::NotOwner { country: owner });
    }
    Ok(())
}

/// The case held here that names person document `pid`, and its pseudonym
/// there.
fn case_of(
    r: &enlace_store::Read<'_>,
    actor: &automerge::ActorId,
    pid: &str,
) -> Result<(Option<String>, Option<String>)> {
    for case_id in r.cases_of_person(pid)? {
        if let Some((case, _, _)) = edit::load::<Case>(r, actor, &case_id)? {
            let pseudonym = case
                .persons
                .iter()
                .find(|p| p.person_ref.is_some_and(|x| x.to_string() == pid))
                .map(|p| p.pseudonym.clone());
            return Ok((Some(case.reference), pseudonym));
        }
    }
    Ok((None, None))
}
