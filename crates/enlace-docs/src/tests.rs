use super::*;
use serde_json::json;

fn actor(n: u8) -> ActorId {
    actor_for_key(&[n; 32])
}

fn msg<S: AsRef<str>>(fields: &[S]) -> ChangeMessage {
    ChangeMessage {
        by: "node-a/ana".into(),
        fields: fields.iter().map(|s| s.as_ref().to_owned()).collect(),
        action: "update".into(),
    }
}

#[test]
fn round_trip_and_only_changed_fields_are_written() {
    let mut d = Document::new(actor(1));
    let v = json!({"title": "Núñez", "route": [{"id": "r1", "country": "HN", "role": "origin"}], "n": 3, "ok": true});
    let changed = d.write(&v).expect("write");
    assert_eq!(changed, vec!["n", "ok", "route", "title"]);
    d.commit(&msg(&changed), Utc::now())
        .expect("commit")
        .expect("a change");
    assert_eq!(d.to_json().expect("json"), v);

    let v2 = json!({"title": "Núñez", "route": [{"id": "r1", "country": "HN", "role": "origin"}, {"id": "r2", "country": "GT", "role": "transit"}], "n": 3});
    let changed = d.write(&v2).expect("write");
    assert_eq!(changed, vec!["ok", "route"]);
    let c = d.commit(&msg(&changed), Utc::now()).expect("commit");
    assert!(c.is_some());
    assert_eq!(d.to_json().expect("json"), v2);

    // Writing the same value again changes nothing and commits nothing.
    assert!(d.write(&v2).expect("write").is_empty());
    assert!(
        d.commit(&msg::<&str>(&[]), Utc::now())
            .expect("commit")
            .is_none()
    );
}

#[test]
fn save_load_and_history() {
    let mut d = Document::new(actor(7));
    d.write(&json!({"a": "x"})).expect("write");
    d.commit(&msg(&["a"]), Utc::now()).expect("commit");
    d.write(&json!({"a": "y"})).expect("write");
    d.commit(&msg(&["a"]), Utc::now()).expect("commit");
    let bytes = d.save();
    let mut back = Document::load(&bytes, actor(7)).expect("load");
    assert_eq!(back.to_json().expect("json"), json!({"a": "y"}));
    let h = back.history();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].actor, hex_of(&[7; 32]));
    assert_eq!(h[1].fields, vec!["a"]);
    assert_eq!(h[1].by, "node-a/ana");
    assert_eq!(back.heads().len(), 1);
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn concurrent_edits_merge_and_conflicts_are_visible() {
    let mut a = Document::new(actor(1));
    a.write(&json!({"status": "reported", "notes": []}))
        .expect("write");
    a.commit(&msg(&["status"]), Utc::now()).expect("commit");
    let mut b = Document::load(&a.save(), actor(2)).expect("load");
    a.write(&json!({"status": "trial", "notes": []}))
        .expect("write");
    a.commit(&msg(&["status"]), Utc::now()).expect("commit");
    b.write(&json!({"status": "closed", "notes": []}))
        .expect("write");
    b.commit(&msg(&["status"]), Utc::now()).expect("commit");
    let changes_b: Vec<Vec<u8>> = b
        .inner()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    a.apply(&changes_b).expect("apply");
    a.apply(&changes_b).expect("apply twice is harmless");
    let all = a.conflicts("status").expect("conflicts");
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.contains(&json!("trial")) && all.contains(&json!("closed")));
}

