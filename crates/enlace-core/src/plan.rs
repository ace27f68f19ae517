//! The Regional Plan of Action: `plan_task` documents (one per task), the
//! plan view with roll-ups (per output, component, country), filters, task
//! creation and merge-patch edits (owner country only), history, and the
//! printable status sheet.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, Utc};
use enlace_docs::{Document, HistoryEntry};
use enlace_domain::enums::Closed;
use enlace_domain::input::{InputError, from_value, merge_patch};
use enlace_domain::plan::validate_task;
use enlace_domain::text::fold;
use enlace_domain::validate::has_errors;
use enlace_domain::{
    Component, CountryCode, Issue, Lang, LocalText, PlanIndicator, PlanTask, SectorCount, Severity,
    TaskKind, TaskStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::legal::write_atomically;
use crate::{App, CoreError, Result, commit_and_persist, now_string};

/// The document kind in the store.
pub(crate) const KIND: &str = "plan_task";

/// Fields a patch may not change: the document's identity and scope.
const TASK_PROTECTED: &[&str] = &["id", "owner", "audience", "country", "demo"];

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

/// Which tasks to show.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct PlanFilter {
    /// A country code (its national tasks), `regional`, or none for all.
    #[serde(default)]
    #[ts(optional)]
    pub scope: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub component: Option<Component>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<TaskStatus>,
    #[serde(default)]
    pub overdue_only: bool,
    /// Words found in the agency or the person responsible (accents ignored).
    #[serde(default)]
    #[ts(optional)]
    pub responsible: Option<String>,
}

/// One task in the plan view.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TaskRow {
    pub task: PlanTask,
    pub overdue: bool,
    /// Codes (or titles) of the unfinished tasks it waits for.
    pub waiting_for: Vec<String>,
    pub editable: bool,
    pub updated_at: String,
}

/// Progress of a group of tasks.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct Rollup {
    /// The component wire name, the output, or the country code (`regional`).
    pub key: String,
    #[ts(optional)]
    pub component: Option<Component>,
    pub tasks: u32,
    pub done: u32,
    pub overdue: u32,
    pub blocked: u32,
    /// Mean progress of the tasks not cancelled (done counts 100), 0-100.
    pub progress: u32,
}

/// Counts by status.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct StatusCounts {
    pub not_started: u32,
    pub in_progress: u32,
    pub done: u32,
    pub blocked: u32,
    pub cancelled: u32,
}

/// The plan as the app and the status sheet show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PlanView {
    /// Sorted by component, output, code.
    pub tasks: Vec<TaskRow>,
    pub counts: StatusCounts,
    pub overall: Rollup,
    pub components: Vec<Rollup>,
    pub outputs: Vec<Rollup>,
    pub countries: Vec<Rollup>,
    #[ts(type = "string")]
    pub today: NaiveDate,
}

/// The result of creating or changing a task.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TaskSaved {
    pub id: String,
    pub code: String,
    pub changed: Vec<String>,
    pub issues: Vec<Issue>,
}

/// Whose tasks a status sheet covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetScope {
    Region,
    Country(CountryCode),
}

fn rollup(
    key: String,
    component: Option<Component>,
    tasks: &[&PlanTask],
    today: NaiveDate,
) -> Rollup {
    let live: Vec<&&PlanTask> = tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .collect();
    let sum: u32 = live
        .iter()
        .map(|t| {
            if t.status == TaskStatus::Done {
                100
            } else {
                u32::from(t.progress.min(100))
            }
        })
        .sum();
    Rollup {
        key,
        component,
        tasks: tasks.len() as u32,
        done: tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Done)
            .count() as u32,
        overdue: tasks.iter().filter(|t| t.is_overdue(today)).count() as u32,
        blocked: tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Blocked)
            .count() as u32,
        progress: if live.is_empty() {
            0
        } else {
            (sum + live.len() as u32 / 2) / live.len() as u32
        },
    }
}

