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
