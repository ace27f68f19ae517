//! Victims' risk assessments between nodes: recorded at a border post
//! offline, reaching the hub and the offices but no other border post and
//! no other country (unless the person is granted to it), reviews that
//! come due, and assessments made apart shown for a person to choose.

use super::forge::{change_as, group, page_by};
use super::*;

fn assess(level: &str, on: Option<chrono::NaiveDate>) -> crate::RiskInput {
    serde_json::from_value(json!({
        "pseudonym": "V1",
        "assessed_on": on,
        "assessor": "Inspectora Núñez, Migración",
        "level": level,
        "threats": ["traffickers_know_location", "to_family"],
        "measures_taken": "Traslado a albergue",
    }))
    .expect("input")
}

/// V1's identity granted to Honduras for her return, for 30 days.
fn grant_v1_to_honduras(n: &mut Node, reference: &str) -> Vec<crate::GrantView> {
    n.app
        .grant_add(crate::GrantInput {
            target: reference.to_owned(),
            pseudonym: Some("V1".into()),
            country: "HN".into(),
            purpose: GrantPurpose::Repatriation,
            until: today() + chrono::Days::new(30),
            reason: "Retorno asistido a Honduras".into(),
        })
        .expect("grant")
}

fn risk_docs(n: &Node, case_id: &str) -> Vec<String> {
    n.app
        .store
        .read()
        .risk_docs_of(case_id, "V1")
        .expect("docs")
}

fn today() -> chrono::NaiveDate {
    crate::clock::now().date_naive()
}

#[test]
fn a_risk_assessed_at_a_border_post_reaches_the_hub_and_offices_only() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut post = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    let mut other_post = node_as(NodeRole::BorderPost, "GT", "Puesto El Carmen");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía contra la Trata");
    let mut hn = node("HN", "NTF Honduras");
    pair_as(&mut hub, &mut post, NodeRole::BorderPost);
    pair_as(&mut hub, &mut other_post, NodeRole::BorderPost);
    pair_as(&mut hub, &mut office, NodeRole::Office);
    pair(&mut hub, &mut hn);

    // At the post, offline: the victim and a first assessment, critical.
    let case = case_with_victim(
        &mut post,
        "Víctima en Tecún Umán",
        json!({"scope": "regional"}),
    );
    let v = post
        .app
        .risk_add(&case.reference, assess("critical", None))
        .expect("assess");
    assert_eq!(v.current.len(), 1);
    assert_eq!(v.next_review, Some(today() + chrono::Days::new(7)));
    assert!(!v.current[0].by.is_empty(), "who recorded it is stamped");
    let doc = risk_docs(&post, &case.id);
    assert_eq!(doc.len(), 1);
    let doc = doc[0].clone();

    sync(&mut post, &mut hub);
    sync(&mut office, &mut hub);
    sync(&mut other_post, &mut hub);
    sync(&mut hn, &mut hub);
    // (node, holds the case, holds the risk)
    for (n, case_there, risk_there) in [
        (&hub, true, true),
        (&office, true, true),
        (&other_post, true, false),
        (&hn, true, false),
    ] {
        assert_eq!(holds(n, &case.id), case_there, "{} and the case", n.name);
        assert_eq!(holds(n, &doc), risk_there, "{} and the risk", n.name);
    }
    // The office reads it as the post wrote it.
    let at_office = office.app.victim_risk(&case.reference, "V1").expect("risk");
    assert_eq!(at_office.current[0].level, RiskLevel::Critical);

    // The hub's page for the office, applied at the other post as if sent
    // to it: the risk is refused there (need-to-know), nothing kept.
    let page = hub
        .app
        .build_page(
            &office.key,
            &enlace_sync::Cursor::start(),
            &enlace_sync::Wants::default(),
            1 << 20,
        )
        .expect("page");
    let doc_bytes = crate::replica::doc_id_bytes(&doc).expect("uuid");
    assert!(page.groups.iter().any(|g| g.doc == Some(doc_bytes)));
    assert_refused(
        &mut other_post,
        &hub.key,
        &page,
        enlace_sync::RefusalReason::NotInAudience,
    );
    assert!(!holds(&other_post, &doc));
    // Applied in Honduras: national only.
    assert_refused(
        &mut hn,
        &hub.key,
        &page,
        enlace_sync::RefusalReason::NationalOnly,
    );
    assert!(!holds(&hn, &doc));

    // Shared with the other post, the risk follows the identity there.
    hub.app
        .share_identities(&case.reference, "Puesto El Carmen", true)
        .expect("share");
    sync(&mut other_post, &mut hub);
    assert!(holds(&other_post, &doc));

    // Granted to Honduras (repatriation), it goes there too; revoked, a
    // later review does not.
    let made = grant_v1_to_honduras(&mut hub, &case.reference);
    sync(&mut hn, &mut hub);
    assert!(holds(&hn, &doc), "granted with the identity");
    // Guatemala's to review: not on Honduras's list nor marked there.
    assert!(hn.app.risks_due(400).expect("due").is_empty());
    let listed = hn.app.list_cases(&Default::default()).expect("list");
    let row = listed
        .items
        .iter()
        .find(|c| c.reference == case.reference)
        .expect("the case");
    assert_eq!(row.review, None, "{row:?}");
    assert_eq!(
        hn.app
            .victim_risk(&case.reference, "V1")
            .expect("risk")
            .current[0]
            .level,
        RiskLevel::Critical
    );
    hub.app.grant_revoke(&made[0].grant.id).expect("revoke");
    hub.app
        .risk_review(&case.reference, assess("medium", None))
        .expect("review");
    sync(&mut hn, &mut hub);
    assert_eq!(
        hn.app
            .victim_risk(&case.reference, "V1")
            .expect("risk")
            .current[0]
            .level,
        RiskLevel::Critical,
        "the review after the revocation stays in Guatemala"
    );
}

