//! Changes that are not what they claim: forged, equivocating, pointing elsewhere, taking another country's place or owner.

use super::super::forge::*;
use super::super::*;
use super::*;
use enlace_docs::{actor_for_key, session_actor};
use enlace_sync::{Cursor, RefusalReason, Wants};
use serde_json::json;

/// Finding 1: a change that claims another node's authorship, in a group
/// that does not name its document, placed before the document's history.
/// It was kept as "missing history" without its proof being checked, then
/// applied and logged with no proof once the history came, shown as
/// Guatemala's and relayed on.
#[test]
fn a_forged_change_is_never_applied_logged_or_relayed_whatever_the_order() {
    let mut gt = node("GT", "Guatemala");
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    let mut post = node("HN", "Honduras frontera");
    pair(&mut gt, &mut mx);
    pair(&mut mx, &mut hn);
    pair(&mut hn, &mut post);
    // Honduras and its post verify Guatemala's changes: Guatemala's hub
    // is an anchor from the list Honduras' NTF distributed.
    let anchors = vec![Anchor {
        name: gt.name.clone(),
        country: "GT".into(),
        key: hex::encode(gt.key),
    }];
    hn.app.import_anchors(&anchors).expect("anchors");
    post.app.import_anchors(&anchors).expect("anchors");
    let saved = case_with_victim(&mut gt, "Caso original", json!({"scope": "regional"}));
    sync(&mut mx, &mut gt);

    // Mexico's honest page for Honduras (the case, with Guatemala's own
    // proofs)...
    let mut page = mx
        .app
        .build_page(&hn.key, &Cursor::start(), &Wants::default(), 1 << 20)
        .expect("page");
    // ...with, in front, a change to the title under Guatemala's actor.
    let forged = change_as(&mx, &saved.id, actor_for_key(&gt.key), |d| {
        d.put_scalar_at(&["title"], &json!("Título falsificado"))
            .expect("put");
    });
    prepend(&mut page, vec![group(None, "", vec![forged.clone()])]);
    let got = hn
        .app
        .apply_page(&mx.key, &page, None)
        .expect("the page applies");
    assert_eq!(got.docs, 1, "the honest part applies");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::BadSignature),
        "{got:?}"
    );
    assert_eq!(title(&mut hn, &saved.reference), "Caso original");
    assert!(!logged(&hn, &saved.id, &forged));
    let forged_hex = hex::encode(hash_of(&forged));
    assert!(
        quarantined(&hn).contains(&(forged_hex.clone(), "bad_signature".into())),
        "{:?}",
        quarantined(&hn)
    );

    // Signed by the attacker itself: a proof covers only its author's own
    // changes, and this one names Guatemala's actor.
    let page = page_by(
        mx.app.node.signing_key(),
        vec![group(None, "", vec![forged.clone()])],
    );
    hn.app.apply_page(&mx.key, &page, None).expect("applies");
    assert_eq!(title(&mut hn, &saved.reference), "Caso original");
    assert!(!logged(&hn, &saved.id, &forged));

    // Nothing of it travels on: Honduras' post gets the case as Guatemala
    // wrote it, and nothing to quarantine.
    sync(&mut post, &mut hn);
    assert_eq!(title(&mut post, &saved.reference), "Caso original");
    assert!(!logged(&post, &saved.id, &forged));
    assert!(quarantined(&post).is_empty(), "{:?}", quarantined(&post));
    assert_eq!(heads(&post, &saved.id), heads(&gt, &saved.id));
}

/// Finding 1, through the quarantine: a change kept for want of history
/// keeps its proof and is proven again when it is retried; one whose
/// stored proof no longer holds is never applied.
#[test]
fn a_kept_change_is_proven_again_when_it_is_retried() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    gt.app
        .update_case(&saved.reference, &json!({"summary": "Ampliado."}))
        .expect("edit");
    let log: Vec<Vec<u8>> = gt
        .app
        .store
        .read()
        .log_of_doc(&saved.id)
        .expect("log")
        .into_iter()
        .map(|r| r.change)
        .collect();
    let (last, before) = log.split_last().expect("changes");
    let key = gt.app.node.signing_key().clone();
    // The latest change alone: Honduras keeps it, with its proof.
    let page = page_by(&key, vec![group(None, "", vec![last.clone()])]);
    hn.app.apply_page(&gt.key, &page, None).expect("applies");
    let kept = hn
        .app
        .store
        .read()
        .quarantine_by_reason("missing_history", 10)
        .expect("q");
    assert_eq!(kept.len(), 1);
    assert!(kept[0].proof_id.is_some(), "kept with its proof");
    // Someone with access to Honduras' database gives the kept change
    // another proof; then the history arrives.
    hn.app
        .store
        .write(|tx| {
            let other = tx.put_proof(&gt.key, &[1; 64], &hash_of(last))?;
            tx.put_quarantine(&enlace_store::QuarantineRow {
                proof_id: Some(other),
                ..kept[0].clone()
            })
        })
        .expect("tamper");
    let page = page_by(&key, vec![group(Some(&saved.id), "case", before.to_vec())]);
    hn.app.apply_page(&gt.key, &page, None).expect("applies");
    assert!(holds(&hn, &saved.id));
    assert!(
        !logged(&hn, &saved.id, last),
        "applied only with a proof that holds"
    );
    assert_eq!(
        quarantined(&hn),
        vec![(hex::encode(hash_of(last)), "bad_signature".into())]
    );
    // The same change with its real proof, from an honest sync: applied,
    // and no longer kept aside.
    sync(&mut hn, &mut gt);
    assert!(logged(&hn, &saved.id, last));
    assert!(quarantined(&hn).is_empty(), "{:?}", quarantined(&hn));
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
}

