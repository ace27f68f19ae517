-- 0013: victims' risk assessments (docs/cli.md, "enlace risk") and the
-- requests between countries (docs/cli.md, "enlace request").
-- Never edit once shipped.

-- Derived from the risk_assessment documents (rebuilt by a reindex): one
-- row per document, every document of one victim (case and pseudonym)
-- holding that victim's merged state — the current assessments are those
-- no other one reviews, across all of them (nodes that assessed the
-- victim apart each made a document).
CREATE TABLE risk_index (
    doc_id       TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL,
    pseudonym    TEXT NOT NULL,
    person_id    TEXT NOT NULL DEFAULT '',
    -- The current assessments' levels (comma separated, gravest first)
    -- and the earliest review they are due for (YYYY-MM-DD; '' when the
    -- victim has referrals but no assessment).
    levels       TEXT NOT NULL,
    next_review  TEXT NOT NULL,
    -- More than one current assessment: a person must choose.
    concurrent   INTEGER NOT NULL DEFAULT 0,
    demo         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX risk_index_case ON risk_index(case_id, pseudonym);
CREATE INDEX risk_index_due ON risk_index(next_review);
CREATE INDEX risk_index_person ON risk_index(person_id);

-- Cases are found by the countries their requests come from and go to
-- (case_tag rows of kind `request_from`, `request_to`, derived): the
-- reindex on the next open writes them.
INSERT OR IGNORE INTO maintenance VALUES ('reindex');
