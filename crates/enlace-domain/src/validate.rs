//! Validation of cases. An `Error` blocks saving; a `Warning` is saved and
//! flagged (e.g. an adult-victim trafficking case with no means recorded).
//! Messages come from the Fluent files in the user's language.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::case::Case;
use crate::country::CountryCode;
use crate::enums::{AudienceScope, Classification, HandlingCode, PersonRole, Purpose};
use crate::i18n::{Lang, tr_args};
use crate::reference::CaseRef;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 300;
/// Longest free text (summary, note, description…), in characters.
pub const MAX_TEXT: usize = 20_000;
/// Longest short text (place, agency, pseudonym…), in characters.
pub const MAX_SHORT: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Severity {
    Error,
    Warning,
}

/// One validation finding: where, what (a Fluent key), and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Issue {
    pub path: String,
    pub code: String,
    pub severity: Severity,
    pub args: Vec<(String, String)>,
}

impl Issue {
    pub fn new(severity: Severity, path: impl Into<String>, code: &str) -> Issue {
        Issue {
            path: path.into(),
            code: code.to_owned(),
            severity,
            args: vec![],
        }
    }

    pub fn arg(mut self, k: &str, v: impl ToString) -> Issue {
        self.args.push((k.to_owned(), v.to_string()));
        self
    }

    /// The message in `lang`, with the field path.
    pub fn message(&self, lang: Lang) -> String {
        let mut args: Vec<(&str, &str)> = self
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        args.push(("path", &self.path));
        tr_args(lang, &self.code, &args)
    }
}

/// True when any issue blocks saving.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}

pub(crate) fn text(issues: &mut Vec<Issue>, path: &str, value: &str, max: usize) {
    let n = value.chars().count();
    if n > max {
        issues.push(
            Issue::new(Severity::Error, path, "val-too-long")
                .arg("max", max)
                .arg("length", n),
        );
    }
}

fn date_not_future(issues: &mut Vec<Issue>, path: &str, d: Option<NaiveDate>, today: NaiveDate) {
    if let Some(d) = d
        && d > today + chrono::Days::new(1)
    {
        issues.push(Issue::new(Severity::Error, path, "val-date-future").arg("date", d));
    }
}

