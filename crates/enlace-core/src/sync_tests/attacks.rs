//! A paired peer that sends whatever bytes it likes: each test builds the
//! hostile page or bundle as such a node could (automerge, CBOR, zstd and
//! Ed25519 are all public), hands it to an honest node, and checks that
//! nothing is applied, kept or relayed that should not be, that the page's
//! honest part applies, and that the next honest sync succeeds.

use enlace_docs::{Document, actor_for_key, session_actor};
use enlace_sync::{Cursor, Page, Proof, RefusalReason, Wants};
use serde_bytes::ByteArray;
use serde_json::{Value, json};

use super::forge::*;
use super::*;

fn title(n: &mut Node, reference: &str) -> String {
    n.app.case(reference).expect("case").case.title
}

fn quarantined(n: &Node) -> Vec<(String, String)> {
    n.app
        .quarantine()
        .expect("quarantine")
        .into_iter()
        .map(|q| (q.change, q.reason))
        .collect()
}

fn logged(n: &Node, id: &str, change: &[u8]) -> bool {
    n.app
        .store
        .read()
        .logged(id, &hex::encode(hash_of(change)))
        .expect("log")
}

/// Finding 1: a change that claims another node's authorship, in a group
/// that does not name its document, placed before the document's history.
/// It was kept as "missing history" without its proof being checked, then
/// applied and logged with no proof once the history came, shown as
/// Guatemala's and relayed on.
#[test]
fn a_forged_change_is_never_applied_logged_or_relayed_whatever_the_order() {
    let mut gt = node("GT", "Guatemala");
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    let mut post = node("HN", "Honduras frontera");
    pair(&mut gt, &mut mx);
    pair(&mut mx, &mut hn);
    pair(&mut hn, &mut post);
    // Honduras and its post verify Guatemala's changes: Guatemala's hub
    // is an anchor from the list Honduras' NTF distributed.
    let anchors = vec![Anchor {
        name: gt.name.clone(),
        country: "GT".into(),
        key: hex::encode(gt.key),
    }];
    hn.app.import_anchors(&anchors).expect("anchors");
    post.app.import_anchors(&anchors).expect("anchors");
    let saved = case_with_victim(&mut gt, "Caso original", json!({"scope": "regional"}));
    sync(&mut mx, &mut gt);

    // Mexico's honest page for Honduras (the case, with Guatemala's own
    // proofs)...
    let mut page = mx
        .app
        .build_page(&hn.key, &Cursor::start(), &Wants::default(), 1 << 20)
        .expect("page");
    // ...with, in front, a change to the title under Guatemala's actor.
    let forged = change_as(&mx, &saved.id, actor_for_key(&gt.key), |d| {
        d.put_scalar_at(&["title"], &json!("Título falsificado"))
            .expect("put");
    });
    prepend(&mut page, vec![group(None, "", vec![forged.clone()])]);
    let got = hn
        .app
        .apply_page(&mx.key, &page, None)
        .expect("the page applies");
    assert_eq!(got.docs, 1, "the honest part applies");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::BadSignature),
        "{got:?}"
    );
    assert_eq!(title(&mut hn, &saved.reference), "Caso original");
    assert!(!logged(&hn, &saved.id, &forged));
    let forged_hex = hex::encode(hash_of(&forged));
    assert!(
        quarantined(&hn).contains(&(forged_hex.clone(), "bad_signature".into())),
        "{:?}",
        quarantined(&hn)
    );

    // Signed by the attacker itself: a proof covers only its author's own
    // changes, and this one names Guatemala's actor.
    let page = page_by(
        mx.app.node.signing_key(),
        vec![group(None, "", vec![forged.clone()])],
    );
    hn.app.apply_page(&mx.key, &page, None).expect("applies");
    assert_eq!(title(&mut hn, &saved.reference), "Caso original");
    assert!(!logged(&hn, &saved.id, &forged));

    // Nothing of it travels on: Honduras' post gets the case as Guatemala
    // wrote it, and nothing to quarantine.
    sync(&mut post, &mut hn);
    assert_eq!(title(&mut post, &saved.reference), "Caso original");
    assert!(!logged(&post, &saved.id, &forged));
    assert!(quarantined(&post).is_empty(), "{:?}", quarantined(&post));
    assert_eq!(heads(&post, &saved.id), heads(&gt, &saved.id));
}

