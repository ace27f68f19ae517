use super::*;
use chrono::{Datelike, Utc};
use enlace_docs::Document;
use enlace_domain::input::CaseInput;
use enlace_domain::*;
use serde_json::json;

fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::init(
        &dir.path().join("d"),
        "frase de acceso larga",
        "GT",
        "Paso Tecún Umán",
    )
    .expect("init");
    (dir, app)
}

fn input(v: serde_json::Value) -> CaseInput {
    serde_json::from_value(v).expect("input")
}

#[test]
fn init_validates_its_arguments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("x");
    assert!(matches!(
        App::init(&d, "frase de acceso", "XX", "n"),
        Err(CoreError::Country(_))
    ));
    assert!(matches!(
        App::init(&d, "frase de acceso", "GT", "  "),
        Err(CoreError::NodeName)
    ));
    assert!(matches!(
        App::init(&d, "corta", "GT", "n"),
        Err(CoreError::PassphraseTooShort { .. })
    ));
    assert!(!is_initialised(&d), "failed init leaves no database");
    let a = App::init(&d, "frase de acceso", "gt", "Nodo").expect("init");
    let info = a.node_info();
    assert_eq!(info.country, "GT");
    assert_eq!(info.public_key.len(), 64);
    assert!(info.public_key.starts_with(&info.node_id));
    drop(a);
    let e = App::init(&d, "frase de acceso", "GT", "Nodo").expect_err("exists");
    assert_eq!(e.code(), ErrorCode::AlreadyInitialised);
    let e = App::open(&d, "otra frase").expect_err("wrong");
    assert_eq!(e.code(), ErrorCode::WrongPassphrase);
    assert!(e.message(Lang::Es).contains("frase de acceso"));
    let b = App::open(&d, "frase de acceso").expect("open");
    assert_eq!(
        b.node_info().public_key,
        info.public_key,
        "identity persists"
    );
}

#[test]
fn create_show_update_history() {
    let (_d, mut app) = app();
    let saved = app
        .create_case(input(json!({
            "title": "Captación en Tecún Umán",
            "summary": "Víctima captada con engaños.",
            "classification": "trafficking",
            "acts": ["recruitment", "transportation"],
            "means": ["deception"],
            "purposes": ["sexual_exploitation"],
            "route": [
                {"country": "HN", "role": "origin", "place": "San Pedro Sula", "from": "2026-01-03"},
                {"country": "GT", "role": "transit", "place": "Tecún Umán", "from": "2026-01-05"},
                {"country": "MX", "role": "exploitation", "place": "Tapachula", "from": "2026-01-07"}
            ],
            "persons": [
                {"role": "victim", "gender": "male", "age_band": "21-23",
                 "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}},
                {"role": "suspect"}
            ],
            "notes": ["Primera nota"]
        })))
        .expect("create");
    let year = Utc::now().year();
    assert_eq!(saved.reference, format!("GT-{year}-0001"));
    assert!(saved.issues.is_empty(), "{:?}", saved.issues);

    let view = app.case(&saved.reference).expect("show by reference");
    app.case(&saved.reference.to_lowercase())
        .expect("references are case-insensitive");
    assert_eq!(view.case.persons[0].pseudonym, "V1");
    assert_eq!(view.case.persons[1].pseudonym, "S1");
    assert_eq!(view.identities.len(), 1);
    assert_eq!(view.identities[0].full_name, "José Núñez Ávila");
    // The case document never holds the name.
    let case_json = serde_json::to_string(&view.case).expect("json");
    assert!(!case_json.contains("Núñez"));
    // Viewing an identity is audited.
    let audit = app.store().read().audit_log().expect("audit");
    assert_eq!(audit.len(), 2, "two views, two entries");
    assert!(audit.iter().all(|a| a.action == "person.view"));

    // Search by the person's name, without accents.
    for q in [
        "nunez",
        "NÚÑEZ avila",
        "tecun",
        "honduras",
        &saved.reference,
    ] {
        let list = app
            .list_cases(&CaseFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .expect("list");
        assert_eq!(list.total, 1, "query {q}");
    }
    let list = app.list_cases(&CaseFilter::default()).expect("list");
    let route: Vec<_> = list.items[0]
        .route
        .iter()
        .map(|p| p.country.as_str())
        .collect();
    assert_eq!(route, vec!["HN", "GT", "MX"]);

    let upd = app
        .update_case(&saved.id, &json!({"status": "under_investigation", "classification": "both", "summary": "Actualizado"}))
        .expect("update");
    let mut changed = upd.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        vec![
            "classification",
            "classification_history",
            "status",
            "status_history",
            "summary"
        ]
    );
    let view = app.case(&saved.id).expect("show");
    assert_eq!(view.case.classification_history.len(), 2);
    assert_eq!(view.case.status_history.len(), 2);
    let h = app.history(&saved.reference).expect("history");
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].action, "create");
    assert_eq!(h[1].action, "update");
    assert!(h[1].fields.contains(&"summary".to_owned()));
    assert_eq!(h[1].actor, view_actor(&app));

    // The same patch again changes nothing.
    let again = app
        .update_case(&saved.id, &json!({"summary": "Actualizado"}))
        .expect("noop");
    assert!(again.changed.is_empty());
    assert_eq!(app.history(&saved.id).expect("history").len(), 2);

    app.add_note(&saved.reference, "Segunda nota")
        .expect("note");
    let view = app.case(&saved.reference).expect("show");
    assert_eq!(view.case.notes.len(), 2);
}

