//! Grants across borders: an identity reaches another country's hubs and
//! offices for a stated purpose until a date; nothing else of the owner's
//! identities goes, revocation and expiry stop later changes, and the
//! receiving country can neither pass it on nor change it.

use super::forge::{change_as, group, page_by};
use super::*;

fn two_victims(n: &mut Node, title: &str) -> CaseSaved {
    n.app
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": title,
                "classification": "trafficking",
                "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
                "audience": {"scope": "regional"},
                "persons": [
                    {"role": "victim", "identity": {"given_names": "José", "first_surname": "Núñez", "second_surname": "Ávila"}},
                    {"role": "victim", "identity": {"given_names": "Ana", "first_surname": "Pérez"}}
                ]
            }))
            .expect("input"),
        )
        .expect("create")
}

fn person(n: &mut Node, reference: &str, i: usize) -> String {
    n.app.case(reference).expect("case").case.persons[i]
        .person_ref
        .expect("linked")
        .to_string()
}

fn grant(
    n: &mut Node,
    reference: &str,
    pseudonym: Option<&str>,
    country: &str,
    until: chrono::NaiveDate,
    reason: &str,
) -> Result<Vec<crate::GrantView>> {
    n.app.grant_add(crate::GrantInput {
        target: reference.to_owned(),
        pseudonym: pseudonym.map(str::to_owned),
        country: country.to_owned(),
        purpose: GrantPurpose::Repatriation,
        until,
        reason: reason.to_owned(),
    })
}

fn in_days(d: i64) -> chrono::NaiveDate {
    (Utc::now() + chrono::TimeDelta::days(d)).date_naive()
}

fn audited(n: &Node, action: &str) -> Vec<crate::AuditEntry> {
    n.app
        .audit_list(&crate::AuditFilter {
            action: Some(action.into()),
            ..crate::AuditFilter::default()
        })
        .expect("audit")
}

#[test]
fn a_granted_identity_reaches_that_country_and_nothing_else_does() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    let mut sv = node("SV", "NTF El Salvador");
    let mut hn_post = node("HN", "Puesto Agua Caliente");
    hn_post
        .app
        .set_node_role(NodeRole::BorderPost)
        .expect("role");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut sv);
    pair(&mut hn, &mut sv);
    pair(&mut hn, &mut hn_post);
    hn.app
        .set_peer_role("Puesto Agua Caliente", NodeRole::BorderPost)
        .expect("role");
    let case = two_victims(&mut gt, "Retorno de víctimas a Honduras");
    let v1 = person(&mut gt, &case.reference, 0);
    let v2 = person(&mut gt, &case.reference, 1);

    let made = grant(
        &mut gt,
        &case.reference,
        Some("V1"),
        "HN",
        in_days(30),
        "Repatriación a San Pedro Sula acordada con la Cancillería",
    )
    .expect("grant");
    assert_eq!(made.len(), 1);
    assert!(made[0].standing);
    assert_eq!(made[0].pseudonym.as_deref(), Some("V1"));
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(
        (stats.refused_by_peer, stats.refused_here),
        (0, 0),
        "{stats:?}"
    );
    sync(&mut sv, &mut gt);
    assert!(holds(&hn, &v1), "granted to Honduras");
    assert!(!holds(&hn, &v2), "the other victim's identity stays home");
    assert!(
        !holds(&sv, &v1) && !holds(&sv, &v2),
        "not granted to El Salvador"
    );
    let shown = hn.app.case(&case.reference).expect("case");
    assert_eq!(shown.identities.len(), 1);
    assert_eq!(
        shown.identities[0].identity.second_surname.as_deref(),
        Some("Ávila")
    );
    // Both countries' audit logs have it; Honduras lists it.
    assert!(!audited(&gt, "grant.add").is_empty());
    assert!(
        audited(&hn, "grant.received")
            .iter()
            .any(|e| e.subject == v1 && e.detail.contains("HN:")),
        "{:?}",
        audited(&hn, "grant.received")
    );
    assert_eq!(hn.app.grant_list().expect("list").len(), 1);
    // One case's grants, as its view reads them.
    let other = two_victims(&mut gt, "Otro caso sin concesiones");
    assert_eq!(
        gt.app
            .grant_list_for(Some(&case.reference))
            .expect("list")
            .len(),
        1
    );
    assert!(
        gt.app
            .grant_list_for(Some(&other.reference))
            .expect("list")
            .is_empty()
    );

    // Honduras does not pass it on: not to El Salvador, not to its own
    // border post (need-to-know).
    sync(&mut sv, &mut hn);
    assert!(!holds(&sv, &v1));
    // (The post knows Guatemala's hub as an author, to verify its case.)
    trust(&mut hn_post, &gt);
    sync(&mut hn_post, &mut hn);
    assert!(holds(&hn_post, &case.id));
    assert!(!holds(&hn_post, &v1));

    // Honduras may not change it (nor grant it on): its change is kept
    // aside at Guatemala.
    let hn_signing = signing_key(&hn);
    let forged = change_as(&hn, &v1, enlace_docs::actor_for_key(&hn.key), |d| {
        let mut json = d.to_json().expect("json");
        json["grants"][0]["country"] = json!("SV");
        d.write(&json).expect("write");
    });
    let page = page_by(&hn_signing, vec![group(Some(&v1), "person", vec![forged])]);
    assert_refused(
        &mut gt,
        &hn.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    let err = hn
        .app
        .grant_revoke(&made[0].grant.id)
        .expect_err("not Honduras's to revoke");
    assert!(matches!(err, CoreError::NotOwner { .. }), "{err:?}");

    // A Guatemalan page for a Guatemalan node, applied at El Salvador as
    // if sent to it: the identities are refused.
    let mut gt_office = node("GT", "Fiscalía");
    pair(&mut gt, &mut gt_office);
    let page = gt
        .app
        .build_page(
            &gt_office.key,
            &enlace_sync::Cursor::start(),
            &enlace_sync::Wants::default(),
            1 << 20,
        )
        .expect("page");
    let applied = sv.app.apply_page(&gt.key, &page, None).expect("apply");
    assert!(!holds(&sv, &v1) && !holds(&sv, &v2));
    assert!(
        applied
            .refused
            .iter()
            .any(|r| r.reason == enlace_sync::RefusalReason::NationalOnly),
        "{:?}",
        applied.refused
    );

    // Revoked: a later correction stays in Guatemala; Honduras keeps what
    // it received.
    let revoked = gt.app.grant_revoke(&made[0].grant.id).expect("revoke");
    assert!(!revoked.standing && revoked.grant.revoked_at.is_some());
    let mut identity = gt.app.case(&case.reference).expect("case").identities[0]
        .identity
        .clone();
    identity.given_names = "José Corregido".into();
    gt.app
        .save_identity(&case.reference, "V1", identity)
        .expect("correct");
    sync(&mut hn, &mut gt);
    let shown = hn.app.case(&case.reference).expect("case");
    assert_eq!(shown.identities[0].identity.given_names, "José");
    assert!(!audited(&gt, "grant.revoke").is_empty());
}

