//! Demonstration data: fictional cases across the seven countries
//! ([`cases`]), legal assessments ([`legal`]) and a Regional Plan of Action
//! ([`plan`]), marked `demo` and kept on this node. Spanish text, names
//! with accents and two surnames, routes origin → transit → destination.
//! Deterministic, so screenshots and tests see the same data every time.
//! Nothing here describes real people or any country's real law.

mod agencies;
mod cases;
mod legal;
mod plan;
mod risk;
mod rng;

pub use cases::synthetic;

use serde::Serialize;
use ts_rs::TS;

use crate::{App, Result};

/// What `load` did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    #[ts(type = "number")]
    pub cases: u64,
    #[ts(type = "number")]
    pub persons: u64,
    /// Legal assessments added (one per participating country).
    #[ts(type = "number")]
    pub assessments: u64,
    /// Plan of Action tasks added.
    #[ts(type = "number")]
    pub tasks: u64,
    /// Fictional agencies added to the directory.
    #[ts(type = "number")]
    pub agencies: u64,
    /// Victims' risk records added (assessments, one referral).
    #[ts(type = "number")]
    pub risks: u64,
    /// False when demonstration data was already present (nothing added).
    pub loaded: bool,
}

impl App {
    /// Loads what is missing of the demonstration data (once): the cases
    /// (one transaction), the legal assessments and the plan.
    pub fn load_demo(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
        // Cases, assessments and tasks: the three rights, asked up front
        // so nothing is loaded halfway.
        for p in [
            enlace_domain::Permission::EditCases,
            enlace_domain::Permission::EditAssessments,
            enlace_domain::Permission::EditTasks,
        ] {
            self.require(p)?;
        }
        load(self, progress)
    }
}

fn load(app: &mut App, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
    let (cases, persons) = if app.store.read().count_demo_cases()? > 0 {
        (0, 0)
    } else {
        cases::load(app, progress)?
    };
    let assessments = legal::load(app)?;
    let tasks = plan::load(app)?;
    let agencies = agencies::load(app)?;
    let risks = risk::load(app)?;
    Ok(DemoSummary {
        cases,
        persons,
        assessments,
        tasks,
        agencies,
        risks,
        loaded: cases + assessments + tasks + agencies + risks > 0,
    })
}
