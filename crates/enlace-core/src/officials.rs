//! Officials: who is logged in (the [`Session`]), the accounts of a node
//! and their roles, and the permission check every use case makes
//! ([`App::require`]). The role lives in the database (`official`, the
//! authority); the key file only says whose passphrase opens it.

use enlace_domain::{Closed, Permission, Role};
use enlace_store::{OfficialRow, Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{App, CoreError, MIN_PASSPHRASE, Result, now_string};

/// The longest official's name, in characters.
pub const MAX_OFFICIAL_NAME: usize = 60;

/// Who is logged in, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Session {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Every permission the role holds (the UI hides what is not here).
    pub permissions: Vec<Permission>,
    /// The account made at `init`: the node's first administrator.
    pub first: bool,
}

impl Session {
    fn new(id: String, name: String, role: Role, first: bool) -> Session {
        Session {
            id,
            name,
            role,
            permissions: role.permissions(),
            first,
        }
    }
}

/// One official of this node, as the administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OfficialView {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub created_by: String,
    #[ts(optional)]
    pub removed_at: Option<String>,
    /// Their passphrase opens the database (false once removed).
    pub can_log_in: bool,
    /// The account made at `init`.
    pub first: bool,
}

/// The official the store was unlocked as, checked against the
/// database: removed officials are refused; the account made at `init`
/// becomes the administrator on a database that has no official yet (a
/// node set up before officials existed).
pub(crate) fn login(store: &mut Store) -> Result<Session> {
    let who = store.official().clone();
    let check = store.official_check().to_owned();
    let row = store.read().official(&who.id)?;
    let session = match row {
        Some(r) if r.removed_at.is_none() => {
            // The entry must be the one this official's passphrase made,
            // under this official's name: not one someone else wrote with
            // the database key their own entry gives them.
            let same_name = enlace_store::name_key(&r.name) == enlace_store::name_key(&who.name);
            match &r.key_check {
                Some(c) if *c != check || !same_name => {
                    return Err(CoreError::KeyEntryForged { name: who.name });
                }
                Some(_) => {}
                None => {
                    // Databases made before the check: it is learnt now.
                    let learnt = OfficialRow {
                        key_check: Some(check),
                        ..r.clone()
                    };
                    store.write(|tx| tx.put_official(&learnt))?;
                }
            }
            let role = Role::parse(&r.role).ok_or_else(|| {
                CoreError::Store(StoreError::Corrupt(format!(
                    "official {} has an unknown role `{}`",
                    r.name, r.role
                )))
            })?;
            Session::new(r.id, r.name, role, who.first)
        }
        None if who.first && store.read().officials()?.is_empty() => {
            let row = OfficialRow {
                id: who.id.clone(),
                name: who.name.clone(),
                role: Role::Administrator.as_str().to_owned(),
                created_at: now_string(),
                created_by: "init".into(),
                removed_at: None,
                key_check: Some(check),
            };
            // The node before officials: its drafts are the administrator's.
            store.write(|tx| {
                tx.put_official(&row)?;
                tx.adopt_drafts(&row.id)
            })?;
            Session::new(who.id, who.name, Role::Administrator, true)
        }
        _ => return Err(CoreError::OfficialRemoved { name: who.name }),
    };
    Ok(session)
}

fn valid_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > MAX_OFFICIAL_NAME || n.chars().any(char::is_control) {
        return Err(CoreError::OfficialName);
    }
    Ok(n.to_owned())
}

fn valid_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE {
        return Err(CoreError::PassphraseTooShort {
            min: MIN_PASSPHRASE,
        });
    }
    Ok(())
}

