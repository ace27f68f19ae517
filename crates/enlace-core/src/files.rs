//! Files this node writes for people (exports, reports, bundles): whole or
//! not at all, readable by their owner only, and recorded in the audit log.

use std::path::Path;

use crate::{App, CoreError, Result, now_string};

/// Writes `bytes` to `out` through a temporary file renamed into place, so
/// a failure leaves no partial file.
pub(crate) fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| CoreError::Io {
        path: out.to_owned(),
        source: e,
    };
    let tmp = out.with_extension("partial");
    let result = (|| {
        // Exports and bundles are readable by their owner only.
        let mut f = enlace_store::private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

impl App {
    /// Records in the audit log an `action` on the file `path` (`backup`,
    /// `restore`).
    pub(crate) fn audit_file(&mut self, action: &str, path: &Path) -> Result<()> {
        let by = self.by();
        let target = path.display().to_string();
        self.store
            .write(|tx| tx.audit(&now_string(), &by, action, &target, ""))?;
        Ok(())
    }

    /// Records in the audit log that `what` was written to `out`.
    pub(crate) fn audit_export(&mut self, out: &Path, what: &str) -> Result<()> {
        let by = self.by();
        let target = out.display().to_string();
        self.store
            .write(|tx| tx.audit(&now_string(), &by, "export", &target, what))?;
        Ok(())
    }
}