/// Validates a case as of `today`.
pub fn validate_case(case: &Case, today: NaiveDate) -> Vec<Issue> {
    let mut v = vec![];
    if case.title.trim().is_empty() {
        v.push(Issue::new(Severity::Error, "title", "val-title-required"));
    }
    text(&mut v, "title", &case.title, MAX_TITLE);
    text(&mut v, "summary", &case.summary, MAX_TEXT);
    date_not_future(&mut v, "opened", Some(case.opened), today);
    // A year a reference can carry (and a plausible one).
    if chrono::Datelike::year(&case.opened) < 1900 {
        v.push(Issue::new(Severity::Error, "opened", "val-date-too-old").arg("date", case.opened));
    }

    if !case.owner.country.is_member() {
        v.push(
            Issue::new(Severity::Error, "owner.country", "val-owner-country")
                .arg("country", &case.owner.country),
        );
    }

    if case.classification.involves_trafficking() {
        if case.means.is_empty() && !case.involves_child() {
            v.push(Issue::new(
                Severity::Warning,
                "means",
                "val-means-required-adult",
            ));
        }
        if case.acts.is_empty() {
            v.push(Issue::new(Severity::Warning, "acts", "val-acts-missing"));
        }
        if case.purposes.is_empty() {
            v.push(Issue::new(
                Severity::Warning,
                "purposes",
                "val-purposes-missing",
            ));
        }
    }

    standard_fields(&mut v, case);

    let mut last: Option<(usize, NaiveDate)> = None;
    for (i, stop) in case.route.iter().enumerate() {
        let p = format!("route[{i}]");
        text(&mut v, &format!("{p}.place"), &stop.place, MAX_SHORT);
        if let (Some(from), Some(to)) = (stop.from, stop.to)
            && to < from
        {
            v.push(
                Issue::new(Severity::Error, format!("{p}.to"), "val-dates-reversed")
                    .arg("from", from)
                    .arg("to", to),
            );
        }
        date_not_future(&mut v, &format!("{p}.from"), stop.from, today);
        if let Some(from) = stop.from {
            if let Some((j, prev)) = last
                && from < prev
            {
                v.push(
                    Issue::new(Severity::Error, format!("{p}.from"), "val-route-order")
                        .arg("stop", i + 1)
                        .arg("previous", j + 1),
                );
            }
            last = Some((i, from));
        }
    }

    for (i, person) in case.persons.iter().enumerate() {
        let p = format!("persons[{i}]");
        if person.pseudonym.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.pseudonym"),
                "val-pseudonym-required",
            ));
        }
        text(&mut v, &format!("{p}.pseudonym"), &person.pseudonym, 40);
        if case.persons[..i]
            .iter()
            .any(|q| q.pseudonym.trim() == person.pseudonym.trim())
        {
            v.push(
                Issue::new(
                    Severity::Error,
                    format!("{p}.pseudonym"),
                    "val-pseudonym-duplicate",
                )
                .arg("pseudonym", person.pseudonym.trim()),
            );
        }
        if person.minor_at_exploitation == Some(false)
            && person.age_band.is_some_and(|a| a.is_minor())
        {
            v.push(Issue::new(
                Severity::Warning,
                format!("{p}.minor_at_exploitation"),
                "val-minor-inconsistent",
            ));
        }
    }

    for (i, ind) in case.indicators.iter().enumerate() {
        let p = format!("indicators[{i}]");
        if ind.description.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.description"),
                "val-text-required",
            ));
        }
        text(
            &mut v,
            &format!("{p}.description"),
            &ind.description,
            MAX_TEXT,
        );
        text(&mut v, &format!("{p}.source"), &ind.source, MAX_SHORT);
        date_not_future(&mut v, &format!("{p}.date"), ind.date, today);
    }

    for (i, item) in case.information.iter().enumerate() {
        let p = format!("information[{i}]");
        if item.text.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.text"),
                "val-text-required",
            ));
        }
        text(&mut v, &format!("{p}.text"), &item.text, MAX_TEXT);
        text(
            &mut v,
            &format!("{p}.source_agency"),
            &item.source_agency,
            MAX_SHORT,
        );
        if item.handling == HandlingCode::H3
            && item
                .handling_note
                .as_deref()
                .is_none_or(|n| n.trim().is_empty())
        {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.handling_note"),
                "val-handling-note-required",
            ));
        }
    }

    for (i, link) in case.links.iter().enumerate() {
        if CaseRef::parse(&link.reference).is_none() {
            v.push(
                Issue::new(
                    Severity::Error,
                    format!("links[{i}].reference"),
                    "val-link-reference",
                )
                .arg("reference", &link.reference),
            );
        } else if link.reference.eq_ignore_ascii_case(&case.reference) {
            v.push(Issue::new(
                Severity::Error,
                format!("links[{i}].reference"),
                "val-link-self",
            ));
        }
    }

    for (i, r) in case.requests.iter().enumerate() {
        let p = format!("requests[{i}]");
        if r.from == r.to {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.to"),
                "val-request-same-country",
            ));
        }
        if let (Some(sent), Some(answered)) = (r.sent, r.answered)
            && answered < sent
        {
            v.push(
                Issue::new(
                    Severity::Error,
                    format!("{p}.answered"),
                    "val-dates-reversed",
                )
                .arg("from", sent)
                .arg("to", answered),
            );
        }
    }

    for (i, op) in case.joint_operations.iter().enumerate() {
        let p = format!("joint_operations[{i}]");
        if op.countries.len() < 2 {
            v.push(Issue::new(
                Severity::Error,
                format!("{p}.countries"),
                "val-operation-countries",
            ));
        }
        if let (Some(from), Some(to)) = (op.from, op.to)
            && to < from
        {
            v.push(
                Issue::new(Severity::Error, format!("{p}.to"), "val-dates-reversed")
                    .arg("from", from)
                    .arg("to", to),
            );
        }
    }

    for (i, n) in case.notes.iter().enumerate() {
        text(&mut v, &format!("notes[{i}].text"), &n.text, MAX_TEXT);
    }

    if case.audience.scope == AudienceScope::Bilateral
        && !case
            .audience
            .countries
            .iter()
            .any(|c| *c != case.owner.country)
    {
        v.push(Issue::new(
            Severity::Error,
            "audience.countries",
            "val-bilateral-countries",
        ));
    }
    if case.audience.scope == AudienceScope::Regional {
        for c in &case.audience.countries {
            if c.is_participating() || !c.is_member() {
                v.push(
                    Issue::new(
                        Severity::Error,
                        "audience.countries",
                        "val-regional-observers",
                    )
                    .arg("country", c.to_string()),
                );
            }
        }
    }
    v
}

