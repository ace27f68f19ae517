//! The desktop shell: the only crate that knows Tauri and IPC JSON.
//!
//! Each command is a few lines over `enlace_core::App`, returns typed values
//! and a typed, serialisable [`IpcError`] (never a `String`), and is generic
//! over `tauri::Runtime` so `tauri::test::mock_builder()` can drive it in
//! tests without a display. TypeScript types for everything crossing the
//! boundary are generated (ts-rs) into `ui/src/bindings/`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::sync::Mutex;

mod sync;

use enlace_core::{
    App, AssessmentSummary, AssessmentView, CaseFilter, CaseList, CaseView, CoreError, ErrorCode,
    HistoryEntry, ItemChange, ItemSaved, LegalMatrixView, NodeInfo, Paper, PlanFilter, PlanView,
    SheetScope, TaskInput, TaskSaved,
};
use enlace_domain::{Issue, Lang};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

/// An error as the UI receives it: a stable code, a message in the user's
/// language that says what to do, and validation issues if any.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub issues: Vec<Issue>,
}

impl IpcError {
    fn new(e: CoreError, lang: Lang) -> IpcError {
        IpcError {
            code: e.code(),
            message: e.message(lang),
            issues: e.issues().to_vec(),
        }
    }

    fn locked(lang: Lang) -> IpcError {
        IpcError {
            code: ErrorCode::Locked,
            message: enlace_domain::tr(lang, "err-locked"),
            issues: vec![],
        }
    }

    fn internal(lang: Lang, detail: &str) -> IpcError {
        IpcError {
            code: ErrorCode::Internal,
            message: enlace_domain::tr_args(lang, "err-internal", &[("detail", detail)]),
            issues: vec![],
        }
    }
}

type IpcResult<T> = Result<T, IpcError>;

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StartupState {
    /// A database exists in the data directory.
    pub initialised: bool,
    /// It is open (unlocked) in this process.
    pub unlocked: bool,
    pub data_dir: String,
    #[ts(optional)]
    pub node: Option<NodeInfo>,
    /// The interface language chosen on this data directory (Spanish until
    /// someone chooses otherwise).
    pub lang: Lang,
    /// The case list's filters remembered from the last session.
    #[ts(optional)]
    pub case_filter: Option<CaseFilter>,
}

/// Preferences kept beside the database (`preferences.json`; nothing
/// sensitive, readable before unlocking).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Preferences {
    lang: Lang,
    /// The case list's filters and sort, as the UI last left them.
    #[serde(default)]
    case_filter: Option<CaseFilter>,
}

const PREFERENCES_FILE: &str = "preferences.json";

/// The first-start form.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct CreateDatabase {
    pub country: String,
    pub node_name: String,
    pub passphrase: String,
    pub demo: bool,
}

/// Progress of a long operation, sent as the `progress` event.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    /// Which operation: `demo`, `reindex`.
    pub task: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// The shell's state: the data directory, the open node (once unlocked) and
/// the UI's language for messages.
pub struct Shell {
    dir: PathBuf,
    app: Mutex<Option<App>>,
    prefs: Mutex<Preferences>,
    /// Sync in the background while unlocked.
    sync: Mutex<Option<sync::SyncHandle>>,
}

impl Shell {
    pub fn new(dir: PathBuf) -> Shell {
        let prefs: Preferences = std::fs::read_to_string(dir.join(PREFERENCES_FILE))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Shell {
            dir,
            app: Mutex::new(None),
            prefs: Mutex::new(prefs),
            sync: Mutex::new(None),
        }
    }

    /// Remembers the language beside the database. Best effort: a data
    /// directory that cannot be written keeps the choice for this session.
    /// Changes the preferences and writes them beside the database
    /// (atomically: a temporary file renamed into place).
    fn update_prefs(&self, f: impl FnOnce(&mut Preferences)) {
        let prefs = match self.prefs.lock() {
            Ok(mut p) => {
                f(&mut p);
                p.clone()
            }
            Err(_) => return,
        };
        let text = serde_json::to_string_pretty(&prefs).unwrap_or_default();
        let tmp = self.dir.join("preferences.json.tmp");
        let result = enlace_core::private_dir(&self.dir)
            .and_then(|()| {
                use std::io::Write;
                enlace_core::private_file(&tmp)?.write_all(text.as_bytes())
            })
            .and_then(|()| std::fs::rename(&tmp, self.dir.join(PREFERENCES_FILE)));
        if let Err(e) = result {
            tracing::warn!(
                "could not remember the preferences in {}: {e}",
                self.dir.display()
            );
        }
    }