/// Finding 1, through the quarantine: a change kept for want of history
/// keeps its proof and is proven again when it is retried; one whose
/// stored proof no longer holds is never applied.
#[test]
fn a_kept_change_is_proven_again_when_it_is_retried() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    gt.app
        .update_case(&saved.reference, &json!({"summary": "Ampliado."}))
        .expect("edit");
    let log: Vec<Vec<u8>> = gt
        .app
        .store
        .read()
        .log_of_doc(&saved.id)
        .expect("log")
        .into_iter()
        .map(|r| r.change)
        .collect();
    let (last, before) = log.split_last().expect("changes");
    let key = gt.app.node.signing_key().clone();
    // The latest change alone: Honduras keeps it, with its proof.
    let page = page_by(&key, vec![group(None, "", vec![last.clone()])]);
    hn.app.apply_page(&gt.key, &page, None).expect("applies");
    let kept = hn
        .app
        .store
        .read()
        .quarantine_by_reason("missing_history", 10)
        .expect("q");
    assert_eq!(kept.len(), 1);
    assert!(kept[0].proof_id.is_some(), "kept with its proof");
    // Someone with access to Honduras' database gives the kept change
    // another proof; then the history arrives.
    hn.app
        .store
        .write(|tx| {
            let other = tx.put_proof(&gt.key, &[1; 64], &hash_of(last))?;
            tx.put_quarantine(&enlace_store::QuarantineRow {
                proof_id: Some(other),
                ..kept[0].clone()
            })
        })
        .expect("tamper");
    let page = page_by(&key, vec![group(Some(&saved.id), "case", before.to_vec())]);
    hn.app.apply_page(&gt.key, &page, None).expect("applies");
    assert!(holds(&hn, &saved.id));
    assert!(
        !logged(&hn, &saved.id, last),
        "applied only with a proof that holds"
    );
    assert_eq!(
        quarantined(&hn),
        vec![(hex::encode(hash_of(last)), "bad_signature".into())]
    );
    // The same change with its real proof, from an honest sync: applied,
    // and no longer kept aside.
    sync(&mut hn, &mut gt);
    assert!(logged(&hn, &saved.id, last));
    assert!(quarantined(&hn).is_empty(), "{:?}", quarantined(&hn));
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
}

/// Finding 2: a second change with the same actor and number (a node
/// that equivocates) made automerge fail the whole page, every round.
#[test]
fn an_equivocating_change_is_kept_and_the_rest_of_the_page_applies() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let actor = session_actor(&gt.key, &[7; 8]);
    let one = change_as(&gt, &saved.id, actor.clone(), |d| {
        d.put_scalar_at(&["summary"], &json!("uno")).expect("put");
    });
    let two = change_as(&gt, &saved.id, actor, |d| {
        d.put_scalar_at(&["summary"], &json!("dos")).expect("put");
    });
    let key = gt.app.node.signing_key().clone();
    hn.app
        .apply_page(
            &gt.key,
            &page_by(&key, vec![group(Some(&saved.id), "case", vec![one])]),
            None,
        )
        .expect("the first applies");
    // The second, with an honest new case in the same page.
    let other = case_with_victim(&mut gt, "Otro caso", json!({"scope": "regional"}));
    let acked = hn_acked(&mut gt, &hn);
    let mut page = gt
        .app
        .build_page(&hn.key, &acked, &Wants::default(), 1 << 20)
        .expect("page");
    let mut bad = page_by(
        &key,
        vec![group(Some(&saved.id), "case", vec![two.clone()])],
    );
    prepend(&mut page, std::mem::take(&mut bad.groups));
    page.proofs.push(bad.proofs.remove(0));
    let got = hn
        .app
        .apply_page(&gt.key, &page, None)
        .expect("the page applies");
    assert!(holds(&hn, &other.id), "the rest of the page applied");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::Equivocation),
        "{got:?}"
    );
    assert_eq!(
        hn.app.case(&saved.reference).expect("case").case.summary,
        "uno"
    );
    assert!(quarantined(&hn).contains(&(hex::encode(hash_of(&two)), "equivocation".into())));
    // And the next round is not stuck on it.
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.refused_here, 0, "{stats:?}");
}

