//! Anchors: nodes a hub lists as authors of their countries, trusted here
//! without being peers (`enlace peer export` / `enlace peer import`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use enlace_domain::CountryCode;

use crate::peers::parse_key;
use crate::{App, CoreError, Result, now_string};

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
        self.require(enlace_domain::Permission::ManagePeers)?;
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
                    || r.peer_by_name(&name)?.is_some()
                    // A revoked key (applied here, or waiting for this
                    // node's administrator) is not trusted from a list.
                    || r.revocation(&key)?.is_some();
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