/// The plan view of `tasks` (already filtered), as of `today`.
pub(crate) fn view(
    mut rows: Vec<(PlanTask, String, bool)>,
    all: &HashMap<Uuid, PlanTask>,
    today: NaiveDate,
) -> PlanView {
    rows.sort_by(|a, b| {
        (a.0.component, &a.0.output, &a.0.code, &a.0.title.es).cmp(&(
            b.0.component,
            &b.0.output,
            &b.0.code,
            &b.0.title.es,
        ))
    });
    let tasks: Vec<&PlanTask> = rows.iter().map(|r| &r.0).collect();
    let mut counts = StatusCounts::default();
    for t in &tasks {
        match t.status {
            TaskStatus::NotStarted => counts.not_started += 1,
            TaskStatus::InProgress => counts.in_progress += 1,
            TaskStatus::Done => counts.done += 1,
            TaskStatus::Blocked => counts.blocked += 1,
            TaskStatus::Cancelled => counts.cancelled += 1,
        }
    }
    let overall = rollup("all".into(), None, &tasks, today);
    let components = Component::all()
        .iter()
        .map(|c| {
            let of: Vec<&PlanTask> = tasks
                .iter()
                .copied()
                .filter(|t| t.component == *c)
                .collect();
            rollup(c.as_str().into(), Some(*c), &of, today)
        })
        .collect();
    let mut outputs: BTreeMap<(Component, String), Vec<&PlanTask>> = BTreeMap::new();
    let mut countries: BTreeMap<String, Vec<&PlanTask>> = BTreeMap::new();
    for t in &tasks {
        outputs
            .entry((t.component, t.output.clone()))
            .or_default()
            .push(t);
        countries
            .entry(
                t.country
                    .as_ref()
                    .map_or_else(|| "regional".to_owned(), ToString::to_string),
            )
            .or_default()
            .push(t);
    }
    let outputs = outputs
        .into_iter()
        .map(|((c, o), ts)| rollup(o, Some(c), &ts, today))
        .collect();
    let countries = countries
        .into_iter()
        .map(|(c, ts)| rollup(c, None, &ts, today))
        .collect();
    let rows = rows
        .into_iter()
        .map(|(task, updated_at, editable)| {
            let waiting_for = task
                .depends_on
                .iter()
                .filter_map(|d| all.get(d))
                .filter(|d| !matches!(d.status, TaskStatus::Done | TaskStatus::Cancelled))
                .map(|d| {
                    if d.code.is_empty() {
                        d.title.es.clone()
                    } else {
                        d.code.clone()
                    }
                })
                .collect();
            TaskRow {
                overdue: task.is_overdue(today),
                task,
                waiting_for,
                editable,
                updated_at,
            }
        })
        .collect();
    PlanView {
        tasks: rows,
        counts,
        overall,
        components,
        outputs,
        countries,
        today,
    }
}

fn matches(t: &PlanTask, f: &PlanFilter, today: NaiveDate) -> bool {
    if let Some(scope) = f.scope.as_deref().filter(|s| !s.is_empty()) {
        let ok = match t.country.as_ref() {
            None => scope.eq_ignore_ascii_case("regional"),
            Some(c) => c.as_str().eq_ignore_ascii_case(scope),
        };
        if !ok {
            return false;
        }
    }
    if f.component.is_some_and(|c| c != t.component) || f.status.is_some_and(|s| s != t.status) {
        return false;
    }
    if f.overdue_only && !t.is_overdue(today) {
        return false;
    }
    if let Some(words) = f.responsible.as_deref().filter(|w| !w.trim().is_empty()) {
        let hay = fold(&format!("{} {}", t.agency, t.responsible));
        if !fold(words).split_whitespace().all(|w| hay.contains(w)) {
            return false;
        }
    }
    true
}

impl App {
    /// Every task this node holds, by id, with its row's update time.
    fn all_tasks(&self) -> Result<Vec<(PlanTask, String)>> {
        let mut out = vec![];
        for row in self.store.read().docs_of_kind(KIND)? {
            let doc = Document::load(&row.bytes, self.node.actor.clone())?;
            out.push((doc.read::<PlanTask>(KIND)?, row.updated_at));
        }
        Ok(out)
    }

