//! The use-case façade: [`App`] is what the desktop app and the `enlace`
//! command both call. It is the API boundary: it composes the domain rules,
//! the automerge documents and the encrypted store, and owns the node's
//! identity.
//!
//! Not here: SQL (enlace-store), automerge mapping details (enlace-docs),
//! terminal or IPC concerns (enlace-cli, src-tauri).
#![forbid(unsafe_code)]

mod agencies;
mod anchors;
mod app;
mod audit;
mod backup;
mod bundles;
mod cases;
mod check;
mod clock;
mod datasets;
mod demo;
mod drafts;
mod edit;
mod error;
mod files;
mod grants;
mod history;
mod identity;
mod index;
mod kinds;
mod legal;
mod maintenance;
mod node;
mod officials;
mod peers;
mod plan;
mod reach;
mod referrals;
mod replica;
mod risk;
mod standards;
mod stats;
mod views;

use std::path::{Path, PathBuf};

pub use agencies::{AgencyFilter, AgencyInput, AgencySaved};
pub use anchors::{Anchor, AnchorsImported};
pub use app::App;
pub use audit::{AuditEntry, AuditFilter, AuditVerified, PeerAuditFinding};
pub use backup::BackupMade;
pub use bundles::{BundleExported, BundleFound, BundleImported};
pub use cases::{CASE_CHOOSABLE, DuplicateReference, RequestFilter, RequestSide, RequestView};
pub use check::{CheckReport, Damage};
pub(crate) use clock::now_string;
pub use clock::{file_stamp, now_rfc3339};
pub use datasets::{DatasetImported, DatasetView, ShapeError, SkippedRow};
pub use demo::{DemoSummary, synthetic};
pub use drafts::MAX_DRAFT_BYTES;
pub use enlace_docs::HistoryEntry;
pub use enlace_domain::{DocKind, SortField, Traffic};
pub use enlace_report::Paper;
pub use enlace_store::{DEFAULT_ADMIN, KEY_FILE, StoreError, private_dir, private_file};
pub use error::{Candidate, CoreError, ErrorCode, Result};
pub use grants::{GrantInput, GrantView};
pub use history::{FieldChange, ItemChange};
pub use legal::*;
pub use node::NodeInfo;
pub use officials::{MAX_OFFICIAL_NAME, OfficialView, Session};
pub use peers::*;
pub use plan::*;
pub use reach::{IdentityReach, ReachNode};
pub use referrals::{ReferralInput, ReferralView};
pub use replica::audit_heads::AuditAlarm;
pub use risk::{RiskDue, RiskInput, VictimRisk};
pub use standards::{HtcdsError, HtcdsImported, StandardExport, Unmapped};
pub use stats::{
    DEFAULT_K, StatsCell, StatsQuery, StatsRequest, StatsTable, case_records, table_csv,
};
pub use views::*;

/// Shortest passphrase accepted at `init`.
pub const MIN_PASSPHRASE: usize = 8;

/// The default data directory: the platform's data dir for Enlace
/// (`~/.local/share/enlace` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Enlace", "enlace").map(|d| d.data_dir().to_owned())
}

/// Makes this process leave no core dump and refuse to be traced by other
/// processes of the same user: its memory holds the database key and
/// decrypted documents. The app and the `enlace` command call it first.
/// Returns what could not be done (reported, not fatal).
pub fn harden_process() -> std::result::Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{
            DumpableBehavior, Resource, Rlimit, set_dumpable_behavior, setrlimit,
        };
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )
        .map_err(|e| format!("core dumps could not be turned off: {e}"))?;
        set_dumpable_behavior(DumpableBehavior::NotDumpable)
            .map_err(|e| format!("the process could not be made non-dumpable: {e}"))?;
    }
    Ok(())
}

/// True when `dir` holds an Enlace database.
pub fn is_initialised(dir: &Path) -> bool {
    enlace_store::exists(dir)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sync_tests;
