//! Peers: pairing, where sync stands with each peer, the roster of
//! relayed authors and the quarantine as people see them. Sessions
//! ([`sessions`]), failures ([`faults`]), bundles and anchors have rooms of
//! their own.

mod country_key;
mod faults;
mod revoke;
mod sessions;

pub use country_key::CountryKeyView;
pub use faults::*;
pub use revoke::RevocationView;
pub(crate) use revoke::node_key_named;
pub use sessions::*;

use std::collections::{HashMap, HashSet};

use ed25519_dalek::VerifyingKey;
use enlace_domain::enums::Closed;
use enlace_domain::{CountryCode, Lang, NodeRole, Traffic};
use enlace_store::PeerRow;
use enlace_sync::PeerKey;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::key_name;
use crate::{App, CoreError, Result, now_string};

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
    /// Its place in its country (a node of this one: what sync gives it of
    /// the country's identities). Absent: an office, which receives them
    /// all, as every peer did before roles.
    #[serde(default)]
    #[ts(optional)]
    pub node_role: Option<NodeRole>,
}

/// A peer and where sync with it stands.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerView {
    pub name: String,
    pub country: String,
    /// Its place in its country, as this node's administrator paired it
    /// (`hub`, `office`, `border_post`, `ngo`).
    pub node_role: NodeRole,
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
    /// What sync moved with it, in total.
    #[serde(flatten)]
    #[ts(flatten)]
    pub traffic: Traffic,
    /// Documents asked of it whole, not yet received.
    #[ts(type = "number")]
    pub wanted: u64,
    /// Its audit log was found cut or rewritten (by the heads it showed
    /// at sync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub audit_alarm: Option<crate::AuditAlarm>,
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

/// Kept changes listed at most (the sync panel and `enlace peer
/// quarantine`); the total is given beside them.
pub const QUARANTINE_SHOWN: usize = 500;

pub(crate) fn parse_key(s: &str) -> Result<[u8; 32]> {
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

pub(crate) fn stored_key(row: &PeerRow) -> Result<PeerKey> {
    row.public_key
        .as_slice()
        .try_into()
        .map_err(|_| CoreError::Internal("a stored peer key has the wrong length".into()))
}

/// A peer's stored place in its country (one unreadable is taken as the
/// narrowest, an NGO's, as sync takes it).
pub(crate) fn peer_role(row: &PeerRow) -> NodeRole {
    use enlace_domain::enums::Closed;
    NodeRole::parse(&row.node_role).unwrap_or(NodeRole::Ngo)
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
        node_role: peer_role(row),
        url: row.url.clone(),
        public_key: hex::encode(&row.public_key),
        node_id: hex::encode(&row.public_key[..row.public_key.len().min(8)]),
        added_at: row.added_at.clone(),
        last_attempt: row.last_attempt.clone(),
        last_success: row.last_success.clone(),
        last_error,
        failures: n(row.failures),
        pending,
        traffic: row.traffic,
        wanted,
        audit_alarm: None,
    }
}

impl App {
    /// Pairs with a peer: from now on this node accepts its TLS
    /// certificate, sends it what its country may hold, and trusts its key
    /// as a node of `country` (and the nodes it vouches for in that
    /// country). The key must be checked with the peer's administrator
    /// (e.g. read out by phone).
    pub fn add_peer(&mut self, input: PeerInput) -> Result<PeerView> {
        self.require(enlace_domain::Permission::ManagePeers)?;
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
            // A key revoked here stays revoked: a lost laptop found again
            // is set up anew (`enlace init`), with a new key.
            if r.revocation(&key)?.is_some_and(|v| v.applied) {
                return Err(CoreError::KeyRevoked { name });
            }
        }
        let at = now_string();
        let row = PeerRow {
            name: name.clone(),
            public_key: key.to_vec(),
            country: country.to_string(),
            url,
            added_at: at.clone(),
            node_role: input.node_role.unwrap_or(NodeRole::Office).to_string(),
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
                &format!("{} {} {}", country, row.node_role, hex::encode(key)),
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
        self.require(enlace_domain::Permission::ManagePeers)?;
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

    /// Sets a peer's place in its country: what sync gives it of the
    /// country's identities from its next session (what it already
    /// received stays there).
    pub fn set_peer_role(&mut self, name: &str, role: NodeRole) -> Result<PeerView> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        let at = now_string();
        let by = self.by();
        let found = self.store.write(|tx| {
            let found = tx.set_peer_role(name, role.as_str())?;
            if found {
                tx.audit(&at, &by, "peer.role", name, role.as_str())?;
            }
            Ok::<_, CoreError>(found)
        })?;
        if !found {
            return Err(CoreError::UnknownPeer {
                name: name.to_owned(),
            });
        }
        self.peer(name, Lang::Es)
    }

    /// Sets this node's own place in its country. A border post or an NGO
    /// refuses, from then on, the identities that were not shared with it.
    pub fn set_node_role(&mut self, role: NodeRole) -> Result<crate::NodeInfo> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        let at = now_string();
        let by = self.by();
        let name = self.node.name.clone();
        self.store.write(|tx| {
            tx.set_node_role(role.as_str())?;
            tx.audit(&at, &by, "node.role", &name, role.as_str())
        })?;
        self.node.role = role;
        Ok(self.node_info())
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
    pub(crate) fn peer_row(&self, name: &str) -> Result<PeerRow> {
        self.store
            .read()
            .peer_by_name(name)?
            .ok_or_else(|| CoreError::UnknownPeer {
                name: name.to_owned(),
            })
    }

    fn view_of(&self, row: &PeerRow, lang: Lang) -> Result<PeerView> {
        let wanted = self.store.read().wants(&row.public_key)?.len() as u64;
        let audit_alarm = self
            .store
            .read()
            .peer_audit(&row.public_key)?
            .and_then(|a| a.alarm)
            .and_then(|a| serde_json::from_str(&a).ok());
        Ok(PeerView {
            audit_alarm,
            ..peer_view(row, self.pending_for(row)?, wanted, lang)
        })
    }

    /// The key of the peer named `name`.
    pub fn peer_key(&self, name: &str) -> Result<PeerKey> {
        stored_key(&self.peer_row(name)?)
    }

    /// Changes in this node's log after what `row`'s peer acknowledged
    /// that it may receive (and did not write or send itself).
    fn pending_for(&self, row: &PeerRow) -> Result<u64> {
        let r = self.store.read();
        let mut after = row.acked_seq;
        let mut n = 0;
        let mut seen: HashMap<String, bool> = HashMap::new();
        let key: [u8; 32] = stored_key(row)?;
        let to = crate::replica::send::To {
            country: &row.country,
            role: peer_role(row),
            key: &key,
            today: crate::clock::now().date_naive(),
        };
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
                let ok = match seen.get(&l.doc_id) {
                    Some(ok) => *ok,
                    None => {
                        let ok = crate::replica::send::admits(
                            &r,
                            (l.kind, &l.doc_id, &l.owner_country),
                            &l.audience,
                            l.local_only,
                            to,
                        )?;
                        seen.insert(l.doc_id.clone(), ok);
                        ok
                    }
                };
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
