//! The officials' keys. The database key is random and is kept only
//! wrapped: once per official, under a key derived (Argon2id) from that
//! official's own passphrase, in `enlace.key.json` (version 2). So no
//! secret is shared between officials, a passphrase is changed or reset
//! by wrapping the same key again, and an official is removed by deleting
//! an entry — nothing is re-encrypted.
//!
//! Each wrapping is XChaCha20-Poly1305 with the entry's identity and name
//! as associated data: an entry copied under another official's name does
//! not open. A wrong passphrase is the authentication tag failing. The
//! file carries a checksum of its entries, so a damaged or edited file is
//! told apart from a wrong passphrase.
//!
//! A version-1 key file (the passphrase's key *is* the database key) is
//! still read: the first unlock turns it into a keyring whose one entry,
//! the node's administrator, wraps that same key.
//!
//! Failed logins are counted per name in `enlace.logins.json` (the
//! database cannot be written before it is unlocked): after
//! [`FREE_ATTEMPTS`] failures in a row, each attempt waits twice as long
//! as the one before, up to [`MAX_WAIT_SECS`]. The failures are handed to
//! the caller at the next successful login, for its audit log.

use std::collections::BTreeMap;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::files::private_file;
use crate::kdf::{Derived, KeyFile};
use crate::{Result, StoreError};

/// The name of the account a version-1 key file becomes.
pub const DEFAULT_ADMIN: &str = "admin";
/// Failed logins in a row before attempts are slowed.
pub const FREE_ATTEMPTS: usize = 3;
/// The longest wait between attempts.
pub const MAX_WAIT_SECS: i64 = 300;
/// The failures file, beside the key file.
pub const LOGINS_FILE: &str = "enlace.logins.json";
const MAX_KEPT_FAILURES: usize = 50;

/// One official's wrapping of the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialKey {
    /// Stable identity (the database's `official.id`).
    pub id: String,
    /// The login name.
    pub name: String,
    /// The account made at `init`: who is logged in when no name is given.
    #[serde(default)]
    pub first: bool,
    pub kdf: String,
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Hex.
    pub salt: String,
    /// Hex, 24 bytes.
    pub nonce: String,
    /// Hex: the database key, encrypted and authenticated.
    pub wrapped: String,
}

/// The key file, version 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    pub version: u32,
    pub officials: Vec<OfficialKey>,
    /// Hex of 16 bytes of SHA-256 over the entries.
    pub sum: String,
}

/// Who unlocked the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlocked {
    pub id: String,
    pub name: String,
    pub first: bool,
}

/// What the key file is.
pub(crate) enum AnyKeyFile {
    Legacy(KeyFile),
    Ring(Keyring),
}

/// The form names are compared in: trimmed, case and accents folded.
pub fn name_key(name: &str) -> String {
    enlace_domain::text::fold(name.trim())
}

fn aad(id: &str, name: &str) -> Vec<u8> {
    let mut v = b"enlace/keyring/v2".to_vec();
    for part in [id, name] {
        v.extend_from_slice(&(part.len() as u32).to_be_bytes());
        v.extend_from_slice(part.as_bytes());
    }
    v
}

/// What the database keeps of an official's wrapping key: a hash that
/// reveals nothing of it, compared at every login, so a key-file entry made
/// by someone else (who holds the database key through their own entry)
/// under another official's identity does not log in as them.
fn official_check(kek: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"enlace/official-check/v1");
    h.update(kek);
    hex::encode(&h.finalize()[..16])
}

/// The identity a version-1 key file's administrator gets: the same on
/// every upgrade of the same database (two processes upgrading at once, or
/// an old key file put back, agree on it).
pub(crate) fn legacy_admin_id(key: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"enlace/legacy-admin/v1");
    h.update(key);
    hex::encode(&h.finalize()[..16])
}

/// The salt of that administrator's first wrapping, from the key too: the
/// same passphrase then gives the same check on every upgrade, so the
/// database's check and the key file's entry agree whichever process
/// wrote last.
pub(crate) fn legacy_admin_salt(key: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"enlace/legacy-admin-salt/v1");
    h.update(key);
    hex::encode(&h.finalize()[..16])
}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A fresh random database key.
pub(crate) fn new_database_key() -> Zeroizing<[u8; 32]> {
    let mut k = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(k.as_mut());
    k
}

impl OfficialKey {
    fn params(&self) -> KeyFile {
        KeyFile {
            version: 1,
            kdf: self.kdf.clone(),
            m_cost: self.m_cost,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
            salt: self.salt.clone(),
            check: None,
            sum: None,
        }
    }

