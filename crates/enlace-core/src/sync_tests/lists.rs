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

/// The actors of `n`'s key that wrote changes of document `id`.
fn key_actors(n: &Node, id: &str) -> std::collections::BTreeSet<Vec<u8>> {
    let row = n.app.store.read().doc(id).expect("read").expect("held");
    let mut doc = enlace_docs::Document::load(&row.bytes, n.app.node.actor.clone()).expect("load");
    doc.raw_changes()
        .iter()
        .map(|(_, bytes)| {
            enlace_docs::ParsedChange::parse(bytes)
                .expect("parse")
                .actor
        })
        .filter(|a| a.starts_with(&n.key))
        .collect()
}

/// The hub's legal item TIP-05 with one provision, and a task with
/// `indicators`, as both nodes of the tests below start from.
fn provision_and_task(hub: &mut Node, indicators: serde_json::Value) -> crate::TaskSaved {
    hub.app
        .update_legal_item(
            "GT",
            "TIP-05",
            &json!({"provisions": [{"law": "Código Penal", "article": "202 Ter"}]}),
        )
        .expect("provision");
    hub.app
        .create_task(
            serde_json::from_value(json!({
                "code": "2.1.1", "component": "training", "output": "2.1",
                "title": {"es": "Talleres"}, "country": "GT", "due": "2099-01-01",
                "indicators": indicators
            }))
            .expect("input"),
        )
        .expect("task")
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
    let task = provision_and_task(
        &mut hub,
        json!([
            {"label": "Talleres", "target": 4.0, "actual": 0.0},
            {"label": "Participantes", "target": 100.0, "actual": 0.0}
        ]),
    );
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
        let t = task_row(n, &task.id);
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
        let t = task_row(n, &task.id);
        let actual: Vec<f64> = t.task.indicators.iter().map(|i| i.actual).collect();
        assert_eq!(actual, vec![2.0, 35.0], "{}", n.name);
    }
}

/// The editor was opened before sync brought another node's edits, and
/// sends the route it read, changed, whole: with the heads it read as its
/// base the edit is merged with what arrived (without them it would undo
/// it: the test below shows both).
#[test]
fn an_editor_open_while_sync_merges_keeps_what_arrived() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let saved = case_with_victim(&mut hub, "Ruta leída antes", json!({"scope": "national"}));
    let route = json!([
        {"country": "GT", "place": "Malacatán", "role": "origin"},
        {"country": "MX", "place": "Tapachula", "role": "transit"}
    ]);
    hub.app
        .update_case(&saved.id, &json!({"route": route}))
        .expect("route");
    sync(&mut laptop, &mut hub);
    // The hub's editor opens the case: what it read, and at which heads.
    let opened = hub.app.case(&saved.id).expect("case");
    let read = serde_json::to_value(&opened.case.route).expect("json");
    // Meanwhile the laptop corrects Tapachula, adds a stop, sets the status.
    let mut r = laptop.app.case(&saved.id).expect("case").case.route;
    r[1].place = "Tapachula (Chiapas)".into();
    let mut r = serde_json::to_value(&r).expect("json");
    r.as_array_mut()
        .expect("route")
        .push(json!({"country": "MX", "place": "Arriaga", "role": "transit"}));
    laptop
        .app
        .update_case(&saved.id, &json!({"route": r, "status": "prosecution"}))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    // The hub's editor, still open, removes Malacatán and adds Houston to
    // the route it read, and sets its own status.
    let mut mine = read.as_array().expect("route").clone();
    mine.remove(0);
    mine.push(json!({"country": "US", "place": "Houston", "role": "destination"}));
    let first = hub
        .app
        .update_case_from(
            &saved.id,
            &json!({"route": mine, "status": "under_investigation"}),
            Some(&opened.heads),
        )
        .expect("stale editor");
    assert_eq!(first.heads.len(), 1, "the editor's own line: {first:?}");
    // The removal and the addition, with the laptop's correction and stop
    // (both added a stop at the end apart: either order is a faithful merge).
    let after = |n: &mut Node, last: &str| {
        let got = route_places(n, &saved.id);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], "Tapachula (Chiapas)", "{got:?}");
        let ends: std::collections::BTreeSet<&str> = got[1..].iter().map(String::as_str).collect();
        assert_eq!(ends, ["Arriaga", last].into_iter().collect(), "{got:?}");
    };
    after(&mut hub, "Houston");
    // The status both set apart is shown as concurrent values.
    let view = hub.app.case(&saved.id).expect("case");
    let status = view
        .conflicts
        .iter()
        .find(|c| c.field == "status")
        .expect("concurrent status");
    assert_eq!(status.values.len(), 2, "{status:?}");
    // The editor goes on from its own save: Houston becomes Houston
    // (Texas); what the laptop did stays.
    mine[1]["place"] = json!("Houston (Texas)");
    let second = hub
        .app
        .update_case_from(&saved.id, &json!({"route": mine}), Some(&first.heads))
        .expect("second save");
    assert_ne!(second.heads, first.heads);
    after(&mut hub, "Houston (Texas)");
    // The editor's saves went on in the line of changes it read from (the
    // hub's own session's): no actor was added for them.
    assert_eq!(
        key_actors(&hub, &saved.id).len(),
        1,
        "one actor of the hub's key"
    );
    // Both nodes end with the same case.
    sync(&mut laptop, &mut hub);
    assert_eq!(
        route_places(&mut laptop, &saved.id),
        route_places(&mut hub, &saved.id)
    );
    assert_eq!(heads(&hub, &saved.id), heads(&laptop, &saved.id));
}

