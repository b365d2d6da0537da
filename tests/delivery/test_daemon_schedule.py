"""`mailbot run` sends the outbox on its own schedule, and puts drafts in the Drafts folder, with no other command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from integration.dovecot import PASSWORD_ENV

from .conftest import customer_mail, folder_messages, mailbot, wait_until, write_config

pytestmark = pytest.mark.integration


def test_the_daemon_drafts_and_sends_on_its_own_schedule(tmp_path, smtp_server, dovecot):
    path = write_config(tmp_path, mode="send", smtp=smtp_server, imap=dovecot, send_interval_seconds=0.5,
                        auto_send_min_confidence=0.5)
    path.write_text(path.read_text() + "[daemon]\npoll_interval = 1\nidle = false\n")
    dovecot.append([customer_mail(1),  # order status: goes alone
                    customer_mail(2, subject="return", body="I want to return my order 10509, it does not fit.")])
    log = open(tmp_path / "daemon.log", "ab")
    env = {**os.environ, PASSWORD_ENV: dovecot.password}
    daemon = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "run", "--config", str(path)],
                              env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_until(lambda: len(smtp_server.handler.accepted) == 1, 90, "the automatic reply sent by the daemon")
        wait_until(lambda: len(folder_messages(dovecot, "Drafts")) == 1, 30, "the return's draft in Drafts")
        approve = mailbot("review", "approve", _pending_id(path), config=path, env=env)
        assert approve.returncode == 0, approve.stderr
        wait_until(lambda: len(smtp_server.handler.accepted) == 2, 30, "the approved reply sent by the daemon")
        wait_until(lambda: folder_messages(dovecot, "Drafts") == [], 30, "the approved draft taken out of Drafts")
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(60)
    assert code == 0, (tmp_path / "daemon.log").read_text()[-3000:]
    assert [r.rcpt_tos for r in smtp_server.handler.accepted] == [["ana@example.com"]] * 2
    assert len(folder_messages(dovecot, "Sent")) == 2


def _pending_id(path) -> str:
    listed = mailbot("review", "list", config=path).stdout
    return next(line.split()[0] for line in listed.splitlines() if line.startswith("  "))