/// Guatemala's acknowledged position in its log for Honduras.
fn hn_acked(gt: &mut Node, hn: &Node) -> Cursor {
    gt.app.peer_state(&hn.key).expect("peer").acked
}

/// Finding 2: a case whose person points at a document that is not a
/// person failed indexing and with it the whole page, every round.
#[test]
fn a_case_pointing_at_a_non_person_does_not_fail_the_page() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut laptop = node("GT", "Laptop comprometida");
    pair(&mut hub, &mut laptop);
    let target = case_with_victim(&mut hub, "Caso del hub", json!({"scope": "national"}));
    let mine = case_with_victim(
        &mut laptop,
        "Caso de la laptop",
        json!({"scope": "national"}),
    );
    let mut json = doc_json(&laptop, &mine.id);
    let id = uuid::Uuid::new_v4().to_string();
    json["id"] = json!(id);
    json["reference"] = json!("GT-2026-0900");
    json["persons"][0]["person_ref"] = json!(target.id);
    let change = new_doc(&laptop, &json);
    let page = page_by(
        laptop.app.node.signing_key(),
        vec![group(Some(&id), "case", vec![change])],
    );
    hub.app
        .apply_page(&laptop.key, &page, None)
        .expect("the page applies");
    assert!(holds(&hub, &id));
    assert_eq!(
        hub.app.case("GT-2026-0900").expect("indexed").case.title,
        "Caso de la laptop"
    );
    sync(&mut laptop, &mut hub);
}

/// Finding 2: a node restored from a backup numbers its new changes as
/// ones it had written before — automerge numbers each actor's changes per
/// document. Each opening of a node writes under a session actor of its
/// own, so no number is given twice. Its bundles are told apart by the
/// digest their sender signs, not by their number.
#[test]
fn a_node_restored_from_a_backup_reuses_no_change_or_bundle_number() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Antes de la copia", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let backup = back_up(&mut gt);
    // Work that reaches Honduras, by sync and by a bundle...
    gt.app
        .update_case(&saved.reference, &json!({"status": "prosecution"}))
        .expect("edit");
    sync(&mut hn, &mut gt);
    let stick = tempfile::tempdir().expect("stick");
    let first = stick.path().join("uno.enlace");
    gt.app
        .export_bundle(&hn.name, &first, &mut |_, _| {})
        .expect("export");
    hn.app
        .import_bundle(&first, &mut |_, _| {})
        .expect("import");
    // ...then the disk dies and the backup is restored. The same case is
    // edited again, from where the backup left it.
    drop(std::mem::replace(
        &mut gt.app,
        App::open(&backup, PASS).expect("restored"),
    ));
    gt.app
        .update_case(
            &saved.reference,
            &json!({"summary": "Editado tras restaurar"}),
        )
        .expect("edit after restore");
    let second = stick.path().join("dos.enlace");
    let out = gt
        .app
        .export_bundle(&hn.name, &second, &mut |_, _| {})
        .expect("export");
    assert_eq!(
        out.seq, 1,
        "the restored node numbers its bundles from where the backup was"
    );
    let got = hn
        .app
        .import_bundle(&second, &mut |_, _| {})
        .expect("not taken for a replay");
    assert_eq!(got.refused, 0, "{got:?}");
    sync(&mut hn, &mut gt);
    sync(&mut gt, &mut hn);
    assert!(quarantined(&hn).is_empty(), "{:?}", quarantined(&hn));
    let v = hn.app.case(&saved.reference).expect("case").case;
    assert_eq!(v.status, enlace_domain::CaseStatus::Prosecution);
    assert_eq!(v.summary, "Editado tras restaurar");
    assert_eq!(heads(&gt, &saved.id), heads(&hn, &saved.id));
    // The same file twice is still a replay.
    assert!(matches!(
        hn.app.import_bundle(&second, &mut |_, _| {}),
        Err(CoreError::BundleReplayed { .. })
    ));
}

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

