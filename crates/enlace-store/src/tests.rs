use super::*;
use rusqlite::Connection;

fn row(id: &str, reference: &str, title: &str, text: &str) -> CaseIndexRow {
    CaseIndexRow {
        doc_id: id.into(),
        reference: reference.into(),
        title: title.into(),
        title_sort: title.to_lowercase(),
        status: "reported".into(),
        classification: "trafficking".into(),
        owner_country: "GT".into(),
        opened: "2026-01-01".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
        warnings: 0,
        demo: false,
        countries: vec![
            ("GT".into(), "owner".into()),
            ("HN".into(), "origin".into()),
        ],
        tags: vec![("purpose".into(), "forced_labour".into())],
        search_text: text.into(),
        search_names: String::new(),
        handling: String::new(),
        persons: vec![],
        victims: None,
    }
}

fn doc(id: &str) -> DocRow {
    DocRow {
        id: id.into(),
        kind: enlace_domain::DocKind::Case,
        owner_country: "GT".into(),
        owner_node: "n".into(),
        audience: "{}".into(),
        bytes: vec![1, 2, 3],
        heads: "[]".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
        local_only: false,
        reach: vec![],
        grants: vec![],
    }
}

#[test]
fn migrations_are_valid() {
    migrations().validate().expect("valid migrations");
}

#[test]
fn a_version_1_database_keeps_its_documents_and_index_through_the_upgrade() {
    use rusqlite_migration::SchemaVersion;
    let mut conn = Connection::open_in_memory().expect("memory db");
    migrations().to_version(&mut conn, 1).expect("v1");
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         INSERT INTO documents VALUES ('d1', 'case', 'GT', 'n', '{}', x'01', '[]', 't', 't');
         INSERT INTO change_log (doc_id, hash, change, recorded_at) VALUES ('d1', 'h', x'02', 't');
         INSERT INTO case_index VALUES ('d1', 'GT-2026-0001', 'T', 't', 'reported',
                'trafficking', 'GT', '2026-01-01', 't', 0, 0);
         INSERT INTO case_country VALUES ('d1', 'GT', 'owner');
         PRAGMA foreign_keys = OFF;",
    )
    .expect("v1 rows");
    let refused = conn.execute(
        "INSERT INTO documents VALUES ('d2', 'legal_assessment', 'GT', 'n', '{}', x'01', '[]', 't', 't')",
        [],
    );
    assert!(refused.is_err(), "version 1 only knows cases and persons");
    migrations().to_latest(&mut conn).expect("upgrade");
    assert_eq!(
        migrations().current_version(&conn).expect("version"),
        SchemaVersion::Inside(std::num::NonZeroUsize::new(13).expect("13"))
    );
    conn.execute_batch("PRAGMA foreign_keys = ON;").expect("fk");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM documents WHERE id = 'd1'"), 1);
    assert_eq!(count("SELECT count(*) FROM case_index"), 1);
    assert_eq!(count("SELECT count(*) FROM case_country"), 1);
    assert_eq!(count("SELECT count(*) FROM change_log"), 1);
    // 0010: a case indexed before has no victims yet (statistics then read
    // its document).
    assert_eq!(
        count("SELECT count(*) FROM case_index WHERE victims IS NULL"),
        1
    );
    // 0007: a peer keeps the changes moved beside the bytes and documents.
    assert_eq!(
        count("SELECT count(*) FROM pragma_table_info('peer') WHERE name LIKE 'changes_%'"),
        2
    );
    conn.execute(
        "INSERT INTO documents (id, kind, owner_country, owner_node, audience, bytes, heads, created_at, updated_at)
         VALUES ('d2', 'legal_assessment', 'GT', 'n', '{}', x'01', '[]', 't', 't')",
        [],
    )
    .expect("the new kind is accepted");
    assert_eq!(
        count("SELECT local_only FROM documents WHERE id = 'd2'"),
        0,
        "documents sync unless marked local"
    );
    // 0012: nodes and peers from before roles stay offices (they received
    // every identity of their country); documents reach no node by name.
    assert_eq!(count("SELECT count(*) FROM documents WHERE reach = ''"), 2);
    assert_eq!(
        count(
            "SELECT count(*) FROM pragma_table_info('peer') WHERE name = 'node_role' AND dflt_value = '''office'''"
        ),
        1
    );
    // The children still point at the rebuilt table.
    assert!(
        conn.execute(
            "INSERT INTO case_country VALUES ('nope', 'GT', 'owner')",
            []
        )
        .is_err()
    );
    conn.execute("DELETE FROM documents WHERE id = 'd1'", [])
        .expect_err("change_log still references d1");
}