#[test]
fn an_overdue_review_is_listed_and_marks_the_case() {
    let mut post = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    let case = case_with_victim(
        &mut post,
        "Víctima con revisión",
        json!({"scope": "national"}),
    );
    let calm = case_with_victim(
        &mut post,
        "Víctima sin riesgo",
        json!({"scope": "national"}),
    );
    post.app
        .risk_add(&case.reference, assess("critical", None))
        .expect("assess");
    post.app
        .risk_add(&calm.reference, assess("low", None))
        .expect("assess");
    let due_filter = crate::CaseFilter {
        review_due: Some(true),
        ..Default::default()
    };
    assert!(post.app.risks_due(0).expect("due").is_empty());
    assert_eq!(
        post.app.risks_due(7).expect("due").len(),
        1,
        "critical: 7 days"
    );
    assert_eq!(post.app.list_cases(&due_filter).expect("list").total, 0);

    // Ten days later the critical review is overdue; the low one is not.
    crate::clock::skewed(chrono::TimeDelta::days(10), || {
        let due = post.app.risks_due(0).expect("due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].reference.as_deref(), Some(case.reference.as_str()));
        assert_eq!(due[0].review, ReviewState::Overdue);
        assert_eq!(due[0].days_overdue, 3);
        assert_eq!(due[0].levels, [RiskLevel::Critical]);
        let list = post.app.list_cases(&due_filter).expect("list");
        assert_eq!(list.total, 1);
        assert_eq!(list.items[0].reference, case.reference);
        assert_eq!(list.items[0].review, Some(ReviewState::Overdue));
        let all = post.app.list_cases(&Default::default()).expect("list");
        let calm_row = all
            .items
            .iter()
            .find(|c| c.reference == calm.reference)
            .expect("row");
        assert_eq!(calm_row.review, Some(ReviewState::Scheduled));
        let view = post.app.victim_risk(&case.reference, "V1").expect("risk");
        assert_eq!(view.review, Some(ReviewState::Overdue));

        // Reviewed (high now): no longer due, the first kept.
        let reviewed = post
            .app
            .risk_review(&case.reference, assess("high", None))
            .expect("review");
        assert_eq!(reviewed.current.len(), 1);
        assert_eq!(reviewed.current[0].level, RiskLevel::High);
        assert_eq!(reviewed.history.len(), 2);
        assert_eq!(
            reviewed.current[0].reviews,
            [reviewed.history[1].id.clone()]
        );
        assert!(post.app.risks_due(0).expect("due").is_empty());
        assert_eq!(post.app.list_cases(&due_filter).expect("list").total, 0);
    });
    // A reindex rebuilds the same rows: the review is due 10 + 14 days
    // from now, the low one in 90.
    post.app.reindex(&mut |_, _| {}).expect("reindex");
    assert!(post.app.risks_due(23).expect("due").is_empty());
    let due = post.app.risks_due(24).expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].levels, [RiskLevel::High]);
}

