//! Lists whose items have identities, reconciled by them: what two nodes
//! do to one list apart is all there after they merge.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Value, json};

use automerge::ReadDoc;

use super::*;

fn actor(n: u8) -> ActorId {
    session_actor(&[n; 32], &[n; 8])
}

fn commit(d: &mut Document) {
    d.commit(
        &ChangeMessage {
            by: "n".into(),
            fields: vec![],
            action: "update".into(),
        },
        Utc::now(),
    )
    .expect("commit");
}

/// Writes `v`, commits, and returns the document as it reads.
fn put(d: &mut Document, v: &Value) -> Value {
    d.write(v).expect("write");
    commit(d);
    d.to_json().expect("json")
}

fn changes(d: &mut Document) -> Vec<Vec<u8>> {
    d.raw_changes().into_iter().map(|(_, b)| b).collect()
}

/// `a` and `b` exchange everything.
fn merge(a: &mut Document, b: &mut Document) {
    let (ca, cb) = (changes(a), changes(b));
    a.apply(&cb).expect("apply");
    b.apply(&ca).expect("apply");
}

fn stops(v: &Value) -> Vec<(String, String)> {
    v["route"]
        .as_array()
        .expect("route")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().expect("id").to_owned(),
                s["place"].as_str().expect("place").to_owned(),
            )
        })
        .collect()
}

fn places(v: &Value) -> Vec<String> {
    stops(v).into_iter().map(|(_, p)| p).collect()
}

fn with_route(v: &Value, route: Vec<Value>) -> Value {
    let mut v = v.clone();
    v["route"] = Value::Array(route);
    v
}

/// Two nodes holding the case with route A, B, C (ids given on write).
fn two() -> (Document, Document, Value) {
    let mut a = Document::new(actor(1));
    let base = put(
        &mut a,
        &json!({"title": "Caso", "route": [
            {"id": "", "place": "Tecún Umán"},
            {"id": "", "place": "Tapachula"},
            {"id": "", "place": "Ciudad de México"}
        ]}),
    );
    let b = Document::load(&a.save(), actor(2)).expect("load");
    (a, b, base)
}

#[test]
fn items_get_ids_that_reads_return_and_writes_keep() {
    let (mut a, _, base) = two();
    let ids: Vec<String> = stops(&base).into_iter().map(|(i, _)| i).collect();
    assert_eq!(ids.len(), 3);
    // Known by their automerge objects: nothing stored for an id.
    assert!(ids.iter().all(|i| i.contains('@')), "{ids:?}");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 3);
    // `_pos` is the document's own: never in what it reads as.
    assert!(base["route"][0].get("_pos").is_none());
    // Writing what was read changes nothing.
    assert!(a.write(&base).expect("write").is_empty());
    // A script that sends the items again without their ids keeps them.
    let mut bare = base.clone();
    for s in bare["route"].as_array_mut().expect("route") {
        s["id"] = json!("");
    }
    assert!(a.write(&bare).expect("write").is_empty());
    commit(&mut a);
    assert_eq!(stops(&a.to_json().expect("json")), stops(&base));
}

#[test]
fn removing_the_first_while_another_node_edits_the_last_keeps_the_edit() {
    let (mut a, mut b, base) = two();
    remove_first_and_edit_last(&mut a, &mut b, &base, "Ciudad de México (Tepito)");
    for d in [&a, &b] {
        assert_eq!(
            places(&d.to_json().expect("json")),
            vec!["Tapachula", "Ciudad de México (Tepito)"]
        );
    }
}

/// `a` removes the first of three stops of `base`; `b`, apart, renames the
/// last one `place`; then they merge.
fn remove_first_and_edit_last(a: &mut Document, b: &mut Document, base: &Value, place: &str) {
    let r = base["route"].as_array().expect("route").clone();
    put(a, &with_route(base, r[1..].to_vec()));
    let mut last = r[2].clone();
    last["place"] = json!(place);
    put(b, &with_route(base, vec![r[0].clone(), r[1].clone(), last]));
    merge(a, b);
}

#[test]
fn a_reorder_and_an_edit_of_the_moved_item_made_apart_are_both_kept() {
    let (mut a, mut b, base) = two();
    let r = base["route"].as_array().expect("route").clone();
    // A moves the last stop to the front; B edits that stop and the first.
    put(
        &mut a,
        &with_route(&base, vec![r[2].clone(), r[0].clone(), r[1].clone()]),
    );
    let mut first = r[0].clone();
    first["place"] = json!("Tecún Umán (garita)");
    let mut last = r[2].clone();
    last["place"] = json!("CDMX");
    put(&mut b, &with_route(&base, vec![first, r[1].clone(), last]));
    merge(&mut a, &mut b);
    for d in [&a, &b] {
        assert_eq!(
            places(&d.to_json().expect("json")),
            vec!["CDMX", "Tecún Umán (garita)", "Tapachula"]
        );
    }
}

