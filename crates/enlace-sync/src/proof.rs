//! Who wrote a change, provably, at a few bytes per page.
//!
//! Every automerge change names its actor, and a node's actor id is its
//! Ed25519 public key. A change is accepted only with a signature by that
//! key. Signing each change would cost 64 incompressible bytes per change —
//! more than the change itself, compressed, for a typical edit — so a
//! signature covers a *set* of change hashes instead ([`proof_message`]):
//! the author signs, once per page, every change of its own that the page
//! carries. A node relaying someone else's changes forwards that author's
//! signature as it received it, naming the members it is not forwarding
//! by hash (`hidden`), so the third node can still verify the author.
//!
//! Roster entries ([`roster_message`]) say which country a key belongs to;
//! only a node of that same country may vouch for it. Revocations
//! ([`revocation_message`]) withdraw a key, signed by a node of its
//! country.

use std::collections::BTreeMap;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_bytes::ByteArray;

use crate::wire::{Key, Proof, Revocation, RosterEntry};

const PROOF_DOMAIN: &[u8] = b"enlace/proof/v1\0";
const ROSTER_DOMAIN: &[u8] = b"enlace/roster/v1\0";
const REVOKE_DOMAIN: &[u8] = b"enlace/revoke/v1\0";

/// The bytes an author signs for a set of its changes: a domain tag, the
/// author's key, the number of hashes (u32, big-endian) and the hashes in
/// ascending order, each once.
pub fn proof_message(author: &[u8; 32], hashes: &[[u8; 32]]) -> Vec<u8> {
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut m = Vec::with_capacity(PROOF_DOMAIN.len() + 36 + 32 * sorted.len());
    m.extend_from_slice(PROOF_DOMAIN);
    m.extend_from_slice(author);
    m.extend_from_slice(&(sorted.len() as u32).to_be_bytes());
    for h in &sorted {
        m.extend_from_slice(h);
    }
    m
}

/// The bytes a voucher signs for a roster entry: a domain tag, the key, the
/// country (2 ASCII letters), the name's length (u16, big-endian) and its
/// UTF-8 bytes, and the voucher's key.
pub fn roster_message(key: &[u8; 32], country: &str, name: &str, voucher: &[u8; 32]) -> Vec<u8> {
    let name = name.as_bytes();
    let len = name.len().min(u16::MAX as usize);
    let mut m = Vec::with_capacity(ROSTER_DOMAIN.len() + 70 + len);
    m.extend_from_slice(ROSTER_DOMAIN);
    m.extend_from_slice(key);
    m.extend_from_slice(country.as_bytes());
    m.extend_from_slice(&(len as u16).to_be_bytes());
    m.extend_from_slice(&name[..len]);
    m.extend_from_slice(voucher);
    m
}

/// The bytes a revoker signs: a domain tag, the revoked key, its country
/// (2 ASCII letters), the time's length (u16, big-endian) and its UTF-8
/// bytes, the kept hashes' byte length (u32, big-endian) and the hashes,
/// and the revoker's key.
pub fn revocation_message(
    key: &[u8; 32],
    country: &str,
    at: &str,
    kept: &[u8],
    revoker: &[u8; 32],
) -> Vec<u8> {
    let at = at.as_bytes();
    let at_len = at.len().min(u16::MAX as usize);
    let kept_len = kept.len().min(u32::MAX as usize);
    let mut m = Vec::with_capacity(REVOKE_DOMAIN.len() + 72 + at_len + kept_len);
    m.extend_from_slice(REVOKE_DOMAIN);
    m.extend_from_slice(key);
    m.extend_from_slice(country.as_bytes());
    m.extend_from_slice(&(at_len as u16).to_be_bytes());
    m.extend_from_slice(&at[..at_len]);
    m.extend_from_slice(&(kept_len as u32).to_be_bytes());
    m.extend_from_slice(&kept[..kept_len]);
    m.extend_from_slice(revoker);
    m
}