fn view_actor(app: &App) -> String {
    app.node_info().public_key
}

#[test]
fn invalid_input_is_refused_and_nothing_is_written() {
    let (_d, mut app) = app();
    let err = app
        .create_case(input(json!({
            "title": "Ruta desordenada",
            "route": [
                {"country": "HN", "role": "origin", "from": "2026-02-03"},
                {"country": "GT", "role": "transit", "from": "2026-01-05"}
            ]
        })))
        .expect_err("invalid");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.message(Lang::Es).contains("route[1].from"),
        "{}",
        err.message(Lang::Es)
    );
    assert_eq!(
        app.store().read().count_docs(DocKind::Case).expect("count"),
        0
    );
    assert_eq!(app.store().read().change_log_stats().expect("stats").0, 0);
    // The reference was not consumed.
    let ok = app
        .create_case(input(json!({"title": "Bien"})))
        .expect("create");
    assert!(ok.reference.ends_with("-0001"), "{}", ok.reference);

    for (patch, field) in [
        (json!({"reference": "GT-2026-0999"}), "reference"),
        (json!({"notes": []}), "notes"),
        (json!({"id": "x"}), "id"),
    ] {
        match app.update_case(&ok.id, &patch) {
            Err(CoreError::Patch { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected a patch error, got {other:?}"),
        }
    }
    let e = app
        .update_case(&ok.id, &json!({"means": ["bribery"]}))
        .expect_err("bad enum");
    assert!(
        e.message(Lang::En).contains("means[0]"),
        "{}",
        e.message(Lang::En)
    );
    let e = app
        .update_case(&ok.id, &json!({"title": "x".repeat(1_000_000)}))
        .expect_err("too long");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert_eq!(
        app.history(&ok.id).expect("h").len(),
        1,
        "nothing was written"
    );
    let e = app.case("GT-2026-9999").expect_err("missing");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let e = app.case("no es una referencia").expect_err("missing");
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[test]
fn adult_trafficking_without_means_is_saved_with_a_warning() {
    let (_d, mut app) = app();
    let saved = app
        .create_case(input(
            json!({"title": "Sin medios", "classification": "trafficking",
            "acts": ["recruitment"], "purposes": ["forced_labour"]}),
        ))
        .expect("create");
    assert_eq!(saved.issues.len(), 1);
    assert_eq!(saved.issues[0].code, "val-means-required-adult");
    let list = app.list_cases(&CaseFilter::default()).expect("list");
    assert_eq!(list.items[0].warnings, 1);
}

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

#[test]
fn every_change_is_logged_and_signed_by_this_node() {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let (_d, mut app) = app();
    let saved = app
        .create_case(input(json!({"title": "Uno"})))
        .expect("create");
    app.update_case(&saved.id, &json!({"summary": "dos"}))
        .expect("update");
    let (n, max) = app.store().read().change_log_stats().expect("stats");
    assert_eq!(n, 2);
    assert!(max >= 2);
    let key_bytes: [u8; 32] = hex::decode(app.node_info().public_key)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let key = VerifyingKey::from_bytes(&key_bytes).expect("key");
    let history = app.history(&saved.id).expect("history");
    let entries = app.store().read().change_signatures().expect("entries");
    assert_eq!(entries.len(), 2);
    for (hash, sig) in entries {
        let hash_bytes = hex::decode(&hash).expect("hex");
        let sig = Signature::from_slice(&sig).expect("sig");
        key.verify(&hash_bytes, &sig).expect("valid signature");
        assert!(history.iter().any(|h| h.hash == hash));
    }
}

/// Copies every change of document `id` from `src` into `dst` (what sync
/// will do), keeping `dst`'s own changes.
fn merge_doc(src: &App, dst: &mut App, id: &str) {
    let row = src.store.read().doc(id).expect("read").expect("in src");
    let mut from = Document::load(&row.bytes, src.node.actor.clone()).expect("load src");
    let changes: Vec<Vec<u8>> = from
        .inner()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let existing = dst.store.read().doc(id).expect("read dst");
    let mut to = match &existing {
        Some(r) => Document::load(&r.bytes, dst.node.actor.clone()).expect("load dst"),
        None => Document::new(dst.node.actor.clone()),
    };
    to.apply(&changes).expect("apply");
    let row = enlace_store::DocRow {
        bytes: to.save(),
        heads: serde_json::to_string(&to.heads()).expect("heads"),
        ..row
    };
    dst.store.write(|tx| tx.put_doc(&row)).expect("put");
}

#[test]
fn legal_assessment_round_trip_history_and_ownership() {
    let (_d, mut app) = app();
    // Nothing stored yet: the own country gets a fresh, editable view.
    let fresh = app.legal_assessment("GT").expect("fresh");
    assert!(!fresh.stored && fresh.editable);
    assert_eq!(fresh.tally.not_assessed, 45);
    assert!(matches!(
        app.legal_assessment("HN"),
        Err(CoreError::NoAssessment { .. })
    ));

    let saved = app
        .update_legal_item(
            "GT",
            "tip-05",
            &json!({
                "status": "partially_compliant",
                "provisions": [{"law": "Código Penal", "article": "art. 202 Ter", "year": 2009}],
                "gap": "Exige medios para víctimas de 16 y 17 años.",
                "assessor": "Lcda. María de los Ángeles Güity"
            }),
        )
        .expect("save");
    assert_eq!(saved.changed.len(), 4, "{:?}", saved.changed);
    assert!(saved.changed.contains(&"TIP-05.status".to_owned()));
    assert_eq!(saved.tally.partially_compliant, 1);
    let v = app.legal_assessment("GT").expect("view");
    assert!(v.stored);
    let item = v.assessment.item("TIP-05");
    assert_eq!(item.provisions[0].year, Some(2009));
    assert!(item.updated_by.contains("Paso Tecún Umán"));
    assert!(item.updated_at.is_some());

    app.update_legal_item("GT", "TIP-05", &json!({"status": "compliant", "gap": ""}))
        .expect("second edit");
    // Saving the same again changes nothing.
    let same = app
        .update_legal_item("GT", "TIP-05", &json!({"status": "compliant"}))
        .expect("same");
    assert!(same.changed.is_empty());

    let h = app.legal_item_history("GT", "TIP-05").expect("history");
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].action, "create");
    let status = |e: &ItemChange| {
        e.changes
            .iter()
            .find(|c| c.field == "status")
            .map(|c| (c.before.clone(), c.after.clone()))
    };
    assert_eq!(
        status(&h[0]),
        Some((None, Some(json!("partially_compliant"))))
    );
    assert_eq!(
        status(&h[1]),
        Some((Some(json!("partially_compliant")), Some(json!("compliant"))))
    );
    assert!(
        app.legal_item_history("GT", "TIP-06")
            .expect("other")
            .is_empty()
    );

    // Bad input: named field, nothing saved.
    let before = app.legal_assessment("GT").expect("v").assessment;
    let e = app
        .update_legal_item("GT", "TIP-07", &json!({"status": "maybe"}))
        .expect_err("bad status");
    assert!(
        e.message(Lang::Es).contains("items.TIP-07.status"),
        "{}",
        e.message(Lang::Es)
    );
    let e = app
        .update_legal_item(
            "GT",
            "TIP-07",
            &json!({"provisions": [{"law": "Ley", "year": 3000}]}),
        )
        .expect_err("bad year");
    assert!(e.message(Lang::Es).contains("TIP-07.provisions[0].year"));
    assert!(matches!(
        app.update_legal_item("GT", "TIP-99", &json!({})),
        Err(CoreError::UnknownItem(_))
    ));
    assert!(matches!(
        app.update_legal_item("GT", "TIP-07", &json!({"updated_by": "x"})),
        Err(CoreError::Patch { .. })
    ));
    assert_eq!(app.legal_assessment("GT").expect("v").assessment, before);

    // Another country's assessment is read-only here.
    let e = app
        .update_legal_item("HN", "TIP-01", &json!({"status": "compliant"}))
        .expect_err("not ours");
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert!(e.message(Lang::Es).contains("Honduras"));
}

