-- 0006: what a hostile peer taught (docs/sync-protocol.md, "Threat
-- model"). Never edit once shipped.

-- Nodes trusted as authors of their country, and as vouchers for its other
-- nodes, from a hub's list (`enlace peer import`): not peers — they cannot
-- connect, are not synced with, and send no bundles.
CREATE TABLE anchor (
    public_key  BLOB PRIMARY KEY CHECK (length(public_key) = 32),
    country     TEXT NOT NULL,
    name        TEXT NOT NULL,
    added_at    TEXT NOT NULL
) STRICT;

-- Keys unpaired here: no roster entry brings them back; pairing again
-- (`enlace peer add`) is the only way.
CREATE TABLE removed_key (
    public_key  BLOB PRIMARY KEY,
    removed_at  TEXT NOT NULL
) STRICT;

-- Bundles imported, by the digest their sender signed: a replay is a
-- digest seen before (bundle numbers only order bundles for people).
CREATE TABLE bundle_seen (
    digest       BLOB PRIMARY KEY,
    sender       BLOB NOT NULL,
    seq          INTEGER NOT NULL,
    imported_at  TEXT NOT NULL
) STRICT;

-- A kept change's first dependency: one whose document arrives later is
-- found by a join, not by parsing every kept change on every page.
ALTER TABLE quarantine ADD COLUMN dep TEXT NOT NULL DEFAULT '';
CREATE INDEX quarantine_reason_doc ON quarantine(reason, doc_id);
CREATE INDEX quarantine_source ON quarantine(source);
CREATE INDEX quarantine_author ON quarantine(author, reason);
CREATE INDEX quarantine_dep ON quarantine(dep) WHERE dep != '';

-- What a removed peer vouched for goes with it.
CREATE INDEX roster_voucher ON roster(voucher);

-- Changes kept before this version without a proof can never be applied
-- now (every change needs its author's proof): they stay for the record,
-- marked as what they are.
UPDATE quarantine SET reason = 'bad_signature',
    detail = 'kept without its author''s proof by an earlier version'
    WHERE proof_id IS NULL AND reason != 'bad_signature';

-- Work for the application: name the first dependency of kept changes
-- whose document was not known (needs automerge to read them).
INSERT OR IGNORE INTO maintenance VALUES ('quarantine_deps');

-- Parts of a document asked for whole (one larger than a page travels in
-- parts): kept until the last part comes, then applied together and
-- judged whole — a document's early history may not yet show the
-- audience that lets this node hold it.
CREATE TABLE sync_part (
    peer      BLOB NOT NULL,
    doc_id    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    change    BLOB NOT NULL,
    proof_id  INTEGER NOT NULL REFERENCES proof(id),
    work      INTEGER NOT NULL,     -- operations and predecessors it declares
    PRIMARY KEY (peer, doc_id, n)
) STRICT;
