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
    /// `rewritten` (another hash at an entry shown before) or `cut` (a
    /// shorter log than shown before).
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

/// What a new head says about the one kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finding {
    Confirmed,
    Rewritten,
    Cut,
    /// Nothing to compare with (no head kept, or none of the
    /// confirmations reaches it).
    Unknown,
}

/// Compares `head` with the head kept (`seen`).
pub(crate) fn compare(seen: Option<(u64, [u8; 32])>, head: &AuditHead) -> Finding {
    let Some((seq, hash)) = seen else {
        return Finding::Unknown;
    };
    if head.seq < seq {
        return Finding::Cut;
    }
    let at = if head.seq == seq {
        Some(*head.hash)
    } else {
        head.confirms
            .iter()
            .find(|(s, _)| *s == seq)
            .map(|(_, h)| **h)
    };
    match at {
        Some(h) if h == hash => Finding::Confirmed,
        // The sender no longer holds that entry.
        Some(h) if h == [0; 32] => Finding::Cut,
        Some(_) => Finding::Rewritten,
        None => Finding::Unknown,
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

    /// Checks `peer`'s head against the one it showed before and keeps it.
    pub(crate) fn audit_head_from(&mut self, peer: &PeerKey, head: &AuditHead) -> Result<()> {
        let Some(state) = self.store.read().peer_audit(peer)? else {
            return Ok(());
        };
        let (told, alarm) = (state.told, state.alarm);
        let kept: Option<Seen> = state.seen.and_then(|s| serde_json::from_str(&s).ok());
        let finding = compare(
            kept.as_ref()
                .and_then(|k| hash_bytes(&k.hash).map(|h| (k.seq, h))),
            head,
        );
        let seen = serde_json::to_string(&Seen {
            seq: head.seq,
            hash: hex::encode(*head.hash),
        })
        .unwrap_or_default();
        let found = match finding {
            Finding::Rewritten => Some("rewritten"),
            Finding::Cut => Some("cut"),
            Finding::Confirmed | Finding::Unknown => None,
        };
        let by = self.by();
        let name = self
            .store
            .read()
            .peer_by_key(peer)?
            .map(|p| p.name)
            .unwrap_or_else(|| hex::encode(&peer[..8]));
        self.store.write(|tx: &WriteTx<'_>| {
            let new_alarm = match (found, &kept) {
                (Some(kind), Some(k)) if alarm.is_none() => {
                    let at = now_string();
                    tx.audit(
                        &at,
                        &by,
                        "audit.peer_mismatch",
                        &name,
                        &format!("{kind} at entry {}", k.seq),
                    )?;
                    serde_json::to_string(&AuditAlarm {
                        at,
                        kind: kind.to_owned(),
                        seq: k.seq,
                    })
                    .ok()
                }
                _ => None,
            };
            tx.set_peer_audit(peer, &told, Some(&seen), new_alarm.as_deref())
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
        let kept = Some((10, [7u8; 32]));
        assert_eq!(compare(None, &head(10, 7, &[])), Finding::Unknown);
        assert_eq!(compare(kept, &head(10, 7, &[])), Finding::Confirmed);
        assert_eq!(compare(kept, &head(10, 8, &[])), Finding::Rewritten);
        assert_eq!(compare(kept, &head(9, 7, &[])), Finding::Cut);
        assert_eq!(compare(kept, &head(14, 1, &[(10, 7)])), Finding::Confirmed);
        assert_eq!(compare(kept, &head(14, 1, &[(10, 9)])), Finding::Rewritten);
        assert_eq!(compare(kept, &head(14, 1, &[(12, 9)])), Finding::Unknown);
        assert_eq!(compare(kept, &head(14, 1, &[(10, 0)])), Finding::Cut);
    }
}