#[test]
fn levels_assessed_apart_are_shown_to_choose_and_the_choice_travels() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía contra la Trata");
    pair_as(&mut hub, &mut office, NodeRole::Office);
    let case = case_with_victim(
        &mut hub,
        "Víctima evaluada dos veces",
        json!({"scope": "national"}),
    );
    hub.app
        .risk_add(&case.reference, assess("medium", None))
        .expect("assess");
    sync(&mut office, &mut hub);
    // Apart, offline: the hub says critical, the office low.
    hub.app
        .risk_review(&case.reference, assess("critical", None))
        .expect("review");
    office
        .app
        .risk_review(&case.reference, assess("low", None))
        .expect("review");
    sync(&mut office, &mut hub);
    for n in [&hub, &office] {
        let v = n.app.victim_risk(&case.reference, "V1").expect("risk");
        assert!(v.concurrent, "{}: no silent winner", n.name);
        let mut levels: Vec<RiskLevel> = v.current.iter().map(|e| e.level).collect();
        levels.sort();
        assert_eq!(levels, [RiskLevel::Low, RiskLevel::Critical], "{}", n.name);
        let due = n.app.risks_due(400).expect("due");
        assert!(due[0].concurrent);
        assert_eq!(due[0].levels, [RiskLevel::Critical, RiskLevel::Low]);
    }
    // A first assessment made apart on each node (two documents) is read
    // together too.
    let critical = hub
        .app
        .victim_risk(&case.reference, "V1")
        .expect("risk")
        .current
        .into_iter()
        .find(|e| e.level == RiskLevel::Critical)
        .expect("critical");
    // Chosen ten days later, the critical review day (7 days) past: the
    // choice is recorded, and the review is due today (not put off).
    let chosen = crate::clock::skewed(chrono::TimeDelta::days(10), || {
        office
            .app
            .risk_choose(&case.reference, "V1", &critical.id[..8])
            .expect("choose")
    });
    assert_eq!(
        chosen.current[0].next_review,
        today() + chrono::Days::new(10)
    );
    assert!(!chosen.concurrent);
    assert_eq!(chosen.current[0].level, RiskLevel::Critical);
    assert_eq!(
        chosen.current[0].chosen.as_deref(),
        Some(critical.id.as_str())
    );
    sync(&mut office, &mut hub);
    let at_hub = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    assert!(!at_hub.concurrent);
    assert_eq!(at_hub.current[0].level, RiskLevel::Critical);
    assert_eq!(at_hub.history.len(), 4, "nothing recorded is lost");
}

#[test]
fn two_first_assessments_made_apart_meet() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía contra la Trata");
    pair_as(&mut hub, &mut office, NodeRole::Office);
    let case = case_with_victim(&mut hub, "Víctima", json!({"scope": "national"}));
    sync(&mut office, &mut hub);
    hub.app
        .risk_add(&case.reference, assess("high", None))
        .expect("assess");
    office
        .app
        .risk_add(&case.reference, assess("medium", None))
        .expect("assess");
    sync(&mut office, &mut hub);
    assert_eq!(risk_docs(&hub, &case.id).len(), 2, "two documents");
    let v = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    assert!(v.concurrent);
    assert_eq!(v.current.len(), 2);
    // A review settles both documents' assessments.
    hub.app
        .risk_review(&case.reference, assess("high", None))
        .expect("review");
    sync(&mut office, &mut hub);
    for n in [&hub, &office] {
        let v = n.app.victim_risk(&case.reference, "V1").expect("risk");
        assert!(!v.concurrent, "{}", n.name);
        assert_eq!(v.history.len(), 3);
        let due = n.app.risks_due(400).expect("due");
        assert_eq!(due.len(), 1);
        assert!(!due[0].concurrent);
    }
}