#[test]
fn a_grant_past_its_date_lets_nothing_more_through() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let case = two_victims(&mut gt, "Asistencia a víctimas");
    let v1 = person(&mut gt, &case.reference, 0);
    grant(
        &mut gt,
        &case.reference,
        None,
        "HN",
        in_days(2),
        "Asistencia en albergue de Tegucigalpa",
    )
    .expect("grant");
    sync(&mut hn, &mut gt);
    assert!(holds(&hn, &v1), "within its dates it goes");
    // Ten days later (both clocks): the grant has lapsed, and a correction
    // made then stays home.
    crate::clock::skewed(chrono::TimeDelta::days(10), || {
        let listed = gt.app.grant_list().expect("list");
        assert_eq!(listed.len(), 2);
        assert!(listed.iter().all(|g| !g.standing));
        let mut identity = gt.app.case(&case.reference).expect("case").identities[0]
            .identity
            .clone();
        identity.given_names = "José Corregido".into();
        gt.app
            .save_identity(&case.reference, "V1", identity)
            .expect("correct");
        sync(&mut hn, &mut gt);
    });
    let shown = hn.app.case(&case.reference).expect("case");
    assert_eq!(shown.identities[0].identity.given_names, "José");
}

#[test]
fn a_grant_needs_a_reason_a_future_date_another_country_and_the_permission() {
    let mut gt = node("GT", "NTF Guatemala");
    let case = two_victims(&mut gt, "Caso");
    let field = |e: CoreError| match e {
        CoreError::Invalid(issues) => issues.iter().map(|i| i.path.clone()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let e = grant(&mut gt, &case.reference, None, "HN", in_days(5), "  ").expect_err("no reason");
    assert_eq!(field(e), vec!["grant.reason"]);
    let e = grant(&mut gt, &case.reference, None, "HN", in_days(-1), "x").expect_err("past");
    assert_eq!(field(e), vec!["grant.until"]);
    let e = grant(&mut gt, &case.reference, None, "HN", in_days(400), "x").expect_err("far");
    assert_eq!(field(e), vec!["grant.until"]);
    let e = grant(&mut gt, &case.reference, None, "GT", in_days(5), "x").expect_err("own");
    assert_eq!(field(e), vec!["grant.country"]);
    let e = grant(&mut gt, &case.reference, Some("V9"), "HN", in_days(5), "x").expect_err("none");
    assert!(matches!(e, CoreError::NotFound { .. }), "{e:?}");
    let e = grant(&mut gt, &case.reference, None, "ZZ", in_days(5), "x").expect_err("country");
    assert!(
        matches!(e, CoreError::Country(_) | CoreError::Invalid(_)),
        "{e:?}"
    );
    assert!(
        gt.app.grant_list().expect("list").is_empty(),
        "nothing written"
    );
    // An investigator may see identities but not grant them.
    gt.app
        .add_official("Inés", Role::PoliceInvestigator, "frase del investigador")
        .expect("official");
    let dir = gt._dir.path().join("data");
    let placeholder = tempfile::tempdir().expect("dir");
    let other = App::init(&placeholder.path().join("d"), PASS, "GT", "x").expect("init");
    drop(std::mem::replace(&mut gt.app, other));
    gt.app = App::open_as(&dir, Some("Inés"), "frase del investigador").expect("login");
    let e = grant(&mut gt, &case.reference, None, "HN", in_days(5), "x").expect_err("role");
    assert!(matches!(e, CoreError::NotAllowed { .. }), "{e:?}");
}
