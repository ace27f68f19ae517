//! Handling codes at sync: a case holding an H2 item ("not to be passed on
//! without the originator's permission") reaches a third country only
//! from its owner's nodes — a relay skips it, and a receiver refuses it
//! from one.

use super::*;

fn case_with_item(n: &mut Node, title: &str, handling: &str) -> CaseSaved {
    n.app
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": title,
                "classification": "trafficking",
                "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
                "audience": {"scope": "regional"},
                "information": [{
                    "text": "Informante en la frontera: el grupo cruza los martes.",
                    "source_agency": "PNC", "reliability": "B", "credibility": "2",
                    "handling": handling, "originator": "PNC Guatemala"
                }]
            }))
            .expect("input"),
        )
        .expect("create")
}

fn holds(n: &Node, id: &str) -> bool {
    n.app.store().read().doc(id).expect("read").is_some()
}

#[test]
fn an_h2_case_is_not_passed_on_to_a_third_country() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    let mut sv = node("SV", "NTF El Salvador");
    pair(&mut gt, &mut hn);
    pair(&mut hn, &mut sv);
    // El Salvador knows Guatemala's hub as an author (its anchor), without
    // a link to it.
    trust(&mut sv, &gt);
    let h2 = case_with_item(&mut gt, "Red con informante protegido", "H2");
    let open = case_with_item(&mut gt, "Red sin restricciones", "H1");
    sync(&mut hn, &mut gt);
    assert!(
        holds(&hn, &h2.id),
        "the owner passes it to a receiving country"
    );
    assert!(holds(&hn, &open.id));
    // Honduras relays to El Salvador: the H1 case goes, the H2 case does not.
    sync(&mut sv, &mut hn);
    assert!(holds(&sv, &open.id), "a case without H2 is relayed");
    assert!(!holds(&sv, &h2.id), "an H2 case is not passed on");
    sync(&mut hn, &mut sv);
    assert!(!holds(&sv, &h2.id));

    // A relay that sends it anyway (an older or altered node): the page
    // Honduras makes for a Honduran laptop (which may hold it), applied at
    // El Salvador as coming from Honduras, is refused for that case.
    let mut laptop = node("HN", "Portátil Honduras");
    pair(&mut hn, &mut laptop);
    let laptop_key = laptop.key;
    let page = hn
        .app
        .build_page(
            &laptop_key,
            &enlace_sync::Cursor::start(),
            &enlace_sync::Wants::default(),
            1 << 20,
        )
        .expect("page");
    let carried: Vec<String> = page
        .groups
        .iter()
        .filter_map(|g| g.doc.as_ref().map(crate::replica::doc_id_string))
        .collect();
    assert!(carried.contains(&h2.id), "the laptop's page carries it");
    let hn_key = hn.key;
    let applied = sv.app.apply_page(&hn_key, &page, None).expect("apply");
    assert!(!holds(&sv, &h2.id), "refused: {:?}", applied.refused);
    assert!(
        applied
            .refused
            .iter()
            .any(|r| r.reason == enlace_sync::RefusalReason::NotInAudience),
        "{:?}",
        applied.refused
    );
    // Straight from its owner, El Salvador may hold it (the audience is
    // regional).
    trust(&mut gt, &sv);
    sync(&mut sv, &mut gt);
    assert!(holds(&sv, &h2.id), "from the owner it comes");
}
