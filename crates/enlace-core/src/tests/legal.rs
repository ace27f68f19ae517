//! Legal assessments: items, history, concurrent values, matrix, exports.

use super::*;

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
    // Every item exists, not assessed, from the assessment's common root.
    assert_eq!(
        status(&h[0]),
        Some((
            Some(json!("not_assessed")),
            Some(json!("partially_compliant"))
        ))
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
