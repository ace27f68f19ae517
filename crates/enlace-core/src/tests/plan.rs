//! The Plan of Action: tasks, roll-ups, the demonstration plan.

use super::*;

#[test]
fn plan_tasks_create_update_rollups_filters_and_ownership() {
    let (d, mut app) = app();
    let a = app
        .create_task(task_input(json!({
            "code": "1.3.1", "component": "cooperation", "output": "1.3 Marco jurídico armonizado",
            "title": {"es": "Evaluación legal de Guatemala", "en": "Legal assessment of Guatemala"},
            "country": "GT", "agency": "Ministerio Público", "responsible": "José Núñez Ávila",
            "due": "2020-01-31", "status": "in_progress", "progress": 40
        })))
        .expect("create national");
    let b = app
        .create_task(task_input(json!({
            "code": "1.3.8", "component": "cooperation", "output": "1.3 Marco jurídico armonizado",
            "title": {"es": "Reunión regional de armonización"},
            "due": "2099-06-30", "depends_on": [a.id], "kind": "consultation"
        })))
        .expect("create regional");
    // Another country's national task cannot be created here.
    let e = app
        .create_task(task_input(json!({
            "component": "training", "output": "2.2", "title": {"es": "Taller"},
            "country": "HN", "due": "2099-01-01"
        })))
        .expect_err("not ours");
    assert_eq!(e.code(), ErrorCode::Forbidden);
    // A dependency on a task that does not exist is refused, naming the field.
    let e = app
        .create_task(task_input(json!({
            "component": "training", "output": "2.2", "title": {"es": "Taller"},
            "due": "2099-01-01", "depends_on": [uuid::Uuid::new_v4()]
        })))
        .expect_err("unknown dependency");
    assert_eq!(e.issues()[0].path, "depends_on[0]");

    let all = app.plan(&PlanFilter::default()).expect("plan");
    assert_eq!(all.tasks.len(), 2);
    let first = &all.tasks[0];
    assert_eq!(first.task.code, "1.3.1");
    assert!(first.overdue, "due in 2020 and still open");
    assert_eq!(all.tasks[1].waiting_for, vec!["1.3.1".to_owned()]);
    assert_eq!(all.overall.overdue, 1);
    assert_eq!(all.overall.progress, 20, "(40 + 0) / 2");
    let coop = all
        .components
        .iter()
        .find(|c| c.component == Some(Component::Cooperation))
        .expect("component");
    assert_eq!(coop.tasks, 2);
    assert_eq!(all.outputs.len(), 1);
    assert_eq!(all.countries.len(), 2, "GT and regional");

    // Filters: scope, overdue, responsible without accents.
    let gt = app
        .plan(&PlanFilter {
            scope: Some("GT".into()),
            ..Default::default()
        })
        .expect("gt");
    assert_eq!(gt.tasks.len(), 1);
    let regional = app
        .plan(&PlanFilter {
            scope: Some("regional".into()),
            ..Default::default()
        })
        .expect("regional");
    assert_eq!(regional.tasks[0].task.code, "1.3.8");
    let by_person = app
        .plan(&PlanFilter {
            responsible: Some("nunez".into()),
            overdue_only: true,
            ..Default::default()
        })
        .expect("nunez");
    assert_eq!(by_person.tasks.len(), 1);
    assert!(matches!(
        app.plan(&PlanFilter {
            scope: Some("XX".into()),
            ..Default::default()
        }),
        Err(CoreError::Country(_))
    ));

    // Update by code; the dependency is then satisfied.
    let saved = app
        .update_task("1.3.1", &json!({"status": "done", "progress": 100}))
        .expect("update");
    assert!(saved.changed.contains(&"status".to_owned()));
    let all = app.plan(&PlanFilter::default()).expect("plan");
    assert!(all.tasks[1].waiting_for.is_empty());
    assert_eq!(all.overall.overdue, 0);
    assert!(matches!(
        app.update_task(&b.id, &json!({"country": "HN"})),
        Err(CoreError::Patch { .. })
    ));
    let e = app
        .update_task(&b.id, &json!({"progress": 250}))
        .expect_err("progress");
    assert!(e.message(Lang::Es).contains("progress"));
    let h = app.task_history("1.3.1").expect("history");
    assert_eq!(h.len(), 2);
    assert!(h[1].fields.contains(&"status".to_owned()));

    // The sheet: a PDF with the tasks, in the exports audit.
    let out = d.path().join("hoja.pdf");
    app.plan_status_pdf(
        &SheetScope::Country(CountryCode::parse("GT").expect("GT")),
        &out,
        Lang::Es,
        Paper::Letter,
    )
    .expect("pdf");
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF"));
}

