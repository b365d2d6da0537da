"""The customer's HTML and attachments, kept with the draft so the console can show them.

Written by intake in the draft's own transaction.  Bounded: the HTML is cut
at MAX_HTML characters, and an attachment larger than
`web.keep_attachment_bytes` (or past `web.keep_message_bytes` for the whole
message) is listed by name and size without its bytes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..config import Config
from ..records import ParsedMessage
from .reviewtables import ensure_review_tables

MAX_HTML = 500_000


@dataclass(frozen=True)
class KeptAttachment:
    draft_id: int
    position: int
    filename: str
    content_type: str
    size: int
    kept: bool  # its bytes are in the store

    @property
    def is_image(self) -> bool:
        return self.content_type.lower().startswith("image/") and self.kept


def keep_original(db: sqlite3.Connection, draft_id: int, parsed: ParsedMessage, config: Config) -> None:
    ensure_review_tables(db)
    if parsed.text_html:
        db.execute("INSERT OR REPLACE INTO review_originals (draft_id, html) VALUES (?, ?)",
                   (draft_id, parsed.text_html[:MAX_HTML]))
    budget = config.web.keep_message_bytes
    for position, part in enumerate(p for p in parsed.parts if not p.forwarded):
        size = len(part.payload)
        keep = size <= config.web.keep_attachment_bytes and size <= budget
        budget -= size if keep else 0
        db.execute("INSERT OR REPLACE INTO review_attachments (draft_id, position, filename, content_type, size, data) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   (draft_id, position, part.filename or f"part-{position + 1}", part.declared_type or "",
                    size, part.payload if keep else None))


def original_html(db: sqlite3.Connection, draft_id: int) -> str:
    ensure_review_tables(db)
    row = db.execute("SELECT html FROM review_originals WHERE draft_id = ?", (draft_id,)).fetchone()
    return row[0] if row else ""


def attachments(db: sqlite3.Connection, draft_id: int) -> list[KeptAttachment]:
    ensure_review_tables(db)
    rows = db.execute("SELECT draft_id, position, filename, content_type, size, data IS NOT NULL "
                      "FROM review_attachments WHERE draft_id = ? ORDER BY position", (draft_id,)).fetchall()
    return [KeptAttachment(*row[:5], kept=bool(row[5])) for row in rows]


def attachment_bytes(db: sqlite3.Connection, draft_id: int, position: int) -> tuple[KeptAttachment, bytes] | None:
    ensure_review_tables(db)
    row = db.execute("SELECT draft_id, position, filename, content_type, size, data FROM review_attachments "
                     "WHERE draft_id = ? AND position = ? AND data IS NOT NULL", (draft_id, position)).fetchone()
    if row is None:
        return None
    return KeptAttachment(*row[:5], kept=True), bytes(row[5])
