//! New cases: from what a form, a script or an import gives
//! ([`CaseInput`]) to a stored case with its reference and the national
//! `person` documents of the persons given with an identity.

use chrono::{DateTime, Datelike, Utc};
use enlace_domain::input::CaseInput;
use enlace_domain::validate::{has_errors, validate_case};
use enlace_domain::*;
use enlace_store::WriteTx;

use crate::edit::{self, Author, New};
use crate::node::Identity;
use crate::{App, CaseSaved, CoreError, Result};

impl App {
    /// Creates a case (and a national `person` document for each person
    /// given with an identity) in one transaction.
    pub fn create_case(&mut self, input: CaseInput) -> Result<CaseSaved> {
        let mut saved = self.import_owned(vec![(input, None)], &mut |_, _| {})?;
        saved
            .pop()
            .ok_or_else(|| CoreError::Internal("no case was created".into()))
    }

    /// Creates many cases in one transaction (imports): all are saved, or
    /// none. An invalid case fails the batch; its index is in the error path.
    pub fn import_cases(&mut self, inputs: Vec<CaseInput>) -> Result<Vec<CaseSaved>> {
        self.import_cases_with(inputs, &mut |_, _| {})
    }

    /// [`App::import_cases`], calling `progress(done, total)`.
    pub fn import_cases_with(
        &mut self,
        inputs: Vec<CaseInput>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<CaseSaved>> {
        self.import_owned(inputs.into_iter().map(|i| (i, None)).collect(), progress)
    }

    /// Creates cases, each owned by the owner given or by this node.
    pub(crate) fn import_owned(
        &mut self,
        inputs: Vec<(CaseInput, Option<Owner>)>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<CaseSaved>> {
        let author = Author::new(&self.node, self.by(), self.session.role);
        let batch = inputs.len() > 1;
        let mut prepared = Vec::with_capacity(inputs.len());
        for (n, (input, owner)) in inputs.into_iter().enumerate() {
            let owner = owner.unwrap_or_else(|| self.node.owner());
            let (case, persons) = case_from_input(input, owner, &author.by, author.now);
            // Validate before allocating anything (the reference is filled in below).
            let mut issues = validate_case(&case, author.today());
            if has_errors(&issues) {
                if batch {
                    for i in &mut issues {
                        i.path = format!("[{n}].{}", i.path);
                    }
                }
                return Err(CoreError::Invalid(issues));
            }
            prepared.push((case, persons, issues));
        }
        // Identities are written only by those who may see them (they
        // could not read back, nor correct, what they wrote).
        if prepared.iter().any(|(_, persons, _)| !persons.is_empty()) {
            self.require(enlace_domain::Permission::SeeIdentities)?;
        }
        let total = prepared.len() as u64;
        self.store.write(|tx| {
            let mut out = Vec::with_capacity(prepared.len());
            for (mut case, persons, issues) in prepared {
                out.push(insert_case(tx, &author, &mut case, &persons, issues)?);
                progress(out.len() as u64, total);
            }
            Ok(out)
        })
    }
}

/// Allocates the reference and stores a new case and its person documents.
fn insert_case(
    tx: &WriteTx<'_>,
    author: &Author<'_>,
    case: &mut Case,
    persons: &[Person],
    issues: Vec<Issue>,
) -> Result<CaseSaved> {
    case.reference = new_reference(tx, author.node, &case.owner.country, case.opened.year())?;
    for p in persons {
        let new = New {
            action: "create",
            fields: Some(vec!["identity".into()]),
            issues: &[],
        };
        edit::create(tx, author, p, new)?;
    }
    let new = New {
        action: "create",
        fields: None,
        issues: &issues,
    };
    let heads = edit::create(tx, author, &*case, new)?;
    Ok(CaseSaved {
        id: case.id.to_string(),
        reference: case.reference.clone(),
        changed: vec![],
        issues,
        heads,
    })
}

/// Builds a case (and its person documents) from input. The reference is a
/// placeholder until the store allocates one.
fn case_from_input(
    input: CaseInput,
    owner: Owner,
    by: &str,
    now: DateTime<Utc>,
) -> (Case, Vec<Person>) {
    let today = now.date_naive();
    let opened = input.opened.unwrap_or(today);
    let status = input.status.unwrap_or(CaseStatus::Reported);
    let mut counters = std::collections::HashMap::<PersonRole, u32>::new();
    let mut persons = vec![];
    let mut case_persons = vec![];
    for p in input.persons {
        let n = counters.entry(p.role).or_insert(0);
        *n += 1;
        let prefix = match p.role {
            PersonRole::Victim => "V",
            PersonRole::Suspect => "S",
            PersonRole::Witness => "W",
            PersonRole::Other => "O",
        };
        let person_ref = p.identity.map(|identity| {
            let id = PersonId::new();
            persons.push(Person {
                id,
                identity,
                owner: owner.clone(),
                nodes: vec![],
                grants: vec![],
                demo: input.demo,
            });
            id
        });
        case_persons.push(CasePerson {
            id: String::new(),
            pseudonym: p.pseudonym.unwrap_or_else(|| format!("{prefix}{n}")),
            role: p.role,
            gender: p.gender.unwrap_or(Gender::Unknown),
            age_band: p.age_band,
            minor_at_exploitation: p.minor_at_exploitation,
            nationality: p.nationality,
            person_ref,
            process_roles: p.process_roles,
        });
    }
    let case = Case {
        id: CaseId::new(),
        reference: format!("{}-{}-0000", owner.country, opened.year()),
        former_references: vec![],
        title: input.title.trim().to_owned(),
        summary: input.summary,
        classification: input.classification,
        classification_history: vec![ClassificationChange {
            id: String::new(),
            classification: input.classification,
            at: now,
            by: by.to_owned(),
            reason: None,
        }],
        status,
        status_history: vec![StatusChange {
            id: String::new(),
            status,
            date: opened,
            by: by.to_owned(),
        }],
        opened,
        acts: dedup(input.acts),
        means: dedup(input.means),
        purposes: dedup(input.purposes),
        child_involved: input.child_involved,
        route: input.route,
        persons: case_persons,
        indicators: input.indicators,
        information: input.information,
        links: input.links,
        requests: input.requests,
        request_answers: vec![],
        joint_operations: input.joint_operations,
        notes: input
            .notes
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .map(|text| Note {
                id: String::new(),
                at: now,
                author: by.to_owned(),
                text,
            })
            .collect(),
        standard: input.standard,
        owner,
        audience: input.audience.unwrap_or_else(Audience::regional),
        demo: input.demo,
    };
    (case, persons)
}

fn dedup<T: Ord + Copy>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// The next reference of this node's series for cases of `country` opened
/// in `year` (`GT-K7M3Q-2026-0042`): unique whatever other nodes issue
/// meanwhile, because no other node numbers this series.
pub(crate) fn new_reference(
    tx: &WriteTx<'_>,
    node: &Identity,
    country: &CountryCode,
    year: i32,
) -> Result<String> {
    let series = CaseRef::series(country, &node.code, year);
    let sequence = tx.next_reference(country.as_str(), year, &series)?;
    Ok(CaseRef {
        country: country.clone(),
        node: Some(node.code.clone()),
        year,
        sequence,
    }
    .to_string())
}
