-- Officials: named accounts on this node, each with a role. Their keys
-- are in enlace.key.json (the database key wrapped once per official);
-- this table is the authority on who they are and what they may do (the
-- key file can be read and edited by whoever holds the machine; this
-- table only by someone who has unlocked the database).
CREATE TABLE official (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    removed_at  TEXT,
    -- A hash of the official's key-file wrapping key: an entry someone
    -- else wrote under this official's identity does not log in as them.
    key_check   TEXT
) STRICT;

-- The full-text index keeps the persons' names apart from the rest of a
-- case, so an official who may not see identities cannot find a case by a
-- victim's name either. Rebuilt by the reindex this schedules.
DROP TABLE case_fts;
CREATE VIRTUAL TABLE case_fts USING fts5(
    body,
    names,
    tokenize = "unicode61 remove_diacritics 2"
);
INSERT OR IGNORE INTO maintenance (task) VALUES ('reindex');

-- Audit heads exchanged at sync (docs/sync-protocol.md, "Audit heads"):
-- the heads this node showed each peer (a JSON list of sequence numbers,
-- the last eight), the last head the peer showed (JSON {seq, hash}), and
-- what comparing them found (JSON {at, kind, seq}; NULL: nothing).
ALTER TABLE peer ADD COLUMN audit_told TEXT NOT NULL DEFAULT '[]';
ALTER TABLE peer ADD COLUMN audit_seen TEXT;
ALTER TABLE peer ADD COLUMN audit_alarm TEXT;

-- The handling codes a case's information items carry (`H1,H2`; empty:
-- none): a node that received a case with H2 items from its owner does
-- not pass it on to a third country (filled by the reindex above).
ALTER TABLE case_index ADD COLUMN handling TEXT NOT NULL DEFAULT '';
