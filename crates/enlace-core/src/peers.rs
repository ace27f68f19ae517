//! Peers: pairing, the roster of relayed authors, where sync stands with
//! each peer, the quarantine, and sync bundles (files for where no network
//! reaches).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ed25519_dalek::VerifyingKey;
use enlace_domain::{CountryCode, Lang, tr, tr_args};
use enlace_store::{PeerRow, SessionRecord};
use enlace_sync::bundle::{self, BundleBody, BundleError};
use enlace_sync::{Page, PeerKey, Replica};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::replica::{may_receive, want};
use crate::{App, CoreError, Result, now_string};

/// Largest page of a bundle (change bytes before compression).
const BUNDLE_PAGE: u32 = 4 << 20;

/// What `enlace peer add` and the app's pairing form take.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct PeerInput {
    pub name: String,
    /// `https://HOST:PORT`; absent for a peer that connects to this node
    /// (a field laptop paired at its hub) or that only exchanges bundles.
    #[ts(optional)]
    pub url: Option<String>,
    /// The peer's public key, as `enlace node show` prints it (64 hex).
    pub key: String,
    pub country: String,
}

/// Why the last sync with a peer failed, in words for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncFaultCode {
    /// No answer at the address (no network, wrong address, peer off).
    Unreachable,
    /// The peer took too long to answer.
    Timeout,
    /// The connection was cut in the middle of a transfer.
    Interrupted,
    /// TLS refused: the peer does not know this node, or answered with
    /// another key than the one paired.
    Refused,
    /// The peer sent something this node cannot accept.
    Malformed,
    /// The peer speaks another protocol version.
    Version,
    /// The peer could not store what it received (its disk, its database).
    PeerStorage,
    /// This node could not store what it received (disk full, ...).
    LocalStorage,
    /// The peer kept answering without progress.
    Stalled,
    /// Anything else (the detail says what).
    Other,
}

impl SyncFaultCode {
    pub const ALL: [SyncFaultCode; 10] = [
        SyncFaultCode::Unreachable,
        SyncFaultCode::Timeout,
        SyncFaultCode::Interrupted,
        SyncFaultCode::Refused,
        SyncFaultCode::Malformed,
        SyncFaultCode::Version,
        SyncFaultCode::PeerStorage,
        SyncFaultCode::LocalStorage,
        SyncFaultCode::Stalled,
        SyncFaultCode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncFaultCode::Unreachable => "unreachable",
            SyncFaultCode::Timeout => "timeout",
            SyncFaultCode::Interrupted => "interrupted",
            SyncFaultCode::Refused => "refused",
            SyncFaultCode::Malformed => "malformed",
            SyncFaultCode::Version => "version",
            SyncFaultCode::PeerStorage => "peer_storage",
            SyncFaultCode::LocalStorage => "local_storage",
            SyncFaultCode::Stalled => "stalled",
            SyncFaultCode::Other => "other",
        }
    }

    /// What happened and what to do, in `lang`.
    pub fn message(self, lang: Lang, peer: &str) -> String {
        tr_args(
            lang,
            &format!("sync-fault-{}", self.as_str().replace('_', "-")),
            &[("peer", peer)],
        )
    }
}

/// The last failure of sync with a peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncFault {
    pub code: SyncFaultCode,
    /// The technical detail (for the administrator).
    pub detail: String,
    /// The failure in plain words, in the language asked for.
    #[serde(default)]
    pub message: String,
}

/// A peer and where sync with it stands.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerView {
    pub name: String,
    pub country: String,
    #[ts(optional)]
    pub url: Option<String>,
    /// Hex of the 32-byte Ed25519 key.
    pub public_key: String,
    /// Its first 8 bytes, as node ids are shown.
    pub node_id: String,
    pub added_at: String,
    #[ts(optional)]
    pub last_attempt: Option<String>,
    #[ts(optional)]
    pub last_success: Option<String>,
    #[ts(optional)]
    pub last_error: Option<SyncFault>,
    /// Failed attempts in a row.
    #[ts(type = "number")]
    pub failures: u64,
    /// Changes of this node's log that the peer may receive and has not
    /// acknowledged.
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub bytes_sent: u64,
    #[ts(type = "number")]
    pub bytes_received: u64,
    #[ts(type = "number")]
    pub docs_sent: u64,
    #[ts(type = "number")]
    pub docs_received: u64,
    /// Documents asked of it whole, not yet received.
    #[ts(type = "number")]
    pub wanted: u64,
}

