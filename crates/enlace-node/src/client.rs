//! The sync client: one session with one peer over HTTPS with mutual TLS,
//! driving the sans-IO session of enlace-sync, and the fault it ended
//! with in words for people.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use enlace_core::{CoreError, SyncFault, SyncFaultCode, SyncOutcome};
use enlace_domain::Traffic;
use enlace_sync::{ClientSession, ErrorBody, SessionStats, SyncError, WireError, codec};
use serde::Serialize;
use ts_rs::TS;

use rustls::pki_types::ServerName;

use crate::tls::Identity;
use crate::{MEDIA_TYPE, NodeError, Shared};

/// Where to reach a peer.
#[derive(Debug, Clone)]
pub struct PeerTarget {
    pub name: String,
    pub country: String,
    pub key: [u8; 32],
    pub url: String,
}

/// How a session runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Largest page asked for (change bytes before compression).
    pub page_bytes: u32,
    pub connect_timeout: Duration,
    /// For one request (one page each way).
    pub request_timeout: Duration,
    /// For a whole session: a peer that keeps a session going (slowly, or
    /// saying "more" forever) is left at this point; the next session
    /// continues where this one stopped.
    pub session_timeout: Duration,
    /// Set to stop between two requests (what arrived stays applied).
    pub cancel: Option<Arc<AtomicBool>>,
    /// How often the periodic loop knocks at the peers waiting after
    /// failures (a TCP connection, nothing sent): one that answers again
    /// is synced at once, not at the end of its backoff.
    pub probe_every: Duration,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            page_bytes: 1 << 20,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            session_timeout: Duration::from_secs(3600),
            cancel: None,
            probe_every: Duration::from_secs(10),
        }
    }
}

/// Progress of a session, after each answer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub peer: String,
    #[ts(type = "number")]
    pub requests: u64,
    /// What moved so far.
    #[serde(flatten)]
    #[ts(flatten)]
    pub traffic: Traffic,
    /// Entries of the peer's log still to look at (0 when caught up).
    #[ts(type = "number")]
    pub remaining: u64,
}

/// What a session with one peer did (`enlace sync --json`, the app).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerReport {
    pub peer: String,
    pub country: String,
    pub ok: bool,
    #[ts(optional)]
    pub fault: Option<SyncFault>,
    /// HTTP requests made (round trips).
    #[ts(type = "number")]
    pub requests: u64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub traffic: Traffic,
    /// Changes or documents one side did not accept.
    #[ts(type = "number")]
    pub refused: u64,
    /// Cursors were missing or doubtful and the nodes compared heads.
    pub reconciled: bool,
    pub cancelled: bool,
    #[ts(type = "number")]
    pub millis: u64,
}

/// Why a request failed, as the session sees it.
enum Failure {
    Sync(SyncError),
    Http(reqwest::Error),
    Cancelled,
    /// The session ran past `session_timeout`.
    Overtime(Duration),
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Failure {
        Failure::Sync(e)
    }
}

/// Syncs with one peer: rounds until both sides are caught up, the link
/// fails, or `cancel` is set. Records the outcome on the peer (and in the
/// audit log) and returns it. Never panics on what the peer sends.
pub async fn sync_with(
    app: &Shared,
    identity: &Identity,
    target: &PeerTarget,
    opts: &SyncOptions,
    progress: &(dyn Fn(&SyncProgress) + Sync),
) -> PeerReport {
    let started = Instant::now();
    let mut session = ClientSession::new(target.key, opts.page_bytes);
    let result = run(app, identity, target, opts, &mut session, progress).await;
    let stats = session.stats().clone();
    let (mut fault, cancelled) = match &result {
        Ok(()) => (None, false),
        Err(Failure::Cancelled) => (None, true),
        Err(f) => (Some(fault_of(f)), false),
    };
    // Nothing came back and the error does not say why: ask the handshake
    // whether it is a pairing problem rather than a cut link.
    if let Some(f) = &mut fault
        && matches!(f.code, SyncFaultCode::Interrupted | SyncFaultCode::Other)
        && stats.traffic.bytes_received == 0
        && tls_refused(identity, target, opts.connect_timeout).await
    {
        f.code = SyncFaultCode::Refused;
        f.detail
            .push_str(" (a bare TLS handshake with the peer was refused)");
    }
    if let Some(f) = &fault {
        tracing::warn!(
            "sync with {} failed: {} ({})",
            target.name,
            f.code.as_str(),
            f.detail
        );
    }
    let outcome = SyncOutcome {
        fault: fault.clone(),
        traffic: stats.traffic,
        refused: stats.refused_by_peer + stats.refused_here,
    };
    let (app2, key) = (app.clone(), target.key);
    let recorded =
        tokio::task::spawn_blocking(move || crate::lock(&app2).record_sync(&key, &outcome)).await;
    if !matches!(recorded, Ok(Ok(()))) {
        tracing::warn!("could not record the sync with {}", target.name);
    }
    report(target, &stats, fault, cancelled, started.elapsed())
}