    /// A new entry for `name` wrapping `key` under `passphrase`, and its
    /// check (see [`official_check`]).
    pub fn wrap(
        id: &str,
        name: &str,
        first: bool,
        passphrase: &str,
        key: &[u8; 32],
    ) -> Result<(OfficialKey, String)> {
        Self::wrap_salted(id, name, first, passphrase, key, None)
    }

    /// [`OfficialKey::wrap`] with a given salt (hex; `None`: a random one).
    pub(crate) fn wrap_salted(
        id: &str,
        name: &str,
        first: bool,
        passphrase: &str,
        key: &[u8; 32],
        salt: Option<String>,
    ) -> Result<(OfficialKey, String)> {
        let mut params = KeyFile::generate();
        if let Some(salt) = salt {
            params.salt = salt;
        }
        let kek = match params.derive(passphrase)? {
            Derived::Checked(k) | Derived::Unchecked(k) => k,
        };
        let check = official_check(&kek);
        let nonce = random_hex(24);
        let nonce_bytes = hex::decode(&nonce).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce_bytes),
                Payload {
                    msg: key,
                    aad: &aad(id, name),
                },
            )
            .map_err(|_| StoreError::Corrupt("the key could not be wrapped".into()))?;
        Ok((
            OfficialKey {
                id: id.to_owned(),
                name: name.trim().to_owned(),
                first,
                kdf: params.kdf,
                m_cost: params.m_cost,
                t_cost: params.t_cost,
                p_cost: params.p_cost,
                salt: params.salt,
                nonce,
                wrapped: hex::encode(wrapped),
            },
            check,
        ))
    }

    /// The database key, or [`StoreError::WrongPassphrase`].
    pub(crate) fn unwrap_key(&self, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
        self.unwrap_checked(passphrase).map(|(k, _)| k)
    }

    /// The database key and this entry's check.
    pub(crate) fn unwrap_checked(&self, passphrase: &str) -> Result<(Zeroizing<[u8; 32]>, String)> {
        let kek = match self.params().derive(passphrase)? {
            Derived::Checked(k) | Derived::Unchecked(k) => k,
        };
        let check = official_check(&kek);
        let bad = |what: &str| StoreError::Corrupt(format!("the key file's {what} is not hex"));
        let nonce = hex::decode(&self.nonce).map_err(|_| bad("nonce"))?;
        let wrapped = hex::decode(&self.wrapped).map_err(|_| bad("wrapped key"))?;
        if nonce.len() != 24 {
            return Err(StoreError::Corrupt(
                "the key file's nonce is not 24 bytes".into(),
            ));
        }
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &wrapped,
                        aad: &aad(&self.id, &self.name),
                    },
                )
                .map_err(|_| StoreError::WrongPassphrase)?,
        );
        let mut key = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return Err(StoreError::Corrupt(
                "the wrapped key is not 32 bytes".into(),
            ));
        }
        key.copy_from_slice(&plain);
        Ok((key, check))
    }
}

impl Keyring {
    fn computed_sum(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"enlace/keyring-sum/v2");
        h.update(self.version.to_be_bytes());
        let body = serde_json::to_vec(&self.officials).unwrap_or_default();
        h.update((body.len() as u64).to_be_bytes());
        h.update(&body);
        hex::encode(&h.finalize()[..16])
    }

    /// A keyring of `officials`, its checksum computed (which anyone can
    /// do: the checksum tells damage, not authority).
    pub fn new(officials: Vec<OfficialKey>) -> Keyring {
        let mut k = Keyring {
            version: 2,
            officials,
            sum: String::new(),
        };
        k.sum = k.computed_sum();
        k
    }

    /// The entry `name` logs in with (`None`: the account made at `init`).
    pub(crate) fn entry(&self, name: Option<&str>) -> Result<&OfficialKey> {
        match name {
            None => self
                .officials
                .iter()
                .find(|o| o.first)
                .or_else(|| self.officials.first())
                .ok_or_else(|| StoreError::Corrupt("the key file names no official".into())),
            Some(n) => {
                let want = name_key(n);
                self.officials
                    .iter()
                    .find(|o| name_key(&o.name) == want)
                    .ok_or_else(|| StoreError::UnknownOfficial(n.trim().to_owned()))
            }
        }
    }

    /// Writes atomically (temporary file, fsync, rename), owner-only.
    pub(crate) fn write(&self, path: &Path) -> Result<()> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        write_atomically(path, text.as_bytes())
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("json.tmp");
    let mut f = private_file(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| StoreError::io(&tmp, e))?;
    f.sync_all().map_err(|e| StoreError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))
}

