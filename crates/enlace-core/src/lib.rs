//! The use-case façade: [`App`] is what the desktop app and the `enlace`
//! command both call. It is the API boundary: it composes the domain rules,
//! the automerge documents and the encrypted store, and owns the node's
//! identity.
//!
//! Not here: SQL (enlace-store), automerge mapping details (enlace-docs),
//! terminal or IPC concerns (enlace-cli, src-tauri).
#![forbid(unsafe_code)]

mod anchors;
mod bundles;
mod cases;
mod demo;
mod drafts;
mod edit;
mod error;
mod files;
mod history;
mod identity;
mod index;
mod kinds;
mod legal;
mod node;
mod peers;
mod plan;
mod replica;
mod views;

use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use enlace_docs::Document;
use enlace_domain::CountryCode;
use enlace_store::Store;

pub use anchors::{Anchor, AnchorsImported};
pub use bundles::{BundleExported, BundleFound, BundleImported};
pub use cases::CASE_CHOOSABLE;
pub use demo::{DemoSummary, synthetic};
pub use drafts::MAX_DRAFT_BYTES;
pub use enlace_docs::HistoryEntry;
pub use enlace_domain::{DocKind, SortField, Traffic};
pub use enlace_report::Paper;
pub use enlace_store::{KEY_FILE, StoreError, private_dir, private_file};
pub use error::{CoreError, ErrorCode, Result};
pub use history::{FieldChange, ItemChange};
pub use legal::*;
pub use node::NodeInfo;
pub use peers::*;
pub use plan::*;
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

/// `YYYY-MM-DD-HHMM` (UTC) for `secs` since the epoch: a file-name stamp.
pub fn file_stamp(secs: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d-%H%M")
        .to_string()
}

/// Now, as Enlace writes times (RFC 3339, UTC, milliseconds).
pub fn now_rfc3339() -> String {
    now_string()
}

pub(crate) fn now_string() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An open, unlocked node.
pub struct App {
    store: Store,
    node: node::Identity,
    /// Who acts, appended to the node in change messages (`node/user`).
    user: Option<String>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("node", &self.node.node_id)
            .finish_non_exhaustive()
    }
}

/// What the caller passes to describe who is acting (optional).
pub type User = Option<String>;

impl App {
    /// Creates the database and the node identity in `dir`. Refuses when a
    /// database exists there.
    pub fn init(dir: &Path, passphrase: &str, country: &str, node_name: &str) -> Result<App> {
        let country = CountryCode::parse(country)
            .filter(CountryCode::is_member)
            .ok_or_else(|| CoreError::Country(country.to_owned()))?;
        if node_name.trim().is_empty() {
            return Err(CoreError::NodeName);
        }
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(CoreError::PassphraseTooShort {
                min: MIN_PASSPHRASE,
            });
        }
        let mut store = Store::create(dir, passphrase)?;
        let identity = node::Identity::generate(country, node_name.trim());
        let stored = store.write(|tx| tx.put_node(&identity.to_row()));
        let stored = stored.and_then(|()| store.write(|tx| tx.maintenance_done("reindex")));
        if let Err(e) = stored {
            drop(store);
            enlace_store::discard(dir);
            return Err(e.into());
        }
        Ok(App {
            store,
            node: identity,
            user: None,
        })
    }

    /// Opens the node's database in `dir`.
    pub fn open(dir: &Path, passphrase: &str) -> Result<App> {
        let store = Store::open(dir, passphrase)?;
        let row = store.read().node()?.ok_or_else(|| {
            CoreError::Store(enlace_store::StoreError::Corrupt(
                "the node identity is missing".into(),
            ))
        })?;
        let node = node::Identity::from_row(&row)?;
        let mut app = App {
            store,
            node,
            user: None,
        };
        app.maintain()?;
        Ok(app)
    }

    /// Does what migrations left for the application (a reindex that fills
    /// a new derived table), once.
    fn maintain(&mut self) -> Result<()> {
        for task in self.store.read().maintenance()? {
            match task.as_str() {
                "reindex" => {
                    self.reindex(&mut |_, _| {})?;
                }
                "local_only" => self.mark_local_only()?,
                "quarantine_deps" => self.store.write(replica::quarantine::name_deps)?,
                _ => {}
            }
            self.store.write(|tx| tx.maintenance_done(&task))?;
        }
        Ok(())
    }

    /// Sets who is acting (recorded in change messages as `node/user`).
    pub fn set_user(&mut self, user: User) {
        self.user = user.filter(|u| !u.trim().is_empty());
    }

    fn by(&self) -> String {
        match &self.user {
            Some(u) => format!("{}/{}", self.node.name, u),
            None => self.node.name.clone(),
        }
    }

    pub fn node_info(&self) -> NodeInfo {
        self.node.info(self.store.dir())
    }

    pub fn data_dir(&self) -> &Path {
        self.store.dir()
    }

    /// The store (benchmarks and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The stored document `id` (found through the user's `key`).
    pub(crate) fn load_doc(&self, id: &str, key: &str) -> Result<Document> {
        let row = self
            .store
            .read()
            .doc(id)?
            .ok_or_else(|| CoreError::NotFound {
                what: key.to_owned(),
            })?;
        Ok(Document::load(&row.bytes, self.node.actor.clone())?)
    }

    /// Loads the demonstration data (once).
    pub fn load_demo(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoSummary> {
        demo::load(self, progress)
    }

    /// Marks demonstration documents local (migration 0005's task).
    pub(crate) fn mark_local_only(&mut self) -> Result<()> {
        let ids = self.store.read().all_doc_ids()?;
        let actor = self.node.actor.clone();
        self.store.write(|tx| {
            for (id, _) in &ids {
                if let Some(row) = tx.read().doc(id)? {
                    let doc = enlace_docs::Document::load(&row.bytes, actor.clone())?;
                    if doc.flag("demo") {
                        tx.set_local_only(id, true)?;
                    }
                }
            }
            Ok::<_, CoreError>(())
        })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sync_tests;
