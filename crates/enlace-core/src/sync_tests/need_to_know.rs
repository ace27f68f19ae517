//! Need-to-know inside a country: a hub and an office receive every
//! identity of their country; a border post and an NGO node only those they
//! recorded or that were shared with them — the sender leaves the others
//! out, the receiver refuses them, and a border post cannot make an
//! identity reach anyone.

use enlace_domain::enums::Closed;

use super::forge::{change_as, group, page_by};
use super::*;

/// The person document behind a case's first person.
fn person_of(n: &mut Node, reference: &str) -> String {
    n.app.case(reference).expect("case").case.persons[0]
        .person_ref
        .expect("linked")
        .to_string()
}

fn given_names(n: &mut Node, reference: &str) -> Option<String> {
    n.app
        .case(reference)
        .expect("case")
        .identities
        .first()
        .map(|i| i.identity.given_names.clone())
}

#[test]
fn every_node_role_receives_what_its_place_allows() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    hub.app
        .update_legal_item(
            "GT",
            "TIP-05",
            &json!({"provisions": [{"law": "Código Penal", "article": "202 Ter"}]}),
        )
        .expect("assessment");
    let task = hub
        .app
        .create_task(
            serde_json::from_value(json!({
                "code": "2.1.1", "component": "training", "output": "2.1",
                "title": {"es": "Talleres"}, "country": "GT", "due": "2099-01-01"
            }))
            .expect("input"),
        )
        .expect("task");
    let open = case_with_victim(&mut hub, "Caso sin compartir", json!({"scope": "national"}));
    let open_person = person_of(&mut hub, &open.reference);
    let assessment =
        enlace_domain::assessment::assessment_id(&CountryCode::parse("GT").expect("GT"))
            .to_string();

    // One node of each place; the hub shares one case's identities with
    // each of them.
    let mut nodes: Vec<(NodeRole, Node, String)> = vec![];
    for role in NodeRole::all() {
        let mut n = node_as(*role, "GT", &format!("Nodo {role}"));
        pair_as(&mut hub, &mut n, *role);
        let shared = case_with_victim(
            &mut hub,
            &format!("Caso compartido con {role}"),
            json!({"scope": "national"}),
        );
        hub.app
            .share_identities(&shared.reference, &n.name, true)
            .expect("share");
        let person = person_of(&mut hub, &shared.reference);
        nodes.push((*role, n, person));
    }
    let shared_people: Vec<String> = nodes.iter().map(|(_, _, p)| p.clone()).collect();
    for (role, n, _) in &mut nodes {
        sync(n, &mut hub);
        // (what, held by a hub, an office, a border post, an NGO)
        let mut table: Vec<(String, &str, [bool; 4])> = vec![
            (open.id.clone(), "a case", [true; 4]),
            (task.id.clone(), "a plan task", [true; 4]),
            (assessment.clone(), "the legal assessment", [true; 4]),
            (
                open_person.clone(),
                "an identity shared with no one",
                [true, true, false, false],
            ),
        ];
        for (i, p) in shared_people.iter().enumerate() {
            let with = NodeRole::all()[i];
            let mut row = [true, true, false, false];
            if with == *role {
                row = [true; 4];
            }
            let what = if with == *role {
                "an identity shared with it"
            } else {
                "an identity shared with another node"
            };
            table.push((p.clone(), what, row));
        }
        let col = NodeRole::all()
            .iter()
            .position(|r| r == role)
            .expect("role");
        for (id, what, expect) in &table {
            assert_eq!(holds(n, id), expect[col], "{role} and {what} ({id})");
        }
    }
}

