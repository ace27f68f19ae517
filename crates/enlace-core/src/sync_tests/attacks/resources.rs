//! What a peer sends bounds what it costs: the 612-byte bundle, the quarantine, wants, parts, declared work.

use super::super::forge::*;
use super::super::*;
use super::*;
use enlace_docs::{Document, actor_for_key};
use enlace_sync::{Cursor, Page, RefusalReason, Wants};
use serde_bytes::ByteArray;
use serde_json::json;

/// Finding 3: the 612-byte bundle (200,000 empty changes, 200,000
/// ranges naming them all) aborted `enlace bundle import` with a 4 GiB
/// allocation.
#[test]
fn the_612_byte_bundle_is_refused_and_changes_nothing() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let page = enlace_sync::testing::the_612_byte_page();
    let body = enlace_sync::bundle::BundleBody {
        applied: Cursor::start(),
        need: vec![],
        need_changes: vec![],
        need_after: vec![],
        pages: vec![page],
    };
    let file =
        enlace_sync::bundle::seal(gt.app.node.signing_key(), &hn.key, 1, "x", &body).expect("seal");
    assert!(file.len() < 2048, "{}", file.len());
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("pequeno.enlace");
    std::fs::write(&path, &file).expect("write");
    let e = hn
        .app
        .import_bundle(&path, &mut |_, _| {})
        .expect_err("refused");
    assert!(matches!(e, CoreError::Bundle(_)), "{e:?}");
    assert!(
        e.message(Lang::Es).contains("No se aplicó nada"),
        "{}",
        e.message(Lang::Es)
    );
    assert!(kinds(&hn).is_empty());
    assert_eq!(hn.app.quarantine_total().expect("q"), 0);
    // An honest bundle from the same peer still imports.
    case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    let honest = dir.path().join("honesto.enlace");
    gt.app
        .export_bundle(&hn.name, &honest, &mut |_, _| {})
        .expect("export");
    assert_eq!(
        hn.app
            .import_bundle(&honest, &mut |_, _| {})
            .expect("import")
            .docs,
        1
    );
}

/// Finding 3: the quarantine is bounded per sender; past the bound a
/// change is refused (`quarantine_full`) and not kept, and the page's
/// other documents still apply.
#[test]
fn a_peer_cannot_fill_the_quarantine() {
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    pair(&mut mx, &mut hn);
    // 10,050 changes nobody signed, whose document Honduras does not hold.
    let mut doc = Document::new(actor_for_key(&mx.key));
    let mut junk = vec![];
    for i in 0..(crate::replica::quarantine::MAX_KEPT + 50) {
        doc.write(&json!({ "n": i })).expect("write");
        junk.push(commit(&mut doc));
    }
    let honest = case_with_victim(&mut mx, "Caso mexicano", json!({"scope": "regional"}));
    let mut page = mx
        .app
        .build_page(&hn.key, &Cursor::start(), &Wants::default(), 1 << 20)
        .expect("page");
    prepend(&mut page, vec![group(None, "", junk)]);
    let got = hn.app.apply_page(&mx.key, &page, None).expect("applies");
    assert!(holds(&hn, &honest.id), "the honest document applied");
    assert_eq!(
        hn.app.quarantine_total().expect("q"),
        crate::replica::quarantine::MAX_KEPT
    );
    let full = got
        .refused
        .iter()
        .filter(|r| r.reason == RefusalReason::QuarantineFull)
        .count();
    assert!(full >= 50, "{full}");
    let audit = hn.app.store.read().audit_log().expect("audit");
    assert!(
        audit
            .iter()
            .any(|a| a.action == "sync.refused" && a.detail.contains("quarantine_full"))
    );
    // Sync goes on.
    sync(&mut hn, &mut mx);
}

/// Finding 3: a reconciliation naming endless documents cannot grow the
/// list of documents wanted from a peer without bound.
#[test]
fn a_peer_cannot_grow_the_wanted_documents_without_bound() {
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    pair(&mut mx, &mut hn);
    for round in 0..2u8 {
        let mut docs: Vec<(enlace_sync::DocId, u64)> = (0..20_000u32)
            .map(|i| {
                let mut id = [round; 16];
                id[12..].copy_from_slice(&i.to_be_bytes());
                (ByteArray::new(id), 7)
            })
            .collect();
        docs.sort_by_key(|a| a.0);
        let body = enlace_sync::codec::encode(&enlace_sync::ReconcileRequest {
            v: enlace_sync::VERSION,
            log: Cursor::start(),
            after: None,
            through: None,
            docs,
        });
        enlace_sync::serve_reconcile(&mut hn.app, &mx.key, &body).expect("answered");
    }
    let wanted = hn.app.store.read().want_count(&mx.key).expect("count");
    assert_eq!(wanted, crate::replica::MAX_WANTS);
}