    fn lang(&self) -> Lang {
        self.prefs.lock().map(|p| p.lang).unwrap_or_default()
    }

    /// Runs `f` on the unlocked node.
    fn with_app<T>(&self, f: impl FnOnce(&mut App) -> Result<T, CoreError>) -> IpcResult<T> {
        let lang = self.lang();
        let mut guard = self
            .app
            .lock()
            .map_err(|_| IpcError::internal(lang, "state lock poisoned"))?;
        let app = guard.as_mut().ok_or_else(|| IpcError::locked(lang))?;
        f(app).map_err(|e| IpcError::new(e, lang))
    }

    /// Keeps the unlocked node and starts its background sync.
    fn install<R: Runtime>(&self, handle: &AppHandle<R>, app: App) -> IpcResult<NodeInfo> {
        let info = app.node_info();
        let lang = self.lang();
        let sync = sync::SyncHandle::start(handle, &app).map_err(|e| IpcError::new(e, lang))?;
        let mut guard = self
            .app
            .lock()
            .map_err(|_| IpcError::internal(lang, "state lock poisoned"))?;
        *guard = Some(app);
        self.stop_sync();
        if let Ok(mut s) = self.sync.lock() {
            *s = Some(sync);
        }
        Ok(info)
    }

    /// Stops the background sync (at lock).
    fn stop_sync(&self) {
        if let Ok(mut s) = self.sync.lock()
            && let Some(old) = s.take()
        {
            old.stop();
        }
    }
}

/// The data directory: `--data-dir DIR` (or `--data-dir=DIR`) on the
/// command line, else `ENLACE_DATA_DIR`, else the platform default.
pub fn data_dir(args: &[String]) -> PathBuf {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data-dir"
            && let Some(d) = it.next()
        {
            return PathBuf::from(d);
        }
        if let Some(d) = a.strip_prefix("--data-dir=") {
            return PathBuf::from(d);
        }
    }
    std::env::var_os("ENLACE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(enlace_core::default_data_dir)
        .unwrap_or_else(|| PathBuf::from("enlace-data"))
}

#[tauri::command]
fn startup_state(shell: State<'_, Shell>) -> IpcResult<StartupState> {
    let node = shell.with_app(|a| Ok(a.node_info())).ok();
    Ok(StartupState {
        initialised: enlace_core::is_initialised(&shell.dir),
        unlocked: node.is_some(),
        data_dir: shell.dir.display().to_string(),
        node,
        lang: shell.lang(),
        case_filter: shell.prefs.lock().ok().and_then(|p| p.case_filter.clone()),
    })
}

#[tauri::command]
fn set_language(shell: State<'_, Shell>, lang: Lang) -> IpcResult<()> {
    shell.update_prefs(|p| p.lang = lang);
    Ok(())
}

/// Remembers the case list's filters and sort for the next start (the
/// search words and the page are not kept).
#[tauri::command]
fn save_case_filter(shell: State<'_, Shell>, filter: CaseFilter) -> IpcResult<()> {
    let kept = CaseFilter {
        query: None,
        limit: None,
        offset: None,
        ..filter
    };
    shell.update_prefs(|p| p.case_filter = Some(kept));
    Ok(())
}

#[tauri::command(async)]
fn create_database<R: Runtime>(
    window: tauri::Window<R>,
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    request: CreateDatabase,
) -> IpcResult<NodeInfo> {
    let lang = shell.lang();
    let mut app = App::init(
        &shell.dir,
        &request.passphrase,
        &request.country,
        &request.node_name,
    )
    .map_err(|e| IpcError::new(e, lang))?;
    if request.demo {
        app.load_demo(&mut |done, total| {
            let _ = window.emit(
                "progress",
                Progress {
                    task: "demo".into(),
                    done,
                    total,
                },
            );
        })
        .map_err(|e| IpcError::new(e, lang))?;
    }
    shell.install(&handle, app)
}

#[tauri::command(async)]
fn unlock<R: Runtime>(
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    passphrase: String,
) -> IpcResult<NodeInfo> {
    let lang = shell.lang();
    let app = App::open(&shell.dir, &passphrase).map_err(|e| IpcError::new(e, lang))?;
    shell.install(&handle, app)
}

#[tauri::command]
fn lock(shell: State<'_, Shell>) -> IpcResult<()> {
    shell.stop_sync();
    if let Ok(mut g) = shell.app.lock() {
        *g = None;
    }
    Ok(())
}

#[tauri::command(async)]
fn list_cases(shell: State<'_, Shell>, filter: CaseFilter) -> IpcResult<CaseList> {
    shell.with_app(|a| a.list_cases(&filter))
}

