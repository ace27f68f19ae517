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
        // The node's k and resolution once it has published, else 11.
        let (k, resolution) = a.published_settings()?.unwrap_or((DEFAULT_K, DEFAULT_K));
        let q = StatsQuery {
            by: vec![],
            filter: Default::default(),
            cases: true,
            datasets: Some(vec![]),
            k,
            resolution,
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

/// The formats of the field the app exports cases to.
#[derive(Debug, Clone, Copy, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum StandardFormat {
    Htcds,
    Ctdc,
}

/// This node's cases in a standard format in the exports folder: `htcds`
/// (JSON, pseudonymous) or `ctdc` (CSV, k-anonymised with k 11).
#[tauri::command(async)]
pub(crate) fn export_standard(
    shell: State<'_, Shell>,
    format: StandardFormat,
) -> IpcResult<(ExportedFile, StandardExport)> {
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    shell.with_app(|a| {
        let (path, done) = match format {
            StandardFormat::Ctdc => {
                let path = dir.join(format!("ctdc-{stamp}.csv"));
                let k = a.published_settings()?.map_or(DEFAULT_K, |(k, _)| k);
                let done = a.export_ctdc(&path, k)?;
                (path, done)
            }
            StandardFormat::Htcds => {
                let path = dir.join(format!("htcds-{stamp}.json"));
                let done = a.export_htcds(&path)?;
                (path, done)
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