/// Finding 3: a document larger than a page could never travel whole;
/// now it comes in parts, each within the page asked for.
#[test]
fn a_document_larger_than_a_page_travels_in_parts() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso largo", json!({"scope": "national"}));
    // Forty notes of 8,000 characters that do not compress.
    let mut seed = 7u64;
    for _ in 0..40 {
        let text: String = (0..8_000)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                char::from(b'a' + (seed >> 59) as u8 % 26)
            })
            .collect();
        gt.app.add_note(&saved.reference, &text).expect("note");
    }
    // Honduras syncs while the case is national (nothing of it comes),
    // then the case is opened to the region: Honduras gets the last change,
    // lacks its history, and asks for the case whole.
    sync(&mut hn, &mut gt);
    assert!(!holds(&hn, &saved.id));
    gt.app
        .update_case(
            &saved.reference,
            &json!({"audience": {"scope": "regional"}}),
        )
        .expect("open");
    let (hk, gk) = (hn.key, gt.key);
    let page = 16 << 10;
    let mut largest = 0usize;
    let stats = run_in_memory(&mut hn.app, &hk, &mut gt.app, &gk, page, &mut |n| {
        largest = largest.max(n);
        true
    })
    .expect("sync");
    assert!(holds(&hn, &saved.id), "{stats:?}");
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
    assert!(quarantined(&hn).is_empty(), "{:?}", quarantined(&hn));
    let size: usize = gt
        .app
        .store
        .read()
        .log_of_doc(&saved.id)
        .expect("log")
        .iter()
        .map(|r| r.change.len())
        .sum();
    assert!(
        size > 16 * page as usize,
        "the case's history is {size} bytes"
    );
    assert!(
        largest < 3 * page as usize,
        "no message much larger than a page: {largest} bytes"
    );
    assert_eq!(hn.app.peer(&gt.name, Lang::Es).expect("peer").wanted, 0);
}

/// A page whose changes each declare many operations (each within a
/// change's bound) was read whole while the hub held its lock: hours of
/// work for a few kilobytes. A page declaring more than a page may is
/// refused before any change is read.
#[test]
fn a_page_declaring_too_much_work_is_refused_unread() {
    let mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    trust(&mut hn, &mx);
    // One change whose action column says 150,000 operations (a null run).
    let mut data = vec![0x00, 32];
    data.extend_from_slice(&[7; 32]);
    data.extend_from_slice(&[
        0x01, 0x01, 0x00, 0x00, 0x00, 0x01, 0x42, 0x04, 0x00, 0xf0, 0x93, 0x09,
    ]);
    let mut change = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0x01, data.len() as u8];
    change.extend_from_slice(&data);
    assert_eq!(
        enlace_docs::chunk::check(&change),
        Ok(150_000),
        "one change stays within its own bound"
    );
    // (No proof: it would be checked only after the page is read.)
    let page = Page {
        groups: vec![group(None, "", vec![change; 20])],
        ..Page::default()
    };
    let e = hn
        .app
        .apply_page(&mx.key, &page, None)
        .expect_err("refused");
    assert!(matches!(e, CoreError::PeerSent { .. }), "{e:?}");
    assert!(
        e.message(Lang::Es).contains("No se aplicó nada"),
        "{}",
        e.message(Lang::Es)
    );
    assert_eq!(hn.app.quarantine_total().expect("q"), 0);
}

/// A document asked for whole that stops being available half-way (its
/// audience narrowed) leaves no want and no part behind: sync goes on.
#[test]
fn a_transfer_in_parts_that_ends_unavailable_leaves_nothing_behind() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso largo", json!({"scope": "national"}));
    for i in 0..12 {
        let text: String = (0..8_000)
            .map(|k| char::from(b'a' + ((k * 7 + i * 13) % 26) as u8))
            .collect();
        gt.app.add_note(&saved.reference, &text).expect("note");
    }
    sync(&mut hn, &mut gt);
    gt.app
        .update_case(
            &saved.reference,
            &json!({"audience": {"scope": "regional"}}),
        )
        .expect("open");
    // Cut after the first part arrived.
    let (hk, gk) = (hn.key, gt.key);
    let mut messages = 0;
    let _ = run_in_memory(&mut hn.app, &hk, &mut gt.app, &gk, 16 << 10, &mut |_| {
        messages += 1;
        messages <= 4
    });
    let parts = hn
        .app
        .store
        .read()
        .parts(&gt.key, &saved.id)
        .expect("parts");
    assert!(!parts.is_empty(), "a part is kept");
    // Guatemala narrows the case again: it is no longer Honduras' to have.
    gt.app
        .update_case(
            &saved.reference,
            &json!({"audience": {"scope": "national"}}),
        )
        .expect("narrow");
    let stats = sync(&mut hn, &mut gt);
    assert!(!holds(&hn, &saved.id), "{stats:?}");
    assert!(
        hn.app
            .store
            .read()
            .parts(&gt.key, &saved.id)
            .expect("parts")
            .is_empty()
    );
    assert_eq!(hn.app.peer(&gt.name, Lang::Es).expect("peer").wanted, 0);
    sync(&mut hn, &mut gt);
}
