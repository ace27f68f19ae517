//! Two nodes of one country change the same lists apart, as the app does
//! (read the document, change the array, send it back whole in a patch):
//! after they sync, every edit is there — in a case's route and persons, a
//! legal item's provisions, a task's indicators.

use super::*;

fn route_places(n: &mut Node, key: &str) -> Vec<String> {
    n.app
        .case(key)
        .expect("case")
        .case
        .route
        .iter()
        .map(|s| s.place.clone())
        .collect()
}

#[test]
fn a_route_edited_apart_keeps_the_removal_the_edit_and_the_reorder() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let saved = case_with_victim(&mut hub, "Ruta compartida", json!({"scope": "national"}));
    let route = json!([
        {"country": "GT", "place": "Malacatán", "role": "origin"},
        {"country": "MX", "place": "Tapachula", "role": "transit"},
        {"country": "MX", "place": "Arriaga", "role": "transit"},
        {"country": "US", "place": "Houston", "role": "destination"}
    ]);
    hub.app
        .update_case(&saved.id, &json!({"route": route}))
        .expect("route");
    sync(&mut laptop, &mut hub);
    let read = |n: &mut Node| -> Vec<serde_json::Value> {
        let c = n.app.case(&saved.id).expect("case").case;
        serde_json::to_value(&c.route)
            .expect("json")
            .as_array()
            .expect("route")
            .clone()
    };
    // The hub removes the first stop and moves Houston before Arriaga.
    let r = read(&mut hub);
    hub.app
        .update_case(&saved.id, &json!({"route": [r[1], r[3], r[2]]}))
        .expect("hub");
    // The laptop, apart, corrects the last stop and adds one after Tapachula.
    let mut r = read(&mut laptop);
    r[3]["place"] = json!("Houston (Texas)");
    r.insert(
        2,
        json!({"country": "MX", "place": "Ciudad Hidalgo", "role": "transit"}),
    );
    laptop
        .app
        .update_case(&saved.id, &json!({"route": r}))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    let got = route_places(&mut hub, &saved.id);
    assert_eq!(route_places(&mut laptop, &saved.id), got);
    assert_eq!(heads(&hub, &saved.id), heads(&laptop, &saved.id));
    // Malacatán removed; Houston corrected and moved before Arriaga; the
    // new stop between Tapachula and Arriaga (both nodes put something
    // right after Tapachula: either order is a faithful merge).
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!((got[0].as_str(), got[3].as_str()), ("Tapachula", "Arriaga"));
    let mid: std::collections::BTreeSet<&str> = got[1..3].iter().map(String::as_str).collect();
    assert_eq!(
        mid,
        ["Ciudad Hidalgo", "Houston (Texas)"].into_iter().collect()
    );
}

#[test]
fn persons_provisions_and_indicators_edited_apart_keep_every_edit() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Fiscalía GT");
    pair(&mut laptop, &mut hub);
    let saved = case_with_victim(&mut hub, "Personas", json!({"scope": "national"}));
    hub.app
        .update_legal_item(
            "GT",
            "TIP-05",
            &json!({"provisions": [{"law": "Código Penal", "article": "202 Ter"}]}),
        )
        .expect("provision");
    let task = hub
        .app
        .create_task(
            serde_json::from_value(json!({
                "code": "2.1.1", "component": "training", "output": "2.1",
                "title": {"es": "Talleres"}, "country": "GT", "due": "2099-01-01",
                "indicators": [
                    {"label": "Talleres", "target": 4.0, "actual": 0.0},
                    {"label": "Participantes", "target": 100.0, "actual": 0.0}
                ]
            }))
            .expect("input"),
        )
        .expect("task");
    sync(&mut laptop, &mut hub);

    // Persons: the hub adds a suspect; the laptop edits the victim.
    let persons = |n: &mut Node| {
        serde_json::to_value(n.app.case(&saved.id).expect("case").case.persons).expect("json")
    };
    let mut p = persons(&mut hub);
    p.as_array_mut()
        .expect("persons")
        .push(json!({"pseudonym": "S1", "role": "suspect", "gender": "male"}));
    hub.app
        .update_case(&saved.id, &json!({"persons": p}))
        .expect("hub persons");
    let mut p = persons(&mut laptop);
    p[0]["age_band"] = json!("18-20");
    laptop
        .app
        .update_case(&saved.id, &json!({"persons": p}))
        .expect("laptop persons");
    // Provisions: each adds one.
    for (n, article) in [(&mut hub, "202 Quáter"), (&mut laptop, "194")] {
        let view = n.app.legal_assessment("GT").expect("view");
        let mut prov =
            serde_json::to_value(&view.assessment.items["TIP-05"].provisions).expect("json");
        prov.as_array_mut()
            .expect("provisions")
            .push(json!({"law": "Código Penal", "article": article}));
        n.app
            .update_legal_item("GT", "TIP-05", &json!({"provisions": prov}))
            .expect("provision");
    }
    // Indicators: each updates a different one.
    for (n, i, actual) in [(&mut hub, 0, 2.0), (&mut laptop, 1, 35.0)] {
        let t = n
            .app
            .plan(&crate::PlanFilter::default())
            .expect("plan")
            .tasks
            .into_iter()
            .find(|t| t.task.id.to_string() == task.id)
            .expect("task");
        let mut ind = serde_json::to_value(&t.task.indicators).expect("json");
        ind[i]["actual"] = json!(actual);
        n.app
            .update_task(&task.id, &json!({"indicators": ind}))
            .expect("indicator");
    }
    sync(&mut laptop, &mut hub);

    for n in [&mut hub, &mut laptop] {
        let c = n.app.case(&saved.id).expect("case").case;
        let who: Vec<(&str, Option<&str>)> = c
            .persons
            .iter()
            .map(|p| (p.pseudonym.as_str(), p.age_band.map(|a| a.as_str())))
            .collect();
        assert_eq!(who, vec![("V1", Some("18-20")), ("S1", None)], "{}", n.name);
        let view = n.app.legal_assessment("GT").expect("view");
        let mut articles: Vec<String> = view.assessment.items["TIP-05"]
            .provisions
            .iter()
            .map(|p| p.article.clone())
            .collect();
        articles.sort();
        assert_eq!(articles, vec!["194", "202 Quáter", "202 Ter"], "{}", n.name);
        let t = n
            .app
            .plan(&crate::PlanFilter::default())
            .expect("plan")
            .tasks
            .into_iter()
            .find(|t| t.task.id.to_string() == task.id)
            .expect("task");
        let actual: Vec<f64> = t.task.indicators.iter().map(|i| i.actual).collect();
        assert_eq!(actual, vec![2.0, 35.0], "{}", n.name);
    }
}
