"""One delivery pass: recover what a crash left, put drafts in the mailbox, send what is due.

    1. recover   replies left in `sending` by a process that died
    2. drafts    new drafts into the Drafts folder (\\Draft); decided ones taken out
    3. send      each due reply: the guard again, claim, SMTP, Sent folder, commit
    4. sent      Sent-folder copies that could not be appended before

Only one pass runs at a time (a lock file beside the store), so a reply in
`sending` when a pass starts belongs to a process that is gone.  A reply
that reached phase 'data' is looked up in the Sent folder by its Message-ID:
found, it is sent; not found, the server may still have accepted it, and it
is marked failed and left to a person, never sent blindly a second time.

`mailbot send-approved` runs one pass; the daemon runs one every
`delivery.send_interval_seconds` (see loop()).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from ..config import Config
from ..errors import MailbotError
from ..failures import describe
from ..store import Store
from . import guard
from .compose import as_bytes, build_reply
from .drafts import Drafts
from .draftwatch import notice_person_handled
from .ledger import StoreLedger
from .mailbox import DRAFT_FLAGS, NETWORK_ERRORS, SENT_FLAGS, Mailbox
from .outbox import Outbox, OutboxEntry, backoff
from .review import candidate_for
from .smtp import SmtpSender
from .tables import utcnow

log = logging.getLogger("mailbot.delivery")

# Test-only: the name of a point at which the process kills itself (os._exit),
# to prove that a crash there neither loses nor duplicates a reply.
CRASH_ENV = "MAILBOT_TEST_CRASH_AT"
CRASH_POINTS = ("smtp-accepted", "sent-appended")  # after the server's 250 to DATA; after the Sent copy
LOCK_WAIT_SECONDS = 60
BOT = "mailbot"


class DeliveryBusy(MailbotError):
    """Another delivery pass holds the lock."""


@dataclass
class PassReport:
    skipped: str = ""
    sent: list[int] = field(default_factory=list)  # draft ids
    deferred: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    recovered: list[tuple[int, str]] = field(default_factory=list)
    held_for_review: list[tuple[int, str]] = field(default_factory=list)
    drafts_appended: int = 0
    drafts_withdrawn: int = 0
    handled_by_person: list[tuple[int, str]] = field(default_factory=list)  # sent or deleted in a mail client
    errors: list[str] = field(default_factory=list)
    smtp_down: str = ""  # the SMTP server could not be reached or refused the login: the pass stopped

    def lines(self) -> list[str]:
        if self.skipped:
            return [self.skipped]
        out = [f"sent {len(self.sent)}, deferred {len(self.deferred)}, failed {len(self.failed)}, "
               f"recovered {len(self.recovered)}, back to review {len(self.held_for_review)}, "
               f"drafts into the mailbox {self.drafts_appended}, taken out {self.drafts_withdrawn}"]
        out += [f"  draft {d}: recovered: {why}" for d, why in self.recovered]
        out += [f"  draft {d}: deferred: {why}" for d, why in self.deferred]
        out += [f"  draft {d}: FAILED: {why}" for d, why in self.failed]
        out += [f"  draft {d}: back to review: {why}" for d, why in self.held_for_review]
        out += [f"  draft {d}: handled by a person: {how}" for d, how in self.handled_by_person]
        out += [f"  error: {e}" for e in self.errors]
        if self.smtp_down:
            out.append(f"  error: SMTP server {self.smtp_down}; the replies wait in the outbox for the next pass")
        return out


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        log.critical("test hook %s=%s: exiting now", CRASH_ENV, name)
        os._exit(75)


_memory_lock = threading.Lock()


@contextmanager
def pass_lock(store: Store, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    if store.path == ":memory:":
        with _memory_lock:
            yield
        return
    path = Path(f"{Path(store.path).resolve()}.delivery.lock")  # the real file's: a symlink is the same store
    with path.open("a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DeliveryBusy(f"another delivery pass holds {path}") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Runner:
    def __init__(self, config: Config, store: Store, *, now: Callable[[], datetime] = utcnow,
                 sender: SmtpSender | None = None, mailbox: Mailbox | None = None):
        self.config, self.store, self.now = config, store, now
        self.drafts, self.outbox, self.ledger = Drafts(store.db), Outbox(store.db), StoreLedger(store.db)
        self._sender = sender
        self.mailbox = mailbox if mailbox is not None else (Mailbox(config) if config.delivery.imap_account else None)
        self.mailbox_ok = True
        self.report = PassReport()

    @property
    def sender(self) -> SmtpSender:
        if self._sender is None:
            self._sender = SmtpSender(self.config)  # ConfigError when SMTP is not configured
        return self._sender

    def run_once(self) -> PassReport:
        if self.config.mode == "dry-run":
            return PassReport(skipped="mode dry-run: nothing is put in the mailbox or sent")
        with pass_lock(self.store):
            try:
                self.recover()
                self.sync_drafts_folder()
                self.send_due()
                self.append_sent_copies()
            finally:
                if self.mailbox is not None:
                    self.mailbox.close()
        return self.report

    # 1. Recovery

    def recover(self) -> None:
        for entry in self.outbox.with_state("sending"):
            now = self.now()
            if entry.phase != "data":
                self.outbox.requeue(entry.id, now)
                self._note(entry, "recovered", "interrupted before DATA: the server never had it; queued again")
                continue
            if self.mailbox is None:
                self._in_doubt(entry, "no Sent folder is configured to check")
                continue
            try:
                found = self._imap(lambda: self.mailbox.find(self.config.delivery.sent_folder, entry.message_id))
            except _MailboxDown:
                continue  # decided on a later pass, when the Sent folder can be asked
            if found:
                self.outbox.mark_sent(entry.id, now, sent_folder="appended",
                                      note="recovered after a crash: found in the Sent folder by Message-ID")
                self._note(entry, "recovered", f"found in {self.config.delivery.sent_folder} by Message-ID "
                                               f"{entry.message_id}: sent, not sent again")
            else:
                self._in_doubt(entry, f"not in {self.config.delivery.sent_folder}")

    def _in_doubt(self, entry: OutboxEntry, why: str) -> None:
        error = (f"IN DOUBT: interrupted after the SMTP DATA command began and {why}; the server may have "
                 "accepted it, so it is NOT sent again automatically. Check the SMTP server's log; to send "
                 f"it anyway: mailbot review retry {entry.draft_id}")
        self.outbox.fail(entry.id, error, self.now(), in_doubt=True)
        self.drafts.event(entry.draft_id, "in-doubt", BOT, self.now(), error=error)
        log.error("draft %d: %s", entry.draft_id, error)
        self.report.failed.append((entry.draft_id, error))

    # 2. The Drafts folder

    def sync_drafts_folder(self) -> None:
        if self.mailbox is None:
            return
        folder = self.config.delivery.drafts_folder
        for draft in self.drafts.for_mailbox("pending"):
            msg = as_bytes(build_reply(draft.reply_spec(self.config), sent_by_bot=False, now=self.now()))
            try:
                # A crash after an APPEND and before the commit must not leave two copies.
                if not self._imap(lambda: self.mailbox.find(folder, draft.message_id)):
                    self._imap(lambda: self.mailbox.append(folder, msg, DRAFT_FLAGS))
            except _MailboxDown:
                return
            self.drafts.mark_appended(draft.id, self.now())
            self.report.drafts_appended += 1
        for draft in self.drafts.for_mailbox("withdraw"):
            try:
                self._imap(lambda: self.mailbox.delete(folder, draft.message_id))
            except _MailboxDown:
                return
            self.drafts.update(draft.id, self.now(), imap_state="withdrawn")
            self.report.drafts_withdrawn += 1
        # What a person did in their own mail client: a draft sent or deleted there is theirs.
        try:
            self.report.handled_by_person += self._imap(
                lambda: notice_person_handled(self.config, self.drafts, self.mailbox, self.now))
        except _MailboxDown:
            return

    def sync_drafts_only(self, wait: float = 5) -> PassReport:
        """The Drafts folder alone (new drafts in, person-handled ones noticed): the daemon runs this as soon
        as a message is drafted, without waiting for the next sending pass.

        DeliveryBusy after `wait` seconds: a sending pass holds the lock, and it does this part itself.
        """
        if self.config.mode == "dry-run" or self.mailbox is None:
            return self.report
        with pass_lock(self.store, wait):
            try:
                self.sync_drafts_folder()
            finally:
                self.mailbox.close()
        return self.report

    # 3. Sending

    def send_due(self) -> None:
        due = self.outbox.due(self.now())
        if not due:
            return
        sender = self.sender
        for entry in due:
            if not self.send_one(entry, sender):
                break

    def send_one(self, entry: OutboxEntry, sender: SmtpSender) -> bool:
        """Deliver one reply; False when the server is unreachable and the pass should stop."""
        draft = self.drafts.get(entry.draft_id)
        now = self.now()
        verdict = guard.check(candidate_for(draft, automatic=bool(entry.automatic)), self.config, self.ledger, now)
        if verdict.stops:
            error = "loop guard: " + "; ".join(verdict.stops)
            with self.drafts.transaction():
                self.outbox.fail(entry.id, error, now)
                self.drafts.add_trace(draft.id, ["before sending:"] + verdict.trace(), now)
                self.drafts.event(draft.id, "blocked", BOT, now, stops=verdict.stops)
            log.warning("draft %d not sent: %s", draft.id, error)
            self.report.failed.append((draft.id, error))
            return True
        if verdict.waits:
            if verdict.cap_reached:
                self.ledger.pause_auto_send(verdict.waits[-1], now)
            self._back_to_review(entry, verdict)
            return True
        answered = self._answered_in_sent(entry, draft)
        if answered is None:
            return False  # the Sent folder cannot be asked: nothing goes out unchecked; the next pass tries
        if answered:
            self._already_answered(entry, draft, answered)
            return True
        if not self.outbox.claim(entry.id, now):
            return True  # another process has it
        result = sender.send(entry.envelope_from, entry.recipient, entry.raw,
                             before_data=lambda: self._entering_data(entry))
        if result.outcome == "accepted":
            crash_point("smtp-accepted")
            sent_folder = self._append_sent(entry)
            crash_point("sent-appended")
            with self.drafts.transaction():
                self.outbox.mark_sent(entry.id, self.now(), sent_folder=sent_folder)
                self.drafts.event(draft.id, "sent", BOT, self.now(), response=result.describe(),
                                  automatic=bool(entry.automatic))
            log.info("draft %d sent to %s (%s)", draft.id, entry.recipient, result.describe())
            self.report.sent.append(draft.id)
            return True
        attempts = entry.attempts + 1
        if result.outcome == "temporary" and attempts < self.config.delivery.max_attempts:
            delay = backoff(attempts, self.config.delivery.retry_initial_seconds, self.config.delivery.retry_max_seconds)
            when = self.now() + delay
            self.outbox.defer(entry.id, f"attempt {attempts}: {result.describe()}", when, self.now())
            log.warning("draft %d deferred (%s); next attempt in %ss", draft.id, result.describe(), delay.total_seconds())
            self.report.deferred.append((draft.id, result.describe()))
            if result.server_problem:
                self.report.smtp_down = result.describe()
            return not result.server_problem
        if result.outcome == "unknown":
            self._in_doubt(entry, result.describe())
            return False
        error = (f"gave up after {attempts} attempts: {result.describe()}" if result.outcome == "temporary"
                 else f"refused: {result.describe()}")
        with self.drafts.transaction():
            self.outbox.fail(entry.id, error, self.now())
            self.drafts.event(draft.id, "failed", BOT, self.now(), error=error)
            if result.recipient_refused:
                self.ledger.record_bounce(entry.recipient, result.describe(), self.now())
        log.error("draft %d FAILED: %s", draft.id, error)
        self.report.failed.append((draft.id, error))
        return True

    def _answered_in_sent(self, entry: OutboxEntry, draft) -> list[str] | None:
        """Replies to the same original already in the Sent folder; None when the folder cannot be asked.

        The store is not the only memory: a store rebuilt after corruption, or
        a second config on the same mailbox, knows nothing of replies an
        earlier one sent, nor of a person's answer from a mail client.
        """
        if self.mailbox is None or not draft.original_message_id:
            return []
        folder = self.config.delivery.sent_folder
        try:
            return self._imap(lambda: self.mailbox.replies_to(folder, draft.original_message_id))
        except _MailboxDown:
            self.report.deferred.append((draft.id, f"{folder} could not be checked for an earlier reply; "
                                                   "not sent until it can"))
            return None

    def _already_answered(self, entry: OutboxEntry, draft, replies: list[str]) -> None:
        now = self.now()
        folder = self.config.delivery.sent_folder
        if entry.message_id in replies:  # this very reply: it went out, and the store never heard
            self.outbox.mark_sent(entry.id, now, sent_folder="appended",
                                  note=f"found in {folder} by Message-ID before sending: not sent again")
            self._note(entry, "recovered", f"already in {folder} as {entry.message_id}: not sent again")
            return
        error = (f"ALREADY ANSWERED: {folder} holds a reply to {draft.original_message_id} ({replies[0]}), "
                 "sent by an earlier store or by a person; not sent a second time (if more needs saying, "
                 "answer by hand)")
        with self.drafts.transaction():
            self.outbox.fail(entry.id, error, now)
            self.drafts.event(draft.id, "already-answered", BOT, now, replies=replies)
        log.warning("draft %d not sent: %s", draft.id, error)
        self.report.failed.append((draft.id, error))

    def _entering_data(self, entry: OutboxEntry) -> None:
        self.outbox.entering_data(entry.id, self.now())

    def _back_to_review(self, entry: OutboxEntry, verdict: guard.Verdict) -> None:
        now = self.now()
        why = "; ".join(verdict.waits)
        with self.drafts.transaction():
            if not self.outbox.withdraw(entry.id):
                return
            self.drafts.update(entry.draft_id, now, status="pending",
                               imap_state="pending" if self.mailbox is not None else "none")
            self.drafts.add_trace(entry.draft_id, ["before sending: not automatically after all:"] + verdict.trace(), now)
            self.drafts.event(entry.draft_id, "back-to-review", BOT, now, waits=verdict.waits)
        log.warning("draft %d back to review: %s", entry.draft_id, why)
        self.report.held_for_review.append((entry.draft_id, why))

    def _append_sent(self, entry: OutboxEntry) -> str:
        if self.mailbox is None:
            return "none"
        try:
            self._imap(lambda: self.mailbox.append(self.config.delivery.sent_folder, entry.raw, SENT_FLAGS))
            return "appended"
        except _MailboxDown:
            return "pending"

    # 4. Sent copies owed

    def append_sent_copies(self) -> None:
        if self.mailbox is None:
            return
        folder = self.config.delivery.sent_folder
        for entry in self.outbox.sent_folder_pending():
            try:
                if not self._imap(lambda: self.mailbox.find(folder, entry.message_id)):
                    self._imap(lambda: self.mailbox.append(folder, entry.raw, SENT_FLAGS))
            except _MailboxDown:
                return
            self.outbox.set_sent_folder(entry.id, "appended")

    # Helpers

    def _imap(self, operation):
        if not self.mailbox_ok:
            raise _MailboxDown()
        try:
            return operation()
        except (*NETWORK_ERRORS, MailbotError) as e:
            self.mailbox_ok = False
            message = f"mailbox {self.config.delivery.imap_account}: {describe(e)}"
            log.error("delivery: %s (retried on the next pass)", message)
            self.report.errors.append(message)
            raise _MailboxDown() from e

    def _note(self, entry: OutboxEntry, kind: str, why: str) -> None:
        self.drafts.event(entry.draft_id, kind, BOT, self.now(), detail=why)
        log.warning("draft %d: %s", entry.draft_id, why)
        self.report.recovered.append((entry.draft_id, why))


class _MailboxDown(Exception):
    """The mailbox failed once in this pass; the rest of its work waits for the next pass."""


def run_once(config: Config, store: Store, **kwargs) -> PassReport:
    return Runner(config, store, **kwargs).run_once()


def loop(config: Config, stop: threading.Event, *, interval: float | None = None) -> None:
    """The daemon's delivery schedule: a pass every `delivery.send_interval_seconds` until `stop` is set.

    Runs in its own thread with its own store connection (SQLite connections
    stay in the thread that made them).  A failed pass is logged and retried
    on the next tick; it never ends the loop.
    """
    interval = interval or config.delivery.send_interval_seconds
    store = Store(config.store_path())
    try:
        while not stop.is_set():
            try:
                for line in run_once(config, store).lines():
                    log.info("delivery pass: %s", line)
            except Exception:
                log.exception("delivery pass failed; next attempt in %ss", interval)
            stop.wait(interval)
    finally:
        store.close()
