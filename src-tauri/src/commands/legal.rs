//! Legal assessments: the overview, a country's checklist, item edits and
//! choices, history, the matrix and its exports.

use enlace_core::{
    AssessmentSummary, AssessmentView, ItemChange, ItemSaved, LegalMatrixView, Paper,
};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use super::exports::{ExportedFile, chrono_stamp, ensure_exports};
use crate::error::IpcResult;
use crate::shell::Shell;

#[tauri::command(async)]
pub(crate) fn legal_overview(shell: State<'_, Shell>) -> IpcResult<Vec<AssessmentSummary>> {
    shell.with_app(|a| a.legal_overview())
}

#[tauri::command(async)]
pub(crate) fn legal_assessment(
    shell: State<'_, Shell>,
    country: String,
) -> IpcResult<AssessmentView> {
    shell.with_app(|a| a.legal_assessment(&country))
}

#[tauri::command(async)]
pub(crate) fn update_legal_item(
    shell: State<'_, Shell>,
    country: String,
    item: String,
    patch: serde_json::Value,
    heads: Option<Vec<String>>,
) -> IpcResult<ItemSaved> {
    shell.with_app(|a| a.update_legal_item_from(&country, &item, &patch, heads.as_deref()))
}

#[tauri::command(async)]
pub(crate) fn choose_legal_value(
    shell: State<'_, Shell>,
    country: String,
    item: String,
    field: String,
    value: serde_json::Value,
) -> IpcResult<ItemSaved> {
    shell.with_app(|a| a.choose_legal_value(&country, &item, &field, &value))
}

#[tauri::command(async)]
pub(crate) fn legal_item_history(
    shell: State<'_, Shell>,
    country: String,
    item: String,
) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.legal_item_history(&country, &item))
}

#[tauri::command(async)]
pub(crate) fn legal_matrix(shell: State<'_, Shell>) -> IpcResult<LegalMatrixView> {
    shell.with_app(|a| a.legal_matrix())
}

/// What to export from the legal assessments.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LegalExport {
    Csv,
    PdfA4,
    PdfLetter,
}

#[tauri::command(async)]
pub(crate) fn export_legal(shell: State<'_, Shell>, kind: LegalExport) -> IpcResult<ExportedFile> {
    let lang = shell.lang();
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    let prefix = enlace_domain::tr(lang, "file-legal-matrix");
    shell.with_app(|a| {
        let (path, bytes) = match kind {
            LegalExport::Csv => {
                let path = dir.join(format!("{prefix}-{stamp}.csv"));
                a.legal_export_csv(&path, lang)?;
                let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                (path, bytes)
            }
            LegalExport::PdfA4 | LegalExport::PdfLetter => {
                let path = dir.join(format!("{prefix}-{stamp}.pdf"));
                let paper = if matches!(kind, LegalExport::PdfA4) {
                    Paper::A4
                } else {
                    Paper::Letter
                };
                let bytes = a.legal_matrix_pdf(&path, lang, paper)?;
                (path, bytes)
            }
        };
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}
