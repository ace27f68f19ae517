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
    /// The official logged in: named in change messages and audit entries
    /// (`node/official`), and whose role every use case checks.
    pub(crate) session: crate::officials::Session,
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

impl App {
    /// Creates the database and the node identity in `dir`, its first
    /// official (the administrator) named `admin`. Refuses when a database
    /// exists there.
    pub fn init(dir: &Path, passphrase: &str, country: &str, node_name: &str) -> Result<App> {
        Self::init_as(
            dir,
            enlace_store::DEFAULT_ADMIN,
            passphrase,
            country,
            node_name,
        )
    }

    /// Creates the database and the node identity in `dir`, its first
    /// official — the node's administrator — named `admin_name`, whose
    /// passphrase `passphrase` is.
    pub fn init_as(
        dir: &Path,
        admin_name: &str,
        passphrase: &str,
        country: &str,
        node_name: &str,
    ) -> Result<App> {
        let admin_name = if admin_name.trim().is_empty() {
            enlace_store::DEFAULT_ADMIN
        } else {
            admin_name
        };
        if admin_name.trim().chars().count() > crate::officials::MAX_OFFICIAL_NAME {
            return Err(CoreError::OfficialName);
        }
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
        let mut store = Store::create_for(dir, admin_name, passphrase)?;
        let identity = node::Identity::generate(country, node_name.trim());
        let stored = store.write(|tx| tx.put_node(&identity.to_row()));
        let stored = stored
            .and_then(|()| store.write(|tx| tx.maintenance_done("reindex")))
            .map_err(CoreError::from)
            .and_then(|()| crate::officials::login(&mut store));
        let session = match stored {
            Ok(s) => s,
            Err(e) => {
                drop(store);
                enlace_store::discard(dir);
                return Err(e);
            }
        };
        let mut app = App {
            store,
            node: identity,
            session,
            stats_cache: None,
        };
        app.audit_login();
        Ok(app)
    }

    /// Opens the node's database in `dir` as the official made at `init`
    /// (the administrator).
    pub fn open(dir: &Path, passphrase: &str) -> Result<App> {
        Self::open_as(dir, None, passphrase)
    }

    /// Opens the node's database in `dir` as the official `official`
    /// (`None`: the one made at `init`) with their own passphrase. The
    /// login, and the failed attempts before it, go into the audit log.
    pub fn open_as(dir: &Path, official: Option<&str>, passphrase: &str) -> Result<App> {
        let mut store = Store::open_as(dir, official, passphrase)?;
        let session = crate::officials::login(&mut store)?;
        let row = store.read().node()?.ok_or_else(|| {
            CoreError::Store(enlace_store::StoreError::Corrupt(
                "the node identity is missing".into(),
            ))
        })?;
        let node = node::Identity::from_row(&row)?;
        let mut app = App {
            store,
            node,
            session,
            stats_cache: None,
        };
        app.audit_login();
        app.maintain()?;
        Ok(app)
    }

    /// Who acts, as change messages and audit entries name them:
    /// `node/official`.
    pub(crate) fn by(&self) -> String {
        format!("{}/{}", self.node.name, self.session.name)
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