#[test]
fn create_then_open_and_wrong_passphrase_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("data");
    {
        let mut s = Store::create(&d, "correct horse").expect("create");
        assert!(s.cipher_version().expect("version").starts_with('4'));
        s.write(|tx| tx.put_doc(&doc("a"))).expect("write");
    }
    assert!(matches!(
        Store::create(&d, "x"),
        Err(StoreError::AlreadyInitialised(_))
    ));
    let snapshot = |d: &std::path::Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d)
            .expect("read dir")
            // The count of failed logins is the one file a failure writes.
            .filter(|e| {
                e.as_ref()
                    .map(|e| e.file_name() != LOGINS_FILE)
                    .unwrap_or(true)
            })
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = snapshot(&d);
    let err = Store::open(&d, "wrong horse").expect_err("wrong passphrase");
    assert!(matches!(err, StoreError::WrongPassphrase), "{err}");
    assert_eq!(
        before,
        snapshot(&d),
        "a wrong passphrase must change no file"
    );
    assert!(d.join(LOGINS_FILE).exists(), "the failure is counted");
    let s = Store::open(&d, "correct horse").expect("open");
    assert_eq!(
        s.read().doc("a").expect("read").expect("row").bytes,
        vec![1, 2, 3]
    );
    assert!(s.integrity_ok().expect("check"));
}

#[test]
fn the_file_on_disk_is_encrypted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        tx.index_case(&row(
            "a",
            "GT-2026-0001",
            "Núñez Ávila secreto",
            "nunez avila secreto",
        ))
    })
    .map_err(|e| e.to_string())
    .expect_err("index without document violates the foreign key");
    s.write(|tx| {
        tx.put_doc(&doc("a"))?;
        tx.index_case(&row(
            "a",
            "GT-2026-0001",
            "Núñez Ávila secreto",
            "Núñez Ávila secreto",
        ))
    })
    .expect("write");
    drop(s);
    for f in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(f.expect("entry").path()).expect("read");
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains("secreto"), "plaintext found on disk");
        assert!(
            !hay.contains("SQLite format 3"),
            "unencrypted header on disk"
        );
    }
}

#[test]
fn a_failed_transaction_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let r: Result<()> = s.write(|tx| {
        tx.put_doc(&doc("a"))?;
        tx.next_reference("GT", 2026, S)?;
        Err(StoreError::Corrupt("simulated failure mid-write".into()))
    });
    assert!(r.is_err());
    assert!(s.read().doc("a").expect("read").is_none());
    let n = s
        .write(|tx| tx.next_reference("GT", 2026, S))
        .expect("alloc");
    assert_eq!(n, 1, "the rolled-back allocation must not count");
}

/// This node's series in the tests.
const S: &str = "GT-K7M3Q-2026-";

#[test]
fn references_are_allocated_per_country_and_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let mut next = |c: &str, y: i32, series: &str| {
        s.write(|tx| tx.next_reference(c, y, series))
            .expect("alloc")
    };
    let got: Vec<u32> = (0..3).map(|_| next("GT", 2026, S)).collect();
    assert_eq!(got, vec![1, 2, 3]);
    assert_eq!(next("HN", 2026, "HN-K7M3Q-2026-"), 1);
    assert_eq!(next("GT", 2027, "GT-K7M3Q-2027-"), 1);
}

#[test]
fn a_reference_of_this_series_held_raises_the_counter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    assert_eq!(
        s.write(|tx| tx.next_reference("GT", 2026, S))
            .expect("alloc"),
        1
    );
    // Cases this node issued before the backup it was restored from came
    // back by sync: one now carries 0041, one carried 0057 before it was
    // renumbered; other series (another node, another year, the old form)
    // do not count.
    s.write(|tx| {
        tx.put_doc(&doc("a"))?;
        tx.index_case(&row("a", "GT-K7M3Q-2026-0041", "a", ""))?;
        tx.put_doc(&doc("b"))?;
        let mut b = row("b", "GT-AAAAA-2026-0001", "b", "");
        b.tags
            .push(("former_reference".into(), "GT-K7M3Q-2026-0057".into()));
        tx.index_case(&b)?;
        tx.put_doc(&doc("c"))?;
        tx.index_case(&row("c", "GT-K7M3Q-2027-0900", "c", ""))?;
        tx.put_doc(&doc("d"))?;
        tx.index_case(&row("d", "GT-K7M3R-2026-0800", "d", ""))?;
        tx.put_doc(&doc("e"))?;
        tx.index_case(&row("e", "GT-2026-0700", "e", ""))?;
        Ok::<_, StoreError>(())
    })
    .expect("index");
    assert_eq!(s.read().highest_in_series(S).expect("q"), 57);
    assert_eq!(
        s.write(|tx| tx.next_reference("GT", 2026, S))
            .expect("alloc"),
        58
    );
    assert_eq!(
        s.write(|tx| tx.next_reference("GT", 2026, S))
            .expect("alloc"),
        59
    );
    assert_eq!(s.read().highest_in_series("GT-K7M3Q-2025-").expect("q"), 0);
    assert!(s.read().highest_in_series("GT-K7M3Q-2026").is_err());
}

