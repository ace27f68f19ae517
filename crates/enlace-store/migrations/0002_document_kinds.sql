-- 0002: the documents table accepts every kind of data-model.md, not only
-- cases and persons. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt (the documented procedure: new table, copy, drop,
-- rename). Runs with foreign keys off; the migration checks them after.

CREATE TABLE documents_new (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN (
                       'case', 'person', 'legal_assessment', 'plan_task',
                       'agency', 'risk_assessment')),
    owner_country  TEXT NOT NULL,
    owner_node     TEXT NOT NULL,
    audience       TEXT NOT NULL,
    bytes          BLOB NOT NULL,
    heads          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
INSERT INTO documents_new SELECT * FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_kind ON documents(kind);