/// Finding 2: a second change with the same actor and number (a node
/// that equivocates) made automerge fail the whole page, every round.
#[test]
fn an_equivocating_change_is_kept_and_the_rest_of_the_page_applies() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let actor = session_actor(&gt.key, &[7; 8]);
    let one = change_as(&gt, &saved.id, actor.clone(), |d| {
        d.put_scalar_at(&["summary"], &json!("uno")).expect("put");
    });
    let two = change_as(&gt, &saved.id, actor, |d| {
        d.put_scalar_at(&["summary"], &json!("dos")).expect("put");
    });
    let key = gt.app.node.signing_key().clone();
    hn.app
        .apply_page(
            &gt.key,
            &page_by(&key, vec![group(Some(&saved.id), "case", vec![one])]),
            None,
        )
        .expect("the first applies");
    // The second, with an honest new case in the same page.
    let other = case_with_victim(&mut gt, "Otro caso", json!({"scope": "regional"}));
    let acked = hn_acked(&mut gt, &hn);
    let mut page = gt
        .app
        .build_page(&hn.key, &acked, &Wants::default(), 1 << 20)
        .expect("page");
    let mut bad = page_by(
        &key,
        vec![group(Some(&saved.id), "case", vec![two.clone()])],
    );
    prepend(&mut page, std::mem::take(&mut bad.groups));
    page.proofs.push(bad.proofs.remove(0));
    let got = hn
        .app
        .apply_page(&gt.key, &page, None)
        .expect("the page applies");
    assert!(holds(&hn, &other.id), "the rest of the page applied");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::Equivocation),
        "{got:?}"
    );
    assert_eq!(
        hn.app.case(&saved.reference).expect("case").case.summary,
        "uno"
    );
    assert!(quarantined(&hn).contains(&(hex::encode(hash_of(&two)), "equivocation".into())));
    // And the next round is not stuck on it.
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.refused_here, 0, "{stats:?} {:?}", hn.app.quarantine());
}

/// Finding 2: a case whose person points at a document that is not a
/// person failed indexing and with it the whole page, every round.
#[test]
fn a_case_pointing_at_a_non_person_does_not_fail_the_page() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut laptop = node("GT", "Laptop comprometida");
    pair(&mut hub, &mut laptop);
    let target = case_with_victim(&mut hub, "Caso del hub", json!({"scope": "national"}));
    let mine = case_with_victim(
        &mut laptop,
        "Caso de la laptop",
        json!({"scope": "national"}),
    );
    let mut json = doc_json(&laptop, &mine.id);
    let id = uuid::Uuid::new_v4().to_string();
    json["id"] = json!(id);
    json["reference"] = json!("GT-2026-0900");
    json["persons"][0]["person_ref"] = json!(target.id);
    let change = new_doc(&laptop, &json);
    let page = page_by(
        laptop.app.node.signing_key(),
        vec![group(Some(&id), "case", vec![change])],
    );
    hub.app
        .apply_page(&laptop.key, &page, None)
        .expect("the page applies");
    assert!(holds(&hub, &id));
    assert_eq!(
        hub.app.case("GT-2026-0900").expect("indexed").case.title,
        "Caso de la laptop"
    );
    sync(&mut laptop, &mut hub);
}

