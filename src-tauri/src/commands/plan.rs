//! The Plan of Action: the plan view, tasks, their history, and the
//! status sheet.

use enlace_core::{
    HistoryEntry, ItemChange, Paper, PlanFilter, PlanView, SheetScope, TaskInput, TaskSaved,
};
use tauri::State;

use super::exports::{ExportedFile, chrono_stamp, ensure_exports};
use crate::error::IpcResult;
use crate::shell::Shell;

#[tauri::command(async)]
pub(crate) fn task_changes(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.task_changes(&key))
}

#[tauri::command(async)]
pub(crate) fn plan(shell: State<'_, Shell>, filter: PlanFilter) -> IpcResult<PlanView> {
    shell.with_app(|a| a.plan(&filter))
}

/// Takes JSON (not `TaskInput`) so a malformed field comes back as a typed
/// error naming it, in the user's language, rather than Tauri's string.
#[tauri::command(async)]
pub(crate) fn create_task(
    shell: State<'_, Shell>,
    input: serde_json::Value,
) -> IpcResult<TaskSaved> {
    shell.with_app(|a| {
        let input: TaskInput = enlace_domain::input::from_value(input)?;
        a.create_task(input)
    })
}

#[tauri::command(async)]
pub(crate) fn update_task(
    shell: State<'_, Shell>,
    key: String,
    patch: serde_json::Value,
    heads: Option<Vec<String>>,
) -> IpcResult<TaskSaved> {
    shell.with_app(|a| a.update_task_from(&key, &patch, heads.as_deref()))
}

/// Records the user's choice between concurrent values of a task field.
#[tauri::command(async)]
pub(crate) fn choose_task_value(
    shell: State<'_, Shell>,
    key: String,
    field: String,
    value: serde_json::Value,
) -> IpcResult<TaskSaved> {
    shell.with_app(|a| a.choose_task_value(&key, &field, &value))
}

#[tauri::command(async)]
pub(crate) fn task_history(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<HistoryEntry>> {
    shell.with_app(|a| a.task_history(&key))
}

/// Writes the plan status sheet (a country's, or the region's when
/// `country` is absent) to the exports folder.
#[tauri::command(async)]
pub(crate) fn export_plan_status(
    shell: State<'_, Shell>,
    country: Option<String>,
    letter: bool,
) -> IpcResult<ExportedFile> {
    let lang = shell.lang();
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    shell.with_app(|a| {
        let scope = match country.as_deref() {
            Some(c) => SheetScope::Country(enlace_core::parse_participating(c)?),
            None => SheetScope::Region,
        };
        let name = match &scope {
            SheetScope::Country(c) => c.to_string(),
            SheetScope::Region => enlace_domain::tr(lang, "file-region"),
        };
        let path = dir.join(format!(
            "{}-{name}-{stamp}.pdf",
            enlace_domain::tr(lang, "file-plan-status")
        ));
        let paper = if letter { Paper::Letter } else { Paper::A4 };
        let bytes = a.plan_status_pdf(&scope, &path, lang, paper)?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}
