use super::*;
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
    assert_eq!(app.store().read().count_docs("case").expect("count"), 0);
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