#[test]
fn the_demo_plan_has_about_sixty_tasks_some_overdue_and_blocked() {
    let (_d, mut app) = app();
    let s = app.load_demo(&mut |_, _| {}).expect("demo");
    assert!((50..=70).contains(&s.tasks), "{}", s.tasks);
    let p = app.plan(&PlanFilter::default()).expect("plan");
    assert!(p.overall.overdue >= 5, "{}", p.overall.overdue);
    assert!(p.counts.blocked >= 1 && p.counts.done >= 5 && p.counts.not_started >= 5);
    assert_eq!(
        p.countries.len(),
        8,
        "seven countries and the regional tasks"
    );
    assert!(p.tasks.iter().all(|t| t.task.demo));
    assert!(p.tasks.iter().any(|t| !t.waiting_for.is_empty()));
    assert!(p.tasks.iter().any(|t| !t.task.participants.is_empty()));
    let editable: std::collections::HashSet<String> = p
        .tasks
        .iter()
        .filter(|t| t.editable)
        .map(|t| {
            t.task
                .country
                .as_ref()
                .map_or("regional".into(), |c| c.to_string())
        })
        .collect();
    assert_eq!(
        editable,
        ["GT", "regional"].into_iter().map(String::from).collect()
    );
    assert_eq!(app.load_demo(&mut |_, _| {}).expect("again").tasks, 0);
}

#[test]
fn a_task_code_another_task_has_is_refused_in_any_case() {
    let (_d, mut app) = app();
    let task = |code: &str| {
        task_input(json!({
            "code": code, "component": "training", "output": "2.2",
            "title": {"es": "Taller de Núñez"}, "due": "2099-01-01"
        }))
    };
    let first = app.create_task(task("2.2.1")).expect("first");
    let e = app.create_task(task("2.2.1")).expect_err("taken");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert_eq!(
        (e.issues()[0].path.as_str(), e.issues()[0].code.as_str()),
        ("code", "val-plan-code-taken")
    );
    assert!(
        e.message(Lang::Es).contains("2.2.1"),
        "{}",
        e.message(Lang::Es)
    );
    // Letters in any case are one code.
    app.create_task(task("2.2.a")).expect("new code");
    assert!(app.create_task(task("2.2.A")).is_err());
    // Twice in one batch: the second is named, nothing is created.
    let before = app.plan(&PlanFilter::default()).expect("plan").tasks.len();
    let e = app
        .create_tasks(vec![task("2.2.7"), task("2.2.7")])
        .expect_err("twice in a batch");
    assert_eq!(e.issues()[0].path, "[1].code");
    assert_eq!(
        app.plan(&PlanFilter::default()).expect("plan").tasks.len(),
        before
    );
    // A patch to a taken code is refused; keeping its own is not a clash.
    let second = app.create_task(task("2.2.2")).expect("second");
    let e = app
        .update_task(&second.id, &json!({"code": "2.2.1"}))
        .expect_err("taken");
    assert_eq!(e.issues()[0].code, "val-plan-code-taken");
    app.update_task(&first.id, &json!({"code": "2.2.1", "progress": 10}))
        .expect("its own code");
    app.update_task("2.2.2", &json!({"code": "2.2.3"}))
        .expect("free code");
    assert_eq!(
        app.update_task("2.2.3", &json!({"progress": 20}))
            .expect("by new code")
            .id,
        second.id
    );
}