#[tauri::command(async)]
fn get_case(shell: State<'_, Shell>, key: String) -> IpcResult<CaseView> {
    shell.with_app(|a| a.case(&key))
}

/// A case's changes with old and new values of each field.
#[tauri::command(async)]
fn case_changes(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.case_changes(&key))
}

/// Records the user's choice between concurrent values of a case field.
#[tauri::command(async)]
fn choose_case_value(
    shell: State<'_, Shell>,
    key: String,
    field: String,
    value: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.choose_case_value(&key, &field, &value))
}

/// Creates a case from the editor's form. Takes JSON so a malformed field
/// comes back as a typed error naming it.
#[tauri::command(async)]
fn create_case(
    shell: State<'_, Shell>,
    input: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| {
        let input: enlace_domain::input::CaseInput = enlace_domain::input::from_value(input)?;
        a.create_case(input)
    })
}

/// Saves the editor's changes to a case as a JSON merge patch.
#[tauri::command(async)]
fn update_case(
    shell: State<'_, Shell>,
    key: String,
    patch: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.update_case(&key, &patch))
}

#[tauri::command(async)]
fn add_note(
    shell: State<'_, Shell>,
    key: String,
    text: String,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| a.add_note(&key, &text))
}

/// Records or corrects the identity behind a person of a case (national only).
#[tauri::command(async)]
fn save_identity(
    shell: State<'_, Shell>,
    key: String,
    pseudonym: String,
    identity: serde_json::Value,
) -> IpcResult<enlace_core::CaseSaved> {
    shell.with_app(|a| {
        let identity: enlace_domain::Identity = enlace_domain::input::from_value(identity)?;
        a.save_identity(&key, &pseudonym, identity)
    })
}

/// Keeps a form's unsaved state in the encrypted store.
#[tauri::command(async)]
fn save_draft(shell: State<'_, Shell>, key: String, body: serde_json::Value) -> IpcResult<()> {
    shell.with_app(|a| a.save_draft(&key, &body))
}

#[tauri::command(async)]
fn get_draft(shell: State<'_, Shell>, key: String) -> IpcResult<Option<enlace_core::Draft>> {
    shell.with_app(|a| a.draft(&key))
}

#[tauri::command(async)]
fn discard_draft(shell: State<'_, Shell>, key: String) -> IpcResult<()> {
    shell.with_app(|a| a.discard_draft(&key))
}

#[tauri::command(async)]
fn task_changes(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.task_changes(&key))
}

