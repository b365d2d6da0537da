"""Issue 14, bar 3: the store is not the only memory, against a real Dovecot and aiosmtpd.

A new store over a mailbox an earlier store handled (its keywords on the
messages, its replies in Sent) must send nothing twice; `mailbot store
rebuild` recreates a store from the mailbox; a second daemon through a
symlink to the first one's store is refused.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.config import load_config
from mailbot.daemon.lock import StoreBusy, StoreLock
from mailbot.daemon.runner import Daemon
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.outbox import Outbox
from mailbot.store import Store

from .conftest import customer_mail, folder_messages, mailbot, wait_until, write_config

pytestmark = pytest.mark.integration

TRIAGED = b"$MailbotTriaged"
CUSTOMERS = ("ana", "bea", "cid")


def mail(n: int, name: str) -> bytes:
    return customer_mail(n, sender=f"{name.title()} <{name}@example.com>",
                         body=f"Hi, where is my order? It has been two weeks now. {name.title()}")


@pytest.fixture
def handled_mailbox(pipeline_factory, tmp_path, smtp_server, dovecot, imap_password):
    """A mailbox an earlier store handled in mode "send": three customers answered, replies in Sent."""
    dovecot.append([mail(n, name) for n, name in enumerate(CUSTOMERS, 1)])
    first = tmp_path / "first"
    first.mkdir()
    path = write_config(first, mode="send", smtp=smtp_server, imap=dovecot, auto_send_min_confidence=0.5)
    config = load_config(path)
    Daemon(config, pipeline_factory(config), config.store_path()).run_once()
    assert sorted(r.rcpt_tos[0] for r in smtp_server.handler.accepted) == [f"{n}@example.com" for n in CUSTOMERS]
    assert len(folder_messages(dovecot, "Sent")) == 3
    return config


def new_store_config(tmp_path: Path, smtp_server, dovecot) -> Path:
    second = tmp_path / "second"
    second.mkdir(exist_ok=True)
    return write_config(second, mode="send", smtp=smtp_server, imap=dovecot, auto_send_min_confidence=0.5)


def test_a_new_store_over_a_handled_mailbox_sends_nothing_twice(handled_mailbox, pipeline_factory, tmp_path,
                                                                smtp_server, dovecot):
    # One message lost its keyword (a crash between the commit and the marking, or a person's
    # mail client): only the Sent folder still says that Cid was answered.
    with dovecot.client("INBOX") as imap:
        [cid_uid] = [uid for uid, data in imap.fetch(imap.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (FROM)]"]).items()
                     if b"cid@" in data[b"BODY[HEADER.FIELDS (FROM)]"]]
        imap.remove_flags([cid_uid], [TRIAGED])
    dovecot.append([mail(4, "dee")])  # and new mail that nobody has answered yet

    config = load_config(new_store_config(tmp_path, smtp_server, dovecot))
    assert not config.store_path().exists()
    for _ in range(2):
        Daemon(config, pipeline_factory(config), config.store_path()).run_once()

    answered = sorted(r.rcpt_tos[0] for r in smtp_server.handler.accepted)
    assert answered == ["ana@example.com", "bea@example.com", "cid@example.com", "dee@example.com"]
    store = Store(config.store_path())
    results = {json.loads(r)["from"]: json.loads(r) for (r,) in store.db.execute("SELECT result FROM messages")}
    for name in ("ana", "bea"):  # marked in the mailbox: recorded, not decided
        assert results[f"{name}@example.com"]["rule"] == "handled-by-an-earlier-store"
        assert results[f"{name}@example.com"]["intent"] is not None  # read back from $MailbotIntent_*
    [cid_draft] = [d for d in Drafts(store.db).with_status("auto", "pending", "approved")
                   if d.original_from == "cid@example.com"]
    entry = Outbox(store.db).for_draft(cid_draft.id)
    assert entry.state == "failed" and "ALREADY ANSWERED" in entry.last_error
    assert "ALREADY ANSWERED" in mailbot("review", "list", config=Path(config.source)).stdout
    assert all(TRIAGED in flags for flags, _ in folder_messages(dovecot, "INBOX"))
    assert len(folder_messages(dovecot, "Sent")) == 4


def test_redecide_decides_marked_mail_again_and_sent_still_stops_a_second_reply(handled_mailbox, pipeline_factory,
                                                                                tmp_path, smtp_server, dovecot):
    config = load_config(new_store_config(tmp_path, smtp_server, dovecot))
    Daemon(config, pipeline_factory(config), config.store_path(), redecide=True).run_once()
    assert len(smtp_server.handler.accepted) == 3  # no second reply to anyone
    store = Store(config.store_path())
    failed = [e for e in Outbox(store.db).with_state("failed") if "ALREADY ANSWERED" in (e.last_error or "")]
    assert len(failed) == 3


def test_store_rebuild_recreates_the_store_from_the_mailbox(handled_mailbox, smtp_server, dovecot):
    config = handled_mailbox
    store_path = config.store_path()
    before = {uid: flags for uid, flags in _flags(dovecot).items()}
    refused = mailbot("store", "rebuild", config=Path(config.source))
    assert refused.returncode == 3 and "move the damaged store aside" in refused.stderr

    store_path.rename(store_path.with_suffix(".broken"))
    rebuilt = mailbot("store", "rebuild", config=Path(config.source))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "support/INBOX: 3 of 3 messages marked by an earlier store" in rebuilt.stdout
    assert "checkpoint at UID 3" in rebuilt.stdout
    assert _flags(dovecot) == before  # read, never changed
    checked = mailbot("store", "check", config=Path(config.source))
    assert checked.returncode == 0 and "OK" in checked.stdout, checked.stdout + checked.stderr

    dovecot.append([mail(4, "dee")])
    ran = mailbot("run", "--once", config=Path(config.source))
    assert ran.returncode == 0, ran.stderr
    answered = sorted(r.rcpt_tos[0] for r in smtp_server.handler.accepted)
    assert answered == ["ana@example.com", "bea@example.com", "cid@example.com", "dee@example.com"]


def _flags(dovecot) -> dict:
    with dovecot.client("INBOX") as imap:
        return {uid: set(data[b"FLAGS"]) for uid, data in imap.fetch(imap.search("ALL"), ["FLAGS"]).items()}


def test_a_second_daemon_through_a_symlinked_store_is_refused(tmp_path, smtp_server, dovecot, imap_password):
    dovecot.append([mail(1, "ana")])
    path = write_config(tmp_path, mode="draft", smtp=smtp_server, imap=dovecot)
    config = load_config(path)
    link = tmp_path / "elsewhere" / "same-store.sqlite3"
    link.parent.mkdir()
    link.symlink_to(config.store_path())
    first = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "run", "--config", str(path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def held() -> bool:
            try:
                with StoreLock(config.store_path()):
                    return False
            except StoreBusy:
                return True
        def decided() -> bool:
            if not config.store_path().exists():
                return False
            return Store(config.store_path()).db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 1
        wait_until(lambda: held() and decided(), timeout=120, what="the first daemon holding its store")
        second = mailbot("run", "--once", "--store", str(link), config=path)
        assert second.returncode == 1, second.stderr
        assert "another `mailbot run` is using the store" in second.stderr and f"pid {first.pid}" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
    store = Store(config.store_path())
    assert store.db.execute("SELECT attempts FROM messages").fetchall() == [(1,)]  # decided once, by the first


def test_the_daemon_ages_mail_by_its_arrival_not_its_date(pipeline_factory, tmp_path, smtp_server, dovecot,
                                                          imap_password):
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc).replace(microsecond=0)
    with dovecot.client() as imap:
        # Arrived ten days ago, though its Date says today: old mail, for a person.
        imap.append("INBOX", customer_mail(1, sender="Ana <ana@example.com>", written=now,
                                           body="Hi, where is my order? It has been two weeks now. Ana"),
                    msg_time=now - timedelta(days=10))
        # Arrived now, though its Date is a month ahead: answered once.
        imap.append("INBOX", customer_mail(2, sender="Bea <bea@example.com>", written=now + timedelta(days=30),
                                           body="Hi, where is my order? It has been two weeks now. Bea"),
                    msg_time=now)
    config = load_config(new_store_config(tmp_path, smtp_server, dovecot))
    Daemon(config, pipeline_factory(config), config.store_path()).run_once()
    assert [r.rcpt_tos for r in smtp_server.handler.accepted] == [["bea@example.com"]]
    [held] = Drafts(Store(config.store_path()).db).with_status("pending")
    assert held.original_from == "ana@example.com"
    assert any("since it arrived" in line for line in json.loads(held.delivery_trace))
