-- 0004: what a user typed into a form and the application could not save
-- yet (an invalid or half-typed value). Kept inside the encrypted database
-- — never in the webview's own storage, which is not encrypted — so that
-- nothing typed is lost when the window closes or the app is killed.
-- Local to this node: drafts are not documents and never sync.

CREATE TABLE draft (
    key         TEXT PRIMARY KEY,   -- e.g. case:<uuid>, case:new
    body        TEXT NOT NULL,      -- the form's state as JSON
    updated_at  TEXT NOT NULL
) STRICT;
