//! Officials: logins with their own passphrases, the permission matrix
//! through the core API, the audit log and its verification.

use super::*;

const PASS: &str = "frase de acceso larga";

/// A node with one case whose victim has an identity; returns the case's
/// reference.
fn node_with_a_victim() -> (tempfile::TempDir, App, String) {
    let (d, mut app) = app();
    let saved = app
        .create_case(input(json!({
            "title": "Captación en Malacatán",
            "classification": "trafficking",
            "persons": [{"role": "victim", "age_band": "18-20"}]
        })))
        .expect("create");
    app.save_identity(
        &saved.reference,
        "V1",
        Identity {
            given_names: "José".into(),
            first_surname: "Núñez".into(),
            second_surname: Some("Ávila".into()),
            ..Default::default()
        },
    )
    .expect("identity");
    (d, app, saved.reference)
}

/// Runs, as `app`'s official, one use case that needs exactly `p`.
/// `Some(allowed)`: whether it went through; `None`: no use case needs it
/// yet (risk assessments, printing identities and grants are later work).
fn attempt(app: &mut App, p: Permission, reference: &str, out: &std::path::Path) -> Option<bool> {
    let refused = |r: std::result::Result<(), CoreError>| -> bool {
        match r {
            Ok(()) => true,
            Err(CoreError::NotAllowed { permission, .. }) => {
                assert_eq!(permission, p, "refused for the permission it needs");
                false
            }
            Err(e) => panic!("{p}: {e}"),
        }
    };
    Some(match p {
        Permission::SeeIdentities => {
            let view = app.case(reference).expect("view");
            let found = app
                .list_cases(&CaseFilter {
                    query: Some("nunez avila".into()),
                    ..Default::default()
                })
                .expect("search");
            assert_eq!(view.identities.is_empty(), found.total == 0);
            assert_eq!(
                view.identities.is_empty(),
                !view.identities_withheld.is_empty()
            );
            !view.identities.is_empty()
        }
        Permission::EditCases => refused(
            app.update_case(reference, &json!({"summary": "Entrevista realizada."}))
                .map(|_| ()),
        ),
        Permission::EditTasks => refused(
            app.create_task(task_input(json!({
                "component": "training", "output": "2.2", "title": {"es": "Taller"},
                "country": "GT", "due": "2099-01-01"
            })))
            .map(|_| ()),
        ),
        Permission::EditAssessments => refused(
            app.update_legal_item("GT", "TIP-05", &json!({"status": "compliant"}))
                .map(|_| ()),
        ),
        Permission::Export => refused(
            app.legal_export_csv(&out.join("legal.csv"), Lang::Es)
                .map(|_| ()),
        ),
        Permission::ManagePeers => refused(
            app.add_peer(PeerInput {
                node_role: None,
                name: "Hub".into(),
                url: None,
                key: hex::encode(
                    ed25519_dalek::SigningKey::from_bytes(&[7u8; 32])
                        .verifying_key()
                        .to_bytes(),
                ),
                country: "GT".into(),
            })
            .map(|_| ()),
        ),
        Permission::ManageOfficials => refused(app.officials().map(|_| ())),
        Permission::ViewAudit => refused(app.audit_verify().map(|_| ())),
        Permission::ExactStatistics => {
            let q = StatsRequest {
                by: vec!["gender".into()],
                filter: Default::default(),
                cases: true,
                datasets: None,
                exact: true,
                k: 1,
                resolution: 1,
            }
            .query(false)
            .expect("query");
            refused(app.stats(&q).map(|_| ()))
        }
        // Who is at risk: the reviews due, and the case list filtered by them.
        Permission::SeeRiskAssessments => {
            let due = app.risks_due(u32::MAX).map(|_| ());
            let listed = app
                .list_cases(&CaseFilter {
                    review_due: Some(true),
                    ..Default::default()
                })
                .map(|_| ());
            assert_eq!(due.is_ok(), listed.is_ok(), "{p}: {due:?} {listed:?}");
            refused(due) && refused(listed)
        }
        Permission::PrintIdentities | Permission::Grant => {
            return None;
        }
    })
}

