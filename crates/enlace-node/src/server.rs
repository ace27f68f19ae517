//! The sync server: HTTPS with mutual TLS on a listener the caller binds,
//! answering `/sync/v1/round` and `/sync/v1/reconcile` for paired peers
//! only, until the shutdown future completes (then it stops accepting and
//! lets requests in flight finish: each one applies in one transaction, so
//! a request cut short changes nothing).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use enlace_core::CoreError;
use enlace_sync::{ErrorBody, LIMITS, SyncError, WireError, codec};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::tls::{Identity, PeerSet, certificate_key};
use crate::{MEDIA_TYPE, NodeError, Shared};

/// How long a handshake or a request's headers may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long requests in flight may take to finish at shutdown.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections not yet through the TLS handshake, at most, in all and
/// from one address: one more makes room by closing the oldest from its
/// own address (or, past the total, the oldest from the address holding
/// the most), so connections
/// that open and say nothing (anyone can open them) cannot keep a paired
/// peer out, and one address flooding displaces only its own.
pub const MAX_HANDSHAKES: usize = 64;
pub const MAX_HANDSHAKES_PER_ADDRESS: usize = 8;
/// Connections through the handshake (paired peers), at most, in all and
/// from one peer.
pub const MAX_CONNECTIONS: usize = 128;
pub const MAX_PER_PEER: usize = 4;

/// The key of the peer on a connection (from its TLS certificate).
#[derive(Debug, Clone, Copy)]
struct Peer([u8; 32]);

/// Called after a peer's round brought documents, with how many (the
/// desktop app refreshes its screens).
pub type OnReceived = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

#[derive(Clone)]
struct ServerState {
    app: Shared,
    on_received: Option<OnReceived>,
}

/// Handshakes under way, oldest first, each with its address and the
/// handle that ends it.
#[derive(Default)]
struct Pending {
    next: u64,
    queue: std::collections::VecDeque<(u64, std::net::IpAddr, tokio::task::AbortHandle)>,
}

impl Pending {
    /// Room for one more handshake from `ip`.
    fn make_room(&mut self, ip: std::net::IpAddr) {
        let count = |ip: std::net::IpAddr| self.queue.iter().filter(|(_, a, _)| *a == ip).count();
        let from = if count(ip) >= MAX_HANDSHAKES_PER_ADDRESS {
            Some(ip)
        } else if self.queue.len() >= MAX_HANDSHAKES {
            // The address holding the most places gives one up.
            self.queue
                .iter()
                .map(|(_, a, _)| *a)
                .max_by_key(|a| count(*a))
        } else {
            None
        };
        let victim = from.and_then(|ip| self.queue.iter().position(|(_, a, _)| *a == ip));
        if let Some((_, _, task)) = victim.and_then(|i| self.queue.remove(i)) {
            task.abort();
        }
    }
}

/// Connections through the handshake, in all and per peer.
#[derive(Default)]
struct Established {
    total: usize,
    per_peer: std::collections::HashMap<[u8; 32], usize>,
}

/// A place among the established connections, given back when dropped.
struct Slot {
    table: Arc<std::sync::Mutex<Established>>,
    key: [u8; 32],
}

impl Slot {
    fn take(table: &Arc<std::sync::Mutex<Established>>, key: [u8; 32]) -> Option<Slot> {
        let mut t = table.lock().ok()?;
        let mine = t.per_peer.get(&key).copied().unwrap_or(0);
        if t.total >= MAX_CONNECTIONS || mine >= MAX_PER_PEER {
            return None;
        }
        t.total += 1;
        t.per_peer.insert(key, mine + 1);
        Some(Slot {
            table: Arc::clone(table),
            key,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut t) = self.table.lock() {
            t.total = t.total.saturating_sub(1);
            if let Some(n) = t.per_peer.get_mut(&self.key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    t.per_peer.remove(&self.key);
                }
            }
        }
    }
}

/// Serves sync on `listener` until `shutdown` completes. Accepts the
/// peers paired in `app`'s database, asked at every handshake through a
/// connection of its own (a peer paired or removed by another process
/// counts at once). `app` is a sync connection of its own
/// (`App::sync_connection`). At most [`MAX_HANDSHAKES`]
/// handshakes run at once (a new one closes the oldest) and at most
/// [`MAX_CONNECTIONS`] connections ([`MAX_PER_PEER`] per peer) are kept.
pub async fn serve(
    listener: TcpListener,
    app: Shared,
    identity: &Identity,
    shutdown: impl Future<Output = ()>,
) -> Result<(), NodeError> {
    serve_notifying(listener, app, identity, shutdown, None).await
}