fn report(
    target: &PeerTarget,
    s: &SessionStats,
    fault: Option<SyncFault>,
    cancelled: bool,
    took: Duration,
) -> PeerReport {
    PeerReport {
        peer: target.name.clone(),
        country: target.country.clone(),
        ok: fault.is_none() && !cancelled,
        fault,
        requests: s.requests,
        traffic: s.traffic,
        refused: s.refused_by_peer + s.refused_here,
        reconciled: s.reconciled,
        cancelled,
        millis: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
    }
}

async fn run(
    app: &Shared,
    identity: &Identity,
    target: &PeerTarget,
    opts: &SyncOptions,
    session: &mut ClientSession,
    progress: &(dyn Fn(&SyncProgress) + Sync),
) -> Result<(), Failure> {
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(
            identity
                .client_config(target.key)
                .map_err(|e| Failure::Sync(SyncError::Transport(e.to_string())))?,
        )
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.request_timeout)
        .http1_only()
        .no_proxy()
        .build()
        .map_err(Failure::Http)?;
    let base = target.url.trim_end_matches('/').to_owned();
    let started = Instant::now();
    loop {
        if opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(Failure::Cancelled);
        }
        if started.elapsed() > opts.session_timeout {
            return Err(Failure::Overtime(opts.session_timeout));
        }
        let Some(req) = blocking(app, session, |s, a| s.next(a)).await? else {
            return Ok(());
        };
        let resp = client
            .post(format!("{base}{}", req.path))
            .header(reqwest::header::CONTENT_TYPE, MEDIA_TYPE)
            .body(req.body)
            .send()
            .await
            .map_err(Failure::Http)?;
        let status = resp.status();
        let body = read_capped(resp, enlace_sync::LIMITS.max_body).await?;
        if !status.is_success() {
            let e = codec::decode::<ErrorBody>(&body, &enlace_sync::LIMITS).unwrap_or(ErrorBody {
                code: format!("http_{}", status.as_u16()),
                message: String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
            });
            return Err(Failure::Sync(SyncError::Peer {
                code: e.code,
                message: e.message,
            }));
        }
        blocking(app, session, move |s, a| s.on_response(a, &body)).await?;
        let st = session.stats();
        progress(&SyncProgress {
            peer: target.name.clone(),
            requests: st.requests,
            traffic: st.traffic,
            remaining: st.remaining,
        });
    }
}

/// An answer's body, read no further than `limit` bytes: a peer cannot
/// make this node hold more than one message's worth in memory.
async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, Failure> {
    let too_large = || Failure::Sync(SyncError::Wire(WireError::TooLarge { limit }));
    if resp
        .content_length()
        .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit))
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Failure::Http)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Runs a step of the session against the store on a blocking thread.
async fn blocking<T: Send + 'static>(
    app: &Shared,
    session: &mut ClientSession,
    f: impl FnOnce(&mut ClientSession, &mut enlace_core::App) -> Result<T, SyncError> + Send + 'static,
) -> Result<T, Failure> {
    let app = app.clone();
    let mut owned = std::mem::replace(session, ClientSession::new([0; 32], 0));
    let (back, result) = tokio::task::spawn_blocking(move || {
        let result = f(&mut owned, &mut crate::lock(&app));
        (owned, result)
    })
    .await
    .map_err(|e| Failure::Sync(SyncError::Local(e.to_string().into())))?;
    *session = back;
    result.map_err(Failure::Sync)
}

