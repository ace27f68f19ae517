//! Sync between real nodes (encrypted stores on disk) over the in-memory
//! link of enlace-sync: every message is encoded and decoded as over the
//! network, and the link can be cut.

use chrono::Utc;
use enlace_docs::{ChangeMessage, Document};
use enlace_domain::*;
use enlace_sync::{Replica, SessionStats, SyncError, run_in_memory};
use serde_json::json;

use super::*;

const PASS: &str = "frase de prueba de sync";

struct Node {
    _dir: tempfile::TempDir,
    app: App,
    key: [u8; 32],
    country: String,
    name: String,
}

fn node(country: &str, name: &str) -> Node {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::init(&dir.path().join("data"), PASS, country, name).expect("init");
    Node {
        key: app.public_key(),
        _dir: dir,
        app,
        country: country.to_owned(),
        name: name.to_owned(),
    }
}

/// `a` pairs with `b` (one way: `a` trusts `b`).
fn trust(a: &mut Node, b: &Node) {
    a.app
        .add_peer(PeerInput {
            name: b.name.clone(),
            url: None,
            key: hex::encode(b.key),
            country: b.country.clone(),
        })
        .expect("pair");
}

fn pair(a: &mut Node, b: &mut Node) {
    trust(a, b);
    trust(b, a);
}

/// `client` syncs with `server` over an uncut link.
fn sync(client: &mut Node, server: &mut Node) -> SessionStats {
    let (ck, sk) = (client.key, server.key);
    run_in_memory(
        &mut client.app,
        &ck,
        &mut server.app,
        &sk,
        1 << 20,
        &mut |_| true,
    )
    .expect("sync")
}

fn case_with_victim(n: &mut Node, title: &str, audience: serde_json::Value) -> CaseSaved {
    n.app
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": title,
                "summary": "Resumen del caso con José Núñez Ávila como sospechoso.",
                "classification": "trafficking",
                "acts": ["recruitment"],
                "means": ["deception"],
                "purposes": ["forced_labour"],
                "audience": audience,
                "persons": [{
                    "role": "victim",
                    "age_band": "21-23",
                    "identity": {"given_names": "María de los Ángeles", "first_surname": "Güity"}
                }]
            }))
            .expect("input"),
        )
        .expect("create")
}

/// Copies the node's data folder with the node closed (a consistent
/// backup, as an administrator would make it), reopens the node, and
/// returns where the copy is.
fn back_up(n: &mut Node) -> std::path::PathBuf {
    let data = n._dir.path().join("data");
    let to = n._dir.path().join("backup");
    let placeholder = tempfile::tempdir().expect("dir");
    let other = App::init(&placeholder.path().join("d"), PASS, "GT", "x").expect("init");
    drop(std::mem::replace(&mut n.app, other));
    std::fs::create_dir_all(&to).expect("dir");
    for f in std::fs::read_dir(&data).expect("ls") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
    }
    n.app = App::open(&data, PASS).expect("reopen");
    to
}

fn holds(n: &Node, id: &str) -> bool {
    n.app.store.read().doc(id).expect("read").is_some()
}

fn kinds(n: &Node) -> Vec<(String, DocKind)> {
    n.app.store.read().all_doc_ids().expect("ids")
}

fn heads(n: &Node, id: &str) -> String {
    n.app
        .store
        .read()
        .doc(id)
        .expect("read")
        .expect("held")
        .heads
}

