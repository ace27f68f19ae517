//! The field's datasets imported as statistical records: kept apart from
//! the case register, never synced, deletable as a whole; the same file is
//! imported once; a file refused imports nothing.

pub mod shapes;

use std::path::Path;

use enlace_domain::stats::StatRecord;
use enlace_store::DatasetRow;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{App, CoreError, Result, now_string};

pub use shapes::ShapeError;

/// The largest file imported.
pub const MAX_BYTES: u64 = 256 << 20;

/// A row not imported, and why (in English, for scripts; `message`
/// says it in a language).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SkippedRow {
    #[ts(type = "number")]
    pub line: u64,
    pub reason: String,
    #[serde(skip)]
    #[ts(skip)]
    pub error: Option<ShapeError>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DatasetImported {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub shape: String,
    pub encoding: String,
    #[ts(type = "number")]
    pub rows: u64,
    pub skipped: Vec<SkippedRow>,
    /// The same file was imported before: nothing changed.
    pub already: bool,
}

/// An imported dataset.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DatasetView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub shape: String,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub imported_at: String,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub skipped: u64,
}

fn view(d: DatasetRow) -> DatasetView {
    DatasetView {
        id: d.id,
        name: d.name,
        shape: d.shape,
        file_name: d.file_name,
        sha256: d.sha256,
        encoding: d.encoding,
        imported_at: d.imported_at,
        rows: u64::try_from(d.rows).unwrap_or(0),
        skipped: u64::try_from(d.skipped).unwrap_or(0),
    }
}

impl App {
    /// Imports a CTDC file (any of the known shapes) as a dataset named
    /// `name` (default: the file's name). A file in no known shape, a value
    /// out of its vocabulary, a cut file: an error naming the line and
    /// column, and nothing imported — unless `skip_bad`, when rows with a
    /// bad value are skipped and listed. `progress(done, total)` as rows
    /// are read.
    pub fn import_dataset(
        &mut self,
        path: &Path,
        name: Option<&str>,
        skip_bad: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<DatasetImported> {
        // Statistical work: the roles that may see exact statistics.
        self.require(enlace_domain::Permission::ExactStatistics)?;
        let io = |e| CoreError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        // The whole file is held while it is read (CTDC's largest export
        // is about 50 MB): bounded.
        if std::fs::metadata(path).map_err(io)?.len() > MAX_BYTES {
            return Err(CoreError::Dataset {
                path: path.to_path_buf(),
                error: ShapeError::TooLarge {
                    limit_mib: MAX_BYTES >> 20,
                },
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if let Some(d) = self.store.read().dataset_by_hash(&sha256)? {
            return Ok(DatasetImported {
                id: d.id,
                name: d.name,
                shape: d.shape,
                encoding: d.encoding,
                rows: u64::try_from(d.rows).unwrap_or(0),
                skipped: vec![],
                already: true,
            });
        }
        let (text, encoding) = shapes::decode(bytes);
        let (shape, records, skipped) =
            shapes::read(&text, skip_bad, progress).map_err(|e| CoreError::Dataset {
                path: path.to_path_buf(),
                error: e,
            })?;
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.map_or_else(|| file_name.clone(), str::to_owned);
        let rows: Vec<(i64, String)> = records
            .iter()
            .map(|(n, r)| {
                serde_json::to_string(r)
                    .map(|j| (*n, j))
                    .map_err(|e| CoreError::Internal(e.to_string()))
            })
            .collect::<Result<_>>()?;
        let at = now_string();
        let by = self.by();
        let row = DatasetRow {
            id: 0,
            name: name.clone(),
            shape: shape.name().to_owned(),
            file_name,
            sha256,
            encoding: encoding.to_owned(),
            imported_at: at.clone(),
            rows: rows.len() as i64,
            skipped: skipped.len() as i64,
        };
        let id = self.store.write(|tx| {
            let id = tx.put_dataset(&row, &rows)?;
            tx.audit(
                &at,
                &by,
                "dataset.import",
                &name,
                &format!("{} rows, {} skipped", rows.len(), skipped.len()),
            )?;
            Ok::<_, CoreError>(id)
        })?;
        Ok(DatasetImported {
            id,
            name,
            shape: shape.name().to_owned(),
            encoding: encoding.to_owned(),
            rows: rows.len() as u64,
            skipped: skipped
                .iter()
                .map(|e| SkippedRow {
                    line: e.line(),
                    reason: e.to_string(),
                    error: Some(e.clone()),
                })
                .collect(),
            already: false,
        })
    }

    pub fn datasets(&self) -> Result<Vec<DatasetView>> {
        Ok(self
            .store
            .read()
            .datasets()?
            .into_iter()
            .map(view)
            .collect())
    }

    /// Deletes a dataset and all its records.
    pub fn remove_dataset(&mut self, id: i64) -> Result<()> {
        // Statistical work: the roles that may see exact statistics.
        self.require(enlace_domain::Permission::ExactStatistics)?;
        let at = now_string();
        let by = self.by();
        let removed = self.store.write(|tx| {
            let gone = tx.remove_dataset(id)?;
            if gone {
                tx.audit(&at, &by, "dataset.remove", &id.to_string(), "")?;
            }
            Ok::<_, CoreError>(gone)
        })?;
        if removed {
            Ok(())
        } else {
            Err(CoreError::NotFound {
                what: format!("dataset {id}"),
            })
        }
    }

    /// The records of the datasets `ids` (none: every dataset).
    pub(crate) fn dataset_records(&self, ids: &[i64]) -> Result<Vec<StatRecord>> {
        self.store
            .read()
            .dataset_records(ids)?
            .iter()
            .map(|j| serde_json::from_str(j).map_err(|e| CoreError::Internal(e.to_string())))
            .collect()
    }
}
