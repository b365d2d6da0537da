"""What reviewers taught: the store's reviewed drafts as labelled examples.

`mailbot model train --with-reviews` adds these to the corpus.  A person
approving a draft confirms the intent it was drafted under; a person who
rejects a draft and names the right intent teaches the model that intent.  A
rejection without a corrected intent says the reply was wrong, not the
intent, so it teaches nothing here.

The corrected intent is what the review console and `mailbot review
approve|reject --intent` record in `review_labels` (delivery/reviewtables.py);
an event whose detail carries `corrected_intent` counts too.  Drafts that went out without a
person (`auto`) are not reviewed and are left out.
"""

from __future__ import annotations

import json
import sqlite3

from .corpus import Example

CORRECTED = "corrected_intent"


def reviewed_examples(store) -> list[Example]:
    """Approved drafts with their (possibly corrected) intent, and rejected drafts with a corrected intent.

    `store`: a `mailbot.store.Store` or its sqlite3 connection.
    """
    from . import INTENTS

    db: sqlite3.Connection = getattr(store, "db", store)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"delivery_drafts", "delivery_events"} <= tables:
        return []  # a store no draft was ever written to
    corrected = _corrected_intents(db)
    examples = []
    rows = db.execute("SELECT id, status, intent, original_subject, original_text FROM delivery_drafts "
                      "WHERE status IN ('approved', 'rejected') ORDER BY id")
    for draft_id, status, intent, subject, text in rows:
        right = corrected.get(draft_id) or (intent if status == "approved" else None)
        if right not in INTENTS or not (text or "").strip():
            continue
        examples.append(Example(subject or "", text, right, f"review:draft {draft_id} ({status})"))
    return examples


def _corrected_intents(db: sqlite3.Connection) -> dict[int, str]:
    corrected = _from_events(db)
    has_labels = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_labels'").fetchone()
    if has_labels:
        corrected.update(dict(db.execute("SELECT draft_id, intent FROM review_labels")))
    return corrected


def _from_events(db: sqlite3.Connection) -> dict[int, str]:
    corrected: dict[int, str] = {}
    for draft_id, detail in db.execute("SELECT draft_id, detail FROM delivery_events ORDER BY id"):
        try:
            data = json.loads(detail or "{}")
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and isinstance(data.get(CORRECTED), str) and data[CORRECTED].strip():
            corrected[draft_id] = data[CORRECTED].strip()  # the newest wins: rows come oldest first
    return corrected
