"""Issue 11, bar 3: the Drafts folder as a second way to review, against a real Dovecot and aiosmtpd.

A reviewer sends one draft from their own mail client (simulated as a client
does it: the reply appended to Sent with a Message-ID of the client's own,
the draft deleted from Drafts) and deletes another.  The running daemon
records both as handled by a person, and nothing is sent by mailbot, neither
by the daemon nor by a later approval or `send-approved`.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
from email.policy import default as default_policy
from pathlib import Path

import pytest

from integration.dovecot import PASSWORD_ENV
from mailbot.delivery.draftwatch import DELETED, SENT
from mailbot.delivery.drafts import Drafts
from mailbot.store import Store

from .conftest import customer_mail, folder_messages, mailbot, wait_until, write_config

pytestmark = pytest.mark.integration


def drafts_in_folder(dovecot) -> dict[str, email.message.Message]:
    return {m["Message-ID"]: m for _, m in folder_messages(dovecot, "Drafts")}


def send_from_mail_client(dovecot, draft: email.message.Message) -> None:
    """What Thunderbird does with a draft: a new Message-ID, the copy into Sent, the draft deleted."""
    sent = email.message_from_bytes(draft.as_bytes(), policy=default_policy)
    del sent["Message-ID"]
    sent["Message-ID"] = "<thunderbird-4711@keysme.com>"
    dovecot.append([sent.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")], folder="Sent")
    delete_from_drafts(dovecot, draft["Message-ID"])


def delete_from_drafts(dovecot, message_id: str) -> None:
    with dovecot.client("Drafts") as imap:
        uids = imap.search(["HEADER", "Message-ID", message_id])
        assert uids
        imap.delete_messages(uids)
        imap.expunge()


def test_a_draft_sent_or_deleted_in_a_mail_client_is_handled_by_a_person_and_never_sent(tmp_path, smtp_server,
                                                                                       dovecot):
    # Sending only once an hour: drafts reaching the Drafts folder in seconds come from their own path.
    path = write_config(tmp_path, mode="draft", smtp=smtp_server, imap=dovecot, send_interval_seconds=3600)
    path.write_text(path.read_text() + "[daemon]\npoll_interval = 1\n")
    env = {**os.environ, PASSWORD_ENV: dovecot.password}
    log = open(tmp_path / "daemon.log", "ab")
    daemon = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "run", "--config", str(path)],
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    store = None
    try:
        daemon_log = lambda: (tmp_path / "daemon.log").read_text(errors="replace")  # noqa: E731
        wait_until(lambda: "poll account=support" in daemon_log(), 120, "the daemon's first poll")
        # The first (and, for an hour, only) sending pass ran at start-up; the mail comes after it.
        dovecot.append([customer_mail(n, body=f"Hi, where is my order 10517? It has been a while. ({n})\nAna\n")
                        for n in (1, 2, 3)])
        wait_until(lambda: len(drafts_in_folder(dovecot)) == 3, 60, "three drafts in the Drafts folder")

        store = Store(path.parent / "store.sqlite3")
        drafts = {d.message_id: d for d in Drafts(store.db).with_status("pending")}
        in_folder = drafts_in_folder(dovecot)
        assert set(in_folder) == set(drafts)
        by_original = {d.original_message_id: d for d in drafts.values()}
        to_send = by_original["<customer-1@example.com>"]
        to_delete = by_original["<customer-2@example.com>"]
        untouched = by_original["<customer-3@example.com>"]

        send_from_mail_client(dovecot, in_folder[to_send.message_id])
        delete_from_drafts(dovecot, to_delete.message_id)

        def status(draft_id: int) -> str:
            return store.db.execute("SELECT status FROM delivery_drafts WHERE id = ?", (draft_id,)).fetchone()[0]

        wait_until(lambda: status(to_send.id) == "handled" and status(to_delete.id) == "handled", 60,
                   "both drafts recorded as handled by a person")
        assert status(untouched.id) == "pending"
        events = {d.id: [(e, actor, detail) for _, e, actor, detail in Drafts(store.db).events(d.id)]
                  for d in (to_send, to_delete)}
        assert events[to_send.id][-1] == ("handled-by-person", "mail-client", {"how": SENT, "folder": "Drafts"})
        assert events[to_delete.id][-1] == ("handled-by-person", "mail-client", {"how": DELETED, "folder": "Drafts"})

        # Nobody can send them through mailbot any more: an approval is refused, a sending pass sends nothing.
        approve = mailbot("review", "approve", str(to_send.id), config=path, env=env)
        assert approve.returncode != 0 and "handled" in approve.stderr, approve.stderr
        passes = mailbot("send-approved", config=path, env=env)
        assert passes.returncode == 0, passes.stderr
        assert smtp_server.handler.accepted == []
        assert [m["Message-ID"] for _, m in folder_messages(dovecot, "Sent")] == ["<thunderbird-4711@keysme.com>"]
        assert set(drafts_in_folder(dovecot)) == {untouched.message_id}  # the untouched one stays for review
    finally:
        if store is not None:
            store.close()
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(60)
    assert code == 0, (tmp_path / "daemon.log").read_text()[-3000:]
    assert smtp_server.handler.accepted == []
