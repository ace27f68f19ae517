//! What migrations leave for the application to do once, at opening: a
//! reindex (SQL cannot read automerge), marking demonstration documents
//! local, naming the dependencies of kept changes.

use crate::{App, CoreError, Result, replica};

impl App {
    /// Does what migrations left for the application (a reindex that fills
    /// a new derived table), once.
    pub(crate) fn maintain(&mut self) -> Result<()> {
        for task in self.store.read().maintenance()? {
            match task.as_str() {
                "reindex" => {
                    self.reindex(&mut |_, _| {})?;
                }
                "local_only" => self.mark_local_only()?,
                "quarantine_deps" => self.store.write(replica::quarantine::name_deps)?,
                _ => {}
            }
            self.store.write(|tx| tx.maintenance_done(&task))?;
        }
        Ok(())
    }

    /// Marks demonstration documents local (migration 0005's task).
    pub(crate) fn mark_local_only(&mut self) -> Result<()> {
        let ids = self.store.read().all_doc_ids()?;
        let actor = self.node.actor.clone();
        self.store.write(|tx| {
            for (id, _) in &ids {
                if let Some(row) = tx.read().doc(id)? {
                    let doc = enlace_docs::Document::load(&row.bytes, actor.clone())?;
                    if doc.flag("demo") {
                        tx.set_local_only(id, true)?;
                    }
                }
            }
            Ok::<_, CoreError>(())
        })
    }
}