#[test]
fn concurrent_edits_of_one_item_on_two_nodes_are_shown_and_the_choice_is_recorded() {
    let (_d, mut a) = app();
    let dir_b = tempfile::tempdir().expect("tempdir");
    let mut b = App::init(
        &dir_b.path().join("b"),
        "frase de acceso larga",
        "GT",
        "Ciudad de Guatemala",
    )
    .expect("init b");
    a.update_legal_item(
        "GT",
        "TIP-05",
        &json!({"status": "not_compliant", "gap": "Falta."}),
    )
    .expect("a creates");
    let id = enlace_domain::assessment::assessment_id(&CountryCode::parse("GT").expect("GT"))
        .to_string();
    merge_doc(&a, &mut b, &id);
    assert_eq!(
        b.legal_assessment("GT")
            .expect("b sees it")
            .assessment
            .item("TIP-05")
            .gap,
        "Falta."
    );
    // Both nodes edit the same item while apart.
    a.update_legal_item("GT", "TIP-05", &json!({"status": "compliant", "gap": ""}))
        .expect("a edits");
    b.update_legal_item(
        "GT",
        "TIP-05",
        &json!({"status": "partially_compliant", "proposal": "Reformar."}),
    )
    .expect("b edits");
    merge_doc(&b, &mut a, &id);
    merge_doc(&a, &mut b, &id);
    let va = a.legal_assessment("GT").expect("a view");
    let vb = b.legal_assessment("GT").expect("b view");
    assert_eq!(va.assessment, vb.assessment, "both nodes converge");
    assert_eq!(
        va.assessment.item("TIP-05").proposal,
        "Reformar.",
        "b's other field merged"
    );
    let conflict = va
        .conflicts
        .iter()
        .find(|c| c.item == "TIP-05" && c.field == "status")
        .expect("the status conflict is shown");
    let mut values = conflict.values.clone();
    values.sort_by_key(|v| v.to_string());
    assert_eq!(
        values,
        vec![json!("compliant"), json!("partially_compliant")]
    );
    assert_eq!(
        json!(va.assessment.item("TIP-05").status),
        conflict.values[0],
        "the value shown is listed first"
    );
    // The user on A chooses the value that is not shown.
    let chosen = conflict.values[1].clone();
    let saved = a
        .choose_legal_value("GT", "TIP-05", "status", &chosen)
        .expect("choose");
    assert!(!saved.changed.is_empty());
    let after = a.legal_assessment("GT").expect("after");
    assert!(
        after
            .conflicts
            .iter()
            .all(|c| !(c.item == "TIP-05" && c.field == "status"))
    );
    assert_eq!(json!(after.assessment.item("TIP-05").status), chosen);
    merge_doc(&a, &mut b, &id);
    let vb = b.legal_assessment("GT").expect("b after");
    assert_eq!(
        json!(vb.assessment.item("TIP-05").status),
        chosen,
        "the choice travels"
    );
    assert!(vb.conflicts.is_empty());
    let h = a.legal_item_history("GT", "TIP-05").expect("history");
    let last = h.last().expect("entries");
    assert_eq!(last.action, "resolve");
}