#[test]
fn a_border_post_keeps_what_it_recorded_and_refuses_what_was_not_shared() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut laptop = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía de Trata");
    pair_as(&mut hub, &mut laptop, NodeRole::BorderPost);
    pair_as(&mut hub, &mut office, NodeRole::Office);

    // Recorded at the post: the hub receives it, corrects the name, and the
    // correction comes back to the post.
    let recorded = case_with_victim(
        &mut laptop,
        "Rescate en la frontera",
        json!({"scope": "national"}),
    );
    sync(&mut laptop, &mut hub);
    let person = person_of(&mut laptop, &recorded.reference);
    assert!(holds(&hub, &person));
    let mut identity = hub.app.case(&recorded.reference).expect("case").identities[0]
        .identity
        .clone();
    identity.given_names = "María de los Ángeles Corregido".into();
    hub.app
        .save_identity(&recorded.reference, "V1", identity)
        .expect("correct");
    sync(&mut laptop, &mut hub);
    assert_eq!(
        given_names(&mut laptop, &recorded.reference).as_deref(),
        Some("María de los Ángeles Corregido")
    );

    // Recorded at the hub: the case reaches the post, the identity does not.
    let elsewhere = case_with_victim(&mut hub, "Caso de la capital", json!({"scope": "national"}));
    sync(&mut laptop, &mut hub);
    assert!(holds(&laptop, &elsewhere.id));
    let hidden = person_of(&mut hub, &elsewhere.reference);
    assert!(!holds(&laptop, &hidden));
    let for_laptop = hub
        .app
        .build_page(
            &laptop.key,
            &enlace_sync::Cursor::start(),
            &enlace_sync::Wants {
                docs: vec![crate::replica::doc_id_bytes(&hidden).expect("id")],
                ..enlace_sync::Wants::default()
            },
            1 << 20,
        )
        .expect("page");
    assert!(
        !for_laptop.groups.iter().any(|g| g
            .doc
            .as_ref()
            .map(crate::replica::doc_id_string)
            .as_deref()
            == Some(&hidden)),
        "the sender leaves it out, even asked for it whole"
    );
    assert!(
        for_laptop
            .unavailable
            .iter()
            .any(|d| crate::replica::doc_id_string(d) == hidden)
    );
    let reach = laptop
        .app
        .identity_reach(&elsewhere.reference)
        .expect("reach");
    assert_eq!((reach.held, reach.elsewhere), (0, 1));
    // Recording another identity in its place is refused at the post.
    let err = laptop
        .app
        .save_identity(
            &elsewhere.reference,
            "V1",
            Identity {
                given_names: "Otra".into(),
                first_surname: "Persona".into(),
                ..Identity::default()
            },
        )
        .expect_err("refused");
    assert!(
        matches!(err, CoreError::IdentityElsewhere { .. }),
        "{err:?}"
    );

    // A hub that sends it anyway (its page for the office, applied at the
    // post as the hub's): the post refuses the identity and keeps the rest.
    sync(&mut office, &mut hub);
    let page = hub
        .app
        .build_page(
            &office.key,
            &enlace_sync::Cursor::start(),
            &enlace_sync::Wants::default(),
            1 << 20,
        )
        .expect("page");
    let carried: Vec<String> = page
        .groups
        .iter()
        .filter_map(|g| g.doc.as_ref().map(crate::replica::doc_id_string))
        .collect();
    assert!(carried.contains(&hidden), "the office's page carries it");
    let applied = laptop.app.apply_page(&hub.key, &page, None).expect("apply");
    assert!(!holds(&laptop, &hidden));
    assert!(
        applied
            .refused
            .iter()
            .any(|r| r.reason == enlace_sync::RefusalReason::NotInAudience),
        "{:?}",
        applied.refused
    );
    assert!(holds(&office, &hidden), "an office receives every identity");

    // Shared with the post: it arrives whole at the next sync.
    hub.app
        .share_identities(&elsewhere.reference, &laptop.name, true)
        .expect("share");
    sync(&mut laptop, &mut hub);
    assert!(holds(&laptop, &hidden));
    assert_eq!(heads(&laptop, &hidden), heads(&hub, &hidden));
    let shares = hub.app.identity_reach(&elsewhere.reference).expect("reach");
    assert_eq!(shares.nodes.len(), 1);
    assert_eq!(shares.nodes[0].name, laptop.name);
    assert_eq!(shares.nodes[0].role, Some(NodeRole::BorderPost));
    let audit = hub
        .app
        .audit_list(&crate::AuditFilter {
            action: Some("case.identities".into()),
            ..crate::AuditFilter::default()
        })
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "case.identities.share" && e.detail.contains(&laptop.name)),
        "{audit:?}"
    );

    // No longer shared: a later correction stays at the hub and the office.
    hub.app
        .share_identities(&elsewhere.reference, &laptop.name, false)
        .expect("unshare");
    let mut identity = hub.app.case(&elsewhere.reference).expect("case").identities[0]
        .identity
        .clone();
    identity.given_names = "Nombre corregido después".into();
    hub.app
        .save_identity(&elsewhere.reference, "V1", identity)
        .expect("correct");
    sync(&mut laptop, &mut hub);
    sync(&mut office, &mut hub);
    assert_eq!(
        given_names(&mut laptop, &elsewhere.reference).as_deref(),
        Some("María de los Ángeles"),
        "what was received stays; what came after does not travel"
    );
    assert_eq!(
        given_names(&mut office, &elsewhere.reference).as_deref(),
        Some("Nombre corregido después")
    );

    // Sharing is the hub's or an office's, by an official who may grant.
    let err = laptop
        .app
        .share_identities(&recorded.reference, &hub.name, true)
        .expect_err("refused");
    assert!(matches!(err, CoreError::ShareFromNeedToKnow), "{err:?}");
    let err = hub
        .app
        .share_identities(&elsewhere.reference, "Nadie", true)
        .expect_err("unknown");
    assert!(matches!(err, CoreError::UnknownNode { .. }), "{err:?}");
}

