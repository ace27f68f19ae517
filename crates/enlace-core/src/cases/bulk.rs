//! Jobs over every case: rebuilding the index, exporting.

use std::path::Path;

use chrono::Utc;
use enlace_docs::Document;
use enlace_domain::validate::validate_case;
use enlace_domain::{Case, DocKind};

use crate::{App, CoreError, Result, index, now_string, private_file};

impl App {
    /// Rebuilds every derived table from the documents, in batches, calling
    /// `progress(done, total)`. Returns the number of documents indexed.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        let ids = self.store.read().doc_ids(DocKind::Case)?;
        let total = ids.len() as u64;
        let node = &self.node;
        progress(0, total);
        // One transaction: readers see the old index or the new one, never half.
        self.store.write(|tx| {
            tx.clear_indexes()?;
            for (i, id) in ids.iter().enumerate() {
                let row = tx
                    .read()
                    .doc(id)?
                    .ok_or_else(|| CoreError::NotFound { what: id.clone() })?;
                let doc = Document::load(&row.bytes, node.actor.clone())?;
                let case: Case = doc.read("case")?;
                let issues = validate_case(&case, Utc::now().date_naive());
                let names = index::person_names(&tx.read(), &case, &node.actor)?;
                let case = index::findable(&case, &doc);
                tx.index_case(&index::case_row(&case, &names, &issues, &row.updated_at))?;
                if i % 64 == 63 {
                    progress(i as u64 + 1, total);
                }
            }
            // Victims' risk: the "reviews due" list and the case list's
            // marks.
            for id in tx.read().doc_ids(DocKind::RiskAssessment)? {
                crate::risk::reindex_received(tx, &node.actor, &id)?;
            }
            Ok::<_, CoreError>(())
        })?;
        progress(total, total);
        Ok(total)
    }

    /// Writes every case this node holds, as JSON, to `out` (atomically:
    /// a temporary file renamed into place). Person documents — identifying
    /// data — are not exported; the export is recorded in the audit log.
    /// `restrictions`, after the cases, lists every information item that
    /// carries a handling code (H1, H2, H3), so whoever receives the file
    /// sees what may not be used in court, passed on, or what the
    /// originator's note says.
    pub fn export(&mut self, out: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        self.require(enlace_domain::Permission::Export)?;
        use std::io::Write;
        let ids = self.store.read().doc_ids(DocKind::Case)?;
        let total = ids.len() as u64;
        let tmp = out.with_extension("partial");
        let io = |e: std::io::Error| CoreError::Io {
            path: out.to_owned(),
            source: e,
        };
        let file = private_file(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        let node = self.node_info();
        let header = serde_json::json!({
            "format": "enlace-export",
            "version": 1,
            "exported_at": now_string(),
            "node": node,
        });
        let result = (|| {
            let head =
                serde_json::to_string(&header).map_err(|e| CoreError::Internal(e.to_string()))?;
            write!(w, "{{\"export\":{head},\"cases\":[").map_err(io)?;
            let mut restrictions = vec![];
            for (i, id) in ids.iter().enumerate() {
                let row = self
                    .store
                    .read()
                    .doc(id)?
                    .ok_or_else(|| CoreError::NotFound { what: id.clone() })?;
                let doc = Document::load(&row.bytes, self.node.actor.clone())?;
                let case: Case = doc.read("case")?;
                for (n, item) in case.information.iter().enumerate() {
                    if item.handling != enlace_domain::HandlingCode::H0 {
                        restrictions.push(serde_json::json!({
                            "reference": case.reference,
                            "item": n,
                            "handling": item.handling,
                            "note": item.handling_note,
                        }));
                    }
                }
                if i > 0 {
                    w.write_all(b",").map_err(io)?;
                }
                serde_json::to_writer(&mut w, &case)
                    .map_err(|e| CoreError::Internal(e.to_string()))?;
                progress(i as u64 + 1, total);
            }
            let restrictions = serde_json::to_string(&restrictions)
                .map_err(|e| CoreError::Internal(e.to_string()))?;
            writeln!(w, "],\"restrictions\":{restrictions}}}").map_err(io)?;
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
            std::fs::rename(&tmp, out).map_err(io)?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        self.audit_export(out, &format!("{total} cases"))?;
        Ok(total)
    }
}
