"""Fixtures for delivery: a real SMTP server (aiosmtpd's Controller), the shared Dovecot, configs, mail.

The Dovecot fixtures are the daemon's (tests/integration/conftest.py),
imported here so both suites start the same server the same way.
"""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
import tomli_w

from integration.conftest import dovecot  # noqa: F401  (the daemon suite's fixture, shared)
from integration.dovecot import PASSWORD_ENV

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return email.message_from_bytes(self.data, policy=default_policy)


@dataclass
class SmtpHandler:
    """Records what it accepts; can refuse RCPT or DATA, and react to each accepted message."""

    accepted: list[Received] = field(default_factory=list)
    data_attempts: int = 0
    refuse_rcpt: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 5.1.1 no such user"
    data_replies: list[str] = field(default_factory=list)  # replies to the next DATA commands, then 250
    on_accept: Callable[[Received], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_rcpt:
            return self.refuse_rcpt[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_attempts += 1
            if self.data_replies:
                return self.data_replies.pop(0)
            received = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
            self.accepted.append(received)
        if self.on_accept is not None:
            self.on_accept(received)
        return "250 2.0.0 OK queued"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: SmtpHandler

    def settings(self) -> dict:
        """[delivery.smtp] for this server: clear text, which the config allows only to loopback."""
        return {"host": self.host, "port": self.port, "tls": "none", "allow_plaintext": True}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """aiosmtpd's Controller on 127.0.0.1 and a free port."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        pytest.fail("the SMTP tests need aiosmtpd: pip install '.[test]'", pytrace=False)
    handler = SmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer("127.0.0.1", port, handler)
    controller.stop()


# Configs

# The sample orders, with order 10517 placed by Ana, the customer these tests
# write as: an order's status goes only to the address that placed it.
ORDERS = Path(__file__).resolve().parent / "orders.csv"


def write_config(tmp_path: Path, *, mode: str = "draft", smtp: SmtpServer | None = None, imap=None,
                 orders: bool = True, **delivery) -> Path:
    """A config file for these servers; `imap` is a Dovecot whose Drafts and Sent folders are used."""
    config: dict = {"mode": mode, "store": {"path": str(tmp_path / "store.sqlite3")}}
    if orders:
        # The fixture file is as old as the checkout; its age is tested in tests/test_orderdata.py.
        config["policy"] = {"orders": str(ORDERS), "orders_max_age_hours": 24 * 365 * 100}
    if imap is not None:
        delivery = {"imap_account": "support", **delivery}
    if delivery or smtp:
        config["delivery"] = dict(delivery)
    if smtp is not None:
        config["delivery"]["smtp"] = smtp.settings()
    if imap is not None:
        config["accounts"] = [imap.account()]
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps(config))
    return path



@pytest.fixture
def imap_password(monkeypatch, dovecot):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return dovecot.password


# Mail


def customer_mail(n: int = 1, *, subject: str = "where is my order", body: str | None = None,
                  sender: str = "Ana Lopez <ana@example.com>", reply_to: str | None = None,
                  references: str | None = None, extra: dict | None = None, written: datetime | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@keysme.com"
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    # By default written minutes ago: mail older than delivery.auto_send_max_age_hours is never answered alone.
    written = written or datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=60 - n % 60)
    msg["Date"] = format_datetime(written)
    msg["Message-ID"] = f"<customer-{n}@example.com>"
    if references:
        msg["References"] = references
        msg["In-Reply-To"] = references.split()[-1]
    for key, value in (extra or {}).items():
        msg[key] = value
    msg.set_content(body or "Hi,\nI ordered keycaps two weeks ago, order #10517. Where is it?\nThanks, Ana\n")
    return msg.as_bytes().replace(b"\n", b"\r\n")


# Reading a folder back


def folder_messages(server, folder: str) -> list[tuple[set, email.message.Message]]:
    """(flags, message) of every message in `folder`, read without changing anything."""
    with server.client() as imap:
        if not imap.folder_exists(folder):
            return []
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        fetched = imap.fetch(uids, ["FLAGS", "BODY.PEEK[]"]) if uids else {}
        return [(set(data[b"FLAGS"]), email.message_from_bytes(data[b"BODY[]"], policy=default_policy))
                for _, data in sorted(fetched.items())]


# The installed command, as users run it


def mailbot(*args: str, config: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "mailbot"), *args, "--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def wait_until(condition: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not true after {timeout}s")


def drafted_store(pipeline_factory, tmp_path: Path, mails: list[tuple[str, str | None]]):
    """A config on disk and its store, with each (subject, body) mail triaged into a pending draft."""
    from mailbot.config import load_config
    from mailbot.delivery.intake import Delivery
    from mailbot.records import RawMessage
    from mailbot.store import Store

    path = write_config(tmp_path)
    config = load_config(path)
    store = Store(config.store_path())
    pipeline = pipeline_factory(config, store=store)
    pipeline.deliver = Delivery(config, store)
    for n, (subject, body) in enumerate(mails, 1):
        pipeline.triage(RawMessage(f"{n}.eml", customer_mail(n, subject=subject, body=body)))
    return path, config, store, pipeline
