//! A stolen laptop's key revoked by its country: the revocation travels
//! by sync, what the laptop signed before stands, what it signs after is
//! kept aside wherever the revocation has arrived, and nobody but a node
//! of the key's country that the receiver trusts directly may revoke.

use super::*;

fn summary(n: &mut Node, reference: &str) -> String {
    n.app.case(reference).expect("case").case.summary
}

fn revoked_kept(n: &Node) -> Vec<String> {
    n.app
        .quarantine()
        .expect("quarantine")
        .into_iter()
        .filter(|q| q.reason == "revoked")
        .map(|q| q.change)
        .collect()
}

fn edit(n: &mut Node, reference: &str, summary: &str) {
    n.app
        .update_case(reference, &json!({ "summary": summary }))
        .expect("update");
}

/// A hub, the laptop that will be stolen, a shelter that pairs with the
/// laptop directly, and an office that knows the laptop only through the
/// hub (and, with `shelter_knows_office`, is the shelter's peer too).
fn honduras(shelter_knows_office: bool) -> (Node, Node, Node, Node) {
    let mut hub = node("HN", "Hub Tegucigalpa");
    let mut laptop = node("HN", "Laptop Corinto");
    let mut shelter = node("HN", "Albergue San Pedro");
    let mut office = node("HN", "Oficina Choloma");
    pair(&mut hub, &mut laptop);
    pair(&mut hub, &mut shelter);
    pair(&mut hub, &mut office);
    pair(&mut shelter, &mut laptop);
    if shelter_knows_office {
        pair(&mut shelter, &mut office);
    }
    (hub, laptop, shelter, office)
}

