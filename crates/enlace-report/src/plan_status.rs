//! The action-plan status sheet (portrait) that National Task Force
//! coordinators print for their monthly meeting: a header saying whose data
//! and as of when, a summary (counts by status, % complete, overdue, a bar
//! chart per component), then one table per component. Status is coloured
//! and in words, so it reads on a black-and-white printer; overdue and
//! blocked rows carry a mark and say so.

use chrono::NaiveDate;
use enlace_domain::enums::Closed;
use enlace_domain::{Component, CountryCode, Lang, PlanTask, TaskStatus, tr, tr_args};

use crate::ReportError;
use crate::layout::{BLACK, Cell, GREY, LIGHT, Pages, Paper, Rgb, Table, WHITE, Weight};

/// One task on the sheet.
#[derive(Debug, Clone)]
pub struct SheetTask {
    pub task: PlanTask,
    pub overdue: bool,
    /// Unfinished tasks it waits for (codes).
    pub waiting_for: Vec<String>,
}

/// Everything the sheet shows.
#[derive(Debug, Clone)]
pub struct PlanSheet {
    pub lang: Lang,
    pub paper: Paper,
    /// None: the whole region.
    pub country: Option<CountryCode>,
    pub today: NaiveDate,
    pub generated_at: String,
    pub node: String,
    /// (peer, when) of the last successful sync, if any.
    pub last_sync: Option<(String, String)>,
    /// Sorted by component, output, code.
    pub tasks: Vec<SheetTask>,
    /// (component, progress 0-100, number of tasks), in component order.
    pub components: Vec<(Component, u32, u32)>,
    /// Per National Task Force (None: the regional tasks), on the
    /// region's sheet: progress 0-100, tasks, overdue.
    pub countries: Vec<(Option<CountryCode>, u32, u32, u32)>,
    pub done: u32,
    pub in_progress: u32,
    pub not_started: u32,
    pub blocked: u32,
    pub cancelled: u32,
    pub overdue: u32,
    pub progress: u32,
    /// On this country's own sheet, for officials who may see risk
    /// assessments: victims whose risk review is overdue, and due within
    /// the week (counts only, never who).
    pub risk_reviews: Option<(u32, u32)>,
}

/// The fill of a status (light, so black text reads on it).
pub fn status_fill(s: TaskStatus) -> Rgb {
    match s {
        TaskStatus::NotStarted => WHITE,
        TaskStatus::InProgress => Rgb(187, 222, 251),
        TaskStatus::Done => Rgb(165, 214, 167),
        TaskStatus::Blocked => Rgb(239, 154, 154),
        TaskStatus::Cancelled => LIGHT,
    }
}

const ALERT: Rgb = Rgb(183, 28, 28);

