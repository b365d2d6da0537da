"""One watched folder of one account: its own connection, IDLE or polling, reconnect backoff.

Each folder has a connection of its own because IDLE reports on the selected
folder only.  A watcher never lets an error out: it drops the connection,
records the error for `mailbot status` and says how long to wait before the
next attempt, so one broken account or folder never stops the others.
"""

from __future__ import annotations

import logging
import threading
import time

from imapclient import IMAPClient

from ..config import AccountConfig, DaemonConfig
from ..failures import describe
from ..metrics import set_idle_connected
from ..store import Store
from .backoff import Backoff
from .connection import ConnectionLost, close_quietly, connect, login_expired
from .folder import FolderSync, PassSummary
from .logfmt import logfmt
from .foldernames import FolderNames
from .mark import BrokenMoves, Marker

log = logging.getLogger("mailbot.daemon")

# How often a wait in IDLE looks up to see whether a stop was asked for.
STOP_CHECK_SECONDS = 0.5


class FolderWatcher:
    def __init__(self, account: AccountConfig, folder: str, settings: DaemonConfig, sync: FolderSync, store: Store,
                 stop: threading.Event, *, dry_run: bool = False, backoff: Backoff | None = None,
                 broken_moves: BrokenMoves | None = None):
        self.account, self.folder, self.settings = account, folder, settings
        self.sync, self.store, self.stop, self.dry_run = sync, store, stop, dry_run
        self.name = f"{account.name}/{folder}"
        self.backoff = backoff or Backoff(settings.reconnect_initial_seconds, settings.reconnect_max_seconds)
        self.conn: IMAPClient | None = None
        self.marker: Marker | None = None
        self.names: FolderNames | None = None
        self.last_error = ""  # the last failure, in one line (failures.describe)
        self.broken_moves = broken_moves or BrokenMoves()

    # `mailbot run --once`

    def run_once(self) -> bool:
        """Catch the folder up, reconnecting with backoff; False when it gave up after `once_max_attempts`."""
        while not self.stop.is_set():
            before = self._position()
            try:
                if self.pass_().caught_up:
                    return True
            except Exception as e:
                delay = self.fail(e, progressed=self._position() != before)
                if self.backoff.failures >= self.settings.once_max_attempts:
                    log.error(logfmt("gave-up", account=self.account.name, folder=self.folder,
                                     attempts=self.backoff.failures, error=self.last_error))
                    return False
                self.stop.wait(delay)
        return True

    # `mailbot run`: the scheduler calls tick() every poll_interval seconds

    def tick(self, budget: float) -> float | None:
        """Catch up, then wait in IDLE (if the server has it) until `budget` seconds are used.

        Returns None, or after an error the delay before the next attempt.
        """
        deadline = time.monotonic() + budget
        before = self._position()
        try:
            self.pass_(deadline)
            set_idle_connected(self.account.name, self.folder, self.can_idle())
            if self.can_idle():
                self._idle_until(deadline)
            self.backoff.reset()
            return None
        except Exception as e:
            return self.fail(e, progressed=self._position() != before)

    def can_idle(self) -> bool:
        return self.settings.idle and self.conn is not None and self.conn.has_capability("IDLE")

    def pass_(self, deadline: float | None = None) -> PassSummary:
        if self.conn is not None and login_expired(self.conn):
            log.info(logfmt("login-expired", account=self.account.name, folder=self.folder, note="logging in again"))
            self.close()
        if self.conn is None:
            self.conn = connect(self.account, self.settings)
            self.names = FolderNames.read(self.conn)  # config names use "/"; the server may not
            self.marker = None if self.dry_run else Marker(self.conn, self.account.name, self.names,
                                                           self.broken_moves, self._report_problem)
            log.info(logfmt("connected", account=self.account.name, folder=self.folder, host=self.account.host,
                            tls=self.account.tls, idle=self.can_idle(), move=self.conn.has_capability("MOVE")))
        # After a failure, go one message at a time: if one message is what fails, this finds it.
        return self.sync.run(self.conn, self.marker, deadline, careful=self.backoff.failures > 0, names=self.names)

    def _report_problem(self, text: str) -> None:
        self.store.note_error(self.account.name, self.folder, text)

    def fail(self, error: BaseException, *, progressed: bool = False) -> float:
        """Drop the connection after `error`, record it; the delay before trying again.

        A pass that got somewhere before failing starts the backoff afresh.
        """
        close_quietly(self.conn)
        self.conn, self.marker = None, None
        set_idle_connected(self.account.name, self.folder, False)
        if progressed:
            self.backoff.reset()
        delay = self.backoff.next_delay()
        text = describe(error)
        self.last_error = text
        log.warning(logfmt("error", account=self.account.name, folder=self.folder, error=text,
                           attempt=self.backoff.failures, retry_in=delay))
        log.debug("%s", self.name, exc_info=error)
        try:
            self.store.note_error(self.account.name, self.folder, text)
        except Exception as e:  # the store is what failed: the log line above is all there is
            log.error(logfmt("store-error", account=self.account.name, folder=self.folder, error=str(e)))
        return delay

    def _position(self) -> tuple[int, int] | None:
        """Where the folder's checkpoint stands, to tell a pass that got somewhere from one that did not."""
        try:
            checkpoint = self.store.checkpoint(self.account.name, self.folder)
        except Exception:  # the store failing is reported by the pass itself
            return None
        return (checkpoint.uidvalidity, checkpoint.last_uid) if checkpoint else None

    def close(self) -> None:
        """Log out; the watcher reconnects if used again."""
        close_quietly(self.conn, logout=True)
        self.conn, self.marker = None, None
        set_idle_connected(self.account.name, self.folder, False)

    def _idle_until(self, deadline: float) -> None:
        while not self.stop.is_set() and time.monotonic() < deadline:
            # RFC 2177: re-issue IDLE before the server's 30-minute inactivity logout.
            until = min(deadline, time.monotonic() + self.settings.idle_renew_seconds)
            self.conn.idle()
            woken = self._wait_in_idle(until)
            self.conn.idle_done()
            if woken:
                self.pass_(deadline)

    def _wait_in_idle(self, until: float) -> bool:
        """True when the server announced new mail (or may have: see below), False at `until` or on stop."""
        while not self.stop.is_set():
            remaining = until - time.monotonic()
            if remaining <= 0:
                return False
            wait = min(STOP_CHECK_SECONDS, remaining)
            started = time.monotonic()
            responses = self.conn.idle_check(timeout=wait)
            for response in responses:
                if response and response[0] == b"BYE":
                    raise ConnectionLost(f"server said BYE during IDLE: {response[1:]}")
                if len(response) > 1 and response[1] == b"EXISTS":
                    return True
            if not responses and time.monotonic() - started < wait / 2:
                # The socket was readable but gave no line: imapclient swallows EOF here.
                # Leaving IDLE and passing over the folder either fails (reconnect) or is harmless.
                return True
        return False
