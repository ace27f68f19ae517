//! Building the derived index rows of a case.

use automerge::ActorId;
use enlace_docs::Document;
use enlace_domain::enums::Closed;
use enlace_domain::{Case, Issue, Lang, Person, Severity, text};
use enlace_store::CaseIndexRow;

use crate::Result;

/// The names (and aliases, document numbers) of the case's persons whose
/// identifying documents are on this node. They go into the local search
/// index only; they are never listed or synced with the case. A reference
/// to a document that is not a readable person (a received case may point
/// anywhere) adds no name.
pub(crate) fn person_names(
    read: &enlace_store::Read<'_>,
    case: &Case,
    actor: &ActorId,
) -> Result<Vec<String>> {
    let mut names = vec![];
    for p in &case.persons {
        if let Some(pid) = p.person_ref
            && let Some(person) = person(read, &pid.to_string(), actor)?
        {
            names.push(person.identity.search_text());
        }
    }
    Ok(names)
}

/// The person document `id` on this node, when there is one and it reads
/// as a person (a case received from a peer may point anywhere).
pub(crate) fn person(
    read: &enlace_store::Read<'_>,
    id: &str,
    actor: &ActorId,
) -> Result<Option<Person>> {
    Ok(match read.doc(id)? {
        Some(row) if row.kind == enlace_domain::DocKind::Person => {
            Document::load(&row.bytes, actor.clone())
                .and_then(|doc| doc.read::<Person>("person"))
                .ok()
        }
        _ => None,
    })
}

/// `case` as its index row should show it: with the references its nodes
/// gave it apart (two nodes of its country renumbering it at once, one
/// value wins the merge) among its former references, so the one that lost
/// still finds the case.
pub(crate) fn findable<'a>(case: &'a Case, doc: &Document) -> std::borrow::Cow<'a, Case> {
    let lost: Vec<String> = doc
        .conflicts("reference")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .filter(|r| *r != case.reference && !case.former_references.contains(r))
        .collect();
    if lost.is_empty() {
        return std::borrow::Cow::Borrowed(case);
    }
    let mut c = case.clone();
    c.former_references.extend(lost);
    std::borrow::Cow::Owned(c)
}

pub(crate) fn case_row(
    case: &Case,
    names: &[String],
    issues: &[Issue],
    updated_at: &str,
) -> CaseIndexRow {
    let mut body: Vec<String> = vec![
        case.reference.clone(),
        case.title.clone(),
        case.summary.clone(),
    ];
    body.extend(case.former_references.iter().cloned());
    for lang in Lang::ALL {
        body.push(case.classification.label(lang));
        body.push(case.status.label(lang));
    }
    for stop in &case.route {
        body.push(stop.place.clone());
        body.push(stop.country.to_string());
        for lang in Lang::ALL {
            body.push(stop.country.name(lang));
        }
    }
    for p in &case.persons {
        body.push(p.pseudonym.clone());
    }
    for i in &case.indicators {
        body.push(i.description.clone());
        body.push(i.source.clone());
    }
    for i in &case.information {
        body.push(i.text.clone());
        body.push(i.source_agency.clone());
        body.push(i.originator.clone());
    }
    for l in &case.links {
        body.push(l.reference.clone());
        body.extend(l.note.clone());
    }
    for o in &case.joint_operations {
        body.push(o.lead_agency.clone());
    }
    for r in &case.requests {
        body.push(r.subject.clone());
    }
    for n in &case.notes {
        body.push(n.text.clone());
    }
    let mut countries: Vec<(String, String)> = case
        .route
        .iter()
        .map(|s| (s.country.to_string(), s.role.as_str().to_owned()))
        .collect();
    countries.push((case.owner.country.to_string(), "owner".into()));
    CaseIndexRow {
        doc_id: case.id.to_string(),
        reference: case.reference.clone(),
        title: case.title.clone(),
        title_sort: text::sort_key(&case.title),
        status: case.status.as_str().to_owned(),
        classification: case.classification.as_str().to_owned(),
        owner_country: case.owner.country.to_string(),
        opened: case.opened.to_string(),
        updated_at: updated_at.to_owned(),
        warnings: issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .count() as i64,
        demo: case.demo,
        countries,
        tags: case
            .acts
            .iter()
            .map(|a| ("act".to_owned(), a.as_str().to_owned()))
            .chain(
                case.means
                    .iter()
                    .map(|m| ("means".into(), m.as_str().into())),
            )
            .chain(
                case.purposes
                    .iter()
                    .map(|p| ("purpose".into(), p.as_str().into())),
            )
            .chain(
                case.former_references
                    .iter()
                    .map(|r| ("former_reference".into(), r.clone())),
            )
            .chain(
                case.links
                    .iter()
                    .map(|l| ("link".into(), crate::cases::normal_reference(&l.reference))),
            )
            // The countries its requests come from and go to (the
            // request lists of both sides).
            .chain(case.requests.iter().flat_map(|r| {
                [
                    ("request_from".to_owned(), r.from.to_string()),
                    ("request_to".to_owned(), r.to.to_string()),
                ]
            }))
            .collect(),
        search_text: body.join("\n"),
        search_names: names.join("\n"),
        handling: case
            .handling_codes()
            .iter()
            .map(|h| h.as_str())
            .collect::<Vec<_>>()
            .join(","),
        persons: case
            .persons
            .iter()
            .filter_map(|p| p.person_ref.map(|r| r.to_string()))
            .collect(),
        victims: serde_json::to_string(&crate::stats::case_records(case)).ok(),
    }
}
