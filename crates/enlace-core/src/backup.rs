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

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{App, CoreError, NodeInfo, Result, StoreError};

const MAGIC: &[u8] = b"ENLACE-BACKUP\n";
const VERSION: u8 = 1;
/// The largest key file a backup may carry.
// A keyring of a few thousand officials (about 450 bytes each).
const MAX_KEY_FILE: u64 = 4 * 1024 * 1024;

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
    /// A new folder's path in `parent` (same file system: renames from it
    /// are atomic and never cross a device).
    fn within(parent: &Path, what: &str) -> Scratch {
        let mut tag = [0u8; 6];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut tag);
        Scratch(parent.join(format!(".enlace-{what}-{}", hex::encode(tag))))
    }
}

/// The folder `path` is written in, which must exist (a backup to an
/// unmounted stick must not land on this computer's disk instead).
fn existing_parent(path: &Path) -> Result<PathBuf> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if parent.is_dir() {
        Ok(parent.to_owned())
    } else {
        Err(CoreError::Io {
            path: parent.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the folder does not exist (is the disk connected?)",
            ),
        })
    }
}

/// The files of a database in a data folder (a WAL left beside would be
/// replayed into a restored database).
const NODE_FILES: [&str; 4] = [
    enlace_store::DB_FILE,
    "enlace.db-wal",
    "enlace.db-shm",
    enlace_store::KEY_FILE,
];

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

/// A writer that hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that hashes what comes through it.
struct Hashed<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl App {
    /// Writes a backup of this node to `out` (refused if `out` exists):
    /// one snapshot of the database, taken while other connections go on
    /// writing, with the key file. Streamed (a database of a gigabyte is
    /// not held in memory); written to a temporary file renamed into
    /// place. Recorded in the audit log.
    pub fn backup(&mut self, out: &Path) -> Result<BackupMade> {
        self.require(enlace_domain::Permission::ManagePeers)?;
        if out.exists() {
            return Err(CoreError::BackupExists {
                path: out.to_owned(),
            });
        }
        let scratch = Scratch::within(&existing_parent(out)?, "backup");
        self.store.copy_into(&scratch.0)?;
        let key = std::fs::read(scratch.0.join(enlace_store::KEY_FILE)).map_err(io(&scratch.0))?;
        let db_path = scratch.0.join(enlace_store::DB_FILE);
        // Written in the scratch folder, renamed into place when whole.
        let tmp = scratch.0.join("backup.partial");
        let written = (|| -> std::io::Result<u64> {
            let mut db = std::fs::File::open(&db_path)?;
            let db_len = db.metadata()?.len();
            let mut w = Hashing {
                inner: std::io::BufWriter::new(enlace_store::private_file(&tmp)?),
                hasher: Sha256::new(),
            };
            w.write_all(MAGIC)?;
            w.write_all(&[VERSION])?;
            let key_len = u32::try_from(key.len()).map_err(std::io::Error::other)?;
            w.write_all(&key_len.to_le_bytes())?;
            w.write_all(&key)?;
            w.write_all(&db_len.to_le_bytes())?;
            let copied = std::io::copy(&mut db, &mut w)?;
            if copied != db_len {
                return Err(std::io::Error::other(
                    "the database copy changed while read",
                ));
            }
            let digest = w.hasher.finalize();
            let mut inner = w.inner;
            inner.write_all(&digest)?;
            let file = inner
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            file.sync_all()?;
            std::fs::rename(&tmp, out)?;
            Ok((MAGIC.len() + 1 + 4 + key.len() + 8 + 32) as u64 + db_len)
        })();
        let bytes = match written {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(io(out)(e));
            }
        };
        self.audit_file("backup", out)?;
        Ok(BackupMade {
            path: out.display().to_string(),
            bytes,
        })
    }

    /// Makes the data folder `dir` from the backup `file` and opens it with
    /// `passphrase`. `dir` must not hold a database; a damaged file or a
    /// wrong passphrase leaves nothing behind.
    pub fn restore(file: &Path, dir: &Path, passphrase: &str) -> Result<NodeInfo> {
        if NODE_FILES.iter().any(|f| dir.join(f).exists()) {
            return Err(CoreError::Store(StoreError::AlreadyInitialised(
                dir.to_owned(),
            )));
        }
        existing_parent(dir)?;
        let damaged = |detail: &str| CoreError::BackupDamaged {
            path: file.to_owned(),
            detail: detail.to_owned(),
        };
        // Checked in a folder of its own inside `dir` first (one file
        // system: the files then move in by renaming): its checksum, then
        // opened with the passphrase and found whole.
        crate::private_dir(dir).map_err(io(dir))?;
        let scratch = Scratch::within(dir, "restore");
        crate::private_dir(&scratch.0).map_err(io(&scratch.0))?;
        unpack(file, &scratch.0).map_err(|e| match e {
            Unpack::Damaged(d) => damaged(d),
            Unpack::Io(e) => io(&scratch.0)(e),
        })?;
        let info = {
            let app = App::open(&scratch.0, passphrase).map_err(|e| match e {
                CoreError::Store(StoreError::WrongPassphrase) => e,
                CoreError::Store(_) | CoreError::Doc(_) => damaged("backup-unreadable"),
                other => other,
            })?;
            if !app.store.integrity_ok()? {
                return Err(damaged("backup-integrity"));
            }
            app.node_info()
        };
        let moved = (|| {
            for name in [enlace_store::KEY_FILE, enlace_store::DB_FILE] {
                let to = dir.join(name);
                std::fs::rename(scratch.0.join(name), &to).map_err(io(&to))?;
            }
            // Opened in the scratch folder, the database's WAL was
            // checkpointed when that connection closed: the two files are
            // the node.
            let mut app = App::open(dir, passphrase)?;
            app.audit_file("restore", file)
        })();
        if let Err(e) = moved {
            for f in NODE_FILES {
                let _ = std::fs::remove_file(dir.join(f));
            }
            return Err(e);
        }
        Ok(NodeInfo {
            data_dir: dir.display().to_string(),
            ..info
        })
    }
}

