//! `enlace plan`: the Regional Plan of Action's tasks.

use std::path::Path;

use enlace_core::CoreError;
use enlace_domain::Lang;

use crate::args::PlanCommand;
use crate::common::{Outcome, open, read_json};
use crate::output;

pub fn run(command: PlanCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        PlanCommand::List {
            scope,
            component,
            status,
            overdue,
            responsible,
            json,
        } => {
            let app = open(dir, lang, user)?;
            let view = app.plan(&enlace_core::PlanFilter {
                scope,
                component,
                status,
                overdue_only: overdue,
                responsible,
            })?;
            output::plan(&view, lang, json);
        }
        PlanCommand::Add { input, print_json } => {
            let value = read_json(&input)?;
            let task: enlace_core::TaskInput =
                enlace_domain::input::from_value(value).map_err(CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.create_task(task)?;
            output::task_saved(&saved, lang, print_json, "cli-task-created");
        }
        PlanCommand::Update {
            task,
            input,
            print_json,
        } => {
            let patch = read_json(&input)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.update_task(&task, &patch)?;
            let key = if saved.changed.is_empty() {
                "cli-task-unchanged"
            } else {
                "cli-task-updated"
            };
            output::task_saved(&saved, lang, print_json, key);
        }
        PlanCommand::Choose { task, field, value } => {
            let value: serde_json::Value =
                enlace_domain::input::parse_json(&value).map_err(enlace_core::CoreError::from)?;
            let mut app = open(dir, lang, user)?;
            let saved = app.choose_task_value(&task, &field, &value)?;
            let key = if saved.changed.is_empty() {
                "cli-task-unchanged"
            } else {
                "cli-task-updated"
            };
            output::task_saved(&saved, lang, false, key);
        }
        PlanCommand::History { task, json } => {
            let app = open(dir, lang, user)?;
            output::history(&app.task_history(&task)?, lang, json);
        }
    }
    Ok(())
}