/// A node known as an author of its country without being a peer: one
/// vouched for by a node of its country, or an anchor imported from a
/// hub's list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RosterView {
    pub public_key: String,
    pub country: String,
    pub name: String,
    /// The node that vouched for it (a peer's name, or a key); empty for
    /// an anchor.
    pub vouched_by: String,
    /// Imported with `enlace peer import` (trusted as an author and a
    /// voucher of its country; it cannot connect).
    pub anchor: bool,
    pub added_at: String,
}

/// A received change that was not merged.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QuarantineView {
    pub doc_id: String,
    pub kind: String,
    pub change: String,
    /// The author's node id (first 8 bytes of its key) and name if known.
    pub author: String,
    /// The peer it came from.
    pub from: String,
    pub reason: String,
    pub detail: String,
    pub received_at: String,
}

/// What a bundle export wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleExported {
    pub path: String,
    pub peer: String,
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub docs: u64,
    #[ts(type = "number")]
    pub changes: u64,
}

/// What a bundle import did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleImported {
    pub peer: String,
    #[ts(type = "number")]
    pub seq: u64,
    #[ts(type = "number")]
    pub docs: u64,
    #[ts(type = "number")]
    pub changes: u64,
    /// Changes or documents not applied (kept in quarantine or refused).
    #[ts(type = "number")]
    pub refused: u64,
}

/// A bundle file for this node found on a disk (not opened yet: importing
/// it checks everything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BundleFound {
    pub path: String,
    /// The sender's name when it is a paired peer.
    #[ts(optional)]
    pub peer: Option<String>,
    /// The first 16 hex digits of the sender's key.
    pub sender_id: String,
    #[ts(type = "number")]
    pub seq: u64,
    /// When the sender made it (its clock).
    pub created: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// This bundle, or a later one from the same sender, was imported.
    pub imported: bool,
}

/// Kept changes listed at most (the sync panel and `enlace peer
/// quarantine`); the total is given beside them.
pub const QUARANTINE_SHOWN: usize = 500;

/// Directories [`App::find_bundles`] looks into below each root, and files
/// it looks at in all: a search that stays quick on a large disk.
const FIND_DEPTH: usize = 3;
const FIND_ENTRIES: usize = 5_000;

/// A node to trust: what `enlace peer export` writes and `enlace peer
/// import` reads (public information: no secret, no address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Anchor {
    pub name: String,
    pub country: String,
    /// Hex of the 32-byte Ed25519 key.
    pub key: String,
}

/// What importing anchors did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AnchorsImported {
    /// Names added (as authors of their country, not as peers).
    pub added: Vec<String>,
    /// Names skipped: this node itself, or a key already trusted.
    pub skipped: Vec<String>,
}

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
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub docs_sent: u64,
    pub docs_received: u64,
    pub changes_sent: u64,
    pub changes_received: u64,
    pub refused: u64,
}

fn parse_key(s: &str) -> Result<[u8; 32]> {
    let t = s.trim();
    let bytes: [u8; 32] = hex::decode(t)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CoreError::PeerKey(t.to_owned()))?;
    // A weak key (of small order) is one whose signatures anyone can make.
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| CoreError::PeerKey(t.to_owned()))?;
    if key.is_weak() {
        return Err(CoreError::PeerKey(t.to_owned()));
    }
    Ok(bytes)
}

