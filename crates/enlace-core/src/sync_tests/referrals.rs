//! The directory of agencies and victims' referrals: a country's entries
//! reach the region and stay its own; a referral (with consent, or an
//! override and its reason) lives in the victim's national record and
//! goes where her identity goes; the referral letter names her by
//! pseudonym unless the official chooses otherwise and may.

use super::forge::{change_as, group, page_by};
use super::*;

fn shelter(n: &mut Node, name: &str) -> Agency {
    n.app
        .agency_add(
            serde_json::from_value(json!({
                "name": name,
                "kind": "ngo",
                "city": "Quetzaltenango",
                "services": ["shelter", "psychological"],
                "contacts": [{"name": "Lucía Xicará", "function": "Coordinadora", "phone": "+502 0000 0000"}],
                "languages": ["español", "k'iche'"],
                "reliability": "B"
            }))
            .expect("input"),
        )
        .expect("agency")
        .agency
}

fn refer(consent: bool, override_reason: Option<&str>, agency: &str) -> crate::ReferralInput {
    serde_json::from_value(json!({
        "pseudonym": "V1",
        "agency": agency,
        "services": ["shelter"],
        "reason": "Necesita alojamiento seguro lejos de la frontera",
        "consent": consent,
        "consent_override": override_reason,
        "due": (crate::clock::now() + chrono::TimeDelta::days(5)).date_naive(),
    }))
    .expect("input")
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by `cargo xtask setup`");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_directory_is_searched_without_accents_and_stays_each_countrys() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let alba = shelter(&mut gt, "Albergue de la Niñez Alba (ficticio)");
    gt.app
        .agency_add(
            serde_json::from_value(json!({
                "name": "Clínica Jurídica Ixchel (ficticia)", "kind": "ngo",
                "services": ["legal_aid"], "reliability": "C"
            }))
            .expect("input"),
        )
        .expect("agency");
    let names = |n: &Node, f: crate::AgencyFilter| -> Vec<String> {
        n.app
            .agencies(&f)
            .expect("list")
            .into_iter()
            .map(|a| a.name)
            .collect()
    };
    // (query, service, what is found)
    let rows: &[(Option<&str>, Option<Service>, &[&str])] = &[
        (
            Some("ninez"),
            None,
            &["Albergue de la Niñez Alba (ficticio)"],
        ),
        (
            Some("NIÑEZ alb"),
            None,
            &["Albergue de la Niñez Alba (ficticio)"],
        ),
        (
            Some("juridica"),
            None,
            &["Clínica Jurídica Ixchel (ficticia)"],
        ),
        (
            Some("xicara"),
            None,
            &["Albergue de la Niñez Alba (ficticio)"],
        ),
        (
            Some("albergue"),
            None,
            &["Albergue de la Niñez Alba (ficticio)"],
        ),
        (
            None,
            Some(Service::LegalAid),
            &["Clínica Jurídica Ixchel (ficticia)"],
        ),
        (Some("ninez"), Some(Service::LegalAid), &[]),
        (
            None,
            None,
            &[
                "Albergue de la Niñez Alba (ficticio)",
                "Clínica Jurídica Ixchel (ficticia)",
            ],
        ),
    ];
    for (query, service, found) in rows {
        let f = crate::AgencyFilter {
            query: query.map(str::to_owned),
            country: None,
            service: *service,
        };
        assert_eq!(names(&gt, f), *found, "{query:?} {service:?}");
    }
    // Honduras reads Guatemala's directory; filtered by country.
    sync(&mut hn, &mut gt);
    let gt_only = crate::AgencyFilter {
        country: Some("gt".into()),
        ..Default::default()
    };
    assert_eq!(names(&hn, gt_only).len(), 2);
    let hn_only = crate::AgencyFilter {
        country: Some("HN".into()),
        ..Default::default()
    };
    assert!(names(&hn, hn_only).is_empty());
    // But may not change it: refused here, and a forged change is kept
    // aside at Guatemala.
    let err = hn
        .app
        .agency_update(&alba.id.to_string(), &json!({"reliability": "F"}))
        .expect_err("Guatemala's entry");
    assert!(matches!(err, CoreError::NotOwner { .. }), "{err:?}");
    let id = alba.id.to_string();
    let forged = change_as(&hn, &id, enlace_docs::actor_for_key(&hn.key), |d| {
        let mut j = d.to_json().expect("json");
        j["reliability"] = json!("F");
        d.write(&j).expect("write");
    });
    let page = page_by(
        &signing_key(&hn),
        vec![group(Some(&id), "agency", vec![forged])],
    );
    assert_refused(
        &mut gt,
        &hn.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
    assert_eq!(
        gt.app.agency(&id).expect("agency").reliability,
        SourceReliability::B
    );
    // A nameless entry is refused naming the field.
    let err = gt
        .app
        .agency_add(
            serde_json::from_value(json!({"name": " ", "kind": "ngo", "reliability": "A"}))
                .expect("input"),
        )
        .expect_err("no name");
    assert!(
        matches!(err, CoreError::Invalid(ref i) if i[0].path == "name"),
        "{err:?}"
    );
}

#[test]
fn a_referral_needs_consent_or_a_reason_and_its_letter_names_no_one_unless_asked() {
    let mut gt = node("GT", "NTF Guatemala");
    let alba = shelter(&mut gt, "Albergue Casa Alba (ficticio)");
    let case = case_with_victim(&mut gt, "Víctima referida", json!({"scope": "national"}));
    let invalid = |e: CoreError| match e {
        CoreError::Invalid(i) => (i[0].path.clone(), i[0].code.clone()),
        other => panic!("{other:?}"),
    };
    // Bad input, refused naming the field; nothing saved.
    let err = gt
        .app
        .referral_add(&case.reference, refer(true, None, "Albergue que no existe"))
        .expect_err("unknown agency");
    assert_eq!(
        invalid(err),
        ("agency".into(), "val-referral-unknown-agency".into())
    );
    let err = gt
        .app
        .referral_add(&case.reference, refer(false, None, "Casa Alba"))
        .expect_err("no consent, no reason");
    assert_eq!(
        invalid(err),
        (
            "consent_override".into(),
            "val-referral-override-reason".into()
        )
    );
    assert!(gt.app.referrals(&case.reference).expect("list").is_empty());

    // With consent, by the agency's name without accents.
    let made = gt
        .app
        .referral_add(&case.reference, refer(true, None, "casa alba"))
        .expect("refer");
    assert_eq!(made.referral.agency, alba.id.to_string());
    assert_eq!(made.referral.status, ReferralStatus::InProgress);
    assert!(!made.overdue);
    // No risk assessment made a review due.
    assert!(gt.app.risks_due(400).expect("due").is_empty());

    // A border officer may refer with consent, not override it.
    gt.app
        .add_official(
            "Agente Núñez",
            Role::BorderOfficer,
            "frase del agente de frontera",
        )
        .expect("official");
    let dir = gt.app.data_dir().to_owned();
    let mut officer =
        App::open_as(&dir, Some("Agente Núñez"), "frase del agente de frontera").expect("login");
    let err = officer
        .referral_add(
            &case.reference,
            refer(false, Some("Es menor y corre peligro"), "Casa Alba"),
        )
        .expect_err("only a coordinator overrides");
    assert!(
        matches!(
            err,
            CoreError::NotAllowed {
                permission: Permission::Grant,
                ..
            }
        ),
        "{err:?}"
    );
    // Nor print her identity.
    let letter = dir.join("carta.pdf");
    let err = officer
        .referral_letter_pdf(
            &case.reference,
            &made.referral.id,
            &letter,
            Lang::Es,
            enlace_report::Paper::A4,
            true,
        )
        .expect_err("may not print identities");
    assert!(matches!(err, CoreError::NotAllowed { .. }), "{err:?}");
    drop(officer);
    // The administrator overrides, with the reason.
    let over = gt
        .app
        .referral_add(
            &case.reference,
            refer(
                false,
                Some("Es menor de edad y corre peligro inminente"),
                "Casa Alba",
            ),
        )
        .expect("override");
    assert_eq!(
        over.referral.consent_override.as_deref(),
        Some("Es menor de edad y corre peligro inminente")
    );

    // Where it stands; overdue once its day passes while in progress.
    let updated = gt
        .app
        .referral_update(
            &case.reference,
            &made.referral.id[..8],
            ReferralStatus::Accepted,
            "Ingresó el martes",
        )
        .expect("update");
    assert_eq!(updated.referral.status, ReferralStatus::Accepted);
    crate::clock::skewed(chrono::TimeDelta::days(6), || {
        let all = gt.app.referrals(&case.reference).expect("list");
        assert!(all.iter().all(|v| v.overdue), "{all:?}");
    });
    gt.app
        .referral_update(&case.reference, &made.referral.id, ReferralStatus::Done, "")
        .expect("done");
    crate::clock::skewed(chrono::TimeDelta::days(6), || {
        let all = gt.app.referrals(&case.reference).expect("list");
        let done = all
            .iter()
            .find(|v| v.referral.id == made.referral.id)
            .expect("done");
        assert!(!done.overdue);
    });

    // The letter: by pseudonym; with her identity only when asked.
    gt.app
        .referral_letter_pdf(
            &case.reference,
            &made.referral.id,
            &letter,
            Lang::Es,
            enlace_report::Paper::A4,
            false,
        )
        .expect("letter");
    let text = pdf_text(&letter);
    for p in [
        "Carta de referencia",
        "Albergue Casa Alba (ficticio)",
        "V1",
        &case.reference,
        "Lucía Xicará",
    ] {
        assert!(text.contains(p), "«{p}» missing: {text}");
    }
    assert!(!text.contains("Güity"), "no identity: {text}");
    let named = dir.join("carta-nombre.pdf");
    gt.app
        .referral_letter_pdf(
            &case.reference,
            &over.referral.id,
            &named,
            Lang::En,
            enlace_report::Paper::Letter,
            true,
        )
        .expect("letter with the identity");
    let text = pdf_text(&named);
    assert!(text.contains("María de los Ángeles Güity"), "{text}");
    assert!(text.contains("Referral letter"), "{text}");
    assert!(text.contains("Without the person's consent"), "{text}");
    let audit = gt
        .app
        .audit_list(&crate::AuditFilter {
            action: Some("report.referral_letter".into()),
            ..crate::AuditFilter::default()
        })
        .expect("audit");
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().any(|e| e.detail.contains("identity printed")));
    assert!(audit.iter().any(|e| e.detail.contains("pseudonym only")));
}

