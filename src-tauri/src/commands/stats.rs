//! Statistics: tables on screen (a preview under the disclosure rules, or
//! exact counts, audited), the imported datasets, and published CSV.

use enlace_core::{
    DEFAULT_K, DatasetView, Paper, StandardExport, StatsQuery, StatsRequest, StatsTable,
};
use tauri::State;

use super::exports::{ExportedFile, chrono_stamp, ensure_exports};
use crate::error::IpcResult;
use crate::shell::Shell;

/// A table on screen: not logged as a release (nothing leaves the screen).
#[tauri::command(async)]
pub(crate) fn stats(shell: State<'_, Shell>, request: StatsRequest) -> IpcResult<StatsTable> {
    shell.with_app(|a| a.stats(&request.query(false)?))
}

/// The imported datasets.
#[tauri::command(async)]
pub(crate) fn datasets(shell: State<'_, Shell>) -> IpcResult<Vec<DatasetView>> {
    shell.with_app(|a| a.datasets())
}

/// Publishes a table as CSV in the exports folder: the disclosure rules
/// apply (never exact counts) and the release is logged.
#[tauri::command(async)]
pub(crate) fn export_stats_csv(
    shell: State<'_, Shell>,
    request: StatsRequest,
) -> IpcResult<ExportedFile> {
    let lang = shell.lang();
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    let request = StatsRequest {
        exact: false,
        ..request
    };
    shell.with_app(|a| {
        let q = request.query(true)?;
        let fields: Vec<&str> = q.by.iter().map(|f| f.name()).collect();
        let path = dir.join(format!(
            "{}-{}-{stamp}.csv",
            enlace_domain::tr(lang, "file-statistics"),
            fields.join("-")
        ));
        let bytes = a.export_stats_csv(&q, &path)?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}

/// Writes the statistical report (PDF, the UI's language) over this node's
/// cases and every imported dataset, k and resolution 11.
#[tauri::command(async)]
pub(crate) fn export_statistics_report(
    shell: State<'_, Shell>,
    letter: bool,
) -> IpcResult<ExportedFile> {
    let lang = shell.lang();
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    shell.with_app(|a| {
        let path = dir.join(format!(
            "{}-{stamp}.pdf",
            enlace_domain::tr(lang, "file-statistics-report")
        ));
        let q = StatsQuery {
            by: vec![],
            filter: Default::default(),
            cases: true,
            datasets: Some(vec![]),
            k: DEFAULT_K,
            resolution: DEFAULT_K,
            publish: true,
        };
        let paper = if letter { Paper::Letter } else { Paper::A4 };
        let bytes = a.statistics_pdf(&q, &path, lang, paper)?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}

/// This node's cases in a standard format in the exports folder: `htcds`
/// (JSON, pseudonymous) or `ctdc` (CSV, k-anonymised with k 11).
#[tauri::command(async)]
pub(crate) fn export_standard(
    shell: State<'_, Shell>,
    format: String,
) -> IpcResult<(ExportedFile, StandardExport)> {
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    shell.with_app(|a| {
        let (path, done) = match format.as_str() {
            "ctdc" => {
                let path = dir.join(format!("ctdc-{stamp}.csv"));
                let done = a.export_ctdc(&path, DEFAULT_K)?;
                (path, done)
            }
            "htcds" => {
                let path = dir.join(format!("htcds-{stamp}.json"));
                let done = a.export_htcds(&path)?;
                (path, done)
            }
            other => {
                return Err(enlace_core::CoreError::NotFound {
                    what: other.to_owned(),
                });
            }
        };
        Ok((
            ExportedFile {
                path: path.display().to_string(),
                bytes: done.bytes,
            },
            done,
        ))
    })
}