#[test]
fn items_inserted_at_one_place_apart_are_both_kept_in_one_order_everywhere() {
    let (mut a, mut b, base) = two();
    let r = base["route"].as_array().expect("route").clone();
    let ins = |place: &str| {
        with_route(
            &base,
            vec![
                r[0].clone(),
                json!({"id": "", "place": place}),
                r[1].clone(),
                r[2].clone(),
            ],
        )
    };
    put(&mut a, &ins("Ciudad Hidalgo"));
    put(&mut b, &ins("Huixtla"));
    merge(&mut a, &mut b);
    let (ja, jb) = (a.to_json().expect("a"), b.to_json().expect("b"));
    assert_eq!(stops(&ja), stops(&jb));
    let p = places(&ja);
    assert_eq!(p.len(), 5, "{p:?}");
    assert_eq!(p[0], "Tecún Umán");
    assert_eq!(&p[3..], ["Tapachula", "Ciudad de México"]);
    assert!(p.contains(&"Ciudad Hidalgo".to_owned()) && p.contains(&"Huixtla".to_owned()));
}

/// A list written by a version before item identities: items without `id`.
fn legacy() -> (Document, Value) {
    let mut d = Document::new(actor(1));
    // Items without an `id` key are written as they are, by position.
    put(
        &mut d,
        &json!({"title": "Caso", "notes": [{"text": "primera"}, {"text": "segunda"}],
                "route": [{"place": "Tecún Umán"}, {"place": "Tapachula"}, {"place": "Arriaga"}]}),
    );
    let v = d.to_json().expect("json");
    (d, v)
}

#[test]
fn items_stored_before_identities_are_known_by_their_object() {
    let (mut d, v) = legacy();
    let ids: Vec<String> = stops(&v).into_iter().map(|(i, _)| i).collect();
    assert!(ids.iter().all(|i| i.contains('@')), "{ids:?}");
    // The same on another node.
    let other = Document::load(&d.save(), actor(2)).expect("load");
    assert_eq!(stops(&other.to_json().expect("json")), stops(&v));
    // Editing one writes that field only: no id, no place.
    let mut e = v.clone();
    e["route"][1]["place"] = json!("Tapachula (centro)");
    d.write(&e).expect("write");
    commit(&mut d);
    let stored = d.inner().get(automerge::ROOT, "route").expect("get");
    let Some((_, list)) = stored else {
        panic!("no route")
    };
    let Some((_, item)) = d.inner().get(&list, 1).expect("item") else {
        panic!("no item")
    };
    let keys: Vec<String> = d.inner().keys(&item).collect();
    assert_eq!(keys, vec!["place".to_owned()]);
    assert_eq!(places(&d.to_json().expect("json"))[1], "Tapachula (centro)");
}

#[test]
fn on_an_old_list_a_removal_and_an_edit_made_apart_are_both_kept() {
    let (mut a, v) = legacy();
    let mut b = Document::load(&a.save(), actor(2)).expect("load");
    remove_first_and_edit_last(&mut a, &mut b, &v, "Arriaga (vías)");
    for d in [&a, &b] {
        assert_eq!(
            places(&d.to_json().expect("json")),
            vec!["Tapachula", "Arriaga (vías)"]
        );
    }
}

#[test]
fn another_country_adding_a_note_to_an_old_list_only_appends() {
    let (owner, v) = legacy();
    let mut other = Document::load(&owner.clone().save(), actor(2)).expect("load");
    let mut n = v.clone();
    n["notes"]
        .as_array_mut()
        .expect("notes")
        .push(json!({"id": "", "text": "de Honduras"}));
    other.write(&n).expect("write");
    let c = other
        .commit(
            &ChangeMessage {
                by: "hn".into(),
                fields: vec!["notes".into()],
                action: "note".into(),
            },
            Utc::now(),
        )
        .expect("commit")
        .expect("a change");
    let parsed = ParsedChange::parse(&c.bytes).expect("parse");
    assert!(owner.only_appends(&parsed, &["notes", "links"]));
}

/// A note another country adds to `d`, as its node writes it; whether the
/// owner (holding `owner`) sees it as only adding.
fn foreign_note(owner: &Document, d: &mut Document, text: &str, id: &str) -> bool {
    let mut v = d.to_json().expect("json");
    v["notes"]
        .as_array_mut()
        .expect("notes")
        .push(json!({"id": id, "text": text}));
    d.write(&v).expect("write");
    let c = d
        .commit(
            &ChangeMessage {
                by: "hn".into(),
                fields: vec!["notes".into()],
                action: "note".into(),
            },
            Utc::now(),
        )
        .expect("commit")
        .expect("a change");
    owner.only_appends(
        &ParsedChange::parse(&c.bytes).expect("parse"),
        &["notes", "links"],
    )
}

