//! The directory of agencies (`agency` documents, regional): added and
//! changed by their country's nodes, read by every participating country,
//! searched by name, city and services with accents ignored, filtered by
//! country and service.

use enlace_domain::agency::validate_agency;
use enlace_domain::text::fold;
use enlace_domain::validate::has_errors;
use enlace_domain::{
    Agency, AgencyContact, AgencyKind, Audience, AudienceScope, DocKind, Service, SourceReliability,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::edit::{self, Author, Change, New, Rule, Validation};
use crate::{App, Candidate, CoreError, Result};

/// A new directory entry, as scripts and the app give it (its country is
/// this node's).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AgencyInput {
    pub name: String,
    pub kind: AgencyKind,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub city: String,
    #[serde(default)]
    #[ts(as = "Option<Vec<Service>>", optional)]
    pub services: Vec<Service>,
    #[serde(default)]
    #[ts(as = "Option<Vec<AgencyContact>>", optional)]
    pub contacts: Vec<AgencyContact>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub hours: String,
    #[serde(default)]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub languages: Vec<String>,
    pub reliability: SourceReliability,
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub focal_point: bool,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub notes: String,
}

/// Which agencies a list shows.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct AgencyFilter {
    /// Words matched as prefixes, accents and case ignored, against the
    /// name, the city, the contacts and the services' names.
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub service: Option<Service>,
}

/// What adding or changing an entry answers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AgencySaved {
    pub agency: Agency,
    pub issues: Vec<enlace_domain::Issue>,
}

impl App {
    /// Adds an entry to the directory, of this node's country.
    pub fn agency_add(&mut self, input: AgencyInput) -> Result<AgencySaved> {
        let agency = Agency {
            id: Uuid::new_v4(),
            name: input.name.trim().to_owned(),
            kind: input.kind,
            country: self.node.country.clone(),
            city: input.city.trim().to_owned(),
            services: dedup(input.services),
            contacts: input
                .contacts
                .into_iter()
                .map(|c| AgencyContact {
                    id: c.id,
                    name: c.name.trim().to_owned(),
                    function: c.function.trim().to_owned(),
                    phone: c.phone.trim().to_owned(),
                    email: c.email.trim().to_owned(),
                })
                .collect(),
            hours: input.hours.trim().to_owned(),
            languages: input
                .languages
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
            reliability: input.reliability,
            focal_point: input.focal_point,
            notes: input.notes.trim().to_owned(),
            owner: self.node.owner(),
            audience: Audience {
                scope: AudienceScope::Regional,
                countries: vec![],
            },
            demo: false,
        };
        let issues = validate_agency(&agency);
        if has_errors(&issues) {
            return Err(CoreError::Invalid(issues));
        }
        let author = Author::new(&self.node, self.by(), self.session.role);
        self.store.write(|tx| {
            let new = New {
                action: "create",
                fields: None,
                issues: &issues,
            };
            edit::create(tx, &author, &agency, new)?;
            tx.audit(
                &author.at,
                &author.by,
                "agency.add",
                &agency.name,
                &agency.id.to_string(),
            )?;
            Ok::<_, CoreError>(())
        })?;
        // Read back: the contacts' identities are given as they are written.
        let agency = self.agency(&agency.id.to_string())?;
        Ok(AgencySaved { agency, issues })
    }

    /// Changes an entry of this node's country with a JSON merge patch
    /// (its id, country and owner never change).
    pub fn agency_update(&mut self, key: &str, patch: &Value) -> Result<AgencySaved> {
        let id = self.resolve_agency(key)?;
        let author = Author::new(&self.node, self.by(), self.session.role);
        let saved = self.store.write(|tx| {
            let change = Change {
                id: &id,
                shown_as: key,
                action: "update",
                rule: Rule::Owner,
                base: None,
                validation: Validation::Refuse,
                or_new: None,
            };
            let saved = edit::edit(tx, &author, change, |_, a: &mut Agency| {
                *a = edit::patched(&*a, patch)??;
                Ok(())
            })?;
            tx.audit(
                &author.at,
                &author.by,
                "agency.update",
                &saved.value.name,
                &id,
            )?;
            Ok::<_, CoreError>(saved)
        })?;
        Ok(AgencySaved {
            agency: saved.value,
            issues: saved.issues,
        })
    }

