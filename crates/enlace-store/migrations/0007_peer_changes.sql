-- A peer's row keeps what sync moved with it as one set of counts
-- (enlace_domain::Traffic): the changes moved join the bytes and
-- documents already counted. Sessions before this migration counted none.
ALTER TABLE peer ADD COLUMN changes_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peer ADD COLUMN changes_received INTEGER NOT NULL DEFAULT 0;
