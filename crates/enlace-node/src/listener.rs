//! A listener started and stopped while a program runs: what lets the
//! desktop app be the hub of a small office (two laptops at one border post
//! sync with each other without a server). It is [`serve`](crate::serve) —
//! the same mutual TLS, paired peers only — on a port the caller chooses,
//! with the machine's addresses that other nodes can type in.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::server::OnReceived;
use crate::tls::Identity;
use crate::{NodeError, Shared};

/// A running listener; it stops when stopped or dropped (requests in
/// flight finish: each applies in one transaction).
pub struct Listener {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    /// Why the server stopped by itself (its TLS or database could not be
    /// set up), if it did.
    failed: Arc<Mutex<Option<String>>>,
}

impl Listener {
    /// Binds `addr` now, so a port in use or not allowed is said at once,
    /// and serves on it on `runtime` until stopped; `on_received` is told
    /// when a peer's round brought documents.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        addr: SocketAddr,
        app: Shared,
        identity: &Identity,
        on_received: Option<OnReceived>,
    ) -> Result<Listener, NodeError> {
        let listen_error = |source| NodeError::Listen {
            addr: addr.to_string(),
            source,
        };
        let socket = std::net::TcpListener::bind(addr).map_err(listen_error)?;
        socket.set_nonblocking(true).map_err(listen_error)?;
        let bound = socket.local_addr().map_err(listen_error)?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(socket).map_err(listen_error)?
        };
        let (stop, mut stopped) = watch::channel(false);
        let identity = identity.clone();
        let failed = Arc::new(Mutex::new(None));
        let failure = Arc::clone(&failed);
        runtime.spawn(async move {
            let until_stopped = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            let served = crate::server::serve_notifying(
                listener,
                app,
                &identity,
                until_stopped,
                on_received,
            );
            if let Err(e) = served.await {
                tracing::warn!("the listener on {bound} stopped: {e}");
                if let Ok(mut f) = failure.lock() {
                    *f = Some(e.to_string());
                }
            }
        });
        tracing::info!("listening for paired peers on {bound}");
        Ok(Listener {
            addr: bound,
            stop,
            failed,
        })
    }

    /// Why the server stopped by itself, if it did (it no longer listens).
    pub fn failure(&self) -> Option<String> {
        self.failed.lock().ok().and_then(|f| f.clone())
    }

    /// The address bound (with the port the system chose for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The addresses other nodes of the office can reach this machine at:
/// every IPv4 address of an interface that is up, not loopback, not
/// link-local (169.254/16, what a cable without DHCP gets, is included
/// last: two laptops joined by one cable have nothing else). Sorted,
/// without repeats.
pub fn lan_addresses() -> Vec<IpAddr> {
    let Ok(interfaces) = if_addrs::get_if_addrs() else {
        return Vec::new();
    };
    let mut found: Vec<IpAddr> = interfaces
        .iter()
        .filter(|i| !i.is_loopback() && !is_down(&i.oper_status))
        .map(if_addrs::Interface::ip)
        .filter(IpAddr::is_ipv4)
        .collect();
    found.sort_by_key(|ip| (is_link_local(ip), *ip));
    found.dedup();
    found
}

fn is_down(status: &if_addrs::IfOperStatus) -> bool {
    use if_addrs::IfOperStatus::{Down, LowerLayerDown, NotPresent};
    matches!(status, Down | LowerLayerDown | NotPresent)
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(_) => false,
    }
}
