//! Revoking a lost or stolen node's key: here at once, and through sync
//! at every node of the country (docs/sync-protocol.md, "Revocations").

use enlace_store::RevocationRow;
use enlace_sync::proof;
use serde::Serialize;
use ts_rs::TS;

use super::parse_key;
use crate::replica::revocations::{MAX_REVOCATION_BYTES, MAX_REVOCATIONS};
use crate::replica::{country_of, key_name};
use crate::{App, CoreError, Result, now_string};

/// A revoked key, here or received.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RevocationView {
    pub public_key: String,
    pub name: String,
    pub country: String,
    /// Who revoked it: this node's name, a peer's, or a key.
    pub revoked_by: String,
    pub revoked_at: String,
    /// Its changes that stand (those the revoker held when it revoked).
    #[ts(type = "number")]
    pub kept: u64,
    /// Received for a key this node trusts directly: not applied until
    /// this node's administrator revokes or removes it here too.
    pub pending: bool,
    /// Signed by the country's administrator key this node trusts.
    pub by_country_key: bool,
}

/// The key of a node named as a peer, an anchor or in the roster, or given
/// in hex (names in the roster are chosen by their vouchers: one that
/// names several keys must be given by its key).
pub(crate) fn node_key_named(r: &enlace_store::Read<'_>, name: &str) -> Result<Option<[u8; 32]>> {
    let roster: Vec<_> = r.roster()?.into_iter().filter(|e| e.name == name).collect();
    Ok(match r.peer_by_name(name)? {
        Some(p) => p.public_key.as_slice().try_into().ok(),
        None => match r.anchors()?.into_iter().find(|a| a.name == name) {
            Some(a) => a.public_key.as_slice().try_into().ok(),
            None if roster.len() > 1 => {
                return Err(CoreError::Ambiguous {
                    what: name.to_owned(),
                    candidates: roster
                        .iter()
                        .map(|e| crate::error::Candidate {
                            id: hex::encode(&e.public_key),
                            label: e.name.clone(),
                        })
                        .collect(),
                });
            }
            None => match roster.first() {
                Some(e) => e.public_key.as_slice().try_into().ok(),
                None => parse_key(name).ok(),
            },
        },
    })
}

impl App {
    /// Revokes the key of a node of this country (named as a peer, an
    /// anchor or in the roster, or given in hex): its certificate is
    /// refused here, it leaves the roster, and a revocation signed by this
    /// node, keeping the changes by it this node holds, travels with every
    /// page from now on. Its later changes are kept aside (`revoked`)
    /// wherever the revocation arrives.
    pub fn revoke_key(&mut self, name: &str) -> Result<RevocationView> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        let me = self.public_key();
        let mine = self.node.country.as_str().to_owned();
        let at = now_string();
        let by = self.by();
        // The country's administrator key, where this node trusts one.
        let signer = self.revoking_key()?;
        let revoker = signer.verifying_key().to_bytes();
        let self_country_key = self.store.read().country_key(&mine)?.map(|k| k.public_key);
        let row = self.store.write(|tx| {
            let r = tx.read();
            let key = node_key_named(&r, name)?.ok_or_else(|| CoreError::UnknownPeer {
                name: name.to_owned(),
            })?;
            if key == me {
                return Err(CoreError::RevokeSelf);
            }
            let existing = r.revocation(&key)?;
            let country = match country_of(&me, &mine, &r, &key)? {
                Some(c) => c,
                // Known here only through a revocation waiting for this
                // administrator, or not at all.
                None => match &existing {
                    Some(v) => v.country.clone(),
                    None => {
                        return Err(CoreError::UnknownPeer {
                            name: name.to_owned(),
                        });
                    }
                },
            };
            if country != mine {
                return Err(CoreError::RevokeForeign {
                    name: name.to_owned(),
                    country,
                });
            }
            if let Some(mut v) = existing.filter(|v| v.applied) {
                // Already revoked: the first word stands — but one signed
                // before the country key existed is signed again with it,
                // so the nodes that trust only that key obey it too.
                let by_country_key = self_country_key.as_deref() == Some(&revoker[..]);
                if by_country_key && v.revoker != revoker && v.country == mine {
                    let kept: Vec<[u8; 32]> = v
                        .kept
                        .chunks_exact(32)
                        .filter_map(|c| <[u8; 32]>::try_from(c).ok())
                        .collect();
                    let signed = proof::revoke(&signer, &key, &v.country, &v.revoked_at, &kept);
                    let (log_seq, _) = r.log_end()?;
                    v.revoker = revoker.to_vec();
                    v.signature = signed.sig.to_vec();
                    v.log_seq = log_seq;
                    tx.resign_revocation(&v)?;
                    tx.audit(&at, &by, "peer.revoke.resigned", &v.name, &hex::encode(key))?;
                }
                return Ok(v);
            }
            let shown = key_name(&r, &key)?;
            // At most the first MAX_KEPT changes it made stand (a thief
            // who floods the hub before the theft is noticed does not
            // make the revocation too large to travel).
            let kept = r.authored_hashes(&key, enlace_sync::LIMITS.max_kept)?;
            let (count, bytes) = r.revocation_totals()?;
            if count >= MAX_REVOCATIONS || bytes + 32 * kept.len() as u64 > MAX_REVOCATION_BYTES {
                return Err(CoreError::RevocationsFull);
            }
            let signed = proof::revoke(&signer, &key, &country, &at, &kept);
            let (log_seq, _) = r.log_end()?;
            let row = RevocationRow {
                public_key: key.to_vec(),
                country,
                name: shown.clone(),
                revoked_at: at.clone(),
                kept: signed.kept.to_vec(),
                revoker: revoker.to_vec(),
                signature: signed.sig.to_vec(),
                received_at: at.clone(),
                log_seq,
                applied: true,
            };
            tx.put_revocation(&row)?;
            tx.revoke_key(&key, &at)?;
            tx.void_revocations_by(&key)?;
            tx.audit(
                &at,
                &by,
                "peer.revoke",
                &shown,
                &format!("{} keeps {}", hex::encode(key), kept.len()),
            )?;
            Ok(row)
        })?;
        self.revocation_view(&row)
    }

    /// Every revocation this node holds, newest first.
    pub fn revocations(&self) -> Result<Vec<RevocationView>> {
        let rows = self.store.read().revocations()?;
        rows.iter().map(|r| self.revocation_view(r)).collect()
    }

    fn revocation_view(&self, v: &RevocationRow) -> Result<RevocationView> {
        let by_country_key = self
            .store
            .read()
            .country_key(&v.country)?
            .is_some_and(|k| k.public_key == v.revoker);
        let revoked_by = if v.revoker.as_slice() == self.public_key() {
            self.node.name.clone()
        } else {
            key_name(&self.store.read(), &v.revoker)?
        };
        Ok(RevocationView {
            public_key: hex::encode(&v.public_key),
            name: v.name.clone(),
            country: v.country.clone(),
            revoked_by,
            revoked_at: v.revoked_at.clone(),
            kept: (v.kept.len() / 32) as u64,
            pending: !v.applied,
            by_country_key,
        })
    }
}