    /// The plan: tasks matching `filter`, with roll-ups.
    pub fn plan(&self, filter: &PlanFilter) -> Result<PlanView> {
        if let Some(s) = filter.scope.as_deref().filter(|s| !s.is_empty())
            && !s.eq_ignore_ascii_case("regional")
        {
            parse_participating(s)?;
        }
        let today = Utc::now().date_naive();
        let all = self.all_tasks()?;
        let by_id: HashMap<Uuid, PlanTask> = all.iter().map(|(t, _)| (t.id, t.clone())).collect();
        let rows = all
            .into_iter()
            .filter(|(t, _)| matches(t, filter, today))
            .map(|(t, at)| {
                let editable = t.owner.country == self.node.country;
                (t, at, editable)
            })
            .collect();
        Ok(view(rows, &by_id, today))
    }

    fn resolve_task(&self, key: &str) -> Result<String> {
        let key = key.trim();
        if let Ok(u) = Uuid::parse_str(key) {
            if let Some(row) = self.store.read().doc(&u.to_string())?
                && row.kind == KIND
            {
                return Ok(row.id);
            }
        } else {
            let found: Vec<String> = self
                .all_tasks()?
                .into_iter()
                .filter(|(t, _)| !t.code.is_empty() && t.code.eq_ignore_ascii_case(key))
                .map(|(t, _)| t.id.to_string())
                .collect();
            if found.len() == 1 {
                return Ok(found[0].clone());
            }
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
        for (t, _) in &prepared {
            check_dependencies(&self.store.read(), t, &known)?;
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
        let now = Utc::now();
        let at = now_string();
        let by = self.by();
        let node = &self.node;
        self.store.write(|tx| {
            let mut out = vec![];
            for (t, issues) in tasks {
                let mut doc = Document::new(node.actor.clone());
                let fields = doc.write(&t)?;
                commit_and_persist(
                    node,
                    tx,
                    &mut doc,
                    (&t.id.to_string(), KIND, &t.owner, &t.audience),
                    (&by, fields, action),
                    now,
                    &at,
                )?;
                out.push(TaskSaved {
                    id: t.id.to_string(),
                    code: t.code.clone(),
                    changed: vec![],
                    issues,
                });
            }
            Ok(out)
        })
    }

    /// Applies a JSON merge patch to a task (by id or code). Only the owner
    /// country's nodes change a task; its scope and identity never change.
    pub fn update_task(&mut self, key: &str, patch: &Value) -> Result<TaskSaved> {
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
        let id = self.resolve_task(key)?;
        let now = Utc::now();
        let at = now_string();
        let by = self.by();
        let node_country = self.node.country.clone();
        let node = &self.node;
        self.store.write(|tx| {
            let row = tx.read().doc(&id)?.ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
            let mut doc = Document::load(&row.bytes, node.actor.clone())?;
            let before: PlanTask = doc.read(KIND)?;
            if before.owner.country != node_country {
                return Err(CoreError::NotOwner {
                    country: before.owner.country.to_string(),
                });
            }
            let mut v =
                serde_json::to_value(&before).map_err(|e| CoreError::Internal(e.to_string()))?;
            merge_patch(&mut v, patch);
            let task: PlanTask = from_value(v)?;
            let issues = validate_task(&task, now.date_naive());
            if has_errors(&issues) {
                return Err(CoreError::Invalid(issues));
            }
            check_dependencies(&tx.read(), &task, &Default::default())?;
            let fields = doc.write(&task)?;
            if fields.is_empty() {
                return Ok(TaskSaved {
                    id: id.clone(),
                    code: task.code,
                    changed: vec![],
                    issues,
                });
            }
            commit_and_persist(
                node,
                tx,
                &mut doc,
                (&id, KIND, &task.owner, &task.audience),
                (&by, fields.clone(), "update"),
                now,
                &at,
            )?;
            Ok(TaskSaved {
                id: id.clone(),
                code: task.code,
                changed: fields,
                issues,
            })
        })
    }

    /// A task's change history, oldest first.
    pub fn task_history(&self, key: &str) -> Result<Vec<HistoryEntry>> {
        let id = self.resolve_task(key)?;
        Ok(self.load_doc(&id, key)?.history())
    }

    /// A task's changes with the old and new value of each field.
    pub fn task_changes(&self, key: &str) -> Result<Vec<crate::ItemChange>> {
        let id = self.resolve_task(key)?;
        let mut doc = self.load_doc(&id, key)?;
        crate::legal::changes_with_values(&mut doc, |f| Some(vec![f.to_owned()]))
    }

    /// Writes the plan status sheet for `scope` as PDF; returns its size.
    pub fn plan_status_pdf(
        &mut self,
        scope: &SheetScope,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        let filter = PlanFilter {
            scope: match scope {
                SheetScope::Region => None,
                SheetScope::Country(c) => Some(c.to_string()),
            },
            ..PlanFilter::default()
        };
        let plan = self.plan(&filter)?;
        let bytes = enlace_report::plan_status(&self.sheet_input(&plan, scope, lang, paper)?)?;
        write_atomically(out, &bytes)?;
        let by = self.by();
        let target = out.display().to_string();
        self.store
            .write(|tx| tx.audit(&now_string(), &by, "export", &target, "plan status pdf"))?;
        Ok(bytes.len() as u64)
    }

    /// The values the status sheet shows (the report crate reads values only).
    pub fn sheet_input(
        &self,
        plan: &PlanView,
        scope: &SheetScope,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<enlace_report::PlanSheet> {
        // "Data as of the last sync with …": the peer this node last synced
        // with successfully (either side asking), if any.
        let last_sync = self
            .store
            .read()
            .peers()?
            .into_iter()
            .filter_map(|p| p.last_success.map(|at| (at, p.name)))
            .max()
            .map(|(at, peer)| {
                let when = chrono::DateTime::parse_from_rfc3339(&at).map_or(at, |t| {
                    t.with_timezone(&Utc)
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string()
                });
                (peer, when)
            });
        Ok(enlace_report::PlanSheet {
            lang,
            paper,
            country: match scope {
                SheetScope::Region => None,
                SheetScope::Country(c) => Some(c.clone()),
            },
            today: plan.today,
            generated_at: Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            node: self.node.name.clone(),
            last_sync,
            tasks: plan
                .tasks
                .iter()
                .map(|r| enlace_report::SheetTask {
                    task: r.task.clone(),
                    overdue: r.overdue,
                    waiting_for: r.waiting_for.clone(),
                })
                .collect(),
            components: plan
                .components
                .iter()
                .map(|c| {
                    (
                        c.component.unwrap_or(Component::Cooperation),
                        c.progress,
                        c.tasks,
                    )
                })
                .collect(),
            done: plan.counts.done,
            in_progress: plan.counts.in_progress,
            not_started: plan.counts.not_started,
            blocked: plan.counts.blocked,
            cancelled: plan.counts.cancelled,
            overdue: plan.overall.overdue,
            progress: plan.overall.progress,
        })
    }
}

/// A participating country, or an error naming the allowed ones.
pub fn parse_participating(s: &str) -> Result<CountryCode> {
    CountryCode::parse(s)
        .filter(CountryCode::is_participating)
        .ok_or_else(|| CoreError::Country(s.to_owned()))
}

/// Checks that every dependency names a task this node holds (except those
/// in `also`, created in the same transaction).
fn check_dependencies(
    read: &enlace_store::Read<'_>,
    t: &PlanTask,
    also: &std::collections::HashSet<Uuid>,
) -> Result<()> {
    let mut issues = vec![];
    for (n, d) in t.depends_on.iter().enumerate() {
        let ok = also.contains(d) || read.doc(&d.to_string())?.is_some_and(|r| r.kind == KIND);
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
