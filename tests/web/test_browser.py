"""The review console in a real browser: Debian's Chromium driven by Playwright, against `mailbot web`.

One world for the module (the model load and the browser start are the
slow parts): a real Dovecot holding the sample inbox and a hostile
message, `mailbot run --once` deciding them into drafts, a real SMTP
server (aiosmtpd), a `mailbot web` process, and one browser with a fresh
profile.  What a test checks it reads from the SMTP server, the store and
the browser's own request log, never from the console's word.

Screenshots of the queue and a draft go to a temporary folder; with
MAILBOT_SCREENSHOTS=docs they replace docs/review-queue.png and
docs/review-draft.png (docs/review.md shows them).
"""

from __future__ import annotations

import http.server
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w

from delivery.conftest import EXAMPLES, SmtpHandler, free_port, write_config
from integration.conftest import start_dovecot
from integration.dovecot import PASSWORD_ENV
from mailbot.sources import read_paths

from .conftest import PASSWORD, png

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"
HOSTILE_FROM = "mallory@example.com"


class Trap(http.server.BaseHTTPRequestHandler):
    """A server on 127.0.0.1 that the hostile message points every remote load at: it must never be asked."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Trap.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


def hostile_mail(trap: str) -> bytes:
    """Script tags, event handlers, javascript: links, CSS that covers the page, remote images, in every part."""
    msg = EmailMessage()
    msg["From"] = f'"<img src=x onerror=alert(\'from\')>" <{HOSTILE_FROM}>'
    msg["To"] = "support@keysme.com"
    msg["Subject"] = "<script>alert('subject')</script> where is order 10517?"
    msg["Date"] = format_datetime(datetime.now(timezone.utc) - timedelta(minutes=3))
    msg["Message-ID"] = "<hostile-1@example.com>"
    msg.set_content("Where is my order 10517? <script>alert('text')</script> <img src=x onerror=alert('text-img')>\n")
    msg.add_alternative(f"""<html><head>