#[test]
fn references_carried_twice_are_listed_never_picked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        tx.put_doc(&doc("b"))?;
        tx.index_case(&row("b", "GT-2026-0001", "b", ""))?;
        tx.put_doc(&doc("a"))?;
        tx.index_case(&row("a", "GT-2026-0001", "a", ""))?;
        tx.put_doc(&doc("c"))?;
        let mut c = row("c", "GT-K7M3Q-2026-0001", "c", "");
        c.tags
            .push(("former_reference".into(), "GT-2026-0001".into()));
        tx.index_case(&c)?;
        tx.put_doc(&doc("d"))?;
        tx.index_case(&row("d", "GT-2026-0002", "d", ""))?;
        Ok::<_, StoreError>(())
    })
    .expect("index");
    let m = s.read().cases_by_reference("GT-2026-0001").expect("q");
    assert_eq!(m.current, vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(m.former, vec!["c".to_owned()]);
    assert_eq!(
        s.read().duplicate_references().expect("q"),
        vec![(
            "GT-2026-0001".to_owned(),
            vec!["a".to_owned(), "b".to_owned()]
        )]
    );
    let m = s.read().cases_by_reference("GT-2026-0002").expect("q");
    assert_eq!((m.current.len(), m.former.len()), (1, 0));
}

#[test]
fn full_text_search_ignores_accents_and_matches_prefixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        for (id, r, t, body) in [
            (
                "a",
                "GT-2026-0001",
                "Caso Tecún Umán",
                "GT-2026-0001 Caso Tecún Umán José Núñez Ávila",
            ),
            (
                "b",
                "HN-2026-0001",
                "Caso Choloma",
                "HN-2026-0001 Caso Choloma María de los Ángeles Güity",
            ),
            (
                "c",
                "MX-2026-0001",
                "Caso Tapachula",
                "MX-2026-0001 Tapachula Panamá",
            ),
        ] {
            tx.put_doc(&doc(id))?;
            tx.index_case(&row(id, r, t, body))?;
        }
        Ok::<_, StoreError>(())
    })
    .expect("write");
    let find = |terms: &[&str]| {
        let q = CaseQuery {
            terms: terms.iter().map(|t| (*t).to_owned()).collect(),
            limit: 50,
            ..Default::default()
        };
        let (total, rows) = s.read().list_cases(&q).expect("query");
        assert_eq!(total as usize, rows.len());
        let mut ids: Vec<String> = rows.into_iter().map(|r| r.doc_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(find(&["nunez"]), vec!["a"]);
    assert_eq!(find(&["guity"]), vec!["b"]);
    assert_eq!(find(&["panama"]), vec!["c"]);
    assert_eq!(find(&["nun", "avi"]), vec!["a"]);
    assert_eq!(find(&["gt", "2026", "0001"]), vec!["a"]);
    assert_eq!(find(&["caso"]), vec!["a", "b"]);
    assert!(find(&["zzz"]).is_empty());
    let ordered = |sort, descending| {
        let q = CaseQuery {
            terms: vec!["caso".into()],
            sort,
            descending,
            limit: 50,
            ..Default::default()
        };
        let (total, rows) = s.read().list_cases(&q).expect("query");
        assert_eq!(total, 2);
        rows.into_iter().map(|r| r.doc_id).collect::<Vec<_>>()
    };
    assert_eq!(
        ordered(enlace_domain::SortField::Newest, true),
        vec!["b", "a"],
        "newest first"
    );
    assert_eq!(
        ordered(enlace_domain::SortField::Newest, false),
        vec!["a", "b"]
    );
    assert_eq!(ordered(enlace_domain::SortField::Relevance, false).len(), 2);
    let q = CaseQuery {
        country: Some("HN".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.read().list_cases(&q).expect("query").0, 3);
    assert_eq!(
        s.read()
            .cases_by_reference("GT-2026-0001")
            .expect("q")
            .current,
        vec!["a".to_owned()]
    );
}

#[test]
fn the_change_log_is_monotonic_and_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let seqs = s
        .write(|tx| {
            tx.put_doc(&doc("a"))?;
            let a = tx.log_change("a", "h1", b"c1", None, &[1; 32], "t")?;
            let b = tx.log_change("a", "h2", b"c2", None, &[1; 32], "t")?;
            let again = tx.log_change("a", "h1", b"c1", None, &[1; 32], "t")?;
            Ok::<_, StoreError>((a, b, again))
        })
        .expect("write");
    assert!(seqs.0.expect("first") < seqs.1.expect("second"));
    assert_eq!(seqs.2, None);
    assert_eq!(s.read().change_log_stats().expect("stats").0, 2);
}

#[test]
fn the_audit_log_is_hash_chained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        tx.audit("t1", "node", "person.view", "p1", "case show")?;
        tx.audit("t2", "node", "export", "file", "x.json")
    })
    .expect("audit");
    let log = s.read().audit_log().expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].prev, "");
    assert_eq!(log[1].prev, log[0].hash);
    assert_ne!(log[0].hash, log[1].hash);
}