/// [`serve`], calling `on_received` after each round that brought
/// documents.
pub async fn serve_notifying(
    listener: TcpListener,
    app: Shared,
    identity: &Identity,
    shutdown: impl Future<Output = ()>,
    on_received: Option<OnReceived>,
) -> Result<(), NodeError> {
    let reader = std::sync::Mutex::new(crate::lock(&app).reopen()?);
    let peers = PeerSet::checking(Arc::new(move |key| {
        reader
            .lock()
            .ok()
            .and_then(|a| a.is_peer(key).ok())
            .unwrap_or(false)
    }));
    let acceptor = TlsAcceptor::from(identity.server_config(peers)?);
    let router = Router::new()
        .route(enlace_sync::ROUND_PATH, post(round))
        .route(enlace_sync::RECONCILE_PATH, post(reconcile))
        .layer(DefaultBodyLimit::max(LIMITS.max_body))
        .with_state(ServerState { app, on_received });
    let graceful = GracefulShutdown::new();
    let pending = Arc::new(std::sync::Mutex::new(Pending::default()));
    let established = Arc::new(std::sync::Mutex::new(Established::default()));
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (tcp, addr) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::warn!("accepting a connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let router = router.clone();
                let watcher = graceful.watcher();
                let (pending2, established2) = (Arc::clone(&pending), Arc::clone(&established));
                // The task starts once it is registered (so it can always
                // find itself in the queue when its handshake is done).
                let (go, ready) = tokio::sync::oneshot::channel::<u64>();
                let task = tokio::spawn(async move {
                    let Ok(id) = ready.await else { return };
                    let shook = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await;
                    if let Ok(mut p) = pending2.lock() {
                        p.queue.retain(|(i, _, _)| *i != id);
                    }
                    let tls = match shook {
                        Ok(Ok(tls)) => tls,
                        Ok(Err(e)) => {
                            tracing::info!("TLS with {addr} refused: {e}");
                            return;
                        }
                        Err(_) => return,
                    };
                    let Some(key) = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|c| c.first())
                        .and_then(certificate_key)
                    else {
                        return;
                    };
                    let Some(_slot) = Slot::take(&established2, key) else {
                        tracing::warn!(
                            "refused a connection from {}: too many connections",
                            hex::encode(&key[..8])
                        );
                        return;
                    };
                    let service = TowerToHyperService::new(router.layer(Extension(Peer(key))));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HANDSHAKE_TIMEOUT)
                        .serve_connection(TokioIo::new(tls), service);
                    if let Err(e) = watcher.watch(conn).await {
                        tracing::debug!("connection with {addr} ended: {e}");
                    }
                });
                let id = match pending.lock() {
                    Ok(mut p) => {
                        p.make_room(addr.ip());
                        p.next += 1;
                        let id = p.next;
                        p.queue.push_back((id, addr.ip(), task.abort_handle()));
                        id
                    }
                    Err(_) => {
                        task.abort();
                        continue;
                    }
                };
                let _ = go.send(id);
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            tracing::warn!("requests still running after {} s were cut", DRAIN_TIMEOUT.as_secs());
        }
    }
    Ok(())
}

async fn round(
    State(st): State<ServerState>,
    Extension(peer): Extension<Peer>,
    body: Bytes,
) -> Response {
    let bytes_in = body.len() as u64;
    let app = st.app.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut app = crate::lock(&app);
        let (answer, mut served) = enlace_sync::serve_round(&mut *app, &peer.0, &body)?;
        served.traffic.bytes_received = bytes_in;
        served.traffic.bytes_sent = answer.len() as u64;
        if let Err(e) = app.record_served(&peer.0, &served) {
            tracing::warn!("could not record the sync with a peer: {e}");
        }
        Ok::<_, SyncError>((answer, served.traffic.docs_received))
    })
    .await;
    let result = result.map(|r| {
        r.map(|(answer, received)| {
            if received > 0
                && let Some(f) = &st.on_received
            {
                f(received);
            }
            answer
        })
    });
    answer(result)
}

async fn reconcile(
    State(st): State<ServerState>,
    Extension(peer): Extension<Peer>,
    body: Bytes,
) -> Response {
    let app = st.app.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut app = crate::lock(&app);
        enlace_sync::serve_reconcile(&mut *app, &peer.0, &body)
    })
    .await;
    answer(result)
}

fn answer(result: Result<Result<Vec<u8>, SyncError>, tokio::task::JoinError>) -> Response {
    match result {
        Ok(Ok(body)) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, MEDIA_TYPE)], body).into_response()
        }
        Ok(Err(e)) => error_response(&e),
        Err(e) => error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &e.to_string(),
        ),
    }
}

/// The HTTP status and error body for a failure (docs/sync-protocol.md).
fn error_response(e: &SyncError) -> Response {
    match e {
        SyncError::Wire(WireError::TooLarge { .. }) => {
            error_body(StatusCode::PAYLOAD_TOO_LARGE, "too_large", &e.to_string())
        }
        SyncError::Wire(WireError::Version { .. }) => {
            error_body(StatusCode::BAD_REQUEST, "version", &e.to_string())
        }
        SyncError::Wire(_) => error_body(StatusCode::BAD_REQUEST, "malformed", &e.to_string()),
        SyncError::Local(inner) => {
            let (status, code) = match inner.downcast_ref::<CoreError>() {
                Some(CoreError::Store(enlace_core::StoreError::DiskFull)) => {
                    (StatusCode::INSUFFICIENT_STORAGE, "disk_full")
                }
                Some(CoreError::Store(enlace_core::StoreError::Busy)) => {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy")
                }
                Some(CoreError::UnknownPeer { .. }) => (StatusCode::FORBIDDEN, "not_paired"),
                Some(CoreError::PeerSent { .. }) => (StatusCode::BAD_REQUEST, "malformed"),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, "storage"),
            };
            tracing::warn!("a sync request failed here: {inner}");
            error_body(status, code, &inner.to_string())
        }
        other => error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &other.to_string(),
        ),
    }
}

fn error_body(status: StatusCode, code: &str, message: &str) -> Response {
    let body = codec::encode(&ErrorBody {
        code: code.to_owned(),
        message: message.chars().take(1000).collect(),
    });
    (status, [(header::CONTENT_TYPE, MEDIA_TYPE)], body).into_response()
}
