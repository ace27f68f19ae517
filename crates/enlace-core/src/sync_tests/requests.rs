//! Requests the other country answers: Honduras acknowledges and answers
//! Guatemala's request and both read the status; Honduras may change
//! nothing else of the request, answer nothing addressed elsewhere, and
//! Guatemala may not answer in Honduras's name.

use super::forge::{change_as, group, page_by};
use super::*;

/// What a forged change does to the case's JSON.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

fn case_with_requests(n: &mut Node) -> CaseSaved {
    let due = (crate::clock::now() + chrono::TimeDelta::days(30)).date_naive();
    n.app
        .create_case(
            enlace_domain::input::from_value(json!({
                "title": "Red de captación en Esquipulas",
                "classification": "trafficking",
                "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"],
                "audience": {"scope": "regional"},
                "requests": [
                    {"kind": "mutual_legal_assistance", "from": "GT", "to": "HN",
                     "subject": "Registros migratorios de la persona investigada",
                     "status": "sent", "sent": "2026-11-01", "due": due},
                    {"kind": "extradition", "from": "GT", "to": "SV",
                     "subject": "Extradición del reclutador", "status": "sent"}
                ]
            }))
            .expect("input"),
        )
        .expect("create")
}

fn request_ids(n: &Node, reference: &str) -> (String, String) {
    let v = n.app.case_requests(reference).expect("requests");
    (v[0].request.id.clone(), v[1].request.id.clone())
}

#[test]
fn honduras_answers_guatemalas_request_and_both_read_it() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let case = case_with_requests(&mut gt);
    let (to_hn, to_sv) = request_ids(&gt, &case.reference);
    sync(&mut hn, &mut gt);

    // Honduras lists it as addressed to it; Guatemala as its own.
    let asked = hn
        .app
        .requests(&crate::RequestFilter {
            to_us: Some(true),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].request.id, to_hn);
    assert_eq!(asked[0].side, crate::RequestSide::ToUs);
    let made = gt.app.requests(&Default::default()).expect("list");
    assert_eq!(made.len(), 2);
    assert!(made.iter().all(|v| v.side == crate::RequestSide::FromUs));

    hn.app
        .request_answer(
            &case.reference,
            &to_hn[..4],
            RequestAction::Acknowledged,
            "",
        )
        .expect("acknowledge");
    let answered = hn
        .app
        .request_answer(
            &case.reference,
            &to_hn,
            RequestAction::Answered,
            "Se remiten los registros de entradas y salidas de 2025 y 2026.",
        )
        .expect("answer");
    assert_eq!(answered.latest, Some(RequestAction::Answered));
    let stats = sync(&mut hn, &mut gt);
    assert_eq!(
        (stats.refused_by_peer, stats.refused_here),
        (0, 0),
        "{stats:?}"
    );
    let at_gt = gt.app.case_requests(&case.reference).expect("requests");
    assert_eq!(at_gt[0].answers.len(), 2);
    assert_eq!(at_gt[0].latest, Some(RequestAction::Answered));
    assert_eq!(at_gt[0].answers[0].country.as_str(), "HN");
    assert!(at_gt[1].answers.is_empty(), "El Salvador's is unanswered");

    // Bad input, refused here before anything is written.
    let err = hn
        .app
        .request_answer(&case.reference, &to_sv, RequestAction::Answered, "x")
        .expect_err("addressed to El Salvador");
    match err {
        CoreError::Invalid(issues) => {
            assert_eq!(issues[0].path, "request");
            assert_eq!(issues[0].code, "val-request-not-addressed-here");
        }
        other => panic!("{other:?}"),
    }
    let err = hn
        .app
        .request_answer(&case.reference, &to_hn, RequestAction::Refused, " ")
        .expect_err("a refusal says why");
    assert!(
        matches!(err, CoreError::Invalid(ref i) if i[0].path == "text"),
        "{err:?}"
    );
    let err = gt
        .app
        .request_answer(&case.reference, &to_hn, RequestAction::Answered, "x")
        .expect_err("Guatemala does not answer for Honduras");
    assert!(matches!(err, CoreError::Invalid(_)), "{err:?}");
    assert_eq!(
        gt.app.case_requests(&case.reference).expect("requests")[0]
            .answers
            .len(),
        2,
        "nothing saved"
    );
}

#[test]
fn a_deadline_passed_without_an_answer_is_overdue_on_both_sides() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    pair(&mut gt, &mut hn);
    let case = case_with_requests(&mut gt);
    let (to_hn, _) = request_ids(&gt, &case.reference);
    sync(&mut hn, &mut gt);
    crate::clock::skewed(chrono::TimeDelta::days(35), || {
        for n in [&gt, &hn] {
            let late = n
                .app
                .requests(&crate::RequestFilter {
                    overdue: Some(true),
                    ..Default::default()
                })
                .expect("list");
            assert_eq!(late.len(), 1, "{}", n.name);
            assert_eq!(late[0].days_overdue, 5);
        }
        // Asked for more information: still overdue; answered: not.
        hn.app
            .request_answer(
                &case.reference,
                &to_hn,
                RequestAction::MoreInformation,
                "Falta el número de pasaporte",
            )
            .expect("more information");
        assert!(hn.app.case_requests(&case.reference).expect("r")[0].overdue);
        hn.app
            .request_answer(&case.reference, &to_hn, RequestAction::Answered, "Adjunto")
            .expect("answer");
        assert!(!hn.app.case_requests(&case.reference).expect("r")[0].overdue);
    });
}

