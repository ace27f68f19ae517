//! Imported datasets (statistical records, never synced) and the log of
//! statistical tables released.

use rusqlite::params;

use crate::tx::{Read, WriteTx};
use crate::{Result, StoreError};

/// An imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRow {
    pub id: i64,
    pub name: String,
    pub shape: String,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub imported_at: String,
    pub rows: i64,
    pub skipped: i64,
}

const COLS: &str = "id, name, shape, file_name, sha256, encoding, imported_at, rows, skipped";

fn dataset_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DatasetRow> {
    Ok(DatasetRow {
        id: r.get(0)?,
        name: r.get(1)?,
        shape: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        encoding: r.get(5)?,
        imported_at: r.get(6)?,
        rows: r.get(7)?,
        skipped: r.get(8)?,
    })
}

impl Read<'_> {
    /// Every imported dataset, oldest first.
    pub fn datasets(&self) -> Result<Vec<DatasetRow>> {
        self.rows(
            &format!("SELECT {COLS} FROM dataset ORDER BY id"),
            [],
            dataset_row,
        )
    }

    pub fn dataset_by_hash(&self, sha256: &str) -> Result<Option<DatasetRow>> {
        self.one(
            &format!("SELECT {COLS} FROM dataset WHERE sha256 = ?1"),
            [sha256],
            dataset_row,
        )
    }

    /// The records (JSON) of the datasets `ids` (none: of every dataset).
    pub fn dataset_records(&self, ids: &[i64]) -> Result<Vec<String>> {
        let all: Vec<(i64, String)> = self.rows(
            "SELECT dataset_id, record FROM dataset_row ORDER BY dataset_id, n",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(all
            .into_iter()
            .filter(|(d, _)| ids.is_empty() || ids.contains(d))
            .map(|(_, r)| r)
            .collect())
    }

    /// Every release logged (JSON), oldest first.
    pub fn stats_releases(&self) -> Result<Vec<String>> {
        self.rows("SELECT release FROM stats_release ORDER BY id", [], |r| {
            r.get(0)
        })
    }
}

impl WriteTx<'_> {
    /// Stores a dataset and its records (line number, JSON); returns its id.
    pub fn put_dataset(&self, d: &DatasetRow, records: &[(i64, String)]) -> Result<i64> {
        self.tx
            .execute(
                &format!(
                    "INSERT INTO dataset ({COLS}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    d.name,
                    d.shape,
                    d.file_name,
                    d.sha256,
                    d.encoding,
                    d.imported_at,
                    d.rows,
                    d.skipped
                ],
            )
            .map_err(StoreError::from_sqlite)?;
        let id = self.tx.last_insert_rowid();
        let mut st = self
            .tx
            .prepare_cached("INSERT INTO dataset_row (dataset_id, n, record) VALUES (?1, ?2, ?3)")
            .map_err(StoreError::from_sqlite)?;
        for (n, rec) in records {
            st.execute(params![id, n, rec])
                .map_err(StoreError::from_sqlite)?;
        }
        Ok(id)
    }

    /// Deletes a dataset and its records; false when there is none.
    pub fn remove_dataset(&self, id: i64) -> Result<bool> {
        self.tx
            .execute("DELETE FROM dataset_row WHERE dataset_id = ?1", [id])
            .map_err(StoreError::from_sqlite)?;
        let n = self
            .tx
            .execute("DELETE FROM dataset WHERE id = ?1", [id])
            .map_err(StoreError::from_sqlite)?;
        Ok(n > 0)
    }

    pub fn put_stats_release(&self, at: &str, release: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO stats_release (released_at, release) VALUES (?1, ?2)",
                params![at, release],
            )
            .map_err(StoreError::from_sqlite)
            .map(|_| ())
    }
}
