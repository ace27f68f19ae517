//! The identifying `person` document behind a pseudonymous person in a
//! case: national, edited only by nodes of the case's country, every edit
//! in the audit log.

use enlace_domain::validate::{has_errors, validate_case, validate_identity};
use enlace_domain::{Case, DocKind, Identity, Person, PersonId};

use crate::edit::{self, Author, Change, Rule, Validation};
use crate::{App, CaseSaved, CoreError, Result, cases, index};

impl App {
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
        self.require(enlace_domain::Permission::SeeIdentities)?;
        let author = Author::new(&self.node, self.by(), self.session.role);
        let issues = validate_identity(&identity, author.today());
        if has_errors(&issues) {
            return Err(CoreError::Invalid(issues));
        }
        self.store.write(|tx| {
            let id = cases::resolve(&tx.read(), case_key)?;
            let (case, case_doc, case_row) =
                edit::load::<Case>(&tx.read(), &author.node.actor, &id)?.ok_or_else(|| {
                    CoreError::NotFound {
                        what: case_key.to_owned(),
                    }
                })?;
            if case.owner.country != author.node.country {
                return Err(CoreError::NotOwner {
                    country: case.owner.country.to_string(),
                });
            }
            let at = case
                .persons
                .iter()
                .position(|p| p.pseudonym == pseudonym)
                .ok_or_else(|| CoreError::NotFound {
                    what: format!("{} {pseudonym}", case.reference),
                })?;
            // The person document the case links, when this node holds it
            // as one; otherwise a new one, linked in its place (a link to
            // a document that is not here, or is not a person, is not
            // written through).
            let linked = match case.persons[at].person_ref {
                Some(pid) => tx
                    .read()
                    .doc(&pid.to_string())?
                    .filter(|r| r.kind == DocKind::Person)
                    .map(|_| pid),
                None => None,
            };
            // A border post or an NGO that does not hold the identity
            // the case links (another node recorded it and has not
            // shared it) would record a second one in its place.
            if linked.is_none()
                && case.persons[at].person_ref.is_some()
                && author.node.role.need_to_know()
            {
                return Err(CoreError::IdentityElsewhere {
                    pseudonym: pseudonym.to_owned(),
                });
            }
            let pid = linked.unwrap_or_else(PersonId::new);
            let person_id = pid.to_string();
            let change = Change {
                id: &person_id,
                shown_as: pseudonym,
                action: "update",
                rule: Rule::Owner,
                base: None,
                validation: Validation::Refuse,
                or_new: Some(Person {
                    id: pid,
                    identity: identity.clone(),
                    // Recorded at a border post or an NGO for a case
                    // another node owns: the identity is this node's own
                    // (so it keeps receiving it; it names no other node).
                    owner: if author.node.role.need_to_know() {
                        author.node.owner()
                    } else {
                        case.owner.clone()
                    },
                    nodes: vec![],
                    grants: vec![],
                    demo: case.demo,
                }),
            };
            edit::edit(tx, &author, change, |_, person: &mut Person| {
                person.identity = identity;
                Ok(())
            })?;
            let action = if linked.is_some() { "update" } else { "create" };
            tx.audit(
                &author.at,
                &author.by,
                &format!("person.{action}"),
                &person_id,
                &format!("case {} {pseudonym}", case.reference),
            )?;
            if case.persons[at].person_ref == Some(pid) {
                // The case is unchanged; its index holds the person's names.
                let issues = validate_case(&case, author.today());
                let names = index::person_names(&tx.read(), &case, &author.node.actor)?;
                let findable = index::findable(&case, &case_doc);
                tx.index_case(&index::case_row(&findable, &names, &issues, &author.at))?;
                return Ok(CaseSaved {
                    id,
                    reference: case.reference,
                    changed: vec![],
                    issues,
                    heads: serde_json::from_str(&case_row.heads).unwrap_or_default(),
                });
            }
            // Linking touches nothing a case's findings are about: they are
            // reported, not in the way.
            let change = Change {
                id: &id,
                shown_as: case_key,
                action: "update",
                rule: Rule::Owner,
                base: None,
                validation: Validation::Report,
                or_new: None,
            };
            let saved = edit::edit(tx, &author, change, |_, case: &mut Case| {
                case.persons[at].person_ref = Some(pid);
                Ok(())
            })?;
            Ok(CaseSaved {
                id,
                reference: saved.value.reference,
                changed: saved.changed,
                issues: saved.issues,
                heads: saved.heads,
            })
        })
    }
}