#[test]
fn a_revoked_laptop_is_refused_everywhere_its_revocation_arrives_and_its_earlier_work_stands() {
    let (mut hub, mut laptop, mut shelter, mut office) = honduras(true);

    // Before the theft: the laptop records a case and syncs with the hub.
    let saved = case_with_victim(
        &mut laptop,
        "Rescate en Corinto",
        json!({"scope": "national"}),
    );
    edit(
        &mut laptop,
        &saved.reference,
        "Registrado en el paso de Corinto.",
    );
    sync(&mut laptop, &mut hub);
    // One more edit reaches only the shelter.
    edit(
        &mut laptop,
        &saved.reference,
        "Editado antes del robo, solo en el albergue.",
    );
    sync(&mut shelter, &mut laptop);

    // The laptop is stolen; the hub's administrator revokes it.
    let held = hub
        .app
        .store
        .read()
        .authored_hashes(&laptop.key, usize::MAX)
        .expect("tags")
        .len() as u64;
    assert!(held > 0);
    let v = hub.app.revoke_key("Laptop Corinto").expect("revoke");
    assert_eq!(v.kept, held, "the changes the hub holds from it stand");
    assert!(!v.pending);
    assert_eq!(v.revoked_by, "Hub Tegucigalpa");
    // Revoking again changes nothing; the hub cannot revoke itself nor a
    // node of another country.
    assert_eq!(
        hub.app
            .revoke_key(&hex::encode(laptop.key))
            .expect("again")
            .revoked_at,
        v.revoked_at
    );
    assert!(matches!(
        hub.app.revoke_key(&hex::encode(hub.key)),
        Err(CoreError::RevokeSelf)
    ));
    let mut gt = node("GT", "Fiscalía Guatemala");
    pair(&mut hub, &mut gt);
    assert!(matches!(
        hub.app.revoke_key("Fiscalía Guatemala"),
        Err(CoreError::RevokeForeign { .. })
    ));

    // The thief syncs with the hub: refused (no longer a peer there).
    let (lk, hk) = (laptop.key, hub.key);
    assert!(
        run_in_memory(
            &mut laptop.app,
            &lk,
            &mut hub.app,
            &hk,
            1 << 20,
            &mut |_| true
        )
        .is_err(),
        "the hub no longer takes the revoked laptop"
    );
    // It edits again and reaches the shelter, which has not heard yet.
    edit(&mut laptop, &saved.reference, "Escrito por el ladrón.");
    sync(&mut shelter, &mut laptop);
    assert_eq!(
        summary(&mut shelter, &saved.reference),
        "Escrito por el ladrón."
    );

    // The shelter syncs with the hub: it trusts the laptop directly, so
    // the revocation waits for its administrator instead of applying.
    sync(&mut shelter, &mut hub);
    let at_shelter = shelter.app.revocations().expect("list");
    assert_eq!(at_shelter.len(), 1);
    assert!(at_shelter[0].pending);
    assert_eq!(at_shelter[0].revoked_by, "Hub Tegucigalpa");
    // What the shelter relays from the laptop, the hub keeps aside: the
    // edit it never held and the thief's.
    assert_eq!(revoked_kept(&hub).len(), 2, "{:?}", hub.app.quarantine());
    assert_eq!(
        summary(&mut hub, &saved.reference),
        "Registrado en el paso de Corinto."
    );

    // The office syncs with the hub: the revocation applies there, and the
    // laptop's work from before the revocation arrives and stands.
    sync(&mut office, &mut hub);
    let at_office = office.app.revocations().expect("list");
    assert_eq!(at_office.len(), 1);
    assert!(!at_office[0].pending);
    assert_eq!(at_office[0].kept, held);
    assert_eq!(
        summary(&mut office, &saved.reference),
        "Registrado en el paso de Corinto."
    );
    assert!(
        office
            .app
            .roster()
            .expect("roster")
            .iter()
            .all(|r| r.public_key != hex::encode(laptop.key)),
        "the laptop left the office's roster"
    );

    // The shelter relays the laptop's later changes: the office keeps them
    // aside, both the one made before the theft that the hub never held
    // and the thief's.
    sync(&mut office, &mut shelter);
    assert_eq!(
        summary(&mut office, &saved.reference),
        "Registrado en el paso de Corinto."
    );
    assert_eq!(
        revoked_kept(&office).len(),
        2,
        "{:?}",
        office.app.quarantine()
    );

    // The office carries on: its own edit reaches the hub and back.
    edit(&mut office, &saved.reference, "Revisado por la oficina.");
    sync(&mut office, &mut hub);
    assert_eq!(
        summary(&mut hub, &saved.reference),
        "Revisado por la oficina."
    );
    let audit = hub.app.store.read().audit_log().expect("audit");
    assert!(audit.iter().any(|a| a.action == "peer.revoke"));
    let audit = office.app.store.read().audit_log().expect("audit");
    assert!(audit.iter().any(|a| a.action == "peer.revoked"));

    // The shelter's administrator decides: revoked there too, from now on.
    let v = shelter.app.revoke_key("Laptop Corinto").expect("revoke");
    assert!(!v.pending);
    assert_eq!(v.revoked_by, "Albergue San Pedro");
    let (sk, lk) = (shelter.key, laptop.key);
    assert!(
        run_in_memory(
            &mut shelter.app,
            &sk,
            &mut laptop.app,
            &lk,
            1 << 20,
            &mut |_| true
        )
        .is_err()
    );

    // The laptop's replacement, a new node of the same country, pairs
    // with the hub: its first sync brings everything the hub holds (every
    // document, the victim's identity included) and the revocation, and
    // it carries on where the stolen one stopped.
    let mut late = node("HN", "Laptop Corinto 2");
    pair(&mut hub, &mut late);
    sync(&mut late, &mut hub);
    assert_eq!(late.app.revocations().expect("list").len(), 1);
    let (mut got, mut want) = (kinds(&late), kinds(&hub));
    got.sort();
    want.sort();
    assert_eq!(got, want, "the new laptop holds what its hub holds");
    assert!(want.iter().any(|(_, k)| *k == DocKind::Person));
    assert_eq!(
        summary(&mut late, &saved.reference),
        "Revisado por la oficina."
    );
    edit(
        &mut late,
        &saved.reference,
        "Retomado en el nuevo portátil.",
    );
    sync(&mut late, &mut hub);
    sync(&mut office, &mut hub);
    assert_eq!(
        summary(&mut office, &saved.reference),
        "Retomado en el nuevo portátil."
    );
    assert!(revoked_kept(&late).is_empty());
}

