//! The case list: demonstration data, filters, sorts, reindex, export.

use super::*;

#[test]
fn demo_data_reindex_and_export() {
    let (d, mut app) = app();
    let mut calls = 0;
    let s = app.load_demo(&mut |_, _| calls += 1).expect("demo");
    assert!(s.loaded);
    assert!(s.cases >= 40, "{}", s.cases);
    assert!(calls as u64 > s.cases);
    let again = app.load_demo(&mut |_, _| {}).expect("demo twice");
    assert!(!again.loaded);
    // The demonstration directory has fictional agencies in every
    // participating country, and a few victims are assessed: one review
    // overdue, one due this week, one referral.
    assert!(s.agencies >= 14, "{}", s.agencies);
    for cc in ["MX", "GT", "HN", "SV", "NI", "CR", "PA"] {
        let here = app
            .agencies(&crate::AgencyFilter {
                country: Some(cc.into()),
                ..Default::default()
            })
            .expect("directory");
        assert!(!here.is_empty(), "{cc}");
        assert!(
            here.iter()
                .all(|a| a.demo && (a.name.contains("ficti") || a.name.contains("demostración"))),
            "{cc}"
        );
        assert!(here.iter().any(|a| a.focal_point), "{cc} has a focal point");
    }
    assert_eq!(s.risks, 4);
    let due = app.risks_due(0).expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].days_overdue, 5);
    assert_eq!(app.risks_due(7).expect("due").len(), 2);
    assert_eq!(app.referrals_all().expect("referrals").len(), 1);
    assert_eq!(again.risks + again.agencies, 0);
    // Links between demo cases point at cases that exist.
    let mut links = 0;
    for c in &app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .expect("list")
        .items
    {
        for l in app.case(&c.id).expect("case").case.links {
            app.case(&l.reference).expect("linked case exists");
            links += 1;
        }
    }
    assert!(links > 0, "the demo has linked cases");

    let all = app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(all.total, s.cases);
    let owners: std::collections::BTreeSet<_> =
        all.items.iter().map(|c| c.owner_country.clone()).collect();
    assert_eq!(owners.len(), 7, "{owners:?}");
    let classes: std::collections::BTreeSet<_> =
        all.items.iter().map(|c| c.classification).collect();
    assert!(
        classes.contains(&Classification::Trafficking)
            && classes.contains(&Classification::Smuggling)
    );
    let hits = app
        .list_cases(&CaseFilter {
            query: Some("nunez".into()),
            ..Default::default()
        })
        .expect("q");
    assert_eq!(hits.total, 1);
    assert!(hits.items[0].reference.starts_with("GT-"));
    let hits = app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..Default::default()
        })
        .expect("q");
    assert_eq!(hits.total, 1);

    // Sorting by title ignores accents.
    let by_title = app
        .list_cases(&CaseFilter {
            sort: Some(SortField::Title),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("list");
    let keys: Vec<String> = by_title
        .items
        .iter()
        .map(|c| text::fold(&c.title))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // Filters.
    let hn = app
        .list_cases(&CaseFilter {
            country: Some("hn".into()),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("q");
    assert!(hn.total > 0 && hn.total < s.cases);
    assert!(
        hn.items
            .iter()
            .all(|c| c.owner_country == "HN" || c.route.iter().any(|p| p.country == "HN"))
    );
    let smug = app
        .list_cases(&CaseFilter {
            classification: Some(Classification::Smuggling),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("q");
    assert!(
        smug.items
            .iter()
            .all(|c| c.classification == Classification::Smuggling)
    );

    // Reindex rebuilds the same list.
    let before = app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            sort: Some(SortField::Reference),
            ..Default::default()
        })
        .expect("l");
    let n = app.reindex(&mut |_, _| {}).expect("reindex");
    assert_eq!(n, s.cases);
    let after = app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            sort: Some(SortField::Reference),
            ..Default::default()
        })
        .expect("l");
    assert_eq!(before.items, after.items);
    assert_eq!(
        app.list_cases(&CaseFilter {
            query: Some("nunez".into()),
            ..Default::default()
        })
        .expect("q")
        .total,
        1
    );

    let out = d.path().join("export.json");
    let n = app.export(&out, &mut |_, _| {}).expect("export");
    assert_eq!(n, s.cases);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(v["cases"].as_array().map(Vec::len), Some(s.cases as usize));
    assert_eq!(v["export"]["format"], "enlace-export");
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(
        !text.contains("Núñez"),
        "identifying data must not be exported"
    );
    let audit = app.store().read().audit_log().expect("audit");
    assert_eq!(audit.last().map(|a| a.action.as_str()), Some("export"));

    // An export into a missing folder fails cleanly and leaves nothing.
    let bad = d.path().join("no-such-dir").join("x.json");
    let e = app.export(&bad, &mut |_, _| {}).expect_err("missing dir");
    assert_eq!(e.code(), ErrorCode::Storage);
}

/// A case as the reference model of the case list sees it: the values the
/// filters and orders are defined on, read from the document itself.
struct Model {
    id: String,
    reference: String,
    title: String,
    status: CaseStatus,
    classification: Classification,
    owner: String,
    opened: chrono::NaiveDate,
    stops: Vec<(String, RouteRole)>,
    purposes: Vec<Purpose>,
    means: Vec<Means>,
}

impl Model {
    fn of(case: &Case) -> Model {
        Model {
            id: case.id.to_string(),
            reference: case.reference.clone(),
            title: case.title.clone(),
            status: case.status,
            classification: case.classification,
            owner: case.owner.country.to_string(),
            opened: case.opened,
            stops: case
                .route
                .iter()
                .map(|s| (s.country.to_string(), s.role))
                .collect(),
            purposes: case.purposes.clone(),
            means: case.means.clone(),
        }
    }

    /// What the filter means, written out: every criterion given holds.
    fn matches(&self, f: &CaseFilter) -> bool {
        let country = f.country.as_deref().map(str::to_uppercase);
        let place = match (&country, f.role) {
            (Some(c), Some(r)) => self.stops.iter().any(|(sc, sr)| sc == c && *sr == r),
            (Some(c), None) => self.owner == *c || self.stops.iter().any(|(sc, _)| sc == c),
            (None, Some(r)) => self.stops.iter().any(|(_, sr)| *sr == r),
            (None, None) => true,
        };
        place
            && f.status.is_none_or(|s| self.status == s)
            && f.classification.is_none_or(|c| self.classification == c)
            && f.purpose.is_none_or(|p| self.purposes.contains(&p))
            && f.means.is_none_or(|m| self.means.contains(&m))
            && f.opened_from.is_none_or(|d| self.opened >= d)
            && f.opened_to.is_none_or(|d| self.opened <= d)
            && f.owner
                .as_deref()
                .is_none_or(|o| self.owner == o.to_uppercase())
    }
}

/// A deterministic stream of choices (xorshift64*).
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn maybe<T: Copy>(&mut self, percent: u64, from: &[T]) -> Option<T> {
        (self.next() % 100 < percent).then(|| from[(self.next() % from.len() as u64) as usize])
    }
}

