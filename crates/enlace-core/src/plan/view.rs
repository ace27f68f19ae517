//! The plan as people look at it: tasks matching a filter, each with what
//! it waits for, and roll-ups per output, component and country.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use enlace_domain::enums::Closed;
use enlace_domain::text::fold;
use enlace_domain::{Component, DocKind, PlanTask, TaskStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::parse_participating;
use crate::{App, FieldConflict, Result, edit};

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
    /// Fields where nodes wrote different values apart (one of
    /// [`crate::plan::TASK_CHOOSABLE`]; `item` empty): for a person to choose.
    pub conflicts: Vec<FieldConflict>,
    pub overdue: bool,
    /// Codes (or titles) of the unfinished tasks it waits for.
    pub waiting_for: Vec<String>,
    pub editable: bool,
    pub updated_at: String,
    /// The task's heads as read: what its editor sends as `base`.
    pub heads: Vec<String>,
}

/// A task as this node holds it.
pub(crate) struct Held {
    pub(crate) task: PlanTask,
    pub(crate) updated_at: String,
    pub(crate) heads: Vec<String>,
    /// The values nodes gave its choosable fields apart.
    pub(crate) conflicts: Vec<FieldConflict>,
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
    mut rows: Vec<(Held, bool)>,
    all: &HashMap<Uuid, PlanTask>,
    today: NaiveDate,
) -> PlanView {
    rows.sort_by(|(a, _), (b, _)| {
        let (a, b) = (&a.task, &b.task);
        (a.component, &a.output, &a.code, &a.title.es).cmp(&(
            b.component,
            &b.output,
            &b.code,
            &b.title.es,
        ))
    });
    let tasks: Vec<&PlanTask> = rows.iter().map(|r| &r.0.task).collect();
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
        .map(|(held, editable)| {
            let Held {
                task,
                updated_at,
                heads,
                conflicts,
            } = held;
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
                conflicts,
                task,
                waiting_for,
                editable,
                updated_at,
                heads,
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
    pub(crate) fn all_tasks(&self) -> Result<Vec<(PlanTask, String)>> {
        Ok(self
            .held_tasks()?
            .into_iter()
            .map(|h| (h.task, h.updated_at))
            .collect())
    }

    /// Every task this node holds.
    fn held_tasks(&self) -> Result<Vec<Held>> {
        let mut out = vec![];
        for row in self.store.read().docs_of_kind(DocKind::PlanTask)? {
            let (task, doc) = edit::from_row::<PlanTask>(&row, &self.node.actor)?;
            let conflicts = crate::views::field_conflicts(&doc, super::TASK_CHOOSABLE)?;
            out.push(Held {
                task,
                updated_at: row.updated_at,
                heads: serde_json::from_str(&row.heads).unwrap_or_default(),
                conflicts,
            });
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
        let all = self.held_tasks()?;
        let by_id: HashMap<Uuid, PlanTask> =
            all.iter().map(|h| (h.task.id, h.task.clone())).collect();
        let rows = all
            .into_iter()
            .filter(|h| matches(&h.task, filter, today))
            .map(|h| {
                let editable = h.task.owner.country == self.node.country;
                (h, editable)
            })
            .collect();
        Ok(view(rows, &by_id, today))
    }
}