/// Reads the key file of either version, checking its checksum.
pub(crate) fn read_any(path: &Path) -> Result<AnyKeyFile> {
    let text = std::fs::read_to_string(path).map_err(|e| StoreError::io(path, e))?;
    let damaged = |detail: String| StoreError::KeyFile {
        path: path.to_owned(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| damaged(e.to_string()))?;
    if value.get("officials").is_none() {
        return KeyFile::read(path).map(AnyKeyFile::Legacy);
    }
    let ring: Keyring = serde_json::from_value(value).map_err(|e| damaged(e.to_string()))?;
    if ring.version != 2 {
        return Err(damaged(format!(
            "version {} (this Enlace reads version 2; update Enlace)",
            ring.version
        )));
    }
    if ring.sum != ring.computed_sum() {
        return Err(damaged(
            "its checksum does not match its content (a value was changed)".into(),
        ));
    }
    if ring.officials.is_empty() {
        return Err(damaged("it names no official".into()));
    }
    for o in &ring.officials {
        o.params().bounds_ok().map_err(damaged)?;
    }
    Ok(AnyKeyFile::Ring(ring))
}

/// Failed logins, per folded name: the times (Unix seconds) of the
/// failures since the last success.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Logins {
    #[serde(default)]
    failures: BTreeMap<String, Vec<i64>>,
}

fn read_logins(dir: &Path) -> Logins {
    // A missing or unreadable file counts no failure: it only slows
    // guessing, which the key derivation's cost does already.
    std::fs::read_to_string(dir.join(LOGINS_FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_logins(dir: &Path, l: &Logins) -> Result<()> {
    let text = serde_json::to_vec(l).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    write_atomically(&dir.join(LOGINS_FILE), &text)
}

/// The wait after `failures` failures in a row, in seconds.
pub fn wait_after(failures: usize) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let doubling = (failures - FREE_ATTEMPTS).min(16) as u32;
    (1i64 << doubling).min(MAX_WAIT_SECS)
}

/// Refuses an attempt made before the wait the failures so far impose.
pub(crate) fn check_throttle(dir: &Path, name: &str, now: i64) -> Result<()> {
    let l = read_logins(dir);
    if let Some(times) = l.failures.get(&name_key(name))
        && let Some(last) = times.last()
    {
        // A time in the future (a clock set back, or an edited file)
        // counts as now: it cannot lock a name out for longer.
        let until = (*last).min(now).saturating_add(wait_after(times.len()));
        if now < until {
            return Err(StoreError::TooManyAttempts {
                wait_secs: (until - now) as u64,
            });
        }
    }
    Ok(())
}

pub(crate) fn record_failure(dir: &Path, name: &str, now: i64) -> Result<()> {
    let mut l = read_logins(dir);
    let times = l.failures.entry(name_key(name)).or_default();
    times.push(now);
    if times.len() > MAX_KEPT_FAILURES {
        let extra = times.len() - MAX_KEPT_FAILURES;
        times.drain(..extra);
    }
    write_logins(dir, &l)
}

/// The times of `name`'s failures since its last success.
pub(crate) fn failures(dir: &Path, name: &str) -> Vec<i64> {
    read_logins(dir)
        .failures
        .remove(&name_key(name))
        .unwrap_or_default()
}

/// Forgets `name`'s failures.
pub(crate) fn forget_failures(dir: &Path, name: &str) -> Result<()> {
    let mut l = read_logins(dir);
    if l.failures.remove(&name_key(name)).is_some() {
        write_logins(dir, &l)?;
    }
    Ok(())
}

/// A new entry identity.
pub(crate) fn new_id() -> String {
    random_hex(16)
}

/// The database key of the data folder `dir`, unwrapped for `name` (for
/// tools that open a copy of the database with SQL, as the crash campaign
/// does). No failure is counted.
pub fn database_key(
    dir: &Path,
    name: Option<&str>,
    passphrase: &str,
) -> Result<Zeroizing<[u8; 32]>> {
    match read_any(&dir.join(crate::files::KEY_FILE))? {
        AnyKeyFile::Ring(ring) => ring.entry(name)?.unwrap_key(passphrase),
        AnyKeyFile::Legacy(k) => match k.derive(passphrase)? {
            Derived::Checked(k) | Derived::Unchecked(k) => Ok(k),
        },
    }
}