#[test]
fn malformed_change_bytes_are_refused_without_panic() {
    let mut d = Document::new(actor(1));
    let err = d
        .apply(&[vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3]])
        .expect_err("garbage");
    assert!(matches!(err, DocError::BadChange(_)), "{err}");
    assert!(Document::load(b"not automerge", actor(1)).is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-zñáéíóú ]{0,8}".prop_map(serde_json::Value::from),
        ]
    }

    fn tree() -> impl Strategy<Value = serde_json::Value> {
        leaf().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn object() -> impl Strategy<Value = serde_json::Value> {
        prop::collection::btree_map("[a-z]{1,3}", tree(), 0..5)
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()))
    }

    /// `v` without the `id` of objects in lists (which a document gives
    /// every list item).
    fn without_item_ids(v: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value as V;
        match v {
            V::Array(items) => V::Array(
                items
                    .iter()
                    .map(|i| match without_item_ids(i) {
                        V::Object(mut m) => {
                            m.remove("id");
                            V::Object(m)
                        }
                        other => other,
                    })
                    .collect(),
            ),
            V::Object(m) => V::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), without_item_ids(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    proptest! {
        /// Writing any sequence of objects leaves the document equal to the
        /// last (but for the ids list items are given).
        #[test]
        fn write_then_read_is_identity(values in prop::collection::vec(object(), 1..4)) {
            let mut d = Document::new(actor(3));
            for v in &values {
                d.write(v).expect("write");
                d.commit(&msg::<&str>(&[]), Utc::now()).expect("commit");
                prop_assert_eq!(without_item_ids(&d.to_json().expect("json")), without_item_ids(v));
            }
            let bytes = d.save();
            let back = Document::load(&bytes, actor(3)).expect("load");
            prop_assert_eq!(
                without_item_ids(&back.to_json().expect("json")),
                without_item_ids(values.last().expect("one"))
            );
        }
    }
}

#[test]
fn nested_conflicts_values_at_heads_and_a_recorded_choice() {
    let mut a = Document::new(actor(1));
    a.write(&json!({"items": {"TIP-05": {"status": "not_assessed", "gap": ""}}}))
        .expect("write");
    a.commit(&msg(&["items"]), Utc::now()).expect("commit");
    let mut b = Document::load(&a.save(), actor(2)).expect("load");

    a.write(&json!({"items": {"TIP-05": {"status": "compliant", "gap": ""}}}))
        .expect("write a");
    let ca = a
        .commit(&msg(&["TIP-05.status"]), Utc::now())
        .expect("a")
        .expect("change a");
    b.write(&json!({"items": {"TIP-05": {"status": "not_compliant", "gap": "falta"}}}))
        .expect("write b");
    let cb = b
        .commit(&msg(&["TIP-05.status"]), Utc::now())
        .expect("b")
        .expect("change b");
    a.apply(std::slice::from_ref(&cb.bytes)).expect("apply b");
    b.apply(&[ca.bytes]).expect("apply a");

    let path = ["items", "TIP-05", "status"];
    let mut ours = a.conflicts_at(&path).expect("conflicts");
    let mut theirs = b.conflicts_at(&path).expect("conflicts");
    assert_eq!(ours.len(), 2, "both values are kept");
    assert_eq!(ours[0], theirs[0], "both nodes agree on the winner");
    ours.sort_by_key(|v| v.to_string());
    theirs.sort_by_key(|v| v.to_string());
    assert_eq!(ours, vec![json!("compliant"), json!("not_compliant")]);
    assert_eq!(ours, theirs);
    // Non-conflicting fields merge: only b changed the gap.
    assert_eq!(
        a.conflicts_at(&["items", "TIP-05", "gap"]).expect("gap"),
        vec![json!("falta")]
    );
    assert!(
        a.conflicts_at(&["items", "TIP-99", "status"])
            .expect("absent")
            .is_empty()
    );

    // Before b's change the value was "not_assessed"; after it, b's value.
    let h = a.history();
    let entry = h
        .iter()
        .find(|e| e.hash == cb.hash.to_string())
        .expect("b in history");
    assert_eq!(
        a.value_at(&path, &entry.deps).expect("before"),
        Some(json!("not_assessed"))
    );
    assert_eq!(
        a.value_at(&path, std::slice::from_ref(&entry.hash))
            .expect("after"),
        Some(json!("not_compliant"))
    );
    assert_eq!(a.value_at(&path, &[]).expect("at the start"), None);
    assert!(
        a.value_at(&path, &["zz".into()]).is_err(),
        "a bad hash is an error"
    );

    // Choosing the value that is already the winner still settles it.
    let winner = a.conflicts_at(&path).expect("c")[0].clone();
    a.put_scalar_at(&path, &winner).expect("choose");
    let choice = a
        .commit(&msg(&["TIP-05.status"]), Utc::now())
        .expect("c")
        .expect("change");
    assert_eq!(
        a.conflicts_at(&path).expect("settled"),
        vec![winner.clone()]
    );
    b.apply(&[choice.bytes]).expect("apply choice");
    assert_eq!(b.conflicts_at(&path).expect("settled on b"), vec![winner]);
}

/// A change by another node (`actor(2)`) to a document written by
/// `actor(1)`, made by `edit`.
fn foreign_change(
    base: &serde_json::Value,
    edit: impl FnOnce(&mut Document),
) -> (Document, ParsedChange) {
    let mut owner = Document::new(actor(1));
    owner.write(base).expect("write");
    owner.commit(&msg(&["all"]), Utc::now()).expect("commit");
    let mut other = Document::load(&owner.save(), session_actor(&[2; 32], &[9; 8])).expect("load");
    edit(&mut other);
    let c = other
        .commit(&msg(&["edit"]), Utc::now())
        .expect("commit")
        .expect("a change");
    (owner, ParsedChange::parse(&c.bytes).expect("parse"))
}

#[test]
fn only_appends_tells_added_notes_from_any_other_edit() {
    let case =
        json!({"title": "Caso", "notes": [{"text": "primera", "author": "GT"}], "links": []});
    let note = json!({"text": "de Honduras", "author": "HN"});
    let check = |name: &str, edit: &dyn Fn(&mut Document), expect: bool| {
        let (owner, c) = foreign_change(&case, |d| edit(d));
        assert_eq!(
            owner.only_appends(&c, &["notes", "links"]),
            expect,
            "{name}"
        );
    };
    check(
        "a note added",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["notes"].as_array_mut().expect("list").push(note.clone());
            d.write(&v).expect("write");
        },
        true,
    );
    check(
        "a note added first",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["notes"]
                .as_array_mut()
                .expect("list")
                .insert(0, note.clone());
            d.write(&v).expect("write");
        },
        false,
    ); // the writer rewrites the first slot in place: an edit
    check(
        "a link added",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["links"]
                .as_array_mut()
                .expect("list")
                .push(json!({"reference": "HN-2026-0001"}));
            d.write(&v).expect("write");
        },
        true,
    );
    check(
        "the title changed",
        &|d| {
            d.put_scalar_at(&["title"], &json!("Otro")).expect("put");
        },
        false,
    );
    check(
        "a note edited",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["notes"][0]["text"] = json!("cambiada");
            d.write(&v).expect("write");
        },
        false,
    );
    check(
        "a note removed",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["notes"] = json!([]);
            d.write(&v).expect("write");
        },
        false,
    );
    check(
        "a note added and the title changed",
        &|d| {
            let mut v = d.to_json().expect("json");
            v["notes"].as_array_mut().expect("list").push(note.clone());
            v["title"] = json!("Otro");
            d.write(&v).expect("write");
        },
        false,
    );
    // A document without a notes list: another country may not create
    // one (its list would win over the owner's own concurrent one).
    let (owner, c) = foreign_change(&json!({"title": "Caso"}), |d| {
        d.write(&json!({"title": "Caso", "notes": [note.clone()]}))
            .expect("write");
    });
    assert!(!owner.only_appends(&c, &["notes", "links"]));
}

