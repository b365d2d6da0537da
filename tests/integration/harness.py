"""Driving `mailbot run` against a test Dovecot, and reading back what it did.

`Bot` writes a config for the server, runs the installed `mailbot` command
as a user would (a subprocess, so SIGTERM and SIGKILL are real), and
answers the questions the tests ask from the store's own records and from
the mailbox itself, never from logs.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomli_w

from mailbot.parse import parse
from mailbot.records import RawMessage

from .dovecot import PASSWORD_ENV, Dovecot

REPO = Path(__file__).resolve().parents[2]
TRIAGED = b"$MailbotTriaged"
FAILED = b"$MailbotFailed"
SEEN = b"\\Seen"

# A few kinds of support mail, so the pipeline takes different paths.
KINDS = (
    ("where is my order KS-{n}", "Hi,\nI ordered keycaps two weeks ago, order #{n}. Where is it?\nThanks, Ana"),
    ("keycaps arrived cracked", "Hello, order {n} arrived yesterday and two keycaps are cracked.\nJorg"),
    ("do you ship to Canada", "Hi! Do your SA profile sets fit a 65% board, and do you ship to Canada?\nSam"),
    ("cancel order {n}", "Please cancel my order {n}, I ordered the wrong colour by mistake.\nLee"),
    ("Out of Office: re your message", "I am out of the office until Monday with no access to email."),
)
AUTOMATED_KIND = len(KINDS) - 1


def support_mail(n: int, *, size: int = 0, message_id: bool = True) -> bytes:
    """Message number `n`: unique Message-ID and subject; `size` pads the body to about that many bytes."""
    subject, body = KINDS[n % len(KINDS)]
    msg = EmailMessage()
    msg["From"] = f"Customer {n} <customer{n}@example.com>"
    msg["To"] = "support@keysme.com"
    msg["Subject"] = f"{subject.format(n=10000 + n)} [{n}]"
    msg["Date"] = format_datetime(datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc) + timedelta(minutes=n))
    if message_id:
        msg["Message-ID"] = f"<test-{n}@example.com>"
    if n % len(KINDS) == AUTOMATED_KIND:
        msg["Auto-Submitted"] = "auto-replied"  # RFC 3834
    text = body.format(n=10000 + n)
    if size > len(text):
        text += "\n" + "\n".join("x" * 76 for _ in range(size // 77))
    msg.set_content(text)
    return msg.as_bytes().replace(b"\n", b"\r\n")


def identity(message: bytes) -> str:
    """The identity the daemon records the message under."""
    return parse(RawMessage("test", message)).identity


class Bot:
    def __init__(self, tmp_path: Path, server: Dovecot, *, account: dict | None = None, **daemon):
        self.tmp_path, self.server = tmp_path, server
        self.config_path = tmp_path / "mailbot.toml"
        self.store_path = tmp_path / "store.sqlite3"
        self.write_config(account=account, **daemon)

    def write_config(self, *, account: dict | None = None, accounts: list[dict] | None = None, **daemon) -> None:
        settings = {"poll_interval": 1, "reconnect_initial_seconds": 0.2, "reconnect_max_seconds": 2, **daemon}
        config = {"store": {"path": str(self.store_path)}, "daemon": settings,
                  "accounts": accounts or [account or self.server.account()]}
        self.config_path.write_text(tomli_w.dumps(config))

    @property
    def env(self) -> dict:
        return {**os.environ, PASSWORD_ENV: self.server.password}

    def command(self, *args: str) -> list[str]:
        return [str(Path(sys.executable).parent / "mailbot"), *args, "--config", str(self.config_path)]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), env=self.env, capture_output=True, text=True, timeout=timeout)

    def run_once(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        result = self.run("run", "--once", *args, timeout=timeout)
        assert result.returncode == 0, f"mailbot run --once exited {result.returncode}:\n{result.stderr[-3000:]}"
        return result

    def start(self, *args: str) -> subprocess.Popen:
        """The daemon, in the background; stderr goes to a file the test can read."""
        log = open(self.tmp_path / "daemon.log", "ab")
        return subprocess.Popen(self.command("run", *args), env=self.env, stdout=subprocess.DEVNULL, stderr=log)

    def stop(self, process: subprocess.Popen, timeout: float = 30) -> int:
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout)

    @property
    def daemon_log(self) -> str:
        path = self.tmp_path / "daemon.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # What the store says.

    def query(self, sql: str, *params) -> list[tuple]:
        if not self.store_path.exists():
            return []
        db = sqlite3.connect(self.store_path, timeout=30)
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return []
            raise
        finally:
            db.close()

    def decisions(self) -> dict[str, int]:
        """How many times each identity was decided, from the store's audit trail."""
        return dict(self.query("SELECT identity, COUNT(*) FROM audit WHERE event = 'decided' GROUP BY identity"))

    def decided_count(self) -> int:
        rows = self.query("SELECT COUNT(*) FROM audit WHERE event = 'decided'")
        return rows[0][0] if rows else 0  # no store, or its tables not created yet

    def wait_for_decisions(self, count: int, timeout: float, process: subprocess.Popen | None = None) -> None:
        self.wait_for(lambda: self.decided_count() >= count, timeout, process,
                      f"fewer than {count} decided after {timeout}s")

    def wait_for(self, condition, timeout: float, process: subprocess.Popen | None = None, what: str = "") -> None:
        """Until `condition()` holds; fails early if `process` (the daemon) exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if process is not None and process.poll() is not None:
                raise AssertionError(f"mailbot exited with {process.returncode}:\n{self.daemon_log[-3000:]}")
            time.sleep(0.02)
        raise AssertionError(f"{what or 'timed out'} ({timeout}s):\n{self.daemon_log[-3000:]}")

    def assert_exactly_once(self, messages: list[bytes]) -> None:
        expected = {identity(m) for m in messages}
        decisions = self.decisions()
        twice = {i: n for i, n in decisions.items() if n != 1}
        assert not twice, f"decided more than once: {twice}"
        missing = expected - decisions.keys()
        assert not missing, f"{len(missing)} of {len(expected)} messages never decided"
        assert decisions.keys() == expected, f"unexpected decisions: {decisions.keys() - expected}"
        attempts = self.query("SELECT COUNT(*), SUM(attempts) FROM messages WHERE status = 'decided'")[0]
        assert attempts == (len(expected), len(expected))


def flags(server: Dovecot, folder: str = "INBOX") -> dict[int, set[bytes]]:
    """UID -> flags of every message in `folder`, looked at without changing anything."""
    with server.client() as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        return {uid: set(data[b"FLAGS"]) for uid, data in imap.fetch(uids, ["FLAGS"]).items()} if uids else {}


def assert_marked(server: Dovecot, count: int, folder: str = "INBOX") -> None:
    """`count` messages in `folder`, each triaged with an intent keyword, none marked read."""
    seen = flags(server, folder)
    assert len(seen) == count, f"{len(seen)} messages in {folder}, expected {count}"
    for uid, f in seen.items():
        assert TRIAGED in f, f"UID {uid} lacks $MailbotTriaged: {f}"
        assert any(k.startswith(b"$MailbotIntent_") for k in f), f"UID {uid} lacks an intent keyword: {f}"
        assert SEEN not in f, f"UID {uid} was marked \\Seen"
