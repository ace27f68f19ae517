//! The app as a small office's hub: an optional listener on the LAN (off
//! by default), the same server as `enlace serve` — mutual TLS, paired
//! peers only — while the node is unlocked. Whether it listens and on which
//! port is remembered beside the database (`preferences.json`); at lock it
//! stops, at unlock it starts again. The sync panel's switch is
//! `commands::sync::set_listener`.

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use enlace_core::ErrorCode;
use enlace_domain::{Lang, tr, tr_args};
use enlace_node::{Identity, Listener, NodeError, OnReceived, Shared};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;

/// The port a new listener offers (the one `enlace serve` uses).
pub(crate) const DEFAULT_PORT: u16 = 7443;
/// Ports below this need the administrator's rights on most systems.
pub(crate) const LOWEST_PORT: u16 = 1024;

/// What is remembered: on or off, and the port.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct HubPrefs {
    pub(crate) on: bool,
    pub(crate) port: u16,
}

impl Default for HubPrefs {
    fn default() -> HubPrefs {
        HubPrefs {
            on: false,
            port: DEFAULT_PORT,
        }
    }
}

/// The listener as the sync panel shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ListenerView {
    /// Asked to listen (remembered across restarts).
    pub on: bool,
    /// Listening now.
    pub listening: bool,
    pub port: u16,
    /// Where the office's other nodes reach this one (https://IP:PORT), one
    /// per network address of this machine; empty while not listening.
    pub urls: Vec<String>,
    /// Why it does not listen although asked to, in words.
    #[ts(optional)]
    pub error: Option<String>,
}

/// The running listener, or why it could not start.
#[derive(Default)]
pub(crate) struct ListenerSlot {
    running: Option<Listener>,
    error: Option<String>,
}

impl ListenerSlot {
    /// Stops a running listener (its port closes within moments).
    pub(crate) fn stop(&mut self) {
        self.running = None;
        self.error = None;
    }

    /// Listens on `port` of every address of this machine for `app`'s
    /// paired peers (a listener already on that port is kept), telling
    /// `on_received` when a peer's round brought documents. A port that
    /// cannot be listened on is kept as the error the panel shows.
    pub(crate) fn start(
        &mut self,
        connection: Shared,
        identity: &Identity,
        port: u16,
        on_received: OnReceived,
        lang: Lang,
    ) {
        if self.listens_on(port) {
            return;
        }
        self.stop();
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
        let runtime = tauri::async_runtime::handle();
        // A listener just stopped lets go of its port within moments.
        let mut tries = 0;
        loop {
            let notify = Some(on_received.clone());
            match Listener::start(runtime.inner(), addr, connection.clone(), identity, notify) {
                Ok(l) => {
                    self.running = Some(l);
                    return;
                }
                Err(NodeError::Listen { source, .. })
                    if source.kind() == ErrorKind::AddrInUse && tries < 10 =>
                {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => {
                    self.error = Some(listen_message(&e, port, lang));
                    return;
                }
            }
        }
    }

    /// Whether a listener is serving on `port` now.
    pub(crate) fn listens_on(&self, port: u16) -> bool {
        self.running
            .as_ref()
            .is_some_and(|l| l.local_addr().port() == port && l.failure().is_none())
    }

    pub(crate) fn view(&self, prefs: HubPrefs, lang: Lang) -> ListenerView {
        let failure = self.running.as_ref().and_then(Listener::failure);
        let urls = match self.running.as_ref().filter(|_| failure.is_none()) {
            Some(l) => {
                let port = l.local_addr().port();
                enlace_node::lan_addresses()
                    .iter()
                    .map(|ip| format!("https://{ip}:{port}"))
                    .collect()
            }
            None => Vec::new(),
        };
        let error = failure
            .map(|detail| tr_args(lang, "err-tls", &[("detail", &detail)]))
            .or_else(|| self.error.clone());
        ListenerView {
            on: prefs.on,
            listening: self.running.is_some() && error.is_none(),
            port: prefs.port,
            urls,
            error: if prefs.on { error } else { None },
        }
    }
}

/// Why a port cannot be listened on, in the user's language.
fn listen_message(e: &NodeError, port: u16, lang: Lang) -> String {
    let NodeError::Listen { source, .. } = e else {
        return tr_args(lang, "err-tls", &[("detail", &e.to_string())]);
    };
    let detail = match source.kind() {
        ErrorKind::AddrInUse => tr(lang, "err-listen-in-use"),
        ErrorKind::PermissionDenied => tr(lang, "err-listen-denied"),
        _ => source.to_string(),
    };
    tr_args(
        lang,
        "err-listen",
        &[("addr", &format!("0.0.0.0:{port}")), ("detail", &detail)],
    )
}

/// A port the panel may ask for: a number from 1024 to 65535.
pub(crate) fn checked_port(port: u32, lang: Lang) -> Result<u16, IpcError> {
    u16::try_from(port)
        .ok()
        .filter(|p| *p >= LOWEST_PORT)
        .ok_or_else(|| IpcError {
            code: ErrorCode::InvalidInput,
            message: tr_args(
                lang,
                "err-listen-port",
                &[
                    ("port", &port.to_string()),
                    ("lowest", &LOWEST_PORT.to_string()),
                ],
            ),
            issues: vec![],
            candidates: vec![],
        })
}
