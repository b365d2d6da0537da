"""`mailbot run`: every watched folder, polled on an APScheduler schedule or once.

The daemon gives each folder an interval job; a job catches its folder up,
then waits in IDLE until just before its next run (servers without IDLE
simply wait for it).  The periodic pass is also the safety net for IDLE
notifications that never came.  After an error a job is rescheduled with
backoff instead.  SIGTERM and SIGINT set one stop event that every loop
checks between messages and every half second in IDLE.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from apscheduler.executors.pool import ThreadPoolExecutor as SchedulerThreads
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from ..config import AccountConfig, Config
from ..errors import ConfigError
from ..failures import describe
from ..delivery.intake import Delivery
from ..pipeline import Pipeline
from ..store import Store, read_checkpoints
from .accounts import check_accounts
from .decide import Decider, Handled
from .folder import FolderSync
from .lock import StoreLock
from .logfmt import JsonFormatter, logfmt
from .mark import BrokenMoves
from .watch import FolderWatcher

log = logging.getLogger("mailbot.daemon")


class Daemon:
    def __init__(self, config: Config, pipeline: Pipeline, store_path: str | Path, *, dry_run: bool = False,
                 on_handled: Callable[[Handled], None] | None = None, stop: threading.Event | None = None,
                 redecide: bool = False):
        check_accounts(config)
        self.config, self.settings = config, config.daemon
        self.store_path, self.dry_run = str(store_path), dry_run
        self.redecide = redecide
        self.stop = stop or threading.Event()
        self.gave_up: list[tuple[str, str]] = []  # `run --once`: folders given up on, with the last error
        self._drafts_wake = threading.Event()
        self._metrics_server = None  # [metrics] port: the /metrics HTTP server, stopped with the daemon
        decision_lock = threading.Lock()  # one decision at a time across folders: see decide.py
        self.broken_moves = BrokenMoves()  # a move that cannot work is reported once, for all folders
        # A dry run decides into a throw-away store, starting from the real checkpoints.
        seeds = read_checkpoints(self.store_path) if dry_run else []
        self.watchers = [self._watcher(account, folder, pipeline, decision_lock, seeds, on_handled)
                         for account in config.accounts for folder in account.folders]

    def _watcher(self, account: AccountConfig, folder: str, pipeline: Pipeline, decision_lock: threading.Lock,
                 seeds: list, on_handled) -> FolderWatcher:
        store = Store(":memory:" if self.dry_run else self.store_path, any_thread=True)
        for seed in seeds:
            if (seed.account, seed.folder) == (account.name, folder):
                store.start_checkpoint(seed.account, seed.folder, seed.uidvalidity, seed.last_uid)
        # Delivery (mailbot/delivery): each decided reply becomes a draft or is queued to send.
        delivery = Delivery(self.config, store, orders=pipeline.order_source, on_drafted=self._drafts_now)
        decider = Decider(replace(pipeline, store=store, deliver=delivery), decision_lock)
        sync = FolderSync(account, folder, self.settings, decider, store, self.stop, on_handled,
                          redecide=self.redecide)
        return FolderWatcher(account, folder, self.settings, sync, store, self.stop, dry_run=self.dry_run,
                             broken_moves=self.broken_moves)

    def run_once(self) -> int:
        """One pass over every folder, all accounts side by side; 1 if any folder gave up."""
        with self._locked():
            try:
                with ThreadPoolExecutor(max_workers=len(self.watchers), thread_name_prefix="mailbot") as pool:
                    results = list(pool.map(FolderWatcher.run_once, self.watchers))
            finally:
                self._close()
            self._deliver_once()  # Delivery: the new drafts into the mailbox, the outbox sent
        self.gave_up = [(w.name, w.last_error) for w, ok in zip(self.watchers, results) if not ok]
        return 0 if all(results) else 1

    def run_forever(self) -> int:
        """Watch every folder until SIGTERM or SIGINT (or `stop` is set)."""
        interval = self.settings.poll_interval
        # Leave the thread before the next run is due, so runs never pile up.
        budget = max(interval - min(1.0, interval / 10), interval / 2)
        with self._locked():
            scheduler = BackgroundScheduler(
                executors={"default": SchedulerThreads(max_workers=len(self.watchers) + 1)},  # + delivery
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
                timezone=timezone.utc,
            )
            for watcher in self.watchers:
                scheduler.add_job(self._tick, IntervalTrigger(seconds=interval, timezone=timezone.utc),
                                  args=(scheduler, watcher, budget), id=watcher.name, name=f"poll {watcher.name}",
                                  next_run_time=datetime.now(timezone.utc))
            # Delivery (mailbot/delivery): the outbox on its own schedule.
            scheduler.add_job(self._deliver_once, IntervalTrigger(seconds=self.config.delivery.send_interval_seconds,
                                                                  timezone=timezone.utc),
                              id="delivery", name="send the outbox", next_run_time=datetime.now(timezone.utc))
            # The Drafts folder: its own thread, woken as soon as a message is drafted (_drafts_now), and
            # on the sending schedule to notice drafts a person sent or deleted in a mail client.
            drafts = threading.Thread(target=self._drafts_loop, name="mailbot-drafts", daemon=True)
            drafts.start()
            self._serve_metrics()
            scheduler.start()
            log.info(logfmt("started", folders=len(self.watchers), poll_interval=interval,
                            idle=self.settings.idle, dry_run=self.dry_run))
            try:
                while not self.stop.wait(1.0):
                    pass
            finally:
                log.info(logfmt("stopping", note="finishing the messages in hand"))
                scheduler.shutdown(wait=True)
                self._drafts_wake.set()
                drafts.join()
                if self._metrics_server is not None:
                    self._metrics_server.shutdown()
                    self._metrics_server.server_close()
                self._close()
                log.info(logfmt("stopped"))
        return 0

    def _serve_metrics(self) -> None:
        """`[metrics] port`: Prometheus text on /metrics, read from the store at each scrape (mailbot/metrics.py)."""
        settings = self.config.metrics
        if not settings.port or self.dry_run:
            return
        from .. import metrics

        watched = [(w.account.name, w.folder) for w in self.watchers]
        try:
            self._metrics_server, _ = metrics.serve(settings.port, settings.host, self.store_path, watched)
        except OSError as e:  # the port is taken: a config problem the operator must fix
            raise ConfigError(self.config.source, "metrics.port",
                              f"cannot serve metrics on {settings.host}:{settings.port}: {e.strerror or e}") from None
        log.info(logfmt("metrics", url=f"http://{settings.host}:{settings.port}/metrics"))

    def _tick(self, scheduler: BackgroundScheduler, watcher: FolderWatcher, budget: float) -> None:
        delay = watcher.tick(budget)
        if delay is None or self.stop.is_set():
            return
        try:
            scheduler.modify_job(watcher.name, next_run_time=datetime.now(timezone.utc) + timedelta(seconds=delay))
        except JobLookupError:  # the scheduler is shutting down
            pass

    def _drafts_now(self) -> None:
        """A message was just drafted: wake the Drafts-folder thread (many drafts in a row: one pass or two).

        `run --once` has no such thread: its delivery pass at the end puts the drafts in.
        """
        self._drafts_wake.set()

    def _drafts_loop(self) -> None:
        # As often as the folders are polled: a draft a person sent from their mail client must be
        # known as theirs before anyone approves it here too (one cheap FETCH of the Drafts headers).
        interval = min(self.settings.poll_interval, self.config.delivery.send_interval_seconds)
        while not self.stop.is_set():
            self._drafts_wake.wait(interval)
            self._drafts_wake.clear()
            if self.stop.is_set():
                break
            self._drafts_once()

    def _drafts_once(self) -> None:
        if self.dry_run or self.config.mode == "dry-run" or not self.config.delivery.imap_account:
            return
        from ..delivery.runner import DeliveryBusy, Runner

        store = Store(self.store_path, any_thread=True)
        try:
            try:
                report = Runner(self.config, store).sync_drafts_only()
            except DeliveryBusy:
                return  # a sending pass is running, and it syncs the Drafts folder too
            if report.drafts_appended or report.handled_by_person or report.errors:
                log.info(logfmt("drafts", appended=report.drafts_appended, withdrawn=report.drafts_withdrawn,
                                handled_by_person=len(report.handled_by_person), errors=len(report.errors)))
        except Exception as e:  # the next run tries again; mail ingestion goes on meanwhile
            log.error(logfmt("drafts-error", error=describe(e)))
        finally:
            store.close()

    def _deliver_once(self) -> None:
        """One delivery pass (mailbot/delivery/runner.py); its failures are logged, never raised."""
        if self.dry_run or self.config.mode == "dry-run":
            return
        from ..delivery.runner import run_once as deliver

        store = Store(self.store_path, any_thread=True)
        try:
            report = deliver(self.config, store)
            log.info(logfmt("delivery", sent=len(report.sent), deferred=len(report.deferred),
                            failed=len(report.failed), recovered=len(report.recovered),
                            back_to_review=len(report.held_for_review), drafts_appended=report.drafts_appended,
                            errors=len(report.errors)))
            for line in report.lines()[1:]:
                log.warning(logfmt("delivery-detail", note=line.strip()))
        except Exception as e:  # the next pass tries again; mail ingestion goes on meanwhile
            log.error(logfmt("delivery-error", error=describe(e)))
        finally:
            store.close()

    def _locked(self):
        return contextlib.nullcontext() if self.dry_run else StoreLock(self.store_path)

    def _close(self) -> None:
        for watcher in self.watchers:
            watcher.close()
            watcher.store.close()


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask for a clean stop; a second one stops at once."""

    def handler(signum, frame):
        log.info(logfmt("signal", name=signal.Signals(signum).name, note="stopping after the message in hand"))
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def log_to_stderr(log_format: str = "text") -> None:
    """The daemon's lines (one per message, per poll, per error) with a timestamp, whatever -v says.

    `log_format = "json"`: every line on stderr, the daemon's and the other
    modules' alike, is one JSON object (daemon/logfmt.py).
    """
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    logger = logging.getLogger("mailbot.daemon")
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler(sys.stderr))
    for handler in logger.handlers:
        handler.setFormatter(formatter)
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(formatter)
    logger.setLevel(logging.INFO)
    logger.propagate = False
