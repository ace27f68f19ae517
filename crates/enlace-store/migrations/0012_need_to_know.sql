-- 0012: need-to-know inside a country, grants across borders and the
-- country administrator key
-- (docs/sync-protocol.md). Never edit once shipped.

-- This node's place in its country (hub, office, border_post, ngo), and
-- each peer's as its administrator paired it. Nodes set up before roles
-- existed received every identity of their country: they stay offices.
ALTER TABLE node ADD COLUMN role TEXT NOT NULL DEFAULT 'office';
ALTER TABLE peer ADD COLUMN node_role TEXT NOT NULL DEFAULT 'office';

-- The nodes besides its owner's that a national document reaches where
-- need-to-know applies (a person's `nodes`: full keys, hex, comma
-- separated). Person documents before 0012 name none.
ALTER TABLE documents ADD COLUMN reach TEXT NOT NULL DEFAULT '';

-- The countries a person document's grants let it reach, each with its
-- last day (`HN:2027-01-31`, comma separated; revoked grants left out).
ALTER TABLE documents ADD COLUMN grants TEXT NOT NULL DEFAULT '';

-- A country's administrator key (docs/sync-protocol.md, "Revocations"):
-- the only key whose revocations of the country's nodes this node obeys
-- once it trusts one. Its secret is kept only where it was made (the hub).
CREATE TABLE country_key (
    country     TEXT PRIMARY KEY,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    secret_key  BLOB CHECK (secret_key IS NULL OR length(secret_key) = 32),
    added_at    TEXT NOT NULL
) STRICT;

-- Whether an entry about a subject is already in the audit log (a refusal
-- recorded once): answered by an index, not a scan.
CREATE INDEX audit_log_action_subject ON audit_log(action, subject);

-- Cases are found by the references their links name (case_tag rows of
-- kind `link`, derived): the reindex on the next open writes them.
INSERT OR IGNORE INTO maintenance VALUES ('reindex');
