"""The store remembers decisions: a second run reuses them instead of deciding again."""

import json

from conftest import EXAMPLES
from mailbot.records import RawMessage
from mailbot.store import Store

MESSAGE = b"""From: Ana <ana@example.com>\r
To: support@keysme.com\r
Subject: where is my order\r
Date: Tue, 03 Nov 2026 10:00:00 +0100\r
Message-ID: <abc-1@example.com>\r
\r
Hi, where is my order #10492? It has been two weeks.\r
"""


def test_second_run_reuses_the_decision(pipeline_factory, tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    pipeline = pipeline_factory(store=store)
    first = pipeline.triage(RawMessage("a.eml", MESSAGE))
    # Decide differently now: the stored decision must still win.
    pipeline.rules = []
    again = pipeline.triage(RawMessage("b.eml", MESSAGE))
    assert again == {**first, "source": "b.eml"}
    attempts = store.db.execute("SELECT attempts FROM messages").fetchall()
    assert attempts == [(1,)]


def test_redecide_decides_again(pipeline_factory, tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    pipeline = pipeline_factory(store=store)
    pipeline.triage(RawMessage("a.eml", MESSAGE))
    pipeline.rules = []
    again = pipeline.triage(RawMessage("a.eml", MESSAGE), redecide=True)
    assert again["rule"] == "no-rule-matched"
    assert store.db.execute("SELECT attempts FROM messages").fetchone() == (2,)


def test_a_message_without_message_id_is_known_by_its_content(pipeline_factory, tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    pipeline = pipeline_factory(store=store)
    raw = MESSAGE.replace(b"Message-ID: <abc-1@example.com>\r\n", b"")
    first = pipeline.triage(RawMessage("a.eml", raw))
    assert first["message_id"] is None
    pipeline.triage(RawMessage("a.eml", raw))
    changed = pipeline.triage(RawMessage("a.eml", raw.replace(b"two weeks", b"three weeks")))
    assert changed["error"] is None
    assert store.db.execute("SELECT COUNT(*), SUM(attempts) FROM messages").fetchone() == (2, 2)


def test_same_message_id_with_other_content_is_a_different_message(pipeline_factory, tmp_path):
    # Test corpora and broken clients reuse Message-IDs: do not merge their decisions.
    store = Store(tmp_path / "s.sqlite3")
    pipeline = pipeline_factory(store=store)
    pipeline.triage(RawMessage("a.eml", MESSAGE))
    other = pipeline.triage(RawMessage("b.eml", MESSAGE.replace(b"where is my order", b"cancel my order")))
    assert other["subject"] == "cancel my order"
    assert store.db.execute("SELECT COUNT(*) FROM messages").fetchone() == (2,)


def test_triage_twice_from_the_command_line_decides_once(mailbot, tmp_path):
    store_path = tmp_path / "s.sqlite3"
    args = ("triage", "--json", "--store", str(store_path), str(EXAMPLES / "inbox"))
    first = mailbot(*args, check=True).stdout
    second = mailbot(*args, check=True).stdout
    assert first == second
    store = Store(store_path)
    total, attempts = store.db.execute("SELECT COUNT(*), SUM(attempts) FROM messages").fetchone()
    assert total == attempts == len(first.splitlines())
    assert all(json.loads(l)["error"] is None for l in first.splitlines())


def test_triage_never_writes_the_daemons_store(mailbot, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[store]\npath = "mailbot.sqlite3"\n', encoding="utf-8")
    mailbot("triage", "--config", str(config), str(EXAMPLES / "inbox"), check=True)
    assert not (tmp_path / "mailbot.sqlite3").exists()
    assert (tmp_path / "mailbot.triage.sqlite3").exists()
