//! The sync panel: where sync stands, "sync now", pairing, the
//! quarantine, and bundles.

use std::sync::atomic::Ordering;

use enlace_core::{
    BundleExported, BundleFound, BundleImported, NodeInfo, PeerInput, PeerView, QuarantineView,
    RevocationView, SyncFaultCode,
};
use enlace_domain::Lang;
use enlace_node::{PeerReport, SyncProgress};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

use super::exports::{chrono_stamp, ensure_exports};
use crate::error::{IpcError, IpcResult};
use crate::listener::{ListenerView, checked_port};
use crate::shell::Shell;
use crate::sync::{interval, on_finished, on_progress};

/// Whether this node and its peers reach each other, as far as the last
/// contacts say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Connection {
    /// The last contact with some peer worked (this node reached it, or it
    /// reached this node's listener).
    Online,
    /// The last attempt with every peer failed for want of a network.
    Offline,
    /// No contact with any peer yet.
    Unknown,
}

/// What the sync panel shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncPanel {
    /// What another node needs to pair with this one.
    pub node: NodeInfo,
    pub peers: Vec<PeerView>,
    pub running: bool,
    #[ts(optional)]
    pub progress: Option<SyncProgress>,
    pub connection: Connection,
    /// Received changes that were not merged.
    #[ts(type = "number")]
    pub quarantined: u64,
    /// Seconds between background rounds.
    #[ts(type = "number")]
    pub interval_secs: u64,
    #[ts(optional)]
    pub last_round: Option<String>,
    /// The last successful sync with any peer (either way), for the status
    /// bar of every screen.
    #[ts(optional)]
    pub last_success: Option<String>,
    /// The listener for the office's nodes (off by default).
    pub listener: ListenerView,
    /// Keys revoked here or received from nodes of their country.
    pub revocations: Vec<RevocationView>,
}

fn connection(peers: &[PeerView]) -> Connection {
    // Peers this node reaches, and peers that reach it (a laptop that
    // serves its office through the LAN listener is online when they do).
    let tried: Vec<&PeerView> = peers.iter().filter(|p| p.last_attempt.is_some()).collect();
    if tried.iter().any(|p| p.last_error.is_none()) {
        return Connection::Online;
    }
    let no_network = |p: &&PeerView| {
        p.last_error.as_ref().is_some_and(|e| {
            matches!(
                e.code,
                SyncFaultCode::Unreachable | SyncFaultCode::Timeout | SyncFaultCode::Interrupted
            )
        })
    };
    if !tried.is_empty() && tried.iter().all(no_network) {
        Connection::Offline
    } else {
        Connection::Unknown
    }
}

/// The latest successful sync with any peer (the node writes every time in
/// one UTC form, `2026-12-06T09:03:35.123Z`, so the text orders as time).
fn last_success(peers: &[PeerView]) -> Option<String> {
    peers.iter().filter_map(|p| p.last_success.clone()).max()
}

/// Translates the faults of reports for the UI.
fn translated(mut reports: Vec<PeerReport>, lang: Lang) -> Vec<PeerReport> {
    for r in &mut reports {
        if let Some(f) = &mut r.fault {
            f.message = f.code.message(lang, &r.peer);
        }
    }
    reports
}

#[tauri::command(async)]
pub(crate) fn sync_panel(shell: State<'_, Shell>) -> IpcResult<SyncPanel> {
    let lang = shell.lang();
    let round = shell.with_sync(|s| s.state.lock().map(|g| g.clone()).unwrap_or_default())?;
    let listener = shell.listener_view();
    shell.with_app(|a| {
        let peers = a.peers(lang)?;
        Ok(SyncPanel {
            node: a.node_info(),
            connection: connection(&peers),
            last_success: last_success(&peers),
            quarantined: a.quarantine_total()?,
            peers,
            running: round.running,
            progress: round.progress,
            interval_secs: interval().as_secs(),
            last_round: round.last_round,
            listener,
            revocations: a.revocations()?,
        })
    })
}