#[test]
fn bad_assessments_are_refused_naming_the_field_and_nothing_is_saved() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let case = case_with_victim(&mut hub, "Víctima", json!({"scope": "national"}));
    let field = |e: CoreError| match e {
        CoreError::Invalid(issues) => issues
            .iter()
            .map(|i| (i.path.clone(), i.code.clone()))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let mut early = assess("critical", Some(today()));
    early.next_review = Some(today() - chrono::Days::new(1));
    let err = hub
        .app
        .risk_add(&case.reference, early)
        .expect_err("refused");
    assert_eq!(
        field(err),
        [(
            "next_review".into(),
            "val-risk-review-before-assessment".into()
        )]
    );
    assert!(risk_docs(&hub, &case.id).is_empty(), "nothing saved");
    let mut nobody = assess("low", None);
    nobody.pseudonym = "S1".into();
    let err = hub
        .app
        .risk_add(&case.reference, nobody)
        .expect_err("refused");
    assert_eq!(
        field(err),
        [("pseudonym".into(), "val-risk-not-a-victim".into())]
    );
    assert!(matches!(
        hub.app.risk_review(&case.reference, assess("low", None)),
        Err(CoreError::NoRisk { .. })
    ));
    hub.app
        .risk_add(&case.reference, assess("high", None))
        .expect("assess");
    assert!(matches!(
        hub.app.risk_add(&case.reference, assess("low", None)),
        Err(CoreError::RiskExists { .. })
    ));
    // A review dated before the assessment it reviews.
    let before = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    let err = hub
        .app
        .risk_review(
            &case.reference,
            assess("low", Some(today() - chrono::Days::new(3))),
        )
        .expect_err("refused");
    assert_eq!(
        field(err),
        [(
            "assessed_on".into(),
            "val-risk-review-before-earlier".into()
        )]
    );
    let after = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    assert_eq!(before.history, after.history, "nothing saved");
    // An analyst does not read risk assessments.
    hub.app
        .add_official("Analista", Role::Analyst, "frase del analista de datos")
        .expect("official");
    let dir = hub.app.data_dir().to_owned();
    let analyst =
        App::open_as(&dir, Some("Analista"), "frase del analista de datos").expect("login");
    assert!(matches!(
        analyst.risks(&case.reference),
        Err(CoreError::NotAllowed {
            permission: Permission::SeeRiskAssessments,
            ..
        })
    ));
    let list = analyst.list_cases(&Default::default()).expect("list");
    assert!(list.items.iter().all(|c| c.next_review.is_none()));
}

