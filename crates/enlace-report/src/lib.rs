//! Printable output: PDF reports generated in Rust (krilla), with fonts
//! embedded (DejaVu Sans Condensed, subset by krilla) so accents and ñ
//! print on any machine. Reads values, never the database: the caller
//! (enlace-core) loads the documents and passes them in.
#![forbid(unsafe_code)]

pub mod case_file;
pub mod layout;
pub mod legal_matrix;
pub mod plan_status;
pub mod referral_letter;
pub mod statistics;

pub use case_file::{CaseFile, FileRequest, FileRisk, render as case_file};
pub use layout::Paper;
pub use legal_matrix::{LegalMatrix, render as legal_matrix};
pub use plan_status::{PlanSheet, SheetTask, render as plan_status};
pub use referral_letter::{ReferralLetter, render as referral_letter};
pub use statistics::{
    Chart, ChartCell, ReportSource, StatisticsReport, render as statistics_report,
};

/// What can go wrong while producing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "the embedded font cannot be read ({0}); the program files are damaged, reinstall Enlace"
    )]
    Font(String),
    #[error("the page layout failed: {0}")]
    Layout(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

#[cfg(test)]
mod tests;
