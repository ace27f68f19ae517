//! Trust that must not pass on: removal, anchors, relayed proofs, vouchers.

use super::super::forge::*;
use super::super::*;
use super::*;
use enlace_sync::{Cursor, Page, Proof, Wants};
use serde_bytes::ByteArray;
use serde_json::json;

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
