//! Documents that several nodes of one country may create apart (the
//! country's legal assessment) start from the same root everywhere, so a
//! merge keeps every node's edits instead of one node's maps.

use super::*;
use enlace_domain::legal::AssessmentStatus;

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
    let root = enlace_domain::LegalAssessment::new(
        Owner {
            country: gt.clone(),
            node: String::new(),
        },
        false,
    );
    let a = node("GT", "A");
    let b = node("GT", "B");
    let mut da = enlace_docs::Document::genesis(&root, a.app.node.actor.clone()).expect("a");
    let mut db = enlace_docs::Document::genesis(&root, b.app.node.actor.clone()).expect("b");
    assert_eq!(da.raw_changes(), db.raw_changes());
    let (_, bytes) = &da.raw_changes()[0];
    let parsed = enlace_docs::ParsedChange::parse(bytes).expect("parse");
    assert_eq!(enlace_sync::proof::actor_key(&parsed.actor), None);
    assert!(da.history().is_empty());
}