/// The fields the field's standards add (HTCDS, CTDC, the Smuggling
/// Protocol): each said where it belongs.
fn standard_fields(v: &mut Vec<Issue>, case: &Case) {
    let st = &case.standard;
    if !st.sexual_exploitation.is_empty() && !case.purposes.contains(&Purpose::SexualExploitation) {
        v.push(Issue::new(
            Severity::Warning,
            "standard.sexual_exploitation",
            "val-sex-exploitation-purpose",
        ));
    }
    if let Some(by) = &st.trafficking_status_by {
        text(v, "standard.trafficking_status_by", by, MAX_SHORT);
        if st.trafficking_status.is_none() && !by.trim().is_empty() {
            v.push(Issue::new(
                Severity::Error,
                "standard.trafficking_status",
                "val-trafficking-status-missing",
            ));
        }
    }
    let smuggling = matches!(
        case.classification,
        Classification::Smuggling | Classification::Both
    );
    let elements = st.smuggling.unwrap_or_default();
    if smuggling && !(elements.material_benefit && elements.illegal_entry) {
        v.push(Issue::new(
            Severity::Warning,
            "standard.smuggling",
            "val-smuggling-elements",
        ));
    }
    for (i, p) in case.persons.iter().enumerate() {
        if !p.process_roles.is_empty() && p.role != PersonRole::Suspect {
            v.push(Issue::new(
                Severity::Error,
                format!("persons[{i}].process_roles"),
                "val-process-roles-suspect",
            ));
        }
    }
}

/// A grant as an official gives it: a reason, a last day not before
/// today, another country of the region (participating or observer).
pub fn validate_grant(
    g: &crate::person::Grant,
    owner: &CountryCode,
    today: NaiveDate,
) -> Vec<Issue> {
    let mut v = vec![];
    if g.reason.trim().is_empty() {
        v.push(Issue::new(
            Severity::Error,
            "grant.reason",
            "val-text-required",
        ));
    }
    text(&mut v, "grant.reason", &g.reason, MAX_TEXT);
    if g.until < today {
        v.push(
            Issue::new(Severity::Error, "grant.until", "val-grant-until-past").arg("date", g.until),
        );
    }
    if g.until > today + chrono::Days::new(crate::person::MAX_GRANT_DAYS) {
        v.push(
            Issue::new(Severity::Error, "grant.until", "val-grant-until-far")
                .arg("date", g.until)
                .arg("days", crate::person::MAX_GRANT_DAYS),
        );
    }
    if g.country == *owner {
        v.push(Issue::new(
            Severity::Error,
            "grant.country",
            "val-grant-own-country",
        ));
    }
    if !g.country.is_member() {
        v.push(
            Issue::new(Severity::Error, "grant.country", "val-grant-country")
                .arg("country", &g.country),
        );
    }
    v
}