#[test]
fn demo_assessments_matrix_csv_and_pdf() {
    let (d, mut app) = app();
    let s = app.load_demo(&mut |_, _| {}).expect("demo");
    assert_eq!(s.assessments, 7);
    assert_eq!(app.load_demo(&mut |_, _| {}).expect("again").assessments, 0);
    let m = app.legal_matrix().expect("matrix");
    assert_eq!(m.countries.len(), 7);
    assert_eq!(m.rows.len(), 45);
    assert!(m.countries.iter().all(|c| c.present && c.demo));
    let editable: Vec<&str> = m
        .countries
        .iter()
        .filter(|c| c.editable)
        .map(|c| c.country.as_str())
        .collect();
    assert_eq!(editable, vec!["GT"]);
    let statuses: std::collections::HashSet<_> = m
        .rows
        .iter()
        .flat_map(|r| r.statuses.iter().copied())
        .collect();
    assert_eq!(statuses.len(), 4, "the demo shows every status");

    let csv_path = d.path().join("legal.csv");
    let rows = app.legal_export_csv(&csv_path, Lang::Es).expect("csv");
    assert_eq!(rows, 7 * 45);
    let text = std::fs::read_to_string(&csv_path).expect("read csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("headers").clone();
    assert_eq!(&headers[2], "item");
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    assert_eq!(records.len(), 7 * 45);
    assert!(
        records
            .iter()
            .any(|x| &x[1] == "Panamá" && &x[2] == "SOM-45")
    );

    let pdf = d.path().join("matriz.pdf");
    let size = app
        .legal_matrix_pdf(&pdf, Lang::Es, Paper::A4)
        .expect("pdf");
    assert!(size > 10_000);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));
    // Exports are audited.
    let audit = app.store.read().audit_log().expect("audit");
    assert!(audit.iter().filter(|e| e.action == "export").count() >= 2);
    // An unwritable path: a clear error and no partial file.
    let bad = d.path().join("no-such-dir").join("m.pdf");
    let e = app
        .legal_matrix_pdf(&bad, Lang::Es, Paper::A4)
        .expect_err("bad path");
    assert_eq!(e.code(), ErrorCode::Storage);
    assert!(!bad.with_extension("partial").exists());
}