#[test]
fn drafts_are_kept_encrypted_replaced_and_forgotten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    assert_eq!(s.read().draft("case:new").expect("read"), None);
    s.write(|tx| tx.put_draft("case:new", r#"{"title":"Güity borrador"}"#, "t1"))
        .expect("put");
    s.write(|tx| tx.put_draft("case:new", r#"{"title":"Güity borrador 2"}"#, "t2"))
        .expect("replace");
    drop(s);
    for f in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(f.expect("entry").path()).expect("read");
        assert!(!String::from_utf8_lossy(&bytes).contains("borrador"));
    }
    let mut s = Store::open(dir.path(), "pass phrase").expect("open");
    assert_eq!(
        s.read().draft("case:new").expect("read"),
        Some((r#"{"title":"Güity borrador 2"}"#.into(), "t2".into()))
    );
    s.write(|tx| tx.delete_draft("case:new")).expect("delete");
    assert_eq!(s.read().draft("case:new").expect("read"), None);
}

#[test]
fn peers_cursors_proofs_quarantine_and_wants_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let hn = PeerRow {
        name: "Tegucigalpa".into(),
        public_key: vec![7; 32],
        country: "HN".into(),
        url: Some("https://127.0.0.1:7443".into()),
        added_at: "t".into(),
        ..PeerRow::default()
    };
    s.write(|tx| tx.put_peer(&hn)).expect("peer");
    s.write(|tx| tx.set_peer_role("Tegucigalpa", "hub"))
        .expect("role");
    assert_eq!(
        s.read()
            .peer_by_key(&[7; 32])
            .expect("read")
            .map(|p| p.node_role),
        Some("hub".to_owned())
    );
    assert!(
        !s.write(|tx| tx.set_peer_role("Nadie", "hub"))
            .expect("none")
    );
    // The same key under another name is refused: one key, one peer.
    let twice = PeerRow {
        name: "Otra".into(),
        ..hn.clone()
    };
    assert!(s.write(|tx| tx.put_peer(&twice)).is_err());
    let id = s
        .write(|tx| {
            tx.put_doc(&doc("a"))?;
            tx.log_change("a", "h1", b"c1", None, &[1; 32], "t")?;
            let p1 = tx.put_proof(&[7; 32], &[9; 64], &[1; 32])?;
            let p2 = tx.put_proof(&[7; 32], &[9; 64], &[1; 32])?;
            assert_eq!(p1, p2, "a proof is stored once");
            tx.log_received(
                &Received {
                    doc_id: "a",
                    hash: "h2",
                    change: b"c2",
                    author: &[7; 32],
                    source: &[7; 32],
                    proof_id: p1,
                },
                "t",
            )?;
            tx.set_peer_applied(&[7; 32], 12, Some(&[3; 32]))?;
            tx.set_peer_acked(&[7; 32], 2, Some(b"h2"))?;
            tx.want(&[7; 32], "b")?;
            tx.want(&[7; 32], "b")?;
            tx.record_session(
                &[7; 32],
                &SessionRecord {
                    at: "t2".into(),
                    ok: false,
                    error: Some("{\"code\":\"unreachable\"}".into()),
                    traffic: enlace_domain::Traffic {
                        bytes_sent: 10,
                        changes_received: 3,
                        ..Default::default()
                    },
                },
            )?;
            tx.put_quarantine(&QuarantineRow {
                id: 0,
                doc_id: "a".into(),
                kind: "case".into(),
                hash: "h3".into(),
                change: b"c3".to_vec(),
                author: vec![8; 32],
                proof_id: Some(p1),
                source: vec![7; 32],
                reason: "unknown_author".into(),
                detail: "".into(),
                received_at: "t".into(),
                dep: "h2".into(),
            })?;
            // Roster entries the peer vouched for, and one it is named in.
            tx.put_roster(&RosterRow {
                public_key: vec![5; 32],
                country: "HN".into(),
                name: "Aduana".into(),
                voucher: vec![7; 32],
                signature: vec![0; 64],
                added_at: "t".into(),
            })?;
            Ok::<_, StoreError>(p1)
        })
        .expect("write");
    let r = s.read();
    let p = r.peer_by_key(&[7; 32]).expect("read").expect("peer");
    assert_eq!((p.applied_seq, p.acked_seq, p.failures), (12, 2, 1));
    assert_eq!(p.last_success, None);
    assert_eq!(p.traffic.bytes_sent, 10);
    assert_eq!(p.traffic.changes_received, 3);
    assert_eq!(r.wants(&[7; 32]).expect("wants"), vec!["b".to_owned()]);
    let log = r.log_after(0, 10).expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].source.as_deref(), Some(&[7u8; 32][..]));
    assert_eq!(log[1].proof_id, Some(id));
    assert_eq!(log[0].kind, enlace_domain::DocKind::Case);
    assert_eq!(r.log_end().expect("end"), (log[1].seq, Some("h2".into())));
    assert_eq!(r.quarantine_of("unknown_author", "a").expect("q").len(), 1);
    assert_eq!(r.quarantine_usage(&[7; 32]).expect("usage"), (1, 2));
    assert!(r.logged("a", "h2").expect("logged"));
    // Removing the peer forgets its cursors, its wants and what it vouched
    // for, and remembers its key as removed.
    let removed = s
        .write(|tx| tx.remove_peer("Tegucigalpa", "t3"))
        .expect("remove");
    assert_eq!(removed, Some(vec![7; 32]));
    assert!(s.read().wants(&[7; 32]).expect("wants").is_empty());
    assert!(s.read().peers().expect("peers").is_empty());
    assert!(s.read().roster().expect("roster").is_empty());
    assert!(s.read().is_removed(&[7; 32]).expect("removed"));
    s.write(|tx| tx.paired_again(&[7; 32])).expect("again");
    assert!(!s.read().is_removed(&[7; 32]).expect("removed"));
}

#[test]
fn a_kept_change_is_found_once_its_document_arrives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        let p = tx.put_proof(&[7; 32], &[9; 64], &[1; 32])?;
        tx.put_quarantine(&QuarantineRow {
            id: 0,
            doc_id: String::new(),
            kind: String::new(),
            hash: "h9".into(),
            change: b"c9".to_vec(),
            author: vec![7; 32],
            proof_id: Some(p),
            source: vec![7; 32],
            reason: "missing_history".into(),
            detail: "".into(),
            received_at: "t".into(),
            dep: "h1".into(),
        })
    })
    .expect("keep");
    assert!(s.read().quarantine_resolvable().expect("q").is_empty());
    s.write(|tx| {
        tx.put_doc(&doc("a"))?;
        tx.log_change("a", "h1", b"c1", None, &[1; 32], "t")
    })
    .expect("log");
    let found = s.read().quarantine_resolvable().expect("q");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].1.as_str(), found[0].2.name()), ("a", "case"));
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_its_files_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    drop(Store::create(&data, "pass phrase").expect("create"));
    assert_eq!(mode(&data), 0o700);
    for f in [DB_FILE, KEY_FILE] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    // A folder left open by an older version is closed at the next open.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(data.join(DB_FILE), std::fs::Permissions::from_mode(0o644))
        .expect("chmod");
    let s = Store::open(&data, "pass phrase").expect("open");
    assert_eq!(mode(&data), 0o700);
    for f in [DB_FILE, "enlace.db-wal", KEY_FILE] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    drop(s);
}

