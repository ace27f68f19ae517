//! Need-to-know inside a country: which nodes receive the identities of a
//! case's persons. A hub and an office receive every identity of their
//! country; a border post or an NGO node only those it recorded or that
//! were shared with it (a person document's `nodes`), enforced by the
//! sender and the receiver (replica/rules.rs, `reaches`).

use enlace_domain::{Case, DocKind, Permission, Person};
use serde::Serialize;
use ts_rs::TS;

use crate::edit::{self, Author, Change, Rule, Validation};
use crate::peers::node_key_named;
use crate::replica::{country_of, key_name};
use crate::{App, CoreError, Result, cases};

/// A node that receives a case's identities by name.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReachNode {
    /// Hex of its key.
    pub public_key: String,
    /// As this node names it (a peer's or roster name, else its id).
    pub name: String,
    /// Its place in the country when it is a peer of this node
    /// (`hub`, `office`, `border_post`, `ngo`).
    #[ts(optional)]
    pub role: Option<enlace_domain::NodeRole>,
    /// How many of the case's identities held here name it.
    #[ts(type = "number")]
    pub persons: u64,
}

/// Who receives a case's identities besides the hubs and offices.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IdentityReach {
    pub reference: String,
    /// Identities the case links that this node holds.
    #[ts(type = "number")]
    pub held: u64,
    /// Identities the case links that this node does not hold (recorded
    /// elsewhere, not shared with it).
    #[ts(type = "number")]
    pub elsewhere: u64,
    /// The nodes named, beyond the one that recorded the case.
    pub nodes: Vec<ReachNode>,
    /// Pseudonyms whose identity another case links too: sharing this
    /// case does not share them (a case edited to point at someone else's
    /// identity would otherwise hand it over). Share that case instead.
    pub linked_elsewhere: Vec<String>,
}

impl App {
    /// Who receives the identities of a case's persons by name.
    pub fn identity_reach(&self, case_key: &str) -> Result<IdentityReach> {
        self.require(Permission::SeeIdentities)?;
        let r = self.store.read();
        let id = cases::resolve(&r, case_key)?;
        let (case, _, _) =
            edit::load::<Case>(&r, &self.node.actor, &id)?.ok_or_else(|| CoreError::NotFound {
                what: case_key.to_owned(),
            })?;
        let (mut held, mut elsewhere) = (0, 0);
        let mut nodes: Vec<ReachNode> = vec![];
        let mut linked_elsewhere = vec![];
        for p in &case.persons {
            let Some(pid) = p.person_ref else { continue };
            if r.cases_of_person(&pid.to_string())?.len() > 1 {
                linked_elsewhere.push(p.pseudonym.clone());
            }
            let Some((person, _, _)) =
                edit::load::<Person>(&r, &self.node.actor, &pid.to_string())?
            else {
                elsewhere += 1;
                continue;
            };
            held += 1;
            for k in &person.nodes {
                match nodes.iter_mut().find(|n| n.public_key == *k) {
                    Some(n) => n.persons += 1,
                    None => {
                        let bytes = hex::decode(k).unwrap_or_default();
                        let peer = r.peer_by_key(&bytes)?;
                        nodes.push(ReachNode {
                            public_key: k.clone(),
                            name: key_name(&r, &bytes)?,
                            role: peer.and_then(|p| {
                                use enlace_domain::enums::Closed;
                                enlace_domain::NodeRole::parse(&p.node_role)
                            }),
                            persons: 1,
                        });
                    }
                }
            }
        }
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(IdentityReach {
            reference: case.reference,
            held,
            elsewhere,
            nodes,
            linked_elsewhere,
        })
    }

    /// Shares the identities of a case's persons with a node of this
    /// country (`share`), or stops sharing them: a border post or an NGO
    /// node then receives them at its next sync, or no later change of
    /// them. What it already received stays there (it cannot be recalled).
    /// Only a hub or an office shares, and only an official who may grant.
    pub fn share_identities(
        &mut self,
        case_key: &str,
        node: &str,
        share: bool,
    ) -> Result<IdentityReach> {
        self.require(Permission::Grant)?;
        self.require(Permission::SeeIdentities)?;
        if self.node.role.need_to_know() {
            return Err(CoreError::ShareFromNeedToKnow);
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        let me = self.node.public_key();
        let mine = self.node.country.to_string();
        self.store.write(|tx| {
            let r = tx.read();
            let key = node_key_named(&r, node)?
                .filter(|k| *k != me)
                .filter(|k| {
                    country_of(&me, &mine, &r, k)
                        .ok()
                        .flatten()
                        .is_some_and(|c| c == mine)
                })
                .ok_or_else(|| CoreError::UnknownNode {
                    name: node.to_owned(),
                })?;
            let name = key_name(&r, &key)?;
            let id = cases::resolve(&r, case_key)?;
            let (case, _, _) =
                edit::load::<Case>(&r, &author.node.actor, &id)?.ok_or_else(|| {
                    CoreError::NotFound {
                        what: case_key.to_owned(),
                    }
                })?;
            if case.owner.country != author.node.country {
                return Err(CoreError::NotOwner {
                    country: case.owner.country.to_string(),
                });
            }
            let hex_key = hex::encode(key);
            let mut changed = 0u64;
            for p in &case.persons {
                let Some(pid) = p.person_ref else { continue };
                let pid = pid.to_string();
                if r.doc(&pid)?.is_none_or(|d| d.kind != DocKind::Person)
                    || (share && r.cases_of_person(&pid)?.len() > 1)
                {
                    continue;
                }
                let change = Change {
                    id: &pid,
                    shown_as: &p.pseudonym,
                    action: "update",
                    rule: Rule::Owner,
                    base: None,
                    validation: Validation::Report,
                    or_new: None,
                };
                let saved = edit::edit(tx, &author, change, |_, person: &mut Person| {
                    person.nodes.retain(|k| *k != hex_key);
                    if share {
                        person.nodes.push(hex_key.clone());
                    }
                    Ok(())
                })?;
                if !saved.changed.is_empty() {
                    changed += 1;
                }
                // The victim's risk reaches whom the identity reaches.
                crate::risk::follow_person(tx, &author, &saved.value)?;
            }
            let action = if share {
                "case.identities.share"
            } else {
                "case.identities.unshare"
            };
            tx.audit(
                &author.at,
                &author.by,
                action,
                &case.reference,
                &format!("{name} ({}): {changed} identities", &hex_key[..16]),
            )?;
            Ok(())
        })?;
        self.identity_reach(case_key)
    }
}
