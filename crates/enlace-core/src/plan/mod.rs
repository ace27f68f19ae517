//! The Regional Plan of Action: `plan_task` documents (one per task), the
//! plan view with roll-ups (per output, component, country), filters, task
//! creation and merge-patch edits (owner country only), history, and the
//! printable status sheet.

mod sheet;
mod view;

pub use sheet::SheetScope;
pub use view::*;

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use enlace_docs::HistoryEntry;
use enlace_domain::input::InputError;
use enlace_domain::plan::validate_task;
use enlace_domain::validate::has_errors;
use enlace_domain::{
    Component, CountryCode, DocKind, Issue, LocalText, PlanIndicator, PlanTask, SectorCount,
    Severity, TaskKind, TaskStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::edit::{self, Author, Change, New, Rule, Validation};
use crate::{App, Candidate, CoreError, ItemChange, Result, history};

/// Task fields whose concurrent values the plan shows for a person to
/// choose: what a meeting reads off the status sheet.
pub const TASK_CHOOSABLE: &[&str] = &["status", "progress", "start", "due", "responsible"];

/// Fields a patch may not change: the document's identity and scope.
pub(crate) const TASK_PROTECTED: &[&str] = &["id", "owner", "audience", "country", "demo"];

/// A new task, as scripts and the app give it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TaskInput {
    #[serde(default)]
    pub code: String,
    pub component: Component,
    pub output: String,
    pub title: LocalText,
    #[serde(default)]
    pub description: LocalText,
    /// A national task's country; none for a regional task.
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    #[ts(type = "string | null", optional)]
    pub start: Option<NaiveDate>,
    #[ts(type = "string")]
    pub due: NaiveDate,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub progress: u8,
    #[serde(default)]
    pub indicators: Vec<PlanIndicator>,
    #[serde(default)]
    #[ts(type = "string[]")]
    pub depends_on: Vec<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<TaskKind>,
    #[serde(default)]
    pub participants: Vec<SectorCount>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub demo: bool,
}

/// The result of creating or changing a task.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TaskSaved {
    pub id: String,
    pub code: String,
    pub changed: Vec<String>,
    pub issues: Vec<Issue>,
    /// What the editor sends as `base` with its next change.
    pub heads: Vec<String>,
}

impl App {
    fn resolve_task(&self, key: &str) -> Result<String> {
        let key = key.trim();
        if let Ok(u) = Uuid::parse_str(key) {
            if let Some(row) = self.store.read().doc(&u.to_string())?
                && row.kind == DocKind::PlanTask
            {
                return Ok(row.id);
            }
        } else {
            let all: Vec<PlanTask> = self.all_tasks()?.into_iter().map(|(t, _)| t).collect();
            return resolve_among(&all, key);
        }
        Err(CoreError::NotFound {
            what: key.to_owned(),
        })
    }

    /// Creates a task (national when it names a country, else regional).
    /// A national task may only be created by that country's nodes.
    pub fn create_task(&mut self, input: TaskInput) -> Result<TaskSaved> {
        let mut saved = self.create_tasks(vec![input])?;
        saved
            .pop()
            .ok_or_else(|| CoreError::Internal("no task was created".into()))
    }

    /// Creates tasks in one transaction (all or none).
    pub fn create_tasks(&mut self, inputs: Vec<TaskInput>) -> Result<Vec<TaskSaved>> {
        let today = Utc::now().date_naive();
        let batch = inputs.len() > 1;
        let mut prepared = vec![];
        for (n, input) in inputs.into_iter().enumerate() {
            let t = self.task_from_input(input)?;
            let mut issues = validate_task(&t, today);
            if has_errors(&issues) {
                if batch {
                    for i in &mut issues {
                        i.path = format!("[{n}].{}", i.path);
                    }
                }
                return Err(CoreError::Invalid(issues));
            }
            prepared.push((t, issues));
        }
        let known: std::collections::HashSet<Uuid> = prepared.iter().map(|(t, _)| t.id).collect();
        let held: Vec<PlanTask> = self.all_tasks()?.into_iter().map(|(t, _)| t).collect();
        let mut taken = codes_but(&held, None);
        for (n, (t, _)) in prepared.iter().enumerate() {
            check_dependencies(&self.store.read(), t, &known)?;
            let path = if batch {
                format!("[{n}].code")
            } else {
                "code".into()
            };
            claim_code(&mut taken, &t.code, path)?;
        }
        self.store_tasks(prepared, "create")
    }