fn listed(app: &App, f: &CaseFilter) -> (u64, Vec<String>) {
    let l = app
        .list_cases(&CaseFilter {
            limit: Some(1000),
            ..f.clone()
        })
        .expect("list");
    (l.total, l.items.into_iter().map(|c| c.id).collect())
}

#[test]
fn the_case_list_agrees_with_a_reference_model_for_every_filter_order_and_page() {
    let (d, mut app) = app();
    app.load_demo(&mut |_, _| {}).expect("demo");
    app.import_cases((0..120).map(crate::synthetic).collect())
        .expect("import");
    let (total, ids) = listed(&app, &CaseFilter::default());
    let models: Vec<Model> = ids
        .iter()
        .map(|id| Model::of(&app.case(id).expect("case").case))
        .collect();
    assert_eq!(total as usize, models.len());
    assert!(models.len() > 150, "{}", models.len());

    // Filters: every criterion alone, then a few hundred combinations,
    // each compared with the model as a set (in reference order).
    let countries = ["GT", "mx", "HN", "SV", "NI", "CR", "PA", "US", "BZ"];
    let days: Vec<chrono::NaiveDate> = (0..14)
        .filter_map(|m| chrono::NaiveDate::from_ymd_opt(2025 + m / 12, (m % 12 + 1) as u32, 1))
        .collect();
    let mut filters: Vec<CaseFilter> = vec![];
    for s in CaseStatus::all() {
        filters.push(CaseFilter {
            status: Some(*s),
            ..Default::default()
        });
    }
    for c in Classification::all() {
        filters.push(CaseFilter {
            classification: Some(*c),
            ..Default::default()
        });
    }
    for r in RouteRole::all() {
        filters.push(CaseFilter {
            role: Some(*r),
            ..Default::default()
        });
    }
    for p in Purpose::all() {
        filters.push(CaseFilter {
            purpose: Some(*p),
            ..Default::default()
        });
    }
    for m in Means::all() {
        filters.push(CaseFilter {
            means: Some(*m),
            ..Default::default()
        });
    }
    for c in countries {
        filters.push(CaseFilter {
            country: Some(c.into()),
            ..Default::default()
        });
        filters.push(CaseFilter {
            owner: Some(c.into()),
            ..Default::default()
        });
    }
    let mut pick = Choices(0x5EED_0FF1_17E2_5ACE);
    for _ in 0..400 {
        let from = pick.maybe(25, &days);
        filters.push(CaseFilter {
            status: pick.maybe(25, CaseStatus::all()),
            classification: pick.maybe(25, Classification::all()),
            country: pick.maybe(35, &countries).map(str::to_owned),
            role: pick.maybe(30, RouteRole::all()),
            purpose: pick.maybe(25, Purpose::all()),
            means: pick.maybe(20, Means::all()),
            opened_from: from,
            opened_to: pick
                .maybe(25, &days)
                .filter(|to| from.is_none_or(|f| f <= *to)),
            owner: pick.maybe(20, &countries).map(str::to_owned),
            sort: Some(SortField::Reference),
            ..Default::default()
        });
    }
    let (mut some, mut none) = (0, 0);
    for f in &filters {
        let f = CaseFilter {
            sort: Some(SortField::Reference),
            descending: Some(false),
            ..f.clone()
        };
        let mut expected: Vec<&Model> = models.iter().filter(|m| m.matches(&f)).collect();
        expected.sort_by(|a, b| a.reference.cmp(&b.reference));
        let expected: Vec<String> = expected.into_iter().map(|m| m.id.clone()).collect();
        let (n, got) = listed(&app, &f);
        assert_eq!(got, expected, "{f:?}");
        assert_eq!(n as usize, expected.len(), "{f:?}");
        if expected.is_empty() {
            none += 1;
        } else if expected.len() < models.len() {
            some += 1;
        }
    }
    // The filters tried both narrow the list and empty it.
    assert!(
        some > filters.len() / 3 && none > 10,
        "{some} narrowed, {none} empty"
    );

    // Orders: each column, both ways, against the model's keys (ties are
    // broken by the store; a key never goes backwards).
    type Key = fn(&Model) -> String;
    let keys: [(SortField, Key); 6] = [
        (SortField::Reference, |m| m.reference.clone()),
        (SortField::Title, |m| text::sort_key(&m.title)),
        (SortField::Opened, |m| {
            format!("{} {}", m.opened, m.reference)
        }),
        (SortField::Status, |m| m.status.to_string()),
        (SortField::Classification, |m| m.classification.to_string()),
        (SortField::Owner, |m| m.owner.clone()),
    ];
    let by_id: std::collections::HashMap<&str, &Model> =
        models.iter().map(|m| (m.id.as_str(), m)).collect();
    for (field, key) in keys {
        for descending in [false, true] {
            let f = CaseFilter {
                sort: Some(field),
                descending: Some(descending),
                ..Default::default()
            };
            let (_, got) = listed(&app, &f);
            let got: Vec<String> = got.iter().map(|id| key(by_id[id.as_str()])).collect();
            let mut sorted = got.clone();
            sorted.sort();
            if descending {
                sorted.reverse();
            }
            assert_eq!(got, sorted, "{field:?} descending={descending}");
            // Pages of 7 put together are the whole list.
            let (_, whole) = listed(&app, &f);
            let mut paged = vec![];
            for offset in (0..whole.len()).step_by(7) {
                let page = app
                    .list_cases(&CaseFilter {
                        limit: Some(7),
                        offset: Some(offset as u32),
                        ..f.clone()
                    })
                    .expect("page");
                paged.extend(page.items.into_iter().map(|c| c.id));
            }
            assert_eq!(paged, whole, "{field:?} paged");
        }
    }

    // A database whose derived tables a migration emptied is reindexed on
    // open, and answers as before.
    let sexual = CaseFilter {
        purpose: Some(Purpose::SexualExploitation),
        ..Default::default()
    };
    let before = listed(&app, &sexual);
    app.store
        .write(|tx| {
            tx.clear_indexes()?;
            tx.schedule_maintenance("reindex")
        })
        .expect("clear");
    assert_eq!(listed(&app, &CaseFilter::default()).0, 0);
    drop(app);
    let app = App::open(&d.path().join("d"), "frase de acceso larga").expect("reopen");
    assert_eq!(listed(&app, &sexual), before, "the tags are back");
    assert!(app.store.read().maintenance().expect("tasks").is_empty());
}
