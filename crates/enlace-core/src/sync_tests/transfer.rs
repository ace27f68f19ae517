//! Transfers that are cut, repeated, restored, or run beside the screens.

use super::*;

#[test]
fn a_node_restored_from_a_backup_is_reconciled_and_loses_nothing() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let first = case_with_victim(&mut gt, "Antes de la copia", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    // A backup of Guatemala's data directory...
    let backup = back_up(&mut gt);
    // ...then work that reaches Honduras...
    let second = case_with_victim(&mut gt, "Después de la copia", json!({"scope": "regional"}));
    gt.app
        .update_case(&first.reference, &json!({"status": "prosecution"}))
        .expect("edit");
    sync(&mut hn, &mut gt);
    // ...then the disk fails and the backup is restored, and Guatemala
    // works on before syncing again.
    drop(std::mem::replace(
        &mut gt.app,
        App::open(&backup, PASS).expect("restored"),
    ));
    let third = case_with_victim(&mut gt, "Tras restaurar", json!({"scope": "regional"}));
    let stats = sync(&mut hn, &mut gt);
    assert!(stats.reconciled, "{stats:?}");
    sync(&mut gt, &mut hn);
    for id in [&first.id, &second.id, &third.id] {
        assert!(holds(&gt, id) && holds(&hn, id));
        assert_eq!(heads(&gt, id), heads(&hn, id), "{id}");
    }
    assert_eq!(
        gt.app.case(&first.reference).expect("view").case.status,
        enlace_domain::CaseStatus::Prosecution,
        "the edit lost with the disk came back from Honduras"
    );
}

#[test]
fn a_cut_transfer_resumes_where_it_stopped() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let inputs: Vec<_> = (0..60)
        .map(|n| {
            // Synthetic cases are demonstration data (which never syncs) unless
            // said otherwise.
            let mut i = crate::synthetic(n);
            i.demo = false;
            i
        })
        .collect();
    gt.app.import_cases(inputs).expect("import");
    let (hk, gk) = (hn.key, gt.key);
    let mut messages = 0;
    let err = run_in_memory(&mut hn.app, &hk, &mut gt.app, &gk, 16 << 10, &mut |_| {
        messages += 1;
        messages <= 4
    })
    .expect_err("cut");
    assert!(matches!(err, SyncError::Transport(_)));
    let part = hn
        .app
        .store
        .read()
        .count_docs(DocKind::Case)
        .expect("count");
    assert!(part > 0 && part < 60, "{part}");
    let stats =
        run_in_memory(&mut hn.app, &hk, &mut gt.app, &gk, 16 << 10, &mut |_| true).expect("resume");
    assert_eq!(
        hn.app
            .store
            .read()
            .count_docs(DocKind::Case)
            .expect("count"),
        60
    );
    assert_eq!(
        stats.traffic.docs_received,
        60 - part,
        "nothing received twice"
    );
}

#[test]
fn a_page_received_twice_changes_nothing_the_second_time() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso repetido", json!({"scope": "regional"}));
    gt.app
        .add_note(&saved.reference, "Primera nota")
        .expect("note");
    let hk = hn.key;
    let page = gt
        .app
        .page_for(
            &hk,
            &Cursor::start(),
            &enlace_sync::Wants::default(),
            1 << 20,
        )
        .expect("page");
    assert!(!page.groups.is_empty());
    let gk = gt.key;
    let first = hn.app.apply(&gk, &page).expect("apply");
    assert_eq!((first.docs, first.refused.len()), (1, 0), "{first:?}");
    let heads_once = heads(&hn, &saved.id);
    let log_once = hn.app.store.read().log_end().expect("log");
    // The same page again (a retried request, a replayed batch).
    let again = hn.app.apply(&gk, &page).expect("apply again");
    assert_eq!((again.docs, again.changes, again.refused.len()), (0, 0, 0));
    assert_eq!(heads(&hn, &saved.id), heads_once);
    assert_eq!(hn.app.store.read().log_end().expect("log"), log_once);
    assert!(hn.app.quarantine().expect("quarantine").is_empty());
    let case = hn.app.case(&saved.reference).expect("case");
    assert_eq!(case.case.notes.len(), 1, "the note once");
}

#[test]
fn what_sync_writes_on_its_own_connection_is_seen_by_the_screens() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Visto en pantalla", json!({"scope": "regional"}));
    // The screens' connection has been used (as the app does at start).
    assert_eq!(
        hn.app
            .list_cases(&CaseFilter::default())
            .expect("list")
            .total,
        0
    );
    let _ = hn.app.peers(Lang::Es).expect("peers");
    let _ = hn.app.quarantine().expect("quarantine");
    // Sync runs on a connection of its own.
    let mut engine = hn.app.sync_connection().expect("sync connection");
    let (hk, gk) = (hn.key, gt.key);
    run_in_memory(&mut engine, &hk, &mut gt.app, &gk, 1 << 20, &mut |_| true).expect("sync");
    assert_eq!(
        hn.app
            .list_cases(&CaseFilter::default())
            .expect("list")
            .total,
        1,
        "the screens see what sync stored"
    );
    assert!(hn.app.case(&saved.reference).is_ok());
}