    fn task_from_input(&self, i: TaskInput) -> Result<PlanTask> {
        if let Some(c) = &i.country
            && c != &self.node.country
        {
            return Err(CoreError::NotOwner {
                country: c.to_string(),
            });
        }
        let audience = PlanTask::audience_for(i.country.as_ref());
        Ok(PlanTask {
            id: Uuid::new_v4(),
            code: i.code.trim().to_owned(),
            component: i.component,
            output: i.output.trim().to_owned(),
            title: i.title,
            description: i.description,
            country: i.country,
            agency: i.agency,
            responsible: i.responsible,
            start: i.start,
            due: i.due,
            status: i.status.unwrap_or(TaskStatus::NotStarted),
            progress: i.progress,
            indicators: i.indicators,
            depends_on: i.depends_on,
            kind: i.kind.unwrap_or(TaskKind::Task),
            participants: i.participants,
            notes: i.notes,
            owner: self.node.owner(),
            audience,
            demo: i.demo,
        })
    }

    /// Stores new tasks (already validated) in one transaction.
    pub(crate) fn store_tasks(
        &mut self,
        tasks: Vec<(PlanTask, Vec<Issue>)>,
        action: &str,
    ) -> Result<Vec<TaskSaved>> {
        let author = Author::new(&self.node, self.by(), self.session.role);
        self.store.write(|tx| {
            let mut out = vec![];
            for (t, issues) in tasks {
                let new = New {
                    action,
                    fields: None,
                    issues: &issues,
                };
                let heads = edit::create(tx, &author, &t, new)?;
                out.push(TaskSaved {
                    id: t.id.to_string(),
                    code: t.code.clone(),
                    changed: vec![],
                    issues,
                    heads,
                });
            }
            Ok(out)
        })
    }

    /// Applies a JSON merge patch to a task (by id or code). Only the owner
    /// country's nodes change a task; its scope and identity never change.
    pub fn update_task(&mut self, key: &str, patch: &Value) -> Result<TaskSaved> {
        self.update_task_from(key, patch, None)
    }

    /// [`update_task`](App::update_task) from an editor that read the task
    /// at `base` (its `heads` then, or its last save's): made on the task
    /// as it read it and merged, so what sync brought since is kept.
    pub fn update_task_from(
        &mut self,
        key: &str,
        patch: &Value,
        base: Option<&[String]>,
    ) -> Result<TaskSaved> {
        let Value::Object(fields) = patch else {
            return Err(CoreError::Input(InputError {
                path: String::new(),
                detail: "a merge patch must be a JSON object".into(),
            }));
        };
        for f in TASK_PROTECTED {
            if fields.contains_key(*f) {
                return Err(CoreError::Patch {
                    field: (*f).to_owned(),
                    key: "err-patch-immutable",
                });
            }
        }
        // One read of every task: the one named (by id or code) and the
        // codes the others hold.
        let all: Vec<PlanTask> = self.all_tasks()?.into_iter().map(|(t, _)| t).collect();
        let id = resolve_among(&all, key)?;
        let mut taken = codes_but(&all, Uuid::parse_str(&id).ok());
        self.change_task(&id, key, "update", base, |_, task| {
            let patched: PlanTask = edit::patched(&*task, patch)??;
            if !patched.code.eq_ignore_ascii_case(&task.code) {
                claim_code(&mut taken, &patched.code, "code".into())?;
            }
            *task = patched;
            Ok(())
        })
    }

    /// Records the choice between concurrent values of one of a task's
    /// [`TASK_CHOOSABLE`] fields: the value is written again, superseding
    /// every other one on every node.
    pub fn choose_task_value(
        &mut self,
        key: &str,
        field: &str,
        value: &Value,
    ) -> Result<TaskSaved> {
        edit::choosable(field, TASK_CHOOSABLE)?;
        let id = self.resolve_task(key)?;
        self.change_task(&id, key, "resolve", None, |e, task| {
            *task = edit::with_field(&*task, field, value)?;
            e.choose(&[field], field.to_owned(), value)
        })
    }

