-- 0010: each case's victims as statistical records (a JSON array of
-- StatRecord), kept with its index row so a table over 100,000 cases
-- reads rows instead of opening every document. NULL: not computed yet
-- (a case indexed before this migration until it changes or `enlace
-- reindex`); statistics then read the document. Never edit once shipped.
ALTER TABLE case_index ADD COLUMN victims TEXT;
