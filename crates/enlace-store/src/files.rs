//! The data folder and its files are their owner's only.

use std::path::Path;

use crate::{Result, StoreError};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "enlace.db";
/// The key-derivation parameters' file name.
pub const KEY_FILE: &str = "enlace.key.json";

/// Files of a data directory that only its owner may read.
const PRIVATE_FILES: &[&str] = &[
    DB_FILE,
    "enlace.db-wal",
    "enlace.db-shm",
    KEY_FILE,
    "preferences.json",
];

/// Creates (or truncates) `path` for writing, readable and writable by
/// its owner only (0600 on Unix): exports, bundles, the key file.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    // A file that existed keeps its mode through `open`: set it.
    set_mode(path, 0o600)?;
    Ok(f)
}

/// Creates `dir` (and its parents) when missing and makes it its owner's
/// only (0700 on Unix): the data folder, the exports folder.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)?;
    if meta.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Makes the data directory its owner's only (0700) and its files 0600,
/// creating the directory when missing. Run at every open, so a folder
/// made by an older version (0755/0644) is closed too.
pub fn make_private(dir: &Path) -> Result<()> {
    private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    for f in PRIVATE_FILES {
        let p = dir.join(f);
        if p.exists() {
            set_mode(&p, 0o600).map_err(|e| StoreError::io(&p, e))?;
        }
    }
    Ok(())
}