#[test]
fn a_regional_case_reaches_a_peer_and_its_victims_identity_stays_home() {
    let mut gt = node("GT", "Fiscalía Tecún Umán");
    let mut hn = node("HN", "NTF Tegucigalpa");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(
        &mut gt,
        "Reclutamiento en Choloma",
        json!({"scope": "regional"}),
    );
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.traffic.docs_received, 1, "{stats:?}");
    assert!(holds(&hn, &saved.id));
    // The person document (names) never left Guatemala.
    assert!(
        kinds(&hn).iter().all(|(_, k)| *k != DocKind::Person),
        "{:?}",
        kinds(&hn)
    );
    let view = hn.app.case(&saved.reference).expect("the case is there");
    assert_eq!(view.case.title, "Reclutamiento en Choloma");
    assert!(view.identities.is_empty());
    assert!(!view.editable, "Guatemala's case is read-only in Honduras");
    let found = hn
        .app
        .list_cases(&CaseFilter {
            query: Some("choloma".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    let by_name = hn
        .app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(
        by_name.total, 0,
        "names are not searchable where they are not held"
    );
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
    // Again: nothing new either way, and nothing applied twice.
    let again = sync(&mut hn, &mut gt);
    assert_eq!(
        (again.traffic.changes_received, again.traffic.changes_sent),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(again.requests, 1, "an incremental round is one round trip");
}

#[test]
fn a_node_of_the_same_country_receives_identities_and_finds_cases_by_name() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut post = node("GT", "Puesto Tecún Umán");
    pair(&mut hub, &mut post);
    let saved = case_with_victim(&mut post, "Caso de frontera", json!({"scope": "national"}));
    sync(&mut post, &mut hub);
    let view = hub.app.case(&saved.reference).expect("case");
    assert_eq!(view.identities.len(), 1);
    assert_eq!(view.identities[0].full_name, "María de los Ángeles Güity");
    let by_name = hub
        .app
        .list_cases(&CaseFilter {
            query: Some("guity".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(by_name.total, 1);
    // The hub's own country edits it, and the post gets the edit back.
    hub.app
        .update_case(&saved.reference, &json!({"status": "under_investigation"}))
        .expect("a node of the owner country edits");
    sync(&mut post, &mut hub);
    let v = post.app.case(&saved.reference).expect("case");
    assert_eq!(v.case.status, enlace_domain::CaseStatus::UnderInvestigation);
}

#[test]
fn a_bilateral_case_reaches_only_its_two_countries_even_through_a_relay() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut mx);
    pair(&mut hn, &mut mx);
    let saved = case_with_victim(
        &mut gt,
        "Caso binacional",
        json!({"scope": "bilateral", "countries": ["HN"]}),
    );
    let regional = case_with_victim(&mut gt, "Caso regional", json!({"scope": "regional"}));
    sync(&mut mx, &mut gt);
    sync(&mut hn, &mut gt);
    sync(&mut mx, &mut hn);
    sync(&mut hn, &mut mx);
    assert!(holds(&hn, &saved.id));
    assert!(!holds(&mx, &saved.id), "Mexico is not in the audience");
    assert!(holds(&mx, &regional.id));
    assert_eq!(heads(&mx, &regional.id), heads(&gt, &regional.id));
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
}

#[test]
fn the_receiver_refuses_documents_it_should_not_hold() {
    // Guatemala's operator paired Honduras' node by mistake as a Guatemalan
    // node: Guatemala sends it national documents and identities. Honduras
    // refuses them and keeps nothing of them.
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    gt.app
        .add_peer(PeerInput {
            name: "mal emparejado".into(),
            url: None,
            key: hex::encode(hn.key),
            country: "GT".into(),
        })
        .expect("pair");
    trust(&mut hn, &gt);
    let national = case_with_victim(&mut gt, "Caso nacional", json!({"scope": "national"}));
    let stats = sync(&mut hn, &mut gt);
    assert!(stats.refused_here >= 2, "{stats:?}");
    assert!(kinds(&hn).is_empty(), "nothing kept: {:?}", kinds(&hn));
    assert!(!holds(&hn, &national.id));
    let audit = hn.app.store.read().audit_log().expect("audit");
    assert!(
        audit.iter().any(|a| a.action == "sync.refused"
            && a.detail.contains("national_only")
            && a.detail.contains("not_in_audience")),
        "{audit:?}"
    );
}

/// Builds a page of one change made by `author` to document `id` as held
/// by `holder` (bypassing `App`, as a rogue node could), signed by `signer`.
fn forged_page(
    holder: &Node,
    author: &Node,
    signer: &ed25519_dalek::SigningKey,
    id: &str,
    edit: impl FnOnce(&mut Document),
) -> Page {
    let row = holder
        .app
        .store
        .read()
        .doc(id)
        .expect("read")
        .expect("held");
    let mut doc = Document::load(&row.bytes, author.app.node.actor.clone()).expect("load");
    edit(&mut doc);
    let change = doc
        .commit(
            &ChangeMessage {
                by: author.name.clone(),
                fields: vec![],
                action: "update".into(),
            },
            Utc::now(),
        )
        .expect("commit")
        .expect("a change");
    let proofs = enlace_sync::proof::build_proofs(
        signer,
        &[(
            change.hash.0,
            enlace_sync::proof::ProofSource::Own { class: 0 },
        )],
    );
    Page {
        base: Cursor::start(),
        to: Cursor::start(),
        proofs,
        groups: vec![enlace_sync::Group {
            doc: crate::replica::doc_id_bytes(id),
            kind: Some(row.kind.name().to_owned()),
            changes: vec![serde_bytes::ByteBuf::from(change.bytes)],
            full: false,
            part: false,
        }],
        ..Page::default()
    }
}

use enlace_sync::{Cursor, Page};

#[test]
fn forged_and_unauthorised_changes_are_quarantined_and_notes_are_welcome() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Caso original", json!({"scope": "regional"}));
    sync(&mut hn, &mut gt);

    // Honduras rewrites Guatemala's title (not through App, which refuses).
    let hn_key = hn.app.node.signing_key().clone();
    let page = forged_page(&gt, &hn, &hn_key, &saved.id, |d| {
        d.put_scalar_at(&["title"], &json!("Título cambiado"))
            .expect("put");
    });
    let hk = hn.key;
    let applied = gt.app.apply(&hk, &page).expect("apply");
    assert_eq!(applied.changes, 0);
    assert_eq!(
        applied.refused[0].reason,
        enlace_sync::RefusalReason::NotAllowed
    );
    assert_eq!(
        gt.app.case(&saved.reference).expect("view").case.title,
        "Caso original"
    );
    // A change claiming Honduras as author but signed by someone else.
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let page = forged_page(&gt, &hn, &stranger, &saved.id, |d| {
        d.put_scalar_at(&["summary"], &json!("x")).expect("put");
    });
    let applied = gt.app.apply(&hk, &page).expect("apply");
    assert_eq!(
        applied.refused[0].reason,
        enlace_sync::RefusalReason::BadSignature
    );
    let q = gt.app.quarantine().expect("quarantine");
    assert_eq!(q.len(), 2, "{q:?}");
    assert!(
        q.iter()
            .any(|q| q.reason == "not_allowed" && q.author == "Honduras")
    );
    assert!(q.iter().any(|q| q.reason == "bad_signature"));

    // A note from Honduras is accepted by Guatemala, and travels on.
    hn.app
        .add_note(&saved.reference, "Confirmamos el reclutamiento en Choloma.")
        .expect("note");
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(stats.refused_by_peer, 0, "{stats:?}");
    let v = gt.app.case(&saved.reference).expect("view");
    assert_eq!(v.case.notes.len(), 1);
    assert_eq!(
        v.case.notes[0].text,
        "Confirmamos el reclutamiento en Choloma."
    );
    assert_eq!(heads(&gt, &saved.id), heads(&hn, &saved.id));
}

#[test]
fn changes_relayed_through_hubs_are_verified_against_their_author() {
    // A Honduran border post syncs only with its national hub; the hub
    // syncs with Guatemala's hub. Guatemala verifies the post's changes
    // with the post's own signature, and knows the post's country because
    // Honduras' hub vouches for it.
    let mut post = node("HN", "Aduana Corinto");
    let mut hn_hub = node("HN", "NTF Honduras");
    let mut gt_hub = node("GT", "NTF Guatemala");
    pair(&mut post, &mut hn_hub);
    pair(&mut hn_hub, &mut gt_hub);
    let national = case_with_victim(&mut post, "Solo Honduras", json!({"scope": "national"}));
    let saved = case_with_victim(&mut post, "Caso de Corinto", json!({"scope": "regional"}));
    sync(&mut post, &mut hn_hub);
    let stats = sync(&mut gt_hub, &mut hn_hub);
    assert_eq!(stats.refused_here, 0, "{stats:?}");
    assert!(holds(&gt_hub, &saved.id));
    assert!(!holds(&gt_hub, &national.id));
    assert_eq!(heads(&gt_hub, &saved.id), heads(&post, &saved.id));
    let roster = gt_hub.app.roster().expect("roster");
    assert_eq!(roster.len(), 1);
    assert_eq!(
        (
            roster[0].name.as_str(),
            roster[0].country.as_str(),
            roster[0].vouched_by.as_str()
        ),
        ("Aduana Corinto", "HN", "NTF Honduras")
    );
    // The hub's relayed proof names the post's national changes by hash
    // only: Guatemala learns nothing of them but their count.
    assert!(gt_hub.app.quarantine().expect("q").is_empty());
}

#[test]
fn an_unknown_author_waits_in_quarantine_until_it_is_known() {
    // Mexico relays a Honduran case to Guatemala; Mexico cannot vouch for a
    // Honduran node, so Guatemala keeps the changes until it pairs with
    // Honduras.
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    let mut gt = node("GT", "Guatemala");
    pair(&mut hn, &mut mx);
    pair(&mut mx, &mut gt);
    let saved = case_with_victim(&mut hn, "Caso relevado", json!({"scope": "regional"}));
    sync(&mut mx, &mut hn);
    let stats = sync(&mut gt, &mut mx);
    assert_eq!(stats.refused_here, 1, "{stats:?}");
    assert!(!holds(&gt, &saved.id));
    let q = gt.app.quarantine().expect("q");
    assert_eq!(q[0].reason, "unknown_author");
    trust(&mut gt, &hn);
    assert!(holds(&gt, &saved.id), "applied once its author is known");
    assert!(gt.app.quarantine().expect("q").is_empty());
    assert_eq!(
        gt.app.case(&saved.reference).expect("view").case.title,
        "Caso relevado"
    );
}

#[test]
fn a_case_opened_to_more_countries_arrives_whole() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    let saved = case_with_victim(&mut gt, "Primero nacional", json!({"scope": "national"}));
    gt.app
        .update_case(
            &saved.reference,
            &json!({"summary": "Ampliado antes de compartir."}),
        )
        .expect("edit");
    sync(&mut hn, &mut gt);
    assert!(!holds(&hn, &saved.id));
    // Opened to the region: Honduras gets the latest change, lacks its
    // history, asks for the whole case, and gets it in the same session.
    gt.app
        .update_case(
            &saved.reference,
            &json!({"audience": {"scope": "regional"}}),
        )
        .expect("open");
    let stats = sync(&mut hn, &mut gt);
    assert!(holds(&hn, &saved.id), "{stats:?}");
    assert_eq!(heads(&hn, &saved.id), heads(&gt, &saved.id));
    assert_eq!(
        hn.app.case(&saved.reference).expect("view").case.summary,
        "Ampliado antes de compartir."
    );
    assert!(hn.app.quarantine().expect("q").is_empty());
    assert!(hn.app.peer(&gt.name, Lang::Es).expect("peer").wanted == 0);
}

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
fn demonstration_data_stays_home_and_gives_way_to_real_assessments() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    gt.app.load_demo(&mut |_, _| {}).expect("demo");
    pair(&mut gt, &mut hn);
    // Honduras records its own assessment for real.
    hn.app
        .update_legal_item(
            "HN",
            "TIP-05",
            &json!({"status": "compliant", "assessor": "Abg. Núñez"}),
        )
        .expect("assess");
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(
        stats.traffic.docs_received, 0,
        "no demonstration document travels: {stats:?}"
    );
    sync(&mut gt, &mut hn);
    let hn_view = gt.app.legal_assessment("HN").expect("Honduras' assessment");
    assert!(
        !hn_view.assessment.demo,
        "the real one replaced the demo one"
    );
    let item = hn_view.assessment.items.get("TIP-05").expect("TIP-05");
    assert_eq!(item.assessor, "Abg. Núñez");
    // It is Honduras' to edit; Guatemala relays it as received.
    let id = hn_view.assessment.id.to_string();
    assert_eq!(heads(&gt, &id), heads(&hn, &id));
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
fn bundles_carry_changes_one_way_and_refuse_replays_strangers_and_tampering() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    trust(&mut mx, &gt);
    let saved = case_with_victim(&mut gt, "Caso en memoria USB", json!({"scope": "regional"}));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("para-honduras.enlace");
    let out = gt
        .app
        .export_bundle(&hn.name, &file, &mut |_, _| {})
        .expect("export");
    assert_eq!((out.seq, out.docs), (1, 1));
    assert_eq!(gt.app.peer(&hn.name, Lang::Es).expect("peer").pending, 1);
    // Mexico cannot open it.
    let e = mx
        .app
        .import_bundle(&file, &mut |_, _| {})
        .expect_err("not for Mexico");
    assert!(matches!(
        e,
        CoreError::Bundle(enlace_sync::bundle::BundleError::NotForThisNode { .. })
    ));
    // Altered on the way: refused, nothing applied.
    let mut bytes = std::fs::read(&file).expect("read");
    let n = bytes.len();
    bytes[n - 10] ^= 0x40;
    let bad = dir.path().join("alterado.enlace");
    std::fs::write(&bad, &bytes).expect("write");
    let e = hn
        .app
        .import_bundle(&bad, &mut |_, _| {})
        .expect_err("tampered");
    assert_eq!(e.message(Lang::Es), tr(Lang::Es, "err-bundle-tampered"));
    assert!(!holds(&hn, &saved.id));
    // The real one applies once.
    let got = hn.app.import_bundle(&file, &mut |_, _| {}).expect("import");
    assert_eq!((got.docs, got.refused), (1, 0));
    assert!(holds(&hn, &saved.id));
    let e = hn
        .app
        .import_bundle(&file, &mut |_, _| {})
        .expect_err("replayed");
    assert!(
        matches!(e, CoreError::BundleReplayed { seq: 1, .. }),
        "{e:?}"
    );
    assert!(e.message(Lang::Es).contains("Guatemala"));
    // Honduras answers with its own bundle: it carries Honduras' position
    // in Guatemala's log, so Guatemala knows the first one arrived.
    let back = dir.path().join("para-guatemala.enlace");
    hn.app
        .export_bundle(&gt.name, &back, &mut |_, _| {})
        .expect("export back");
    gt.app
        .import_bundle(&back, &mut |_, _| {})
        .expect("import back");
    assert_eq!(gt.app.peer(&hn.name, Lang::Es).expect("peer").pending, 0);
    // Not a bundle at all.
    let junk = dir.path().join("foto.jpg");
    std::fs::write(&junk, b"\xff\xd8\xff\xe0 JFIF").expect("write");
    let e = hn
        .app
        .import_bundle(&junk, &mut |_, _| {})
        .expect_err("junk");
    assert_eq!(e.message(Lang::Es), tr(Lang::Es, "err-bundle-not-a-bundle"));
}