fn task_input(v: serde_json::Value) -> TaskInput {
    serde_json::from_value(v).expect("task input")
}

#[test]
fn plan_tasks_create_update_rollups_filters_and_ownership() {
    let (d, mut app) = app();
    let a = app
        .create_task(task_input(json!({
            "code": "1.3.1", "component": "cooperation", "output": "1.3 Marco jurídico armonizado",
            "title": {"es": "Evaluación legal de Guatemala", "en": "Legal assessment of Guatemala"},
            "country": "GT", "agency": "Ministerio Público", "responsible": "José Núñez Ávila",
            "due": "2020-01-31", "status": "in_progress", "progress": 40
        })))
        .expect("create national");
    let b = app
        .create_task(task_input(json!({
            "code": "1.3.8", "component": "cooperation", "output": "1.3 Marco jurídico armonizado",
            "title": {"es": "Reunión regional de armonización"},
            "due": "2099-06-30", "depends_on": [a.id], "kind": "consultation"
        })))
        .expect("create regional");
    // Another country's national task cannot be created here.
    let e = app
        .create_task(task_input(json!({
            "component": "training", "output": "2.2", "title": {"es": "Taller"},
            "country": "HN", "due": "2099-01-01"
        })))
        .expect_err("not ours");
    assert_eq!(e.code(), ErrorCode::Forbidden);
    // A dependency on a task that does not exist is refused, naming the field.
    let e = app
        .create_task(task_input(json!({
            "component": "training", "output": "2.2", "title": {"es": "Taller"},
            "due": "2099-01-01", "depends_on": [uuid::Uuid::new_v4()]
        })))
        .expect_err("unknown dependency");
    assert_eq!(e.issues()[0].path, "depends_on[0]");

    let all = app.plan(&PlanFilter::default()).expect("plan");
    assert_eq!(all.tasks.len(), 2);
    let first = &all.tasks[0];
    assert_eq!(first.task.code, "1.3.1");
    assert!(first.overdue, "due in 2020 and still open");
    assert_eq!(all.tasks[1].waiting_for, vec!["1.3.1".to_owned()]);
    assert_eq!(all.overall.overdue, 1);
    assert_eq!(all.overall.progress, 20, "(40 + 0) / 2");
    let coop = all
        .components
        .iter()
        .find(|c| c.component == Some(Component::Cooperation))
        .expect("component");
    assert_eq!(coop.tasks, 2);
    assert_eq!(all.outputs.len(), 1);
    assert_eq!(all.countries.len(), 2, "GT and regional");

    // Filters: scope, overdue, responsible without accents.
    let gt = app
        .plan(&PlanFilter {
            scope: Some("GT".into()),
            ..Default::default()
        })
        .expect("gt");
    assert_eq!(gt.tasks.len(), 1);
    let regional = app
        .plan(&PlanFilter {
            scope: Some("regional".into()),
            ..Default::default()
        })
        .expect("regional");
    assert_eq!(regional.tasks[0].task.code, "1.3.8");
    let by_person = app
        .plan(&PlanFilter {
            responsible: Some("nunez".into()),
            overdue_only: true,
            ..Default::default()
        })
        .expect("nunez");
    assert_eq!(by_person.tasks.len(), 1);
    assert!(matches!(
        app.plan(&PlanFilter {
            scope: Some("XX".into()),
            ..Default::default()
        }),
        Err(CoreError::Country(_))
    ));

    // Update by code; the dependency is then satisfied.
    let saved = app
        .update_task("1.3.1", &json!({"status": "done", "progress": 100}))
        .expect("update");
    assert!(saved.changed.contains(&"status".to_owned()));
    let all = app.plan(&PlanFilter::default()).expect("plan");
    assert!(all.tasks[1].waiting_for.is_empty());
    assert_eq!(all.overall.overdue, 0);
    assert!(matches!(
        app.update_task(&b.id, &json!({"country": "HN"})),
        Err(CoreError::Patch { .. })
    ));
    let e = app
        .update_task(&b.id, &json!({"progress": 250}))
        .expect_err("progress");
    assert!(e.message(Lang::Es).contains("progress"));
    let h = app.task_history("1.3.1").expect("history");
    assert_eq!(h.len(), 2);
    assert!(h[1].fields.contains(&"status".to_owned()));

    // The sheet: a PDF with the tasks, in the exports audit.
    let out = d.path().join("hoja.pdf");
    app.plan_status_pdf(
        &SheetScope::Country(CountryCode::parse("GT").expect("GT")),
        &out,
        Lang::Es,
        Paper::Letter,
    )
    .expect("pdf");
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF"));
}

