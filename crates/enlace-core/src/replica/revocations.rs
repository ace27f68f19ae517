//! Revocations received: a key withdrawn by a node of its country
//! (docs/sync-protocol.md, "Revocations").

use enlace_store::{RevocationRow, WriteTx};
use enlace_sync::proof;

use super::{country_of, key_name};
use crate::Result;
use crate::node::Identity;

/// Revocations a node holds at most, and the bytes of their kept hashes:
/// all of them fit in one page beside its changes, so none is ever left
/// out of a page.
pub(crate) const MAX_REVOCATIONS: u64 = 100;
pub(crate) const MAX_REVOCATION_BYTES: u64 = 4 << 20;

/// Accepts the revocations signed by a node this node trusts directly (a
/// peer or an anchor) of the revoked key's country, itself not revoked
/// here (nor waiting to be), of a key this node knows as a node of that
/// country. One of a key this node trusts directly itself waits for its
/// administrator (pending); the others apply: the key leaves the roster,
/// only its kept changes are merged from now on, and the revocations it
/// signed itself are void. Returns true when one applied (kept changes of
/// that key may now be tried again).
pub(crate) fn accept_revocations(
    node: &Identity,
    tx: &WriteTx<'_>,
    list: &[enlace_sync::Revocation],
    at: &str,
) -> Result<bool> {
    let me = node.public_key();
    let mine = node.country.as_str();
    let mut applied = false;
    for v in list {
        if *v.key == me || v.key == v.revoker || *v.revoker == me {
            continue;
        }
        let r = tx.read();
        if r.revocation(&*v.key)?.is_some() {
            continue; // the first word stands
        }
        let revoker = match r.peer_by_key(&*v.revoker)? {
            Some(p) => Some(p.country),
            None => r.anchor_by_key(&*v.revoker)?.map(|a| a.country),
        };
        if revoker.as_deref() != Some(v.country.as_str()) || r.revocation(&*v.revoker)?.is_some() {
            continue; // not trusted directly here, of another country, or revoked
        }
        if country_of(&me, mine, &r, &*v.key)?.as_deref() != Some(v.country.as_str()) {
            continue; // a key not known here as a node of that country
        }
        let (count, bytes) = r.revocation_totals()?;
        if count >= MAX_REVOCATIONS || bytes + v.kept.len() as u64 > MAX_REVOCATION_BYTES {
            continue;
        }
        if !proof::revocation_valid(v) {
            continue;
        }
        let direct = r.peer_by_key(&*v.key)?.is_some() || r.anchor_by_key(&*v.key)?.is_some();
        let name = key_name(&r, &*v.key)?;
        let (log_seq, _) = r.log_end()?;
        tx.put_revocation(&RevocationRow {
            public_key: v.key.to_vec(),
            country: v.country.clone(),
            name: name.clone(),
            revoked_at: v.at.clone(),
            kept: v.kept.to_vec(),
            revoker: v.revoker.to_vec(),
            signature: v.sig.to_vec(),
            received_at: at.to_owned(),
            log_seq,
            applied: !direct,
        })?;
        let by = key_name(&r, &*v.revoker)?;
        if direct {
            tx.audit(
                at,
                &node.name,
                "peer.revocation_pending",
                &name,
                &format!("{} by {by}", hex::encode(*v.key)),
            )?;
        } else {
            tx.revoke_key(&*v.key, at)?;
            tx.void_revocations_by(&*v.key)?;
            tx.audit(
                at,
                &node.name,
                "peer.revoked",
                &name,
                &format!("{} by {by}", hex::encode(*v.key)),
            )?;
            applied = true;
        }
    }
    Ok(applied)
}
