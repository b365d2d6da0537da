"""A store made before drafts could be handled by a person gains the `handled` status, its drafts kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from mailbot.delivery import tables
from mailbot.delivery.drafts import Drafts

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
WITH_HANDLED = "'blocked', 'handled')"


def old_store(path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    assert WITH_HANDLED in tables.SCHEMA
    db.executescript(tables.SCHEMA.replace(WITH_HANDLED, "'blocked')"))  # the schema as it was
    db.execute("INSERT INTO delivery_drafts (identity, created_at, updated_at, status, original_from, original_name, "
               "original_subject, original_headers, original_text, facts, action, trace, delivery_trace, thread_key, "
               "message_id, references_ids, subject, body, imap_state) VALUES ('i', 't', 't', 'pending', 'a@x', '', "
               "'s', '[]', 'text', '{}', 'order_status_info', '[]', '[]', 'k', '<d@x>', '[]', 'Re: s', 'body', "
               "'appended')")
    db.execute("INSERT INTO delivery_events (at, draft_id, event, actor) VALUES ('t', 1, 'drafted', 'mailbot')")
    return db


def test_an_old_store_is_migrated_and_its_drafts_can_then_be_handled_by_a_person(tmp_path):
    db = old_store(tmp_path / "old.sqlite3")
    try:
        db.execute("UPDATE delivery_drafts SET status = 'handled' WHERE id = 1")
        raise AssertionError("the old schema accepted 'handled': the test proves nothing")
    except sqlite3.IntegrityError:
        pass
    drafts = Drafts(db)  # opening it migrates
    assert drafts.get(1).body == "body" and drafts.get(1).imap_state == "appended"
    assert drafts.mark_handled_by_person(1, "deleted", NOW)
    assert drafts.get(1).status == "handled" and drafts.get(1).imap_state == "withdrawn"
    assert [e for _, e, _, _ in drafts.events(1)] == ["drafted", "handled-by-person"]
    assert not drafts.mark_handled_by_person(1, "deleted", NOW)  # only a pending draft
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "delivery_drafts_status" in indexes
    Drafts(db)  # and opening it again changes nothing
    assert db.execute("SELECT COUNT(*) FROM delivery_drafts").fetchone()[0] == 1