<style>body {{ position: fixed; inset: 0; z-index: 2147483647; background: url({trap}/style-bg.png) red; }}</style>
<link rel="stylesheet" href="{trap}/sheet.css">
<script>alert('script'); fetch('{trap}/fetch');</script>
<meta http-equiv="refresh" content="0; url={trap}/refresh">
</head><body onload="alert('onload')">
<p>Where is my order 10517?</p>
<img src="{trap}/remote.png" onerror="alert('onerror')" width="1" height="1">
<img src="x" onerror="fetch('{trap}/onerror')">
<a href="javascript:alert('link')" id="js-link">track my parcel</a>
<div style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:url({trap}/overlay.png)">overlay</div>
<iframe src="{trap}/frame"></iframe>
<svg onload="alert('svg')"><image href="{trap}/svg.png"/></svg>
<object data="{trap}/object"></object>
<form action="{trap}/form"><input type="image" src="{trap}/input.png"></form>
</body></html>""", subtype="html")
    return msg.as_bytes().replace(b"\n", b"\r\n")


def keycap_photo() -> bytes:
    """A drawn "photo" of a cracked keycap: something a reviewer would recognise in the screenshot."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (222, 214, 200))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((150, 110, 490, 380), radius=36, fill=(60, 64, 72), outline=(30, 30, 34), width=6)
    draw.rounded_rectangle((200, 140, 440, 320), radius=24, fill=(84, 90, 100))
    draw.line((250, 150, 300, 230, 280, 290, 340, 370), fill=(240, 240, 240), width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_mail() -> bytes:
    """A defect report with a real photo, so the draft page shows a thumbnail from the store's copy."""
    msg = EmailMessage()
    msg["From"] = "Ana Lopez <ana@example.com>"
    msg["To"] = "support@keysme.com"
    msg["Subject"] = "cracked keycap in order 10517"
    msg["Date"] = format_datetime(datetime.now(timezone.utc) - timedelta(minutes=2))
    msg["Message-ID"] = "<photo-browser@example.com>"
    msg.set_content("Hi,\nmy order 10517 arrived yesterday and the spacebar keycap is cracked, photo attached.\nAna\n")
    msg.add_attachment(keycap_photo(), maintype="image", subtype="png", filename="IMG_2031.png")
    return msg.as_bytes().replace(b"\n", b"\r\n")


@dataclass
class World:
    base: str
    config: Path
    store: Path
    env: dict
    smtp: SmtpHandler
    page: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    shots: Path = DOCS

    def mailbot(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        command = [str(Path(sys.executable).parent / "mailbot"), *args, "--config", str(self.config)]
        return subprocess.run(command, env=self.env, input=stdin, capture_output=True, text=True, timeout=300)

    def query(self, sql: str, *params) -> list[tuple]:
        db = sqlite3.connect(self.store, timeout=30)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def pending(self) -> list[tuple]:
        return self.query("SELECT id, original_subject, action, recipient, message_id, original_from "
                          "FROM delivery_drafts WHERE status = 'pending' ORDER BY id")

    def open(self, draft_id: int) -> None:
        self.page.goto(f"{self.base}/drafts/{draft_id}")
        assert self.page.locator("h1").inner_text().startswith(f"Draft {draft_id}")


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from aiosmtpd.controller import Controller
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("the browser tests need Debian's Chromium: apt-get install chromium (scripts/test.sh does)",
                    pytrace=False)
    tmp = tmp_path_factory.mktemp("console")
    trap_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=trap_server.serve_forever, daemon=True).start()
    trap = f"http://127.0.0.1:{trap_server.server_address[1]}"
    dovecot = start_dovecot()
    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    web_process = playwright = context = None
    try:
        dovecot.append([raw.data for raw in read_paths([EXAMPLES / "inbox"])] + [hostile_mail(trap), photo_mail()])

        class Smtp:  # what write_config wants of an SMTP server
            host, port = "127.0.0.1", controller.port

            @staticmethod
            def settings():
                return {"host": "127.0.0.1", "port": controller.port, "tls": "none", "allow_plaintext": True}

        config_path = write_config(tmp, smtp=Smtp, imap=dovecot)
        port = free_port()
        settings = tomllib.loads(config_path.read_text())
        settings["web"] = {"port": port}
        config_path.write_text(tomli_w.dumps(settings))
        env = {**os.environ, PASSWORD_ENV: dovecot.password}
        world = World(f"http://127.0.0.1:{port}", config_path, tmp / "store.sqlite3", env, handler, page=None)
        decided = world.mailbot("run", "--once")
        assert decided.returncode == 0, decided.stderr[-3000:]
        added = world.mailbot("user", "add", "alice", stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr

        web_log = open(tmp / "web.log", "ab")
        web_process = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "web", "--config", str(config_path)],
                                       env=env, stdout=web_log, stderr=web_log)
        wait_for_http(world.base + "/login", web_process)

        playwright = sync_playwright().start()
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="mailbot-chromium-", dir=tmp), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1360, "height": 900})
        context.on("request", lambda request: world.requests.append(request.url))
        page = context.pages[0] if context.pages else context.new_page()

        def on_dialog(dialog) -> None:
            world.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        world.page = page
        world.playwright, world.tmp = playwright, tmp
        world.shots = DOCS if os.environ.get("MAILBOT_SCREENSHOTS") == "docs" else tmp
        world.trap_hits = Trap.hits
        world.web_process = web_process
        yield world
    finally:
        if context is not None:
            context.close()
        if playwright is not None:
            playwright.stop()
        if web_process is not None:
            web_process.send_signal(signal.SIGTERM)
            web_process.wait(30)
        controller.stop()
        trap_server.shutdown()
        dovecot.remove()


def log_in(world: World, password: str = PASSWORD) -> None:
    page = world.page
    page.goto(world.base + "/")
    assert page.url.startswith(world.base + "/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Log in").click()


def pick(world: World, action: str | None = None, exclude: tuple[int, ...] = ()) -> tuple:
    return next(d for d in world.pending()
                if d[0] not in exclude and d[3] and d[5] != HOSTILE_FROM and (action is None or d[2] == action))


# Bar 1: log in, the queue, approve, edit, reject, quality