/// A revocation of `key` (a node of `country`) by `revoker`, keeping the
/// changes whose hashes are in `kept` (sorted and deduplicated here).
pub fn revoke(
    revoker: &SigningKey,
    key: &[u8; 32],
    country: &str,
    at: &str,
    kept: &[[u8; 32]],
) -> Revocation {
    let mut tags = kept.to_vec();
    tags.sort_unstable();
    tags.dedup();
    let kept: Vec<u8> = tags.concat();
    let rk = revoker.verifying_key().to_bytes();
    let sig = revoker.sign(&revocation_message(key, country, at, &kept, &rk));
    Revocation {
        key: ByteArray::new(*key),
        country: country.to_owned(),
        at: at.to_owned(),
        kept: serde_bytes::ByteBuf::from(kept),
        revoker: ByteArray::new(rk),
        sig: ByteArray::new(sig.to_bytes()),
    }
}

/// True when the revocation's signature is its revoker's.
pub fn revocation_valid(r: &Revocation) -> bool {
    verify(
        &r.revoker,
        &revocation_message(&r.key, &r.country, &r.at, &r.kept, &r.revoker),
        &r.sig,
    )
}

/// Most bytes an actor id may add after its author's key: a node writes
/// each session's changes under its key followed by a few random bytes,
/// so that a node restored from a backup never reuses a sequence number
/// (automerge numbers each actor's changes per document).
pub const MAX_ACTOR_SUFFIX: usize = 16;

/// The author's key of an automerge actor id: its first 32 bytes, when the
/// id is a key optionally followed by at most [`MAX_ACTOR_SUFFIX`] bytes.
pub fn actor_key(actor: &[u8]) -> Option<[u8; 32]> {
    if actor.len() < 32 || actor.len() > 32 + MAX_ACTOR_SUFFIX {
        return None;
    }
    actor[..32].try_into().ok()
}

/// Verifies a stored proof again (a change kept aside is checked anew
/// when it is retried): `sig` by `author` over `members`.
pub fn stored_valid(author: &[u8; 32], sig: &[u8; 64], members: &[[u8; 32]]) -> bool {
    verify(author, &proof_message(author, members), sig)
}

/// Verifies `sig` by `key` over `msg`, strictly: false for a malformed or
/// weak key (one of small order, whose "signatures" anyone can make) and
/// for a signature in a non-canonical form.
pub fn verify(key: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
    let Ok(k) = VerifyingKey::from_bytes(key) else {
        return false;
    };
    !k.is_weak() && k.verify_strict(msg, &Signature::from_bytes(sig)).is_ok()
}

/// A roster entry for `key`, vouched for by `voucher`.
pub fn vouch(voucher: &SigningKey, key: &[u8; 32], country: &str, name: &str) -> RosterEntry {
    let vk = voucher.verifying_key().to_bytes();
    let sig = voucher.sign(&roster_message(key, country, name, &vk));
    RosterEntry {
        key: ByteArray::new(*key),
        country: country.to_owned(),
        name: name.to_owned(),
        voucher: ByteArray::new(vk),
        sig: ByteArray::new(sig.to_bytes()),
    }
}

/// True when the entry's signature is the voucher's.
pub fn roster_entry_valid(e: &RosterEntry) -> bool {
    verify(
        &e.voucher,
        &roster_message(&e.key, &e.country, &e.name, &e.voucher),
        &e.sig,
    )
}

