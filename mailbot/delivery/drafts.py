"""The review queue: one draft per decided message, with everything a reviewer reads before approving.

A draft keeps the original's summary, the facts, the intent and confidence,
the rule trace, the delivery trace (mode, allowlist, guard) and the reply.
Every change of state is an event with who did it, so approvals, edits and
rejections can later become training data.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from datetime import datetime

from ..config import Config
from ..records import ParsedMessage
from .compose import ReplySpec, decision_header
from .tables import ensure_tables, timestamp, transaction


@dataclass(frozen=True)
class Draft:
    id: int
    identity: str
    created_at: str
    updated_at: str
    status: str
    original_message_id: str | None
    original_from: str
    original_name: str
    original_subject: str
    original_date: str | None
    original_headers: str
    original_text: str
    facts: str
    intent: str | None
    confidence: float | None
    automated: int
    action: str
    rule: str | None
    trace: str
    delivery_trace: str
    recipient: str | None
    recipient_name: str
    thread_key: str
    message_id: str
    in_reply_to: str | None
    references_ids: str
    subject: str
    template: str | None
    body: str
    html: str
    edited_body: str | None
    reviewer: str | None
    reviewed_at: str | None
    reject_reason: str | None
    imap_state: str

    @property
    def final_body(self) -> str:
        return self.edited_body if self.edited_body is not None else self.body

    def headers(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in json.loads(self.original_headers))

    def original(self) -> ParsedMessage:
        """The original as the guard needs it for a second look (headers, sender, text)."""
        headers = self.headers()
        content_type = next((v.split(";")[0].strip().lower() for k, v in headers if k == "content-type"),
                            "text/plain")
        return ParsedMessage(
            source=f"draft {self.id}", identity=self.identity, message_id=self.original_message_id,
            from_addr=self.original_from, from_name=self.original_name, reply_to=None, to=(),
            subject=self.original_subject, date=None, headers=headers, content_type=content_type,
            text_plain=self.original_text, text_html="", parts=(), forwarded_text="", size=0)

    def reply_spec(self, config: Config) -> ReplySpec:
        if self.recipient is None:
            raise ValueError(f"draft {self.id} has no recipient")
        html = self.html if self.edited_body is None else ""  # an edited text makes the HTML version stale
        return ReplySpec(
            message_id=self.message_id, from_name=config.reply.from_name,
            from_address=config.reply.support_address, recipient=self.recipient,
            recipient_name=self.recipient_name, subject=self.subject, in_reply_to=self.in_reply_to,
            references=tuple(json.loads(self.references_ids)), body=self.final_body, html=html,
            decision=decision_header(self.action, self.rule, self.intent, self.confidence, self.id))


COLUMNS = [f.name for f in fields(Draft)]
MAIL_CLIENT = "mail-client"  # the actor of what a person did in their own mail client, unnamed


@dataclass(frozen=True)
class QueueRow:
    """What the review queue lists of a pending draft: only these columns are read, so 5,000 rows stay cheap."""

    id: int
    created_at: str
    original_from: str
    original_name: str
    original_subject: str
    intent: str | None
    confidence: float | None
    action: str
    rule: str | None
    age_seconds: int  # at the time of the query


QUEUE_COLUMNS = ", ".join(f.name for f in fields(QueueRow)[:-1])


class Drafts:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        ensure_tables(db)

    def create(self, values: dict, now: datetime) -> tuple[int, bool]:
        """(id, created): a message already drafted keeps its first draft."""
        existing = self.db.execute("SELECT id FROM delivery_drafts WHERE identity = ?", (values["identity"],)).fetchone()
        if existing:
            return existing[0], False
        row = {**values, "created_at": timestamp(now), "updated_at": timestamp(now)}
        names = ", ".join(row)
        cursor = self.db.execute(f"INSERT INTO delivery_drafts ({names}) VALUES ({', '.join('?' * len(row))})",
                                 tuple(row.values()))
        return cursor.lastrowid, True

    def get(self, draft_id: int) -> Draft | None:
        row = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM delivery_drafts WHERE id = ?", (draft_id,)).fetchone()
        return Draft(*row) if row else None

    def with_status(self, *statuses: str, limit: int = 1000) -> list[Draft]:
        """Newest first."""
        marks = ", ".join("?" * len(statuses))
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM delivery_drafts WHERE status IN ({marks}) "
                               "ORDER BY created_at DESC, id DESC LIMIT ?", (*statuses, limit)).fetchall()
        return [Draft(*r) for r in rows]

    def queue_rows(self, now: datetime, *, intent: str | None = None, action: str | None = None,
                   limit: int = -1, offset: int = 0) -> tuple[list[QueueRow], int]:
        """(a page of the pending drafts, newest first, optionally of one intent and one action; how many match).

        Ages are computed by SQLite; rows come from the review_queue index alone (reviewtables.py).
        """
        where, args = ["status = 'pending'"], []
        for column, value in (("intent", intent), ("action", action)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        condition = " AND ".join(where)
        rows = self.db.execute(f"SELECT {QUEUE_COLUMNS}, CAST((julianday(?) - julianday(created_at)) * 86400 AS INTEGER) "
                               f"FROM delivery_drafts WHERE {condition} "
                               "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                               (timestamp(now), *args, limit, offset)).fetchall()
        matching = self.db.execute(f"SELECT COUNT(*) FROM delivery_drafts WHERE {condition}", args).fetchone()[0]
        return [QueueRow(*r) for r in rows], matching

    def pending_counts(self) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
        """Pending drafts counted by action and by intent, largest first."""
        def count(column: str) -> tuple[tuple[str, int], ...]:
            return tuple(self.db.execute(
                f"SELECT COALESCE({column}, '-'), COUNT(*) AS n FROM delivery_drafts WHERE status = 'pending' "
                f"GROUP BY 1 ORDER BY n DESC, 1").fetchall())
        return count("action"), count("intent")

    def next_pending(self, draft_id: int) -> int | None:
        """The pending draft after this one in the queue's order (older), else the newest other one."""
        draft = self.db.execute("SELECT created_at FROM delivery_drafts WHERE id = ?", (draft_id,)).fetchone()
        if draft is not None:
            row = self.db.execute(
                "SELECT id FROM delivery_drafts WHERE status = 'pending' AND (created_at < ? OR "
                "(created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT 1",
                (draft[0], draft[0], draft_id)).fetchone()
            if row:
                return row[0]
        row = self.db.execute("SELECT id FROM delivery_drafts WHERE status = 'pending' AND id != ? "
                              "ORDER BY created_at DESC, id DESC LIMIT 1", (draft_id,)).fetchone()
        return row[0] if row else None

    def needing_person(self) -> list[Draft]:
        """Escalations (any state but rejected) and replies the loop guard stopped, newest first."""
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM delivery_drafts "
                               "WHERE (action = 'escalate_human' AND status != 'rejected') OR status = 'blocked' "
                               "ORDER BY created_at DESC, id DESC").fetchall()
        return [Draft(*r) for r in rows]

    def for_mailbox(self, imap_state: str) -> list[Draft]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM delivery_drafts WHERE imap_state = ? ORDER BY id",
                               (imap_state,)).fetchall()
        return [Draft(*r) for r in rows]

    def update(self, draft_id: int, now: datetime, **changes) -> None:
        sets = ", ".join(f"{k} = ?" for k in changes)
        self.db.execute(f"UPDATE delivery_drafts SET {sets}, updated_at = ? WHERE id = ?",
                        (*changes.values(), timestamp(now), draft_id))

    def transition(self, draft_id: int, from_statuses: tuple[str, ...], now: datetime, **changes) -> bool:
        """Change a draft only if it is still in one of `from_statuses`: two reviewers, one decision."""
        sets = ", ".join(f"{k} = ?" for k in changes)
        marks = ", ".join("?" * len(from_statuses))
        cursor = self.db.execute(
            f"UPDATE delivery_drafts SET {sets}, updated_at = ? WHERE id = ? AND status IN ({marks})",
            (*changes.values(), timestamp(now), draft_id, *from_statuses))
        return cursor.rowcount == 1

    def mark_appended(self, draft_id: int, now: datetime) -> None:
        """The Drafts-folder copy is in; if a reviewer decided meanwhile, it is to be taken out again."""
        cursor = self.db.execute("UPDATE delivery_drafts SET imap_state = 'appended', updated_at = ? "
                                 "WHERE id = ? AND imap_state = 'pending'", (timestamp(now), draft_id))
        if cursor.rowcount == 0:
            self.db.execute("UPDATE delivery_drafts SET imap_state = 'withdraw', updated_at = ? WHERE id = ?",
                            (timestamp(now), draft_id))

    def mark_handled_by_person(self, draft_id: int, how: str, now: datetime, **detail) -> bool:
        """A person sent or deleted the draft's copy in the Drafts folder from their own mail client.

        From then on the draft is theirs: `handled`, which no approval can take
        back to the outbox, so the bot never sends it as well.  False when the
        draft was no longer pending (a reviewer decided it meanwhile).
        """
        with self.transaction():
            if not self.transition(draft_id, ("pending",), now, status="handled", imap_state="withdrawn",
                                   reviewed_at=timestamp(now)):
                return False
            self.event(draft_id, "handled-by-person", MAIL_CLIENT, now, how=how, **detail)
        return True

    def add_trace(self, draft_id: int, lines: list[str], now: datetime) -> None:
        draft = self.get(draft_id)
        if draft is not None:
            self.update(draft_id, now, delivery_trace=json.dumps([*json.loads(draft.delivery_trace), *lines]))

    def event(self, draft_id: int, event: str, actor: str, now: datetime, **detail) -> None:
        self.db.execute("INSERT INTO delivery_events (at, draft_id, event, actor, detail) VALUES (?, ?, ?, ?, ?)",
                        (timestamp(now), draft_id, event, actor, json.dumps(detail, ensure_ascii=False)))

    def events(self, draft_id: int) -> list[tuple[str, str, str, dict]]:
        rows = self.db.execute("SELECT at, event, actor, detail FROM delivery_events WHERE draft_id = ? ORDER BY id",
                               (draft_id,)).fetchall()
        return [(at, event, actor, json.loads(detail or "{}")) for at, event, actor, detail in rows]

    def transaction(self):
        return transaction(self.db)
