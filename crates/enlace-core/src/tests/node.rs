//! Opening a node, and what every change records.

use super::*;

#[test]
fn init_validates_its_arguments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("x");
    assert!(matches!(
        App::init(&d, "frase de acceso", "XX", "n"),
        Err(CoreError::Country(_))
    ));
    assert!(matches!(
        App::init(&d, "frase de acceso", "GT", "  "),
        Err(CoreError::NodeName)
    ));
    assert!(matches!(
        App::init(&d, "corta", "GT", "n"),
        Err(CoreError::PassphraseTooShort { .. })
    ));
    assert!(!is_initialised(&d), "failed init leaves no database");
    let a = App::init(&d, "frase de acceso", "gt", "Nodo").expect("init");
    let info = a.node_info();
    assert_eq!(info.country, "GT");
    assert_eq!(info.public_key.len(), 64);
    assert!(info.public_key.starts_with(&info.node_id));
    drop(a);
    let e = App::init(&d, "frase de acceso", "GT", "Nodo").expect_err("exists");
    assert_eq!(e.code(), ErrorCode::AlreadyInitialised);
    let e = App::open(&d, "otra frase").expect_err("wrong");
    assert_eq!(e.code(), ErrorCode::WrongPassphrase);
    assert!(e.message(Lang::Es).contains("frase de acceso"));
    let b = App::open(&d, "frase de acceso").expect("open");
    assert_eq!(
        b.node_info().public_key,
        info.public_key,
        "identity persists"
    );
}

#[test]
fn every_change_is_logged_and_signed_by_this_node() {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let (_d, mut app) = app();
    let saved = app
        .create_case(input(json!({"title": "Uno"})))
        .expect("create");
    app.update_case(&saved.id, &json!({"summary": "dos"}))
        .expect("update");
    let (n, max) = app.store().read().change_log_stats().expect("stats");
    assert_eq!(n, 2);
    assert!(max >= 2);
    let key_bytes: [u8; 32] = hex::decode(app.node_info().public_key)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let key = VerifyingKey::from_bytes(&key_bytes).expect("key");
    let history = app.history(&saved.id).expect("history");
    let entries = app.store().read().change_signatures().expect("entries");
    assert_eq!(entries.len(), 2);
    for (hash, sig) in entries {
        let hash_bytes = hex::decode(&hash).expect("hex");
        let sig = Signature::from_slice(&sig).expect("sig");
        key.verify(&hash_bytes, &sig).expect("valid signature");
        assert!(history.iter().any(|h| h.hash == hash));
    }
}

#[test]
fn check_finds_a_whole_database_whole_and_names_each_damage() {
    let (_d, mut app) = app();
    app.load_demo(&mut |_, _| {}).expect("demo");
    let created = app
        .create_case(input(json!({"title": "Caso de José Núñez Ávila"})))
        .expect("create");
    // An export is audited: the chain has entries to verify.
    app.export(&_d.path().join("casos.json"), &mut |_, _| {})
        .expect("export");
    let whole = app.check(&mut |_, _| {}).expect("check");
    assert!(whole.is_whole(), "{:?}", whole.damage);
    assert!(whole.documents > 10 && whole.changes >= whole.documents);
    assert!(whole.audit_entries > 0);

    // A change written to the document but never logged: peers would
    // never receive it.
    let id = created.id.clone();
    let mut row = app.store.read().doc(&id).expect("read").expect("row");
    let mut doc = Document::load(&row.bytes, app.node.fresh_actor()).expect("load");
    doc.put_scalar_at(&["summary"], &json!("escrito sin registrar"))
        .expect("put");
    doc.commit(
        &enlace_docs::ChangeMessage {
            by: "fuera del camino de edición".into(),
            fields: vec!["summary".into()],
            action: "update".into(),
        },
        Utc::now(),
    )
    .expect("commit");
    let unlogged = doc.heads();
    row.bytes = doc.save();
    app.store.write(|tx| tx.put_doc(&row)).expect("put");
    let found = app.check(&mut |_, _| {}).expect("check").damage;
    assert!(
        found.contains(&Damage::Heads { doc: id.clone() }),
        "{found:?}"
    );
    assert!(
        found.contains(&Damage::NotLogged {
            doc: id.clone(),
            hash: unlogged[0].clone()
        }),
        "{found:?}"
    );

    // A logged change its document lacks.
    app.store
        .write(|tx| {
            tx.log_change(
                &id,
                &"ab".repeat(32),
                b"x",
                None,
                &[0; 32],
                "2026-01-01T00:00:00Z",
            )
            .map(|_| ())
        })
        .expect("log");
    let found = app.check(&mut |_, _| {}).expect("check").damage;
    assert!(
        found.contains(&Damage::LoggedNotInDocument {
            doc: id,
            hash: "ab".repeat(32)
        }),
        "{found:?}"
    );
}