/// Finding 4: a node of Mexico takes Guatemala's legal assessment slot,
/// a task of Guatemala's country, or a reference in Guatemala's series.
#[test]
fn a_node_cannot_take_another_countrys_slot() {
    let mut gt = node("GT", "Guatemala");
    let mut mx = node("MX", "México (atacante)");
    let mut hn = node("HN", "Honduras");
    pair(&mut mx, &mut hn);
    pair(&mut gt, &mut hn);
    let mx_key = mx.app.node.signing_key().clone();
    let mx_pub = mx.key;
    let refused = |hn: &mut Node, id: &str, kind: &str, change: Vec<u8>| {
        let got = hn
            .app
            .apply_page(
                &mx_pub,
                &page_by(&mx_key, vec![group(Some(id), kind, vec![change])]),
                None,
            )
            .expect("applies");
        assert!(
            got.refused
                .iter()
                .any(|r| r.reason == RefusalReason::NotAllowed),
            "{kind}: {got:?}"
        );
        assert!(!holds(hn, id), "{kind} kept");
    };
    // The assessment: Guatemala's id and country, owned by Mexico.
    mx.app
        .update_legal_item("MX", "TIP-05", &json!({"status": "compliant"}))
        .expect("assess");
    let mx_id = enlace_domain::assessment::assessment_id(
        &enlace_domain::CountryCode::parse("MX").expect("MX"),
    )
    .to_string();
    let gt_id = enlace_domain::assessment::assessment_id(
        &enlace_domain::CountryCode::parse("GT").expect("GT"),
    )
    .to_string();
    let mut a = doc_json(&mx, &mx_id);
    a["id"] = json!(gt_id);
    a["country"] = json!("GT");
    refused(&mut hn, &gt_id, "legal_assessment", new_doc(&mx, &a));
    // Guatemala's own assessment still reaches Honduras, and Guatemala
    // keeps editing it.
    gt.app
        .update_legal_item("GT", "TIP-05", &json!({"status": "partially_compliant"}))
        .expect("assess");
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.refused_here, 0, "{stats:?}");
    assert!(holds(&hn, &gt_id));
    // A plan task of Guatemala, owned by Mexico.
    let task = mx
        .app
        .create_task(
            serde_json::from_value(json!({
                "component": "cooperation", "output": "1.1", "title": {"es": "Tarea"},
                "country": "MX", "due": "2027-01-01"
            }))
            .expect("input"),
        )
        .expect("task");
    let mut t = doc_json(&mx, &task.id);
    let tid = uuid::Uuid::new_v4().to_string();
    t["id"] = json!(tid);
    t["country"] = json!("GT");
    refused(&mut hn, &tid, "plan_task", new_doc(&mx, &t));
    // A case in Guatemala's series, owned by Mexico.
    let case = case_with_victim(&mut mx, "Caso", json!({"scope": "regional"}));
    let mut c = doc_json(&mx, &case.id);
    let cid = uuid::Uuid::new_v4().to_string();
    c["id"] = json!(cid);
    c["reference"] = json!("GT-2026-0001");
    refused(&mut hn, &cid, "case", new_doc(&mx, &c));
}

/// Finding 4: the owner's country may change its document, but not give
/// it away (a document given to Mexico would be Mexico's to edit).
#[test]
fn a_document_cannot_be_given_another_owner() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);
    let change = change_as(&gt, &saved.id, session_actor(&gt.key, &[3; 8]), |d| {
        d.put_scalar_at(&["owner", "country"], &json!("MX"))
            .expect("put");
    });
    let got = hn
        .app
        .apply_page(
            &gt.key,
            &page_by(
                &gt.app.node.signing_key().clone(),
                vec![group(Some(&saved.id), "case", vec![change])],
            ),
            None,
        )
        .expect("applies");
    assert!(
        got.refused
            .iter()
            .any(|r| r.reason == RefusalReason::NotAllowed),
        "{got:?}"
    );
    assert_eq!(
        hn.app
            .case(&saved.reference)
            .expect("case")
            .case
            .owner
            .country
            .as_str(),
        "GT"
    );
}

fn doc_json(n: &Node, id: &str) -> Value {
    let row = n.app.store.read().doc(id).expect("read").expect("held");
    Document::load(&row.bytes, n.app.node.actor.clone())
        .expect("load")
        .to_json()
        .expect("json")
}