#[test]
fn a_second_change_with_the_same_number_is_equivocation() {
    let mut base = Document::new(actor(1));
    base.write(&json!({"a": 1})).expect("write");
    base.commit(&msg(&["a"]), Utc::now()).expect("commit");
    let saved = base.save();
    // The same author, from the same state, writes two different changes
    // (a node restored from a backup without session actors did this).
    let mut one = Document::load(&saved, actor(3)).expect("load");
    one.write(&json!({"a": 2})).expect("write");
    let c1 = one
        .commit(&msg(&["a"]), Utc::now())
        .expect("commit")
        .expect("change");
    let mut two = Document::load(&saved, actor(3)).expect("load");
    two.write(&json!({"a": 3})).expect("write");
    let c2 = two
        .commit(&msg(&["a"]), Utc::now())
        .expect("commit")
        .expect("change");
    let mut holder = Document::load(&saved, actor(1)).expect("load");
    holder
        .apply_parsed(&ParsedChange::parse(&c1.bytes).expect("parse"))
        .expect("the first applies");
    let err = holder
        .apply_parsed(&ParsedChange::parse(&c2.bytes).expect("parse"))
        .expect_err("the second is refused");
    assert!(matches!(err, DocError::Equivocation { seq: 1 }), "{err}");
    assert_eq!(
        holder.to_json().expect("json"),
        json!({"a": 2}),
        "unchanged"
    );
}

#[test]
fn session_actors_name_their_author() {
    let mut d = Document::new(session_actor(&[5; 32], &[1, 2, 3, 4, 5, 6, 7, 8]));
    d.write(&json!({"a": 1})).expect("write");
    let c = d
        .commit(&msg(&["a"]), Utc::now())
        .expect("commit")
        .expect("change");
    let p = ParsedChange::parse(&c.bytes).expect("parse");
    assert_eq!(p.actor.len(), 40);
    assert_eq!(&p.actor[..32], &[5; 32]);
    assert_eq!(d.history()[0].actor, hex_of(&[5; 32]));
}