/// Why a backup could not be unpacked.
enum Unpack {
    /// What is wrong with the file (a translation key).
    Damaged(&'static str),
    Io(std::io::Error),
}

impl From<std::io::Error> for Unpack {
    fn from(e: std::io::Error) -> Unpack {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Unpack::Damaged("backup-cut")
        } else {
            Unpack::Io(e)
        }
    }
}

/// Writes the key file and the database of the backup `file` into `to`,
/// streamed, after its checksum was found right.
fn unpack(file: &Path, to: &Path) -> std::result::Result<(), Unpack> {
    let len = std::fs::metadata(file)?.len();
    let head = (MAGIC.len() + 1) as u64;
    if len < head + 4 + 8 + 32 {
        return Err(Unpack::Damaged(if len < MAGIC.len() as u64 {
            "backup-not-enlace"
        } else {
            "backup-cut"
        }));
    }
    // The checksum over everything before it.
    let mut all = Hashed {
        inner: std::io::BufReader::new(std::fs::File::open(file)?).take(len - 32),
        hasher: Sha256::new(),
    };
    let mut magic = vec![0u8; MAGIC.len() + 1];
    all.read_exact(&mut magic)?;
    if &magic[..MAGIC.len()] != MAGIC {
        return Err(Unpack::Damaged("backup-not-enlace"));
    }
    if magic[MAGIC.len()] != VERSION {
        return Err(Unpack::Damaged("backup-version"));
    }
    std::io::copy(&mut all, &mut std::io::sink())?;
    let digest = all.hasher.finalize();
    let mut stored = [0u8; 32];
    let mut f = all.inner.into_inner();
    f.read_exact(&mut stored)?;
    if digest.as_slice() != stored {
        return Err(Unpack::Damaged("backup-checksum"));
    }
    // The parts.
    let mut r = std::io::BufReader::new(std::fs::File::open(file)?);
    r.seek_relative(head as i64)?;
    let mut n4 = [0u8; 4];
    r.read_exact(&mut n4)?;
    let key_len = u64::from(u32::from_le_bytes(n4));
    // A key file is a few hundred bytes.
    if key_len > MAX_KEY_FILE || head + 4 + key_len + 8 + 32 > len {
        return Err(Unpack::Damaged("backup-cut"));
    }
    let mut key = vec![0u8; key_len as usize];
    r.read_exact(&mut key)?;
    let mut n8 = [0u8; 8];
    r.read_exact(&mut n8)?;
    let db_len = u64::from_le_bytes(n8);
    if db_len == 0 || Some(db_len) != len.checked_sub(head + 4 + key_len + 8 + 32) {
        return Err(Unpack::Damaged("backup-cut"));
    }
    let mut k = enlace_store::private_file(&to.join(enlace_store::KEY_FILE))?;
    k.write_all(&key)?;
    k.sync_all()?;
    let mut db = enlace_store::private_file(&to.join(enlace_store::DB_FILE))?;
    std::io::copy(&mut (&mut r).take(db_len), &mut db)?;
    db.sync_all()?;
    Ok(())
}
