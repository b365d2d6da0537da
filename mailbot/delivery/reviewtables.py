"""The review console's tables, beside delivery's (tables.py), created the same way.

    review_originals    the customer's HTML, kept for the console (shown only sanitised)
    review_attachments  the customer's attachments, bounded in size, for names and thumbnails
    review_labels       the intent a reviewer says is right, per draft: training data
    review_handled      escalations and quarantined messages a person has taken up

Their own module, so that delivery's schema check (tables_exist) and the
store's schema version stay as they are for stores made before them.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_originals (
    draft_id    INTEGER PRIMARY KEY,
    html        TEXT NOT NULL              -- as the customer sent it (bounded), sanitised when shown
);
CREATE TABLE IF NOT EXISTS review_attachments (
    draft_id     INTEGER NOT NULL,
    position     INTEGER NOT NULL,         -- the part's place among the message's attachments
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,            -- as declared by the message
    size         INTEGER NOT NULL,
    data         BLOB,                     -- NULL when larger than web.keep_attachment_bytes allows
    PRIMARY KEY (draft_id, position)
);
-- One row per draft whose intent a reviewer confirmed or corrected in the console
-- (`mailbot model train --with-reviews` reads it, see docs/review.md).
CREATE TABLE IF NOT EXISTS review_labels (
    draft_id    INTEGER PRIMARY KEY,
    intent      TEXT NOT NULL,             -- what the reviewer says the customer wants
    classified  TEXT,                      -- what the classifier said
    decision    TEXT NOT NULL,             -- approved, edited, rejected or labelled
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_handled (
    kind        TEXT NOT NULL CHECK (kind IN ('draft', 'quarantine')),
    key         TEXT NOT NULL,             -- a draft id, or account/folder/uidvalidity/uid
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
-- The queue page reads only these columns of the pending drafts: from this index alone it never
-- touches the drafts' large rows (traces, bodies), which is most of the cost with thousands pending.
CREATE INDEX IF NOT EXISTS review_queue ON delivery_drafts (status, created_at, id, intent, action, confidence,
    rule, original_from, original_name, original_subject)
"""

def ensure_review_tables(db: sqlite3.Connection) -> None:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'review_%'")}
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'review_queue'")}
    if not {"review_originals", "review_attachments", "review_labels", "review_handled"} <= names or not indexes:
        # One statement at a time, not executescript: that would COMMIT a transaction the caller holds.
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
