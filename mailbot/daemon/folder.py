"""One pass over one folder: every message after the checkpoint, in UID order, in batches.

For each batch: sizes first, so a message over the limit is never fetched
whole; bodies with BODY.PEEK[] (never \\Seen); each message decided and
committed; then the whole batch marked; then the checkpoint moved past it
in the same transaction that records what was done.  A stop request is
honoured between messages: the message in hand is finished, the ones
handled so far are marked and committed, the rest wait for the next run.

A message the server cannot send must not stop the folder.  Dovecot, for
one, answers a FETCH of an unreadable file with BYE, so the batch fails on
every attempt.  After a failed attempt the next pass is careful: it fetches
one message at a time and counts, in the store, each failure of a message
fetched alone.  At UNREADABLE_AFTER failures that message is quarantined
unread and the checkpoint moves past it before anything else touches it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator
from urllib.parse import quote

from imapclient import IMAPClient

from ..config import AccountConfig, DaemonConfig
from ..records import RawMessage
from ..store import Checkpoint, MailboxEntry, Store
from .decide import Decider, Handled
from .earlier import earlier_result, marked_by_earlier_store
from .foldernames import FolderNames
from .logfmt import logfmt
from .mark import Marked, Marker, mark_for

# Upper bound on the bytes of one FETCH of bodies, so a batch of large mails
# does not hold gigabytes in memory at once.
FETCH_BYTES = 64 * 1024 * 1024
# Failed fetches of one message on its own before it is quarantined unread.
UNREADABLE_AFTER = 2

log = logging.getLogger("mailbot.daemon")


@dataclass
class PassSummary:
    new: int = 0  # messages above the checkpoint when the pass started
    decided: int = 0  # decided in this pass (oversize ones included)
    stored: int = 0  # already decided in the store: only marked
    failed: int = 0  # quarantined: a stage, the fetch or the marking failed
    oversize: int = 0  # over max_message_bytes: handed to a person
    vanished: int = 0  # expunged by someone between SEARCH and FETCH
    caught_up: bool = False


class FolderSync:
    def __init__(self, account: AccountConfig, folder: str, settings: DaemonConfig, decider: Decider, store: Store,
                 stop: threading.Event, on_handled: Callable[[Handled], None] | None = None, *,
                 redecide: bool = False):
        self.account, self.folder, self.settings = account, folder, settings
        self.decider, self.store, self.stop = decider, store, stop
        self.on_handled = on_handled
        self.redecide = redecide  # decide again what the mailbox marks as handled by an earlier store

    def run(self, conn: IMAPClient, marker: Marker | None, deadline: float | None = None, *,
            careful: bool = False, names: FolderNames | None = None) -> PassSummary:
        """Handle everything new in the folder, or until `deadline` (a time.monotonic() value) or a stop.

        `careful`: fetch one message at a time, to find one the server fails on.
        """
        started = time.perf_counter()
        server_folder = names.server_name(self.folder) if names else self.folder
        info = conn.select_folder(server_folder)  # read-write: keywords and moves need it
        checkpoint = self._checkpoint(conn, int(info[b"UIDVALIDITY"]))
        summary = PassSummary()
        uidnext = info.get(b"UIDNEXT")
        uids: list[int] = []
        if uidnext is None or int(uidnext) > checkpoint.last_uid + 1:
            # "n:*" always matches the highest UID, even when it is below n (RFC 3501 6.4.8): filter.
            uids = sorted(u for u in conn.search(["UID", f"{checkpoint.last_uid + 1}:*"]) if u > checkpoint.last_uid)
        summary.new = len(uids)
        unreadable = self._unreadable_uid(checkpoint)
        for batch in _batches(uids, self.settings.batch_size, unreadable):
            if self.stop.is_set() or (deadline is not None and time.monotonic() > deadline):
                break
            if batch == [unreadable]:
                checkpoint = self._quarantine_unread(marker, checkpoint, unreadable, summary)
            else:
                checkpoint = self._batch(conn, marker, checkpoint, batch, summary, careful)
        summary.caught_up = not uids or checkpoint.last_uid >= uids[-1]
        self.store.note_poll(self.account.name, self.folder)
        log.info(logfmt("poll", account=self.account.name, folder=self.folder, uidvalidity=checkpoint.uidvalidity,
                        last_uid=checkpoint.last_uid, new=summary.new, decided=summary.decided, stored=summary.stored,
                        failed=summary.failed, oversize=summary.oversize, vanished=summary.vanished,
                        caught_up=summary.caught_up, ms=(time.perf_counter() - started) * 1000))
        return summary

    def _checkpoint(self, conn: IMAPClient, uidvalidity: int) -> Checkpoint:
        checkpoint = self.store.checkpoint(self.account.name, self.folder)
        if checkpoint is not None and checkpoint.uidvalidity == uidvalidity:
            return checkpoint
        if checkpoint is None and self.settings.first_run == "new":
            return self._start_after_existing(conn, uidvalidity)
        if checkpoint is not None:
            # The server renumbered the folder (recreated, restored, migrated): every UID is new,
            # so rescan from the start; decided messages are recognised by identity and only marked.
            log.warning(logfmt("uidvalidity-changed", account=self.account.name, folder=self.folder,
                               old=checkpoint.uidvalidity, new=uidvalidity, note="rescanning the folder"))
        return self.store.start_checkpoint(self.account.name, self.folder, uidvalidity)

    def _start_after_existing(self, conn: IMAPClient, uidvalidity: int) -> Checkpoint:
        """first_run = "new": the checkpoint starts past the mail already in the folder, which stays as it is.

        Only for a folder the store has never seen: after a UIDVALIDITY change
        the folder is rescanned whatever this says, or mail that came in
        meanwhile would be passed over.
        """
        existing = conn.search(["ALL"])
        last_uid = max(existing, default=0)
        log.info(logfmt("first-run", account=self.account.name, folder=self.folder, uidvalidity=uidvalidity,
                        left_alone=len(existing), last_uid=last_uid,
                        note="first_run = new: mail already in the folder is not handled"))
        return self.store.start_checkpoint(self.account.name, self.folder, uidvalidity, last_uid)

    @staticmethod
    def _unreadable_uid(checkpoint: Checkpoint) -> int | None:
        return checkpoint.suspect_uid if checkpoint.suspect_failures >= UNREADABLE_AFTER else None

    def _batch(self, conn: IMAPClient, marker: Marker | None, checkpoint: Checkpoint, uids: list[int],
               summary: PassSummary, careful: bool) -> Checkpoint:
        sizes = {uid: int(data[b"RFC822.SIZE"]) for uid, data in conn.fetch(uids, ["RFC822.SIZE"]).items()
                 if b"RFC822.SIZE" in data}
        handled: list[Handled] = []
        last_uid = checkpoint.last_uid
        groups = ([u] for u in uids) if careful else _fetch_groups(uids, sizes, self.settings.max_message_bytes)
        for group in groups:
            if self.stop.is_set():
                break
            try:
                contents = self._fetch(conn, group, sizes)
            except Exception:
                if careful:
                    self.store.note_suspect(checkpoint, group[0])
                raise
            for uid in group:
                if self.stop.is_set():
                    break
                if uid in contents:
                    handled.append(self._decide(checkpoint, uid, sizes[uid], contents[uid]))
                else:
                    summary.vanished += 1
                    log.info(logfmt("vanished", account=self.account.name, folder=self.folder, uid=uid,
                                    note="expunged before it could be fetched"))
                last_uid = uid
        return self._mark_and_commit(marker, checkpoint, last_uid, handled, summary)

    def _quarantine_unread(self, marker: Marker | None, checkpoint: Checkpoint, uid: int,
                           summary: PassSummary) -> Checkpoint:
        # Past it in the store first: if flagging or moving it kills the connection again,
        # the next pass starts after it instead of failing on it for ever.
        handled = self.decider.unreadable(uid, self._source(checkpoint, uid), checkpoint.suspect_failures)
        checkpoint = self.store.commit_mailbox(checkpoint, uid, [_entry(handled, Marked())])
        return self._mark_and_commit(marker, checkpoint, uid, [handled], summary)

    def _mark_and_commit(self, marker: Marker | None, checkpoint: Checkpoint, last_uid: int,
                         handled: list[Handled], summary: PassSummary) -> Checkpoint:
        outcome = marker.apply(self.folder, [mark_for(h, self.account) for h in handled]) if marker else {}
        entries = []
        for h in handled:
            entry = _entry(h, outcome.get(h.uid, Marked()))
            entries.append(entry)
            self._count(summary, h, entry.state)
            log.info(logfmt("message", account=self.account.name, folder=self.folder, uid=h.uid,
                            message_id=h.message_id, intent=h.intent, action=h.action, state=entry.state,
                            decision="new" if h.new else "stored", moved_to=entry.moved_to, error=entry.error,
                            ms=h.ms))
            if self.on_handled:
                self.on_handled(h)
        return self.store.commit_mailbox(checkpoint, last_uid, entries)

    def _fetch(self, conn: IMAPClient, uids: list[int], sizes: dict[int, int]) -> dict[int, "Fetched"]:
        """Whole messages, or only the header of those over the size limit; UIDs gone meanwhile are absent.

        With each, its keywords (an earlier store's marks) and INTERNALDATE (when it arrived).
        """
        limit = self.settings.max_message_bytes
        whole = [u for u in uids if u in sizes and sizes[u] <= limit]
        large = [u for u in uids if u in sizes and sizes[u] > limit]
        contents: dict[int, Fetched] = {}
        for wanted, item, key in ((whole, "BODY.PEEK[]", b"BODY[]"), (large, "BODY.PEEK[HEADER]", b"BODY[HEADER]")):
            if wanted:
                wanted_set = set(wanted)
                for uid, data in conn.fetch(wanted, [item, "FLAGS", "INTERNALDATE"]).items():
                    if uid in wanted_set and data.get(key) is not None:
                        contents[uid] = Fetched(data[key], tuple(data.get(b"FLAGS") or ()),
                                                _aware(data.get(b"INTERNALDATE")))
        return contents

    def _decide(self, checkpoint: Checkpoint, uid: int, size: int, fetched: "Fetched") -> Handled:
        source = self._source(checkpoint, uid)
        content = fetched.data
        if not self.redecide and marked_by_earlier_store(fetched.flags):
            raw = RawMessage(source, content, fetched.received)
            identity, result = earlier_result(raw, fetched.flags)
            return self.decider.handled_earlier(uid, raw, identity, result)
        oversize = size if size > self.settings.max_message_bytes else None
        return self.decider.decide(uid, source, content, fetched.received, full_size=oversize)

    def _source(self, checkpoint: Checkpoint, uid: int) -> str:
        # RFC 5092 IMAP URL: names the message for as long as the UIDVALIDITY holds.
        return (f"imap://{quote(self.account.name)}/{quote(self.folder)};"
                f"UIDVALIDITY={checkpoint.uidvalidity}/;UID={uid}")

    @staticmethod
    def _count(summary: PassSummary, h: Handled, state: str) -> None:
        if state == "failed":
            summary.failed += 1
        elif h.new:
            summary.decided += 1
        else:
            summary.stored += 1
        if state == "oversize":
            summary.oversize += 1


@dataclass(frozen=True)
class Fetched:
    data: bytes
    flags: tuple
    received: datetime | None


def _aware(moment) -> datetime | None:
    """imapclient gives INTERNALDATE as naive local time; as an aware time, or None."""
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(timezone.utc)


def _entry(h: Handled, marked: Marked) -> MailboxEntry:
    error = "; ".join(e for e in (h.error, marked.error) if e) or None
    return MailboxEntry(h.uid, h.identity, h.message_id, "failed" if error else h.state, h.intent, h.action,
                        marked.moved_to, error)


def _batches(uids: list[int], size: int, alone: int | None) -> Iterator[list[int]]:
    """`uids` in runs of at most `size`, with the UID `alone` (if any) in a run of its own."""
    run: list[int] = []
    for uid in uids:
        if uid == alone:
            if run:
                yield run
            yield [uid]
            run = []
            continue
        run.append(uid)
        if len(run) == size:
            yield run
            run = []
    if run:
        yield run


def _fetch_groups(uids: list[int], sizes: dict[int, int], limit: int) -> Iterator[list[int]]:
    """Consecutive runs of `uids` whose whole bodies add up to at most FETCH_BYTES."""
    group: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0) if sizes.get(uid, 0) <= limit else 0  # over the limit: header only
        if group and total + size > FETCH_BYTES:
            yield group
            group, total = [], 0
        group.append(uid)
        total += size
    if group:
        yield group