/// A page from `from` to `to` carrying only `revocations`.
fn page_of(revocations: Vec<enlace_sync::Revocation>) -> Page {
    Page {
        base: Cursor::start(),
        to: Cursor::start(),
        revocations,
        ..Page::default()
    }
}

#[test]
fn only_a_directly_trusted_node_of_the_keys_country_revokes_and_never_a_node_the_receiver_trusts_directly()
 {
    let mut hub = node("HN", "Hub Tegucigalpa");
    let mut laptop = node("HN", "Laptop Corinto");
    let mut office = node("HN", "Oficina Choloma");
    let mut gt = node("GT", "Hub Guatemala");
    pair(&mut hub, &mut laptop);
    pair(&mut hub, &mut office);
    pair(&mut office, &mut gt);
    // The office knows the laptop through the hub's roster.
    let saved = case_with_victim(&mut laptop, "Caso", json!({"scope": "national"}));
    sync(&mut laptop, &mut hub);
    sync(&mut office, &mut hub);
    assert!(
        office
            .app
            .roster()
            .expect("roster")
            .iter()
            .any(|r| r.public_key == hex::encode(laptop.key))
    );
    let now = "2026-12-06T10:00:00Z";
    let (hk, gk) = (hub.key, gt.key);

    // Guatemala's hub (a peer of the office) revokes a Honduran laptop:
    // refused. A forged signature: refused. The office's own key: refused.
    let by_gt = enlace_sync::proof::revoke(gt.app.node.signing_key(), &laptop.key, "HN", now, &[]);
    let mut forged =
        enlace_sync::proof::revoke(hub.app.node.signing_key(), &laptop.key, "HN", now, &[]);
    forged.at = "2026-12-07T10:00:00Z".into();
    let of_office =
        enlace_sync::proof::revoke(hub.app.node.signing_key(), &office.key, "HN", now, &[]);
    office.app.apply(&gk, &page_of(vec![by_gt])).expect("apply");
    office
        .app
        .apply(&hk, &page_of(vec![forged, of_office]))
        .expect("apply");
    assert!(office.app.revocations().expect("list").is_empty());

    // The laptop, still trusted by the hub, revokes the office there: the
    // hub trusts the office directly, so it only waits for its
    // administrator, and the office still syncs.
    let by_laptop =
        enlace_sync::proof::revoke(laptop.app.node.signing_key(), &office.key, "HN", now, &[]);
    let lk = laptop.key;
    hub.app
        .apply(&lk, &page_of(vec![by_laptop]))
        .expect("apply");
    let at_hub = hub.app.revocations().expect("list");
    assert_eq!(at_hub.len(), 1);
    assert!(at_hub[0].pending);
    edit(&mut office, &saved.reference, "Sigue sincronizando.");
    sync(&mut office, &mut hub);
    assert!(revoked_kept(&hub).is_empty());

    // A node known only through the roster cannot revoke anyone: the
    // laptop, as the office knows it, revokes the hub.
    let of_hub =
        enlace_sync::proof::revoke(laptop.app.node.signing_key(), &hub.key, "HN", now, &[]);
    office
        .app
        .apply(&hk, &page_of(vec![of_hub]))
        .expect("apply");
    assert!(office.app.revocations().expect("list").is_empty());

    // A key the receiver does not know is not revoked by anyone's word
    // (its country would be the revoker's claim).
    let stranger = node("GT", "Portátil guatemalteco");
    let of_stranger =
        enlace_sync::proof::revoke(hub.app.node.signing_key(), &stranger.key, "HN", now, &[]);
    office
        .app
        .apply(&hk, &page_of(vec![of_stranger]))
        .expect("apply");
    assert!(office.app.revocations().expect("list").is_empty());
}

