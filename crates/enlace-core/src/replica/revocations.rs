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

/// Accepts the revocations of keys this node knows as nodes of their
/// country. Where this node trusts the country's administrator key, only
/// revocations signed by it count, and they apply at once — even of a key
/// this node trusts directly; any other is refused and the refusal is in
/// the audit log. Otherwise: signed by a node this node trusts directly (a
/// peer or an anchor) of the revoked key's country, itself not revoked
/// here (nor waiting to be); one of a key this node trusts directly waits
/// for its administrator (pending). Applied: the key leaves the roster
/// (and what it vouched for), only its kept changes are merged from now
/// on, and the revocations it signed itself are void. Returns true when
/// one applied (kept changes of that key may now be tried again).
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
        let country_key = r.country_key(&v.country)?.map(|k| k.public_key);
        let by_country_key = country_key.as_deref() == Some(&v.revoker[..]);
        match r.revocation(&*v.key)? {
            // Applied here before, signed by another key: the country key's
            // signature takes its place (same date and kept changes), so it
            // travels on to the nodes that obey only that key.
            Some(mut old)
                if old.applied
                    && by_country_key
                    && old.revoker != v.revoker.to_vec()
                    && old.revoked_at == v.at
                    && old.kept == v.kept.to_vec()
                    && proof::revocation_valid(v) =>
            {
                old.revoker = v.revoker.to_vec();
                old.signature = v.sig.to_vec();
                old.log_seq = r.log_end()?.0;
                tx.resign_revocation(&old)?;
                continue;
            }
            // The first word stands; the country's key overrides one
            // that waits.
            Some(old) if old.applied || !by_country_key => continue,
            _ => {}
        }
        // A key not known here as a node of that country is not revoked on
        // anyone's word (nor is its refusal worth an audit entry).
        let known = country_of(&me, mine, &r, &*v.key)?.as_deref() == Some(v.country.as_str());
        if country_key.is_some() && !by_country_key {
            // Only the country's administrator key revokes its nodes here.
            if known
                && proof::revocation_valid(v)
                && !tx
                    .read()
                    .audit_has("peer.revocation_refused", &hex::encode(*v.key))?
            {
                let by = key_name(&r, &*v.revoker)?;
                tx.audit(
                    at,
                    &node.name,
                    "peer.revocation_refused",
                    &hex::encode(*v.key),
                    &format!("signed by {by}, not by the country's administrator key"),
                )?;
            }
            continue;
        }
        if !by_country_key {
            let revoker = match r.peer_by_key(&*v.revoker)? {
                Some(p) => Some(p.country),
                None => r.anchor_by_key(&*v.revoker)?.map(|a| a.country),
            };
            if revoker.as_deref() != Some(v.country.as_str())
                || r.revocation(&*v.revoker)?.is_some()
            {
                continue; // not trusted directly here, of another country, or revoked
            }
        }
        if !known {
            continue;
        }
        // Room for revocations is bounded; the country key's, few and from
        // the country's trust anchor, are never crowded out by others.
        let (count, bytes) = r.revocation_totals()?;
        if !by_country_key
            && (count >= MAX_REVOCATIONS || bytes + v.kept.len() as u64 > MAX_REVOCATION_BYTES)
        {
            continue;
        }
        if !proof::revocation_valid(v) {
            continue;
        }
        let direct = !by_country_key
            && (r.peer_by_key(&*v.key)?.is_some() || r.anchor_by_key(&*v.key)?.is_some());
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
        let by = if by_country_key {
            format!("the country key {}", hex::encode(&v.revoker[..8]))
        } else {
            key_name(&r, &*v.revoker)?
        };
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