def test_1_log_in_and_the_queue_shows_the_sample_inboxs_drafts(world):
    page = world.page
    log_in(world, "wrong password")
    assert page.get_by_role("alert").inner_text() == "Wrong name or password."
    log_in(world)
    assert page.url == world.base + "/"
    pending = world.pending()
    assert len(pending) >= 20  # the sample inbox's 34 messages, less those that need no reply
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == len(pending)
    assert page.locator("h1").inner_text() == f"Drafts waiting for review: {len(pending)}"
    listed = {int(t) for t in page.locator("table.queue tbody tr td:first-child").all_inner_texts()}
    assert listed == {d[0] for d in pending}
    newest_first = [int(t) for t in page.locator("table.queue tbody tr td:first-child").all_inner_texts()]
    assert newest_first[0] != min(listed)
    page.screenshot(path=str(world.shots / "review-queue.png"))


def test_2_approve_sends_the_reply_exactly_once(world):
    page = world.page
    draft_id, subject, action, recipient, message_id, _ = pick(world)
    world.open(draft_id)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state()
    assert "approved" in page.get_by_role("status").inner_text()
    assert world.query("SELECT status, reviewer FROM delivery_drafts WHERE id = ?", draft_id) == [("approved", "alice")]
    for _ in range(2):  # a second delivery pass must not send it again
        sent = world.mailbot("send-approved")
        assert sent.returncode == 0, sent.stderr
    copies = [r for r in world.smtp.accepted if r.message["Message-ID"] == message_id]
    assert len(copies) == 1 and copies[0].rcpt_tos == [recipient]
    assert len(world.smtp.accepted) == 1


def test_3_edit_and_approve_sends_the_edited_text(world):
    page = world.page
    draft_id, *_, message_id, _ = pick(world, exclude=())
    world.open(draft_id)
    body = page.locator("#body")
    edited = "Hello,\n\nA person at Keysme checked this one by hand: marker 7261.\n\nBest regards,\nAlice\n"
    body.fill(edited)
    page.get_by_role("button", name="Approve with edits").click()
    page.wait_for_load_state()
    assert world.mailbot("send-approved").returncode == 0
    [sent] = [r for r in world.smtp.accepted if r.message["Message-ID"] == message_id]
    text = sent.message.get_body(("plain",)).get_content()
    assert "marker 7261" in text and "Thank you for contacting" not in text
    events = world.query("SELECT detail FROM delivery_events WHERE draft_id = ? AND event = 'edited'", draft_id)
    assert len(events) == 1 and "marker 7261" in events[0][0]


def test_4_reject_needs_a_reason_and_keeps_it(world):
    page = world.page
    draft_id = pick(world)[0]
    world.open(draft_id)
    page.get_by_role("button", name="Reject").click()  # no reason: the browser does not even send it
    assert world.query("SELECT status FROM delivery_drafts WHERE id = ?", draft_id) == [("pending",)]
    page.fill("input[name=reason]", "the customer phoned us")
    page.select_option("#intent-select", "other")
    page.get_by_role("button", name="Reject").click()
    page.wait_for_load_state()
    assert world.query("SELECT status, reject_reason, reviewer FROM delivery_drafts WHERE id = ?", draft_id) == [
        ("rejected", "the customer phoned us", "alice")]
    assert world.query("SELECT intent, actor FROM review_labels WHERE draft_id = ?", draft_id) == [("other", "alice")]


def test_5_the_quality_page_counts_all_three(world):
    page = world.page
    page.goto(world.base + "/quality?days=7")
    totals = page.locator("#totals")
    assert totals.locator("b.unchanged").inner_text() == "1"
    assert totals.locator("b.edited").inner_text() == "1"
    assert totals.locator("b.rejected").inner_text() == "1"
    assert page.locator("#by-action svg rect").count() >= 3
    assert "the customer phoned us" in page.locator("#by-action").inner_text()


def test_6_keyboard_shortcuts_go_to_the_next_draft_and_to_the_reason(world):
    page = world.page
    draft_id = pick(world)[0]
    world.open(draft_id)
    following = page.locator("#next").get_attribute("href")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reason"
    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_url(world.base + following)