#[test]
fn a_thiefs_revocations_die_with_its_key_and_a_revoked_key_is_not_paired_again() {
    // The shelter trusts the laptop directly; the office it knows only
    // through the hub.
    let (mut hub, laptop, mut shelter, mut office) = honduras(false);
    let saved = case_with_victim(
        &mut office,
        "Caso de la oficina",
        json!({"scope": "national"}),
    );
    sync(&mut office, &mut hub);
    sync(&mut shelter, &mut hub);
    assert!(
        shelter
            .app
            .roster()
            .expect("roster")
            .iter()
            .any(|r| r.public_key == hex::encode(office.key))
    );

    // The thief, still trusted by the shelter, revokes the office there.
    let now = "2026-12-06T10:00:00Z";
    let of_office =
        enlace_sync::proof::revoke(laptop.app.node.signing_key(), &office.key, "HN", now, &[]);
    let lk = laptop.key;
    shelter
        .app
        .apply(&lk, &page_of(vec![of_office]))
        .expect("apply");
    assert_eq!(shelter.app.revocations().expect("list").len(), 1);

    // The shelter's administrator revokes the laptop: what it signed goes.
    shelter.app.revoke_key("Laptop Corinto").expect("revoke");
    let left = shelter.app.revocations().expect("list");
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].name, "Laptop Corinto");
    // The office is known again through the hub, and its work arrives.
    edit(
        &mut office,
        &saved.reference,
        "Editado por la oficina después.",
    );
    sync(&mut office, &mut hub);
    sync(&mut shelter, &mut hub);
    assert_eq!(
        summary(&mut shelter, &saved.reference),
        "Editado por la oficina después."
    );
    assert!(revoked_kept(&shelter).is_empty());

    // A revoked key is not paired again, nor imported as an anchor.
    let again = shelter.app.add_peer(PeerInput {
        node_role: None,
        name: "Laptop Corinto (otra vez)".into(),
        url: None,
        key: hex::encode(laptop.key),
        country: "HN".into(),
    });
    assert!(
        matches!(again, Err(CoreError::KeyRevoked { .. })),
        "{again:?}"
    );
    let imported = shelter
        .app
        .import_anchors(&[crate::Anchor {
            name: "Laptop Corinto".into(),
            country: "HN".into(),
            key: hex::encode(laptop.key),
        }])
        .expect("import");
    assert!(imported.added.is_empty());
}