/// Where the proof of one change of a page comes from.
#[derive(Debug, Clone)]
pub enum ProofSource {
    /// The change is this node's own: it signs afresh, one signature per
    /// `class` (the caller groups changes that the same receivers may see,
    /// so a relay never has to name many hidden members).
    Own { class: u64 },
    /// A signature received earlier with the change: stored proof `id` by
    /// `author` over `members`.
    Stored(StoredProof),
    /// No proof is at hand: the change goes without one (its receiver
    /// keeps it in quarantine rather than trust it).
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProof {
    pub id: i64,
    pub author: [u8; 32],
    pub sig: [u8; 64],
    pub members: Vec<[u8; 32]>,
}

/// Builds the proofs of a page. `changes` lists, for every change of the
/// page in order, its hash and where its proof comes from.
pub fn build_proofs(key: &SigningKey, changes: &[([u8; 32], ProofSource)]) -> Vec<Proof> {
    let me = key.verifying_key().to_bytes();
    let mut own: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
    let mut stored: BTreeMap<i64, (&StoredProof, Vec<u32>)> = BTreeMap::new();
    for (i, (_, src)) in changes.iter().enumerate() {
        let i = i as u32;
        match src {
            ProofSource::Own { class } => own.entry(*class).or_default().push(i),
            ProofSource::Stored(p) => stored.entry(p.id).or_insert((p, vec![])).1.push(i),
            ProofSource::None => {}
        }
    }
    let mut out = Vec::with_capacity(own.len() + stored.len());
    for positions in own.values() {
        let hashes: Vec<[u8; 32]> = positions.iter().map(|&i| changes[i as usize].0).collect();
        let sig = key.sign(&proof_message(&me, &hashes));
        out.push(Proof {
            // The sender's own: the receiver knows its key.
            author: None,
            sig: ByteArray::new(sig.to_bytes()),
            members: ranges(positions),
            hidden: vec![],
        });
    }
    for (p, positions) in stored.values() {
        let included: std::collections::HashSet<[u8; 32]> =
            positions.iter().map(|&i| changes[i as usize].0).collect();
        let hidden = p
            .members
            .iter()
            .filter(|h| !included.contains(*h))
            .map(|h| ByteArray::new(*h))
            .collect();
        out.push(Proof {
            author: (p.author != me).then(|| ByteArray::new(p.author)),
            sig: ByteArray::new(p.sig),
            members: ranges(positions),
            hidden,
        });
    }
    out
}

/// Ascending positions as `[start, count]` runs.
fn ranges(positions: &[u32]) -> Vec<[u32; 2]> {
    let mut out: Vec<[u32; 2]> = vec![];
    for &p in positions {
        match out.last_mut() {
            Some([start, count]) if *start + *count == p => *count += 1,
            _ => out.push([p, 1]),
        }
    }
    out
}

/// The positions a proof names, in order (bounds were checked by the
/// decoder).
pub fn positions(p: &Proof) -> impl Iterator<Item = usize> + '_ {
    p.members
        .iter()
        .flat_map(|[s, c]| (*s as usize)..(*s as usize + *c as usize))
}

/// The author of a proof: its own, or the page's sender.
pub fn author_of(p: &Proof, sender: &[u8; 32]) -> [u8; 32] {
    p.author.map_or(*sender, |a| *a)
}

/// Verifies the proofs of a page from `sender` against the changes it
/// carries (`hashes` and `authors`, one per change, in page order).
/// Returns, for each change, the index of the proof that covers it, or
/// `None` when no valid proof by the change's own author names it.
pub fn verify_proofs(
    proofs: &[Proof],
    sender: &[u8; 32],
    hashes: &[[u8; 32]],
    authors: &[[u8; 32]],
) -> Vec<Option<usize>> {
    let mut covered = vec![None; hashes.len()];
    for (pi, p) in proofs.iter().enumerate() {
        let author = author_of(p, sender);
        let mut members: Vec<[u8; 32]> = Vec::new();
        let mut ok = true;
        let mut mine = vec![];
        for i in positions(p) {
            let (Some(h), Some(a)) = (hashes.get(i), authors.get(i)) else {
                ok = false;
                break;
            };
            // A proof vouches only for its own author's changes.
            if a != &author {
                ok = false;
                break;
            }
            members.push(*h);
            mine.push(i);
        }
        if !ok {
            continue;
        }
        members.extend(p.hidden.iter().map(|h| **h));
        if verify(&author, &proof_message(&author, &members), &p.sig) {
            for i in mine {
                covered[i].get_or_insert(pi);
            }
        }
    }
    covered
}

/// The members of a verified proof: the page's changes it names plus the
/// hidden ones (what a receiver stores to relay it later).
pub fn members(p: &Proof, hashes: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let mut m: Vec<[u8; 32]> = positions(p)
        .filter_map(|i| hashes.get(i).copied())
        .collect();
    m.extend(p.hidden.iter().map(|h| **h));
    m.sort_unstable();
    m.dedup();
    m
}

/// Convenience for callers holding a key as `Key`.
pub fn key_bytes(k: &Key) -> [u8; 32] {
    **k
}
