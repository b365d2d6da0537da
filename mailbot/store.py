"""The store: SQLite, one file, the bot's memory.

Each triaged message is recorded under its identity (Message-ID based, or a
content hash) with its decision and trace, so a second run over the same
mail reuses the decision instead of deciding twice.  A failed message is
kept with its error and is retried on the next run.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA_VERSION = 1
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
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: store written by a newer mailbot (schema {version})")
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
