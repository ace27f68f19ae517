//! What identifies a document and who owns it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::country::CountryCode;

/// A document's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, type = "string")]
pub struct CaseId(pub Uuid);

impl CaseId {
    pub fn new() -> CaseId {
        CaseId(Uuid::new_v4())
    }
}

impl Default for CaseId {
    fn default() -> Self {
        CaseId::new()
    }
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Which country and node own a document. Only the owner country may edit
/// the whole document (checked on sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Owner {
    pub country: CountryCode,
    /// The owning node's id (hex of its public key's first 8 bytes).
    pub node: String,
}

/// A person document's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, type = "string")]
pub struct PersonId(pub Uuid);

impl PersonId {
    pub fn new() -> PersonId {
        PersonId(Uuid::new_v4())
    }
}

impl Default for PersonId {
    fn default() -> Self {
        PersonId::new()
    }
}

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
