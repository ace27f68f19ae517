//! The database key: Argon2id over the passphrase, with a random salt and
//! the parameters stored beside the database in `enlace.key.json`, so they
//! can be raised later without locking old databases out.

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{Result, StoreError};

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
}

impl KeyFile {
    /// Fresh parameters: Argon2id, 46 MiB, 1 pass (OWASP's recommendation).
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
        }
    }

    pub fn read(path: &Path) -> Result<KeyFile> {
        let text = std::fs::read_to_string(path).map_err(|e| StoreError::io(path, e))?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", path.display())))
    }

    /// Writes atomically (temporary file, fsync, rename).
    pub fn write(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let tmp = path.with_extension("json.tmp");
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut f = std::fs::File::create(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
        f.write_all(text.as_bytes())
            .map_err(|e| StoreError::io(&tmp, e))?;
        f.sync_all().map_err(|e| StoreError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))
    }

    /// Derives the 32-byte database key from `passphrase`.
    pub fn derive(&self, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
        if self.kdf != "argon2id" {
            return Err(StoreError::Corrupt(format!(
                "unknown key derivation `{}`",
                self.kdf
            )));
        }
        let salt =
            hex::decode(&self.salt).map_err(|e| StoreError::Corrupt(format!("salt: {e}")))?;
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(32))
            .map_err(|e| StoreError::Corrupt(format!("key parameters: {e}")))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
            .map_err(|e| StoreError::Corrupt(format!("key derivation: {e}")))?;
        Ok(key)
    }
}