#[test]
fn a_referral_goes_where_the_victims_identity_goes() {
    let mut hub = node("GT", "NTF Guatemala");
    hub.app.set_node_role(NodeRole::Hub).expect("role");
    let mut post = node("GT", "Puesto Tecún Umán");
    post.app.set_node_role(NodeRole::BorderPost).expect("role");
    let mut other_post = node("GT", "Puesto El Carmen");
    other_post
        .app
        .set_node_role(NodeRole::BorderPost)
        .expect("role");
    let mut hn = node("HN", "NTF Honduras");
    for (n, role) in [
        (&mut post, NodeRole::BorderPost),
        (&mut other_post, NodeRole::BorderPost),
    ] {
        hub.app
            .add_peer(PeerInput {
                node_role: Some(role),
                name: n.name.clone(),
                url: None,
                key: hex::encode(n.key),
                country: "GT".into(),
            })
            .expect("pair");
        n.app
            .add_peer(PeerInput {
                node_role: Some(NodeRole::Hub),
                name: hub.name.clone(),
                url: None,
                key: hex::encode(hub.key),
                country: "GT".into(),
            })
            .expect("pair");
    }
    pair(&mut hub, &mut hn);
    let alba = shelter(&mut hub, "Albergue Casa Alba (ficticio)");
    sync(&mut post, &mut hub);
    assert!(
        holds(&post, &alba.id.to_string()),
        "the directory reaches the post"
    );
    let case = case_with_victim(
        &mut post,
        "Víctima referida en la frontera",
        json!({"scope": "regional"}),
    );
    post.app
        .referral_add(&case.reference, refer(true, None, "Casa Alba"))
        .expect("refer");
    let doc = post
        .app
        .store
        .read()
        .risk_docs_of(&case.id, "V1")
        .expect("docs")[0]
        .clone();
    sync(&mut post, &mut hub);
    sync(&mut other_post, &mut hub);
    sync(&mut hn, &mut hub);
    assert!(holds(&hub, &doc));
    assert!(!holds(&other_post, &doc), "need-to-know");
    assert!(!holds(&hn, &doc), "national");
    assert!(holds(&hn, &case.id), "the case itself is regional");
    assert_eq!(hub.app.referrals(&case.reference).expect("list").len(), 1);
}