#[test]
fn a_damaged_database_is_not_a_wrong_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    drop(Store::create(&data, "pass phrase").expect("create"));
    assert!(matches!(
        Store::open(&data, "another one"),
        Err(StoreError::WrongPassphrase)
    ));
    // The first page damaged (bytes in the middle of it).
    let db = data.join(DB_FILE);
    let mut bytes = std::fs::read(&db).expect("read");
    for b in &mut bytes[100..200] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).expect("write");
    let err = Store::open(&data, "pass phrase").expect_err("damaged");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert!(err.to_string().contains("restore a backup"), "{err}");
    // And a key file with one digit of its salt changed.
    let key = data.join(KEY_FILE);
    let text = std::fs::read_to_string(&key).expect("key");
    let file: Keyring = serde_json::from_str(&text).expect("json");
    let salt = &file.officials[0].salt;
    let digit = if salt.starts_with('0') { "1" } else { "0" };
    let altered = text.replace(salt, &format!("{digit}{}", &salt[1..]));
    std::fs::write(&key, altered).expect("write");
    let err = Store::open(&data, "pass phrase").expect_err("key file");
    assert!(matches!(err, StoreError::KeyFile { .. }), "{err}");
    assert!(err.to_string().contains("restore enlace.key.json"), "{err}");
}