/// `https://HOST[:PORT][/]`: an address sync can use. Plain `http` is
/// refused: sync only travels over mutually authenticated TLS.
fn parse_url(s: &str) -> Result<String> {
    let t = s.trim().trim_end_matches('/');
    let bad = || CoreError::PeerUrl(t.to_owned());
    let rest = t.strip_prefix("https://").ok_or_else(bad)?;
    if rest.is_empty()
        || rest.contains('/')
        || rest.contains('@')
        || rest.contains(char::is_whitespace)
    {
        return Err(bad());
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, Some(p)),
        _ => (rest, None),
    };
    if host.is_empty() || port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
        return Err(bad());
    }
    Ok(t.to_owned())
}

/// How a node key is named here: a paired peer's name, a roster entry's,
/// or the key's first 8 bytes in hex.
pub(crate) fn key_name(r: &enlace_store::Read<'_>, key: &[u8]) -> enlace_store::Result<String> {
    if let Some(p) = r.peer_by_key(key)? {
        return Ok(p.name);
    }
    if let Some(a) = r.anchor_by_key(key)? {
        return Ok(a.name);
    }
    if let Some(e) = r.roster_entry(key)? {
        return Ok(e.name);
    }
    Ok(hex::encode(&key[..key.len().min(8)]))
}

fn stored_key(row: &PeerRow) -> Result<PeerKey> {
    row.public_key
        .as_slice()
        .try_into()
        .map_err(|_| CoreError::Internal("a stored peer key has the wrong length".into()))
}

fn peer_view(row: &PeerRow, pending: u64, wanted: u64, lang: Lang) -> PeerView {
    let last_error = row
        .last_error
        .as_deref()
        .and_then(|e| serde_json::from_str::<SyncFault>(e).ok())
        .map(|mut f| {
            f.message = f.code.message(lang, &row.name);
            f
        });
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    PeerView {
        name: row.name.clone(),
        country: row.country.clone(),
        url: row.url.clone(),
        public_key: hex::encode(&row.public_key),
        node_id: hex::encode(&row.public_key[..row.public_key.len().min(8)]),
        added_at: row.added_at.clone(),
        last_attempt: row.last_attempt.clone(),
        last_success: row.last_success.clone(),
        last_error,
        failures: n(row.failures),
        pending,
        bytes_sent: n(row.bytes_sent),
        bytes_received: n(row.bytes_received),
        docs_sent: n(row.docs_sent),
        docs_received: n(row.docs_received),
        wanted,
    }
}

