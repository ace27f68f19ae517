//! What a decoder accepts, and what this build sends within
//! (docs/sync-protocol.md, "Limits").

/// Bounds on what a decoder accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A message as received (compressed).
    pub max_body: usize,
    /// A message once decompressed.
    pub max_decoded: usize,
    /// One automerge change.
    pub max_change: usize,
    /// Changes in one page.
    pub max_changes: usize,
    /// Documents in one page.
    pub max_groups: usize,
    /// Proofs in one page (and hashes hidden behind them, in total).
    pub max_proofs: usize,
    pub max_hidden: usize,
    /// Roster entries in one page.
    pub max_roster: usize,
    /// Revocations in one page, and changes one revocation keeps.
    pub max_revocations: usize,
    pub max_kept: usize,
    /// Documents asked for whole in one message.
    pub max_needs: usize,
    /// Documents in one reconciliation page.
    pub max_summary: usize,
    /// Largest page (sum of change bytes) a sender produces or accepts.
    pub max_page_bytes: u32,
}

/// The limits of this build (docs/sync-protocol.md, "Limits").
pub const LIMITS: Limits = Limits {
    max_body: 24 << 20,
    max_decoded: 48 << 20,
    max_change: 8 << 20,
    max_changes: 200_000,
    max_groups: 100_000,
    max_proofs: 10_000,
    max_hidden: 200_000,
    max_roster: 1_000,
    max_revocations: 100,
    max_kept: 32_768,
    max_needs: 10_000,
    max_summary: 20_000,
    max_page_bytes: 16 << 20,
};
