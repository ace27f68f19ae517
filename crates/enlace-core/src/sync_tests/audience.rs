//! Who receives what: audiences, identities, relays, demonstration data.

use super::*;

#[test]
fn a_regional_case_reaches_a_peer_and_its_victims_identity_stays_home() {
    let mut gt = node("GT", "Fiscalía Tecún Umán");
    let mut hn = node("HN", "NTF Tegucigalpa");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(
        &mut gt,
        "Reclutamiento en Choloma",
        json!({"scope": "regional"}),
    );
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.traffic.docs_received, 1, "{stats:?}");
    assert!(holds(&hn, &saved.id));
    // The person document (names) never left Guatemala.
    assert!(
        kinds(&hn).iter().all(|(_, k)| *k != DocKind::Person),
        "{:?}",
        kinds(&hn)
    );
    let view = hn.app.case(&saved.reference).expect("the case is there");
    assert_eq!(view.case.title, "Reclutamiento en Choloma");
    assert!(view.identities.is_empty());
    assert!(!view.editable, "Guatemala's case is read-only in Honduras");
    let found = hn
        .app
        .list_cases(&CaseFilter {
            query: Some("choloma".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    let by_name = hn
        .app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(
        by_name.total, 0,
        "names are not searchable where they are not held"
    );
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
    // Again: nothing new either way, and nothing applied twice.
    let again = sync(&mut hn, &mut gt);
    assert_eq!(
        (again.traffic.changes_received, again.traffic.changes_sent),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(again.requests, 1, "an incremental round is one round trip");
}

#[test]
fn a_node_of_the_same_country_receives_identities_and_finds_cases_by_name() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut post = node("GT", "Puesto Tecún Umán");
    pair(&mut hub, &mut post);
    let saved = case_with_victim(&mut post, "Caso de frontera", json!({"scope": "national"}));
    sync(&mut post, &mut hub);
    let view = hub.app.case(&saved.reference).expect("case");
    assert_eq!(view.identities.len(), 1);
    assert_eq!(view.identities[0].full_name, "María de los Ángeles Güity");
    let by_name = hub
        .app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(by_name.total, 1);
    // The hub's own country edits it, and the post gets the edit back.
    hub.app
        .update_case(&saved.reference, &json!({"status": "under_investigation"}))
        .expect("a node of the owner country edits");
    sync(&mut post, &mut hub);
    let v = post.app.case(&saved.reference).expect("case");
    assert_eq!(v.case.status, enlace_domain::CaseStatus::UnderInvestigation);
}

#[test]
fn a_bilateral_case_reaches_only_its_two_countries_even_through_a_relay() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut mx);
    pair(&mut hn, &mut mx);
    let saved = case_with_victim(
        &mut gt,
        "Caso binacional",
        json!({"scope": "bilateral", "countries": ["HN"]}),
    );
    let regional = case_with_victim(&mut gt, "Caso regional", json!({"scope": "regional"}));
    sync(&mut mx, &mut gt);
    sync(&mut hn, &mut gt);
    sync(&mut mx, &mut hn);
    sync(&mut hn, &mut mx);
    assert!(holds(&hn, &saved.id));
    assert!(!holds(&mx, &saved.id), "Mexico is not in the audience");
    assert!(holds(&mx, &regional.id));
    assert_eq!(heads(&mx, &regional.id), heads(&gt, &regional.id));
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
}

#[test]
fn the_receiver_refuses_documents_it_should_not_hold() {
    // Guatemala's operator paired Honduras' node by mistake as a Guatemalan
    // node: Guatemala sends it national documents and identities. Honduras
    // refuses them and keeps nothing of them.
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    gt.app
        .add_peer(PeerInput {
            node_role: None,
            name: "mal emparejado".into(),
            url: None,
            key: hex::encode(hn.key),
            country: "GT".into(),
        })
        .expect("pair");
    trust(&mut hn, &gt);
    let national = case_with_victim(&mut gt, "Caso nacional", json!({"scope": "national"}));
    let stats = sync(&mut hn, &mut gt);
    assert!(stats.refused_here >= 2, "{stats:?}");
    assert!(kinds(&hn).is_empty(), "nothing kept: {:?}", kinds(&hn));
    assert!(!holds(&hn, &national.id));
    let audit = hn.app.store.read().audit_log().expect("audit");
    assert!(
        audit.iter().any(|a| a.action == "sync.refused"
            && a.detail.contains("national_only")
            && a.detail.contains("not_in_audience")),
        "{audit:?}"
    );
}

#[test]
fn a_case_opened_to_more_countries_arrives_whole() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Primero nacional", json!({"scope": "national"}));
    gt.app
        .update_case(
            &saved.reference,
            &json!({"summary": "Ampliado antes de compartir."}),
        )
        .expect("edit");
    sync(&mut hn, &mut gt);
    assert!(!holds(&hn, &saved.id));
    // Opened to the region: Honduras gets the latest change, lacks its
    // history, asks for the whole case, and gets it in the same session.
    gt.app
        .update_case(
            &saved.reference,
            &json!({"audience": {"scope": "regional"}}),
        )
        .expect("open");
    let stats = sync(&mut hn, &mut gt);
    assert!(holds(&hn, &saved.id), "{stats:?}");
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
    assert_eq!(
        hn.app.case(&saved.reference).expect("view").case.summary,
        "Ampliado antes de compartir."
    );
    assert!(hn.app.quarantine().expect("q").is_empty());
    assert!(hn.app.peer(&gt.name, Lang::Es).expect("peer").wanted == 0);
}

#[test]
fn demonstration_data_stays_home_and_gives_way_to_real_assessments() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    gt.app.load_demo(&mut |_, _| {}).expect("demo");
    pair(&mut gt, &mut hn);
    // Honduras records its own assessment for real.
    hn.app
        .update_legal_item(
            "HN",
            "TIP-05",
            &json!({"status": "compliant", "assessor": "Abg. Núñez"}),
        )
        .expect("assess");
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(
        stats.traffic.docs_received, 0,
        "no demonstration document travels: {stats:?}"
    );
    sync(&mut gt, &mut hn);
    let hn_view = gt.app.legal_assessment("HN").expect("Honduras' assessment");
    assert!(
        !hn_view.assessment.demo,
        "the real one replaced the demo one"
    );
    let item = hn_view.assessment.items.get("TIP-05").expect("TIP-05");
    assert_eq!(item.assessor, "Abg. Núñez");
    // It is Honduras' to edit; Guatemala relays it as received.
    let id = hn_view.assessment.id.to_string();
    assert_eq!(heads(&gt, &id), heads(&hn, &id));
}

#[test]
fn a_received_identity_reindexes_its_case() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut post = node("GT", "Puesto");
    pair(&mut hub, &mut post);
    let saved = case_with_victim(
        &mut post,
        "Caso con identidad",
        json!({"scope": "national"}),
    );
    sync(&mut hub, &mut post);
    // The post corrects the victim's name; only the person document changes.
    post.app
        .save_identity(
            &saved.reference,
            "V1",
            Identity {
                given_names: "María de los Ángeles".into(),
                first_surname: "Güity".into(),
                second_surname: Some("Martínez".into()),
                ..Default::default()
            },
        )
        .expect("identity");
    sync(&mut hub, &mut post);
    let found = hub
        .app
        .list_cases(&CaseFilter {
            query: Some("martinez".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(
        found.total, 1,
        "the hub finds the case by the corrected name"
    );
}