/// Validates the identifying part of a person (paths under `identity.`).
pub fn validate_identity(id: &crate::person::Identity, today: NaiveDate) -> Vec<Issue> {
    let mut v = vec![];
    for (path, value) in [
        ("identity.given_names", &id.given_names),
        ("identity.first_surname", &id.first_surname),
    ] {
        if value.trim().is_empty() {
            v.push(Issue::new(Severity::Error, path, "val-text-required"));
        }
        text(&mut v, path, value, MAX_SHORT);
    }
    if let Some(s) = &id.second_surname {
        text(&mut v, "identity.second_surname", s, MAX_SHORT);
    }
    for (i, a) in id.aliases.iter().enumerate() {
        text(&mut v, &format!("identity.aliases[{i}]"), a, MAX_SHORT);
    }
    if let Some(d) = id.date_of_birth
        && d > today
    {
        v.push(
            Issue::new(Severity::Error, "identity.date_of_birth", "val-date-future").arg("date", d),
        );
    }
    for (i, d) in id.documents.iter().enumerate() {
        let p = format!("identity.documents[{i}].number");
        if d.number.trim().is_empty() {
            v.push(Issue::new(Severity::Error, p.clone(), "val-text-required"));
        }
        text(&mut v, &p, &d.number, 100);
    }
    for (path, value) in [
        ("identity.contact", &id.contact),
        ("identity.address", &id.address),
        ("identity.consent.scope", &id.consent.scope),
    ] {
        if let Some(value) = value {
            text(&mut v, path, value, MAX_SHORT);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;
    use chrono::NaiveDate;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn case() -> Case {
        let gt = CountryCode::parse("GT").expect("GT");
        Case {
            id: CaseId::new(),
            reference: "GT-2026-0001".into(),
            former_references: vec![],
            title: "Captación en Tecún Umán".into(),
            summary: String::new(),
            classification: Classification::Trafficking,
            classification_history: vec![],
            status: CaseStatus::Reported,
            status_history: vec![],
            opened: date("2026-03-01"),
            acts: vec![Act::Recruitment],
            means: vec![Means::Deception],
            purposes: vec![Purpose::SexualExploitation],
            child_involved: false,
            route: vec![],
            persons: vec![],
            indicators: vec![],
            information: vec![],
            links: vec![],
            requests: vec![],
            request_answers: vec![],
            joint_operations: vec![],
            notes: vec![],
            standard: StandardFields::default(),
            owner: Owner {
                country: gt,
                node: "abc".into(),
            },
            audience: Audience::regional(),
            demo: false,
        }
    }

    fn codes(c: &Case) -> Vec<String> {
        validate_case(c, date("2026-11-27"))
            .into_iter()
            .map(|i| i.code)
            .collect()
    }

    #[test]
    fn a_complete_case_is_valid() {
        assert!(codes(&case()).is_empty());
    }

    #[test]
    fn adult_trafficking_without_means_is_flagged_but_a_child_case_is_not() {
        let mut c = case();
        c.means.clear();
        assert_eq!(codes(&c), vec!["val-means-required-adult"]);
        let issues = validate_case(&c, date("2026-11-27"));
        assert_eq!(issues[0].severity, Severity::Warning);
        assert!(issues[0].message(Lang::Es).contains("medio"));
        assert!(issues[0].message(Lang::En).contains("means"));
        c.persons.push(CasePerson {
            id: String::new(),
            pseudonym: "V1".into(),
            role: PersonRole::Victim,
            gender: Gender::Female,
            age_band: Some(AgeBand::A9To17),
            minor_at_exploitation: None,
            nationality: None,
            person_ref: None,
            process_roles: vec![],
        });
        assert!(codes(&c).is_empty());
        c.classification = Classification::Smuggling;
        c.persons.clear();
        assert_eq!(codes(&c), vec!["val-smuggling-elements"]);
        c.standard.smuggling = Some(SmugglingElements {
            material_benefit: true,
            illegal_entry: true,
        });
        assert!(codes(&c).is_empty());
    }

    #[test]
    fn the_standards_fields_are_said_where_they_belong() {
        use crate::enums::{PerpetratorRole, SexualExploitationType, TraffickingStatus};
        let suspect = |role: PersonRole, roles: Vec<PerpetratorRole>| CasePerson {
            id: String::new(),
            pseudonym: "S1".into(),
            role,
            gender: Gender::Male,
            age_band: None,
            minor_at_exploitation: None,
            nationality: None,
            person_ref: None,
            process_roles: roles,
        };
        // (what is set, the codes expected)
        type Edit = fn(&mut Case);
        let rows: &[(&str, Edit, &[&str])] = &[
            ("nothing new", |_| {}, &[]),
            (
                "a type of sexual exploitation without the purpose",
                |c| {
                    c.purposes = vec![Purpose::ForcedLabour];
                    c.standard.sexual_exploitation = vec![SexualExploitationType::Pornography];
                },
                &["val-sex-exploitation-purpose"],
            ),
            (
                "with the purpose",
                |c| {
                    c.purposes = vec![Purpose::SexualExploitation];
                    c.standard.sexual_exploitation = vec![SexualExploitationType::Prostitution];
                },
                &[],
            ),
            (
                "who decided without what",
                |c| c.standard.trafficking_status_by = Some("OIM Guatemala".into()),
                &["val-trafficking-status-missing"],
            ),
            (
                "who decided and what",
                |c| {
                    c.standard.trafficking_status = Some(TraffickingStatus::Actual);
                    c.standard.trafficking_status_by = Some("OIM Guatemala".into());
                },
                &[],
            ),
            (
                "both crimes, one element",
                |c| {
                    c.classification = Classification::Both;
                    c.standard.smuggling = Some(SmugglingElements {
                        material_benefit: true,
                        illegal_entry: false,
                    });
                },
                &["val-smuggling-elements"],
            ),
            (
                "the new purposes",
                |c| c.purposes = vec![Purpose::ForcedMarriage, Purpose::ForcedMilitaryService],
                &[],
            ),
        ];
        for (what, edit, expect) in rows {
            let mut c = case();
            edit(&mut c);
            assert_eq!(codes(&c), expect.to_vec(), "{what}");
        }
        let mut c = case();
        c.persons.push(suspect(
            PersonRole::Suspect,
            vec![PerpetratorRole::Recruiter],
        ));
        assert!(codes(&c).is_empty());
        c.persons[0] = suspect(PersonRole::Witness, vec![PerpetratorRole::Transporter]);
        assert_eq!(codes(&c), vec!["val-process-roles-suspect"]);
        let issue = validate_case(&c, date("2026-11-27"))
            .into_iter()
            .find(|i| i.code == "val-process-roles-suspect")
            .expect("issue");
        assert_eq!(issue.path, "persons[0].process_roles");
        for lang in [Lang::Es, Lang::En] {
            for code in [
                "val-sex-exploitation-purpose",
                "val-trafficking-status-missing",
                "val-smuggling-elements",
                "val-process-roles-suspect",
            ] {
                let m = Issue::new(Severity::Warning, "x", code).message(lang);
                assert!(!m.contains(code), "{lang:?} {code}: {m}");
            }
        }
    }

    #[test]
    fn route_stops_must_be_in_date_order() {
        let mut c = case();
        let stop = |cc: &str, role, from: &str| RouteStop {
            id: String::new(),
            country: CountryCode::parse(cc).expect("cc"),
            place: String::new(),
            role,
            from: Some(date(from)),
            to: None,
        };
        c.route = vec![
            stop("HN", RouteRole::Origin, "2026-01-03"),
            stop("GT", RouteRole::Transit, "2026-01-02"),
        ];
        assert_eq!(codes(&c), vec!["val-route-order"]);
        let issues = validate_case(&c, date("2026-11-27"));
        assert_eq!(issues[0].path, "route[1].from");
        c.route[1].from = Some(date("2026-01-05"));
        c.route[1].to = Some(date("2026-01-04"));
        assert_eq!(codes(&c), vec!["val-dates-reversed"]);
    }

    #[test]
    fn long_text_and_future_dates_are_errors() {
        let mut c = case();
        c.summary = "x".repeat(MAX_TEXT + 1);
        c.opened = date("2027-06-01");
        let mut got = codes(&c);
        got.sort();
        assert_eq!(got, vec!["val-date-future", "val-too-long"]);
        assert!(has_errors(&validate_case(&c, date("2026-11-27"))));
    }

    #[test]
    fn other_rules() {
        let mut c = case();
        c.title = "  ".into();
        c.audience = Audience {
            scope: AudienceScope::Bilateral,
            countries: vec![],
        };
        c.links.push(CaseLink {
            id: String::new(),
            reference: "HN-26-1".into(),
            relation: LinkRelation::SameNetwork,
            note: None,
        });
        let mut got = codes(&c);
        got.sort();
        assert_eq!(
            got,
            vec![
                "val-bilateral-countries",
                "val-link-reference",
                "val-title-required"
            ]
        );
    }

    #[test]
    fn a_regional_audience_names_only_observers() {
        let mut c = case();
        let cc = |s: &str| CountryCode::parse(s).expect("code");
        c.audience = Audience {
            scope: AudienceScope::Regional,
            countries: vec![cc("US")],
        };
        assert!(codes(&c).is_empty());
        assert!(c.audience.admits(&c.owner.country, &cc("US")));
        assert!(!c.audience.admits(&c.owner.country, &cc("CA")));
        c.audience.countries = vec![cc("HN"), cc("FR")];
        assert_eq!(
            codes(&c),
            vec!["val-regional-observers", "val-regional-observers"]
        );
        // Plain "regional": the seven participating states, no observer.
        c.audience = Audience::regional();
        assert!(c.audience.admits(&c.owner.country, &cc("PA")));
        assert!(!c.audience.admits(&c.owner.country, &cc("US")));
    }

    #[test]
    fn every_validation_code_has_both_languages() {
        for code in [
            "val-regional-observers",
            "val-title-required",
            "val-too-long",
            "val-date-future",
            "val-owner-country",
            "val-means-required-adult",
            "val-acts-missing",
            "val-purposes-missing",
            "val-dates-reversed",
            "val-route-order",
            "val-pseudonym-required",
            "val-minor-inconsistent",
            "val-text-required",
            "val-handling-note-required",
            "val-link-reference",
            "val-link-self",
            "val-request-same-country",
            "val-operation-countries",
            "val-bilateral-countries",
        ] {
            for lang in Lang::ALL {
                assert!(crate::i18n::has(lang, code), "{code} {lang:?}");
            }
        }
    }

    #[test]
    fn an_identity_needs_a_name_and_a_past_birth_date() {
        let today = date("2026-11-27");
        let mut id = crate::person::Identity {
            given_names: "María de los Ángeles".into(),
            first_surname: "Güity".into(),
            ..Default::default()
        };
        assert!(validate_identity(&id, today).is_empty());
        id.first_surname = "  ".into();
        id.date_of_birth = Some(date("2027-01-01"));
        id.aliases = vec!["x".repeat(MAX_SHORT + 1)];
        let paths: Vec<_> = validate_identity(&id, today)
            .into_iter()
            .map(|i| (i.path, i.code))
            .collect();
        assert!(paths.contains(&("identity.first_surname".into(), "val-text-required".into())));
        assert!(paths.contains(&("identity.date_of_birth".into(), "val-date-future".into())));
        assert!(paths.contains(&("identity.aliases[0]".into(), "val-too-long".into())));
    }

    #[test]
    fn two_persons_cannot_share_a_pseudonym() {
        let mut c = case();
        let p = |name: &str| CasePerson {
            id: String::new(),
            pseudonym: name.into(),
            role: PersonRole::Victim,
            gender: Gender::Female,
            age_band: None,
            minor_at_exploitation: None,
            nationality: None,
            person_ref: None,
            process_roles: vec![],
        };
        c.persons = vec![p("V1"), p("V2"), p(" V1 ")];
        let issues = validate_case(&c, date("2026-11-27"));
        let dup: Vec<_> = issues
            .iter()
            .filter(|i| i.code == "val-pseudonym-duplicate")
            .map(|i| i.path.as_str())
            .collect();
        assert_eq!(dup, vec!["persons[2].pseudonym"]);
    }
}
