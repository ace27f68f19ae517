//! Files the app writes for people: where they go, and opening one.

use std::path::PathBuf;

use enlace_core::CoreError;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::shell::Shell;

/// A file the app wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Exports go to `<data dir>/exports/`, beside the database they came from.
pub(crate) fn exports_dir(shell: &Shell) -> PathBuf {
    shell.dir.join("exports")
}

/// Opens a file the app exported with the system's viewer. Only files in
/// the exports folder: the page cannot ask to open anything else.
#[tauri::command(async)]
pub(crate) fn open_export(shell: State<'_, Shell>, path: String) -> IpcResult<()> {
    let lang = shell.lang();
    let dir = exports_dir(&shell);
    let wanted = PathBuf::from(&path);
    let inside = wanted
        .canonicalize()
        .ok()
        .zip(dir.canonicalize().ok())
        .is_some_and(|(f, d)| f.starts_with(d));
    if !inside {
        return Err(IpcError::new(CoreError::NotFound { what: path }, lang));
    }
    open::that_detached(&wanted).map_err(|e| {
        IpcError::new(
            CoreError::Io {
                path: wanted,
                source: e,
            },
            lang,
        )
    })
}

/// The exports folder, created if missing.
pub(crate) fn ensure_exports(shell: &Shell) -> IpcResult<PathBuf> {
    let dir = exports_dir(shell);
    enlace_core::private_dir(&dir).map_err(|e| {
        IpcError::new(
            CoreError::Io {
                path: dir.clone(),
                source: e,
            },
            shell.lang(),
        )
    })?;
    Ok(dir)
}

/// `2026-11-27-1405`, for file names.
pub(crate) fn chrono_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    enlace_core::file_stamp(secs)
}