#[test]
fn every_role_may_do_what_the_matrix_says_and_nothing_else() {
    let (d, mut admin, reference) = node_with_a_victim();
    let dir = admin.data_dir().to_owned();
    for role in Role::all() {
        let name = format!("Funcionario {}", role.as_str());
        admin
            .add_official(&name, *role, &format!("{PASS} {role}"))
            .expect("add");
    }
    drop(admin);
    let mut checked = 0;
    for role in Role::all() {
        let name = format!("Funcionario {}", role.as_str());
        let mut app = App::open_as(&dir, Some(&name), &format!("{PASS} {role}")).expect("log in");
        assert_eq!(app.session().role, *role);
        assert_eq!(app.session().permissions, role.permissions());
        let out = d.path().join(role.as_str());
        std::fs::create_dir_all(&out).expect("out");
        for p in Permission::all() {
            if let Some(done) = attempt(&mut app, *p, &reference, &out) {
                assert_eq!(done, role.allows(*p), "{role} × {p}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, Role::all().len() * (Permission::all().len() - 2));
}

#[test]
fn a_refusal_names_the_permission_and_writes_nothing() {
    let (_d, mut admin, reference) = node_with_a_victim();
    admin
        .add_official("Marta Ruiz", Role::Analyst, "clave de la analista")
        .expect("add");
    let dir = admin.data_dir().to_owned();
    drop(admin);
    let mut analyst = App::open_as(&dir, Some("marta ruiz"), "clave de la analista").expect("in");
    let before = analyst
        .store()
        .read()
        .count_docs(DocKind::Case)
        .expect("count");
    let e = analyst
        .update_case(&reference, &json!({"title": "Otro título"}))
        .expect_err("refused");
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(e.code().exit_code(), 8);
    let msg = e.message(Lang::Es);
    assert!(msg.contains("modificar casos"), "{msg}");
    assert!(msg.contains("Analista"), "{msg}");
    assert!(e.message(Lang::En).contains("change cases"));
    assert_eq!(
        analyst
            .store()
            .read()
            .count_docs(DocKind::Case)
            .expect("count"),
        before
    );
    // An NGO case worker records a case, but not an identity she could
    // not read back.
    drop(analyst);
    let mut admin = App::open(&dir, PASS).expect("admin");
    admin
        .add_official("Rosa Pérez", Role::NgoCaseWorker, "clave de la trabajadora")
        .expect("add");
    drop(admin);
    let mut ngo = App::open_as(&dir, Some("Rosa Pérez"), "clave de la trabajadora").expect("in");
    ngo.create_case(input(
        json!({"title": "Caso de la ONG", "classification": "trafficking"}),
    ))
    .expect("a case without identities");
    let e = ngo
        .create_case(input(json!({"title": "Con nombre", "classification": "trafficking",
            "persons": [{"role": "victim", "identity": {"given_names": "Ana", "first_surname": "Güity"}}]})))
        .expect_err("refused");
    assert!(
        matches!(
            e,
            CoreError::NotAllowed {
                permission: Permission::SeeIdentities,
                ..
            }
        ),
        "{e}"
    );
    drop(ngo);
    let mut analyst = App::open_as(&dir, Some("marta ruiz"), "clave de la analista").expect("in");
    let view = analyst.case(&reference).expect("view");
    assert_eq!(view.case.title, "Captación en Malacatán");
    assert_eq!(view.identities_withheld, vec!["V1".to_string()]);
    // Nor is a viewing of the identity audited: none took place.
    let audit = analyst.store().read().audit_log().expect("log");
    assert!(
        !audit
            .iter()
            .any(|a| a.action == "person.view" && a.actor.ends_with("/Marta Ruiz"))
    );
}

#[test]
fn officials_log_in_with_their_own_passphrase_and_are_named_in_history() {
    let (_d, mut admin, reference) = node_with_a_victim();
    let dir = admin.data_dir().to_owned();
    let added = admin
        .add_official("Ana Pérez", Role::Prosecutor, "clave de la fiscal")
        .expect("add");
    assert!(added.can_log_in);
    assert!(matches!(
        admin.add_official("ana perez", Role::Analyst, "otra clave larga"),
        Err(CoreError::Store(StoreError::OfficialExists(_)))
    ));
    assert!(matches!(
        admin.add_official("  ", Role::Analyst, "otra clave larga"),
        Err(CoreError::OfficialName)
    ));
    assert!(matches!(
        admin.add_official("Luis", Role::Analyst, "corta"),
        Err(CoreError::PassphraseTooShort { .. })
    ));
    drop(admin);

    // A wrong passphrase and an unknown official: exit 4, nothing changed.
    let e = App::open_as(&dir, Some("Ana Pérez"), PASS).expect_err("wrong");
    assert_eq!(e.code().exit_code(), 4);
    let e = App::open_as(&dir, Some("Nadie"), PASS).expect_err("unknown");
    assert_eq!(e.code().exit_code(), 4);
    assert!(e.message(Lang::Es).contains("Nadie"));

    let mut ana = App::open_as(&dir, Some("Ana Pérez"), "clave de la fiscal").expect("ana");
    ana.update_case(&reference, &json!({"summary": "Declaración tomada."}))
        .expect("a prosecutor edits cases");
    let history = ana.history(&reference).expect("history");
    assert!(
        history.iter().any(|h| h.by == "Paso Tecún Umán/Ana Pérez"),
        "{history:?}"
    );
    ana.change_passphrase("clave de la fiscal", "nueva clave de la fiscal")
        .expect("passwd");
    assert!(matches!(
        ana.change_passphrase("no es la actual", "otra clave nueva"),
        Err(CoreError::Store(StoreError::WrongPassphrase))
    ));
    drop(ana);
    assert!(App::open_as(&dir, Some("Ana Pérez"), "clave de la fiscal").is_err());

    // The administrator resets a forgotten passphrase, changes a role,
    // removes the official; the failed login is in the log.
    let mut admin = App::open(&dir, PASS).expect("admin");
    let log = admin.audit_list(&AuditFilter::default()).expect("log");
    assert!(
        log.iter()
            .any(|e| e.action == "login.failed" && e.subject == "Ana Pérez"),
        "the failed login of Ana is audited at her next login: {:?}",
        log.iter().map(|e| &e.action).collect::<Vec<_>>()
    );
    admin
        .reset_passphrase("Ana Pérez", "clave restablecida")
        .expect("reset");
    admin
        .set_official_role("Ana Pérez", Role::NgoCaseWorker)
        .expect("role");
    drop(admin);
    let mut ana = App::open_as(&dir, Some("Ana Pérez"), "clave restablecida").expect("reset works");
    assert_eq!(ana.session().role, Role::NgoCaseWorker);
    assert!(ana.case(&reference).is_ok());
    drop(ana);
    let mut admin = App::open(&dir, PASS).expect("admin");
    assert!(matches!(
        admin.remove_official("admin"),
        Err(CoreError::OfficialProtected { .. })
    ));
    admin.remove_official("Ana Pérez").expect("remove");
    let list = admin.officials().expect("list");
    let ana = list.iter().find(|o| o.name == "Ana Pérez").expect("kept");
    assert!(!ana.can_log_in && ana.removed_at.is_some());
    let actions: Vec<String> = admin
        .audit_list(&AuditFilter {
            action: Some("official.".into()),
            ..Default::default()
        })
        .expect("log")
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "official.add",
        "official.passphrase",
        "official.reset",
        "official.role",
        "official.remove",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    drop(admin);
    let e = App::open_as(&dir, Some("Ana Pérez"), "clave restablecida").expect_err("removed");
    assert_eq!(e.code().exit_code(), 4);
    // Her name is not given to anyone else.
    let mut admin = App::open(&dir, PASS).expect("admin");
    assert!(matches!(
        admin.add_official("ana pérez", Role::Analyst, "otra clave larga"),
        Err(CoreError::Store(StoreError::OfficialExists(_)))
    ));
}

#[test]
fn a_removed_official_with_an_old_key_file_is_still_refused() {
    let (_d, mut admin, _) = node_with_a_victim();
    let dir = admin.data_dir().to_owned();
    admin
        .add_official("Luis", Role::BorderOfficer, "clave de luis")
        .expect("add");
    // Luis keeps a copy of the key file that holds his wrapping.
    let old = std::fs::read(dir.join(KEY_FILE)).expect("key file");
    admin.remove_official("Luis").expect("remove");
    drop(admin);
    std::fs::write(dir.join(KEY_FILE), old).expect("put back");
    let e = App::open_as(&dir, Some("Luis"), "clave de luis").expect_err("refused");
    assert!(matches!(e, CoreError::OfficialRemoved { .. }), "{e}");
}

#[test]
fn an_edited_removed_or_moved_audit_entry_fails_verification() {
    let (_d, mut app, reference) = node_with_a_victim();
    for _ in 0..3 {
        app.case(&reference).expect("a view, audited");
    }
    let dir = app.data_dir().to_owned();
    let v = app.audit_verify().expect("verify");
    assert!(v.ok() && v.entries >= 5, "{v:?}");
    drop(app);
    let key = enlace_store::database_key(&dir, None, PASS).expect("key");
    let sql = |stmt: &str| {
        let conn = rusqlite::Connection::open(dir.join("enlace.db")).expect("db");
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; {stmt}",
            hex::encode(&key[..])
        ))
        .expect(stmt);
    };
    let broken = |what: &str| {
        let app = App::open(&dir, PASS).expect("open");
        let v = app.audit_verify().expect("verify");
        assert!(!v.ok(), "{what} is detected");
        v.broken_at.expect("where")
    };
    // Edited: the second entry's subject.
    sql("CREATE TABLE saved AS SELECT * FROM audit_log;
         UPDATE audit_log SET subject = 'otra persona' WHERE seq = 2;");
    assert_eq!(broken("an edited entry"), 2);
    // Removed.
    sql(
        "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM saved;
         DELETE FROM audit_log WHERE seq = 2;",
    );
    assert_eq!(broken("a removed entry"), 3);
    // Moved: two entries' places swapped.
    sql(
        "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM saved;
         UPDATE audit_log SET seq = -1 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = -1;",
    );
    assert_eq!(broken("moved entries"), 2);
    // Put back whole, it verifies again.
    sql("DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM saved; DROP TABLE saved;");
    let app = App::open(&dir, PASS).expect("open");
    assert!(app.audit_verify().expect("verify").ok());
}

#[test]
fn drafts_are_each_officials_own() {
    let (_d, mut admin, _) = node_with_a_victim();
    let dir = admin.data_dir().to_owned();
    admin
        .save_draft(
            "case:new",
            &json!({"persons": [{"identity": {"first_surname": "Güity"}}]}),
        )
        .expect("draft");
    admin
        .add_official("Marta Ruiz", Role::NgoCaseWorker, "clave de la trabajadora")
        .expect("add");
    drop(admin);
    let mut ngo = App::open_as(&dir, Some("Marta Ruiz"), "clave de la trabajadora").expect("in");
    assert!(
        ngo.draft("case:new").expect("read").is_none(),
        "another official's draft"
    );
    ngo.discard_draft("case:new")
        .expect("discards only her own");
    drop(ngo);
    let admin = App::open(&dir, PASS).expect("admin");
    let d = admin.draft("case:new").expect("read").expect("still there");
    assert_eq!(d.key, "case:new");
    assert!(d.body.to_string().contains("Güity"));
}

#[test]
fn an_entry_written_under_another_officials_identity_does_not_log_in() {
    let (_d, mut admin, _) = node_with_a_victim();
    let dir = admin.data_dir().to_owned();
    admin
        .add_official("Marta Ruiz", Role::Analyst, "clave de la analista")
        .expect("add");
    drop(admin);
    // The analyst, who holds the database key through her own entry, writes
    // an entry with the administrator's identity under her passphrase.
    let path = dir.join(KEY_FILE);
    let mut ring: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let officials = ring["officials"].as_array().expect("entries").clone();
    let admin_id = officials
        .iter()
        .find(|o| o["name"] == "admin")
        .and_then(|o| o["id"].as_str())
        .expect("admin")
        .to_owned();
    // Wrapped under the admin's id and name with the analyst's own
    // passphrase: what her knowledge of the key allows.
    let key =
        enlace_store::database_key(&dir, Some("Marta Ruiz"), "clave de la analista").expect("key");
    let (forged, _) =
        enlace_store::OfficialKey::wrap(&admin_id, "admin", true, "clave de la analista", &key)
            .expect("wrap");
    let analyst: enlace_store::OfficialKey = officials
        .iter()
        .find(|o| o["name"] == "Marta Ruiz")
        .map(|o| serde_json::from_value(o.clone()).expect("entry"))
        .expect("analyst");
    ring = serde_json::to_value(enlace_store::Keyring::new(vec![forged, analyst])).expect("ring");
    std::fs::write(&path, ring.to_string()).expect("write");
    let e = App::open_as(&dir, Some("admin"), "clave de la analista").expect_err("refused");
    assert!(matches!(e, CoreError::KeyEntryForged { .. }), "{e}");
    assert_eq!(e.code().exit_code(), 4);
    let msg = e.message(Lang::Es);
    assert!(msg.contains("enlace user reset"), "{msg}");
}

#[test]
fn a_search_that_finds_a_case_by_a_name_is_audited() {
    let (_d, app, _) = node_with_a_victim();
    let found = app
        .list_cases(&CaseFilter {
            query: Some("núñez".into()),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    // Words that are not a name: not an entry.
    app.list_cases(&CaseFilter {
        query: Some("malacatan".into()),
        ..Default::default()
    })
    .expect("search");
    let log = app.audit_list(&AuditFilter {
        action: Some("case.search".into()),
        ..Default::default()
    });
    let log = log.expect("log");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].subject, "nunez");
    assert!(log[0].actor.ends_with("/admin"));
}

#[test]
fn a_node_from_before_officials_upgrades_the_same_way_every_time() {
    // A data folder as Enlace wrote it before officials (a version-1 key
    // file), made here with the store's own pieces.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("d");
    drop(App::init(&d, PASS, "GT", "Oficina").expect("init"));
    let key = enlace_store::database_key(&d, None, PASS).expect("key");
    let mut v1 = enlace_store::KeyFile {
        m_cost: 64,
        ..enlace_store::KeyFile::generate()
    };
    // A version-1 file derives the key from the passphrase: re-key the
    // database to what this file derives.
    let derived = match v1.derive(PASS).expect("derive") {
        enlace_store::Derived::Checked(k) | enlace_store::Derived::Unchecked(k) => k,
    };
    v1.seal(&derived);
    {
        let conn = rusqlite::Connection::open(d.join("enlace.db")).expect("db");
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; PRAGMA rekey = \"x'{}'\"; DELETE FROM official;",
            hex::encode(&key[..]),
            hex::encode(&derived[..])
        ))
        .expect("as before officials");
    }
    v1.write(&d.join(KEY_FILE)).expect("v1 file");
    let old = std::fs::read(d.join(KEY_FILE)).expect("kept");
    // Upgraded at the first login, then the old file put back: the
    // administrator still logs in, as the same official.
    let first = App::open(&d, PASS).expect("upgrade").session().id.clone();
    std::fs::write(d.join(KEY_FILE), &old).expect("put back");
    let again = App::open(&d, PASS).expect("upgrade again");
    assert_eq!(again.session().id, first);
    assert_eq!(again.session().role, Role::Administrator);
    drop(again);
    assert!(App::open(&d, PASS).is_ok(), "and after");
}
