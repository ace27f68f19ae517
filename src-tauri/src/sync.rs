//! Sync in the background: the same engine as `enlace serve`, running while
//! the node is unlocked (a round at unlock, then every few minutes, at once
//! when a peer waiting after failures answers again or the machine's
//! network changes). The
//! engine has its own connection to the database (`App::sync_connection`),
//! so the screens stay responsive while it works. The sync panel's
//! commands are in `commands/sync.rs`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use enlace_core::{App, CoreError};
use enlace_node::{Engine, PeerReport, SyncOptions, SyncProgress};
use tauri::{AppHandle, Emitter, Runtime};

/// Seconds between background rounds (`ENLACE_SYNC_INTERVAL` overrides).
const INTERVAL: u64 = 300;

pub(crate) fn interval() -> Duration {
    let secs = std::env::var("ENLACE_SYNC_INTERVAL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(INTERVAL);
    Duration::from_secs(secs.max(1))
}

/// The running background sync of the unlocked node.
pub(crate) struct SyncHandle {
    pub(crate) engine: Arc<Engine>,
    stop: tokio::sync::watch::Sender<bool>,
    pub(crate) state: Arc<Mutex<RoundState>>,
    pub(crate) cancel: Arc<AtomicBool>,
    /// Stops the watch of the machine's network.
    net_stop: Arc<AtomicBool>,
}

/// Where the background rounds stand.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoundState {
    pub(crate) running: bool,
    pub(crate) progress: Option<SyncProgress>,
    pub(crate) last_round: Option<String>,
}

impl SyncHandle {
    /// Starts the background rounds for `app`'s node.
    pub(crate) fn start<R: Runtime>(
        handle: &AppHandle<R>,
        app: &App,
    ) -> Result<SyncHandle, CoreError> {
        let engine = Arc::new(
            Engine::new(
                Arc::new(Mutex::new(app.sync_connection()?)),
                SyncOptions::default(),
            )
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        );
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        // A cable plugged in or a wifi joined: a round with every peer now.
        let net_stop = Arc::new(AtomicBool::new(false));
        let watched = engine.clone();
        enlace_node::watch_network(move || watched.network_changed(), net_stop.clone());
        let state = Arc::new(Mutex::new(RoundState::default()));
        let (e, s, h) = (engine.clone(), state.clone(), handle.clone());
        tauri::async_runtime::spawn(async move {
            let progress = |p: &SyncProgress| on_progress(&h, &s, p);
            let after = |reports: &[PeerReport]| on_finished(&h, &s, reports);
            let until_stopped = async move {
                let _ = stopped.wait_for(|v| *v).await;
            };
            e.run_periodic(interval(), until_stopped, &progress, &after)
                .await;
        });
        Ok(SyncHandle {
            engine,
            stop,
            state,
            cancel: Arc::new(AtomicBool::new(false)),
            net_stop,
        })
    }

    pub(crate) fn stop(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.net_stop.store(true, Ordering::Relaxed);
        let _ = self.stop.send(true);
    }
}

pub(crate) fn on_progress<R: Runtime>(h: &AppHandle<R>, s: &Mutex<RoundState>, p: &SyncProgress) {
    if let Ok(mut st) = s.lock() {
        st.running = true;
        st.progress = Some(p.clone());
    }
    let _ = h.emit("sync-progress", p);
}

pub(crate) fn on_finished<R: Runtime>(
    h: &AppHandle<R>,
    s: &Mutex<RoundState>,
    reports: &[PeerReport],
) {
    if let Ok(mut st) = s.lock() {
        st.running = false;
        st.progress = None;
        st.last_round = Some(enlace_core::now_rfc3339());
    }
    let _ = h.emit("sync-finished", reports);
}
