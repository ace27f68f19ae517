//! Audit heads exchanged at every sync round (docs/sync-protocol.md,
//! "Audit heads"): this node shows its head and confirms the heads it
//! showed a peer before; it keeps the last head a peer showed and checks
//! the next one against it. A peer's log found cut or rewritten is
//! recorded on the peer and in this node's audit log; the session goes on.
//!
//! The hashes shown are the chain recomputed from the entries' content,
//! not the hashes stored beside them: an entry edited in the database
//! without its hashes (which this node's `audit verify` finds) changes
//! what its peers are shown too. Heads travel in a session's first round
//! only, so the log is read once a session.

use enlace_store::WriteTx;
use enlace_sync::{AuditHead, MAX_CONFIRMS, PeerKey};
use serde::{Deserialize, Serialize};
use serde_bytes::ByteArray;

use super::hash_bytes;
use crate::{App, Result, now_string};

/// The head a peer showed last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    seq: u64,
    hash: String,
}

/// What comparing a peer's heads found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditAlarm {
    /// When it was found.
    pub at: String,
    /// `rewritten` (another hash at an entry shown before), `cut` (a log
    /// that no longer reaches an entry shown before) or `unconfirmed` (a
    /// head that confirms none of those shown before: the sender forgot
    /// what it showed, or was made to).
    pub kind: String,
    /// The entry shown before.
    #[ts(type = "number")]
    pub seq: u64,
}

/// The chain's hashes recomputed from the entries' content.
fn recompute(rows: &[enlace_store::AuditRow]) -> Vec<(i64, [u8; 32])> {
    let mut prev = String::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let h = enlace_store::audit_hash(&prev, &r.at, &r.actor, &r.action, &r.subject, &r.detail);
        out.push((r.seq, hash_bytes(&h).unwrap_or([0; 32])));
        prev = h;
    }
    out
}

/// What a new head says about the heads kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finding {
    Confirmed,
    /// Another hash at this entry, shown before.
    Rewritten(u64),
    /// This entry, shown before, is gone.
    Cut(u64),
    /// None of the heads kept is confirmed, though the new one is beyond
    /// them all.
    Unconfirmed(u64),
    /// Nothing to compare with.
    Unknown,
}

/// The most heads kept per peer.
const KEPT: usize = MAX_CONFIRMS;

/// Compares `head` with the heads a peer showed before (`kept`).
///
/// A head older than some kept (two sessions of the peer at once, one
/// started before the other's last entry) is no finding; a head older than
/// every kept one is a cut.
pub(crate) fn compare(kept: &[(u64, [u8; 32])], head: &AuditHead) -> Finding {
    if kept.is_empty() {
        return Finding::Unknown;
    }
    let mut confirmed = false;
    for &(seq, hash) in kept {
        let at = if seq == head.seq {
            Some(*head.hash)
        } else if seq < head.seq {
            head.confirms
                .iter()
                .find(|(s, _)| *s == seq)
                .map(|(_, h)| **h)
        } else {
            continue;
        };
        match at {
            Some(h) if h == hash => confirmed = true,
            // The sender no longer holds that entry.
            Some(h) if h == [0; 32] => return Finding::Cut(seq),
            Some(_) => return Finding::Rewritten(seq),
            None => {}
        }
    }
    let lowest = kept.iter().map(|k| k.0).min().unwrap_or(0);
    let highest = kept.iter().map(|k| k.0).max().unwrap_or(0);
    if head.seq < lowest {
        Finding::Cut(lowest)
    } else if !confirmed && head.seq > highest {
        Finding::Unconfirmed(highest)
    } else {
        Finding::Confirmed
    }
}

impl App {
    /// This node's head for `peer`, confirming the heads shown to it
    /// before; records that it was shown.
    pub(crate) fn audit_head_for(&mut self, peer: &PeerKey) -> Result<Option<AuditHead>> {
        // Once a session (the first round carries it): the whole log read.
        let chain = recompute(&self.store.read().audit_log()?);
        let Some(&(seq, hash)) = chain.last() else {
            return Ok(None);
        };
        let Some(state) = self.store.read().peer_audit(peer)? else {
            return Ok(None);
        };
        let mut told: Vec<u64> = serde_json::from_str(&state.told).unwrap_or_default();
        let mut confirms = vec![];
        for s in &told {
            if *s == seq as u64 {
                continue;
            }
            // An entry shown before and gone now: zeros say so (the log
            // was cut, whatever was written after).
            let h = chain
                .binary_search_by_key(&(*s as i64), |(q, _)| *q)
                .map(|i| chain[i].1)
                .unwrap_or([0; 32]);
            confirms.push((*s, ByteArray::new(h)));
        }
        let seq = u64::try_from(seq).unwrap_or(0);
        if told.last() != Some(&seq) {
            told.retain(|s| *s != seq);
            told.push(seq);
            let extra = told.len().saturating_sub(MAX_CONFIRMS);
            told.drain(..extra);
            let text = serde_json::to_string(&told).unwrap_or_else(|_| "[]".into());
            self.store
                .write(|tx| tx.set_peer_audit(peer, &text, None, None))?;
        }
        confirms.truncate(MAX_CONFIRMS);
        Ok(Some(AuditHead {
            seq,
            hash: ByteArray::new(hash),
            confirms,
        }))
    }