#[test]
fn a_border_post_cannot_make_a_risk_reach_another_node_nor_another_country() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut post = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    let other_post = node_as(NodeRole::BorderPost, "GT", "Puesto El Carmen");
    let mut hn = node("HN", "NTF Honduras");
    pair_as(&mut hub, &mut post, NodeRole::BorderPost);
    pair(&mut hub, &mut hn);
    let case = case_with_victim(&mut post, "Víctima", json!({"scope": "regional"}));
    post.app
        .risk_add(&case.reference, assess("critical", None))
        .expect("assess");
    sync(&mut post, &mut hub);
    let doc = risk_docs(&hub, &case.id)[0].clone();

    // The post names the other post on the risk: refused at the hub.
    let post_signing = signing_key(&post);
    let other = hex::encode(other_post.key);
    let forged = change_as(&post, &doc, enlace_docs::actor_for_key(&post.key), |d| {
        let mut json = d.to_json().expect("json");
        json["nodes"] = json!([other]);
        d.write(&json).expect("write");
    });
    let page = page_by(
        &post_signing,
        vec![group(Some(&doc), "risk_assessment", vec![forged])],
    );
    assert_refused(
        &mut hub,
        &post.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    // The post grants it to Honduras: refused too.
    let forged = change_as(&post, &doc, enlace_docs::actor_for_key(&post.key), |d| {
        let mut json = d.to_json().expect("json");
        json["grants"] = json!([{
            "id": "g", "country": "HN", "purpose": "repatriation",
            "until": today() + chrono::Days::new(30), "reason": "x",
            "by": "x", "at": format!("{}T00:00:00.000Z", today()),
        }]);
        d.write(&json).expect("write");
    });
    let page = page_by(
        &post_signing,
        vec![group(Some(&doc), "risk_assessment", vec![forged])],
    );
    assert_refused(
        &mut hub,
        &post.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    assert!(
        hub.app
            .store
            .read()
            .reach_of(&doc)
            .expect("row")
            .is_some_and(|r| r.nodes.is_empty() && r.grants.is_empty())
    );

    // Honduras writes a level into Guatemala's risk document: kept aside.
    sync(&mut hn, &mut hub);
    let hn_signing = signing_key(&hn);
    let forged = change_as(&hub, &doc, enlace_docs::actor_for_key(&hn.key), |d| {
        let mut json = d.to_json().expect("json");
        json["assessments"][0]["level"] = json!("low");
        d.write(&json).expect("write");
    });
    let page = page_by(
        &hn_signing,
        vec![group(Some(&doc), "risk_assessment", vec![forged])],
    );
    assert_refused(
        &mut hub,
        &hn.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    assert_eq!(
        hub.app
            .victim_risk(&case.reference, "V1")
            .expect("risk")
            .current[0]
            .level,
        RiskLevel::Critical
    );
}

/// The post's own record, rewritten by hand as a stolen laptop could.
fn forged_by_post(post: &Node, doc: &str, f: impl FnOnce(&mut serde_json::Value)) -> Page {
    super::forge::own_edit_page(post, doc, "risk_assessment", f)
}

#[test]
fn a_stolen_border_post_cannot_take_away_rewrite_or_redirect_a_victims_risk() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut post = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    pair_as(&mut hub, &mut post, NodeRole::BorderPost);
    let case = case_with_victim(&mut post, "Víctima", json!({"scope": "regional"}));
    let first = post
        .app
        .risk_add(&case.reference, assess("critical", None))
        .expect("assess");
    let first_id = first.current[0].id.clone();
    sync(&mut post, &mut hub);
    let doc = risk_docs(&hub, &case.id)[0].clone();
    let far = today() + chrono::Days::new(3650);

    let hostile: Vec<(&str, Forgery)> = vec![
        (
            "every assessment taken away",
            Box::new(|j| j["assessments"] = json!([])),
        ),
        (
            "the level lowered and the review put off",
            Box::new(move |j| {
                j["assessments"][0]["level"] = json!("low");
                j["assessments"][0]["next_review"] = json!(far);
            }),
        ),
        (
            "another victim's",
            Box::new(|j| j["pseudonym"] = json!("V2")),
        ),
        (
            "another person's",
            Box::new(|j| j["person_ref"] = json!(uuid::Uuid::new_v4())),
        ),
        (
            "a review due before it was made",
            Box::new(move |j| {
                let mut e = j["assessments"][0].clone();
                e["id"] = json!("forged");
                e["reviews"] = json!([first_id.clone()]);
                e["assessed_on"] = json!(today());
                e["next_review"] = json!(today() - chrono::Days::new(1));
                j["assessments"].as_array_mut().expect("list").push(e);
            }),
        ),
    ];
    for (what, f) in &hostile {
        let page = forged_by_post(&post, &doc, f.as_ref());
        let applied = hub.app.apply_page(&post.key, &page, None).expect("apply");
        assert!(
            applied
                .refused
                .iter()
                .any(|r| r.reason == enlace_sync::RefusalReason::NotAllowed),
            "{what}: {:?}",
            applied.refused
        );
    }
    let view = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    assert_eq!(view.history.len(), 1);
    assert_eq!(view.current[0].level, RiskLevel::Critical);
    assert_eq!(view.next_review, Some(first.current[0].next_review));

    // A review written by hand, as the app would write it, goes through:
    // the rule refuses what the app never writes, not a review.
    let id = first.current[0].id.clone();
    let page = forged_by_post(&post, &doc, move |j| {
        let mut e = j["assessments"][0].clone();
        e["id"] = json!("review-by-hand");
        e["reviews"] = json!([id]);
        e["level"] = json!("high");
        e["next_review"] = json!(today() + chrono::Days::new(14));
        j["assessments"].as_array_mut().expect("list").push(e);
    });
    let applied = hub.app.apply_page(&post.key, &page, None).expect("apply");
    assert!(applied.refused.is_empty(), "{:?}", applied.refused);
    let view = hub.app.victim_risk(&case.reference, "V1").expect("risk");
    assert_eq!(view.current[0].level, RiskLevel::High);
    assert_eq!(view.history.len(), 2);
}

#[test]
fn another_countrys_record_naming_a_victim_is_neither_merged_nor_a_block_to_her_grants() {
    let mut gt = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let case = case_with_victim(&mut gt, "Víctima", json!({"scope": "regional"}));
    let first = gt
        .app
        .risk_add(&case.reference, assess("critical", None))
        .expect("assess");
    let hers = risk_docs(&gt, &case.id)[0].clone();
    // A border post of Guatemala makes a record of its own for her that
    // names no person: her record is still found by her person.
    let mut post = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    pair_as(&mut gt, &mut post, NodeRole::BorderPost);
    let stray = json!({
        "id": uuid::Uuid::new_v4(), "case": case.id, "pseudonym": "V1",
        "owner": {"country": "GT", "node": post.app.node.node_id},
        "nodes": [], "grants": [], "assessments": [], "referrals": [], "demo": false,
    });
    let stray_id = stray["id"].as_str().expect("id").to_owned();
    let page = page_by(
        &signing_key(&post),
        vec![group(
            Some(&stray_id),
            "risk_assessment",
            vec![super::forge::new_doc(&post, &stray)],
        )],
    );
    let applied = gt.app.apply_page(&post.key, &page, None).expect("apply");
    assert!(applied.refused.is_empty(), "its own: {:?}", applied.refused);
    let made = grant_v1_to_honduras(&mut gt, &case.reference);
    assert!(
        gt.app
            .store
            .read()
            .reach_of(&hers)
            .expect("row")
            .is_some_and(|r| !r.grants.is_empty()),
        "her record follows her grant"
    );
    sync(&mut hn, &mut gt);
    let person = gt.app.case(&case.reference).expect("case").case.persons[0]
        .person_ref
        .expect("identity");

    // Honduras makes a record of its own naming Guatemala's victim and
    // person, granted to Guatemala, whose "review" supersedes hers.
    let forged = json!({
        "id": uuid::Uuid::new_v4(),
        "case": case.id,
        "pseudonym": "V1",
        "person_ref": person,
        "owner": {"country": "HN", "node": hn.app.node.node_id},
        "nodes": [],
        "grants": [{
            "id": "g", "country": "GT", "purpose": "repatriation",
            "until": today() + chrono::Days::new(30), "reason": "x",
            "by": "x", "at": format!("{}T00:00:00.000Z", today()),
        }],
        "assessments": [{
            "id": "hn", "assessed_on": today(), "assessor": "x", "by": "x",
            "recorded_at": "", "level": "low", "threats": [],
            "measures_taken": "", "measures_needed": "",
            "next_review": today() + chrono::Days::new(3650),
            "reviews": [first.current[0].id], "notes": "",
        }],
        "referrals": [],
        "demo": false,
    });
    let id = forged["id"].as_str().expect("id").to_owned();
    let page = page_by(
        &signing_key(&hn),
        vec![group(
            Some(&id),
            "risk_assessment",
            vec![super::forge::new_doc(&hn, &forged)],
        )],
    );
    gt.app.apply_page(&hn.key, &page, None).expect("apply");
    // Whether or not it is kept, it is not her risk in Guatemala.
    let view = gt.app.victim_risk(&case.reference, "V1").expect("risk");
    assert_eq!(view.current.len(), 1, "{view:?}");
    assert_eq!(view.current[0].level, RiskLevel::Critical);
    assert!(!view.concurrent);
    assert_eq!(view.next_review, Some(first.current[0].next_review));
    crate::clock::skewed(chrono::TimeDelta::days(10), || {
        let due = gt.app.risks_due(0).expect("due");
        assert_eq!(due.len(), 1, "still due: {due:?}");
        assert_eq!(due[0].levels, [RiskLevel::Critical]);
    });
    // Guatemala still revokes her grant (the foreign record is not its to
    // follow, and does not stop it).
    gt.app.grant_revoke(&made[0].grant.id).expect("revoke");
    assert!(
        gt.app
            .store
            .read()
            .reach_of(&hers)
            .expect("row")
            .is_some_and(|r| r.grants.is_empty()),
        "her record no longer granted"
    );
    // And Honduras records no risk of Guatemala's victim through the app.
    let refused = hn.app.risk_add(&case.reference, assess("low", None));
    assert!(
        matches!(refused, Err(crate::CoreError::NotOwner { .. })),
        "{refused:?}"
    );
}
