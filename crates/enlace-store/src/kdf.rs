//! The database key: Argon2id over the passphrase, with a random salt and
//! the parameters stored beside the database in `enlace.key.json`, so they
//! can be raised later without locking old databases out.
//!
//! The file also holds a **check value** of the derived key (a hash of it,
//! which reveals nothing a guesser could not get from the database itself)
//! and a **checksum** of its own fields. So three faults are told apart:
//! a key file altered or damaged (its checksum), a wrong passphrase (the
//! check value), and a damaged database (the key is right but the
//! database's first page cannot be read). Parameters no honest file has
//! (memory beyond a gigabyte, say) are refused before any is allocated.

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Result, StoreError};

/// Bounds on the parameters a key file may ask for.
const MAX_M_COST_KIB: u32 = 1 << 20; // 1 GiB
const MAX_T_COST: u32 = 64;
const MAX_P_COST: u32 = 16;
const SALT_BYTES: std::ops::RangeInclusive<usize> = 8..=64;

/// Key-derivation parameters and salt (not secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    pub version: u32,
    pub kdf: String,
    /// Memory in KiB.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Hex.
    pub salt: String,
    /// Hex of the first 16 bytes of SHA-256 over a domain tag and the
    /// derived key: tells a wrong passphrase from a damaged database.
    /// Absent in files written before it existed (added at the next
    /// unlock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Hex of the first 16 bytes of SHA-256 over the fields above: tells
    /// a damaged or altered key file from a wrong passphrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<String>,
}

/// What unlocking with a key file found.
#[derive(Debug)]
pub enum Derived {
    /// The key, and the file's check value confirms it.
    Checked(Zeroizing<[u8; 32]>),
    /// The key of a file without a check value (an older file): right or
    /// wrong is only known once the database reads.
    Unchecked(Zeroizing<[u8; 32]>),
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u32).to_be_bytes());
        h.update(p);
    }
    hex::encode(&h.finalize()[..16])
}

fn key_check(key: &[u8; 32]) -> String {
    short_hash(&[b"enlace/keycheck/v1", key])
}

impl KeyFile {
    /// Fresh parameters: Argon2id, 46 MiB, 1 pass (OWASP's recommendation).
    /// The check value is added by [`KeyFile::seal`] once the key exists.
    pub fn generate() -> KeyFile {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        KeyFile {
            version: 1,
            kdf: "argon2id".into(),
            m_cost: 47_104,
            t_cost: 1,
            p_cost: 1,
            salt: hex::encode(salt),
            check: None,
            sum: None,
        }
    }

    fn computed_sum(&self) -> String {
        short_hash(&[
            &self.version.to_be_bytes(),
            self.kdf.as_bytes(),
            &self.m_cost.to_be_bytes(),
            &self.t_cost.to_be_bytes(),
            &self.p_cost.to_be_bytes(),
            self.salt.as_bytes(),
            self.check.as_deref().unwrap_or("").as_bytes(),
        ])
    }

    /// Records the check value of `key` and the file's checksum.
    pub fn seal(&mut self, key: &[u8; 32]) {
        self.check = Some(key_check(key));
        self.sum = Some(self.computed_sum());
    }