impl App {
    /// Pairs with a peer: from now on this node accepts its TLS
    /// certificate, sends it what its country may hold, and trusts its key
    /// as a node of `country` (and the nodes it vouches for in that
    /// country). The key must be checked with the peer's administrator
    /// (e.g. read out by phone).
    pub fn add_peer(&mut self, input: PeerInput) -> Result<PeerView> {
        let name = input.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(CoreError::PeerName);
        }
        let key = parse_key(&input.key)?;
        if key == self.public_key() {
            return Err(CoreError::PairSelf);
        }
        let country = CountryCode::parse(&input.country)
            .filter(CountryCode::is_member)
            .ok_or_else(|| CoreError::Country(input.country.clone()))?;
        let url = input
            .url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(parse_url)
            .transpose()?;
        {
            // An anchor with that key becomes a peer (pairing is the
            // stronger trust); a peer is paired once.
            let r = self.store.read();
            if r.peer_by_name(&name)?.is_some() || r.peer_by_key(&key)?.is_some() {
                return Err(CoreError::PeerExists { name });
            }
        }
        let at = now_string();
        let row = PeerRow {
            name: name.clone(),
            public_key: key.to_vec(),
            country: country.to_string(),
            url,
            added_at: at.clone(),
            ..PeerRow::default()
        };
        let node = &self.node;
        let by = self.by();
        self.store.write(|tx| {
            tx.put_peer(&row)?;
            tx.paired_again(&key)?;
            tx.audit(
                &at,
                &by,
                "peer.add",
                &name,
                &format!("{} {}", country, hex::encode(key)),
            )?;
            // Changes kept because their author was unknown may be this
            // peer's.
            crate::replica::retry_after_roster(node, tx, &at)
        })?;
        self.peer(&name, Lang::Es)
    }

    /// Unpairs a peer (or forgets an anchor): its certificate is refused
    /// from now on, the nodes it vouched for are no longer known through
    /// it, and no roster entry brings its key back (pairing again does).
    /// What was received from it stays.
    pub fn remove_peer(&mut self, name: &str) -> Result<()> {
        let at = now_string();
        let by = self.by();
        let removed = self.store.write(|tx| {
            let key = match tx.remove_peer(name, &at)? {
                Some(k) => Some(k),
                None => tx.remove_anchor(name, &at)?,
            };
            if let Some(k) = &key {
                tx.audit(&at, &by, "peer.remove", name, &hex::encode(k))?;
            }
            Ok::<_, CoreError>(key.is_some())
        })?;
        if removed {
            Ok(())
        } else {
            Err(CoreError::UnknownPeer {
                name: name.to_owned(),
            })
        }
    }

    /// Every peer, by name.
    pub fn peers(&self, lang: Lang) -> Result<Vec<PeerView>> {
        let rows = self.store.read().peers()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.view_of(&row, lang)?);
        }
        Ok(out)
    }

    pub fn peer(&self, name: &str, lang: Lang) -> Result<PeerView> {
        self.view_of(&self.peer_row(name)?, lang)
    }

    /// The paired peer named `name`, or an error naming it.
    fn peer_row(&self, name: &str) -> Result<PeerRow> {
        self.store
            .read()
            .peer_by_name(name)?
            .ok_or_else(|| CoreError::UnknownPeer {
                name: name.to_owned(),
            })
    }

    fn view_of(&self, row: &PeerRow, lang: Lang) -> Result<PeerView> {
        let wanted = self.store.read().wants(&row.public_key)?.len() as u64;
        Ok(peer_view(row, self.pending_for(row)?, wanted, lang))
    }

    /// The key of the peer named `name`.
    pub fn peer_key(&self, name: &str) -> Result<PeerKey> {
        stored_key(&self.peer_row(name)?)
    }

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

    /// Changes in this node's log after what `row`'s peer acknowledged
    /// that it may receive (and did not write or send itself).
    fn pending_for(&self, row: &PeerRow) -> Result<u64> {
        let r = self.store.read();
        let mut after = row.acked_seq;
        let mut n = 0;
        let mut seen: HashMap<String, bool> = HashMap::new();
        loop {
            let rows = r.log_after(after, 5_000)?;
            let len = rows.len();
            for l in rows {
                after = l.seq;
                if l.source.as_deref() == Some(&row.public_key[..])
                    || l.author.as_deref() == Some(&row.public_key[..])
                {
                    continue;
                }
                let ok = *seen.entry(l.doc_id.clone()).or_insert_with(|| {
                    may_receive(
                        &l.kind,
                        &l.owner_country,
                        &l.audience,
                        l.local_only,
                        &row.country,
                    )
                });
                n += u64::from(ok);
            }
            if len < 5_000 {
                return Ok(n);
            }
        }
    }

    /// Nodes known as authors without being peers: anchors, then those
    /// vouched for by a node of their own country.
    pub fn roster(&self) -> Result<Vec<RosterView>> {
        let r = self.store.read();
        let mut out = vec![];
        for a in r.anchors()? {
            out.push(RosterView {
                public_key: hex::encode(&a.public_key),
                country: a.country,
                name: a.name,
                vouched_by: String::new(),
                anchor: true,
                added_at: a.added_at,
            });
        }
        for e in r.roster()? {
            let vouched_by = key_name(&r, &e.voucher)?;
            out.push(RosterView {
                public_key: hex::encode(&e.public_key),
                country: e.country,
                name: e.name,
                vouched_by,
                anchor: false,
                added_at: e.added_at,
            });
        }
        Ok(out)
    }

    /// Received changes that were not merged, newest first: at most
    /// [`QUARANTINE_SHOWN`] of them (their bytes are not read; the total
    /// is [`App::quarantine_total`]).
    pub fn quarantine(&self) -> Result<Vec<QuarantineView>> {
        let r = self.store.read();
        let mut names: HashMap<Vec<u8>, String> = HashMap::new();
        let mut name_of = |k: &[u8]| -> Result<String> {
            if let Some(n) = names.get(k) {
                return Ok(n.clone());
            }
            let n = key_name(&r, k)?;
            names.insert(k.to_vec(), n.clone());
            Ok(n)
        };
        let (rows, _) = r.quarantine_list(QUARANTINE_SHOWN)?;
        let mut out = vec![];
        for q in rows {
            out.push(QuarantineView {
                author: name_of(&q.author)?,
                from: name_of(&q.source)?,
                doc_id: q.doc_id,
                kind: q.kind,
                change: q.hash,
                reason: q.reason,
                detail: q.detail,
                received_at: q.received_at,
            });
        }
        Ok(out)
    }

    /// How many received changes are kept aside in all.
    pub fn quarantine_total(&self) -> Result<u64> {
        Ok(self.store.read().quarantine_list(0)?.1)
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
        let i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let rec = SessionRecord {
            at: at.clone(),
            ok: o.fault.is_none(),
            error,
            bytes_sent: i(o.bytes_sent),
            bytes_received: i(o.bytes_received),
            docs_sent: i(o.docs_sent),
            docs_received: i(o.docs_received),
        };
        self.store.write(|tx| {
            tx.record_session(peer, &rec)?;
            let name = key_name(&tx.read(), peer)?;
            let detail = match &o.fault {
                None => format!(
                    "sent {} documents ({} changes, {} bytes), received {} documents ({} changes, {} bytes), {} refused",
                    o.docs_sent,
                    o.changes_sent,
                    o.bytes_sent,
                    o.docs_received,
                    o.changes_received,
                    o.bytes_received,
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
    /// documents moved or were refused.
    pub fn record_served(
        &mut self,
        peer: &PeerKey,
        bytes_in: u64,
        bytes_out: u64,
        s: &enlace_sync::Served,
    ) -> Result<()> {
        let at = now_string();
        let i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let rec = SessionRecord {
            at: at.clone(),
            ok: true,
            error: None,
            bytes_sent: i(bytes_out),
            bytes_received: i(bytes_in),
            docs_sent: i(s.docs_sent),
            docs_received: i(s.docs_received),
        };
        let by = self.by();
        self.store.write(|tx| {
            tx.record_session(peer, &rec)?;
            if s.docs_received + s.docs_sent + s.refused > 0 {
                let name = key_name(&tx.read(), peer)?;
                tx.audit(
                    &at,
                    &by,
                    "sync.serve",
                    &name,
                    &format!(
                        "received {} documents ({} changes), sent {} documents ({} changes), {} refused",
                        s.docs_received, s.changes_received, s.docs_sent, s.changes_sent, s.refused
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
            user: self.user.clone(),
        })
    }

    /// Makes this connection one that applies sync pages: its transactions
    /// are not flushed one by one (see `Store::for_sync`). Use it on a
    /// connection of its own (`reopen`), not the one people's edits use.
    pub fn for_sync(&self) -> Result<()> {
        Ok(self.store.for_sync()?)
    }

    /// Marks demonstration documents local (migration 0005's task).
    pub(crate) fn mark_local_only(&mut self) -> Result<()> {
        let ids = self.store.read().all_doc_ids()?;
        let actor = self.node.actor.clone();
        self.store.write(|tx| {
            for (id, _) in &ids {
                if let Some(row) = tx.read().doc(id)? {
                    let doc = enlace_docs::Document::load(&row.bytes, actor.clone())?;
                    if doc.flag("demo") {
                        tx.set_local_only(id, true)?;
                    }
                }
            }
            Ok::<_, CoreError>(())
        })
    }

    /// Writes what `peer` has not acknowledged, encrypted to its key and
    /// signed by this node, to `out` (atomically). `progress(pages, docs)`.
    pub fn export_bundle(
        &mut self,
        peer: &str,
        out: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BundleExported> {
        let key = self.peer_key(peer)?;
        let st = self.peer_state(&key)?;
        let owed = want::split(self.store.read().owed(&key)?);
        let mut pages: Vec<Page> = vec![];
        let mut at = st.acked.clone();
        let (mut docs, mut changes) = (0u64, 0u64);
        let none = enlace_sync::Wants::default();
        loop {
            let whole = if pages.is_empty() { &owed } else { &none };
            let page = self.page_for(&key, &at, whole, BUNDLE_PAGE)?;
            at = page.to.clone();
            let more = page.more;
            docs += page.groups.len() as u64;
            changes += page.change_count() as u64;
            if !page.is_empty() || pages.is_empty() {
                pages.push(page);
            }
            progress(pages.len() as u64, docs);
            if !more {
                break;
            }
        }
        let seq = u64::try_from(self.peer_row(peer)?.bundle_out_seq).unwrap_or(0) + 1;
        let body = BundleBody {
            applied: st.applied,
            need: st.want.docs,
            need_changes: st.want.changes,
            need_after: st.want.after,
            pages,
        };
        let file = bundle::seal(self.node.signing_key(), &key, seq, &now_string(), &body)?;
        crate::legal::write_atomically(out, &file)?;
        let by = self.by();
        let now = now_string();
        let target = out.display().to_string();
        self.store.write(|tx| {
            tx.set_bundle_out_seq(&key, i64::try_from(seq).unwrap_or(i64::MAX))?;
            tx.clear_owed(&key)?;
            tx.audit(
                &now,
                &by,
                "bundle.export",
                peer,
                &format!("bundle {seq} to {target}: {docs} documents, {changes} changes"),
            )
        })?;
        Ok(BundleExported {
            path: target,
            peer: peer.to_owned(),
            seq,
            bytes: file.len() as u64,
            docs,
            changes,
        })
    }

    /// Bundles addressed to this node in `roots` and the folders below
    /// them (a few levels: a USB stick's folders under /media), newest
    /// first, those not yet imported before the others. Unreadable folders
    /// and files that are not bundles are passed over.
    pub fn find_bundles(&self, roots: &[std::path::PathBuf]) -> Result<Vec<BundleFound>> {
        use std::io::Read as _;
        let me = self.public_key();
        let peers = self.store.read().peers()?;
        let mut found = vec![];
        let mut seen = HashSet::new();
        for root in roots {
            // Each root has its own budget, so a large home folder does not
            // hide a stick.
            let mut budget = FIND_ENTRIES;
            let mut stack = vec![(root.clone(), 0)];
            while let Some((dir, depth)) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    let path = entry.path();
                    let Ok(kind) = entry.file_type() else {
                        continue;
                    };
                    if kind.is_dir() {
                        let hidden = entry.file_name().to_string_lossy().starts_with('.');
                        if depth < FIND_DEPTH && !hidden {
                            stack.push((path, depth + 1));
                        }
                        continue;
                    }
                    if path.extension().is_none_or(|e| e != "enlace") {
                        continue;
                    }
                    let Ok(real) = std::fs::canonicalize(&path) else {
                        continue;
                    };
                    if !seen.insert(real) {
                        continue;
                    }
                    let Ok(file) = std::fs::File::open(&path) else {
                        continue;
                    };
                    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
                    let mut prefix = Vec::with_capacity(bundle::HEADER_PREFIX);
                    if file
                        .take(bundle::HEADER_PREFIX as u64)
                        .read_to_end(&mut prefix)
                        .is_err()
                    {
                        continue;
                    }
                    let Ok(h) = bundle::peek_header(&prefix) else {
                        continue;
                    };
                    if *h.recipient != me {
                        continue;
                    }
                    let sender = peers.iter().find(|p| p.public_key == h.sender.as_slice());
                    found.push(BundleFound {
                        path: path.display().to_string(),
                        peer: sender.map(|p| p.name.clone()),
                        sender_id: hex::encode(&h.sender[..8]),
                        seq: h.seq,
                        created: h.created.clone(),
                        bytes,
                        imported: self.store.read().bundle_seen(&*h.body_sha256)?,
                    });
                }
            }
        }
        found.sort_by(|a, b| {
            a.imported
                .cmp(&b.imported)
                .then_with(|| b.created.cmp(&a.created))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(found)
    }

    /// Applies a bundle made for this node by a paired peer. Refuses a
    /// file that is not a bundle, is meant for another node, was altered,
    /// comes from a node that is not paired, or was imported already (a
    /// bundle is known by the digest its sender signed). Every page is
    /// checked before any is applied; then each is applied in its own
    /// transaction. `progress(pages done, pages)`.
    pub fn import_bundle(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BundleImported> {
        let io = |e: std::io::Error| CoreError::Io {
            path: path.to_owned(),
            source: e,
        };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > bundle::MAX_BUNDLE as u64 {
            return Err(BundleError::TooLarge.into());
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let (header, _) = bundle::read_header(&bytes)?;
        if *header.recipient != self.public_key() {
            return Err(BundleError::NotForThisNode {
                recipient: *header.recipient,
            }
            .into());
        }
        let sender: PeerKey = *header.sender;
        let row =
            self.store
                .read()
                .peer_by_key(&sender)?
                .ok_or_else(|| CoreError::BundleSender {
                    key: hex::encode(sender),
                })?;
        let digest = header.body_sha256;
        if self.store.read().bundle_seen(&*digest)? {
            return Err(CoreError::BundleReplayed {
                peer: row.name,
                seq: header.seq,
            });
        }
        let opened = bundle::open(self.node.signing_key(), &bytes)?;
        drop(bytes);
        let total = opened.page_count as u64;
        let mut result = BundleImported {
            peer: row.name.clone(),
            seq: header.seq,
            docs: 0,
            changes: 0,
            refused: 0,
        };
        for (i, page) in opened.pages().enumerate() {
            let page = page?;
            let applied = self.peer_state(&sender)?.applied;
            // Advance this node's position in the sender's log only from
            // where it stands: a page from an older position overlaps (its
            // changes apply, harmlessly), one from a newer position leaves
            // a gap that the next exchange fills. A page that names this
            // node's position with another change means the sender's log
            // was replaced (restored from a backup): the next session
            // compares documents instead (both positions back to the
            // start, which makes it reconcile).
            let replaced = |c: &enlace_sync::Cursor| c.seq == applied.seq && c.hash != applied.hash;
            let advance = if replaced(&page.base) || replaced(&page.to) {
                self.set_applied(&sender, &enlace_sync::Cursor::start())?;
                self.set_acked(&sender, &enlace_sync::Cursor::start())?;
                None
            } else {
                (page.base == applied).then_some(&page.to)
            };
            let done = self.apply_page(&sender, &page, advance)?;
            result.docs += done.docs;
            result.changes += done.changes;
            result.refused += done.refused.len() as u64;
            progress(i as u64 + 1, total);
        }
        if opened.applied.seq > self.peer_state(&sender)?.acked.seq
            && self.has_position(&opened.applied)?
        {
            self.set_acked(&sender, &opened.applied)?;
        }
        let by = self.by();
        let now = now_string();
        let name = row.name.clone();
        let summary = format!(
            "bundle {}: {} documents, {} changes, {} refused",
            header.seq, result.docs, result.changes, result.refused
        );
        let last = u64::try_from(row.bundle_in_seq)
            .unwrap_or(0)
            .max(header.seq);
        self.store.write(|tx| {
            let owed = want::rows(&opened.wants);
            for w in owed.iter().take(crate::replica::MAX_WANTS as usize) {
                tx.owe(&sender, w)?;
            }
            tx.set_bundle_in_seq(&sender, i64::try_from(last).unwrap_or(i64::MAX))?;
            tx.put_bundle_seen(
                &*digest,
                &sender,
                i64::try_from(header.seq).unwrap_or(i64::MAX),
                &now,
            )?;
            tx.audit(&now, &by, "bundle.import", &name, &summary)
        })?;
        Ok(result)
    }
}

impl App {
    /// This node and every paired peer, as anchors another node of this
    /// country can import (the keys an NTF distributes at setup).
    pub fn anchors(&self) -> Result<Vec<Anchor>> {
        let info = self.node_info();
        let mut out = vec![Anchor {
            name: info.name,
            country: info.country,
            key: info.public_key,
        }];
        for p in self.store.read().peers()? {
            out.push(Anchor {
                name: p.name,
                country: p.country,
                key: hex::encode(&p.public_key),
            });
        }
        Ok(out)
    }

    /// Trusts every anchor given as an author (and voucher) of its
    /// country — not as a peer: an anchor cannot connect, is not synced
    /// with and sends no bundles (pair it with `add_peer` for that).
    /// Skips this node and keys already trusted. All or nothing: an
    /// invalid entry refuses the whole list.
    pub fn import_anchors(&mut self, anchors: &[Anchor]) -> Result<AnchorsImported> {
        let mut parsed = vec![];
        for (i, a) in anchors.iter().enumerate() {
            let key = parse_key(&a.key).map_err(|e| match e {
                CoreError::PeerKey(k) => CoreError::PeerKey(format!("[{i}] {k}")),
                other => other,
            })?;
            let country = CountryCode::parse(&a.country)
                .filter(CountryCode::is_member)
                .ok_or_else(|| CoreError::Country(format!("[{i}] {}", a.country)))?;
            let name = a.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 60 {
                return Err(CoreError::PeerName);
            }
            parsed.push((key, country, name));
        }
        let me = self.public_key();
        let at = now_string();
        let by = self.by();
        let node = &self.node;
        self.store.write(|tx| {
            let mut added = vec![];
            let mut skipped = vec![];
            for (key, country, name) in parsed {
                let r = tx.read();
                let known = key == me
                    || r.peer_by_key(&key)?.is_some()
                    || r.anchor_by_key(&key)?.is_some()
                    || r.peer_by_name(&name)?.is_some();
                if known {
                    skipped.push(name);
                    continue;
                }
                tx.put_anchor(&enlace_store::AnchorRow {
                    public_key: key.to_vec(),
                    country: country.to_string(),
                    name: name.clone(),
                    added_at: at.clone(),
                })?;
                tx.audit(
                    &at,
                    &by,
                    "anchor.add",
                    &name,
                    &format!("{country} {}", hex::encode(key)),
                )?;
                added.push(name);
            }
            crate::replica::retry_after_roster(node, tx, &at)?;
            Ok(AnchorsImported { added, skipped })
        })
    }
}

impl App {
    /// Keys of everything this node knows as a peer (the TLS layer accepts
    /// exactly these).
    pub fn peer_keys(&self) -> Result<HashSet<PeerKey>> {
        Ok(self
            .store
            .read()
            .peers()?
            .into_iter()
            .filter_map(|p| p.public_key.as_slice().try_into().ok())
            .collect())
    }

    /// Is `key` a paired peer's now? (The TLS server asks at every
    /// handshake; anchors and roster entries cannot connect.)
    pub fn is_peer(&self, key: &PeerKey) -> Result<bool> {
        Ok(self.store.read().peer_by_key(key)?.is_some())
    }
}

/// The message for a bundle error, in `lang`.
pub(crate) fn bundle_message(e: &BundleError, lang: Lang) -> String {
    match e {
        BundleError::NotABundle => tr(lang, "err-bundle-not-a-bundle"),
        BundleError::TooLarge => tr(lang, "err-bundle-too-large"),
        BundleError::Version(v) => {
            tr_args(lang, "err-bundle-version", &[("version", &v.to_string())])
        }
        BundleError::NotForThisNode { recipient } => tr_args(
            lang,
            "err-bundle-not-for-me",
            &[("node", &hex::encode(&recipient[..8]))],
        ),
        BundleError::Tampered => tr(lang, "err-bundle-tampered"),
        BundleError::Content(w) => {
            tr_args(lang, "err-bundle-content", &[("detail", &w.to_string())])
        }
    }
}
