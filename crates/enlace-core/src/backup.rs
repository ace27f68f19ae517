//! Backups of a whole node: `enlace backup` writes one file while the app
//! or `enlace serve` goes on working, and `enlace restore` makes a data
//! folder from it on another machine.
//!
//! The file (docs/cli.md) is the magic `ENLACE-BACKUP\n`, a version byte
//! (1), the key file (`u32` little-endian length, then its bytes), the
//! database (`u64` little-endian length, then its bytes: one consistent
//! snapshot, encrypted with the database key as on disk) and the SHA-256 of
//! everything before it. The database key stays wrapped by the passphrase
//! in the key file: the backup opens with the node's passphrase and with
//! nothing else.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::files::write_atomically;
use crate::{App, CoreError, NodeInfo, Result, StoreError};

const MAGIC: &[u8] = b"ENLACE-BACKUP\n";
const VERSION: u8 = 1;

/// A backup written.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupMade {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A scratch folder beside `near`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn beside(near: &Path, what: &str) -> Scratch {
        let parent = near
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tag = [0u8; 6];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut tag);
        Scratch(parent.join(format!(".enlace-{what}-{}", hex::encode(tag))))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::Io {
        path: path.to_owned(),
        source,
    }
}

impl App {
    /// Writes a backup of this node to `out` (refused if `out` exists):
    /// one snapshot of the database, taken while other connections go on
    /// writing, with the key file. Recorded in the audit log.
    pub fn backup(&mut self, out: &Path) -> Result<BackupMade> {
        if out.exists() {
            return Err(CoreError::BackupExists {
                path: out.to_owned(),
            });
        }
        let scratch = Scratch::beside(out, "backup");
        self.store.copy_into(&scratch.0)?;
        let key = std::fs::read(scratch.0.join(enlace_store::KEY_FILE)).map_err(io(&scratch.0))?;
        let db = std::fs::read(scratch.0.join(enlace_store::DB_FILE)).map_err(io(&scratch.0))?;
        let mut body = Vec::with_capacity(MAGIC.len() + 13 + key.len() + db.len() + 32);
        body.extend_from_slice(MAGIC);
        body.push(VERSION);
        body.extend_from_slice(&u32::try_from(key.len()).unwrap_or(u32::MAX).to_le_bytes());
        body.extend_from_slice(&key);
        body.extend_from_slice(&(db.len() as u64).to_le_bytes());
        body.extend_from_slice(&db);
        let digest = Sha256::digest(&body);
        body.extend_from_slice(&digest);
        write_atomically(out, &body)?;
        self.audit_export(out, "backup")?;
        Ok(BackupMade {
            path: out.display().to_string(),
            bytes: body.len() as u64,
        })
    }

    /// Makes the data folder `dir` from the backup `file` and opens it with
    /// `passphrase`. `dir` must not hold a database; a damaged file or a
    /// wrong passphrase leaves nothing behind.
    pub fn restore(file: &Path, dir: &Path, passphrase: &str) -> Result<NodeInfo> {
        if enlace_store::exists(dir) {
            return Err(CoreError::Store(StoreError::AlreadyInitialised(
                dir.to_owned(),
            )));
        }
        let bytes = std::fs::read(file).map_err(io(file))?;
        let (key, db) = parse(&bytes).map_err(|detail| CoreError::BackupDamaged {
            path: file.to_owned(),
            detail: detail.into(),
        })?;
        // Checked in a folder of its own first: opened with the
        // passphrase and found whole before it takes `dir`'s place.
        let scratch = Scratch::beside(dir, "restore");
        crate::private_dir(&scratch.0).map_err(io(&scratch.0))?;
        for (name, content) in [(enlace_store::KEY_FILE, key), (enlace_store::DB_FILE, db)] {
            let path = scratch.0.join(name);
            write_atomically(&path, content)?;
        }
        let info = {
            let app = App::open(&scratch.0, passphrase)?;
            if !app.store.integrity_ok()? {
                return Err(CoreError::BackupDamaged {
                    path: file.to_owned(),
                    detail: "backup-integrity".into(),
                });
            }
            app.node_info()
        };
        crate::private_dir(dir).map_err(io(dir))?;
        for name in [enlace_store::KEY_FILE, enlace_store::DB_FILE] {
            let to = dir.join(name);
            std::fs::rename(scratch.0.join(name), &to).map_err(io(&to))?;
        }
        // The database was opened in the scratch folder: its WAL was
        // checkpointed when that connection closed.
        let mut app = App::open(dir, passphrase)?;
        app.audit_export(file, "restore")?;
        Ok(NodeInfo {
            data_dir: dir.display().to_string(),
            ..info
        })
    }
}

/// The key file and the database of a backup, or what is wrong with it
/// (a translation key).
fn parse(bytes: &[u8]) -> std::result::Result<(&[u8], &[u8]), &'static str> {
    let rest = bytes.strip_prefix(MAGIC).ok_or("backup-not-enlace")?;
    let (&version, rest) = rest.split_first().ok_or("backup-cut")?;
    if version != VERSION {
        return Err("backup-version");
    }
    if bytes.len() < MAGIC.len() + 1 + 32 {
        return Err("backup-cut");
    }
    let (body, digest) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != digest {
        return Err("backup-checksum");
    }
    let rest = &rest[..rest.len() - 32];
    let (len, rest) = rest.split_at_checked(4).ok_or("backup-cut")?;
    let key_len = u32::from_le_bytes(len.try_into().map_err(|_| "backup-cut")?) as usize;
    let (key, rest) = rest.split_at_checked(key_len).ok_or("backup-cut")?;
    let (len, rest) = rest.split_at_checked(8).ok_or("backup-cut")?;
    let db_len = u64::from_le_bytes(len.try_into().map_err(|_| "backup-cut")?);
    if rest.len() as u64 != db_len {
        return Err("backup-cut");
    }
    Ok((key, rest))
}
