//! Several nodes of one country numbering cases offline: references never
//! collide; the ones that still can (a node restored from a backup numbers
//! again before it syncs) are listed, never resolved to one case, and
//! renumbered by a person with the old reference still finding the case.

use super::*;

fn regional(n: &mut Node, title: &str) -> CaseSaved {
    case_with_victim(n, title, json!({"scope": "regional"}))
}

#[test]
fn nodes_of_one_country_that_never_talk_never_issue_one_reference() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    let mut hn = node("HN", "Honduras");
    pair(&mut laptop, &mut hub);
    pair(&mut hn, &mut hub);
    // Both Guatemalan nodes open cases for days without a link.
    let mut made = vec![];
    for i in 0..3 {
        made.push((
            regional(&mut hub, &format!("Hub {i}")),
            hub.app.node_info().node_code,
        ));
        made.push((
            regional(&mut laptop, &format!("Frontera {i}")),
            laptop.app.node_info().node_code,
        ));
    }
    assert_ne!(
        hub.app.node_info().node_code,
        laptop.app.node_info().node_code
    );
    sync(&mut laptop, &mut hub);
    sync(&mut hn, &mut hub);
    let refs: std::collections::BTreeSet<&str> =
        made.iter().map(|(s, _)| s.reference.as_str()).collect();
    assert_eq!(refs.len(), made.len(), "{made:?}");
    for (saved, code) in &made {
        let r = CaseRef::parse(&saved.reference).expect("parses");
        assert_eq!(r.node.as_ref().map(NodeCode::as_str), Some(code.as_str()));
        for n in [&mut hub, &mut laptop, &mut hn] {
            // Every node finds each case by its reference, and only it.
            assert_eq!(
                n.app
                    .case(&saved.reference)
                    .expect("found")
                    .case
                    .id
                    .to_string(),
                saved.id
            );
            assert!(n.app.duplicate_references().expect("dups").is_empty());
        }
    }
}

#[test]
fn a_reference_issued_twice_is_listed_and_renumbered_never_guessed() {
    let mut gt = node("GT", "Guatemala");
    let mut hn = node("HN", "Honduras");
    pair(&mut gt, &mut hn);
    regional(&mut gt, "Antes de la copia");
    let backup = back_up(&mut gt);
    let second = regional(&mut gt, "Después de la copia");
    sync(&mut hn, &mut gt);
    // The disk fails; the backup is restored and numbers again before
    // it syncs: the one thing a node code cannot prevent.
    drop(std::mem::replace(
        &mut gt.app,
        App::open(&backup, PASS).expect("restored"),
    ));
    let third = regional(&mut gt, "Tras restaurar");
    assert_eq!(third.reference, second.reference);
    sync(&mut hn, &mut gt);
    sync(&mut gt, &mut hn);

    for n in [&mut gt, &mut hn] {
        // Listed for a person to decide...
        let dups = n.app.duplicate_references().expect("dups");
        assert_eq!(dups.len(), 1, "{dups:?}");
        assert_eq!(dups[0].reference, second.reference);
        let mut ids: Vec<&str> = dups[0].cases.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let mut want = vec![second.id.as_str(), third.id.as_str()];
        want.sort_unstable();
        assert_eq!(ids, want);
        // ...and never resolved to one of them.
        let err = n.app.case(&second.reference).expect_err("ambiguous");
        assert_eq!(err.code(), ErrorCode::Ambiguous);
        assert_eq!(err.code().exit_code(), 5);
        assert_eq!(err.candidates().len(), 2);
        let message = err.message(Lang::Es);
        assert!(
            message.contains(&second.id) && message.contains(&third.id),
            "{message}"
        );
        let err = n
            .app
            .update_case(&second.reference, &json!({"title": "¿Cuál?"}))
            .expect_err("ambiguous");
        assert_eq!(err.code(), ErrorCode::Ambiguous);
    }

    // Only the owner country renumbers; by a reference that names two
    // cases, nobody does.
    assert_eq!(
        hn.app
            .renumber_case(&third.id)
            .expect_err("not owner")
            .code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        gt.app
            .renumber_case(&second.reference)
            .expect_err("which?")
            .code(),
        ErrorCode::Ambiguous
    );
    let renumbered = gt.app.renumber_case(&third.id).expect("renumber");
    // Past every reference of its series the node holds, received ones too.
    let old = CaseRef::parse(&second.reference).expect("ref");
    let new = CaseRef::parse(&renumbered.reference).expect("ref");
    assert_eq!(new.node, old.node);
    assert_eq!(new.sequence, old.sequence + 1);
    assert_eq!(renumbered.changed, vec!["former_references", "reference"]);
    let next = regional(&mut gt, "Siguiente");
    assert_eq!(
        CaseRef::parse(&next.reference).expect("ref").sequence,
        new.sequence + 1
    );

    // A change with history, carried by sync; the old reference finds the
    // case that still carries it, and the renumbered one by search.
    sync(&mut hn, &mut gt);
    for n in [&mut gt, &mut hn] {
        assert!(n.app.duplicate_references().expect("dups").is_empty());
        let view = n.app.case(&renumbered.reference).expect("by new reference");
        assert_eq!(view.case.id.to_string(), third.id);
        assert_eq!(view.case.former_references, vec![second.reference.clone()]);
        assert_eq!(
            n.app
                .case(&second.reference)
                .expect("old")
                .case
                .id
                .to_string(),
            second.id
        );
        let h = n.app.history(&third.id).expect("history");
        assert_eq!(h.last().map(|e| e.action.as_str()), Some("renumber"));
        let found = n
            .app
            .list_cases(&CaseFilter {
                query: Some(second.reference.clone()),
                ..Default::default()
            })
            .expect("search");
        let ids: Vec<&str> = found.items.iter().map(|c| c.id.as_str()).collect();
        assert!(ids.contains(&third.id.as_str()), "{ids:?}");
    }
    // Nothing else changes a reference: a patch is refused, and a patch
    // that tries through the history of references too.
    for patch in [
        json!({"reference": "GT-2026-0999"}),
        json!({"former_references": ["GT-2026-0999"]}),
    ] {
        assert_eq!(
            gt.app
                .update_case(&third.id, &patch)
                .expect_err("refused")
                .code(),
            ErrorCode::InvalidInput
        );
    }
}