#[tauri::command(async)]
fn case_history(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<HistoryEntry>> {
    shell.with_app(|a| a.history(&key))
}

/// Registers the state and the commands on a builder (the real one or
/// `tauri::test::mock_builder()`).
#[tauri::command(async)]
fn legal_overview(shell: State<'_, Shell>) -> IpcResult<Vec<AssessmentSummary>> {
    shell.with_app(|a| a.legal_overview())
}

#[tauri::command(async)]
fn legal_assessment(shell: State<'_, Shell>, country: String) -> IpcResult<AssessmentView> {
    shell.with_app(|a| a.legal_assessment(&country))
}

#[tauri::command(async)]
fn update_legal_item(
    shell: State<'_, Shell>,
    country: String,
    item: String,
    patch: serde_json::Value,
) -> IpcResult<ItemSaved> {
    shell.with_app(|a| a.update_legal_item(&country, &item, &patch))
}

#[tauri::command(async)]
fn choose_legal_value(
    shell: State<'_, Shell>,
    country: String,
    item: String,
    field: String,
    value: serde_json::Value,
) -> IpcResult<ItemSaved> {
    shell.with_app(|a| a.choose_legal_value(&country, &item, &field, &value))
}

#[tauri::command(async)]
fn legal_item_history(
    shell: State<'_, Shell>,
    country: String,
    item: String,
) -> IpcResult<Vec<ItemChange>> {
    shell.with_app(|a| a.legal_item_history(&country, &item))
}

#[tauri::command(async)]
fn legal_matrix(shell: State<'_, Shell>) -> IpcResult<LegalMatrixView> {
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

/// A file the app wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Exports go to `<data dir>/exports/`, beside the database they came from.
fn exports_dir(shell: &Shell) -> PathBuf {
    shell.dir.join("exports")
}

#[tauri::command(async)]
fn export_legal(shell: State<'_, Shell>, kind: LegalExport) -> IpcResult<ExportedFile> {
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

/// Opens a file the app exported with the system's viewer. Only files in
/// the exports folder: the page cannot ask to open anything else.
#[tauri::command(async)]
fn open_export(shell: State<'_, Shell>, path: String) -> IpcResult<()> {
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

#[tauri::command(async)]
fn plan(shell: State<'_, Shell>, filter: PlanFilter) -> IpcResult<PlanView> {
    shell.with_app(|a| a.plan(&filter))
}

/// Takes JSON (not `TaskInput`) so a malformed field comes back as a typed
/// error naming it, in the user's language, rather than Tauri's string.
#[tauri::command(async)]
fn create_task(shell: State<'_, Shell>, input: serde_json::Value) -> IpcResult<TaskSaved> {
    shell.with_app(|a| {
        let input: TaskInput = enlace_domain::input::from_value(input)?;
        a.create_task(input)
    })
}

#[tauri::command(async)]
fn update_task(
    shell: State<'_, Shell>,
    key: String,
    patch: serde_json::Value,
) -> IpcResult<TaskSaved> {
    shell.with_app(|a| a.update_task(&key, &patch))
}

#[tauri::command(async)]
fn task_history(shell: State<'_, Shell>, key: String) -> IpcResult<Vec<HistoryEntry>> {
    shell.with_app(|a| a.task_history(&key))
}

/// Writes the plan status sheet (a country's, or the region's when
/// `country` is absent) to the exports folder.
#[tauri::command(async)]
fn export_plan_status(
    shell: State<'_, Shell>,
    country: Option<String>,
    letter: bool,
) -> IpcResult<ExportedFile> {
    let lang = shell.lang();
    let dir = ensure_exports(&shell)?;
    let stamp = chrono_stamp();
    shell.with_app(|a| {
        let scope = match country.as_deref() {
            Some(c) => SheetScope::Country(enlace_core::parse_participating(c)?),
            None => SheetScope::Region,
        };
        let name = match &scope {
            SheetScope::Country(c) => c.to_string(),
            SheetScope::Region => enlace_domain::tr(lang, "file-region"),
        };
        let path = dir.join(format!(
            "{}-{name}-{stamp}.pdf",
            enlace_domain::tr(lang, "file-plan-status")
        ));
        let paper = if letter { Paper::Letter } else { Paper::A4 };
        let bytes = a.plan_status_pdf(&scope, &path, lang, paper)?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes,
        })
    })
}

/// The exports folder, created if missing.
fn ensure_exports(shell: &Shell) -> IpcResult<PathBuf> {
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
fn chrono_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    enlace_core::file_stamp(secs)
}

pub fn setup<R: Runtime>(builder: tauri::Builder<R>, shell: Shell) -> tauri::Builder<R> {
    builder
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            startup_state,
            set_language,
            save_case_filter,
            create_database,
            unlock,
            lock,
            list_cases,
            get_case,
            case_history,
            case_changes,
            choose_case_value,
            create_case,
            update_case,
            add_note,
            save_identity,
            save_draft,
            get_draft,
            discard_draft,
            task_changes,
            legal_overview,
            legal_assessment,
            update_legal_item,
            choose_legal_value,
            legal_item_history,
            legal_matrix,
            export_legal,
            open_export,
            plan,
            create_task,
            update_task,
            task_history,
            export_plan_status,
            sync::sync_panel,
            sync::sync_now,
            sync::cancel_sync,
            sync::add_peer,
            sync::remove_peer,
            sync::quarantine,
            sync::export_bundle,
            sync::import_bundle,
            sync::find_bundles,
        ])
}

/// Runs the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    setup(tauri::Builder::default(), Shell::new(data_dir(&args)))
        .setup(|app| {
            software_rendering(app);
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// Paints the window on the CPU when `ENLACE_SOFTWARE_PAINT=1`. WebKitGTK
/// otherwise composites through OpenGL, and where the GL is a software one
/// (virtual machines, remote desktops, Xvfb) every frame costs tens of
/// milliseconds: measured with `cargo xtask bench ipc` on this project's
/// VM, opening a case took ~100 ms to reach the screen with compositing and
/// ~30 ms without. Not the default: WebKitWebDriver's screenshots hang in
/// this mode, so the end-to-end tests could not cover it.
fn software_rendering<R: Runtime>(app: &tauri::App<R>) {
    #[cfg(target_os = "linux")]
    if std::env::var_os("ENLACE_SOFTWARE_PAINT").is_some_and(|v| v == "1") {
        use tauri::Manager;
        for (_, w) in app.webview_windows() {
            let _ = w.with_webview(|wv| {
                use webkit2gtk::{SettingsExt, WebViewExt};
                if let Some(s) = WebViewExt::settings(&wv.inner()) {
                    s.set_hardware_acceleration_policy(
                        webkit2gtk::HardwareAccelerationPolicy::Never,
                    );
                }
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(test)]
mod tests;