    /// The directory, by country then name (accents ignored in both the
    /// search and the order).
    pub fn agencies(&self, filter: &AgencyFilter) -> Result<Vec<Agency>> {
        let terms = enlace_domain::text::search_terms(filter.query.as_deref().unwrap_or(""));
        let country = filter.country.as_deref().map(str::to_uppercase);
        let mut out = vec![];
        for a in self.all_agencies()? {
            if country.as_deref().is_some_and(|c| a.country.as_str() != c) {
                continue;
            }
            if filter.service.is_some_and(|s| !a.services.contains(&s)) {
                continue;
            }
            if !terms.is_empty() {
                let hay = haystack(&a);
                if !terms.iter().all(|t| {
                    hay.split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(t.as_str()))
                }) {
                    continue;
                }
            }
            out.push(a);
        }
        out.sort_by(|a, b| {
            a.country.as_str().cmp(b.country.as_str()).then_with(|| {
                enlace_domain::text::sort_key(&a.name).cmp(&enlace_domain::text::sort_key(&b.name))
            })
        });
        Ok(out)
    }

    /// One entry, by id or by a name only it has (accents ignored).
    pub fn agency(&self, key: &str) -> Result<Agency> {
        let id = self.resolve_agency(key)?;
        edit::load::<Agency>(&self.store.read(), &self.node.actor, &id)?
            .map(|(a, _, _)| a)
            .ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })
    }

    fn all_agencies(&self) -> Result<Vec<Agency>> {
        let r = self.store.read();
        let mut out = vec![];
        for id in r.doc_ids(DocKind::Agency)? {
            if let Some((a, _, _)) = edit::load::<Agency>(&r, &self.node.actor, &id)? {
                out.push(a);
            }
        }
        Ok(out)
    }

    pub(crate) fn resolve_agency(&self, key: &str) -> Result<String> {
        let key = key.trim();
        let all = self.all_agencies()?;
        let found: Vec<&Agency> = match Uuid::parse_str(key) {
            Ok(u) => all.iter().filter(|a| a.id == u).collect(),
            Err(_) => {
                let k = fold(key);
                let exact: Vec<&Agency> = all.iter().filter(|a| fold(&a.name) == k).collect();
                if exact.is_empty() {
                    all.iter()
                        .filter(|a| !k.is_empty() && fold(&a.name).contains(&k))
                        .collect()
                } else {
                    exact
                }
            }
        };
        match found.as_slice() {
            [] => Err(CoreError::NotFound {
                what: key.to_owned(),
            }),
            [one] => Ok(one.id.to_string()),
            several => Err(CoreError::Ambiguous {
                what: key.to_owned(),
                candidates: several
                    .iter()
                    .map(|a| Candidate {
                        id: a.id.to_string(),
                        label: format!("{} ({}, {})", a.name, a.city, a.country),
                    })
                    .collect(),
            }),
        }
    }
}

/// What a search looks in, folded.
fn haystack(a: &Agency) -> String {
    let mut parts = vec![a.name.clone(), a.city.clone(), a.notes.clone()];
    parts.extend(a.languages.iter().cloned());
    for c in &a.contacts {
        parts.push(c.name.clone());
        parts.push(c.function.clone());
    }
    for s in &a.services {
        use enlace_domain::enums::Closed;
        parts.push(s.as_str().replace('_', " "));
        parts.push(s.label(enlace_domain::Lang::Es));
        parts.push(s.label(enlace_domain::Lang::En));
    }
    fold(&parts.join(" "))
}

fn dedup(v: Vec<Service>) -> Vec<Service> {
    let mut out: Vec<Service> = vec![];
    for s in v {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}
