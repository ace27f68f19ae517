//! Starting: what the UI needs to know first, the language, the first-start
//! form, unlocking and locking.

use enlace_core::{App, CaseFilter, NodeInfo, Session};
use enlace_domain::Lang;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::shell::{DEFAULT_IDLE_MINUTES, Shell};

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
    /// Who is logged in, and what they may do (when unlocked).
    #[ts(optional)]
    pub session: Option<Session>,
    /// The official who last logged in on this data folder.
    #[ts(optional)]
    pub last_official: Option<String>,
    /// Seconds without input before the window locks (the preference in
    /// minutes; `ENLACE_IDLE_SECONDS` overrides it, for tests).
    pub idle_seconds: u32,
}

/// The first-start form.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct CreateDatabase {
    pub country: String,
    pub node_name: String,
    /// The first official's name (the node's administrator; default
    /// `admin`).
    #[serde(default)]
    #[ts(optional)]
    pub admin_name: Option<String>,
    /// Its place in its country (default: an office, which receives every
    /// identity of the country).
    #[serde(default)]
    #[ts(optional)]
    pub node_role: Option<enlace_domain::NodeRole>,
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

#[tauri::command]
pub(crate) fn startup_state(shell: State<'_, Shell>) -> IpcResult<StartupState> {
    let open = shell
        .with_app(|a| Ok((a.node_info(), a.session().clone())))
        .ok();
    let prefs = shell
        .prefs
        .lock()
        .ok()
        .map(|p| p.clone())
        .unwrap_or_default();
    Ok(StartupState {
        initialised: enlace_core::is_initialised(&shell.dir),
        unlocked: open.is_some(),
        data_dir: shell.dir.display().to_string(),
        session: open.as_ref().map(|(_, s)| s.clone()),
        node: open.map(|(n, _)| n),
        lang: shell.lang(),
        case_filter: prefs.case_filter,
        last_official: prefs.last_official,
        idle_seconds: std::env::var("ENLACE_IDLE_SECONDS")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|s| *s > 0)
            .unwrap_or(prefs.idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES) * 60),
    })
}

#[tauri::command]
pub(crate) fn set_language(shell: State<'_, Shell>, lang: Lang) -> IpcResult<()> {
    shell.update_prefs(|p| p.lang = lang);
    Ok(())
}

/// Remembers the case list's filters and sort for the next start (the
/// search words and the page are not kept).
#[tauri::command]
pub(crate) fn save_case_filter(shell: State<'_, Shell>, filter: CaseFilter) -> IpcResult<()> {
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
pub(crate) fn create_database<R: Runtime>(
    window: tauri::Window<R>,
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    request: CreateDatabase,
) -> IpcResult<NodeInfo> {
    let lang = shell.lang();
    let admin = request
        .admin_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| enlace_core::DEFAULT_ADMIN.to_owned());
    let mut app = App::init_as(
        &shell.dir,
        &admin,
        &request.passphrase,
        &request.country,
        &request.node_name,
    )
    .map_err(|e| IpcError::new(e, lang))?;
    if let Some(role) = request.node_role {
        app.set_node_role(role)
            .map_err(|e| IpcError::new(e, lang))?;
    }
    shell.update_prefs(|p| p.last_official = Some(admin.trim().to_owned()));
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
pub(crate) fn unlock<R: Runtime>(
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    passphrase: String,
    official: Option<String>,
) -> IpcResult<NodeInfo> {
    let lang = shell.lang();
    let official = official.filter(|o| !o.trim().is_empty());
    let app = App::open_as(&shell.dir, official.as_deref(), &passphrase)
        .map_err(|e| IpcError::new(e, lang))?;
    let name = app.session().name.clone();
    shell.update_prefs(|p| p.last_official = Some(name));
    shell.install(&handle, app)
}

#[tauri::command]
pub(crate) fn lock(shell: State<'_, Shell>) -> IpcResult<()> {
    // The node first: a listener being started now then sees it locked.
    if let Ok(mut g) = shell.app.lock() {
        *g = None;
    }
    shell.stop_sync();
    Ok(())
}