#[test]
fn a_referral_forged_at_a_node_of_the_country_is_refused_and_one_written_as_the_app_would_is_not() {
    let mut hub = node("GT", "NTF Guatemala");
    let mut post = node("GT", "Puesto Tecún Umán");
    pair(&mut hub, &mut post);
    let case = case_with_victim(&mut post, "Víctima", json!({"scope": "national"}));
    let alba = shelter(&mut post, "Albergue Casa Alba (ficticio)");
    let made = post
        .app
        .referral_add(&case.reference, refer(true, None, &alba.id.to_string()))
        .expect("refer");
    sync(&mut post, &mut hub);
    let doc = hub
        .app
        .store
        .read()
        .risk_docs_of(&case.id, "V1")
        .expect("docs")[0]
        .clone();
    let forge = |f: &dyn Fn(&mut serde_json::Value)| {
        super::forge::own_edit_page(&post, &doc, "risk_assessment", f)
    };
    let without_consent = |j: &mut serde_json::Value| {
        let mut r = j["referrals"][0].clone();
        r["id"] = json!("forged");
        r["consent"] = json!(false);
        r.as_object_mut().expect("map").remove("consent_override");
        j["referrals"].as_array_mut().expect("list").push(r);
    };
    let hostile: Vec<(&str, Forgery)> = vec![
        ("taken away", Box::new(|j| j["referrals"] = json!([]))),
        (
            "consent rewritten",
            Box::new(|j| {
                j["referrals"][0]["consent"] = json!(false);
                j["referrals"][0]["consent_override"] = json!("después");
            }),
        ),
        (
            "sent elsewhere",
            Box::new(|j| j["referrals"][0]["agency_name"] = json!("Otro")),
        ),
        (
            "its notes rewritten",
            Box::new(|j| {
                j["referrals"][0]["notes"] = json!("borrado");
                j["referrals"][0]["reason"] = json!("otro");
            }),
        ),
        ("without consent or a reason", Box::new(without_consent)),
    ];
    for (what, f) in &hostile {
        let page = forge(f.as_ref());
        let applied = hub.app.apply_page(&post.key, &page, None).expect("apply");
        assert!(
            applied
                .refused
                .iter()
                .any(|r| r.reason == enlace_sync::RefusalReason::NotAllowed),
            "{what}: {:?}",
            applied.refused
        );
    }
    let held = hub.app.referrals(&case.reference).expect("list");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].referral, made.referral);

    // Where it stands, changed by hand with a note added: as the app does.
    let page = forge(&|j| {
        j["referrals"][0]["status"] = json!("accepted");
        j["referrals"][0]["notes"] = json!("Cupo confirmado");
    });
    let applied = hub.app.apply_page(&post.key, &page, None).expect("apply");
    assert!(applied.refused.is_empty(), "{:?}", applied.refused);
    let held = hub.app.referrals(&case.reference).expect("list");
    assert_eq!(held[0].referral.status, ReferralStatus::Accepted);
}

