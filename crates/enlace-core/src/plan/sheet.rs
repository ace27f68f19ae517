//! The printable plan status sheet.

use std::path::Path;

use chrono::Utc;
use enlace_domain::{Component, CountryCode, Lang};

use super::{PlanFilter, PlanView};
use crate::files::write_atomically;
use crate::{App, Result};

/// Whose tasks a status sheet covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetScope {
    Region,
    Country(CountryCode),
}

impl App {
    /// Writes the plan status sheet for `scope` as PDF; returns its size.
    pub fn plan_status_pdf(
        &mut self,
        scope: &SheetScope,
        out: &Path,
        lang: Lang,
        paper: enlace_report::Paper,
    ) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
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
        self.audit_export(out, "plan status pdf")?;
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
        // The country's own sheet says how many victims' risk reviews are
        // overdue or due this week, to officials who may see risk.
        let risk_reviews = match scope {
            SheetScope::Country(c)
                if *c == self.node.country
                    && self
                        .session
                        .role
                        .allows(enlace_domain::Permission::SeeRiskAssessments) =>
            {
                let due = self.risks_due(7)?;
                let overdue = due.iter().filter(|d| d.days_overdue > 0).count();
                Some((
                    u32::try_from(overdue).unwrap_or(u32::MAX),
                    u32::try_from(due.len() - overdue).unwrap_or(u32::MAX),
                ))
            }
            _ => None,
        };
        Ok(enlace_report::PlanSheet {
            risk_reviews,
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
            countries: {
                // The regional tasks first, then the task forces in the
                // region's order.
                let order = |k: &str| {
                    CountryCode::members()
                        .iter()
                        .position(|c| c.as_str() == k)
                        .unwrap_or(usize::MAX)
                };
                let mut rows: Vec<&crate::plan::Rollup> = plan.countries.iter().collect();
                rows.sort_by_key(|r| (r.key != "regional", order(&r.key), r.key.clone()));
                rows.into_iter()
                    .map(|r| (CountryCode::parse(&r.key), r.progress, r.tasks, r.overdue))
                    .collect()
            },
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
