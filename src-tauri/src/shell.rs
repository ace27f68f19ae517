//! The shell's state: the data directory, the open node once unlocked,
//! the preferences kept beside the database, and the background sync.

use std::path::PathBuf;
use std::sync::Mutex;

use enlace_core::{App, CaseFilter, CoreError, NodeInfo};
use enlace_domain::Lang;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime};

use crate::error::{IpcError, IpcResult};
use crate::listener::{HubPrefs, ListenerSlot, ListenerView};
use crate::sync::{self, SyncHandle};

/// Preferences kept beside the database (`preferences.json`; nothing
/// sensitive, readable before unlocking).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Preferences {
    pub(crate) lang: Lang,
    /// The case list's filters and sort, as the UI last left them.
    #[serde(default)]
    pub(crate) case_filter: Option<CaseFilter>,
    /// Whether the app listens for the office's nodes, and on which port.
    #[serde(default)]
    pub(crate) hub: HubPrefs,
    /// The official who last logged in here (the unlock form's default).
    #[serde(default)]
    pub(crate) last_official: Option<String>,
    /// Minutes without input before the window locks (default 10).
    #[serde(default)]
    pub(crate) idle_minutes: Option<u32>,
}

/// The idle lock's default delay, in minutes.
pub(crate) const DEFAULT_IDLE_MINUTES: u32 = 10;

const PREFERENCES_FILE: &str = "preferences.json";

/// The shell's state: the data directory, the open node (once unlocked) and
/// the UI's language for messages.
pub struct Shell {
    pub(crate) dir: PathBuf,
    pub(crate) app: Mutex<Option<App>>,
    pub(crate) prefs: Mutex<Preferences>,
    /// Sync in the background while unlocked.
    pub(crate) sync: Mutex<Option<sync::SyncHandle>>,
    /// The LAN listener while unlocked, if asked for.
    pub(crate) listener: Mutex<ListenerSlot>,
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
            listener: Mutex::new(ListenerSlot::default()),
        }
    }

    /// Changes the preferences and writes them beside the database
    /// (atomically: a temporary file renamed into place). Best effort: a
    /// data directory that cannot be written keeps the choice for this
    /// session.
    pub(crate) fn update_prefs(&self, f: impl FnOnce(&mut Preferences)) {
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

    pub(crate) fn lang(&self) -> Lang {
        self.prefs.lock().map(|p| p.lang).unwrap_or_default()
    }

    /// Runs `f` on the unlocked node.
    pub(crate) fn with_app<T>(
        &self,
        f: impl FnOnce(&mut App) -> Result<T, CoreError>,
    ) -> IpcResult<T> {
        let lang = self.lang();
        let mut guard = self
            .app
            .lock()
            .map_err(|_| IpcError::internal(lang, "state lock poisoned"))?;
        let app = guard.as_mut().ok_or_else(|| IpcError::locked(lang))?;
        f(app).map_err(|e| IpcError::new(e, lang))
    }

    /// Keeps the unlocked node and starts its background sync.
    pub(crate) fn install<R: Runtime>(
        &self,
        handle: &AppHandle<R>,
        app: App,
    ) -> IpcResult<NodeInfo> {
        let info = app.node_info();
        let lang = self.lang();
        let sync = sync::SyncHandle::start(handle, &app).map_err(|e| IpcError::new(e, lang))?;
        // The previous node's sync and listener stop first (no lock is
        // held while another is taken: `app` is never held while
        // `listener` is taken).
        self.stop_sync();
        {
            let mut guard = self
                .app
                .lock()
                .map_err(|_| IpcError::internal(lang, "state lock poisoned"))?;
            *guard = Some(app);
        }
        if let Ok(mut s) = self.sync.lock() {
            *s = Some(sync);
        }
        // A listener that cannot start says why on the sync panel; the
        // node opens all the same.
        if let Err(e) = self.apply_listener(handle) {
            tracing::warn!("the listener for the office's nodes did not start: {e}");
        }
        Ok(info)
    }

    /// Stops the background sync and the listener (at lock).
    pub(crate) fn stop_sync(&self) {
        if let Ok(mut l) = self.listener.lock() {
            l.stop();
        }
        if let Ok(mut s) = self.sync.lock()
            && let Some(old) = s.take()
        {
            old.stop();
        }
    }

    /// Starts or stops the listener as the preferences say (on the
    /// unlocked node, with its sync identity); returns what the panel shows.
    pub(crate) fn apply_listener<R: Runtime>(
        &self,
        handle: &AppHandle<R>,
    ) -> IpcResult<ListenerView> {
        let lang = self.lang();
        let prefs = self.prefs.lock().map(|p| p.hub).unwrap_or_default();
        let identity = self.with_sync(|s| s.engine.identity().clone())?;
        let slot = || {
            self.listener
                .lock()
                .map_err(|_| IpcError::internal(lang, "state lock poisoned"))
        };
        if !prefs.on {
            slot()?.stop();
            return Ok(self.listener_view());
        }
        if slot()?.listens_on(prefs.port) {
            return Ok(self.listener_view());
        }
        // Its own connection to the database, taken before the listener's
        // lock (the `app` lock is never held while that one is taken).
        let connection = self.with_app(|a| a.sync_connection())?;
        // Documents a peer brought: the screens refresh as after a round of
        // this node's own.
        let h = handle.clone();
        let on_received: enlace_node::OnReceived = std::sync::Arc::new(move |_| {
            let _ = h.emit("sync-finished", Vec::<enlace_node::PeerReport>::new());
        });
        slot()?.start(
            std::sync::Arc::new(std::sync::Mutex::new(connection)),
            &identity,
            prefs.port,
            on_received,
            lang,
        );
        // Locked meanwhile: the listener started after the lock stopped the
        // others goes too.
        let locked = self.app.lock().map_or(true, |g| g.is_none());
        if locked {
            slot()?.stop();
        }
        Ok(self.listener_view())
    }

    /// The listener as the panel shows it.
    pub(crate) fn listener_view(&self) -> ListenerView {
        let prefs = self.prefs.lock().map(|p| p.hub).unwrap_or_default();
        let lang = self.lang();
        self.listener
            .lock()
            .map(|l| l.view(prefs, lang))
            .unwrap_or_else(|_| ListenerSlot::default().view(prefs, lang))
    }
}

impl Shell {
    /// Runs `f` on the background sync (there is one while unlocked).
    pub(crate) fn with_sync<T>(&self, f: impl FnOnce(&SyncHandle) -> T) -> IpcResult<T> {
        let lang = self.lang();
        let guard = self
            .sync
            .lock()
            .map_err(|_| IpcError::internal(lang, "state lock poisoned"))?;
        guard.as_ref().map(f).ok_or_else(|| IpcError::locked(lang))
    }
}
