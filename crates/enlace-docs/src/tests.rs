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
    let v = json!({"title": "Núñez", "route": [{"country": "HN", "role": "origin"}], "n": 3, "ok": true});
    let changed = d.write(&v).expect("write");
    assert_eq!(changed, vec!["n", "ok", "route", "title"]);
    d.commit(&msg(&changed), Utc::now())
        .expect("commit")
        .expect("a change");
    assert_eq!(d.to_json().expect("json"), v);

    let v2 = json!({"title": "Núñez", "route": [{"country": "HN", "role": "origin"}, {"country": "GT", "role": "transit"}], "n": 3});
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

    proptest! {
        /// Writing any sequence of objects leaves the document equal to the last.
        #[test]
        fn write_then_read_is_identity(values in prop::collection::vec(object(), 1..4)) {
            let mut d = Document::new(actor(3));
            for v in &values {
                d.write(v).expect("write");
                d.commit(&msg::<&str>(&[]), Utc::now()).expect("commit");
                prop_assert_eq!(&d.to_json().expect("json"), v);
            }
            let bytes = d.save();
            let back = Document::load(&bytes, actor(3)).expect("load");
            prop_assert_eq!(&back.to_json().expect("json"), values.last().expect("one"));
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
