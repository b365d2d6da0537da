"""Small parts of the daemon that need no server: backoff, log lines, the store's checkpoints."""

from __future__ import annotations

import random

import pytest

from mailbot.daemon.backoff import Backoff
from mailbot.daemon.logfmt import logfmt
from mailbot.store import MailboxEntry, Store, read_checkpoints


def test_backoff_doubles_up_to_the_maximum_with_jitter_below_each_ceiling():
    backoff = Backoff(1.0, 10.0, random.Random(7))
    delays = [backoff.next_delay() for _ in range(8)]
    ceilings = [1, 2, 4, 8, 10, 10, 10, 10]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings)), delays
    assert len(set(delays)) == len(delays)  # jittered, not lockstep
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_logfmt_quotes_what_would_split_a_field():
    line = logfmt("message", uid=7, message_id="<a b@x>", intent=None, ms=3.14159, error='say "hi"\nbye')
    assert line == 'message uid=7 message_id="<a b@x>" intent=- ms=3.1 error="say \\"hi\\"\\nbye"'


def test_the_checkpoint_only_moves_forward_and_only_within_its_uidvalidity(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    checkpoint = store.start_checkpoint("support", "INBOX", 111)
    checkpoint = store.commit_mailbox(checkpoint, 10, [MailboxEntry(10, "mid:a", "<a@x>", "triaged")])
    store.commit_mailbox(checkpoint, 5, [])
    assert store.checkpoint("support", "INBOX").last_uid == 10
    store.start_checkpoint("support", "INBOX", 222)  # UIDVALIDITY changed: start again
    store.commit_mailbox(checkpoint, 50, [])  # a late commit for the old UIDVALIDITY changes nothing
    assert (store.checkpoint("support", "INBOX").uidvalidity, store.checkpoint("support", "INBOX").last_uid) == (222, 0)


def test_a_store_from_before_the_daemon_is_migrated_and_keeps_its_decisions(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE messages (identity TEXT PRIMARY KEY, message_id TEXT, source TEXT NOT NULL,
            status TEXT NOT NULL, intent TEXT, action TEXT, result TEXT NOT NULL, error TEXT,
            attempts INTEGER NOT NULL DEFAULT 1, first_seen TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, identity TEXT NOT NULL,
            event TEXT NOT NULL, detail TEXT);
        INSERT INTO messages VALUES ('mid:a', '<a@x>', 'a.eml', 'decided', 'other', 'escalate_human',
            '{"intent": "other"}', NULL, 1, 'then', 'then');
        PRAGMA user_version = 1;
    """)
    old.close()
    store = Store(path)
    assert store.decided("mid:a") == {"intent": "other"}
    assert store.db.execute("PRAGMA user_version").fetchone()[0] >= 2
    assert store.checkpoint("support", "INBOX") is None


def test_checkpoints_are_read_without_creating_or_writing_a_store(tmp_path):
    missing = tmp_path / "none.sqlite3"
    assert read_checkpoints(missing) == [] and not missing.exists()
    store = Store(tmp_path / "s.sqlite3")
    store.start_checkpoint("support", "INBOX", 9, 4)
    store.close()
    assert [(c.folder, c.uidvalidity, c.last_uid) for c in read_checkpoints(tmp_path / "s.sqlite3")] == [
        ("INBOX", 9, 4)]


def test_without_dovecot_the_imap_tests_fail_saying_what_to_install(monkeypatch):
    # A missing server must fail the suite, never skip it: a skipped IMAP test never runs.
    from . import dovecot
    from .conftest import start_dovecot

    monkeypatch.setattr(dovecot.shutil, "which", lambda name: None)
    monkeypatch.setattr(dovecot.os.path, "exists", lambda path: False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install dovecot-imapd"):
        start_dovecot()
