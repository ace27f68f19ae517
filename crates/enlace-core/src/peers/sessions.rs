//! Sync sessions as the node keeps them: which peers to sync with, what
//! each session did (on the peer's row and in the audit log), and the
//! connection sync runs on.

use enlace_domain::Traffic;
use enlace_store::SessionRecord;
use enlace_sync::PeerKey;
use zeroize::Zeroizing;

use super::{SyncFault, stored_key};
use crate::replica::key_name;
use crate::{App, CoreError, Result, now_string};

/// A peer as the sync engine sees it.
#[derive(Debug, Clone)]
pub struct SyncTarget {
    pub name: String,
    pub country: String,
    pub url: Option<String>,
    pub key: PeerKey,
    pub last_attempt: Option<String>,
    /// Failed attempts in a row.
    pub failures: u64,
}

/// What a sync session did, to record on the peer and in the audit log.
#[derive(Debug, Clone, Default)]
pub struct SyncOutcome {
    pub fault: Option<SyncFault>,
    pub traffic: Traffic,
    pub refused: u64,
}

impl App {
    /// What the sync engine needs of every peer: no counts, so a round
    /// (every half minute on a hub) reads only the peer rows.
    pub fn sync_targets(&self) -> Result<Vec<SyncTarget>> {
        let mut out = vec![];
        for row in self.store.read().peers()? {
            let key = stored_key(&row)?;
            out.push(SyncTarget {
                name: row.name,
                country: row.country,
                url: row.url,
                key,
                last_attempt: row.last_attempt,
                failures: u64::try_from(row.failures).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// Records what a sync session with `peer` did: on the peer's row (for
    /// the sync panel and `enlace peer list`) and in the audit log.
    pub fn record_sync(&mut self, peer: &PeerKey, o: &SyncOutcome) -> Result<()> {
        let at = now_string();
        let by = self.by();
        let error = o
            .fault
            .as_ref()
            .map(|f| {
                serde_json::to_string(&SyncFault {
                    message: String::new(),
                    ..f.clone()
                })
            })
            .transpose()
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let rec = SessionRecord {
            at: at.clone(),
            ok: o.fault.is_none(),
            error,
            traffic: o.traffic,
        };
        self.store.write(|tx| {
            tx.record_session(peer, &rec)?;
            let name = key_name(&tx.read(), peer)?;
            let detail = match &o.fault {
                None => format!(
                    "sent {} documents ({} changes, {} bytes), received {} documents ({} changes, {} bytes), {} refused",
                    o.traffic.docs_sent,
                    o.traffic.changes_sent,
                    o.traffic.bytes_sent,
                    o.traffic.docs_received,
                    o.traffic.changes_received,
                    o.traffic.bytes_received,
                    o.refused
                ),
                Some(f) => format!("failed ({}): {}", f.code.as_str(), f.detail),
            };
            tx.audit(&at, &by, "sync", &name, &detail)
        })?;
        Ok(())
    }

    /// Records what this node did for a peer that connected to it (the hub
    /// side): the contact on the peer's row, and an audit entry when
    /// documents moved or were refused. `s.traffic` counts the bytes of the
    /// request and the answer.
    pub fn record_served(&mut self, peer: &PeerKey, s: &enlace_sync::Served) -> Result<()> {
        let at = now_string();
        let rec = SessionRecord {
            at: at.clone(),
            ok: true,
            error: None,
            traffic: s.traffic,
        };
        let by = self.by();
        let t = &s.traffic;
        self.store.write(|tx| {
            tx.record_session(peer, &rec)?;
            if t.moved_documents() || s.refused > 0 {
                let name = key_name(&tx.read(), peer)?;
                tx.audit(
                    &at,
                    &by,
                    "sync.serve",
                    &name,
                    &format!(
                        "received {} documents ({} changes), sent {} documents ({} changes), {} refused",
                        t.docs_received, t.changes_received, t.docs_sent, t.changes_sent, s.refused
                    ),
                )?;
            }
            Ok::<_, CoreError>(())
        })
    }

    /// The node's secret key, for its TLS certificate (enlace-node).
    pub fn tls_secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.node.signing_key().to_bytes())
    }

    /// A second handle on the same node with its own database connection
    /// (sync runs on it beside the application; SQLite serialises writes).
    pub fn reopen(&self) -> Result<App> {
        let store = self.store.reopen()?;
        let row = store.read().node()?.ok_or_else(|| {
            CoreError::Store(enlace_store::StoreError::Corrupt(
                "the node identity is missing".into(),
            ))
        })?;
        Ok(App {
            node: crate::node::Identity::from_row(&row)?,
            store,
            session: self.session.clone(),
            stats_cache: None,
        })
    }

    /// A second handle on the node that applies sync pages: a database
    /// connection of its own (SQLite serialises writes; people's edits go
    /// on through theirs) whose transactions are not flushed one by one
    /// (`Store::for_sync`: a page and the position it moves to commit
    /// together, and one lost in a power cut is fetched again). The sync
    /// engine and the sync server run on one.
    pub fn sync_connection(&self) -> Result<App> {
        let app = self.reopen()?;
        app.store.for_sync()?;
        Ok(app)
    }
}
