//! Documents that several nodes of one country may create apart (the
//! country's legal assessment) start from the same root everywhere, so a
//! merge keeps every node's edits instead of one node's maps.

use super::*;
use enlace_domain::legal::AssessmentStatus;
use enlace_sync::{Applied, RefusalReason};

use super::attacks::doc_json;
use super::forge::*;

fn item(n: &Node, item: &str) -> AssessmentItem {
    let mut app_view = n.app.legal_assessment("GT").expect("view");
    app_view
        .assessment
        .items
        .remove(item)
        .expect("the item is there")
}

#[test]
fn two_nodes_that_assess_apart_before_they_first_sync_keep_both_edits() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Fiscalía GT");
    let mut hn = node("HN", "Honduras");
    pair(&mut laptop, &mut hub);
    pair(&mut hn, &mut hub);
    // Neither node holds Guatemala's assessment; both edit it offline:
    // different items, and two fields of one item.
    hub.app
        .update_legal_item("GT", "TIP-05", &json!({"status": "compliant"}))
        .expect("hub");
    hub.app
        .update_legal_item(
            "GT",
            "TIP-01",
            &json!({"gap": "Falta la definición de explotación."}),
        )
        .expect("hub");
    laptop
        .app
        .update_legal_item("GT", "TIP-09", &json!({"status": "not_compliant"}))
        .expect("laptop");
    laptop
        .app
        .update_legal_item(
            "GT",
            "TIP-01",
            &json!({"assessor": "Lcda. José Núñez Ávila"}),
        )
        .expect("laptop");
    // One session each way is enough: the groups name their document, so
    // nobody has to ask for it whole.
    let first = sync(&mut laptop, &mut hub);
    assert_eq!(first.refused_here + first.refused_by_peer, 0, "{first:?}");
    let second = sync(&mut hn, &mut hub);
    assert_eq!(second.traffic.docs_received, 1, "{second:?}");
    assert_eq!(second.requests, 1, "{second:?}");
    let id = enlace_domain::assessment::assessment_id(&CountryCode::parse("GT").expect("GT"));
    let id = id.to_string();
    for n in [&hub, &laptop, &hn] {
        assert_eq!(
            item(n, "TIP-05").status,
            AssessmentStatus::Compliant,
            "{}",
            n.name
        );
        assert_eq!(
            item(n, "TIP-09").status,
            AssessmentStatus::NotCompliant,
            "{}",
            n.name
        );
        let tip01 = item(n, "TIP-01");
        assert_eq!(
            tip01.gap, "Falta la definición de explotación.",
            "{}",
            n.name
        );
        assert_eq!(tip01.assessor, "Lcda. José Núñez Ávila", "{}", n.name);
        // Nothing hidden behind a concurrent map.
        let view = n.app.legal_assessment("GT").expect("view");
        assert!(
            view.conflicts.is_empty(),
            "{}: {:?}",
            n.name,
            view.conflicts
        );
        assert!(n.app.quarantine().expect("q").is_empty(), "{}", n.name);
    }
    assert_eq!(heads(&hub, &id), heads(&laptop, &id));
    assert_eq!(heads(&hub, &id), heads(&hn, &id));
    // The common root is nobody's change: the history names the two nodes'.
    let h = hub.app.legal_item_history("GT", "TIP-01").expect("history");
    assert_eq!(h.len(), 2, "{h:?}");
}

#[test]
fn the_common_root_is_not_a_change_anyone_can_pass_off_as_a_node() {
    // The root every node makes is the same bytes, written by an actor no
    // key has; a node's own first change depends on it.
    let gt = CountryCode::parse("GT").expect("GT");
    let root = enlace_domain::LegalAssessment::root(&gt);
    let a = node("GT", "A");
    let b = node("GT", "B");
    let mut da = enlace_docs::Document::genesis(&root, a.app.node.actor.clone()).expect("a");
    let mut db = enlace_docs::Document::genesis(&root, b.app.node.actor.clone()).expect("b");
    assert_eq!(da.raw_changes(), db.raw_changes());
    let (_, bytes) = &da.raw_changes()[0];
    let parsed = enlace_docs::ParsedChange::parse(bytes).expect("parse");
    assert_eq!(enlace_sync::proof::actor_key(&parsed.actor), None);
    assert!(da.history().is_empty());
    // Pinned: every version must make the same root, or its nodes and the
    // others would not share the document (a newer catalogue reaches it
    // by an ordinary change).
    assert_eq!(hex::encode(da.head_hashes()[0]), ROOT_GT);
}

/// The hash of Guatemala's assessment root.
const ROOT_GT: &str = "9d6ea99b8795cfd74b7f31261cca91fed8153810b5f8e3a9efebc929ed2a59ff";

