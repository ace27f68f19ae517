-- 0005: sync with peers (docs/sync-protocol.md). Never edit once shipped.

-- The nodes this node syncs with and trusts. Each is known by its Ed25519
-- key, to which its TLS certificate is pinned; its country decides what it
-- may receive. The cursors are positions in change logs: a sequence and
-- the hash of the change stored there (to tell a restored log apart).
CREATE TABLE peer (
    name            TEXT PRIMARY KEY,
    public_key      BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    country         TEXT NOT NULL,
    url             TEXT,                  -- NULL: it connects here, or bundles only
    added_at        TEXT NOT NULL,
    applied_seq     INTEGER NOT NULL DEFAULT 0,   -- how far we applied its log
    applied_hash    BLOB,
    acked_seq       INTEGER NOT NULL DEFAULT 0,   -- how far it applied ours
    acked_hash      BLOB,
    last_attempt    TEXT,
    last_success    TEXT,
    last_error      TEXT,                  -- JSON {code, detail}
    failures        INTEGER NOT NULL DEFAULT 0,   -- in a row, for backoff
    bytes_sent      INTEGER NOT NULL DEFAULT 0,
    bytes_received  INTEGER NOT NULL DEFAULT 0,
    docs_sent       INTEGER NOT NULL DEFAULT 0,
    docs_received   INTEGER NOT NULL DEFAULT 0,
    bundle_out_seq  INTEGER NOT NULL DEFAULT 0,   -- last bundle made for it
    bundle_in_seq   INTEGER NOT NULL DEFAULT 0    -- last bundle imported from it
) STRICT;

-- Nodes known through a node of their own country (authors of relayed
-- changes): "key is a node of country", signed by the voucher.
CREATE TABLE roster (
    public_key  BLOB PRIMARY KEY CHECK (length(public_key) = 32),
    country     TEXT NOT NULL,
    name        TEXT NOT NULL,
    voucher     BLOB NOT NULL,
    signature   BLOB NOT NULL,
    added_at    TEXT NOT NULL
) STRICT;

-- Signatures of change authors over sets of change hashes, received with
-- changes and forwarded as received when relaying them.
CREATE TABLE proof (
    id         INTEGER PRIMARY KEY,
    author     BLOB NOT NULL,
    signature  BLOB NOT NULL,
    members    BLOB NOT NULL        -- ascending 32-byte hashes
) STRICT;

-- Who wrote each logged change, where it came from, what proves it.
-- Every change logged before sync existed was written by this node.
ALTER TABLE change_log ADD COLUMN author BLOB;
ALTER TABLE change_log ADD COLUMN source BLOB;           -- the peer's key; NULL: written here
ALTER TABLE change_log ADD COLUMN proof_id INTEGER REFERENCES proof(id);
UPDATE change_log SET author = (SELECT public_key FROM node WHERE id = 1);

-- Demonstration documents stay on the node that loaded them.
ALTER TABLE documents ADD COLUMN local_only INTEGER NOT NULL DEFAULT 0;

-- Changes received and not merged: refused (kept, never applied) or
-- waiting for history they depend on. Documents a node may not hold are
-- not kept at all (the sender keeps them).
CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    doc_id       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    change       BLOB NOT NULL,
    author       BLOB NOT NULL,
    proof_id     INTEGER REFERENCES proof(id),
    source       BLOB NOT NULL,
    reason       TEXT NOT NULL,      -- unknown_author | not_allowed | bad_signature | malformed | missing_history
    detail       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (doc_id, hash)
) STRICT;

-- Documents this node wants whole from a peer (history it lacks, or a
-- reconciliation found them different).
CREATE TABLE sync_want (
    peer    BLOB NOT NULL,
    doc_id  TEXT NOT NULL,
    PRIMARY KEY (peer, doc_id)
) STRICT;

-- Documents a peer asked for whole in a bundle it sent (answered by the
-- next bundle made for it).
CREATE TABLE sync_owe (
    peer    BLOB NOT NULL,
    doc_id  TEXT NOT NULL,
    PRIMARY KEY (peer, doc_id)
) STRICT;

-- Derived: which cases point at which person documents, so a person
-- document that arrives by sync re-indexes its case (names are searched).
CREATE TABLE person_link (
    person_id  TEXT NOT NULL,
    case_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, case_id)
) STRICT;

-- Work for the application on the next open: mark demonstration documents
-- local (needs the documents), and fill person_link (a reindex).
INSERT OR IGNORE INTO maintenance VALUES ('reindex');
INSERT OR IGNORE INTO maintenance VALUES ('local_only');

CREATE UNIQUE INDEX proof_signature ON proof(signature);
-- A change's document, found by the change (a page leaves out the document
-- of changes that extend one the receiver holds).
CREATE INDEX change_log_hash ON change_log(hash);
