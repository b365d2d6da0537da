"""Bar 4 of issue 12: /metrics, scraped while `mailbot run` works on a real Dovecot and aiosmtpd,
shows the counts the store shows (decisions by intent and action, quarantine, outbox by state,
auto-send paused), each folder's last poll and IDLE, and token refresh failures."""

from __future__ import annotations

import threading
import time
import urllib.request
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w
from prometheus_client.parser import text_string_to_metric_families

from mailbot import metrics
from mailbot.config import load_config
from mailbot.daemon.runner import Daemon
from mailbot.sources import read_paths

from delivery.conftest import smtp_server  # noqa: F401  (aiosmtpd's Controller, shared)

from .dovecot import PASSWORD_ENV, free_port
from .harness import Bot, support_mail

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class ExplodesOn:
    """An extractor that fails on one message, as a bug would: the message is quarantined."""

    def __init__(self, marker: str, extractor):
        self.marker, self.extractor = marker, extractor

    def __call__(self, parsed):
        if self.marker in parsed.subject:
            raise RuntimeError("the extractor broke on this one")
        return self.extractor(parsed)


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def from_store(bot: Bot) -> dict[tuple[str, tuple], float]:
    """The same counts, asked of the store directly."""
    expected = {}
    for intent, action, n in bot.query("SELECT COALESCE(intent, ''), COALESCE(action, ''), COUNT(*) FROM messages "
                                       "WHERE status = 'decided' GROUP BY 1, 2"):
        expected[("mailbot_messages_decided_total", (("action", action), ("intent", intent)))] = n
    expected[("mailbot_quarantine_size", ())] = bot.query(
        "SELECT COUNT(*) FROM imap_messages WHERE state = 'failed'")[0][0]
    expected[("mailbot_messages_failed", ())] = bot.query("SELECT COUNT(*) FROM messages WHERE status = 'failed'")[0][0]
    outbox = dict(bot.query("SELECT state, COUNT(*) FROM delivery_outbox GROUP BY state"))
    for state in ("queued", "sending", "sent", "failed"):
        expected[("mailbot_outbox", (("state", state),))] = outbox.get(state, 0)
    drafts = dict(bot.query("SELECT status, COUNT(*) FROM delivery_drafts GROUP BY status"))
    for status in ("pending", "auto", "approved", "rejected", "blocked", "handled"):
        expected[("mailbot_drafts", (("status", status),))] = drafts.get(status, 0)
    expected[("mailbot_auto_send_paused", ())] = len(bot.query(
        "SELECT 1 FROM delivery_state WHERE key = 'auto_send_paused'"))
    return expected


def test_metrics_during_a_run_show_what_the_store_shows(dovecot, smtp_server, tmp_path, pipeline_factory,  # noqa: F811
                                                        monkeypatch):
    inbox = [raw.data for raw in read_paths([EXAMPLES / "inbox"])]
    doomed = support_mail(99).replace(b"Subject: ", b"Subject: EXPLODE ", 1)
    dovecot.append([*inbox, doomed])
    port = free_port()
    bot = Bot(tmp_path, dovecot)
    config = {
        "mode": "send", "store": {"path": str(bot.store_path)},
        "daemon": {"poll_interval": 2, "reconnect_initial_seconds": 0.2, "reconnect_max_seconds": 2},
        "accounts": [dovecot.account()],
        # The sample inbox is from November 2026 and its order data a file of the checkout's age: both widened,
        # so replies do go alone and the hourly cap (1) trips: auto-send paused is then 1.
        "policy": {"orders": str(EXAMPLES / "orders.csv"), "orders_max_age_hours": 24 * 365 * 100},
        "delivery": {"imap_account": "support", "auto_send_min_confidence": 0.5,
                     "auto_send_max_age_hours": 24 * 365 * 100, "max_auto_sends_per_hour": 1,
                     "send_interval_seconds": 1, "smtp": smtp_server.settings()},
        "metrics": {"port": port},
    }
    bot.config_path.write_text(tomli_w.dumps(config))
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    loaded = load_config(bot.config_path)
    pipeline = pipeline_factory(loaded, orders=str(EXAMPLES / "orders.csv"))
    pipeline = replace(pipeline, extractor=ExplodesOn("EXPLODE", pipeline.extractor))
    stop = threading.Event()
    daemon = Daemon(loaded, pipeline, bot.store_path, stop=stop)
    runner = threading.Thread(target=daemon.run_forever)
    runner.start()
    try:
        bot.wait_for(lambda: len(bot.query("SELECT 1 FROM messages")) == len(inbox) + 1, 240,
                     what="the sample inbox decided")
        bot.wait_for(lambda: len(smtp_server.handler.accepted) == 1 and not bot.query(
            "SELECT 1 FROM delivery_outbox WHERE state IN ('queued', 'sending')"), 60, what="the outbox settled")
        metrics.record_token_refresh_failure("support")  # what the OAuth2 code calls on a failed refresh

        deadline = time.monotonic() + 30
        while True:  # the daemon keeps working: compare a scrape with the store until both stand still
            expected, scraped, again = from_store(bot), scrape(port), from_store(bot)
            differ = {k: (v, scraped.get(k)) for k, v in expected.items() if scraped.get(k) != v}
            if (not differ and expected == again) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert not differ, differ
        decided = sum(v for (name, _), v in scraped.items() if name == "mailbot_messages_decided_total")
        assert decided == len(inbox)
        assert scraped[("mailbot_quarantine_size", ())] == 1
        assert scraped[("mailbot_outbox", (("state", "sent"),))] == 1
        assert scraped[("mailbot_auto_send_paused", ())] == 1
        assert scraped[("mailbot_token_refresh_failures_total", (("account", "support"),))] == 1

        [(last_poll,)] = bot.query("SELECT last_poll FROM imap_folders")
        since = scraped[("mailbot_seconds_since_last_poll", (("account", "support"), ("folder", "INBOX")))]
        assert abs(since - (time.time() - datetime.fromisoformat(last_poll).timestamp())) < 5
        assert scraped[("mailbot_idle_connected", (("account", "support"), ("folder", "INBOX")))] == 1
        print(f"\nbar 4: {decided} decisions in {len([k for k in scraped if k[0] == 'mailbot_messages_decided_total'])} "
              f"intent/action series, quarantine 1, outbox sent 1, auto-send paused 1: scrape == store")
    finally:
        stop.set()
        runner.join(60)
    with pytest.raises(OSError):  # the metrics server stopped with the daemon
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)
