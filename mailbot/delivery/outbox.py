"""The outbox: queued -> sending -> sent, or failed; each reply's bytes fixed before the first attempt.

`sending` is committed before the connection is opened, with phase
'connect'; phase 'data' is committed just before the DATA command.  So a
reply found in `sending` after a crash tells how far it got: in 'connect'
the server never had it and it is queued again; in 'data' the server may
have accepted it, and only the Sent folder can say (runner.recover).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from .tables import ensure_tables, timestamp


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    draft_id: int
    message_id: str
    envelope_from: str
    recipient: str
    thread_key: str
    automatic: int
    raw: bytes
    state: str
    phase: str | None
    attempts: int
    next_attempt_at: str
    last_error: str | None
    created_at: str
    updated_at: str
    sent_at: str | None
    sent_folder: str


COLUMNS = ", ".join(f.name for f in fields(OutboxEntry))


def backoff(attempts: int, initial: float, maximum: float) -> timedelta:
    """Exponential: initial, 2x, 4x... capped, after the `attempts`-th temporary failure."""
    return timedelta(seconds=min(maximum, initial * 2 ** max(0, attempts - 1)))


class Outbox:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        ensure_tables(db)

    def queue(self, draft_id: int, message_id: str, envelope_from: str, recipient: str, thread_key: str,
              automatic: bool, raw: bytes, now: datetime) -> int:
        cursor = self.db.execute(
            """INSERT INTO delivery_outbox (draft_id, message_id, envelope_from, recipient, thread_key, automatic,
                   raw, state, attempts, next_attempt_at, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)""",
            (draft_id, message_id, envelope_from, recipient, thread_key, int(automatic), raw,
             timestamp(now), timestamp(now), timestamp(now)))
        return cursor.lastrowid

    def get(self, entry_id: int) -> OutboxEntry | None:
        row = self.db.execute(f"SELECT {COLUMNS} FROM delivery_outbox WHERE id = ?", (entry_id,)).fetchone()
        return OutboxEntry(*row) if row else None

    def for_draft(self, draft_id: int) -> OutboxEntry | None:
        row = self.db.execute(f"SELECT {COLUMNS} FROM delivery_outbox WHERE draft_id = ?", (draft_id,)).fetchone()
        return OutboxEntry(*row) if row else None

    def due(self, now: datetime) -> list[OutboxEntry]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM delivery_outbox WHERE state = 'queued' AND next_attempt_at <= ? "
                               "ORDER BY next_attempt_at, id", (timestamp(now),)).fetchall()
        return [OutboxEntry(*r) for r in rows]

    def with_state(self, state: str) -> list[OutboxEntry]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM delivery_outbox WHERE state = ? ORDER BY updated_at DESC, id DESC",
                               (state,)).fetchall()
        return [OutboxEntry(*r) for r in rows]

    def sent_folder_pending(self) -> list[OutboxEntry]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM delivery_outbox WHERE state = 'sent' AND sent_folder = 'pending' "
                               "ORDER BY id").fetchall()
        return [OutboxEntry(*r) for r in rows]

    def claim(self, entry_id: int, now: datetime) -> bool:
        """queued -> sending, committed; False if another process took it first."""
        cursor = self.db.execute(
            "UPDATE delivery_outbox SET state = 'sending', phase = 'connect', attempts = attempts + 1, "
            "updated_at = ? WHERE id = ? AND state = 'queued'", (timestamp(now), entry_id))
        return cursor.rowcount == 1

    def entering_data(self, entry_id: int, now: datetime) -> None:
        """From here on, a crash leaves the server possibly holding the reply."""
        self.db.execute("UPDATE delivery_outbox SET phase = 'data', updated_at = ? WHERE id = ?",
                        (timestamp(now), entry_id))

    def mark_sent(self, entry_id: int, now: datetime, *, sent_folder: str, note: str | None = None) -> None:
        self.db.execute(
            "UPDATE delivery_outbox SET state = 'sent', phase = NULL, sent_at = ?, updated_at = ?, sent_folder = ?, "
            "last_error = ? WHERE id = ?", (timestamp(now), timestamp(now), sent_folder, note, entry_id))

    def defer(self, entry_id: int, error: str, next_attempt: datetime, now: datetime) -> None:
        self.db.execute(
            "UPDATE delivery_outbox SET state = 'queued', phase = NULL, last_error = ?, next_attempt_at = ?, "
            "updated_at = ? WHERE id = ?", (error, timestamp(next_attempt), timestamp(now), entry_id))

    def fail(self, entry_id: int, error: str, now: datetime, *, in_doubt: bool = False) -> None:
        """Kept and shown; phase 'data' stays only when the server may have the reply."""
        self.db.execute(
            "UPDATE delivery_outbox SET state = 'failed', phase = ?, last_error = ?, updated_at = ? WHERE id = ?",
            ("data" if in_doubt else None, error, timestamp(now), entry_id))

    def requeue(self, entry_id: int, now: datetime) -> bool:
        cursor = self.db.execute(
            "UPDATE delivery_outbox SET state = 'queued', phase = NULL, next_attempt_at = ?, updated_at = ? "
            "WHERE id = ? AND state IN ('failed', 'sending')", (timestamp(now), timestamp(now), entry_id))
        return cursor.rowcount == 1

    def withdraw(self, entry_id: int) -> bool:
        """Take back a queued reply (automatic, past a limit): a person decides instead.

        Only from `queued`: every earlier attempt of a queued reply ended in a
        definite refusal, so the server does not have it.
        """
        cursor = self.db.execute("DELETE FROM delivery_outbox WHERE id = ? AND state = 'queued'",
                                 (entry_id,))
        return cursor.rowcount == 1

    def set_sent_folder(self, entry_id: int, value: str) -> None:
        self.db.execute("UPDATE delivery_outbox SET sent_folder = ? WHERE id = ?", (value, entry_id))

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT state, COUNT(*) FROM delivery_outbox GROUP BY state").fetchall())
