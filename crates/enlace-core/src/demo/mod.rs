//! Demonstration data: fictional cases across the seven countries
//! ([`cases`]), legal assessments ([`legal`]) and a Regional Plan of Action
//! ([`plan`]), marked `demo` and kept on this node. Spanish text, names
//! with accents and two surnames, routes origin → transit → destination.
//! Deterministic, so screenshots and tests see the same data every time.
//! Nothing here describes real people or any country's real law.

mod cases;
mod legal;
mod plan;

pub use cases::synthetic;

use enlace_domain::CountryCode;
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
    /// False when demonstration data was already present (nothing added).
    pub loaded: bool,
}

/// A deterministic generator (xorshift64*): good enough for fictional data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, good enough for fictional data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Loads what is missing of the demonstration data: the cases (one
/// transaction) and the legal assessments (another).
pub(crate) fn load(app: &mut App, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
    let (cases, persons) = if app.store.read().count_demo_cases()? > 0 {
        (0, 0)
    } else {
        cases::load(app, progress)?
    };
    let assessments = legal::load(app)?;
    let tasks = plan::load(app)?;
    Ok(DemoSummary {
        cases,
        persons,
        assessments,
        tasks,
        loaded: cases + assessments + tasks > 0,
    })
}

/// The country codes above are literals that always parse.
pub(super) fn unreachable_code() -> CountryCode {
    CountryCode::members().remove(0)
}