#[test]
fn a_requested_country_may_answer_and_nothing_else() {
    let mut gt = node("GT", "NTF Guatemala");
    let mut hn = node("HN", "NTF Honduras");
    let mut sv = node("SV", "NTF El Salvador");
    pair(&mut gt, &mut hn);
    pair(&mut gt, &mut sv);
    pair(&mut hn, &mut sv);
    let case = case_with_requests(&mut gt);
    let (to_hn, to_sv) = request_ids(&gt, &case.reference);
    sync(&mut hn, &mut gt);
    sync(&mut sv, &mut gt);
    let hn_signing = signing_key(&hn);
    let hn_actor = || enlace_docs::actor_for_key(&hn.key);
    let forge = |holder: &Node, f: &dyn Fn(&mut serde_json::Value)| {
        change_as(holder, &case.id, hn_actor(), |d| {
            let mut json = d.to_json().expect("json");
            f(&mut json);
            d.write(&json).expect("write");
        })
    };
    fn answer(request: &str, country: &str) -> serde_json::Value {
        json!({"request": request, "country": country, "action": "answered",
               "text": "x", "at": "2026-12-01T00:00:00Z", "by": "x"})
    }
    // (what Honduras's change does, refused)
    let attempts: Vec<(&str, Edit)> = vec![
        (
            "marks the request answered in Guatemala's fields",
            Box::new(|j| j["requests"][0]["status"] = json!("answered")),
        ),
        (
            "moves the deadline",
            Box::new(|j| j["requests"][0]["due"] = json!("2099-01-01")),
        ),
        (
            "answers the request addressed to El Salvador",
            Box::new({
                let to_sv = to_sv.clone();
                move |j| {
                    j["request_answers"]
                        .as_array_mut()
                        .expect("list")
                        .push(answer(&to_sv, "HN"))
                }
            }),
        ),
        (
            "answers in El Salvador's name",
            Box::new({
                let to_sv = to_sv.clone();
                move |j| {
                    j["request_answers"]
                        .as_array_mut()
                        .expect("list")
                        .push(answer(&to_sv, "SV"))
                }
            }),
        ),
        (
            "answers a request the case does not hold",
            Box::new({
                move |j| {
                    j["request_answers"]
                        .as_array_mut()
                        .expect("list")
                        .push(answer("nonexistent", "HN"))
                }
            }),
        ),
    ];
    for (what, f) in &attempts {
        let forged = forge(&hn, f.as_ref());
        let page = page_by(
            &hn_signing,
            vec![group(Some(&case.id), "case", vec![forged])],
        );
        let applied = gt.app.apply_page(&hn.key, &page, None).expect("apply");
        assert!(
            applied
                .refused
                .iter()
                .any(|r| r.reason == enlace_sync::RefusalReason::NotAllowed),
            "{what}: {:?}",
            applied.refused
        );
    }
    let at_gt = gt.app.case_requests(&case.reference).expect("requests");
    assert_eq!(at_gt[0].request.status, RequestStatus::Sent);
    assert!(
        at_gt.iter().all(|v| v.answers.is_empty()),
        "nothing applied"
    );

    // The one change Honduras may make goes through, forged by hand too.
    let forged = forge(&hn, &|j| {
        j["request_answers"]
            .as_array_mut()
            .expect("list")
            .push(answer(&to_hn, "HN"))
    });
    let page = page_by(
        &hn_signing,
        vec![group(Some(&case.id), "case", vec![forged])],
    );
    let applied = gt.app.apply_page(&hn.key, &page, None).expect("apply");
    assert!(applied.refused.is_empty(), "{:?}", applied.refused);
    assert_eq!(
        gt.app.case_requests(&case.reference).expect("requests")[0].latest,
        Some(RequestAction::Answered)
    );

    // Guatemala's own node writing an answer in Honduras's name: refused
    // at El Salvador (which holds everything before it).
    sync(&mut sv, &mut gt);
    let gt_signing = signing_key(&gt);
    let forged = change_as(&gt, &case.id, enlace_docs::actor_for_key(&gt.key), |d| {
        let mut json = d.to_json().expect("json");
        json["request_answers"]
            .as_array_mut()
            .expect("list")
            .push(answer(&to_hn, "HN"));
        d.write(&json).expect("write");
    });
    let page = page_by(
        &gt_signing,
        vec![group(Some(&case.id), "case", vec![forged])],
    );
    assert_refused(
        &mut sv,
        &gt.key,
        &page,
        enlace_sync::RefusalReason::NotAllowed,
    );
}
