-- 0001: the first schema. Never edit a migration once shipped; add a new file.

-- This node's identity: one row. The secret key is protected by SQLCipher.
CREATE TABLE node (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    node_id     TEXT NOT NULL,
    country     TEXT NOT NULL,
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    secret_key  BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- The truth: every document as automerge bytes, with its heads.
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('case', 'person')),
    owner_country  TEXT NOT NULL,
    owner_node     TEXT NOT NULL,
    audience       TEXT NOT NULL,          -- JSON {"scope": ..., "countries": [...]}
    bytes          BLOB NOT NULL,          -- automerge save()
    heads          TEXT NOT NULL,          -- JSON array of hex change hashes
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX documents_kind ON documents(kind);

-- Every change stored on this node, in the order it was stored. The sync
-- protocol sends "everything after sequence N".
CREATE TABLE change_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id       TEXT NOT NULL REFERENCES documents(id),
    hash         TEXT NOT NULL,
    change       BLOB NOT NULL,
    signature    BLOB,                     -- Ed25519 over the change hash, by its author
    recorded_at  TEXT NOT NULL,
    UNIQUE (doc_id, hash)
) STRICT;

-- Case reference counters, per country and year, on this node.
CREATE TABLE reference_counters (
    country  TEXT NOT NULL,
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (country, year)
) STRICT;

-- Derived: rebuilt from the documents by `enlace reindex`.
CREATE TABLE case_index (
    doc_id          TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    reference       TEXT NOT NULL,
    title           TEXT NOT NULL,
    title_sort      TEXT NOT NULL,
    status          TEXT NOT NULL,
    classification  TEXT NOT NULL,
    owner_country   TEXT NOT NULL,
    opened          TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    warnings        INTEGER NOT NULL,
    demo            INTEGER NOT NULL
) STRICT;
CREATE INDEX case_index_reference ON case_index(reference);
CREATE INDEX case_index_updated ON case_index(updated_at);
CREATE INDEX case_index_title ON case_index(title_sort);
CREATE INDEX case_index_status ON case_index(status, updated_at);
CREATE INDEX case_index_class ON case_index(classification, updated_at);

CREATE TABLE case_country (
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    country  TEXT NOT NULL,
    role     TEXT NOT NULL,      -- origin | transit | destination | exploitation | owner
    PRIMARY KEY (doc_id, country, role)
) STRICT;
CREATE INDEX case_country_country ON case_country(country, doc_id);

-- Full text: diacritics-insensitive, so `nunez` finds `Núñez`. Its rowid
-- is the case_index rowid, so a case's row is found (and replaced) by key,
-- never by scanning.
CREATE VIRTUAL TABLE case_fts USING fts5(
    body,
    tokenize = "unicode61 remove_diacritics 2"
);

-- Append-only, hash-chained: views and exports of identifying data, and
-- (later) sync sessions and grants.
CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL
) STRICT;