/// The fault for people: what happened, from the error's kind.
fn fault_of(f: &Failure) -> SyncFault {
    let (code, detail) = match f {
        Failure::Cancelled => (SyncFaultCode::Other, "cancelled".to_owned()),
        Failure::Overtime(d) => (
            SyncFaultCode::Stalled,
            format!(
                "the session was stopped after {} minutes, the most one session may take; the next sync continues where it stopped",
                d.as_secs() / 60
            ),
        ),
        Failure::Http(e) => (http_fault(e), chain(e)),
        Failure::Sync(e) => (sync_fault(e), e.to_string()),
    };
    SyncFault {
        code,
        detail,
        message: String::new(),
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = c.source();
    }
    s
}

/// Whether TLS between this node and the peer is refused (either side
/// not knowing the other's key). A TLS 1.3 server refuses a client's
/// certificate after the client considers the handshake done, so an HTTP
/// client may only see a connection closed under it; a bare handshake and
/// one read tell the two apart.
pub(crate) async fn tls_refused(identity: &Identity, target: &PeerTarget, wait: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let wait = wait.min(Duration::from_secs(5));
    let Ok(url) = reqwest::Url::parse(&target.url) else {
        return false;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let Ok(name) = ServerName::try_from(host.clone()) else {
        return false;
    };
    let addr = host;
    let Ok(config) = identity.client_config(target.key) else {
        return false;
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let probe = async {
        let tcp = tokio::net::TcpStream::connect((addr.as_str(), port))
            .await
            .ok()?;
        match connector.connect(name, tcp).await {
            Err(e) => Some(is_tls_io(&e)),
            Ok(mut tls) => {
                let mut byte = [0u8; 1];
                match tokio::time::timeout(wait, tls.read(&mut byte)).await {
                    Ok(Err(e)) => Some(is_tls_io(&e)),
                    _ => Some(false),
                }
            }
        }
    };
    tokio::time::timeout(wait * 2, probe)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

fn is_tls_io(e: &std::io::Error) -> bool {
    e.get_ref()
        .is_some_and(|i| i.downcast_ref::<rustls::Error>().is_some())
}

/// True when a TLS failure is somewhere in the error's chain: a
/// certificate refused (by either side) or a TLS alert.
fn is_tls_refusal(e: &reqwest::Error) -> bool {
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = src {
        if c.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|i| i.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        src = c.source();
    }
    // Some connectors keep the TLS error only as text in their own.
    let text = chain(e);
    [
        "peer certificate",
        "fatal alert",
        "AccessDenied",
        "CertificateRequired",
        "BadCertificate",
        "HandshakeFailure",
    ]
    .iter()
    .any(|m| text.contains(m))
}

fn http_fault(e: &reqwest::Error) -> SyncFaultCode {
    if is_tls_refusal(e) {
        SyncFaultCode::Refused
    } else if e.is_timeout() {
        SyncFaultCode::Timeout
    } else if e.is_connect() {
        SyncFaultCode::Unreachable
    } else if e.is_body() || e.is_request() || e.is_decode() {
        SyncFaultCode::Interrupted
    } else {
        SyncFaultCode::Other
    }
}

fn sync_fault(e: &SyncError) -> SyncFaultCode {
    match e {
        SyncError::Wire(WireError::Version { .. }) => SyncFaultCode::Version,
        SyncError::Wire(_) => SyncFaultCode::Malformed,
        SyncError::Peer { code, .. } => match code.as_str() {
            "disk_full" | "storage" | "busy" => SyncFaultCode::PeerStorage,
            "version" => SyncFaultCode::Version,
            "not_paired" => SyncFaultCode::Refused,
            _ => SyncFaultCode::Other,
        },
        SyncError::Local(inner) => match inner.downcast_ref::<CoreError>() {
            Some(CoreError::Store(_)) => SyncFaultCode::LocalStorage,
            Some(CoreError::PeerSent { .. }) => SyncFaultCode::Malformed,
            _ => SyncFaultCode::Other,
        },
        SyncError::Transport(_) => SyncFaultCode::Interrupted,
        SyncError::Stalled(_) | SyncError::TooLong(_) => SyncFaultCode::Stalled,
    }
}

impl From<NodeError> for Failure {
    fn from(e: NodeError) -> Failure {
        Failure::Sync(SyncError::Transport(e.to_string()))
    }
}
