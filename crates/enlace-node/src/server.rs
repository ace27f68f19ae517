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
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long requests in flight may take to finish at shutdown.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The key of the peer on a connection (from its TLS certificate).
#[derive(Debug, Clone, Copy)]
struct Peer([u8; 32]);

#[derive(Clone)]
struct ServerState {
    app: Shared,
}

/// Serves sync on `listener` until `shutdown` completes. Accepts the
/// peers paired in `app`'s database (read again when an unknown key
/// connects, through a connection of its own). `app` should be a
/// connection of its own: it becomes a sync connection (`App::for_sync`).
pub async fn serve(
    listener: TcpListener,
    app: Shared,
    identity: &Identity,
    shutdown: impl Future<Output = ()>,
) -> Result<(), NodeError> {
    app.lock().map_err(|_| NodeError::Poisoned)?.for_sync()?;
    let reader = std::sync::Mutex::new(app.lock().map_err(|_| NodeError::Poisoned)?.reopen()?);
    let peers = PeerSet::loading(Arc::new(move || {
        reader.lock().ok().and_then(|a| a.peer_keys().ok())
    }));
    let acceptor = TlsAcceptor::from(identity.server_config(peers)?);
    let router = Router::new()
        .route(enlace_sync::ROUND_PATH, post(round))
        .route(enlace_sync::RECONCILE_PATH, post(reconcile))
        .layer(DefaultBodyLimit::max(LIMITS.max_body))
        .with_state(ServerState { app });
    let graceful = GracefulShutdown::new();
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
                tokio::spawn(async move {
                    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
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
                    let service = TowerToHyperService::new(router.layer(Extension(Peer(key))));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HANDSHAKE_TIMEOUT)
                        .serve_connection(TokioIo::new(tls), service);
                    if let Err(e) = watcher.watch(conn).await {
                        tracing::debug!("connection with {addr} ended: {e}");
                    }
                });
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
        let mut app = app.lock().map_err(|_| crate::poisoned())?;
        let (answer, served) = enlace_sync::serve_round(&mut *app, &peer.0, &body)?;
        if let Err(e) = app.record_served(&peer.0, bytes_in, answer.len() as u64, &served) {
            tracing::warn!("could not record the sync with a peer: {e}");
        }
        Ok::<_, SyncError>(answer)
    })
    .await;
    answer(result)
}

async fn reconcile(
    State(st): State<ServerState>,
    Extension(peer): Extension<Peer>,
    body: Bytes,
) -> Response {
    let app = st.app.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut app = app.lock().map_err(|_| crate::poisoned())?;
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