#[test]
fn after_notes_added_apart_another_countrys_next_note_still_only_appends() {
    let mut owner = Document::new(actor(1));
    put(
        &mut owner,
        &json!({"title": "Caso", "notes": [{"id": "", "text": "primera"}], "links": []}),
    );
    let mut hn = Document::load(&owner.save(), actor(2)).expect("load");
    // The owner and Honduras each add a note apart: their places tie.
    let mut v = owner.to_json().expect("json");
    v["notes"]
        .as_array_mut()
        .expect("notes")
        .push(json!({"id": "", "text": "del dueño"}));
    put(&mut owner, &v);
    assert!(foreign_note(&owner, &mut hn, "de Honduras", ""));
    merge(&mut owner, &mut hn);
    // Honduras's next note adds, and touches nothing else.
    assert!(foreign_note(&owner, &mut hn, "otra de Honduras", ""));
    // A note naming an owner's note's id: this code does not write it (the
    // id is taken) ...
    let owners = owner.to_json().expect("json")["notes"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut honest = Document::load(&hn.save(), actor(2)).expect("load");
    assert!(foreign_note(&owner, &mut honest, "con id ajeno", &owners));
    // ... and a hostile node that writes it is not only adding.
    use automerge::transaction::Transactable;
    let mut hostile = Document::load(&hn.save(), actor(2)).expect("load");
    let notes = match hostile.inner().get(automerge::ROOT, "notes").expect("get") {
        Some((_, l)) => l,
        None => panic!("no notes"),
    };
    let at = hostile.inner().length(&notes);
    let item = hostile
        .inner()
        .insert_object(&notes, at, automerge::ObjType::Map)
        .expect("insert");
    hostile
        .inner()
        .put(&item, "id", owners.as_str())
        .expect("id");
    hostile
        .inner()
        .put(&item, "text", "suplantada")
        .expect("text");
    let c = hostile
        .commit(
            &ChangeMessage {
                by: "hn".into(),
                fields: vec!["notes".into()],
                action: "note".into(),
            },
            Utc::now(),
        )
        .expect("commit")
        .expect("a change");
    let parsed = ParsedChange::parse(&c.bytes).expect("parse");
    assert!(!owner.only_appends(&parsed, &["notes", "links"]));
}

#[test]
fn what_a_hostile_peer_puts_in_a_list_reads_in_one_order_and_is_cleaned_on_write() {
    use automerge::transaction::Transactable;
    let (mut a, _, base) = two();
    // Hostile: a bare number, an item repeating an id, places that are not
    // finite numbers.
    let list = match a.inner().get(automerge::ROOT, "route").expect("get") {
        Some((_, l)) => l,
        None => panic!("no route"),
    };
    let first_id = stops(&base)[0].0.clone();
    let doc = a.inner();
    doc.insert(&list, 0, 7i64).expect("scalar");
    let dup = doc
        .insert_object(&list, 1, automerge::ObjType::Map)
        .expect("map");
    doc.put(&dup, "id", first_id.as_str()).expect("id");
    doc.put(&dup, "place", "Falso").expect("place");
    doc.put(&dup, "_pos", "no es un número").expect("pos");
    let nan = doc
        .insert_object(&list, 2, automerge::ObjType::Map)
        .expect("map");
    doc.put(&nan, "id", "nan").expect("id");
    doc.put(&nan, "place", "NaN").expect("place");
    doc.put(&nan, "_pos", f64::NAN).expect("pos");
    commit(&mut a);
    let read = a.to_json().expect("reads");
    assert_eq!(read, a.to_json().expect("reads the same again"));
    // Written back by this node: the list holds its items once each.
    let mut clean: Vec<Value> = base["route"].as_array().expect("route").clone();
    clean.push(json!({"id": "", "place": "Arriaga"}));
    let after = put(&mut a, &with_route(&base, clean));
    assert_eq!(
        places(&after),
        vec!["Tecún Umán", "Tapachula", "Ciudad de México", "Arriaga"]
    );
    assert_eq!(a.inner().length(&list), 4);
}

#[test]
fn places_worn_fine_by_many_inserts_at_one_spot_are_renewed() {
    let (mut a, _, base) = two();
    let mut v = base.clone();
    // 200 stops, each inserted just before the last: every new place is
    // halfway between the one inserted before it and the last one's, so
    // after some fifty they cannot be told apart.
    for n in 0..200 {
        let r = v["route"].as_array_mut().expect("route");
        let at = r.len() - 1;
        r.insert(at, json!({"id": "", "place": format!("P{n}")}));
        v = put(&mut a, &v);
    }
    let p = places(&v);
    assert_eq!(p.len(), 203);
    assert_eq!(&p[..2], ["Tecún Umán", "Tapachula"]);
    let want: Vec<String> = (0..200).map(|n| format!("P{n}")).collect();
    assert_eq!(&p[2..202], want.as_slice());
    assert_eq!(p[202], "Ciudad de México");
    // Read again from the saved bytes: the same order.
    let back = Document::load(&a.save(), actor(3)).expect("load");
    assert_eq!(places(&back.to_json().expect("json")), p);
}

/// One node's edit of the shared list, as the property test draws them.
#[derive(Debug, Clone)]
enum Op {
    Insert { at: usize },
    Remove { at: usize },
    Edit { at: usize },
    Move { from: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..8).prop_map(|at| Op::Insert { at }),
        (0usize..8).prop_map(|at| Op::Remove { at }),
        (0usize..8).prop_map(|at| Op::Edit { at }),
        (0usize..8, 0usize..8).prop_map(|(from, to)| Op::Move { from, to }),
    ]
}