/// Renders the sheet to PDF bytes.
pub fn render(s: &PlanSheet) -> Result<Vec<u8>, ReportError> {
    let lang = s.lang;
    let mut p = Pages::new(s.paper, false, 36.0)?;
    let scope = match &s.country {
        Some(c) => c.name(lang),
        None => tr(lang, "report-plan-region"),
    };
    let title = tr_args(lang, "report-plan-title", &[("scope", &scope)]);

    // Header block.
    p.y += 4.0;
    p.paragraph(&title, 16.0, Weight::Bold, BLACK);
    p.paragraph(
        &tr_args(
            lang,
            "report-plan-date",
            &[("date", &s.today.format("%d/%m/%Y").to_string())],
        ),
        9.0,
        Weight::Regular,
        BLACK,
    );
    let sync = match &s.last_sync {
        Some((peer, when)) => tr_args(
            lang,
            "report-plan-synced",
            &[("peer", peer), ("when", when)],
        ),
        None => tr_args(lang, "report-plan-not-synced", &[("node", &s.node)]),
    };
    p.paragraph(&sync, 8.5, Weight::Regular, GREY);
    if s.tasks.iter().any(|t| t.task.demo) {
        p.paragraph(&tr(lang, "report-plan-demo"), 8.5, Weight::Bold, BLACK);
    }
    p.y += 8.0;

    // Summary: boxes with counts, then a bar per component.
    let x0 = p.margin;
    let w = p.content_width();
    let boxes: Vec<(String, String, Rgb)> = vec![
        (
            format!("{} %", s.progress),
            tr(lang, "report-plan-complete"),
            LIGHT,
        ),
        (
            s.done.to_string(),
            TaskStatus::Done.label(lang),
            status_fill(TaskStatus::Done),
        ),
        (
            s.in_progress.to_string(),
            TaskStatus::InProgress.label(lang),
            status_fill(TaskStatus::InProgress),
        ),
        (
            s.not_started.to_string(),
            TaskStatus::NotStarted.label(lang),
            status_fill(TaskStatus::NotStarted),
        ),
        (
            s.blocked.to_string(),
            TaskStatus::Blocked.label(lang),
            status_fill(TaskStatus::Blocked),
        ),
        (
            s.overdue.to_string(),
            tr(lang, "report-plan-overdue"),
            WHITE,
        ),
    ];
    let bw = w / boxes.len() as f32;
    let by = p.y;
    for (i, (big, label, fill)) in boxes.iter().enumerate() {
        let bx = x0 + i as f32 * bw;
        p.rect(bx + 2.0, by, bw - 4.0, 44.0, Some(*fill), Some(GREY));
        let (size, color) = if i == boxes.len() - 1 && s.overdue > 0 {
            (18.0, ALERT)
        } else {
            (18.0, BLACK)
        };
        let tw = p.fonts.width(big, size, Weight::Bold);
        p.text(
            bx + (bw - tw) / 2.0,
            by + 22.0,
            size,
            Weight::Bold,
            color,
            big,
        );
        let lw = p.fonts.width(label, 8.0, Weight::Regular);
        p.text(
            bx + (bw - lw) / 2.0,
            by + 37.0,
            8.0,
            Weight::Regular,
            BLACK,
            label,
        );
    }
    p.y += 52.0;
    if let Some((overdue, soon)) = s.risk_reviews {
        let line = tr_args(
            lang,
            "report-plan-risk-reviews",
            &[
                ("overdue", &overdue.to_string()),
                ("soon", &soon.to_string()),
            ],
        );
        let (weight, color) = if overdue > 0 {
            (Weight::Bold, ALERT)
        } else {
            (Weight::Regular, BLACK)
        };
        p.paragraph(&line, 9.0, weight, color);
        p.y += 2.0;
    }
    if s.cancelled > 0 {
        p.paragraph(
            &tr_args(
                lang,
                "report-plan-cancelled",
                &[("n", &s.cancelled.to_string())],
            ),
            8.0,
            Weight::Regular,
            GREY,
        );
    }
    p.y += 6.0;
    p.paragraph(
        &tr(lang, "report-plan-by-component"),
        10.0,
        Weight::Bold,
        BLACK,
    );
    p.y += 2.0;
    let label_w = w * 0.42;
    let bar_w = w - label_w - 110.0;
    // One labelled progress bar with its figures after it.
    let bar_row = |p: &mut Pages, label: &str, pct: u32, txt: &str, color: Rgb| {
        p.ensure(16.0);
        let y = p.y;
        p.text(x0, y + 10.0, 8.5, Weight::Regular, BLACK, label);
        let bx = x0 + label_w;
        p.rect(bx, y + 2.0, bar_w, 10.0, Some(WHITE), Some(BLACK));
        if pct > 0 {
            p.rect(
                bx,
                y + 2.0,
                bar_w * (pct as f32) / 100.0,
                10.0,
                Some(GREY),
                None,
            );
        }
        p.text(bx + bar_w + 6.0, y + 10.0, 8.0, Weight::Regular, color, txt);
        p.y += 15.0;
    };
    for (c, pct, n) in &s.components {
        let txt = tr_args(
            lang,
            "report-plan-component-bar",
            &[("pct", &pct.to_string()), ("n", &n.to_string())],
        );
        bar_row(&mut p, &c.label(lang), *pct, &txt, BLACK);
    }
    if s.country.is_none() && !s.countries.is_empty() {
        p.y += 8.0;
        p.ensure(16.0 * s.countries.len() as f32 + 30.0);
        p.paragraph(
            &tr(lang, "report-plan-by-country"),
            10.0,
            Weight::Bold,
            BLACK,
        );
        p.y += 2.0;
        for (c, pct, n, overdue) in &s.countries {
            let name = match c {
                Some(c) => c.name(lang),
                None => tr(lang, "report-plan-regional-tasks"),
            };
            let mut txt = tr_args(
                lang,
                "report-plan-component-bar",
                &[("pct", &pct.to_string()), ("n", &n.to_string())],
            );
            let color = if *overdue > 0 {
                txt.push_str(&tr_args(
                    lang,
                    "report-plan-country-overdue",
                    &[("n", &overdue.to_string())],
                ));
                ALERT
            } else {
                BLACK
            };
            bar_row(&mut p, &name, *pct, &txt, color);
        }
    }
    p.y += 8.0;

    // One table per component.
    let cols = Table {
        columns: vec![
            (tr(lang, "report-plan-col-task"), w * 0.31),
            (tr(lang, "report-plan-col-responsible"), w * 0.17),
            (tr(lang, "report-plan-col-due"), w * 0.09),
            (tr(lang, "report-plan-col-status"), w * 0.13),
            (tr(lang, "report-plan-col-progress"), w * 0.09),
            (tr(lang, "report-plan-col-notes"), w * 0.21),
        ],
        size: 7.5,
    };
    for c in Component::all() {
        let rows: Vec<Vec<Cell>> = s
            .tasks
            .iter()
            .filter(|t| t.task.component == *c)
            .map(|t| row(lang, t, s.country.is_none()))
            .collect();
        if rows.is_empty() {
            continue;
        }
        p.ensure(70.0);
        p.y += 4.0;
        p.paragraph(&c.label(lang), 11.0, Weight::Bold, BLACK);
        p.y += 3.0;
        p.table(&cols, &rows);
        p.y += 6.0;
    }
    if s.tasks.is_empty() {
        p.paragraph(&tr(lang, "report-plan-empty"), 9.0, Weight::Regular, GREY);
    }

    let produced = tr_args(
        lang,
        "report-produced",
        &[("date", &s.generated_at), ("node", &s.node)],
    );
    let metadata = krilla::metadata::Metadata::new()
        .title(title.clone())
        .language(lang.code().to_owned())
        .creator("Enlace".into());
    p.finish(metadata, |p, i, n| {
        p.running_head(lang, i, n, &title, &produced, None);
    })
}

