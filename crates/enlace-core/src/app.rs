//! The node as the front ends hold it: [`App`], opened or created on a
//! data directory, with its identity and who is acting.

use std::path::Path;

use enlace_docs::Document;
use enlace_domain::CountryCode;
use enlace_store::Store;

use crate::node::{self, NodeInfo};
use crate::{CoreError, MIN_PASSPHRASE, Result};

/// An open, unlocked node.
pub struct App {
    pub(crate) store: Store,
    pub(crate) node: node::Identity,
    /// Who acts, appended to the node in change messages (`node/user`).
    pub(crate) user: Option<String>,
    /// The records statistics count, as of the store's generation they
    /// were read at (the app's tables ask again at every change of a
    /// control; reading 100,000 cases' records each time is what is slow).
    pub(crate) stats_cache: Option<crate::stats::StatsCache>,
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
            stats_cache: None,
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
            stats_cache: None,
        };
        app.maintain()?;
        Ok(app)
    }

    /// Sets who is acting (recorded in change messages as `node/user`).
    pub fn set_user(&mut self, user: User) {
        self.user = user.filter(|u| !u.trim().is_empty());
    }

    pub(crate) fn by(&self) -> String {
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
}