/// Without the heads it read, the same stale route undoes what arrived
/// (what an older app or a script without `base` gets); a base that is
/// not this case's heads is the same as none.
#[test]
fn a_stale_route_without_its_base_replaces_what_arrived() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let saved = case_with_victim(&mut hub, "Ruta sin base", json!({"scope": "national"}));
    hub.app
        .update_case(
            &saved.id,
            &json!({"route": [{"country": "GT", "place": "Malacatán", "role": "origin"}]}),
        )
        .expect("route");
    sync(&mut laptop, &mut hub);
    let read =
        serde_json::to_value(&hub.app.case(&saved.id).expect("case").case.route).expect("json");
    let mut r = read.clone();
    r.as_array_mut()
        .expect("route")
        .push(json!({"country": "MX", "place": "Arriaga", "role": "transit"}));
    laptop
        .app
        .update_case(&saved.id, &json!({"route": r}))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    let mut mine = read.as_array().expect("route").clone();
    mine.push(json!({"country": "US", "place": "Houston", "role": "destination"}));
    // A base that is not a change hash is refused, in words.
    let e = hub
        .app
        .update_case_from(
            &saved.id,
            &json!({"route": mine}),
            Some(&["not hex".to_owned()]),
        )
        .expect_err("malformed base");
    assert_eq!(e.code(), crate::ErrorCode::InvalidInput, "{e}");
    assert!(
        e.message(enlace_domain::Lang::En)
            .contains("not a change hash"),
        "{e}"
    );
    let unknown = vec!["00".repeat(32)];
    let saved_now = hub
        .app
        .update_case_from(&saved.id, &json!({"route": mine}), Some(&unknown))
        .expect("an unknown base is no base");
    assert_eq!(
        route_places(&mut hub, &saved.id),
        ["Malacatán", "Houston"],
        "Arriaga, added apart, is gone: what `base` prevents"
    );
    // The editor goes on from the case's heads, not the unknown base.
    assert_eq!(
        saved_now.heads,
        hub.app.case(&saved.id).expect("case").heads
    );
    let again = hub
        .app
        .update_case_from(&saved.id, &json!({"route": mine}), Some(&unknown))
        .expect("nothing to change");
    assert!(again.changed.is_empty());
    assert_eq!(
        again.heads, saved_now.heads,
        "an unchanged save names the case's heads"
    );
}