/// Finding 5: vouching passed on. A node known only through the roster
/// vouched for any number of keys of its country; a removed peer's
/// vouchees stayed known; the remover took a removed key back on the
/// strength of its own earlier signature.
#[test]
fn trust_does_not_pass_on_and_ends_with_removal() {
    let mut gt = node("GT", "Guatemala");
    let mut hn_hub = node("HN", "NTF Honduras");
    let mut hn_post = node("HN", "Aduana Corinto");
    let rogue = node("HN", "Clave inventada");
    pair(&mut gt, &mut hn_hub);
    pair(&mut hn_hub, &mut hn_post);
    let post_case = case_with_victim(
        &mut hn_post,
        "Caso de Corinto",
        json!({"scope": "regional"}),
    );
    sync(&mut hn_post, &mut hn_hub);
    sync(&mut gt, &mut hn_hub);
    assert!(
        holds(&gt, &post_case.id),
        "the post is known through its hub"
    );

    // The post (known to Guatemala only through the roster) vouches for a
    // key of its own making, whose case comes along.
    let rogue_id = uuid::Uuid::new_v4().to_string();
    let rogue_case = new_doc(&rogue, &{
        let mut c = doc_json(&hn_post, &post_case.id);
        c["id"] = json!(rogue_id);
        c["reference"] = json!("HN-2026-0777");
        c
    });
    let mut page = page_by(
        rogue.app.node.signing_key(),
        vec![group(Some(&rogue_id), "case", vec![rogue_case])],
    );
    page.roster = vec![enlace_sync::proof::vouch(
        hn_post.app.node.signing_key(),
        &rogue.key,
        "HN",
        "Clave inventada",
    )];
    gt.app
        .apply_page(&hn_hub.key, &page, None)
        .expect("applies");
    assert!(!holds(&gt, &rogue_id), "a vouchee cannot vouch");
    assert!(
        gt.app
            .roster()
            .expect("roster")
            .iter()
            .all(|r| r.name != "Clave inventada")
    );

    // Guatemala unpairs Honduras' hub: what it vouched for goes with it.
    gt.app.remove_peer(&hn_hub.name).expect("remove");
    assert!(gt.app.roster().expect("roster").is_empty());

    // Guatemala vouched for a Guatemalan laptop before removing it; that
    // old signature, sent back, does not bring the laptop back.
    let mut laptop = node("GT", "Laptop robada");
    pair(&mut gt, &mut laptop);
    let entry = enlace_sync::proof::vouch(
        gt.app.node.signing_key(),
        &laptop.key,
        "GT",
        "Laptop robada",
    );
    gt.app.remove_peer(&laptop.name).expect("remove");
    let laptop_case =
        case_with_victim(&mut laptop, "Desde la laptop", json!({"scope": "regional"}));
    trust(&mut gt, &hn_post);
    // Its changes, relayed by Honduras' post with the laptop's own proof.
    let mut page = laptop
        .app
        .build_page(&gt.key, &Cursor::start(), &Wants::default(), 1 << 20)
        .expect("page");
    for p in &mut page.proofs {
        p.author.get_or_insert(ByteArray::new(laptop.key));
    }
    page.roster = vec![entry];
    gt.app
        .apply_page(&hn_post.key, &page, None)
        .expect("applies");
    assert!(
        !holds(&gt, &laptop_case.id),
        "the removed key stays removed"
    );
    assert!(gt.app.roster().expect("roster").is_empty());
}

/// Finding 5: importing a hub's list makes its nodes authors of their
/// country, not peers: none of them may connect or send a bundle.
#[test]
fn imported_anchors_are_authors_not_peers() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let mut laptop = node("GT", "Laptop nueva");
    let done = laptop
        .app
        .import_anchors(&gt.app.anchors().expect("anchors"))
        .expect("import");
    assert_eq!(done.added.len(), 2, "{done:?}");
    assert!(
        !laptop.app.is_peer(&gt.key).expect("peer"),
        "an anchor cannot connect"
    );
    assert!(laptop.app.peers(Lang::Es).expect("peers").is_empty());
    assert_eq!(
        laptop
            .app
            .roster()
            .expect("roster")
            .iter()
            .filter(|r| r.anchor)
            .count(),
        2
    );
    // A bundle from an anchor is refused: bundles come from peers.
    trust(&mut gt, &laptop);
    case_with_victim(&mut gt, "Caso", json!({"scope": "regional"}));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("b.enlace");
    gt.app
        .export_bundle(&laptop.name, &file, &mut |_, _| {})
        .expect("export");
    assert!(matches!(
        laptop.app.import_bundle(&file, &mut |_, _| {}),
        Err(CoreError::BundleSender { .. })
    ));
    // Pairing it makes it a peer (and no longer only an anchor).
    trust(&mut laptop, &gt);
    assert!(laptop.app.is_peer(&gt.key).expect("peer"));
    assert_eq!(
        laptop
            .app
            .roster()
            .expect("roster")
            .iter()
            .filter(|r| r.anchor)
            .count(),
        1
    );
}