#[test]
fn the_demo_plan_has_about_sixty_tasks_some_overdue_and_blocked() {
    let (_d, mut app) = app();
    let s = app.load_demo(&mut |_, _| {}).expect("demo");
    assert!((50..=70).contains(&s.tasks), "{}", s.tasks);
    let p = app.plan(&PlanFilter::default()).expect("plan");
    assert!(p.overall.overdue >= 5, "{}", p.overall.overdue);
    assert!(p.counts.blocked >= 1 && p.counts.done >= 5 && p.counts.not_started >= 5);
    assert_eq!(
        p.countries.len(),
        8,
        "seven countries and the regional tasks"
    );
    assert!(p.tasks.iter().all(|t| t.task.demo));
    assert!(p.tasks.iter().any(|t| !t.waiting_for.is_empty()));
    assert!(p.tasks.iter().any(|t| !t.task.participants.is_empty()));
    let editable: std::collections::HashSet<String> = p
        .tasks
        .iter()
        .filter(|t| t.editable)
        .map(|t| {
            t.task
                .country
                .as_ref()
                .map_or("regional".into(), |c| c.to_string())
        })
        .collect();
    assert_eq!(
        editable,
        ["GT", "regional"].into_iter().map(String::from).collect()
    );
    assert_eq!(app.load_demo(&mut |_, _| {}).expect("again").tasks, 0);
}

#[test]
fn concurrent_case_values_are_shown_and_the_choice_is_recorded_with_old_and_new_values() {
    let (_d, mut a) = app();
    let dir_b = tempfile::tempdir().expect("tempdir");
    let mut b = App::init(
        &dir_b.path().join("b"),
        "frase de acceso larga",
        "GT",
        "Ciudad de Guatemala",
    )
    .expect("init b");
    let saved = a
        .create_case(input(json!({
            "title": "Captación en Tecún Umán", "classification": "under_assessment",
            "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]
        })))
        .expect("create");
    merge_doc(&a, &mut b, &saved.id);
    // Apart, both nodes classify the case differently.
    a.update_case(&saved.id, &json!({"classification": "trafficking"}))
        .expect("a");
    b.update_case(
        &saved.id,
        &json!({"classification": "smuggling", "summary": "Cruce por el río."}),
    )
    .expect("b");
    merge_doc(&b, &mut a, &saved.id);
    merge_doc(&a, &mut b, &saved.id);
    let va = a.case(&saved.id).expect("a view");
    let vb = b.case(&saved.id).expect("b view");
    assert_eq!(
        va.case.classification, vb.case.classification,
        "same winner"
    );
    assert_eq!(va.case.summary, "Cruce por el río.", "other fields merge");
    let c = va
        .conflicts
        .iter()
        .find(|c| c.field == "classification")
        .expect("the classification conflict is shown");
    let mut values = c.values.clone();
    values.sort_by_key(|v| v.to_string());
    assert_eq!(values, vec![json!("smuggling"), json!("trafficking")]);
    assert_eq!(json!(va.case.classification), c.values[0]);
    let other = c.values[1].clone();
    a.choose_case_value(&saved.id, "classification", &other)
        .expect("choose");
    let after = a.case(&saved.id).expect("after");
    assert!(after.conflicts.is_empty());
    assert_eq!(json!(after.case.classification), other);
    assert_eq!(
        json!(
            after
                .case
                .classification_history
                .last()
                .expect("entry")
                .classification
        ),
        other,
        "the choice is in the classification history"
    );
    merge_doc(&a, &mut b, &saved.id);
    assert!(
        b.case(&saved.id).expect("b").conflicts.is_empty(),
        "settled on b"
    );
    // Old and new values, per change.
    let changes = a.case_changes(&saved.id).expect("changes");
    let last = changes.last().expect("changes");
    assert_eq!(last.action, "resolve");
    let cls = last
        .changes
        .iter()
        .find(|c| c.field == "classification")
        .expect("classification changed");
    assert_eq!(cls.after, Some(other));
    let first_update = changes
        .iter()
        .find(|c| c.action == "update" && c.by == "Paso Tecún Umán")
        .expect("a's update");
    let f = first_update
        .changes
        .iter()
        .find(|c| c.field == "classification")
        .expect("field");
    assert_eq!(
        (f.before.clone(), f.after.clone()),
        (Some(json!("under_assessment")), Some(json!("trafficking")))
    );
    assert!(matches!(
        a.choose_case_value(&saved.id, "route", &json!("x")),
        Err(CoreError::Input(_))
    ));
}