/// Finding 2: a node restored from a backup numbers its new changes as
/// ones it had written before — automerge numbers each actor's changes per
/// document. Each opening of a node writes under a session actor of its
/// own, so no number is given twice. Its bundles are told apart by the
/// digest their sender signs, not by their number.
#[test]
fn a_node_restored_from_a_backup_reuses_no_change_or_bundle_number() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Antes de la copia", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let backup = back_up(&mut gt);
    // Work that reaches Honduras, by sync and by a bundle...
    gt.app
        .update_case(&saved.reference, &json!({"status": "prosecution"}))
        .expect("edit");
    sync(&mut hn, &mut gt);
    let stick = tempfile::tempdir().expect("stick");
    let first = stick.path().join("uno.enlace");
    gt.app
        .export_bundle(&hn.name, &first, &mut |_, _| {})
        .expect("export");
    hn.app
        .import_bundle(&first, &mut |_, _| {})
        .expect("import");
    // ...then the disk dies and the backup is restored. The same case is
    // edited again, from where the backup left it.
    drop(std::mem::replace(
        &mut gt.app,
        App::open(&backup, PASS).expect("restored"),
    ));
    gt.app
        .update_case(
            &saved.reference,
            &json!({"summary": "Editado tras restaurar"}),
        )
        .expect("edit after restore");
    let second = stick.path().join("dos.enlace");
    let out = gt
        .app
        .export_bundle(&hn.name, &second, &mut |_, _| {})
        .expect("export");
    assert_eq!(
        out.seq, 1,
        "the restored node numbers its bundles from where the backup was"
    );
    let got = hn
        .app
        .import_bundle(&second, &mut |_, _| {})
        .expect("not taken for a replay");
    assert_eq!(got.refused, 0, "{got:?}");
    sync(&mut hn, &mut gt);
    sync(&mut gt, &mut hn);
    assert!(quarantined(&hn).is_empty(), "{:?}", quarantined(&hn));
    let v = hn.app.case(&saved.reference).expect("case").case;
    assert_eq!(v.status, enlace_domain::CaseStatus::Prosecution);
    assert_eq!(v.summary, "Editado tras restaurar");
    assert_eq!(heads(&gt, &saved.id), heads(&hn, &saved.id));
    // The same file twice is still a replay.
    assert!(matches!(
        hn.app.import_bundle(&second, &mut |_, _| {}),
        Err(CoreError::BundleReplayed { .. })
    ));
}

/// Finding 4: a node of Mexico takes Guatemala's legal assessment slot,
/// a task of Guatemala's country, or a reference in Guatemala's series.
#[test]
fn a_node_cannot_take_another_countrys_slot() {
    let mut gt = node("GT", "Guatemala");
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    pair(&mut mx, &mut hn);
    pair(&mut gt, &mut hn);
    let mx_key = mx.app.node.signing_key().clone();
    let mx_pub = mx.key;
    let refused = |hn: &mut Node, id: &str, kind: &str, change: Vec<u8>| {
        let got = hn
            .app
            .apply_page(
                &mx_pub,
                &page_by(&mx_key, vec![group(Some(id), kind, vec![change])]),
                None,
            )
            .expect("applies");
        assert!(
            got.refused
                .iter()
                .any(|r| r.reason == RefusalReason::NotAllowed),
            "{kind}: {got:?}"
        );
        assert!(!holds(hn, id), "{kind} kept");
    };
    // The assessment: Guatemala's id and country, owned by Mexico.
    mx.app
        .update_legal_item("MX", "TIP-05", &json!({"status": "compliant"}))
        .expect("assess");
    let mx_id = enlace_domain::assessment::assessment_id(
        &enlace_domain::CountryCode::parse("MX").expect("MX"),
    )
    .to_string();
    let gt_id = enlace_domain::assessment::assessment_id(
        &enlace_domain::CountryCode::parse("GT").expect("GT"),
    )
    .to_string();
    let mut a = doc_json(&mx, &mx_id);
    a["id"] = json!(gt_id);
    a["country"] = json!("GT");
    refused(&mut hn, &gt_id, "legal_assessment", new_doc(&mx, &a));
    // Guatemala's own assessment still reaches Honduras, and Guatemala
    // keeps editing it.
    gt.app
        .update_legal_item("GT", "TIP-05", &json!({"status": "partially_compliant"}))
        .expect("assess");
    sync(&mut hn, &mut gt);
    assert!(holds(&hn, &gt_id));
    let view = hn.app.legal_assessment("GT").expect("view");
    assert_eq!(
        view.assessment.items["TIP-05"].status,
        enlace_domain::legal::AssessmentStatus::PartiallyCompliant
    );
    // What stays aside is Mexico's change alone (tried again, now that the
    // document is here, and refused again), never Guatemala's.
    let aside = hn.app.quarantine().expect("quarantine");
    assert!(
        aside
            .iter()
            .all(|q| q.author == "México (atacante)" && q.reason == "not_allowed"),
        "{aside:?}"
    );
    // A plan task of Guatemala, owned by Mexico.
    let task = mx
        .app
        .create_task(
            serde_json::from_value(json!({
                "component": "cooperation", "output": "1.1", "title": {"es": "Tarea"},
                "country": "MX", "due": "2027-01-01"
            }))
            .expect("input"),
        )
        .expect("task");
    let mut t = doc_json(&mx, &task.id);
    let tid = uuid::Uuid::new_v4().to_string();
    t["id"] = json!(tid);
    t["country"] = json!("GT");
    refused(&mut hn, &tid, "plan_task", new_doc(&mx, &t));
    // A case in Guatemala's series, owned by Mexico.
    let case = case_with_victim(&mut mx, "Caso", json!({"scope": "regional"}));
    let mut c = doc_json(&mx, &case.id);
    let cid = uuid::Uuid::new_v4().to_string();
    c["id"] = json!(cid);
    c["reference"] = json!("GT-2026-0001");
    refused(&mut hn, &cid, "case", new_doc(&mx, &c));
}

