//! The node's identity: an Ed25519 key pair created at `init`, stored in the
//! encrypted database. The node id is the hex of the public key's first 8
//! bytes; the automerge actor id is the whole public key followed by a few
//! random bytes drawn at each opening (a session), so every change can be
//! bound to the key that signed it and no change number is given twice.

use std::path::Path;

use automerge::ActorId;
use ed25519_dalek::{Signer, SigningKey};
use enlace_domain::{CountryCode, NodeCode, Owner};
use enlace_store::NodeRow;
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::{CoreError, Result, now_string};

/// What `enlace node show` prints; what a peer needs to pair with this node.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NodeInfo {
    pub node_id: String,
    /// The node's code in the references it issues (`GT-K7M3Q-2026-0001`).
    pub node_code: String,
    pub country: String,
    pub name: String,
    /// Hex of the 32-byte Ed25519 public key.
    pub public_key: String,
    pub created_at: String,
    pub data_dir: String,
    /// Its place in its country (`hub`, `office`, `border_post`, `ngo`):
    /// what sync gives it of the country's identities.
    pub role: enlace_domain::NodeRole,
}

pub(crate) struct Identity {
    pub node_id: String,
    /// The code in the references (and task codes) this node issues.
    pub code: NodeCode,
    pub country: CountryCode,
    pub name: String,
    /// Its place in its country: a border post or an NGO holds only the
    /// identities of the people it works with.
    pub role: enlace_domain::NodeRole,
    key: SigningKey,
    pub actor: ActorId,
    created_at: String,
    /// The actors of edits made on a fork in this session (see
    /// [`Identity::fresh_actor`]): only these and `actor` may go on in
    /// their line — an actor of an earlier session may have written later
    /// changes a restored database does not hold.
    forks: std::sync::Mutex<Vec<ActorId>>,
}

impl Identity {
    pub fn generate(country: CountryCode, name: &str) -> Identity {
        let key = SigningKey::generate(&mut OsRng);
        Self::with_key(key, country, name.to_owned(), now_string())
    }

    fn with_key(
        key: SigningKey,
        country: CountryCode,
        name: String,
        created_at: String,
    ) -> Identity {
        let public = key.verifying_key().to_bytes();
        // A fresh session part each time the node is opened: automerge
        // numbers an actor's changes per document, and a node restored
        // from a backup must never number a change as one it wrote before
        // (its peers would refuse it as equivocation).
        let mut session = [0u8; 8];
        OsRng.fill_bytes(&mut session);
        Identity {
            node_id: hex::encode(&public[..8]),
            code: node_code(&public),
            actor: enlace_docs::session_actor(&public, &session),
            country,
            name,
            role: enlace_domain::NodeRole::Office,
            key,
            created_at,
            forks: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn to_row(&self) -> NodeRow {
        NodeRow {
            node_id: self.node_id.clone(),
            country: self.country.to_string(),
            name: self.name.clone(),
            public_key: self.key.verifying_key().to_bytes().to_vec(),
            secret_key: Zeroizing::new(self.key.to_bytes().to_vec()),
            created_at: self.created_at.clone(),
            role: self.role.to_string(),
        }
    }

    pub fn from_row(row: &NodeRow) -> Result<Identity> {
        let bytes: [u8; 32] =
            row.secret_key.as_slice().try_into().map_err(|_| {
                CoreError::Internal("the stored node key has the wrong length".into())
            })?;
        let key = SigningKey::from_bytes(&bytes);
        if key.verifying_key().to_bytes().as_slice() != row.public_key.as_slice() {
            return Err(CoreError::Internal(
                "the stored node key does not match its public key".into(),
            ));
        }
        let country = CountryCode::parse(&row.country)
            .ok_or_else(|| CoreError::Internal(format!("stored country `{}`", row.country)))?;
        use enlace_domain::enums::Closed;
        let role = enlace_domain::NodeRole::parse(&row.role)
            .ok_or_else(|| CoreError::Internal(format!("stored node role `{}`", row.role)))?;
        let mut id = Self::with_key(key, country, row.name.clone(), row.created_at.clone());
        id.role = role;
        Ok(id)
    }

    pub fn owner(&self) -> Owner {
        Owner {
            country: self.country.clone(),
            node: self.node_id.clone(),
        }
    }

    /// An actor of this node's key with a session part of its own: for an
    /// edit made on an earlier state of a document (its own line of
    /// changes, so no change number is given twice).
    pub fn fresh_actor(&self) -> ActorId {
        let mut session = [0u8; 8];
        OsRng.fill_bytes(&mut session);
        let actor = enlace_docs::session_actor(&self.public_key(), &session);
        if let Ok(mut forks) = self.forks.lock() {
            // The latest few are enough: an editor goes on from its last save.
            if forks.len() >= 256 {
                forks.remove(0);
            }
            forks.push(actor.clone());
        }
        actor
    }

    /// Whether `actor` is one this node wrote with in this session (its
    /// own, or a fork's): only such a line may be continued.
    pub fn wrote_this_session(&self, actor: &ActorId) -> bool {
        *actor == self.actor || self.forks.lock().is_ok_and(|f| f.contains(actor))
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.key.sign(msg).to_bytes().to_vec()
    }

    pub fn info(&self, dir: &Path) -> NodeInfo {
        NodeInfo {
            node_id: self.node_id.clone(),
            node_code: self.code.to_string(),
            country: self.country.to_string(),
            name: self.name.clone(),
            public_key: hex::encode(self.key.verifying_key().to_bytes()),
            created_at: self.created_at.clone(),
            data_dir: dir.display().to_string(),
            role: self.role,
        }
    }
}

/// The code of the node with this public key in the references it issues:
/// the first 25 bits of the key's SHA-256, in Crockford base 32.
pub(crate) fn node_code(public: &[u8; 32]) -> NodeCode {
    NodeCode::from_digest(&Sha256::digest(public).into())
}