    /// One change of task `id` (named `key` by the user), through the edit
    /// path, in one transaction.
    fn change_task(
        &mut self,
        id: &str,
        key: &str,
        action: &str,
        base: Option<&[String]>,
        f: impl FnOnce(&mut edit::Editing<'_>, &mut PlanTask) -> Result<()>,
    ) -> Result<TaskSaved> {
        let author = Author::new(&self.node, self.by(), self.session.role);
        self.store.write(|tx| {
            let change = Change {
                id,
                shown_as: key,
                action,
                rule: Rule::Owner,
                base,
                validation: Validation::Refuse,
                or_new: None,
            };
            let saved = edit::edit(tx, &author, change, f)?;
            Ok(TaskSaved {
                id: saved.id,
                code: saved.value.code,
                changed: saved.changed,
                issues: saved.issues,
                heads: saved.heads,
            })
        })
    }

    /// A task's change history, oldest first.
    pub fn task_history(&self, key: &str) -> Result<Vec<HistoryEntry>> {
        let id = self.resolve_task(key)?;
        Ok(self.load_doc(&id, key)?.history())
    }

    /// A task's changes with the old and new value of each field.
    pub fn task_changes(&self, key: &str) -> Result<Vec<ItemChange>> {
        let id = self.resolve_task(key)?;
        let mut doc = self.load_doc(&id, key)?;
        history::changes_with_values(&mut doc, |f| Some(vec![f.to_owned()]))
    }
}

/// A participating country, or an error naming the allowed ones.
pub fn parse_participating(s: &str) -> Result<CountryCode> {
    CountryCode::parse(s)
        .filter(CountryCode::is_participating)
        .ok_or_else(|| CoreError::Country(s.to_owned()))
}

/// The codes (upper case) of `tasks`, but `except`'s.
fn codes_but(tasks: &[PlanTask], except: Option<Uuid>) -> HashSet<String> {
    tasks
        .iter()
        .filter(|t| Some(t.id) != except && !t.code.is_empty())
        .map(|t| t.code.to_uppercase())
        .collect()
}

/// The task of `tasks` that `key` names: by id, or by a code only it has.
/// A code two nodes gave apart lists both, never picks one.
fn resolve_among(tasks: &[PlanTask], key: &str) -> Result<String> {
    let key = key.trim();
    let found: Vec<&PlanTask> = match Uuid::parse_str(key) {
        Ok(u) => tasks.iter().filter(|t| t.id == u).collect(),
        Err(_) => tasks
            .iter()
            .filter(|t| !t.code.is_empty() && t.code.eq_ignore_ascii_case(key))
            .collect(),
    };
    match found.as_slice() {
        [] => Err(CoreError::NotFound {
            what: key.to_owned(),
        }),
        [one] => Ok(one.id.to_string()),
        several => Err(CoreError::Ambiguous {
            what: key.to_owned(),
            candidates: several
                .iter()
                .map(|t| Candidate {
                    id: t.id.to_string(),
                    label: format!(
                        "{} — {} ({})",
                        t.code,
                        t.title.es,
                        t.country.as_ref().map_or("regional", |c| c.as_str())
                    ),
                })
                .collect(),
        }),
    }
}

/// Takes `code` for a task, refused when another task this node holds (or
/// one earlier in the same batch) has it. Nodes that never talk may still
/// both give one code offline: then a lookup by it lists both, and either
/// is given another code by a patch.
fn claim_code(taken: &mut HashSet<String>, code: &str, path: String) -> Result<()> {
    if code.is_empty() || taken.insert(code.to_uppercase()) {
        return Ok(());
    }
    Err(CoreError::Invalid(vec![Issue {
        path,
        code: "val-plan-code-taken".into(),
        severity: Severity::Error,
        args: vec![("value".into(), code.to_owned())],
    }]))
}

/// Checks that every dependency names a task this node holds (except those
/// in `also`, created in the same transaction).
pub(crate) fn check_dependencies(
    read: &enlace_store::Read<'_>,
    t: &PlanTask,
    also: &std::collections::HashSet<Uuid>,
) -> Result<()> {
    let mut issues = vec![];
    for (n, d) in t.depends_on.iter().enumerate() {
        let ok = also.contains(d)
            || read
                .doc(&d.to_string())?
                .is_some_and(|r| r.kind == DocKind::PlanTask);
        if !ok {
            issues.push(Issue {
                path: format!("depends_on[{n}]"),
                code: "val-plan-unknown-dependency".into(),
                severity: Severity::Error,
                args: vec![("value".into(), d.to_string())],
            });
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Invalid(issues))
    }
}