/// The task and legal item editors too: open before sync brought another
/// node's edits, they send the whole item (indicators, provisions and every
/// other field as read) with the heads they read; what arrived is kept,
/// and a field both set apart is shown as concurrent values.
#[test]
fn task_and_legal_editors_open_while_sync_merges_keep_what_arrived() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Fiscalía GT");
    pair(&mut laptop, &mut hub);
    let task = provision_and_task(
        &mut hub,
        json!([{"label": "Talleres", "target": 4.0, "actual": 0.0}]),
    );
    sync(&mut laptop, &mut hub);
    let row = |n: &mut Node| task_row(n, &task.id);
    // The hub's editors open the item and the task.
    let item_read = hub.app.legal_assessment("GT").expect("view");
    let task_read = row(&mut hub);
    // Meanwhile the laptop adds a provision and an indicator, and sets
    // the gap and the task's notes.
    let mut prov = serde_json::to_value(
        &laptop
            .app
            .legal_assessment("GT")
            .expect("view")
            .assessment
            .items["TIP-05"]
            .provisions,
    )
    .expect("json");
    prov.as_array_mut()
        .expect("provisions")
        .push(json!({"law": "Código Penal", "article": "194"}));
    laptop
        .app
        .update_legal_item(
            "GT",
            "TIP-05",
            &json!({"provisions": prov, "gap": "Falta el reglamento"}),
        )
        .expect("laptop item");
    let mut ind = serde_json::to_value(&row(&mut laptop).task.indicators).expect("json");
    ind.as_array_mut()
        .expect("indicators")
        .push(json!({"label": "Participantes", "target": 100.0, "actual": 12.0}));
    laptop
        .app
        .update_task(
            &task.id,
            &json!({"indicators": ind, "notes": "Sede en Xela"}),
        )
        .expect("laptop task");
    sync(&mut laptop, &mut hub);
    // The hub's editors send what they read, with their own edits.
    let mut item = serde_json::to_value(&item_read.assessment.items["TIP-05"]).expect("json");
    item["provisions"]
        .as_array_mut()
        .expect("provisions")
        .push(json!({"law": "Ley contra la Violencia Sexual", "article": "2"}));
    for k in ["updated_at", "updated_by"] {
        item.as_object_mut().expect("item").remove(k);
    }
    hub.app
        .update_legal_item_from("GT", "TIP-05", &item, Some(&item_read.heads))
        .expect("hub item");
    let mut t = serde_json::to_value(&task_read.task).expect("json");
    t["indicators"][0]["actual"] = json!(3.0);
    let patch = json!({"indicators": t["indicators"], "notes": t["notes"], "progress": 50});
    hub.app
        .update_task_from(&task.id, &patch, Some(&task_read.heads))
        .expect("hub task");
    sync(&mut laptop, &mut hub);
    for n in [&mut hub, &mut laptop] {
        let view = n.app.legal_assessment("GT").expect("view");
        let it = &view.assessment.items["TIP-05"];
        let mut articles: Vec<&str> = it.provisions.iter().map(|p| p.article.as_str()).collect();
        articles.sort_unstable();
        assert_eq!(articles, ["194", "2", "202 Ter"], "{}", n.name);
        assert_eq!(
            it.gap, "Falta el reglamento",
            "the gap the hub's editor did not touch"
        );
        let r = row(n);
        let ind: Vec<(&str, f64)> = r
            .task
            .indicators
            .iter()
            .map(|i| (i.label.as_str(), i.actual))
            .collect();
        assert_eq!(
            ind,
            [("Talleres", 3.0), ("Participantes", 12.0)],
            "{}",
            n.name
        );
        assert_eq!(
            r.task.notes, "Sede en Xela",
            "the notes the hub's editor sent as read"
        );
        assert_eq!(r.task.progress, 50);
    }
}

/// An editor's line goes on only within the session that wrote it: after
/// a restart (or a restore from a backup, whose session's later changes
/// its peers may hold) a stale save is made by a fresh actor, so no change
/// number of the earlier session is given a second time.
#[test]
fn a_stale_save_after_a_restart_starts_a_line_of_its_own() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let saved = case_with_victim(
        &mut hub,
        "Ruta tras reiniciar",
        json!({"scope": "national"}),
    );
    hub.app
        .update_case(
            &saved.id,
            &json!({"route": [{"country": "GT", "place": "Malacatán", "role": "origin"}]}),
        )
        .expect("route");
    sync(&mut laptop, &mut hub);
    // The hub is closed and opened again (a new session)...
    back_up(&mut hub);
    let opened = hub.app.case(&saved.id).expect("case");
    // ...the laptop changes the case meanwhile...
    laptop
        .app
        .update_case(&saved.id, &json!({"summary": "Resumen del puesto"}))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    // ...and the hub's editor saves on what it read.
    let mut route = serde_json::to_value(&opened.case.route).expect("json");
    route
        .as_array_mut()
        .expect("route")
        .push(json!({"country": "MX", "place": "Tapachula", "role": "transit"}));
    hub.app
        .update_case_from(&saved.id, &json!({"route": route}), Some(&opened.heads))
        .expect("stale save");
    assert_eq!(
        key_actors(&hub, &saved.id).len(),
        2,
        "the first session's, and the stale save's own"
    );
    assert_eq!(
        hub.app.case(&saved.id).expect("case").case.summary,
        "Resumen del puesto",
        "the laptop's summary is kept"
    );
}