#[test]
fn a_case_found_only_by_a_former_reference_is_found() {
    let mut gt = node("GT", "Guatemala");
    let saved = regional(&mut gt, "Única");
    let renumbered = gt.app.renumber_case(&saved.reference).expect("renumber");
    assert_ne!(renumbered.reference, saved.reference);
    assert_eq!(
        gt.app
            .case(&saved.reference)
            .expect("old")
            .case
            .id
            .to_string(),
        saved.id
    );
    // A second renumbering keeps both earlier references, oldest first.
    let again = gt.app.renumber_case(&saved.id).expect("renumber");
    let view = gt.app.case(&again.reference).expect("view");
    assert_eq!(
        view.case.former_references,
        vec![saved.reference.clone(), renumbered.reference.clone()]
    );
    for r in [&saved.reference, &renumbered.reference] {
        assert_eq!(gt.app.case(r).expect("old").case.id.to_string(), saved.id);
    }
}

/// Two nodes of one country renumber the same case apart: one new
/// reference wins the merge, and the other still finds the case, on both
/// nodes (its index counts it among the former references), also after a
/// reindex and after the next edit.
#[test]
fn a_case_renumbered_by_two_nodes_apart_is_found_by_both_new_references() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let saved = regional(&mut hub, "Renumerada dos veces");
    sync(&mut laptop, &mut hub);
    let by_hub = hub.app.renumber_case(&saved.id).expect("hub renumbers");
    let by_laptop = laptop
        .app
        .renumber_case(&saved.id)
        .expect("laptop renumbers");
    assert_ne!(by_hub.reference, by_laptop.reference);
    sync(&mut laptop, &mut hub);
    let found = |n: &mut Node, r: &str| n.app.case(r).map(|v| v.case.id.to_string());
    for n in [&mut hub, &mut laptop] {
        for r in [&saved.reference, &by_hub.reference, &by_laptop.reference] {
            assert_eq!(
                found(n, r).ok().as_deref(),
                Some(saved.id.as_str()),
                "{} {r}",
                n.name
            );
        }
    }
    // The case shows the one that lost with its former references.
    let view = hub.app.case(&saved.id).expect("view");
    let shown: Vec<&String> = [&by_hub.reference, &by_laptop.reference]
        .into_iter()
        .filter(|r| **r != view.case.reference)
        .collect();
    assert_eq!(shown.len(), 1);
    assert!(view.case.former_references.contains(shown[0]), "{view:?}");
    // A reindex and an ordinary edit keep it so.
    hub.app.reindex(&mut |_, _| {}).expect("reindex");
    hub.app
        .update_case(&saved.id, &json!({"summary": "Editado después"}))
        .expect("edit");
    for r in [&by_hub.reference, &by_laptop.reference] {
        assert_eq!(
            found(&mut hub, r).ok().as_deref(),
            Some(saved.id.as_str()),
            "{r}"
        );
    }
}

#[test]
fn a_task_code_two_nodes_gave_apart_names_both_until_one_is_changed() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Tecún Umán");
    pair(&mut laptop, &mut hub);
    let task = |title: &str| {
        enlace_domain::input::from_value::<crate::plan::TaskInput>(json!({
            "code": "4.1.1", "component": "training", "output": "4.1",
            "title": {"es": title}, "country": "GT", "due": "2099-01-01"
        }))
        .expect("input")
    };
    let a = hub
        .app
        .create_task(task("Taller en la capital"))
        .expect("hub");
    let b = laptop
        .app
        .create_task(task("Taller en la frontera"))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    for n in [&mut hub, &mut laptop] {
        let e = n
            .app
            .update_task("4.1.1", &json!({"progress": 10}))
            .expect_err("which one?");
        assert_eq!(e.code(), ErrorCode::Ambiguous);
        let mut ids: Vec<&str> = e.candidates().iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let mut want = vec![a.id.as_str(), b.id.as_str()];
        want.sort_unstable();
        assert_eq!(ids, want);
    }
    // By id, one of them gets another code; then the code names one task.
    laptop
        .app
        .update_task(&b.id, &json!({"code": "4.1.2"}))
        .expect("recode");
    sync(&mut laptop, &mut hub);
    for n in [&mut hub, &mut laptop] {
        let saved = n
            .app
            .update_task("4.1.1", &json!({"progress": 10}))
            .expect("one");
        assert_eq!(saved.id, a.id);
    }
}