fn enlace_store_reach(owner: &str, nodes: &[String], grants: &[String]) -> crate::ReachRow {
    crate::ReachRow {
        owner_node: owner.to_owned(),
        nodes: nodes.to_vec(),
        grants: grants.to_vec(),
    }
}

#[test]
fn a_documents_reach_is_kept_and_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let mut d = doc("p");
    d.kind = enlace_domain::DocKind::Person;
    d.reach = vec!["aa".repeat(32), "bb".repeat(32)];
    d.grants = vec!["HN:2027-01-31".into()];
    s.write(|tx| tx.put_doc(&d)).expect("put");
    assert_eq!(
        s.read().reach_of("p").expect("reach"),
        Some(enlace_store_reach("n", &d.reach, &d.grants))
    );
    assert_eq!(
        s.read().doc("p").expect("doc").map(|r| r.reach),
        Some(d.reach.clone())
    );
    d.reach.clear();
    d.grants.clear();
    s.write(|tx| tx.put_doc(&d)).expect("put");
    assert_eq!(
        s.read().reach_of("p").expect("reach"),
        Some(enlace_store_reach("n", &[], &[]))
    );
    assert_eq!(s.read().reach_of("nada").expect("reach"), None);
}

#[test]
fn person_links_follow_the_case_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        tx.put_doc(&doc("c1"))?;
        let mut r = row("c1", "GT-2026-0001", "T", "t");
        r.persons = vec!["p1".into(), "p2".into()];
        tx.index_case(&r)?;
        r.persons = vec!["p2".into()];
        tx.index_case(&r)
    })
    .expect("write");
    assert!(s.read().cases_of_person("p1").expect("p1").is_empty());
    assert_eq!(s.read().cases_of_person("p2").expect("p2"), vec!["c1"]);
}

#[test]
fn a_bare_copy_never_downgrades_a_change_kept_with_its_proof() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    let kept = |proof_id, reason: &str| QuarantineRow {
        id: 0,
        doc_id: "a".into(),
        kind: "case".into(),
        hash: "h".into(),
        change: b"c".to_vec(),
        author: vec![7; 32],
        proof_id,
        source: vec![7; 32],
        reason: reason.into(),
        detail: reason.into(),
        received_at: "t".into(),
        dep: "d".into(),
    };
    s.write(|tx| {
        let p = tx.put_proof(&[7; 32], &[9; 64], &[1; 32])?;
        tx.put_quarantine(&kept(Some(p), "missing_history"))?;
        // The same change sent again without its proof by another peer.
        tx.put_quarantine(&kept(None, "bad_signature"))
    })
    .expect("write");
    let rows = s.read().quarantine_of("missing_history", "a").expect("q");
    assert_eq!(rows.len(), 1, "still waiting, with its proof");
    assert!(rows[0].proof_id.is_some());
}