#[test]
fn case_list_filters_by_route_role_purpose_means_dates_and_owner_and_sorts_by_any_column() {
    let (d, mut app) = app();
    app.load_demo(&mut |_, _| {}).expect("demo");
    let all = |app: &App, f: CaseFilter| {
        app.list_cases(&CaseFilter {
            limit: Some(1000),
            ..f
        })
        .expect("list")
    };
    let total = all(&app, CaseFilter::default()).total;
    // A purpose: every case listed has it, and the others do not.
    let sexual = all(
        &app,
        CaseFilter {
            purpose: Some(Purpose::SexualExploitation),
            ..Default::default()
        },
    );
    assert!(
        sexual.total > 0 && sexual.total < total,
        "{} of {total}",
        sexual.total
    );
    let ids: std::collections::HashSet<String> =
        sexual.items.iter().map(|c| c.id.clone()).collect();
    let mut checked = 0;
    for c in all(&app, CaseFilter::default()).items {
        let has = app
            .case(&c.id)
            .expect("case")
            .case
            .purposes
            .contains(&Purpose::SexualExploitation);
        assert_eq!(has, ids.contains(&c.id), "{}", c.reference);
        checked += 1;
    }
    assert_eq!(checked as u64, total);
    // A means.
    let deception = all(
        &app,
        CaseFilter {
            means: Some(Means::Deception),
            ..Default::default()
        },
    );
    for c in &deception.items {
        assert!(
            app.case(&c.id)
                .expect("case")
                .case
                .means
                .contains(&Means::Deception)
        );
    }
    // A country in a role: Honduras as the origin.
    let hn_origin = all(
        &app,
        CaseFilter {
            country: Some("HN".into()),
            role: Some(RouteRole::Origin),
            ..Default::default()
        },
    );
    assert!(hn_origin.total > 0);
    for c in &hn_origin.items {
        assert!(
            c.route
                .iter()
                .any(|s| s.country == "HN" && s.role == RouteRole::Origin),
            "{}",
            c.reference
        );
    }
    let hn_any = all(
        &app,
        CaseFilter {
            country: Some("HN".into()),
            ..Default::default()
        },
    );
    assert!(hn_any.total >= hn_origin.total);
    // Dates (inclusive) and the owner.
    let from = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let to = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let spring = all(
        &app,
        CaseFilter {
            opened_from: Some(from),
            opened_to: Some(to),
            owner: Some("mx".into()),
            ..Default::default()
        },
    );
    assert!(spring.total > 0);
    for c in &spring.items {
        let opened: chrono::NaiveDate = c.opened.parse().expect("date");
        assert!(opened >= from && opened <= to);
        assert_eq!(c.owner_country, "MX");
    }
    // Sort by classification, then by owner, both ways.
    let by_class: fn(&CaseSummary) -> String = |c| c.classification.as_str().to_owned();
    let by_owner: fn(&CaseSummary) -> String = |c| c.owner_country.clone();
    for (field, key) in [
        (SortField::Classification, by_class),
        (SortField::Owner, by_owner),
    ] {
        for descending in [false, true] {
            let l = all(
                &app,
                CaseFilter {
                    sort: Some(field),
                    descending: Some(descending),
                    ..Default::default()
                },
            );
            let keys: Vec<String> = l.items.iter().map(key).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if descending {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{field:?} descending={descending}");
        }
    }
    // A database whose derived tables a migration emptied is reindexed on open.
    app.store
        .write(|tx| {
            tx.clear_indexes()?;
            tx.schedule_maintenance("reindex")
        })
        .expect("clear");
    assert_eq!(
        app.list_cases(&CaseFilter::default()).expect("list").total,
        0
    );
    drop(app);
    let app = App::open(&d.path().join("d"), "frase de acceso larga").expect("reopen");
    let again = app
        .list_cases(&CaseFilter {
            purpose: Some(Purpose::SexualExploitation),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(again.total, sexual.total, "the tags are back");
    assert!(app.store.read().maintenance().expect("tasks").is_empty());
}

#[test]
fn identities_are_recorded_on_national_documents_and_found_by_name() {
    let (_d, mut app) = app();
    let saved = app
        .create_case(input(json!({
            "title": "Captación en Malacatán",
            "classification": "trafficking",
            "persons": [{"role": "victim", "age_band": "18-20"}, {"role": "suspect"}]
        })))
        .expect("create");
    let nobody = app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(nobody.total, 0);
    // A first identity creates the person document and links it.
    let identity = Identity {
        given_names: "María de los Ángeles".into(),
        first_surname: "Güity".into(),
        ..Default::default()
    };
    let r = app
        .save_identity(&saved.reference, "V1", identity.clone())
        .expect("identity");
    assert_eq!(r.changed, vec!["persons".to_string()]);
    let view = app.case(&saved.reference).expect("view");
    assert!(view.editable);
    let pid = view.case.persons[0].person_ref.expect("linked");
    assert_eq!(view.identities[0].full_name, "María de los Ángeles Güity");
    let found = app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(found.total, 1, "the name is in the local search index");
    // A correction updates the same document.
    let mut corrected = identity;
    corrected.second_surname = Some("Núñez".into());
    let r = app
        .save_identity(&saved.reference, "V1", corrected)
        .expect("correct");
    assert!(r.changed.is_empty(), "the case itself does not change");
    let view = app.case(&saved.reference).expect("view");
    assert_eq!(view.case.persons[0].person_ref, Some(pid));
    assert_eq!(
        view.identities[0].full_name,
        "María de los Ángeles Güity Núñez"
    );
    let audit = app.store().read().audit_log().expect("audit");
    assert!(audit.iter().any(|a| a.action == "person.create"));
    assert!(audit.iter().any(|a| a.action == "person.update"));
    // Bad identities and unknown persons are refused with the field named.
    let e = app
        .save_identity(&saved.reference, "V1", Identity::default())
        .expect_err("empty");
    let CoreError::Invalid(issues) = e else {
        panic!("expected invalid, got {e:?}")
    };
    assert!(issues.iter().any(|i| i.path == "identity.given_names"));
    let e = app
        .save_identity(&saved.reference, "V9", Identity::default())
        .expect_err("unknown pseudonym");
    assert!(matches!(
        e,
        CoreError::Invalid(_) | CoreError::NotFound { .. }
    ));
    // A patch cannot point a person at someone else's identity document.
    let e = app
        .update_case(
            &saved.reference,
            &json!({"persons": [{"pseudonym": "S1", "role": "suspect", "person_ref": uuid::Uuid::new_v4().to_string()}]}),
        )
        .expect_err("forged link");
    assert!(matches!(e, CoreError::Patch { ref field, .. } if field == "persons"));
    // Reordering keeps the link it had.
    let v = serde_json::to_value(&view.case.persons).expect("json");
    let reversed: Vec<_> = v.as_array().expect("array").iter().rev().cloned().collect();
    app.update_case(&saved.reference, &json!({ "persons": reversed }))
        .expect("reorder");
}

#[test]
fn another_countrys_case_is_read_only_here() {
    let (_d, mut app) = app();
    let hn = Owner {
        country: CountryCode::parse("HN").expect("HN"),
        node: "hn-node".into(),
    };
    let saved = app
        .import_owned(
            vec![(
                input(json!({"title": "Caso hondureño", "classification": "smuggling"})),
                Some(hn),
            )],
            &mut |_, _| {},
        )
        .expect("import")
        .remove(0);
    let view = app.case(&saved.reference).expect("view");
    assert!(!view.editable);
    for e in [
        app.update_case(&saved.reference, &json!({"title": "Cambio"}))
            .expect_err("update"),
        app.save_identity(
            &saved.reference,
            "V1",
            Identity {
                given_names: "José".into(),
                first_surname: "Núñez".into(),
                ..Default::default()
            },
        )
        .expect_err("identity"),
    ] {
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e:?}");
    }
    assert_eq!(
        app.case(&saved.reference).expect("view").case.title,
        "Caso hondureño"
    );
    // A note is the one thing another country may add.
    let noted = app
        .add_note(&saved.reference, "Nota de la fiscalía guatemalteca")
        .expect("note");
    assert_eq!(noted.changed, vec!["notes".to_owned()]);
    let view = app.case(&saved.reference).expect("view");
    assert_eq!(view.case.notes.len(), 1);
    assert_eq!(view.case.title, "Caso hondureño");
}

#[test]
fn drafts_round_trip_are_bounded_and_forgotten() {
    let (_d, mut app) = app();
    assert!(app.draft("case:new").expect("none").is_none());
    let big = "ﷺ".repeat(350_000); // ~1 MB of right-to-left text
    let body = json!({"title": "José Núñez Ávila 🙂", "summary": big, "opened": "2026-02-31"});
    app.save_draft("case:new", &body).expect("save");
    let d = app.draft("case:new").expect("read").expect("kept");
    assert_eq!(d.body, body, "kept exactly as typed, invalid date included");
    let e = app
        .save_draft(
            "case:new",
            &json!({"summary": "x".repeat(MAX_DRAFT_BYTES + 1)}),
        )
        .expect_err("too big");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert_eq!(
        app.draft("case:new").expect("read").expect("kept").body,
        body,
        "a refused draft leaves the previous one"
    );
    assert!(app.save_draft("../etc", &body).is_err(), "keys are checked");
    app.discard_draft("case:new").expect("discard");
    assert!(app.draft("case:new").expect("gone").is_none());
}
