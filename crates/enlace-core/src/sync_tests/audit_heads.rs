//! Audit heads at sync: a node that rewrites or cuts its own audit log —
//! so that its own chain still verifies — is found out by its peers.

use super::*;

/// Rewrites `node`'s audit log through SQL: `edit` changes the rows, and
/// the chain is recomputed so the node's own verification still passes
/// (what someone with the database key could do).
fn rewrite_log(node: &Node, edit: impl FnOnce(&mut Vec<enlace_store::AuditRow>)) {
    let dir = node.app.data_dir().to_owned();
    let key = enlace_store::database_key(&dir, None, PASS).expect("key");
    let mut rows = node.app.store().read().audit_log().expect("log");
    edit(&mut rows);
    let conn = rusqlite::Connection::open(dir.join("enlace.db")).expect("db");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(&key[..])))
        .expect("key");
    conn.execute_batch("DELETE FROM audit_log;").expect("clear");
    let mut prev = String::new();
    for r in &rows {
        let hash =
            enlace_store::audit_hash(&prev, &r.at, &r.actor, &r.action, &r.subject, &r.detail);
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                r.seq, r.at, r.actor, r.action, r.subject, r.detail, prev, hash
            ],
        )
        .expect("insert");
        prev = hash;
    }
}

fn alarm_on(node: &Node, peer: &str) -> Option<crate::AuditAlarm> {
    node.app
        .peer(peer, enlace_domain::Lang::En)
        .expect("peer")
        .audit_alarm
}

#[test]
fn a_peer_that_rewrites_its_audit_log_is_noticed_at_the_next_sync() {
    let mut hub = node("GT", "Hub Guatemala");
    let mut laptop = node("GT", "Laptop Tecún Umán");
    pair(&mut hub, &mut laptop);
    // Something worth hiding in the laptop's log, then two sessions: the
    // hub keeps the laptop's head, the laptop remembers showing it.
    laptop
        .app
        .create_case(crate::tests::input(
            serde_json::json!({"title": "Caso", "classification": "trafficking"}),
        ))
        .expect("case");
    sync(&mut laptop, &mut hub);
    sync(&mut laptop, &mut hub);
    assert_eq!(alarm_on(&hub, "Laptop Tecún Umán"), None, "honest heads");
    assert!(hub.app.audit_verify().expect("verify").ok());

    // The laptop's second entry rewritten, the chain recomputed: its own
    // verification passes.
    rewrite_log(&laptop, |rows| rows[1].subject = "nadie".into());
    let v = laptop.app.audit_verify().expect("verify");
    assert!(
        v.ok(),
        "the rewritten chain verifies on its own node: {v:?}"
    );
    sync(&mut laptop, &mut hub);
    let alarm = alarm_on(&hub, "Laptop Tecún Umán").expect("noticed");
    assert_eq!(alarm.kind, "rewritten");
    let v = hub.app.audit_verify().expect("verify");
    assert!(!v.ok());
    assert_eq!(v.peers[0].peer, "Laptop Tecún Umán");
    assert!(
        hub.app
            .store()
            .read()
            .audit_log()
            .expect("log")
            .iter()
            .any(|e| e.action == "audit.peer_mismatch" && e.subject == "Laptop Tecún Umán")
    );
    // Found once: later sessions do not pile up entries.
    sync(&mut laptop, &mut hub);
    let n = hub
        .app
        .store()
        .read()
        .audit_log()
        .expect("log")
        .iter()
        .filter(|e| e.action == "audit.peer_mismatch")
        .count();
    assert_eq!(n, 1);
}

#[test]
fn a_peer_whose_audit_log_was_cut_is_noticed() {
    let mut hub = node("GT", "Hub Guatemala");
    let mut laptop = node("GT", "Laptop Tecún Umán");
    pair(&mut hub, &mut laptop);
    for _ in 0..3 {
        laptop
            .app
            .create_case(crate::tests::input(
                serde_json::json!({"title": "Caso", "classification": "trafficking"}),
            ))
            .expect("case");
    }
    let before = laptop.app.store().read().audit_log().expect("log").len();
    sync(&mut laptop, &mut hub);
    // Everything after the first entry removed (the chain stays whole).
    rewrite_log(&laptop, |rows| rows.truncate(1));
    assert!(laptop.app.audit_verify().expect("verify").ok());
    assert!(before > 1);
    // The laptop writes on: its log's numbering goes on after the cut, so
    // its head is beyond the one the hub kept.
    let out = laptop.app.data_dir().with_file_name("audit.jsonl");
    laptop
        .app
        .export_audit_log(&out)
        .expect("an audited export");
    let log = laptop.app.store().read().audit_log().expect("log");
    let head = log.last().expect("one").seq;
    assert!(head as usize > before, "{head} after {before}");
    // The hub, as client this time: the laptop's head comes in the answer.
    sync(&mut hub, &mut laptop);
    let alarm = alarm_on(&hub, "Laptop Tecún Umán").expect("noticed");
    assert_eq!(alarm.kind, "cut");
    // And the laptop's view of the hub is clean.
    assert_eq!(alarm_on(&laptop, "Hub Guatemala"), None);
}

#[test]
fn a_peer_that_also_forgets_what_it_showed_is_noticed() {
    let mut hub = node("GT", "Hub Guatemala");
    let mut laptop = node("GT", "Laptop Tecún Umán");
    pair(&mut hub, &mut laptop);
    sync(&mut laptop, &mut hub);
    sync(&mut laptop, &mut hub);
    // Entries erased and the chain recomputed, and the record of the heads
    // shown to the hub wiped: no confirmation reaches what the hub kept.
    rewrite_log(&laptop, |rows| rows.retain(|r| r.action != "login"));
    let dir = laptop.app.data_dir().to_owned();
    let key = enlace_store::database_key(&dir, None, PASS).expect("key");
    let conn = rusqlite::Connection::open(dir.join("enlace.db")).expect("db");
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\"; UPDATE peer SET audit_told = '[]';",
        hex::encode(&key[..])
    ))
    .expect("wipe");
    // Entries written after, so the head is beyond the ones the hub kept.
    for _ in 0..6 {
        let out = laptop.app.data_dir().with_file_name("audit.jsonl");
        laptop.app.export_audit_log(&out).expect("audited");
    }
    sync(&mut laptop, &mut hub);
    let alarm = alarm_on(&hub, "Laptop Tecún Umán").expect("noticed");
    assert_eq!(alarm.kind, "unconfirmed", "{alarm:?}");
}
