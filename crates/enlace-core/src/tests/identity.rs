//! Identities: national person documents behind pseudonyms.

use super::*;

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

/// A case can link a person document this node does not hold (a case of
/// this country received before its person). An identity recorded here
/// then gets a document of its own, linked in place of the missing one:
/// two unrelated histories never share an id. A case with a validation
/// error elsewhere does not stand in the way.
#[test]
fn an_identity_for_a_link_this_node_lacks_gets_its_own_document() {
    let (_d, mut a) = app();
    let saved = a
        .create_case(input(json!({
            "title": "Captación en Malacatán",
            "classification": "trafficking",
            "persons": [{"role": "victim", "identity": {"given_names": "Ana", "first_surname": "López"}}]
        })))
        .expect("create");
    let theirs = a.case(&saved.id).expect("view").case.persons[0]
        .person_ref
        .expect("linked on the first node");
    // Another node of Guatemala receives the case, not the person.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = App::init(
        &dir.path().join("b"),
        "frase de acceso larga",
        "GT",
        "Fiscalía de Quetzaltenango",
    )
    .expect("init");
    merge_doc(&a, &mut b, &saved.id);
    b.reindex(&mut |_, _| {}).expect("index");
    assert!(
        b.store
            .read()
            .doc(&theirs.to_string())
            .expect("read")
            .is_none()
    );
    // The stored case has an error (made here by hand) elsewhere.
    let row = b.store.read().doc(&saved.id).expect("read").expect("case");
    let mut doc = Document::load(&row.bytes, b.node.actor.clone()).expect("load");
    doc.put_scalar_at(&["title"], &json!(""))
        .expect("blank title");
    let row = enlace_store::DocRow {
        bytes: doc.save(),
        ..row
    };
    b.store.write(|tx| tx.put_doc(&row)).expect("put");
    assert!(enlace_domain::validate::has_errors(
        &b.case(&saved.id).expect("view").issues
    ));

    let r = b
        .save_identity(
            &saved.reference,
            "V1",
            Identity {
                given_names: "Ana Lucía".into(),
                first_surname: "López".into(),
                ..Default::default()
            },
        )
        .expect("saved, the case's error reported");
    assert_eq!(r.changed, vec!["persons".to_string()]);
    assert!(enlace_domain::validate::has_errors(&r.issues));
    let view = b.case(&saved.id).expect("view");
    let ours = view.case.persons[0].person_ref.expect("linked");
    assert_ne!(ours, theirs, "a document of its own");
    assert_eq!(view.identities[0].full_name, "Ana Lucía López");
    let row = b
        .store
        .read()
        .doc(&ours.to_string())
        .expect("read")
        .expect("person");
    assert_eq!(row.kind, DocKind::Person);
}