#[test]
fn a_border_post_cannot_make_an_identity_reach_another_node() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut laptop = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    let mut shelter = node_as(NodeRole::Ngo, "GT", "Albergue");
    pair_as(&mut hub, &mut laptop, NodeRole::BorderPost);
    pair_as(&mut hub, &mut shelter, NodeRole::Ngo);
    let case = case_with_victim(&mut hub, "Caso compartido", json!({"scope": "national"}));
    hub.app
        .share_identities(&case.reference, &laptop.name, true)
        .expect("share");
    sync(&mut laptop, &mut hub);
    let person = person_of(&mut hub, &case.reference);
    assert!(holds(&laptop, &person));
    let shelter_key = hex::encode(shelter.key);
    let laptop_key = hex::encode(laptop.key);

    // The post, altered, names the shelter on the identity it holds.
    let signing = signing_key(&laptop);
    let actor = enlace_docs::actor_for_key(&laptop.key);
    let naming = |key: String| {
        change_as(&laptop, &person, actor.clone(), |d| {
            let mut json = d.to_json().expect("json");
            json["nodes"] = json!([laptop_key.clone(), key]);
            d.write(&json).expect("write");
        })
    };
    let forged = naming(shelter_key.clone());
    let page = page_by(&signing, vec![group(Some(&person), "person", vec![forged])]);
    assert_refused(
        &mut hub,
        &laptop.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    sync(&mut shelter, &mut hub);
    assert!(!holds(&shelter, &person), "the shelter is not sent it");
    assert!(
        !hub.app
            .identity_reach(&case.reference)
            .expect("reach")
            .nodes
            .iter()
            .any(|n| n.public_key == shelter_key)
    );

    // Nor another owner node, which would reach the node it names.
    let owner_forged = change_as(&laptop, &person, actor.clone(), |d| {
        let mut json = d.to_json().expect("json");
        json["owner"]["node"] = json!(hex::encode(&shelter.key[..8]));
        d.write(&json).expect("write");
    });
    let page = page_by(
        &signing,
        vec![group(Some(&person), "person", vec![owner_forged])],
    );
    assert_refused(
        &mut hub,
        &laptop.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    sync(&mut shelter, &mut hub);
    assert!(!holds(&shelter, &person));

    // Nor a grant to another country, which its hub would then send there.
    let granting = change_as(&laptop, &person, actor.clone(), |d| {
        let mut json = d.to_json().expect("json");
        json["grants"] = json!([{
            "id": "b0f5a3c2-0000-4000-8000-000000000001", "country": "HN",
            "purpose": "repatriation", "until": "2099-01-01", "reason": "x",
            "by": "Puesto/admin", "at": "2026-12-06T00:00:00Z"
        }]);
        d.write(&json).expect("write");
    });
    let page = page_by(
        &signing,
        vec![group(Some(&person), "person", vec![granting])],
    );
    assert_refused(
        &mut hub,
        &laptop.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    assert_eq!(
        hub.app
            .store
            .read()
            .reach_of(&person)
            .expect("reach")
            .map(|r| r.grants),
        Some(vec![])
    );

    // The same change by an office is a sharing like any other.
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía");
    pair_as(&mut hub, &mut office, NodeRole::Office);
    sync(&mut office, &mut hub);
    // A node of the country it does not know is refused; paired, it is not.
    let err = office
        .app
        .share_identities(&case.reference, &shelter_key, true)
        .expect_err("unknown here");
    assert!(matches!(err, CoreError::UnknownNode { .. }), "{err:?}");
    office
        .app
        .add_peer(PeerInput {
            node_role: Some(NodeRole::Ngo),
            name: shelter.name.clone(),
            url: None,
            key: shelter_key.clone(),
            country: "GT".into(),
        })
        .expect("pair");
    office
        .app
        .share_identities(&case.reference, &shelter.name, true)
        .expect("share from an office");
    sync(&mut office, &mut hub);
    sync(&mut shelter, &mut hub);
    assert!(holds(&shelter, &person), "an office's sharing stands");
}

#[test]
fn a_border_post_cannot_name_itself_through_a_key_it_vouches_for() {
    use super::forge::commit;
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut laptop = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    pair_as(&mut hub, &mut laptop, NodeRole::BorderPost);
    let case = case_with_victim(&mut hub, "Caso de la capital", json!({"scope": "national"}));
    let person = person_of(&mut hub, &case.reference);
    sync(&mut laptop, &mut hub);
    assert!(!holds(&laptop, &person));

    // A key of its own, vouched for by the laptop in the page's roster,
    // writes `nodes` on the identity without its history.
    let laptop_signing = signing_key(&laptop);
    let puppet = ed25519_dalek::SigningKey::from_bytes(&[42u8; 32]);
    let puppet_key = puppet.verifying_key().to_bytes();
    let mut doc = enlace_docs::Document::new(enlace_docs::actor_for_key(&puppet_key));
    doc.write(&json!({"nodes": [hex::encode(laptop.key)]}))
        .expect("write");
    let change = commit(&mut doc);
    let mut page = page_by(&puppet, vec![group(Some(&person), "person", vec![change])]);
    page.roster = vec![enlace_sync::proof::vouch(
        &laptop_signing,
        &puppet_key,
        "GT",
        "Títere",
    )];
    assert_refused(
        &mut hub,
        &laptop.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    assert_eq!(
        hub.app
            .store
            .read()
            .reach_of(&person)
            .expect("reach")
            .map(|r| r.nodes),
        Some(vec![])
    );
    sync(&mut laptop, &mut hub);
    assert!(!holds(&laptop, &person), "the hub does not send it");
}

#[test]
fn a_border_post_cannot_take_over_an_identity_a_node_does_not_hold_yet() {
    use super::forge::new_doc;
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía nueva");
    let mut laptop = node_as(NodeRole::BorderPost, "GT", "Puesto Tecún Umán");
    pair_as(&mut hub, &mut office, NodeRole::Office);
    pair_as(&mut office, &mut laptop, NodeRole::BorderPost);
    let case = case_with_victim(&mut hub, "Caso de la capital", json!({"scope": "national"}));
    let person = person_of(&mut hub, &case.reference);
    let real = hub
        .app
        .store
        .read()
        .doc(&person)
        .expect("read")
        .expect("held");
    let (_, real_doc) =
        crate::edit::from_row::<Person>(&real, &hub.app.node.actor).expect("person");
    let mut fake = real_doc.to_json().expect("json");
    fake["identity"]["given_names"] = json!("Nombre falso");
    fake["owner"]["node"] = json!(hex::encode(&laptop.key[..8]));

    // The laptop creates a document under the real identity's id, owned by
    // itself, at an office that does not hold the real one yet.
    let laptop_signing = signing_key(&laptop);
    let page = page_by(
        &laptop_signing,
        vec![group(
            Some(&person),
            "person",
            vec![new_doc(&laptop, &fake)],
        )],
    );
    office
        .app
        .apply_page(&laptop.key, &page, None)
        .expect("apply");
    // The real one arrives from the hub: it may not make the laptop's
    // document its own, nor the laptop its owner.
    sync(&mut office, &mut hub);
    sync(&mut laptop, &mut office);
    let at_laptop = laptop.app.store.read().doc(&person).expect("read");
    if let Some(row) = at_laptop {
        let (p, _) = crate::edit::from_row::<Person>(&row, &laptop.app.node.actor).expect("person");
        assert_ne!(
            p.identity.given_names, "María de los Ángeles",
            "the real identity leaked"
        );
    }
    let at_office = office
        .app
        .store
        .read()
        .doc(&person)
        .expect("read")
        .expect("held");
    let (p, _) =
        crate::edit::from_row::<Person>(&at_office, &office.app.node.actor).expect("person");
    assert!(
        p.identity.given_names != "María de los Ángeles"
            || p.owner.node != hex::encode(&laptop.key[..8]),
        "the office holds the real identity as the laptop's: {p:?}"
    );
}

#[test]
fn a_laptop_relaying_another_laptops_change_cannot_name_itself() {
    let mut hub = node_as(NodeRole::Hub, "GT", "NTF Guatemala");
    let mut office = node_as(NodeRole::Office, "GT", "Fiscalía");
    let mut a = node_as(NodeRole::BorderPost, "GT", "Puesto A");
    let mut b = node_as(NodeRole::BorderPost, "GT", "Puesto B");
    pair_as(&mut hub, &mut office, NodeRole::Office);
    pair_as(&mut hub, &mut a, NodeRole::BorderPost);
    pair_as(&mut office, &mut b, NodeRole::BorderPost);
    let case = case_with_victim(&mut hub, "Caso de la capital", json!({"scope": "national"}));
    let person = person_of(&mut hub, &case.reference);
    sync(&mut office, &mut hub);
    assert!(holds(&office, &person));

    // Laptop A (known to the office through the hub's roster) writes B onto
    // the identity; laptop B, the office's peer, relays it.
    let mut doc = enlace_docs::Document::new(enlace_docs::actor_for_key(&a.key));
    doc.write(&json!({"nodes": [hex::encode(b.key)]}))
        .expect("write");
    let change = super::forge::commit(&mut doc);
    let mut page = page_by(
        &signing_key(&a),
        vec![group(Some(&person), "person", vec![change])],
    );
    page.roster = vec![enlace_sync::proof::vouch(
        &signing_key(&hub),
        &a.key,
        "GT",
        "Puesto A",
    )];
    let b_key = b.key;
    assert_refused(
        &mut office,
        &b_key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    sync(&mut b, &mut office);
    assert!(!holds(&b, &person), "the office does not send it to B");
}