/// Turns the listener for the office's nodes on (on `port`) or off, and
/// remembers the choice. A port that cannot be listened on comes back in
/// the view's `error`, with the choice kept (the next unlock tries again).
#[tauri::command(async)]
pub(crate) fn set_listener<R: Runtime>(
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    on: bool,
    port: u32,
) -> IpcResult<ListenerView> {
    let port = checked_port(port, shell.lang())?;
    // Listening for the office's nodes is the node administrator's call.
    shell.with_app(|a| a.require(enlace_domain::Permission::ManagePeers))?;
    shell.with_sync(|_| ())?;
    shell.update_prefs(|p| {
        p.hub.on = on;
        p.hub.port = port;
    });
    shell.apply_listener(&handle)
}

/// One round now with every peer that has an address (or `peer` only).
#[tauri::command]
pub(crate) async fn sync_now<R: Runtime>(
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    peer: Option<String>,
) -> IpcResult<Vec<PeerReport>> {
    let lang = shell.lang();
    let (engine, state, cancel) =
        shell.with_sync(|s| (s.engine.clone(), s.state.clone(), s.cancel.clone()))?;
    cancel.store(false, Ordering::Relaxed);
    if let Ok(mut st) = state.lock() {
        st.running = true;
    }
    let progress = |p: &SyncProgress| on_progress(&handle, &state, p);
    let result = engine
        .sync_now(peer.as_deref(), false, interval(), Some(cancel), &progress)
        .await;
    match result {
        Ok(reports) => {
            on_finished(&handle, &state, &reports);
            Ok(translated(reports, lang))
        }
        Err(e) => {
            if let Ok(mut st) = state.lock() {
                st.running = false;
                st.progress = None;
            }
            Err(node_error(e, lang))
        }
    }
}

fn node_error(e: enlace_node::NodeError, lang: Lang) -> IpcError {
    match e {
        enlace_node::NodeError::Core(c) => IpcError::new(c, lang),
        enlace_node::NodeError::NoAddress(peer) => IpcError {
            code: enlace_core::ErrorCode::Sync,
            message: enlace_domain::tr_args(lang, "err-no-address", &[("peer", &peer)]),
            issues: vec![],
            candidates: vec![],
        },
        other => IpcError {
            code: enlace_core::ErrorCode::Sync,
            message: enlace_domain::tr_args(lang, "err-tls", &[("detail", &other.to_string())]),
            issues: vec![],
            candidates: vec![],
        },
    }
}

/// Stops a round in progress between two requests (what arrived stays).
#[tauri::command]
pub(crate) fn cancel_sync(shell: State<'_, Shell>) -> IpcResult<()> {
    shell.with_sync(|s| s.cancel.store(true, Ordering::Relaxed))
}

/// Sets a peer's place in its country (what sync gives it of the
/// country's identities).
#[tauri::command(async)]
pub(crate) fn set_peer_role(
    shell: State<'_, Shell>,
    name: String,
    role: enlace_domain::NodeRole,
) -> IpcResult<PeerView> {
    shell.with_app(|a| a.set_peer_role(&name, role))
}

/// The country administrator key this node trusts, if any.
#[tauri::command(async)]
pub(crate) fn country_key(
    shell: State<'_, Shell>,
) -> IpcResult<Option<enlace_core::CountryKeyView>> {
    shell.with_app(|a| a.country_key())
}

/// Makes the country's administrator key here (at the hub).
#[tauri::command(async)]
pub(crate) fn country_key_create(
    shell: State<'_, Shell>,
) -> IpcResult<enlace_core::CountryKeyView> {
    shell.with_app(|a| a.country_key_create())
}

/// Trusts a country administrator key made at the hub.
#[tauri::command(async)]
pub(crate) fn country_key_trust(
    shell: State<'_, Shell>,
    key: String,
) -> IpcResult<enlace_core::CountryKeyView> {
    shell.with_app(|a| a.country_key_trust(&key))
}