/// What a page from `from` does to `to`.
fn deliver(from: &Node, to: &mut Node, id: &str, kind: &str, change: Vec<u8>) -> Applied {
    let key = from.app.node.signing_key().clone();
    to.app
        .apply_page(
            &from.key,
            &page_by(&key, vec![group(Some(id), kind, vec![change])]),
            None,
        )
        .expect("applies")
}

#[test]
fn an_assessment_made_before_common_roots_is_not_grafted_onto_one() {
    let gt = node("GT", "Guatemala (versión anterior)");
    let mut hn = node("HN", "Honduras");
    trust(&mut hn, &gt);
    // Guatemala's assessment as an earlier version made it: its own first
    // change, depending on nothing, with an item assessed.
    let cc = CountryCode::parse("GT").expect("GT");
    let mut a = enlace_domain::LegalAssessment::root(&cc);
    a.owner.node = gt.app.node.node_id.clone();
    if let Some(i) = a.items.get_mut("TIP-05") {
        i.status = AssessmentStatus::Compliant;
    }
    let id = a.id.to_string();
    let got = deliver(
        &gt,
        &mut hn,
        &id,
        "legal_assessment",
        new_doc(&gt, &serde_json::to_value(&a).expect("json")),
    );
    assert!(got.refused.is_empty(), "{got:?}");
    // Read as it was made, not hidden behind a root it never had.
    let view = hn.app.legal_assessment("GT").expect("view");
    assert_eq!(
        view.assessment.items["TIP-05"].status,
        AssessmentStatus::Compliant
    );
    assert!(view.conflicts.is_empty(), "{:?}", view.conflicts);
}

#[test]
fn no_other_kind_of_document_takes_an_assessment_id_and_no_demo_travels() {
    let mut hn = node("HN", "Honduras (atacante)");
    let mut gt = node("GT", "Guatemala");
    trust(&mut gt, &hn);
    // A Honduran case under Guatemala's assessment id.
    let saved = case_with_victim(&mut hn, "Caso en otro sitio", json!({"scope": "regional"}));
    let mut c = doc_json(&hn, &saved.id);
    let gt_id = enlace_domain::assessment::assessment_id(&CountryCode::parse("GT").expect("GT"))
        .to_string();
    c["id"] = json!(gt_id);
    let got = deliver(&hn, &mut gt, &gt_id, "case", new_doc(&hn, &c));
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::NotAllowed),
        "{got:?}"
    );
    assert!(!holds(&gt, &gt_id));
    // Guatemala still assesses.
    gt.app
        .update_legal_item("GT", "TIP-05", &json!({"status": "compliant"}))
        .expect("assess");
    // A case that says it is demonstration data is refused: it would stay
    // on the receiver only, and turn a real document local.
    let mut d = doc_json(&hn, &saved.id);
    d["demo"] = json!(true);
    let other = uuid::Uuid::new_v4().to_string();
    d["id"] = json!(other);
    let got = deliver(&hn, &mut gt, &other, "case", new_doc(&hn, &d));
    assert!(!got.refused.is_empty(), "{got:?}");
    assert!(!holds(&gt, &other));
}

#[test]
fn references_a_peer_writes_must_be_its_countrys_and_written_plainly() {
    let mut hn = node("HN", "Honduras (atacante)");
    let mut gt = node("GT", "Guatemala");
    trust(&mut gt, &hn);
    let saved = case_with_victim(&mut hn, "Caso", json!({"scope": "regional"}));
    let base = doc_json(&hn, &saved.id);
    let series = saved.reference.clone();
    let lower = series.to_lowercase();
    for (what, field, value) in [
        (
            "another country's former reference",
            "former_references",
            json!(["GT-K7M3Q-2026-0042"]),
        ),
        (
            "a sequence that would overflow a counter",
            "former_references",
            json!([format!("HN-{}-2026-4294967295", hn.app.node.code)]),
        ),
        ("a reference in lower case", "reference", json!(lower)),
        (
            "a reference with a space",
            "reference",
            json!(format!(" {series}")),
        ),
    ] {
        let mut c = base.clone();
        c[field] = value;
        let id = uuid::Uuid::new_v4().to_string();
        c["id"] = json!(id);
        let got = deliver(&hn, &mut gt, &id, "case", new_doc(&hn, &c));
        assert!(
            got.refused
                .iter()
                .any(|r| r.reason == RefusalReason::NotAllowed),
            "{what}: {got:?}"
        );
        assert!(!holds(&gt, &id), "{what}");
    }
    // Guatemala's own numbering is untouched.
    let mine = case_with_victim(&mut gt, "Propio", json!({"scope": "national"}));
    assert!(mine.reference.ends_with("-0001"), "{}", mine.reference);
}