#[test]
fn bundles_for_this_node_are_found_on_a_stick() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    let mut mx = node("MX", "México");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut mx);
    case_with_victim(&mut gt, "Caso en memoria USB", json!({"scope": "regional"}));
    // A stick mounted under /media/USER/LABEL, with folders of its own.
    let media = tempfile::tempdir().expect("tmp");
    let folder = media.path().join("usuario").join("USB-NTF").join("enlace");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let for_hn = folder.join("para-honduras.enlace");
    gt.app
        .export_bundle(&hn.name, &for_hn, &mut |_, _| {})
        .expect("export");
    gt.app
        .export_bundle(&mx.name, &folder.join("para-mexico.enlace"), &mut |_, _| {})
        .expect("export");
    std::fs::write(folder.join("roto.enlace"), b"no es un paquete").expect("write");
    std::fs::write(media.path().join("notas.txt"), b"texto").expect("write");
    let found = hn
        .app
        .find_bundles(&[media.path().to_path_buf()])
        .expect("find");
    assert_eq!(found.len(), 1, "only Honduras' bundle: {found:?}");
    assert_eq!(found[0].path, for_hn.display().to_string());
    assert_eq!(found[0].peer.as_deref(), Some("Guatemala"));
    assert_eq!((found[0].seq, found[0].imported), (1, false));
    // The root listed twice, or a folder that is not there: no harm.
    let twice = hn
        .app
        .find_bundles(&[
            media.path().to_path_buf(),
            folder.clone(),
            media.path().join("no-existe"),
        ])
        .expect("find");
    assert_eq!(twice.len(), 1, "{twice:?}");
    hn.app
        .import_bundle(&for_hn, &mut |_, _| {})
        .expect("import");
    let after = hn
        .app
        .find_bundles(&[media.path().to_path_buf()])
        .expect("find");
    assert!(after[0].imported, "{after:?}");
    // Mexico sees its own, and a stranger's node sees none.
    assert_eq!(
        mx.app
            .find_bundles(&[media.path().to_path_buf()])
            .expect("find")
            .len(),
        1
    );
    let sv = node("SV", "El Salvador");
    assert!(
        sv.app
            .find_bundles(&[media.path().to_path_buf()])
            .expect("find")
            .is_empty()
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
fn pairing_is_checked() {
    let mut gt = node("GT", "Guatemala");
    let hn = node("HN", "Honduras");
    let add = |gt: &mut Node, key: &str, url: Option<&str>, country: &str| {
        gt.app.add_peer(PeerInput {
            name: "Honduras".into(),
            url: url.map(str::to_owned),
            key: key.into(),
            country: country.into(),
        })
    };
    let k = hex::encode(hn.key);
    assert!(matches!(
        add(&mut gt, "abc", None, "HN"),
        Err(CoreError::PeerKey(_))
    ));
    assert!(matches!(
        add(&mut gt, &k, Some("http://10.0.0.1:7443"), "HN"),
        Err(CoreError::PeerUrl(_))
    ));
    assert!(matches!(
        add(&mut gt, &k, None, "XX"),
        Err(CoreError::Country(_))
    ));
    let own = hex::encode(gt.key);
    assert!(matches!(
        add(&mut gt, &own, None, "GT"),
        Err(CoreError::PairSelf)
    ));
    let unnamed = gt.app.add_peer(PeerInput {
        name: "  ".into(),
        url: None,
        key: k.clone(),
        country: "HN".into(),
    });
    let e = unnamed.expect_err("a name is needed");
    assert!(matches!(e, CoreError::PeerName), "{e:?}");
    assert!(e.message(Lang::Es).contains("de 1 a 60 caracteres"));
    let v = add(&mut gt, &k, Some("https://hub.hn.example:7443/"), "hn").expect("pair");
    assert_eq!(
        (v.country.as_str(), v.url.as_deref()),
        ("HN", Some("https://hub.hn.example:7443"))
    );
    assert!(matches!(
        add(&mut gt, &k, None, "HN"),
        Err(CoreError::PeerExists { .. })
    ));
    assert_eq!(gt.app.peers(Lang::Es).expect("peers").len(), 1);
    gt.app.remove_peer("Honduras").expect("remove");
    assert!(matches!(
        gt.app.remove_peer("Honduras"),
        Err(CoreError::UnknownPeer { .. })
    ));
    let audit = gt.app.store.read().audit_log().expect("audit");
    assert!(audit.iter().any(|a| a.action == "peer.add"));
    assert!(audit.iter().any(|a| a.action == "peer.remove"));
}

#[test]
fn a_received_identity_reindexes_its_case() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut post = node("GT", "Puesto");
    pair(&mut hub, &mut post);
    let saved = case_with_victim(
        &mut post,
        "Caso con identidad",
        json!({"scope": "national"}),
    );
    sync(&mut hub, &mut post);
    // The post corrects the victim's name; only the person document changes.
    post.app
        .save_identity(
            &saved.reference,
            "V1",
            Identity {
                given_names: "María de los Ángeles".into(),
                first_surname: "Güity".into(),
                second_surname: Some("Martínez".into()),
                ..Default::default()
            },
        )
        .expect("identity");
    sync(&mut hub, &mut post);
    let found = hub
        .app
        .list_cases(&CaseFilter {
            query: Some("martinez".into()),
            ..CaseFilter::default()
        })
        .expect("search");
    assert_eq!(
        found.total, 1,
        "the hub finds the case by the corrected name"
    );
}

