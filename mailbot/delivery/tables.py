"""Delivery's own tables, on the store's SQLite connection.

Created with CREATE TABLE IF NOT EXISTS from here rather than in store.py,
so the store's schema version is not ours to bump.  Times are UTC ISO 8601
with milliseconds: one format, so text order is time order.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS delivery_drafts (
    id              INTEGER PRIMARY KEY,
    identity        TEXT NOT NULL UNIQUE,     -- the original's identity in `messages`
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- handled: a person sent or deleted its copy in the Drafts folder from their own mail client
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'auto', 'rejected', 'blocked', 'handled')),
    -- the original, as the reviewer needs it
    original_message_id TEXT,
    original_from   TEXT NOT NULL,
    original_name   TEXT NOT NULL,
    original_subject TEXT NOT NULL,
    original_date   TEXT,
    original_headers TEXT NOT NULL,            -- JSON [[name, value], ...] for the guard's second look
    original_text   TEXT NOT NULL,             -- the customer's new text (summary)
    facts           TEXT NOT NULL,             -- JSON: orders, tracking, dates, attachments, missing info
    intent          TEXT,
    confidence      REAL,
    automated       INTEGER NOT NULL DEFAULT 0,
    action          TEXT NOT NULL,
    rule            TEXT,
    trace           TEXT NOT NULL,             -- JSON list: the decision's trace
    delivery_trace  TEXT NOT NULL,             -- JSON list: mode, allowlist and guard verdicts
    -- the reply
    recipient       TEXT,                      -- NULL when no safe single recipient exists
    recipient_name  TEXT NOT NULL DEFAULT '',
    thread_key      TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,      -- fixed here, used by the Drafts copy and the sent reply
    in_reply_to     TEXT,
    references_ids  TEXT NOT NULL,             -- JSON list of msg-ids
    subject         TEXT NOT NULL,
    template        TEXT,
    body            TEXT NOT NULL,
    html            TEXT NOT NULL DEFAULT '',
    edited_body     TEXT,                      -- what the reviewer changed it to
    reviewer        TEXT,
    reviewed_at     TEXT,
    reject_reason   TEXT,
    -- the copy in the mailbox's Drafts folder
    imap_state      TEXT NOT NULL DEFAULT 'none'
                    CHECK (imap_state IN ('none', 'pending', 'appended', 'withdraw', 'withdrawn'))
);
CREATE INDEX IF NOT EXISTS delivery_drafts_status ON delivery_drafts (status, created_at);

CREATE TABLE IF NOT EXISTS delivery_outbox (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL UNIQUE REFERENCES delivery_drafts (id),
    message_id      TEXT NOT NULL UNIQUE,
    envelope_from   TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    thread_key      TEXT NOT NULL,
    automatic       INTEGER NOT NULL,          -- 1: sent without review (counts against the guard's limits)
    raw             BLOB NOT NULL,             -- the exact bytes, fixed before any attempt
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    -- in `sending`: 'connect' until the DATA command, then 'data' (the server may have it)
    phase           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT,
    sent_folder     TEXT NOT NULL DEFAULT 'none' CHECK (sent_folder IN ('none', 'pending', 'appended'))
);
CREATE INDEX IF NOT EXISTS delivery_outbox_state ON delivery_outbox (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS delivery_outbox_recipient ON delivery_outbox (recipient, created_at);
CREATE INDEX IF NOT EXISTS delivery_outbox_thread ON delivery_outbox (thread_key, created_at);

-- Approvals, edits, rejections and automatic decisions: the audit trail,
-- and (with the draft's original and reply) later training data.
CREATE TABLE IF NOT EXISTS delivery_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    draft_id    INTEGER NOT NULL,
    event       TEXT NOT NULL,   -- drafted, auto-queued, blocked, approved, edited, rejected, sent, failed, ...
    actor       TEXT NOT NULL,   -- a person's login, or "mailbot"
    detail      TEXT             -- JSON
);
CREATE INDEX IF NOT EXISTS delivery_events_draft ON delivery_events (draft_id);

CREATE TABLE IF NOT EXISTS delivery_bounced (
    address     TEXT PRIMARY KEY,   -- lower-case
    at          TEXT NOT NULL,
    reason      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS delivery_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL       -- JSON
);
"""


def ensure_tables(db: sqlite3.Connection) -> None:
    if not tables_exist(db):
        db.executescript(SCHEMA)
    elif not _drafts_know_handled(db):
        _add_handled_status(db)


def _drafts_know_handled(db: sqlite3.Connection) -> bool:
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'delivery_drafts'").fetchone()[0]
    return "'handled'" in sql


def _add_handled_status(db: sqlite3.Connection) -> None:
    """A store made before drafts could be handled by a person: its CHECK lacks 'handled'.

    SQLite cannot change a CHECK constraint in place, so the table is copied
    into one made from today's schema (https://sqlite.org/lang_altertable.html,
    "other kinds of table schema changes"), in one transaction.
    """
    create = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS delivery_drafts"):SCHEMA.index(");", SCHEMA.index(
        "CREATE TABLE IF NOT EXISTS delivery_drafts")) + 2]
    with transaction(db):
        if _drafts_know_handled(db):  # another process migrated it meanwhile
            return
        db.execute(create.replace("IF NOT EXISTS delivery_drafts", "delivery_drafts_new"))
        db.execute("INSERT INTO delivery_drafts_new SELECT * FROM delivery_drafts")
        db.execute("DROP TABLE delivery_drafts")
        db.execute("ALTER TABLE delivery_drafts_new RENAME TO delivery_drafts")
        db.execute("CREATE INDEX IF NOT EXISTS delivery_drafts_status ON delivery_drafts (status, created_at)")


def tables_exist(db: sqlite3.Connection) -> bool:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'delivery_%'")}
    return {"delivery_drafts", "delivery_outbox", "delivery_events", "delivery_bounced", "delivery_state"} <= names


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on the store's autocommit connection; nested use joins the outer one."""
    if db.in_transaction:
        yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