/// A proof may name, beside its changes in the page, hashes of changes the
/// page does not carry (`hidden`), and a receiver relays the proof with
/// them. Two such proofs relayed in one page were more hidden hashes than
/// the next receiver's decoder accepts: their sync stalled in both
/// directions, every round. Pages now keep within the decoder's limits.
#[test]
fn relayed_proofs_never_make_a_page_the_next_node_refuses() {
    let mut mx = node("MX", "México (atacante)");
    let mut v = node("HN", "Honduras");
    let mut w = node("HN", "Honduras frontera");
    pair(&mut mx, &mut v);
    pair(&mut v, &mut w);
    trust(&mut w, &mx);
    let key = mx.app.node.signing_key().clone();
    let hidden_n = enlace_sync::LIMITS.max_hidden - 1;
    for i in 0..2u8 {
        let saved = case_with_victim(&mut mx, &format!("Caso {i}"), json!({"scope": "regional"}));
        let change = mx
            .app
            .store
            .read()
            .log_of_doc(&saved.id)
            .expect("log")
            .remove(0)
            .change;
        let hidden: Vec<[u8; 32]> = (0..hidden_n)
            .map(|k| {
                let mut h = [i; 32];
                h[..8].copy_from_slice(&(k as u64).to_be_bytes());
                h
            })
            .collect();
        let mut all = hidden.clone();
        all.push(hash_of(&change));
        let author = key.verifying_key().to_bytes();
        let sig =
            ed25519_dalek::Signer::sign(&key, &enlace_sync::proof::proof_message(&author, &all));
        let page = Page {
            groups: vec![group(Some(&saved.id), "case", vec![change])],
            proofs: vec![Proof {
                author: None,
                sig: ByteArray::new(sig.to_bytes()),
                members: vec![[0, 1]],
                hidden: hidden.into_iter().map(ByteArray::new).collect(),
            }],
            ..Page::default()
        };
        let body = enlace_sync::codec::encode(&page);
        let page: Page =
            enlace_sync::codec::decode(&body, &enlace_sync::LIMITS).expect("within limits");
        assert_eq!(
            v.app
                .apply_page(&mx.key, &page, None)
                .expect("applies")
                .docs,
            1
        );
    }
    // Honduras' page for its post stays within what the post accepts...
    let page = v
        .app
        .build_page(&w.key, &Cursor::start(), &Wants::default(), 16 << 20)
        .expect("page");
    assert!(
        page.more,
        "the second relayed proof waits for the next page"
    );
    enlace_sync::codec::decode::<Page>(&enlace_sync::codec::encode(&page), &enlace_sync::LIMITS)
        .expect("the post can read it");
    // ...and their sync goes through, both cases with it.
    let stats = sync(&mut w, &mut v);
    assert_eq!(stats.traffic.docs_received, 2, "{stats:?}");
}

/// A node trusted directly may vouch for keys of its country, but not for
/// endless ones.
#[test]
fn a_voucher_cannot_fill_the_roster() {
    let mut gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    trust(&mut gt, &hn);
    let vouch = |i: u32| {
        let k = ed25519_dalek::SigningKey::from_bytes(&{
            let mut s = [1u8; 32];
            s[..4].copy_from_slice(&i.to_be_bytes());
            s
        });
        enlace_sync::proof::vouch(
            hn.app.node.signing_key(),
            &k.verifying_key().to_bytes(),
            "HN",
            &format!("Nodo {i}"),
        )
    };
    for batch in 0..3u32 {
        let page = Page {
            roster: (batch * 600..(batch + 1) * 600).map(vouch).collect(),
            ..Page::default()
        };
        gt.app.apply_page(&hn.key, &page, None).expect("applies");
    }
    assert_eq!(
        gt.app.roster().expect("roster").len() as u64,
        crate::replica::quarantine::MAX_VOUCHED
    );
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