fn row(lang: Lang, t: &SheetTask, show_country: bool) -> Vec<Cell> {
    let task = &t.task;
    let mut name = String::new();
    if !task.code.is_empty() {
        name.push_str(&task.code);
        name.push_str("  ");
    }
    name.push_str(task.title.get(lang));
    if show_country {
        match &task.country {
            Some(c) => name.push_str(&format!(" ({c})")),
            None => name.push_str(&format!(" ({})", tr(lang, "report-plan-regional-task"))),
        }
    }
    name.push('\n');
    name.push_str(&enlace_domain::plan::output_label(lang, &task.output));
    let responsible = match (task.agency.is_empty(), task.responsible.is_empty()) {
        (false, false) => format!("{}\n{}", task.agency, task.responsible),
        (false, true) => task.agency.clone(),
        (true, false) => task.responsible.clone(),
        (true, true) => "—".into(),
    };
    let mut status = task.status.label(lang);
    if t.overdue {
        status = format!("{status}\n{}", tr(lang, "report-plan-overdue-mark"));
    }
    if !t.waiting_for.is_empty() {
        status = format!(
            "{status}\n{}",
            tr_args(
                lang,
                "report-plan-waits",
                &[("tasks", &t.waiting_for.join(", "))]
            )
        );
    }
    let pct = if task.status == TaskStatus::Done {
        100.0
    } else {
        f32::from(task.progress.min(100))
    };
    let alert = t.overdue || task.status == TaskStatus::Blocked;
    let mut first = Cell::new(name);
    if alert {
        first = first.bold().mark(ALERT);
    }
    vec![
        first,
        Cell::new(responsible),
        Cell::new(task.due.format("%d/%m/%Y").to_string()),
        Cell::new(status).fill(status_fill(task.status)),
        Cell::progress(pct),
        Cell::new(if task.notes.is_empty() {
            String::new()
        } else {
            task.notes.clone()
        }),
    ]
}
