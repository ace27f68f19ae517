//! A received change together with a valid proof by its author.
//!
//! automerge lets any holder of a document write a change naming any
//! actor, so a change counts as its author's only with the author's
//! signature over it (enlace-sync's `proof`). [`Proven`] is the only form
//! in which the receive path applies, logs or relays a change; it comes
//! only from a [`Checked`] change whose proof was verified here — from the
//! page it came in ([`Checked::from_page`]), or from a stored proof
//! verified again ([`Stored::check`], for a change kept aside or a part of
//! a large document). So no path — direct, a quarantine retry, a document
//! asked for whole or in parts, a bundle — applies a change whose proof
//! was not checked.

use std::collections::HashMap;

use enlace_docs::ParsedChange;
use enlace_store::Read;
use enlace_sync::proof;

use crate::Result;

/// Where a change's proof is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProofRef {
    /// Proof number `n` of the page it came in (stored once applied).
    InPage(usize),
    /// A stored proof (a change kept aside earlier, a part).
    Stored(i64),
}

/// A received change, and its proof if one by its author was verified.
#[derive(Debug)]
pub(crate) struct Checked {
    parsed: ParsedChange,
    bytes: Vec<u8>,
    author: Option<[u8; 32]>,
    proof: Option<ProofRef>,
}

impl Checked {
    /// A change of a page: `covered` is the page's proof that covers it
    /// (from `proof::verify_proofs`, which accepts only a proof by the
    /// change's own author).
    pub(crate) fn from_page(
        parsed: ParsedChange,
        bytes: Vec<u8>,
        covered: Option<usize>,
    ) -> Checked {
        let author = proof::actor_key(&parsed.actor);
        Checked {
            proof: author.and(covered.map(ProofRef::InPage)),
            parsed,
            bytes,
            author,
        }
    }

    pub(crate) fn parsed(&self) -> &ParsedChange {
        &self.parsed
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The change as its author's, if its proof holds.
    pub(crate) fn proven(&self) -> Option<Proven<'_>> {
        Some(Proven {
            change: &self.parsed,
            author: self.author?,
            proof: self.proof?,
        })
    }
}

/// A change whose author signed it.
#[derive(Debug)]
pub(crate) struct Proven<'a> {
    change: &'a ParsedChange,
    author: [u8; 32],
    proof: ProofRef,
}

impl<'a> Proven<'a> {
    pub(crate) fn change(&self) -> &'a ParsedChange {
        self.change
    }

    /// The author's 32-byte key (the actor without its session part).
    pub(crate) fn author(&self) -> &[u8; 32] {
        &self.author
    }

    pub(crate) fn proof(&self) -> ProofRef {
        self.proof
    }
}

/// A stored proof whose signature holds: its author and members.
type Valid = ([u8; 32], Vec<[u8; 32]>);

/// Stored proofs verified again, each once (a retry may try many changes
/// covered by one proof).
#[derive(Debug, Default)]
pub(crate) struct Stored {
    /// Proof id -> its author and members when its signature is valid.
    checked: HashMap<i64, Option<Valid>>,
}

impl Stored {
    /// A kept change, proven again by stored proof `proof_id`: the
    /// signature is the author's over members that include the change.
    /// Its proof is `None` when the stored one is missing or does not hold.
    pub(crate) fn check(
        &mut self,
        r: &Read<'_>,
        parsed: ParsedChange,
        bytes: Vec<u8>,
        proof_id: Option<i64>,
    ) -> Result<Checked> {
        let author = proof::actor_key(&parsed.actor);
        let holds = match (proof_id, author) {
            (Some(id), Some(author)) => self.holds(r, id, &author, &parsed.hash)?,
            _ => false,
        };
        Ok(Checked {
            proof: proof_id.filter(|_| holds).map(ProofRef::Stored),
            parsed,
            bytes,
            author,
        })
    }

    fn holds(&mut self, r: &Read<'_>, id: i64, author: &[u8; 32], hash: &[u8; 32]) -> Result<bool> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.checked.entry(id) {
            let valid = r.proof(id)?.and_then(|p| {
                let signer: [u8; 32] = p.author.as_slice().try_into().ok()?;
                let sig: [u8; 64] = p.signature.as_slice().try_into().ok()?;
                let members: Vec<[u8; 32]> = p
                    .members
                    .chunks_exact(32)
                    .filter_map(|c| c.try_into().ok())
                    .collect();
                proof::stored_valid(&signer, &sig, &members).then_some((signer, members))
            });
            e.insert(valid);
        }
        Ok(matches!(
            self.checked.get(&id),
            Some(Some((signer, members))) if signer == author && members.binary_search(hash).is_ok()
        ))
    }
}
