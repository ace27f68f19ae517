-- 0008: keys revoked by a node of their country (docs/sync-protocol.md,
-- "Revocations"). Never edit once shipped.

-- The first accepted revocation of a key stands. `kept`: the 8-byte tags
-- of the key's changes that stand, ascending. `applied` 0: received for a
-- key this node trusts directly, waiting for its administrator. `log_seq`:
-- this node's log end when it accepted it (sent with pages from there on).
CREATE TABLE revocation (
    public_key   BLOB PRIMARY KEY CHECK (length(public_key) = 32),
    country      TEXT NOT NULL,
    name         TEXT NOT NULL,
    revoked_at   TEXT NOT NULL,
    kept         BLOB NOT NULL,
    revoker      BLOB NOT NULL CHECK (length(revoker) = 32),
    signature    BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    log_seq      INTEGER NOT NULL,
    applied      INTEGER NOT NULL CHECK (applied IN (0, 1))
) STRICT;
CREATE INDEX revocation_sent ON revocation(log_seq) WHERE applied = 1;

-- The changes a revoker held from a key: found by their author.
CREATE INDEX change_log_author ON change_log(author);