#[test]
fn an_entry_of_the_directory_stays_its_countrys_whoever_writes_it() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let alba = shelter(&mut gt, "Albergue Casa Alba (ficticio)");
    let id = alba.id.to_string();
    // A correction cannot make a real entry a demonstration one (which
    // would stay on this node) or the reverse.
    let saved = gt
        .app
        .agency_update(&id, &json!({"demo": true, "hours": "24 horas"}))
        .expect("update");
    assert!(!saved.agency.demo);
    assert_eq!(saved.agency.hours, "24 horas");
    sync(&mut hn, &mut gt);
    assert_eq!(hn.app.agency(&id).expect("entry").hours, "24 horas");

    // Guatemala moves its own entry to Honduras (country, or owner): kept
    // aside at Honduras, which reads it as Guatemala's still.
    let moves: Vec<(&str, Forgery)> = vec![
        ("its country", Box::new(|j| j["country"] = json!("HN"))),
        (
            "its owner and country",
            Box::new(|j| {
                j["country"] = json!("HN");
                j["owner"]["country"] = json!("HN");
            }),
        ),
    ];
    for (what, f) in &moves {
        let forged = change_as(&gt, &id, enlace_docs::actor_for_key(&gt.key), |d| {
            let mut j = d.to_json().expect("json");
            f(&mut j);
            d.write(&j).expect("write");
        });
        let page = page_by(
            &signing_key(&gt),
            vec![group(Some(&id), "agency", vec![forged])],
        );
        let applied = hn.app.apply_page(&gt.key, &page, None).expect("apply");
        assert!(
            applied
                .refused
                .iter()
                .any(|r| r.reason == enlace_sync::RefusalReason::NotAllowed),
            "{what}: {:?}",
            applied.refused
        );
        assert_eq!(hn.app.agency(&id).expect("entry").country.as_str(), "GT");
    }

    // Honduras writes an entry of Guatemala's (made as Guatemala's, or
    // Honduras's with Guatemala's country): refused at Guatemala.
    for (owner, country) in [("GT", "GT"), ("HN", "GT")] {
        let mut fake = serde_json::to_value(&alba).expect("json");
        let fake_id = uuid::Uuid::new_v4().to_string();
        fake["id"] = json!(fake_id);
        fake["name"] = json!("Albergue falso");
        fake["country"] = json!(country);
        fake["owner"] = json!({"country": owner, "node": hn.app.node.node_id});
        let page = page_by(
            &signing_key(&hn),
            vec![group(
                Some(&fake_id),
                "agency",
                vec![super::forge::new_doc(&hn, &fake)],
            )],
        );
        let applied = gt.app.apply_page(&hn.key, &page, None).expect("apply");
        assert!(!applied.refused.is_empty(), "{owner}/{country}");
        assert!(gt.app.agency(&fake_id).is_err(), "{owner}/{country}");
    }
}
