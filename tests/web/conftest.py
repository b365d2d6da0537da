"""Fixtures for the review console: a store with drafts made by the real pipeline, reviewers, an app.

The HTTP tests drive the Starlette application in-process (TestClient);
the browser tests (test_browser.py) start `mailbot web` and Debian's
Chromium against a real Dovecot and aiosmtpd.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from delivery.conftest import drafted_store
from mailbot.records import RawMessage
from mailbot.web.users import Users

PASSWORD = "a long test password"


def png(width: int = 64, height: int = 48, colour=(200, 40, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def mail_with_photo(n: int, *, photo: bytes, subject: str = "keycap arrived cracked", html: str | None = None,
                    sender: str = "Ana Lopez <ana@example.com>") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@keysme.com"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5))
    msg["Message-ID"] = f"<photo-{n}@example.com>"
    msg.set_content("Hi, my order 10517 arrived and one keycap is cracked, photo attached. Ana\n")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    msg.add_attachment(photo, maintype="image", subtype="png", filename="cracked.png")
    return msg.as_bytes()


@pytest.fixture
def drafted(pipeline_factory, tmp_path):
    """A config and a store on disk with four pending drafts (one with a photo and HTML), and a reviewer."""
    path, config, store, pipeline = drafted_store(pipeline_factory, tmp_path, [
        ("where is my order", None),
        ("question about keycaps", "Hello, do your SA profile keycaps fit a 65% keyboard? Thanks, Ana"),
        ("return", "I want to return my order 10517, it does not fit."),
    ])
    pipeline.triage(RawMessage("4.eml", mail_with_photo(4, photo=png(), html="<p>Hi, <b>cracked</b> keycap</p>")))
    users = Users(store.db)
    users.add("alice", PASSWORD, datetime.now(timezone.utc))
    users.add("bob", PASSWORD, datetime.now(timezone.utc))
    yield path, config, store
    store.close()


class Sleeps:
    """Records the delays the login asks for instead of waiting them."""

    def __init__(self):
        self.asked: list[float] = []
        self.lock = threading.Lock()

    async def __call__(self, seconds: float) -> None:
        with self.lock:
            self.asked.append(seconds)


@pytest.fixture
def console(drafted):
    """(client factory, config, store, sleeps): a TestClient per reviewer, none logged in."""
    from starlette.testclient import TestClient

    from mailbot.web.app import create_app

    path, config, store = drafted
    sleeps = Sleeps()
    app = create_app(config, config.store_path(), secure_cookies=False, sleep=sleeps)

    def client() -> TestClient:
        return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)

    return client, config, store, sleeps


def login(client, name: str = "alice", password: str = PASSWORD):
    page = client.get("/login")
    token = page.text.split('name="login_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"name": name, "password": password, "login_token": token, "next": "/"})


def csrf_of(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