impl App {
    /// Who is logged in.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Refuses what the logged-in official's role does not allow.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.session.role.allows(p) {
            Ok(())
        } else {
            Err(CoreError::NotAllowed {
                permission: p,
                role: self.session.role,
            })
        }
    }

    /// Records the login (and the failed attempts before it) in the audit
    /// log. A database that cannot be written (a full disk) still opens:
    /// the failures are kept for the next login.
    pub(crate) fn audit_login(&mut self) {
        let by = self.by();
        let name = self.session.name.clone();
        let role = self.session.role.as_str();
        let failed: Vec<String> = self
            .store
            .failed_logins()
            .iter()
            .filter_map(|t| chrono::DateTime::from_timestamp(*t, 0))
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .collect();
        let written = self.store.write(|tx| {
            for at in &failed {
                tx.audit(at, &by, "login.failed", &name, "")?;
            }
            tx.audit(&now_string(), &by, "login", &name, role)
        });
        match written {
            Ok(()) => {
                if let Err(e) = self.store.forget_failed_logins() {
                    tracing::warn!("failed logins not forgotten: {e}");
                }
            }
            Err(e) => tracing::warn!("the login could not be audited: {e}"),
        }
    }

    /// Every official of this node, removed ones too.
    pub fn officials(&self) -> Result<Vec<OfficialView>> {
        self.require(Permission::ManageOfficials)?;
        let holders = self.store.key_holders()?;
        self.store
            .read()
            .officials()?
            .into_iter()
            .map(|r| {
                let holder = holders.iter().find(|h| h.id == r.id);
                Ok(OfficialView {
                    role: Role::parse(&r.role).unwrap_or(Role::Analyst),
                    can_log_in: holder.is_some() && r.removed_at.is_none(),
                    first: holder.is_some_and(|h| h.first),
                    id: r.id,
                    name: r.name,
                    created_at: r.created_at,
                    created_by: r.created_by,
                    removed_at: r.removed_at,
                })
            })
            .collect()
    }

    fn official_named(&self, name: &str) -> Result<OfficialRow> {
        let want = enlace_store::name_key(name);
        self.store
            .read()
            .officials()?
            .into_iter()
            .find(|r| r.removed_at.is_none() && enlace_store::name_key(&r.name) == want)
            .ok_or_else(|| CoreError::Store(StoreError::UnknownOfficial(name.trim().to_owned())))
    }

    /// Adds an official with their own passphrase (the database key is
    /// wrapped for them; nothing is re-encrypted).
    pub fn add_official(
        &mut self,
        name: &str,
        role: Role,
        passphrase: &str,
    ) -> Result<OfficialView> {
        self.require(Permission::ManageOfficials)?;
        let name = valid_name(name)?;
        valid_passphrase(passphrase)?;
        let want = enlace_store::name_key(&name);
        // A name is never given twice, removed officials' included: the
        // audit log names officials, and one name must mean one person.
        if self
            .store
            .read()
            .officials()?
            .iter()
            .any(|r| enlace_store::name_key(&r.name) == want)
        {
            return Err(CoreError::Store(StoreError::OfficialExists(name)));
        }
        // The key first: an entry without a row opens nothing (login
        // refuses an official the database does not know).
        let (id, check) = self.store.add_key_holder(&name, passphrase)?;
        let row = OfficialRow {
            id: id.clone(),
            name: name.clone(),
            role: role.as_str().to_owned(),
            created_at: now_string(),
            created_by: self.by(),
            removed_at: None,
            key_check: Some(check),
        };
        let by = self.by();
        let written = self.store.write(|tx| {
            tx.put_official(&row)?;
            tx.audit(&row.created_at, &by, "official.add", &name, role.as_str())
        });
        if let Err(e) = written {
            let _ = self.store.remove_key_holder(&id);
            return Err(e.into());
        }
        Ok(OfficialView {
            id,
            name,
            role,
            created_at: row.created_at,
            created_by: row.created_by,
            removed_at: None,
            can_log_in: true,
            first: false,
        })
    }

    /// Removes an official: their passphrase no longer opens the
    /// database; what they did stays, under their name.
    pub fn remove_official(&mut self, name: &str) -> Result<()> {
        self.require(Permission::ManageOfficials)?;
        let row = self.official_named(name)?;
        self.refuse_self_or_first(&row)?;
        // The key first: once it is gone the passphrase opens nothing,
        // whatever happens to the row.
        match self.store.remove_key_holder(&row.id) {
            Ok(()) | Err(StoreError::UnknownOfficial(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let at = now_string();
        let by = self.by();
        let removed = OfficialRow {
            removed_at: Some(at.clone()),
            ..row.clone()
        };
        self.store.write(|tx| {
            tx.put_official(&removed)?;
            tx.audit(&at, &by, "official.remove", &row.name, &row.role)
        })?;
        Ok(())
    }

    /// Gives an official another role.
    pub fn set_official_role(&mut self, name: &str, role: Role) -> Result<()> {
        self.require(Permission::ManageOfficials)?;
        let row = self.official_named(name)?;
        self.refuse_self_or_first(&row)?;
        let at = now_string();
        let by = self.by();
        let detail = format!("{} -> {}", row.role, role.as_str());
        let changed = OfficialRow {
            role: role.as_str().to_owned(),
            ..row.clone()
        };
        self.store.write(|tx| {
            tx.put_official(&changed)?;
            tx.audit(&at, &by, "official.role", &row.name, &detail)
        })?;
        Ok(())
    }

    /// Changes the logged-in official's own passphrase (the current one
    /// is asked again).
    pub fn change_passphrase(&mut self, current: &str, new: &str) -> Result<()> {
        valid_passphrase(new)?;
        let name = self.session.name.clone();
        let dir = self.store.dir().to_owned();
        let key = enlace_store::database_key(&dir, Some(&name), current)?;
        drop(key);
        self.rewrap(&self.session.id.clone(), &name, new, "official.passphrase")
    }

    /// An administrator gives an official a new passphrase (a forgotten
    /// one): the same database key wrapped again, nothing lost.
    pub fn reset_passphrase(&mut self, name: &str, new: &str) -> Result<()> {
        self.require(Permission::ManageOfficials)?;
        valid_passphrase(new)?;
        let row = self.official_named(name)?;
        // The first administrator's passphrase is theirs to change
        // (`enlace user passwd`): another administrator resetting it could
        // take the account that cannot be removed.
        let first = self
            .store
            .key_holders()?
            .iter()
            .any(|h| h.id == row.id && h.first);
        if first && row.id != self.session.id {
            return Err(CoreError::OfficialProtected { name: row.name });
        }
        self.rewrap(&row.id, &row.name, new, "official.reset")
    }

    /// Wraps the key again for official `id`, records the new check and
    /// audits `action`.
    fn rewrap(&mut self, id: &str, name: &str, new: &str, action: &str) -> Result<()> {
        let check = self.store.rewrap_key_holder(id, name, new)?;
        let row = self.store.read().official(id)?;
        let by = self.by();
        self.store.write(|tx| {
            if let Some(r) = row {
                tx.put_official(&OfficialRow {
                    key_check: Some(check),
                    ..r
                })?;
            }
            tx.audit(&now_string(), &by, action, name, "")
        })?;
        Ok(())
    }

    fn refuse_self_or_first(&self, row: &OfficialRow) -> Result<()> {
        let first = self
            .store
            .key_holders()?
            .iter()
            .any(|h| h.id == row.id && h.first);
        if row.id == self.session.id || first {
            return Err(CoreError::OfficialProtected {
                name: row.name.clone(),
            });
        }
        Ok(())
    }
}