#[test]
fn nesting_is_measured_before_a_change_is_applied() {
    let mut owner = Document::new(actor(1));
    owner
        .write(&json!({"route": [{"place": "Tecún Umán"}]}))
        .expect("write");
    owner.commit(&msg(&["route"]), Utc::now()).expect("commit");
    // A stop added to the route: a map inside the route list.
    let mut other = Document::load(&owner.save(), actor(2)).expect("load");
    other
        .write(&json!({"route": [{"place": "Tecún Umán"}, {"place": "Tapachula", "dates": {"from": "x"}}]}))
        .expect("write");
    let c = other
        .commit(&msg(&["route"]), Utc::now())
        .expect("commit")
        .expect("change");
    let parsed = ParsedChange::parse(&c.bytes).expect("parse");
    assert_eq!(owner.nesting_after(&parsed), 3);
    // Forty maps, one in the other.
    let mut deep = Document::load(&owner.save(), actor(3)).expect("load");
    let mut v = json!({});
    for _ in 0..40 {
        v = json!({ "x": v });
    }
    deep.write(&json!({"route": [{"place": "Tecún Umán"}], "deep": v}))
        .expect("write");
    let c = deep
        .commit(&msg(&["deep"]), Utc::now())
        .expect("commit")
        .expect("change");
    let parsed = ParsedChange::parse(&c.bytes).expect("parse");
    assert_eq!(owner.nesting_after(&parsed), 41);
}

#[test]
fn a_change_has_one_byte_form() {
    let mut d = Document::new(actor(1));
    d.write(&json!({"a": 1})).expect("write");
    let c = d
        .commit(&msg(&["a"]), Utc::now())
        .expect("commit")
        .expect("change");
    assert!(ParsedChange::parse(&c.bytes).is_ok());
    // Its checksum changed: automerge would read it with the same hash.
    let mut other = c.bytes.clone();
    other[4] ^= 0xff;
    let e = ParsedChange::parse(&other).expect_err("refused");
    assert!(e.to_string().contains("checksum"), "{e}");
    // Bytes after the change.
    let mut longer = c.bytes.clone();
    longer.push(0);
    assert!(ParsedChange::parse(&longer).is_err());
    // The same change compressed (chunk type 2): refused before inflating.
    let mut compressed = c.bytes.clone();
    compressed[8] = 2;
    let e = ParsedChange::parse(&compressed).expect_err("refused");
    assert!(e.to_string().contains("type 2"), "{e}");
}

/// Bytes of a change chunk with `columns` (spec, data), built by hand as a
/// hostile peer would.
fn crafted(columns: &[(u64, Vec<u8>)]) -> Vec<u8> {
    fn uleb(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    let mut data = vec![0x00]; // no dependencies
    uleb(32, &mut data);
    data.extend_from_slice(&[7; 32]); // actor
    data.extend_from_slice(&[0x01, 0x01, 0x00, 0x00, 0x00]); // seq, start op, time, message, others
    uleb(columns.len() as u64, &mut data);
    for (spec, col) in columns {
        uleb(*spec, &mut data);
        uleb(col.len() as u64, &mut data);
    }
    for (_, col) in columns {
        data.extend_from_slice(col);
    }
    let mut bytes = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0x01];
    uleb(data.len() as u64, &mut bytes);
    bytes.extend_from_slice(&data);
    bytes
}

/// A change whose action column declares 2^62 operations in ten bytes:
/// automerge would walk them one by one, for ever. It is refused from its
/// run lengths, before automerge reads it.
#[test]
fn a_change_declaring_endless_operations_is_refused_before_it_is_read() {
    // A null run of 2^62 rows in the action column (id 4, integers).
    let mut column = vec![0x00];
    column.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    let bytes = crafted(&[((4 << 4) | 2, column)]);
    assert!(bytes.len() < 80, "{}", bytes.len());
    let e = ParsedChange::parse(&bytes).expect_err("refused");
    assert!(e.to_string().contains("operations"), "{e}");
}

/// One operation with 2^40 predecessors (the pred group column says how
/// many, two columns of runs supply them): about 90 bytes that automerge
/// would fill a list of 8 TiB from. Refused from the pred column's runs.
#[test]
fn a_change_declaring_endless_predecessors_is_refused_before_it_is_read() {
    let two40 = vec![0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
    let bytes = crafted(&[
        ((1 << 4) | 5, vec![0x01, 0x01, b'a']),         // key "a"
        ((3 << 4) | 4, vec![0x01]),                     // insert: false
        ((4 << 4) | 2, vec![0x01, 0x01]),               // one action
        ((5 << 4) | 6, vec![0x01, 0x00]),               // a null value
        (7 << 4, [vec![0x01], two40.clone()].concat()), // 2^40 predecessors
        ((7 << 4) | 1, [two40.clone(), vec![0x00]].concat()),
        ((7 << 4) | 3, [two40, vec![0x00]].concat()),
    ]);
    assert!(bytes.len() < 100, "{}", bytes.len());
    let e = ParsedChange::parse(&bytes).expect_err("refused");
    assert!(e.to_string().contains("predecessors"), "{e}");
}
