"""The store: SQLite, one file, the bot's memory.

Each triaged message is recorded under its identity (Message-ID based, or a
content hash) with its decision and trace, so a second run over the same
mail reuses the decision instead of deciding twice.  A failed message is
kept with its error: `mailbot triage` tries it again on its next run; the
daemon flags it in the mailbox and leaves it to a person (`mailbot status`).

Schema 2 adds the daemon's memory of each IMAP folder: a checkpoint
(UIDVALIDITY and the last UID handled) and a row per message it marked, so
`mailbot status` can say where each folder stands and what was quarantined.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from .storecheck import StoreProblem, ensure_usable, note_opened
from .storecheck import problem as store_problem

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    identity   TEXT PRIMARY KEY,
    message_id TEXT,
    source     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('decided', 'failed')),
    intent     TEXT,
    action     TEXT,
    result     TEXT NOT NULL,   -- the JSON line `mailbot triage --json` prints
    error      TEXT,
    attempts   INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    updated    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_message_id ON messages (message_id);
CREATE TABLE IF NOT EXISTS audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    identity TEXT NOT NULL,
    event    TEXT NOT NULL,
    detail   TEXT
);
-- Schema 2: the daemon's place in each watched IMAP folder.  UIDs mean
-- nothing across UIDVALIDITY values (RFC 3501 2.3.1.1), so they are kept with it.
CREATE TABLE IF NOT EXISTS imap_folders (
    account       TEXT NOT NULL,
    folder        TEXT NOT NULL,
    uidvalidity   INTEGER,            -- NULL until the folder was first selected
    last_uid      INTEGER NOT NULL DEFAULT 0,  -- every UID up to this one is handled
    last_poll     TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    -- A message whose FETCH failed when fetched alone, and how often: some servers
    -- drop the connection on a message they cannot read (see daemon/folder.py).
    suspect_uid      INTEGER,
    suspect_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, folder)
);
CREATE TABLE IF NOT EXISTS imap_messages (
    account     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    identity    TEXT NOT NULL,
    message_id  TEXT,
    state       TEXT NOT NULL CHECK (state IN ('triaged', 'failed', 'oversize')),
    intent      TEXT,
    action      TEXT,
    moved_to    TEXT,
    error       TEXT,
    handled     TEXT NOT NULL,
    PRIMARY KEY (account, folder, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS imap_messages_identity ON imap_messages (identity);
"""

MAILBOX_STATES = ("triaged", "failed", "oversize")


@dataclass(frozen=True)
class Checkpoint:
    """Where the daemon stands in one folder."""

    account: str
    folder: str
    uidvalidity: int
    last_uid: int
    suspect_uid: int | None = None
    suspect_failures: int = 0