    /// Checks `peer`'s head against the heads it showed before and keeps
    /// it with them. Every finding is an entry of this node's audit log;
    /// the peer's row shows the latest.
    pub(crate) fn audit_head_from(&mut self, peer: &PeerKey, head: &AuditHead) -> Result<()> {
        let Some(state) = self.store.read().peer_audit(peer)? else {
            return Ok(());
        };
        let mut kept: Vec<Seen> = state
            .seen
            .as_deref()
            .and_then(|s| {
                serde_json::from_str::<Vec<Seen>>(s)
                    .ok()
                    .or_else(|| serde_json::from_str::<Seen>(s).ok().map(|one| vec![one]))
            })
            .unwrap_or_default();
        let pairs: Vec<(u64, [u8; 32])> = kept
            .iter()
            .filter_map(|k| hash_bytes(&k.hash).map(|h| (k.seq, h)))
            .collect();
        let found = match compare(&pairs, head) {
            Finding::Rewritten(seq) => Some(("rewritten", seq)),
            Finding::Cut(seq) => Some(("cut", seq)),
            Finding::Unconfirmed(seq) => Some(("unconfirmed", seq)),
            Finding::Confirmed | Finding::Unknown => None,
        };
        kept.retain(|k| k.seq != head.seq);
        kept.push(Seen {
            seq: head.seq,
            hash: hex::encode(*head.hash),
        });
        kept.sort_by_key(|k| k.seq);
        let extra = kept.len().saturating_sub(KEPT);
        kept.drain(..extra);
        let seen = serde_json::to_string(&kept).unwrap_or_default();
        let by = self.by();
        let name = self
            .store
            .read()
            .peer_by_key(peer)?
            .map(|p| p.name)
            .unwrap_or_else(|| hex::encode(&peer[..8]));
        self.store.write(|tx: &WriteTx<'_>| {
            let new_alarm = match found {
                Some((kind, seq)) => {
                    let at = now_string();
                    tx.audit(
                        &at,
                        &by,
                        "audit.peer_mismatch",
                        &name,
                        &format!("{kind} at entry {seq}"),
                    )?;
                    serde_json::to_string(&AuditAlarm {
                        at,
                        kind: kind.to_owned(),
                        seq,
                    })
                    .ok()
                }
                None => None,
            };
            tx.set_peer_audit(peer, &state.told, Some(&seen), new_alarm.as_deref())
        })?;
        Ok(())
    }

    /// Peers whose audit log was found cut or rewritten.
    pub fn peer_audit_alarms(&self) -> Result<Vec<(String, AuditAlarm)>> {
        Ok(self
            .store
            .read()
            .peer_audit_alarms()?
            .into_iter()
            .filter_map(|(name, a)| serde_json::from_str(&a).ok().map(|a| (name, a)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(seq: u64, h: u8, confirms: &[(u64, u8)]) -> AuditHead {
        AuditHead {
            seq,
            hash: ByteArray::new([h; 32]),
            confirms: confirms
                .iter()
                .map(|(s, h)| (*s, ByteArray::new([*h; 32])))
                .collect(),
        }
    }

    #[test]
    fn heads_confirm_or_show_a_log_cut_or_rewritten() {
        let kept = [(10, [7u8; 32])];
        assert_eq!(compare(&[], &head(10, 7, &[])), Finding::Unknown);
        assert_eq!(compare(&kept, &head(10, 7, &[])), Finding::Confirmed);
        assert_eq!(compare(&kept, &head(10, 8, &[])), Finding::Rewritten(10));
        assert_eq!(compare(&kept, &head(9, 7, &[])), Finding::Cut(10));
        assert_eq!(compare(&kept, &head(14, 1, &[(10, 7)])), Finding::Confirmed);
        assert_eq!(
            compare(&kept, &head(14, 1, &[(10, 9)])),
            Finding::Rewritten(10)
        );
        assert_eq!(compare(&kept, &head(14, 1, &[(10, 0)])), Finding::Cut(10));
        // What the sender showed before, forgotten (or wiped).
        assert_eq!(compare(&kept, &head(14, 1, &[])), Finding::Unconfirmed(10));
        assert_eq!(
            compare(&kept, &head(14, 1, &[(12, 9)])),
            Finding::Unconfirmed(10)
        );
        // Two sessions at once: a head between the kept ones, confirming
        // the older, is no finding.
        let two = [(10, [7u8; 32]), (12, [8u8; 32])];
        assert_eq!(compare(&two, &head(11, 5, &[(10, 7)])), Finding::Confirmed);
        assert_eq!(compare(&two, &head(9, 5, &[])), Finding::Cut(10));
    }
}
