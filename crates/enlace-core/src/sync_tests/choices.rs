//! Values two nodes gave one field apart are shown for a person to choose,
//! never a silent winner — in a task too.

use super::*;

#[test]
fn a_tasks_status_and_due_date_set_apart_are_shown_and_chosen_once() {
    let mut hub = node("GT", "Hub GT");
    let mut laptop = node("GT", "Fiscalía GT");
    pair(&mut laptop, &mut hub);
    let task = hub
        .app
        .create_task(
            serde_json::from_value(json!({
                "code": "3.1.1", "component": "network", "output": "3.1",
                "title": {"es": "Directorio"}, "country": "GT", "due": "2099-01-01"
            }))
            .expect("input"),
        )
        .expect("task");
    sync(&mut laptop, &mut hub);
    hub.app
        .update_task(&task.id, &json!({"status": "done", "progress": 100}))
        .expect("hub");
    laptop
        .app
        .update_task(&task.id, &json!({"status": "blocked", "due": "2099-03-01"}))
        .expect("laptop");
    sync(&mut laptop, &mut hub);
    for n in [&hub, &laptop] {
        let r = task_row(n, &task.id);
        let fields: Vec<&str> = r.conflicts.iter().map(|c| c.field.as_str()).collect();
        // Status was set to two values; the due date and progress by one
        // node each are not conflicts.
        assert_eq!(fields, vec!["status"], "{}", n.name);
        let mut values: Vec<String> = r.conflicts[0]
            .values
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_owned())
            .collect();
        values.sort();
        assert_eq!(values, vec!["blocked", "done"]);
        assert_eq!(r.task.due.to_string(), "2099-03-01");
        assert_eq!(r.task.progress, 100);
    }
    // Another field is refused; the choice is a change carried by sync.
    assert!(
        laptop
            .app
            .choose_task_value(&task.id, "title", &json!({"es": "x"}))
            .is_err()
    );
    let chosen = laptop
        .app
        .choose_task_value("3.1.1", "status", &json!("blocked"))
        .expect("choose");
    assert_eq!(chosen.changed, vec!["status"]);
    sync(&mut laptop, &mut hub);
    for n in [&hub, &laptop] {
        let r = task_row(n, &task.id);
        assert!(r.conflicts.is_empty(), "{}: {:?}", n.name, r.conflicts);
        assert_eq!(r.task.status, TaskStatus::Blocked);
        let h = n.app.task_history(&task.id).expect("history");
        assert_eq!(h.last().map(|e| e.action.as_str()), Some("resolve"));
    }
}