/// A copy taken while another connection holds a write open is one
/// snapshot: it opens with the same passphrase, at the same schema
/// version, with what was committed and not what was not.
#[test]
fn a_copy_is_a_consistent_snapshot_that_opens_with_the_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (d, to) = (dir.path().join("data"), dir.path().join("copy"));
    let mut s = Store::create(&d, "correct horse").expect("create");
    s.write(|tx| tx.put_doc(&doc("a"))).expect("write");
    // Another connection (the app's sync, `enlace serve`) is mid-write.
    let writer = s.reopen().expect("reopen");
    writer
        .conn
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM documents WHERE id = 'a';")
        .expect("an open write");
    s.copy_into(&to).expect("copy");
    writer.conn.execute_batch("ROLLBACK;").expect("rollback");
    assert!(matches!(
        s.copy_into(&to),
        Err(StoreError::AlreadyInitialised(_))
    ));
    assert!(matches!(
        Store::open(&to, "wrong horse"),
        Err(StoreError::WrongPassphrase)
    ));
    let copy = Store::open(&to, "correct horse").expect("open the copy");
    assert!(copy.integrity_ok().expect("check"));
    assert!(copy.read().doc("a").expect("read").is_some());
    let version = |s: &Store| -> i64 {
        s.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version")
    };
    assert_eq!(version(&copy), version(&s));
    assert!(version(&copy) > 0);
}

fn key_ring(dir: &std::path::Path) -> Keyring {
    serde_json::from_str(&std::fs::read_to_string(dir.join(KEY_FILE)).expect("key file"))
        .expect("a keyring")
}