@dataclass(frozen=True)
class MailboxEntry:
    """What the daemon did with one message in one folder."""

    uid: int
    identity: str
    message_id: str | None
    state: str  # one of MAILBOX_STATES
    intent: str | None = None
    action: str | None = None
    moved_to: str | None = None
    error: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path = ":memory:", *, any_thread: bool = False):
        """Open (and create or migrate) the store.

        `any_thread`: the daemon hands each folder's store from one scheduler
        thread to the next; it is never used by two threads at once.
        """
        self.path = str(path)
        note_opened(self.path)
        try:
            if self.path != ":memory:":
                ensure_usable(self.path)
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=not any_thread)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except (sqlite3.Error, OSError) as e:
            # Corrupt, full disk, read-only: one line with the cause and the fix (storecheck.py).
            raise store_problem(e, self.path) from e

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreProblem(f"the store {self.path} was written by a newer mailbot (schema {version}, this one "
                               f"knows {SCHEMA_VERSION}): upgrade mailbot")
        self.db.executescript(SCHEMA)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    def decided(self, identity: str) -> dict | None:
        """The stored result of a message already decided, or None."""
        row = self.db.execute(
            "SELECT result FROM messages WHERE identity = ? AND status = 'decided'", (identity,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def record(self, identity: str, result: dict) -> None:
        """Record a decision or a failure, in one transaction with its audit line."""
        status = "failed" if result.get("error") else "decided"
        now = _now()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                """INSERT INTO messages (identity, message_id, source, status, intent, action, result,
                                         error, first_seen, updated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (identity) DO UPDATE SET
                     source = excluded.source, status = excluded.status, intent = excluded.intent,
                     action = excluded.action, result = excluded.result, error = excluded.error,
                     attempts = messages.attempts + 1, updated = excluded.updated""",
                (identity, result.get("message_id"), result.get("source") or "", status, result.get("intent"),
                 result.get("action"), json.dumps(result, ensure_ascii=False), result.get("error"), now, now),
            )
            self.db.execute(
                "INSERT INTO audit (at, identity, event, detail) VALUES (?, ?, ?, ?)",
                (now, identity, status, result.get("error") or f"{result.get('intent')} -> {result.get('action')}"),
            )

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall())

    def failed(self) -> list[tuple[str, str, str]]:
        return self.db.execute(
            "SELECT identity, source, error FROM messages WHERE status = 'failed' ORDER BY updated DESC"
        ).fetchall()

    # The daemon's IMAP checkpoints (schema 2).

    def checkpoint(self, account: str, folder: str) -> Checkpoint | None:
        row = self.db.execute(
            """SELECT uidvalidity, last_uid, suspect_uid, suspect_failures FROM imap_folders
               WHERE account = ? AND folder = ?""", (account, folder)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return Checkpoint(account, folder, *row)

    def start_checkpoint(self, account: str, folder: str, uidvalidity: int, last_uid: int = 0) -> Checkpoint:
        """Start (or restart, after a UIDVALIDITY change) a folder's checkpoint."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                """INSERT INTO imap_folders (account, folder, uidvalidity, last_uid) VALUES (?, ?, ?, ?)
                   ON CONFLICT (account, folder) DO UPDATE SET
                     uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
                     suspect_uid = NULL, suspect_failures = 0""",
                (account, folder, uidvalidity, last_uid),
            )
        return Checkpoint(account, folder, uidvalidity, last_uid)

    def commit_mailbox(self, checkpoint: Checkpoint, last_uid: int, entries: Iterable[MailboxEntry]) -> Checkpoint:
        """Record the messages handled and move the checkpoint to `last_uid`, in one transaction.

        The checkpoint only moves forward, and only within its UIDVALIDITY.
        """
        now = _now()
        c = checkpoint
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                """INSERT OR REPLACE INTO imap_messages (account, folder, uidvalidity, uid, identity, message_id,
                                                         state, intent, action, moved_to, error, handled)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(c.account, c.folder, c.uidvalidity, e.uid, e.identity, e.message_id, e.state, e.intent, e.action,
                  e.moved_to, e.error, now) for e in entries],
            )
            self.db.execute(
                """UPDATE imap_folders SET last_uid = MAX(last_uid, ?)
                   WHERE account = ? AND folder = ? AND uidvalidity = ?""",
                (last_uid, c.account, c.folder, c.uidvalidity),
            )
            self.db.execute(
                """UPDATE imap_folders SET suspect_uid = NULL, suspect_failures = 0
                   WHERE account = ? AND folder = ? AND suspect_uid <= last_uid""",
                (c.account, c.folder),
            )
        return self.checkpoint(c.account, c.folder) or c

    def note_suspect(self, checkpoint: Checkpoint, uid: int) -> Checkpoint:
        """Count one more failed FETCH of message `uid` on its own."""
        c = checkpoint
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                """UPDATE imap_folders SET
                     suspect_failures = CASE WHEN suspect_uid = ? THEN suspect_failures + 1 ELSE 1 END,
                     suspect_uid = ?
                   WHERE account = ? AND folder = ? AND uidvalidity = ?""",
                (uid, uid, c.account, c.folder, c.uidvalidity),
            )
        return self.checkpoint(c.account, c.folder) or c

    def note_poll(self, account: str, folder: str) -> None:
        self._upsert_folder(account, folder, "last_poll = excluded.last_poll", last_poll=_now())

    def note_error(self, account: str, folder: str, error: str) -> None:
        self._upsert_folder(account, folder, "last_error = excluded.last_error, last_error_at = excluded.last_error_at",
                            last_error=error, last_error_at=_now())

    def _upsert_folder(self, account: str, folder: str, update: str, **values: str) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                f"""INSERT INTO imap_folders (account, folder, {columns}) VALUES (?, ?, {marks})
                    ON CONFLICT (account, folder) DO UPDATE SET {update}""",
                (account, folder, *values.values()),
            )

    def folder_report(self) -> list[dict]:
        """Each folder's checkpoint, last poll, last error and message counts by state (this UIDVALIDITY)."""
        folders = self.db.execute(
            """SELECT account, folder, uidvalidity, last_uid, last_poll, last_error, last_error_at
               FROM imap_folders ORDER BY account, folder"""
        ).fetchall()
        report = []
        for account, folder, uidvalidity, last_uid, last_poll, last_error, last_error_at in folders:
            counts = dict(self.db.execute(
                """SELECT state, COUNT(*) FROM imap_messages
                   WHERE account = ? AND folder = ? AND uidvalidity = ? GROUP BY state""",
                (account, folder, uidvalidity),
            ).fetchall())
            report.append({"account": account, "folder": folder, "uidvalidity": uidvalidity, "last_uid": last_uid,
                           "last_poll": last_poll, "last_error": last_error, "last_error_at": last_error_at,
                           "counts": {state: counts.get(state, 0) for state in MAILBOX_STATES}})
        return report

    def quarantined(self) -> list[dict]:
        """The messages the daemon could not triage, newest first, with their errors."""
        rows = self.db.execute(
            """SELECT account, folder, uidvalidity, uid, identity, message_id, moved_to, error, handled
               FROM imap_messages WHERE state = 'failed' ORDER BY handled DESC, uid DESC"""
        ).fetchall()
        keys = ("account", "folder", "uidvalidity", "uid", "identity", "message_id", "moved_to", "error", "handled")
        return [dict(zip(keys, row)) for row in rows]


def read_checkpoints(path: str | Path) -> list[Checkpoint]:
    """The checkpoints in a store file, read without writing anything (for dry runs); none if it does not exist."""
    if str(path) == ":memory:" or not Path(path).exists():
        return []
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "imap_folders" not in tables:
            return []
        rows = db.execute(
            "SELECT account, folder, uidvalidity, last_uid FROM imap_folders WHERE uidvalidity IS NOT NULL"
        ).fetchall()
        return [Checkpoint(*row) for row in rows]
    finally:
        db.close()
