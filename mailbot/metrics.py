"""Prometheus metrics for `mailbot run` (`[metrics] port = 9108`, text format on /metrics).

Counts that the store keeps (decisions, quarantine, outbox, drafts, auto-send
paused, last poll) are read from the store at each scrape, so /metrics and
`mailbot status` can never disagree and a restart loses nothing.  What only
the running process knows (IDLE connected, token refresh failures) lives in
this process's registry, set through the small functions below:

    record_token_refresh_failure("support")   # the OAuth2 code, on a failed refresh
    set_idle_connected("support", "INBOX", True)
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .delivery.ledger import PAUSE_KEY
from .delivery.vocabulary import DRAFT_STATES, OUTBOX_STATES
from .store import MAILBOX_STATES


# One registry for mailbot alone: no process or platform metrics of other libraries mixed in.
REGISTRY = CollectorRegistry(auto_describe=True)

TOKEN_REFRESH_FAILURES = Counter(
    "mailbot_token_refresh_failures", "OAuth2 access-token refreshes that failed, per account.",
    ["account"], registry=REGISTRY)
IDLE_CONNECTED = Gauge(
    "mailbot_idle_connected", "1 while the folder's connection waits in IMAP IDLE, else 0 (polling or down).",
    ["account", "folder"], registry=REGISTRY)


def record_token_refresh_failure(account: str) -> None:
    TOKEN_REFRESH_FAILURES.labels(account=account).inc()


def set_idle_connected(account: str, folder: str, connected: bool) -> None:
    IDLE_CONNECTED.labels(account=account, folder=folder).set(1 if connected else 0)


class StoreCollector:
    """Reads the store at each scrape (read-only, its own short-lived connection)."""

    def __init__(self, store_path: str | Path, watched: list[tuple[str, str]], started: float | None = None):
        self.store_path = Path(store_path)
        self.watched = watched  # (account, folder) from the config: a folder never polled still shows
        self.started = started if started is not None else time.time()

    def describe(self):
        return []  # the families depend on the store; nothing to check at registration

    def collect(self):
        if not self.store_path.exists():
            return
        db = sqlite3.connect(f"{self.store_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            yield from self._messages(db, tables)
            yield from self._folders(db, tables)
            yield from self._delivery(db, tables)
        finally:
            db.close()

    def _messages(self, db: sqlite3.Connection, tables: set[str]):
        decided = CounterMetricFamily("mailbot_messages_decided", "Messages decided, by intent and action.",
                                      labels=["intent", "action"])
        failed = GaugeMetricFamily("mailbot_messages_failed", "Messages whose triage failed (kept with their error).")
        if "messages" in tables:
            for intent, action, n in db.execute("SELECT COALESCE(intent, ''), COALESCE(action, ''), COUNT(*) "
                                                "FROM messages WHERE status = 'decided' GROUP BY 1, 2"):
                decided.add_metric([intent, action], n)
            failed.add_metric([], db.execute("SELECT COUNT(*) FROM messages WHERE status = 'failed'").fetchone()[0])
        else:
            failed.add_metric([], 0)
        yield decided
        yield failed

    def _folders(self, db: sqlite3.Connection, tables: set[str]):
        quarantine = GaugeMetricFamily("mailbot_quarantine_size",
                                       "Messages in the mailbox the daemon quarantined ($MailbotFailed).")
        by_state = GaugeMetricFamily("mailbot_mailbox_messages", "Messages handled in each folder, by state.",
                                     labels=["account", "folder", "state"])
        since_poll = GaugeMetricFamily(
            "mailbot_seconds_since_last_poll",
            "Seconds since the folder's last successful poll (since mailbot started, if never).",
            labels=["account", "folder"])
        now = time.time()
        polls: dict[tuple[str, str], str | None] = {key: None for key in self.watched}
        if "imap_messages" in tables:
            quarantine.add_metric([], db.execute("SELECT COUNT(*) FROM imap_messages WHERE state = 'failed'")
                                  .fetchone()[0])
            counts = {(a, f, s): n for a, f, s, n in db.execute(
                "SELECT m.account, m.folder, m.state, COUNT(*) FROM imap_messages m JOIN imap_folders f "
                "ON m.account = f.account AND m.folder = f.folder AND m.uidvalidity = f.uidvalidity "
                "GROUP BY 1, 2, 3")}
            for account, folder, last_poll in db.execute("SELECT account, folder, last_poll FROM imap_folders"):
                polls[(account, folder)] = last_poll
            for account, folder in sorted(polls):
                for state in MAILBOX_STATES:
                    by_state.add_metric([account, folder, state], counts.get((account, folder, state), 0))
        else:
            quarantine.add_metric([], 0)
        for (account, folder), last_poll in sorted(polls.items()):
            since = self.started if last_poll is None else datetime.fromisoformat(last_poll).timestamp()
            since_poll.add_metric([account, folder], max(0.0, now - max(since, 0.0)))
        yield quarantine
        yield by_state
        yield since_poll

    def _delivery(self, db: sqlite3.Connection, tables: set[str]):
        outbox = GaugeMetricFamily("mailbot_outbox", "Replies in the outbox, by state.", labels=["state"])
        drafts = GaugeMetricFamily("mailbot_drafts", "Drafts, by status.", labels=["status"])
        paused = GaugeMetricFamily("mailbot_auto_send_paused",
                                   "1 while automatic sending is paused (the hourly cap was hit), else 0.")
        outbox_counts, draft_counts, is_paused = {}, {}, 0
        if "delivery_outbox" in tables:
            outbox_counts = dict(db.execute("SELECT state, COUNT(*) FROM delivery_outbox GROUP BY state"))
            draft_counts = dict(db.execute("SELECT status, COUNT(*) FROM delivery_drafts GROUP BY status"))
            is_paused = int(db.execute("SELECT COUNT(*) FROM delivery_state WHERE key = ?", (PAUSE_KEY,))
                            .fetchone()[0] > 0)
        for state in OUTBOX_STATES:
            outbox.add_metric([state], outbox_counts.get(state, 0))
        for status in DRAFT_STATES:
            drafts.add_metric([status], draft_counts.get(status, 0))
        paused.add_metric([], is_paused)
        yield outbox
        yield drafts
        yield paused


_store_collector: StoreCollector | None = None


def serve(port: int, host: str, store_path: str | Path, watched: list[tuple[str, str]]):
    """Start the /metrics HTTP server in a background thread; returns (server, thread).

    Raises OSError when the port is taken: the caller reports it in one line.
    """
    global _store_collector
    if _store_collector is not None:
        REGISTRY.unregister(_store_collector)
    _store_collector = StoreCollector(store_path, watched)
    REGISTRY.register(_store_collector)
    return start_http_server(port, addr=host, registry=REGISTRY)