#[test]
fn each_official_opens_with_their_own_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("data");
    let mut s = Store::create_for(&d, "Ana Pérez", "clave de ana").expect("create");
    assert_eq!(s.official().name, "Ana Pérez");
    assert!(s.official().first);
    s.write(|tx| tx.put_doc(&doc("a"))).expect("write");
    let (luis, _) = s.add_key_holder("Luis", "clave de luis").expect("add");
    assert!(matches!(
        s.add_key_holder("luis ", "otra clave"),
        Err(StoreError::OfficialExists(_))
    ));
    drop(s);
    // Each passphrase opens as its own official; names fold case and accents.
    let s = Store::open_as(&d, Some("ana perez"), "clave de ana").expect("ana");
    assert_eq!(s.official().name, "Ana Pérez");
    drop(s);
    let s = Store::open_as(&d, Some("Luis"), "clave de luis").expect("luis");
    assert_eq!(s.official().id, luis);
    assert!(!s.official().first);
    assert!(s.read().doc("a").expect("read").is_some());
    drop(s);
    // Without a name: the official made at creation.
    assert_eq!(
        Store::open(&d, "clave de ana")
            .expect("default")
            .official()
            .name,
        "Ana Pérez"
    );
    assert!(matches!(
        Store::open_as(&d, Some("Luis"), "clave de ana"),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(matches!(
        Store::open_as(&d, Some("Marta"), "clave de ana"),
        Err(StoreError::UnknownOfficial(_))
    ));
    // Luis's entry copied under Ana's name and identity does not open: the
    // wrapping is bound to both.
    let mut ring = key_ring(&d);
    let mut forged = ring.officials[1].clone();
    forged.name = ring.officials[0].name.clone();
    forged.id = ring.officials[0].id.clone();
    forged.first = true;
    ring.officials = vec![forged];
    let ring = Keyring::new(ring.officials);
    let saved = std::fs::read(d.join(KEY_FILE)).expect("key");
    std::fs::write(
        d.join(KEY_FILE),
        serde_json::to_string(&ring).expect("json"),
    )
    .expect("write");
    assert!(matches!(
        Store::open(&d, "clave de luis"),
        Err(StoreError::WrongPassphrase)
    ));
    std::fs::write(d.join(KEY_FILE), saved).expect("restore");
    std::fs::remove_file(d.join(LOGINS_FILE)).expect("forget failures");
    // A new passphrase, then removal: nothing is re-encrypted.
    let s = Store::open(&d, "clave de ana").expect("ana");
    s.rewrap_key_holder(&luis, "Luis", "nueva clave de luis")
        .expect("reset");
    assert!(matches!(
        Store::open_as(&d, Some("Luis"), "clave de luis"),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(Store::open_as(&d, Some("Luis"), "nueva clave de luis").is_ok());
    s.remove_key_holder(&luis).expect("remove");
    assert!(matches!(
        Store::open_as(&d, Some("Luis"), "nueva clave de luis"),
        Err(StoreError::UnknownOfficial(_))
    ));
    let ana = s.official().id.clone();
    assert!(s.remove_key_holder(&ana).is_err(), "the last key stays");
    assert_eq!(s.key_holders().expect("holders").len(), 1);
}

#[test]
fn failed_logins_slow_the_next_attempts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("data");
    drop(Store::create(&d, "correct horse").expect("create"));
    for _ in 0..FREE_ATTEMPTS {
        assert!(matches!(
            Store::open(&d, "wrong horse"),
            Err(StoreError::WrongPassphrase)
        ));
    }
    // Even the right passphrase waits now. (The failures are moved a
    // minute ahead first: a slow machine must not let the one-second
    // wait pass between the last failure and this attempt.)
    let path = d.join(LOGINS_FILE);
    let shift = |by: i64| {
        let mut logins: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("logins")).expect("json");
        for t in logins["failures"]["admin"].as_array_mut().expect("times") {
            *t = serde_json::json!(t.as_i64().expect("time") + by);
        }
        std::fs::write(&path, logins.to_string()).expect("write");
    };
    shift(60);
    let err = Store::open(&d, "correct horse").expect_err("slowed");
    assert!(
        matches!(err, StoreError::TooManyAttempts { wait_secs } if wait_secs >= 1),
        "{err}"
    );
    assert_eq!(wait_after(FREE_ATTEMPTS - 1), 0);
    assert_eq!(wait_after(FREE_ATTEMPTS), 1);
    assert_eq!(wait_after(FREE_ATTEMPTS + 3), 8);
    assert_eq!(wait_after(1000), MAX_WAIT_SECS);
    // The wait over (the failures moved back in time), the right
    // passphrase opens and hands over the failures, once.
    shift(-3600);
    let s = Store::open(&d, "correct horse").expect("open");
    assert_eq!(s.failed_logins().len(), FREE_ATTEMPTS);
    drop(s);
    // Not yet forgotten (the caller forgets them once audited).
    let mut s = Store::open(&d, "correct horse").expect("open");
    assert_eq!(s.failed_logins().len(), FREE_ATTEMPTS);
    s.forget_failed_logins().expect("forget");
    assert!(s.failed_logins().is_empty());
    drop(s);
    assert!(
        Store::open(&d, "correct horse")
            .expect("open")
            .failed_logins()
            .is_empty()
    );
}

#[test]
fn a_version_one_key_file_becomes_a_keyring_without_re_encrypting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("data");
    // A data folder as Enlace wrote it before officials: the passphrase's
    // key is the database key.
    make_private(&d).expect("dir");
    let mut file = KeyFile {
        m_cost: 64,
        ..KeyFile::generate()
    };
    let key = match file.derive("old passphrase").expect("derive") {
        Derived::Checked(k) | Derived::Unchecked(k) => k,
    };
    file.seal(&key);
    file.write(&d.join(KEY_FILE)).expect("write");
    {
        let conn = Connection::open(d.join(DB_FILE)).expect("db");
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; CREATE TABLE t (x); INSERT INTO t VALUES (42);",
            hex::encode(*key)
        ))
        .expect("an old database");
    }
    assert!(matches!(
        Store::open_as(&d, Some("Luis"), "old passphrase"),
        Err(StoreError::UnknownOfficial(_))
    ));
    assert!(matches!(
        Store::open(&d, "wrong"),
        Err(StoreError::WrongPassphrase)
    ));
    let s = Store::open(&d, "old passphrase").expect("open");
    assert_eq!(s.official().name, DEFAULT_ADMIN);
    drop(s);
    let ring = key_ring(&d);
    assert_eq!(ring.officials.len(), 1);
    assert_eq!(
        *database_key(&d, None, "old passphrase").expect("unwrap"),
        *key,
        "the same database key, wrapped"
    );
    let s = Store::open_as(&d, Some("Admin"), "old passphrase").expect("again");
    let x: i64 = s
        .conn
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .expect("the old data");
    assert_eq!(x, 42);
}

#[test]
fn names_are_searched_only_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::create(dir.path(), "pass phrase").expect("create");
    s.write(|tx| {
        tx.put_doc(&doc("a"))?;
        let mut r = row("a", "GT-2026-0001", "Caso", "caso de trabajo forzoso");
        r.search_names = "José Núñez Ávila".into();
        tx.index_case(&r)
    })
    .expect("write");
    let find = |terms: &[&str], names: bool| {
        let q = CaseQuery {
            terms: terms.iter().map(|t| (*t).to_owned()).collect(),
            names,
            limit: 10,
            ..Default::default()
        };
        s.read().list_cases(&q).expect("query").0
    };
    assert_eq!(find(&["nunez"], true), 1);
    assert_eq!(
        find(&["nunez"], false),
        0,
        "a name is not found without the right"
    );
    assert_eq!(find(&["trabajo"], false), 1);
    assert_eq!(find(&["trabajo", "avila"], false), 0);
    assert_eq!(find(&["trabajo", "avila"], true), 1);
}
