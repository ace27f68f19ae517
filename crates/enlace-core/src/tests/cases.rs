//! Cases: creating, changing, concurrent values, another country's case, drafts.

use super::*;

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
    assert_eq!(saved.reference, format!("GT-{}-{year}-0001", app.node.code));
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
    assert_eq!(audit[0].action, "login", "the login comes first");
    let views: Vec<_> = audit.iter().filter(|a| a.action == "person.view").collect();
    assert_eq!(views.len(), 2, "two views, two entries");
    assert!(
        views.iter().all(|a| a.actor.ends_with("/admin")),
        "{views:?}"
    );

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
        .find(|c| c.action == "update" && c.by == "Paso Tecún Umán/admin")
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

#[test]
fn an_export_lists_the_items_that_carry_restrictions() {
    let (d, mut app) = app();
    let item = |handling: &str, note: Option<&str>| {
        json!({"text": "Informe de campo", "source_agency": "PNC", "reliability": "B",
               "credibility": "2", "handling": handling, "handling_note": note,
               "originator": "PNC Guatemala"})
    };
    let saved = app
        .create_case(input(json!({
            "title": "Caso con información restringida",
            "classification": "trafficking",
            "information": [item("H0", None), item("H2", None),
                            item("H3", Some("Solo para la fiscalía"))]
        })))
        .expect("create");
    let out = d.path().join("export.json");
    app.export(&out, &mut |_, _| {}).expect("export");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let r = v["restrictions"].as_array().expect("restrictions");
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[0]["reference"], saved.reference.as_str());
    assert_eq!(
        (r[0]["item"].clone(), r[0]["handling"].clone()),
        (json!(1), json!("H2"))
    );
    assert_eq!(r[1]["note"], "Solo para la fiscalía");
    assert_eq!(v["cases"].as_array().map(Vec::len), Some(1));
}

#[test]
fn links_are_resolved_both_ways_and_follow_a_renumbering() {
    let (_d, mut app) = app();
    let a = app
        .create_case(input(json!({"title": "Red de captación en Escuintla"})))
        .expect("a");
    let b = app
        .create_case(input(
            json!({"title": "Albergue clandestino en Mazatenango"}),
        ))
        .expect("b");
    app.update_case(
        &a.reference,
        &json!({"links": [
            {"reference": b.reference, "relation": "same_network", "note": "Mismo captador"},
            {"reference": "HN-2026-0007", "relation": "same_victim"}
        ]}),
    )
    .expect("link");
    let va = app.case(&a.reference).expect("a");
    assert_eq!(va.linked.len(), 2, "{:?}", va.linked);
    let to_b = &va.linked[0];
    assert!(!to_b.incoming);
    assert_eq!(to_b.case.as_ref().map(|c| c.id.clone()), Some(b.id.clone()));
    assert_eq!(to_b.note.as_deref(), Some("Mismo captador"));
    assert!(va.linked[1].case.is_none(), "a case not held here");
    // B shows the link A makes to it.
    let vb = app.case(&b.reference).expect("b");
    assert_eq!(vb.linked.len(), 1, "{:?}", vb.linked);
    assert!(vb.linked[0].incoming);
    assert_eq!(vb.linked[0].reference, a.reference);
    assert_eq!(vb.linked[0].relation, LinkRelation::SameNetwork);
    // Renumbered, B is still found by A's link, and still shows it.
    let renumbered = app.renumber_case(&b.id).expect("renumber");
    assert_ne!(renumbered.reference, b.reference);
    let va = app.case(&a.reference).expect("a");
    assert_eq!(
        va.linked[0].case.as_ref().map(|c| c.id.clone()),
        Some(b.id.clone())
    );
    let vb = app.case(&b.id).expect("b");
    assert!(
        vb.linked
            .iter()
            .any(|l| l.incoming && l.reference == a.reference)
    );
    // A reference typed in lower case finds its case too.
    let c = app
        .create_case(input(json!({"title": "Tercer caso", "links": [
            {"reference": renumbered.reference.to_lowercase(), "relation": "same_suspect"}
        ]})))
        .expect("c");
    let vc = app.case(&c.reference).expect("c");
    assert_eq!(
        vc.linked[0].case.as_ref().map(|x| x.id.clone()),
        Some(b.id.clone())
    );
    let vb = app.case(&b.id).expect("b");
    assert!(
        vb.linked
            .iter()
            .any(|l| l.incoming && l.reference == c.reference)
    );
}