/// With a country administrator key: the hub that holds it revokes, every
/// node that trusts it obeys at once — also one that paired the stolen
/// laptop directly —, and nobody else's revocation counts there.
#[test]
fn with_a_country_key_only_its_revocations_count_and_they_apply_at_once() {
    let (mut hub, mut laptop, mut shelter, mut office) = honduras(true);
    let key = hub.app.country_key_create().expect("create");
    assert!(key.holds_secret);
    // Trusting its own key again at the hub keeps the secret.
    assert!(
        hub.app
            .country_key_trust(&key.public_key)
            .expect("again")
            .holds_secret
    );
    assert!(matches!(
        hub.app.country_key_create(),
        Err(CoreError::CountryKeyExists { .. })
    ));
    for n in [&mut shelter, &mut office, &mut laptop] {
        let t = n.app.country_key_trust(&key.public_key).expect("trust");
        assert!(!t.holds_secret);
    }
    let saved = case_with_victim(
        &mut laptop,
        "Rescate en Corinto",
        json!({"scope": "national"}),
    );
    sync(&mut laptop, &mut hub);
    sync(&mut shelter, &mut laptop);

    // The shelter trusts the key: it may not revoke by itself.
    assert!(matches!(
        shelter.app.revoke_key("Laptop Corinto"),
        Err(CoreError::NotCountryKey { .. })
    ));
    // The hub revokes with the country key.
    let v = hub.app.revoke_key("Laptop Corinto").expect("revoke");
    assert!(v.by_country_key && !v.pending, "{v:?}");

    // The thief edits and reaches the shelter first.
    edit(&mut laptop, &saved.reference, "Escrito por el ladrón.");
    sync(&mut shelter, &mut laptop);
    // The shelter syncs with the hub: though it paired the laptop, the
    // country key's revocation applies at once, and the thief's edit is
    // kept aside where it had been merged before … from then on.
    sync(&mut shelter, &mut hub);
    let at_shelter = shelter.app.revocations().expect("list");
    assert_eq!(at_shelter.len(), 1);
    assert!(
        !at_shelter[0].pending && at_shelter[0].by_country_key,
        "{at_shelter:?}"
    );
    assert!(
        shelter
            .app
            .peers(Lang::Es)
            .expect("peers")
            .iter()
            .all(|p| p.name != "Laptop Corinto"),
        "its TLS is refused from now on"
    );
    let (lk, sk) = (laptop.key, shelter.key);
    assert!(
        run_in_memory(
            &mut laptop.app,
            &lk,
            &mut shelter.app,
            &sk,
            1 << 20,
            &mut |_| true
        )
        .is_err()
    );
    // The office learns it from the shelter or the hub and keeps the
    // thief's edit aside.
    sync(&mut office, &mut shelter);
    assert_eq!(office.app.revocations().expect("list").len(), 1);
    assert_ne!(
        summary(&mut office, &saved.reference),
        "Escrito por el ladrón."
    );
    assert!(
        !revoked_kept(&office).is_empty(),
        "{:?}",
        office.app.quarantine()
    );

    // The shelter, altered, signs a revocation of the office with its own
    // key: nodes that trust the country key refuse it, and say so once.
    let shelter_signing = signing_key(&shelter);
    let forged = enlace_sync::proof::revoke(
        &shelter_signing,
        &office.key,
        "HN",
        "2026-12-06T00:00:00Z",
        &[],
    );
    let shelter_key = shelter.key;
    // Keys nobody knows here are not revoked, nor worth an audit entry
    // (a peer cannot fill the log with them).
    let strangers: Vec<_> = (1..=20u8)
        .map(|i| {
            let k = ed25519_dalek::SigningKey::from_bytes(&[i; 32])
                .verifying_key()
                .to_bytes();
            enlace_sync::proof::revoke(&shelter_signing, &k, "HN", "2026-12-06T00:00:00Z", &[])
        })
        .collect();
    for _ in 0..2 {
        hub.app
            .apply_page(&shelter_key, &page_of(vec![forged.clone()]), None)
            .expect("apply");
        hub.app
            .apply_page(&shelter_key, &page_of(strangers.clone()), None)
            .expect("apply");
    }
    assert!(
        hub.app
            .revocations()
            .expect("list")
            .iter()
            .all(|r| r.public_key != hex::encode(office.key)),
        "not obeyed"
    );
    let refused = hub
        .app
        .audit_list(&crate::AuditFilter {
            action: Some("peer.revocation_refused".into()),
            ..crate::AuditFilter::default()
        })
        .expect("audit");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].detail.contains("Albergue San Pedro"),
        "{refused:?}"
    );
    sync(&mut office, &mut hub);
    assert!(
        office
            .app
            .peers(Lang::Es)
            .expect("peers")
            .iter()
            .any(|p| p.name == "Hub Tegucigalpa")
    );
}

/// A revocation signed before the country key existed is signed again
/// with it when the hub revokes that key again, so the nodes that trust
/// only the country key obey it too.
#[test]
fn a_revocation_from_before_the_country_key_is_signed_again_with_it() {
    let (mut hub, mut laptop, _shelter, mut office) = honduras(false);
    case_with_victim(
        &mut laptop,
        "Rescate en Corinto",
        json!({"scope": "national"}),
    );
    sync(&mut laptop, &mut hub);
    let old = hub.app.revoke_key("Laptop Corinto").expect("revoke");
    assert!(!old.by_country_key);
    let key = hub.app.country_key_create().expect("create");
    office
        .app
        .country_key_trust(&key.public_key)
        .expect("trust");
    sync(&mut office, &mut hub);
    assert!(
        office.app.revocations().expect("list").is_empty(),
        "not the country key's"
    );
    let again = hub.app.revoke_key(&hex::encode(laptop.key)).expect("again");
    assert!(again.by_country_key, "{again:?}");
    assert_eq!(
        again.revoked_at, old.revoked_at,
        "the first word's date stands"
    );
    sync(&mut office, &mut hub);
    let at_office = office.app.revocations().expect("list");
    assert_eq!(at_office.len(), 1);
    assert!(at_office[0].by_country_key && !at_office[0].pending);
}