/// Finding 4: the owner's country may change its document, but not give
/// it away (a document given to Mexico would be Mexico's to edit).
#[test]
fn a_document_cannot_be_given_another_owner() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let change = change_as(&gt, &saved.id, session_actor(&gt.key, &[3; 8]), |d| {
        d.put_scalar_at(&["owner", "country"], &json!("MX"))
            .expect("put");
    });
    let got = hn
        .app
        .apply_page(
            &gt.key,
            &page_by(
                &gt.app.node.signing_key().clone(),
                vec![group(Some(&saved.id), "case", vec![change])],
            ),
            None,
        )
        .expect("applies");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::NotAllowed),
        "{got:?}"
    );
    assert_eq!(
        hn.app
            .case(&saved.reference)
            .expect("case")
            .case
            .owner
            .country
            .as_str(),
        "GT"
    );
}

/// A node of the same country (a stolen laptop) issues references in
/// another node's series — a new case with the hub's next reference, or a
/// case of its own renumbered into the hub's series — to collide with it:
/// both are refused, since a reference with a node code names the node
/// whose key wrote it. Its own series, and references from before node
/// codes, still arrive.
#[test]
fn a_node_cannot_issue_a_reference_in_another_nodes_series() {
    let mut hub = node("GT", "Hub GT");
    let mut evil = node("GT", "Portátil robado");
    pair(&mut evil, &mut hub);
    let evil_key = evil.app.node.signing_key().clone();
    let evil_pub = evil.key;
    let hub_series = enlace_domain::CaseRef::series(
        &enlace_domain::CountryCode::parse("GT").expect("GT"),
        &enlace_domain::NodeCode::parse(&hub.app.node_info().node_code).expect("code"),
        2026,
    );
    let send = |hub: &mut Node, id: &str, change: Vec<u8>| {
        hub.app
            .apply_page(
                &evil_pub,
                &page_by(&evil_key, vec![group(Some(id), "case", vec![change])]),
                None,
            )
            .expect("the page applies")
    };
    // A new case under the hub's next reference.
    let own = case_with_victim(&mut evil, "Caso propio", json!({"scope": "national"}));
    let mut forged = doc_json(&evil, &own.id);
    let forged_id = uuid::Uuid::new_v4().to_string();
    forged["id"] = json!(forged_id);
    forged["reference"] = json!(format!("{hub_series}0001"));
    let got = send(&mut hub, &forged_id, new_doc(&evil, &forged));
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::NotAllowed),
        "{got:?}"
    );
    assert!(!holds(&hub, &forged_id));
    // Its own case arrives, in its own series...
    sync(&mut evil, &mut hub);
    assert!(hub.app.case(&own.reference).is_ok());
    // ...but not renumbered into the hub's.
    let renumber = change_as(&evil, &own.id, actor_for_key(&evil.key), |d| {
        d.put_scalar_at(&["reference"], &json!(format!("{hub_series}0002")))
            .expect("put");
    });
    let got = send(&mut hub, &own.id, renumber);
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::NotAllowed),
        "{got:?}"
    );
    assert_eq!(
        hub.app.case(&own.id).expect("case").case.reference,
        own.reference
    );
    // A reference from before node codes is taken as issued.
    let mut legacy = doc_json(&evil, &own.id);
    let legacy_id = uuid::Uuid::new_v4().to_string();
    legacy["id"] = json!(legacy_id);
    legacy["reference"] = json!("GT-2025-0007");
    let got = send(&mut hub, &legacy_id, new_doc(&evil, &legacy));
    assert!(got.refused.is_empty(), "{got:?}");
    assert!(holds(&hub, &legacy_id));
}
