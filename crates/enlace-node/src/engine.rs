//! The sync engine: rounds with every peer that has an address, now (for
//! `enlace sync` and the app's "sync now") or periodically (the hub, the
//! app in the background), with backoff after failures — and back online
//! means synced: a peer waiting after failures is knocked at every few
//! seconds and synced as soon as it answers, and a change of the
//! machine's network (`network_changed`) syncs every peer at once.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use enlace_core::SyncTarget;
use tokio::sync::Notify;

use crate::client::{PeerReport, PeerTarget, SyncOptions, SyncProgress, sync_with};
use crate::tls::Identity;
use crate::{NodeError, Shared};

/// The longest wait after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Runs sync for one node.
pub struct Engine {
    app: Shared,
    identity: Identity,
    opts: SyncOptions,
    /// One round at a time (a "sync now" during a periodic round waits).
    running: tokio::sync::Mutex<()>,
    wake: Notify,
    /// The next round tries every peer, backoff or not.
    urgent: AtomicBool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

/// How long to wait after `failures` failures in a row.
pub fn backoff(interval: Duration, failures: u64) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let factor = 1u32 << failures.saturating_sub(1).min(10);
    interval.saturating_mul(factor).min(MAX_BACKOFF)
}

fn due(p: &SyncTarget, interval: Duration, now: DateTime<Utc>) -> bool {
    let Some(last) = p
        .last_attempt
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    else {
        return true;
    };
    let wait = backoff(interval, p.failures);
    let next = last.with_timezone(&Utc) + chrono::Duration::from_std(wait).unwrap_or_default();
    // A clock set back (or a last attempt "in the future") must not
    // silence a peer: then it is due.
    now >= next || last.with_timezone(&Utc) > now
}

impl Engine {
    /// An engine over `app`, a sync connection of its own to the node's
    /// database (`App::sync_connection`).
    pub fn new(app: Shared, opts: SyncOptions) -> Result<Engine, NodeError> {
        let secret = crate::lock(&app).tls_secret();
        Ok(Engine {
            identity: Identity::new(&secret)?,
            app,
            opts,
            running: tokio::sync::Mutex::new(()),
            wake: Notify::new(),
            urgent: AtomicBool::new(false),
        })
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Syncs now with every peer that has an address (or only `only`),
    /// each in a session of its own, side by side: a peer that is slow,
    /// silent or hostile delays nobody else (each session is bounded by
    /// its timeouts), and a failure with one does not stop the others.
    /// With `respect_backoff`, peers still waiting after failures are
    /// skipped. `cancel` stops between requests.
    pub async fn sync_now(
        &self,
        only: Option<&str>,
        respect_backoff: bool,
        interval: Duration,
        cancel: Option<Arc<AtomicBool>>,
        progress: &(dyn Fn(&SyncProgress) + Sync),
    ) -> Result<Vec<PeerReport>, NodeError> {
        let _one = self.running.lock().await;
        let app = self.app.clone();
        let peers = tokio::task::spawn_blocking(move || {
            let a = crate::lock(&app);
            Ok::<_, NodeError>(a.sync_targets()?)
        })
        .await
        .map_err(|_| NodeError::Poisoned)??;
        if let Some(name) = only
            && !peers.iter().any(|p| p.name == name)
        {
            return Err(NodeError::Core(enlace_core::CoreError::UnknownPeer {
                name: name.to_owned(),
            }));
        }
        let now = Utc::now();
        let mut sessions = vec![];
        for p in peers {
            if only.is_some_and(|n| n != p.name) {
                continue;
            }
            let Some(url) = p.url.clone() else {
                if only.is_some() {
                    return Err(NodeError::NoAddress(p.name));
                }
                continue;
            };
            if respect_backoff && !due(&p, interval, now) {
                continue;
            }
            let target = PeerTarget {
                name: p.name.clone(),
                country: p.country.clone(),
                key: p.key,
                url,
            };
            let opts = SyncOptions {
                cancel: cancel.clone(),
                ..self.opts.clone()
            };
            let (app, identity) = (&self.app, &self.identity);
            sessions.push(async move { sync_with(app, identity, &target, &opts, progress).await });
        }
        Ok(futures_util::future::join_all(sessions).await)
    }

    /// Asks the periodic loop to run a round now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The machine's network changed (a cable, a wifi, an address): the
    /// periodic loop runs a round now with every peer, those waiting after
    /// failures too.
    pub fn network_changed(&self) {
        self.urgent.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Whether a peer waiting after failures answers at its address again
    /// (a TCP connection within a few seconds; nothing is sent); `None`
    /// when no peer is waiting (nothing to knock at until the next round).
    async fn a_waiting_peer_answers(&self, interval: Duration) -> Option<bool> {
        let app = self.app.clone();
        let Ok(Ok(peers)) =
            tokio::task::spawn_blocking(move || crate::lock(&app).sync_targets()).await
        else {
            return Some(false);
        };
        let now = Utc::now();
        let mut waiting = false;
        for p in peers {
            if p.failures == 0 || due(&p, interval, now) {
                continue;
            }
            waiting = true;
            let Some(addr) = p
                .url
                .as_deref()
                .and_then(|u| reqwest::Url::parse(u).ok())
                .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            else {
                continue;
            };
            let knock = tokio::net::TcpStream::connect(addr);
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(3), knock).await {
                return Some(true);
            }
        }
        waiting.then_some(false)
    }

    /// Syncs every `interval` (and when woken) until `shutdown` completes.
    /// `after` is called with each round's reports.
    pub async fn run_periodic(
        &self,
        interval: Duration,
        shutdown: impl Future<Output = ()>,
        progress: &(dyn Fn(&SyncProgress) + Sync),
        after: &(dyn Fn(&[PeerReport]) + Sync),
    ) {
        tokio::pin!(shutdown);
        loop {
            let respect_backoff = !self.urgent.swap(false, Ordering::SeqCst);
            tokio::select! {
                result = self.sync_now(None, respect_backoff, interval, None, progress) => match result {
                    Ok(reports) => after(&reports),
                    Err(e) => tracing::warn!("a sync round could not start: {e}"),
                },
                () = &mut shutdown => return,
            }
            // Until the next round: knock at the peers waiting after
            // failures every few seconds; one that answers is synced now.
            let next = tokio::time::Instant::now() + interval.min(Duration::from_secs(30));
            let mut knocking = true;
            loop {
                let knock = if knocking {
                    (tokio::time::Instant::now() + self.opts.probe_every).min(next)
                } else {
                    next
                };
                tokio::select! {
                    () = tokio::time::sleep_until(knock) => {}
                    () = self.wake.notified() => break,
                    () = &mut shutdown => return,
                }
                if tokio::time::Instant::now() >= next {
                    break;
                }
                match self.a_waiting_peer_answers(interval).await {
                    Some(true) => {
                        self.urgent.store(true, Ordering::SeqCst);
                        break;
                    }
                    Some(false) => {}
                    // Nobody waits: no knocking (no database read) until
                    // the next round.
                    None => knocking = false,
                }
            }
        }
    }
}
