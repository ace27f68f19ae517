-- 0009: the field's datasets imported as statistical records, and the log
-- of statistical tables released (docs/cli.md, "Statistics"). Never edit
-- once shipped.

-- An imported file: kept apart from the case register, never synced,
-- deleted as a whole. The same file (by its SHA-256) is imported once.
CREATE TABLE dataset (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    shape        TEXT NOT NULL,      -- ctdc_cleaned | ctdc_global | ctdc_synthetic_2024
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,
    encoding     TEXT NOT NULL,      -- utf-8 | windows-1252
    imported_at  TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    skipped      INTEGER NOT NULL
) STRICT;

-- One victim-level record of a dataset (a StatRecord as JSON).
CREATE TABLE dataset_row (
    dataset_id  INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,    -- the file's line
    record      TEXT NOT NULL,
    PRIMARY KEY (dataset_id, n)
) STRICT;

-- Tables released with the disclosure rules applied: their population and
-- exact counts, so a later table cannot be subtracted from an earlier one
-- to reveal a small group.
CREATE TABLE stats_release (
    id           INTEGER PRIMARY KEY,
    released_at  TEXT NOT NULL,
    release      TEXT NOT NULL       -- enlace_domain::stats::Release as JSON
) STRICT;