def test_7_a_draft_page_shows_the_photo_the_order_and_the_traces(world):
    page = world.page
    [(draft_id,)] = world.query("SELECT id FROM delivery_drafts WHERE original_message_id = '<photo-browser@example.com>'")
    world.open(draft_id)
    thumb = page.locator("img.thumb")
    thumb.wait_for()
    assert page.evaluate("document.querySelector('img.thumb').complete && document.querySelector('img.thumb').naturalWidth") == 240
    assert "IMG_2031.png" in page.locator("ul.attachments").inner_text()
    order = page.locator("div.order").inner_text()
    assert "Order 10517" in order and "K8" in order  # the order-data row, with its items
    assert page.locator("ol.trace li").count() >= 5
    page.screenshot(path=str(world.shots / "review-draft.png"), full_page=True)


# Bar 2: a hostile message runs nothing and fetches nothing


def test_8_a_hostile_message_runs_nothing_and_fetches_nothing(world):
    page = world.page
    [(draft_id,)] = world.query("SELECT id FROM delivery_drafts WHERE original_from = ?", HOSTILE_FROM)
    world.requests.clear()
    world.open(draft_id)
    page.locator("details.html-version summary").click()
    frame_element = page.locator("#original-html")
    frame_element.wait_for()
    page.wait_for_load_state("networkidle")
    time.sleep(1.0)  # room for anything delayed (meta refresh, onerror) to try
    assert world.dialogs == []
    assert world.trap_hits == []
    outside = [url for url in world.requests if not url.startswith(world.base + "/")]
    assert outside == [], outside
    assert f"{world.base}/drafts/{draft_id}/original" in world.requests  # the frame was loaded, and checked
    # The customer's text is shown as text, tags and all.
    assert "<script>alert('text')</script>" in page.locator("#customer-text").inner_text()
    assert "<script>alert('subject')</script>" in page.locator("dl.headers").first.inner_text()
    # Nothing covers the page: the Approve button is what is under its own centre.
    approve = page.get_by_role("button", name="Approve", exact=True)
    approve.scroll_into_view_if_needed()
    box = approve.bounding_box()
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).id",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]) == "approve"
    # Clicking the javascript: link inside the frame does nothing either.
    frame = page.frame_locator("#original-html")
    link = frame.get_by_text("track my parcel")
    assert link.get_attribute("href") is None
    link.click()
    time.sleep(0.5)
    assert world.dialogs == [] and world.trap_hits == []
    assert page.url == f"{world.base}/drafts/{draft_id}"


def test_9_mailbot_run_serves_the_console_in_the_same_process_when_enabled(world, tmp_path):
    settings = tomllib.loads(world.config.read_text())
    port = free_port()
    settings["web"] = {"enabled": True, "port": port}
    settings["daemon"] = {"poll_interval": 1}
    config = tmp_path / "daemon.toml"
    config.write_text(tomli_w.dumps(settings))
    log = open(tmp_path / "daemon.log", "ab")
    daemon = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "run", "--config", str(config)],
                              env=world.env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/login", daemon, timeout=120)
        page = world.page
        page.context.clear_cookies()  # cookies ignore the port: log in afresh
        page.goto(f"http://127.0.0.1:{port}/")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        assert page.locator("table.queue tbody tr").count() == len(world.pending())
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(60) == 0, (tmp_path / "daemon.log").read_text()[-2000:]


def test_10_everything_works_with_javascript_turned_off(world):
    context = world.playwright.chromium.launch_persistent_context(
        tempfile.mkdtemp(prefix="mailbot-chromium-nojs-", dir=world.tmp), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS, java_script_enabled=False)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(world.base + "/")
        page.fill("input[name=name]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        assert page.locator("table.queue tbody tr").count() == len(world.pending())
        approve_id = pick(world)[0]
        page.goto(f"{world.base}/drafts/{approve_id}")
        page.get_by_role("button", name="Approve", exact=True).click()
        reject_id = pick(world, exclude=(approve_id,))[0]
        page.goto(f"{world.base}/drafts/{reject_id}")
        page.fill("input[name=reason]", "no javascript needed")
        page.get_by_role("button", name="Reject").click()
        page.wait_for_load_state()
        assert world.query("SELECT id, status, reviewer FROM delivery_drafts WHERE id IN (?, ?) ORDER BY id",
                           *sorted((approve_id, reject_id))) == sorted(
            [(approve_id, "approved", "alice"), (reject_id, "rejected", "alice")])
    finally:
        context.close()
