-- 0003: what the case list filters on beyond status, classification and
-- country: the Art. 3 elements (acts, means, purposes) as tags, and indexes
-- for the opening date and the owner country.

CREATE TABLE case_tag (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,          -- act | means | purpose
    value   TEXT NOT NULL,
    PRIMARY KEY (doc_id, kind, value)
) STRICT;
CREATE INDEX case_tag_value ON case_tag(kind, value, doc_id);
CREATE INDEX case_index_opened ON case_index(opened);
CREATE INDEX case_index_owner ON case_index(owner_country, updated_at);
CREATE INDEX case_country_role ON case_country(role, country, doc_id);

-- Work the application does on the next open because of a migration: a
-- derived table that only the documents can fill is filled by a reindex.
CREATE TABLE maintenance (
    task  TEXT PRIMARY KEY
) STRICT;
INSERT INTO maintenance VALUES ('reindex');