/// Sets this node's own place in its country.
#[tauri::command(async)]
pub(crate) fn set_node_role(
    shell: State<'_, Shell>,
    role: enlace_domain::NodeRole,
) -> IpcResult<enlace_core::NodeInfo> {
    shell.with_app(|a| a.set_node_role(role))
}

/// Pairs with a node. Takes JSON so a malformed field comes back typed.
#[tauri::command(async)]
pub(crate) fn add_peer(shell: State<'_, Shell>, input: serde_json::Value) -> IpcResult<PeerView> {
    let lang = shell.lang();
    let view = shell.with_app(|a| {
        let input: PeerInput = enlace_domain::input::from_value(input)?;
        let name = input.name.clone();
        a.add_peer(input)?;
        a.peer(&name, lang)
    })?;
    // Ask for a round: a new peer with an address syncs now.
    let _ = shell.with_sync(|s| s.engine.wake());
    Ok(view)
}

#[tauri::command(async)]
pub(crate) fn remove_peer(shell: State<'_, Shell>, name: String) -> IpcResult<()> {
    shell.with_app(|a| a.remove_peer(&name))
}

/// Revokes a lost or stolen node of this country (see
/// `App::revoke_key`).
#[tauri::command(async)]
pub(crate) fn revoke_peer(shell: State<'_, Shell>, name: String) -> IpcResult<RevocationView> {
    shell.with_app(|a| a.revoke_key(&name))
}

#[tauri::command(async)]
pub(crate) fn quarantine(shell: State<'_, Shell>) -> IpcResult<Vec<QuarantineView>> {
    shell.with_app(|a| a.quarantine())
}

/// Writes a bundle for `peer` into the exports folder.
#[tauri::command(async)]
pub(crate) fn export_bundle(shell: State<'_, Shell>, peer: String) -> IpcResult<BundleExported> {
    let dir = ensure_exports(&shell)?;
    let safe: String = peer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let path = dir.join(format!("enlace-{safe}-{}.enlace", chrono_stamp()));
    shell.with_app(|a| a.export_bundle(&peer, &path, &mut |_, _| {}))
}

/// Where bundles for this node are looked for: removable media, the usual
/// download and desktop folders, the home folder, and the folders in
/// `ENLACE_BUNDLE_DIRS` (separated like PATH).
fn bundle_roots() -> Vec<std::path::PathBuf> {
    let mut roots: Vec<std::path::PathBuf> = std::env::var_os("ENLACE_BUNDLE_DIRS")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    roots.extend(["/media", "/run/media", "/mnt"].map(std::path::PathBuf::from));
    if let Some(home) = std::env::var_os("HOME").map(std::path::PathBuf::from) {
        for sub in ["Descargas", "Downloads", "Escritorio", "Desktop"] {
            roots.push(home.join(sub));
        }
        roots.push(home);
    }
    roots
}

/// Bundles addressed to this node on the disks the panel looks at.
#[tauri::command(async)]
pub(crate) fn find_bundles(shell: State<'_, Shell>) -> IpcResult<Vec<BundleFound>> {
    let roots = bundle_roots();
    shell.with_app(|a| a.find_bundles(&roots))
}

/// Applies a bundle file (a path the user typed or chose).
#[tauri::command(async)]
pub(crate) fn import_bundle<R: Runtime>(
    handle: AppHandle<R>,
    shell: State<'_, Shell>,
    path: String,
) -> IpcResult<BundleImported> {
    let path = std::path::PathBuf::from(path.trim());
    let done = shell.with_app(|a| {
        a.import_bundle(&path, &mut |done, total| {
            let _ = handle.emit(
                "progress",
                crate::Progress {
                    task: "bundle".into(),
                    done,
                    total,
                },
            );
        })
    })?;
    let _ = handle.emit("sync-finished", Vec::<PeerReport>::new());
    Ok(done)
}