    /// Reads and checks a key file: its checksum (when it has one) and its
    /// parameters' bounds.
    pub fn read(path: &Path) -> Result<KeyFile> {
        let text = std::fs::read_to_string(path).map_err(|e| StoreError::io(path, e))?;
        let damaged = |detail: String| StoreError::KeyFile {
            path: path.to_owned(),
            detail,
        };
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| damaged(e.to_string()))?;
        if let Some(sum) = &file.sum
            && *sum != file.computed_sum()
        {
            return Err(damaged(
                "its checksum does not match its content (a value was changed)".into(),
            ));
        }
        file.bounds().map_err(damaged)?;
        Ok(file)
    }

    /// Parameters an honest key file has.
    pub(crate) fn bounds_ok(&self) -> std::result::Result<(), String> {
        self.bounds()
    }

    fn bounds(&self) -> std::result::Result<(), String> {
        if self.kdf != "argon2id" {
            return Err(format!("unknown key derivation `{}`", self.kdf));
        }
        if self.m_cost > MAX_M_COST_KIB {
            return Err(format!(
                "it asks for {} MiB of memory to unlock (at most {} MiB)",
                self.m_cost / 1024,
                MAX_M_COST_KIB / 1024
            ));
        }
        if !(1..=MAX_T_COST).contains(&self.t_cost) || !(1..=MAX_P_COST).contains(&self.p_cost) {
            return Err(format!(
                "passes {} and lanes {} are outside 1–{MAX_T_COST} and 1–{MAX_P_COST}",
                self.t_cost, self.p_cost
            ));
        }
        let salt = hex::decode(&self.salt).map_err(|e| format!("salt: {e}"))?;
        if !SALT_BYTES.contains(&salt.len()) {
            return Err(format!("a salt of {} bytes", salt.len()));
        }
        Ok(())
    }

    /// Writes atomically (temporary file, fsync, rename), readable by the
    /// owner only.
    pub fn write(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let tmp = path.with_extension("json.tmp");
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut f = crate::files::private_file(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
        f.write_all(text.as_bytes())
            .map_err(|e| StoreError::io(&tmp, e))?;
        f.sync_all().map_err(|e| StoreError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))
    }

    /// Derives the 32-byte database key from `passphrase`; with a check
    /// value, a wrong passphrase is [`StoreError::WrongPassphrase`] here.
    pub fn derive(&self, passphrase: &str) -> Result<Derived> {
        self.bounds().map_err(StoreError::Corrupt)?;
        let salt =
            hex::decode(&self.salt).map_err(|e| StoreError::Corrupt(format!("salt: {e}")))?;
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(32))
            .map_err(|e| StoreError::Corrupt(format!("key parameters: {e}")))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
            .map_err(|e| StoreError::Corrupt(format!("key derivation: {e}")))?;
        match &self.check {
            None => Ok(Derived::Unchecked(key)),
            Some(c) if *c == key_check(&key) => Ok(Derived::Checked(key)),
            Some(_) => Err(StoreError::WrongPassphrase),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_tells_its_faults_apart() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k.json");
        let mut f = KeyFile {
            m_cost: 64,
            ..KeyFile::generate()
        };
        let key = match f.derive("correcta").expect("derive") {
            Derived::Unchecked(k) => k,
            Derived::Checked(_) => unreachable!("no check value yet"),
        };
        f.seal(&key);
        f.write(&path).expect("write");
        let back = KeyFile::read(&path).expect("read");
        assert!(matches!(back.derive("correcta"), Ok(Derived::Checked(_))));
        assert!(matches!(
            back.derive("otra"),
            Err(StoreError::WrongPassphrase)
        ));
        // One digit of the salt changed: the file is damaged, not the
        // passphrase wrong.
        let text = std::fs::read_to_string(&path).expect("text");
        let salt = back.salt.clone();
        let digit = if salt.starts_with('0') { "1" } else { "0" };
        let altered = text.replace(&salt, &format!("{digit}{}", &salt[1..]));
        std::fs::write(&path, altered).expect("write");
        assert!(matches!(
            KeyFile::read(&path),
            Err(StoreError::KeyFile { .. })
        ));
    }

    #[test]
    fn absurd_parameters_are_refused_before_anything_is_allocated() {
        let check = |f: KeyFile, ok: bool| {
            assert_eq!(f.bounds().is_ok(), ok, "{f:?}");
        };
        let base = KeyFile::generate();
        check(base.clone(), true);
        check(
            KeyFile {
                m_cost: u32::MAX,
                ..base.clone()
            },
            false,
        );
        check(
            KeyFile {
                m_cost: MAX_M_COST_KIB + 1,
                ..base.clone()
            },
            false,
        );
        check(
            KeyFile {
                t_cost: 0,
                ..base.clone()
            },
            false,
        );
        check(
            KeyFile {
                p_cost: 1000,
                ..base.clone()
            },
            false,
        );
        check(
            KeyFile {
                salt: "00".into(),
                ..base.clone()
            },
            false,
        );
        check(
            KeyFile {
                kdf: "md5".into(),
                ..base
            },
            false,
        );
    }
}