/// Applies `ops` as node `who` (its own writes one by one) and records
/// what the oracle needs: items it added, removed, and its last edit of
/// each item's place.
fn run(
    d: &mut Document,
    who: &str,
    ops: &[Op],
    added: &mut BTreeSet<String>,
    removed: &mut BTreeSet<String>,
    edits: &mut BTreeMap<String, String>,
) {
    for (n, o) in ops.iter().enumerate() {
        let v = d.to_json().expect("json");
        let mut r = v["route"].as_array().expect("route").clone();
        let mut new_place = None;
        match *o {
            Op::Insert { at } => {
                let place = format!("{who}-{n}");
                r.insert(at.min(r.len()), json!({"id": "", "place": place}));
                new_place = Some(place);
            }
            Op::Remove { at } if !r.is_empty() => {
                let it = r.remove(at % r.len());
                removed.insert(it["id"].as_str().expect("id").to_owned());
            }
            Op::Edit { at } if !r.is_empty() => {
                let i = at % r.len();
                let place = format!("{who}-edit-{n}");
                r[i]["place"] = json!(place);
                edits.insert(r[i]["id"].as_str().expect("id").to_owned(), place);
            }
            Op::Move { from, to } if !r.is_empty() => {
                let it = r.remove(from % r.len());
                r.insert(to.min(r.len()), it);
            }
            _ => {}
        }
        let after = put(d, &with_route(&v, r));
        if let Some(p) = new_place {
            let (id, _) = stops(&after)
                .into_iter()
                .find(|(_, q)| *q == p)
                .expect("the item added is there");
            added.insert(id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Two nodes edit one list apart (insert, remove, edit, reorder); after
    /// they merge, both read the same list, with every item either added,
    /// never removed, and each surviving item's place as its last editor
    /// left it (or one of the two, when both edited it).
    #[test]
    fn two_nodes_editing_one_list_apart_lose_nothing(
        ops_a in proptest::collection::vec(op(), 0..10),
        ops_b in proptest::collection::vec(op(), 0..10),
    ) {
        let (mut a, mut b, base) = two();
        let (mut added, mut removed) = (BTreeSet::new(), BTreeSet::new());
        let (mut ea, mut eb) = (BTreeMap::new(), BTreeMap::new());
        run(&mut a, "a", &ops_a, &mut added, &mut removed, &mut ea);
        run(&mut b, "b", &ops_b, &mut added, &mut removed, &mut eb);
        merge(&mut a, &mut b);
        let (ja, jb) = (a.to_json().expect("a"), b.to_json().expect("b"));
        prop_assert_eq!(stops(&ja), stops(&jb));
        let got = stops(&ja);
        let ids: BTreeSet<&String> = got.iter().map(|(i, _)| i).collect();
        prop_assert_eq!(ids.len(), got.len(), "an item twice: {:?}", got);
        for (id, _) in stops(&base) {
            prop_assert_eq!(ids.contains(&id), !removed.contains(&id), "{}", id);
        }
        for (id, place) in &got {
            let (x, y) = (ea.get(id), eb.get(id));
            match (x, y) {
                (Some(p), None) | (None, Some(p)) => prop_assert_eq!(place, p),
                (Some(p), Some(q)) => prop_assert!(place == p || place == q),
                (None, None) => {}
            }
        }
        // Every item a node added is there unless that node removed it.
        for id in &added {
            prop_assert_eq!(ids.contains(id), !removed.contains(id), "{}", id);
        }
    }
}