#[test]
fn every_sync_fault_is_explained_in_both_languages() {
    for reason in enlace_sync::RefusalReason::ALL {
        assert_eq!(
            enlace_sync::RefusalReason::parse(reason.as_str()),
            Some(reason)
        );
        for lang in Lang::ALL {
            let key = format!("refusal-{}", reason.as_str().replace('_', "-"));
            let label = enlace_domain::tr(lang, &key);
            assert_ne!(label, key, "{reason:?} has no label in {lang:?}");
        }
    }
    for code in SyncFaultCode::ALL {
        for lang in Lang::ALL {
            let m = code.message(lang, "Tegucigalpa");
            assert!(m.contains("Tegucigalpa"), "{code:?} {lang:?}: {m}");
            assert!(
                !m.starts_with("sync-fault"),
                "{code:?} {lang:?} has no text"
            );
        }
    }
}

mod attacks;
mod forge;

mod convergence {
    //! Three to five nodes — a hub per country, and field laptops that
    //! sync only with their own hub — make random edits while random links
    //! are cut; healed, every node holds exactly the documents its country
    //! may hold, identical everywhere, with every change made anywhere.

    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Create {
            at: usize,
            audience: u8,
            identity: bool,
        },
        Status {
            at: usize,
            case: usize,
            status: u8,
        },
        Note {
            at: usize,
            case: usize,
        },
        Sync {
            a: usize,
            b: usize,
            cut_after: u8,
        },
        /// `a`'s page for `b` delivered with its groups reordered (a relay
        /// that shuffles, or a hostile one): nothing may be lost or forged.
        Reordered {
            a: usize,
            b: usize,
            seed: u64,
        },
        /// The owner's key writes two different changes with one number
        /// (a node equivocating); a neighbour gets both.
        Equivocate {
            at: usize,
            case: usize,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..5, 0u8..4, any::<bool>()).prop_map(|(at, audience, identity)| Op::Create {
                at,
                audience,
                identity
            }),
            (0usize..5, 0usize..40, 0u8..4).prop_map(|(at, case, status)| Op::Status {
                at,
                case,
                status
            }),
            (0usize..5, 0usize..40).prop_map(|(at, case)| Op::Note { at, case }),
            (0usize..5, 0usize..5, 0u8..6).prop_map(|(a, b, cut_after)| Op::Sync {
                a,
                b,
                cut_after
            }),
            (0usize..5, 0usize..5, 0u8..6).prop_map(|(a, b, cut_after)| Op::Sync {
                a,
                b,
                cut_after
            }),
            (0usize..5, 0usize..5, any::<u64>()).prop_map(|(a, b, seed)| Op::Reordered {
                a,
                b,
                seed
            }),
            (0usize..5, 0usize..40).prop_map(|(at, case)| Op::Equivocate { at, case }),
        ]
    }

    /// A permutation of `0..n` from `seed`.
    fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            v.swap(i, (seed >> 33) as usize % (i + 1));
        }
        v
    }

    /// Hubs first (GT, HN, MX), then laptops (GT, HN).
    const LAYOUT: [(&str, &str, Option<usize>); 5] = [
        ("GT", "Hub GT", None),
        ("HN", "Hub HN", None),
        ("MX", "Hub MX", None),
        ("GT", "Laptop GT", Some(0)),
        ("HN", "Laptop HN", Some(1)),
    ];

    /// Who syncs with whom: hubs with hubs, laptops with their hub.
    fn linked(a: usize, b: usize) -> bool {
        let hub = |i: usize| LAYOUT[i].2.is_none();
        a != b && ((hub(a) && hub(b)) || LAYOUT[a].2 == Some(b) || LAYOUT[b].2 == Some(a))
    }

    fn two<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
        if a < b {
            let (l, r) = v.split_at_mut(b);
            (&mut l[a], &mut r[0])
        } else {
            let (l, r) = v.split_at_mut(a);
            (&mut r[0], &mut l[b])
        }
    }

    fn session(nodes: &mut [Node], a: usize, b: usize, cut_after: u8) -> bool {
        let (x, y) = two(nodes, a, b);
        let (kx, ky) = (x.key, y.key);
        let mut left = u32::from(cut_after);
        run_in_memory(&mut x.app, &kx, &mut y.app, &ky, 4096, &mut |_| {
            if cut_after == 0 {
                return true;
            }
            left = left.saturating_sub(1);
            left > 0
        })
        .is_ok()
    }

    fn run_ops(n: usize, ops: Vec<Op>) -> std::result::Result<(), TestCaseError> {
        let mut nodes: Vec<Node> = LAYOUT[..n]
            .iter()
            .map(|(c, name, _)| node(c, name))
            .collect();
        // Trust: every node trusts every hub (the anchors configured at
        // setup); a hub and its laptops trust each other.
        for i in 0..n {
            for j in 0..n {
                let hub_j = LAYOUT[j].2.is_none();
                let mine = LAYOUT[j].2 == Some(i) || LAYOUT[i].2 == Some(j);
                if i != j && (hub_j || mine) {
                    let (name, key, country) = (
                        nodes[j].name.clone(),
                        nodes[j].key,
                        nodes[j].country.clone(),
                    );
                    nodes[i]
                        .app
                        .add_peer(PeerInput {
                            name,
                            url: None,
                            key: hex::encode(key),
                            country,
                        })
                        .expect("pair");
                }
            }
        }
        // (case id, reference, owner node, audience)
        let mut cases: Vec<(String, String, usize, serde_json::Value)> = vec![];
        let mut notes: Vec<(String, String)> = vec![];
        // The second change of each equivocation: kept aside where it
        // arrived, and nowhere applied.
        let mut equivocations: BTreeSet<String> = BTreeSet::new();
        for (step, op) in ops.into_iter().enumerate() {
            match op {
                Op::Create {
                    at,
                    audience,
                    identity,
                } => {
                    let at = at % n;
                    let c = nodes[at].country.clone();
                    let audience = match audience {
                        0 => json!({"scope": "national"}),
                        1 => {
                            json!({"scope": "bilateral", "countries": [if c == "GT" { "HN" } else { "GT" }]})
                        }
                        _ => json!({"scope": "regional"}),
                    };
                    let persons = if identity {
                        json!([{"role": "victim", "identity": {"given_names": "Ana", "first_surname": format!("Pérez{step}")}}])
                    } else {
                        json!([])
                    };
                    let saved = nodes[at]
                        .app
                        .create_case(
                            enlace_domain::input::from_value(json!({
                                "title": format!("Caso {step}"),
                                "classification": "trafficking",
                                "audience": audience,
                                "persons": persons,
                            }))
                            .expect("input"),
                        )
                        .expect("create");
                    cases.push((saved.id, saved.reference, at, audience));
                }
                Op::Status { at, case, status } if !cases.is_empty() => {
                    let at = at % n;
                    let (id, _, _, _) = &cases[case % cases.len()];
                    let statuses = ["reported", "under_investigation", "prosecution", "closed"];
                    // Only where held, and only by the owner's country.
                    if holds(&nodes[at], id) {
                        let _ = nodes[at]
                            .app
                            .update_case(id, &json!({"status": statuses[status as usize % 4]}));
                    }
                }
                Op::Note { at, case } if !cases.is_empty() => {
                    let at = at % n;
                    let (id, _, _, _) = &cases[case % cases.len()];
                    if holds(&nodes[at], id) {
                        let text = format!("Nota {step} desde {}", nodes[at].name);
                        nodes[at].app.add_note(id, &text).expect("note");
                        notes.push((id.clone(), text));
                    }
                }
                Op::Sync { a, b, cut_after } => {
                    let (a, b) = (a % n, b % n);
                    if linked(a, b) {
                        session(&mut nodes, a, b, cut_after);
                    }
                }
                Op::Reordered { a, b, seed } => {
                    let (a, b) = (a % n, b % n);
                    if linked(a, b) {
                        let bk = nodes[b].key;
                        let ak = nodes[a].key;
                        let mut page = nodes[a]
                            .app
                            .build_page(
                                &bk,
                                &Cursor::start(),
                                &enlace_sync::Wants::default(),
                                1 << 16,
                            )
                            .expect("page");
                        let order = shuffled(page.groups.len(), seed);
                        super::forge::reorder(&mut page, &order);
                        nodes[b]
                            .app
                            .apply_page(&ak, &page, None)
                            .expect("a reordered page applies");
                    }
                }
                Op::Equivocate { at, case } if !cases.is_empty() => {
                    let at = at % n;
                    let (id, _, owner, _) = cases[case % cases.len()].clone();
                    let neighbour = (0..n).find(|&b| linked(at, b));
                    let same_country = nodes[at].country == nodes[owner].country;
                    // Both hold the case as it stands (so the two changes
                    // follow what the neighbour holds).
                    if let (Some(b), true, true) = (neighbour, same_country, holds(&nodes[at], &id))
                        && holds(&nodes[b], &id)
                        && heads(&nodes[at], &id) == heads(&nodes[b], &id)
                    {
                        let actor = enlace_docs::session_actor(&nodes[at].key, &step.to_be_bytes());
                        let [one, two] = ["uno", "dos"].map(|v| {
                            super::forge::change_as(&nodes[at], &id, actor.clone(), |d| {
                                d.put_scalar_at(&["summary"], &json!(format!("{v} {step}")))
                                    .expect("put");
                            })
                        });
                        let key = nodes[at].app.node.signing_key().clone();
                        let (ak, bk) = (nodes[at].key, nodes[b].key);
                        let page = |c: &Vec<u8>| {
                            super::forge::page_by(
                                &key,
                                vec![super::forge::group(Some(&id), "case", vec![c.clone()])],
                            )
                        };
                        // The first reaches both (the author keeps it too);
                        // the second reaches the neighbour only.
                        nodes[b]
                            .app
                            .apply_page(&ak, &page(&one), None)
                            .expect("one");
                        nodes[at]
                            .app
                            .apply_page(&bk, &page(&one), None)
                            .expect("one here");
                        let got = nodes[b]
                            .app
                            .apply_page(&ak, &page(&two), None)
                            .expect("two");
                        prop_assert!(
                            got.refused
                                .iter()
                                .any(|r| r.reason == enlace_sync::RefusalReason::Equivocation),
                            "{:?}",
                            got
                        );
                        equivocations.insert(hex::encode(super::forge::hash_of(&two)));
                    }
                }
                _ => {}
            }
        }
        // Heal: every link, until a full pass moves nothing (at most 4).
        for _ in 0..4 {
            for a in 0..n {
                for b in 0..n {
                    if linked(a, b) {
                        prop_assert!(session(&mut nodes, a, b, 0), "healed sync failed");
                    }
                }
            }
        }
        for (id, reference, owner, audience) in &cases {
            let owner_country = nodes[*owner].country.clone();
            let aud: enlace_domain::Audience =
                serde_json::from_value(audience.clone()).expect("aud");
            let oc = CountryCode::parse(&owner_country).expect("cc");
            let mut seen: BTreeSet<String> = BTreeSet::new();
            for nd in &nodes {
                let may = aud.admits(&oc, &CountryCode::parse(&nd.country).expect("cc"));
                prop_assert_eq!(
                    holds(nd, id),
                    may,
                    "{} on {} ({:?})",
                    reference,
                    nd.name,
                    audience
                );
                if may {
                    seen.insert(heads(nd, id));
                }
            }
            prop_assert!(seen.len() <= 1, "{} differs: {:?}", reference, seen);
        }
        // Nothing lost: every note made reached every node that may hold its case.
        let mut by_case: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (id, t) in &notes {
            by_case.entry(id.as_str()).or_default().push(t.as_str());
        }
        for nd in &mut nodes {
            for (id, texts) in &by_case {
                if holds(nd, id) {
                    let v = nd.app.case(id).expect("view");
                    for t in texts {
                        prop_assert!(
                            v.case.notes.iter().any(|n| n.text == *t),
                            "{} lost on {}",
                            t,
                            nd.name
                        );
                    }
                }
            }
            // Identities never left their country, and nothing legitimate
            // was refused.
            for (pid, kind) in kinds(nd) {
                if kind == DocKind::Person {
                    let row = nd.app.store.read().doc(&pid).expect("read").expect("row");
                    prop_assert_eq!(&row.owner_country, &nd.country);
                }
            }
            let kept = nd.app.quarantine().expect("q");
            prop_assert!(
                kept.iter()
                    .all(|q| q.reason == "equivocation" && equivocations.contains(&q.change)),
                "quarantine on {}: {:?}",
                nd.name,
                kept
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

        #[test]
        fn nodes_converge_after_random_edits_partitions_and_cuts(
            n in 3usize..=5,
            ops in proptest::collection::vec(op(), 5..40),
        ) {
            run_ops(n, ops)?;
        }
    }
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
