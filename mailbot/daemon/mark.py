"""Marking handled messages in the mailbox: keywords, then moves.

Runs only after the decisions are committed to the store, so a crash here
leaves messages the next pass recognises and marks again; STORE +FLAGS is
idempotent.  Commands go out once per group of messages sharing keywords or
a destination, not once per message: over a real network each is a round trip.

Keywords, not \\Seen: the bot never marks mail read (fetches use BODY.PEEK).
There is no keyword per action: Dovecot's Maildir keeps at most 26 keywords
per mailbox, and 11 intents plus 3 states already take 14.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from ..config import AccountConfig
from .decide import Handled
from .foldernames import FolderNameError, FolderNames
from .logfmt import logfmt

TRIAGED = "$MailbotTriaged"
FAILED = "$MailbotFailed"
OVERSIZE = "$MailbotOversize"
INTENT_PREFIX = "$MailbotIntent_"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mark:
    """What one handled message gets in the mailbox."""

    uid: int
    keywords: tuple[str, ...]
    destination: str | None  # None: stays where it is


@dataclass
class Marked:
    moved_to: str | None = None
    error: str | None = None


# Mail a person must take up stays in the folder people read, whatever move_by_* says:
# moved to an archive, nobody would see it (oversize mail is escalate_human too).
NEEDS_PERSON_ACTIONS = ("escalate_human",)


def needs_person(handled: Handled) -> bool:
    return handled.state in ("failed", "oversize") or handled.action in NEEDS_PERSON_ACTIONS


def mark_for(handled: Handled, account: AccountConfig) -> Mark:
    if handled.state == "failed":
        # Only to the quarantine folder the operator named for it (a folder people read), never by move_by_*.
        return Mark(handled.uid, (FAILED,), account.quarantine_folder or None)
    keywords = [TRIAGED]
    if handled.state == "oversize":
        keywords.append(OVERSIZE)
    if handled.intent:
        keywords.append(INTENT_PREFIX + handled.intent)
    if needs_person(handled):
        return Mark(handled.uid, tuple(keywords), None)
    destination = account.move_by_action.get(handled.action or "") or account.move_by_intent.get(handled.intent or "")
    return Mark(handled.uid, tuple(keywords), destination or None)


class BrokenMoves:
    """Destinations a move to will keep failing (the server cannot hold the name, refuses to create it).

    Shared by every watcher of the daemon, so the problem is logged and put in
    `mailbot status` once, with the fix; the messages meanwhile stay where they
    are, decided and marked, and are not quarantined for it.
    """

    def __init__(self):
        self._broken: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get(self, account: str, destination: str) -> str | None:
        return self._broken.get((account, destination))

    def add(self, account: str, destination: str, problem: str,
            report: Callable[[str], None] | None = None) -> None:
        """Record it; the first time, log it and `report` it (e.g. into the store for `mailbot status`)."""
        with self._lock:
            if (account, destination) in self._broken:
                return
            self._broken[(account, destination)] = problem
        fix = ("fix the folder name in move_by_action / move_by_intent / quarantine_folder (written with \"/\" "
               "between levels) or create the folder by hand, then restart mailbot")
        text = f"move to {destination!r} disabled: {problem}; {fix}"
        log.error(logfmt("move-disabled", account=account, destination=destination, error=problem,
                         note="messages for it stay where they are until mailbot restarts", fix=fix))
        if report:
            try:
                report(text)
            except Exception:  # the log line above already says it
                pass


# IMAP response codes (RFC 5530) that trying again will not change.
PERMANENT_CODES = ("[NOPERM]", "[CANNOT]", "[NONEXISTENT]")


# ...and those that say the trouble will pass.
TEMPORARY_CODES = ("[UNAVAILABLE]", "[SERVERBUG]", "[INUSE]", "[OVERQUOTA]", "[LIMIT]")


def _permanent_error(error: str | None) -> bool:
    return bool(error) and any(code in error.upper() for code in PERMANENT_CODES)


def _temporary_error(error: str) -> bool:
    return any(code in error.upper() for code in TEMPORARY_CODES)


class Marker:
    """Applies marks over one connection, with the folder selected read-write."""

    def __init__(self, conn: IMAPClient, account: str, names: FolderNames | None = None,
                 broken: BrokenMoves | None = None, report: Callable[[str], None] | None = None):
        self.conn, self.account, self.report = conn, account, report
        self.can_move = conn.has_capability("MOVE")
        self.can_uid_expunge = conn.has_capability("UIDPLUS")
        self.names = names or FolderNames("/")
        self.broken = broken or BrokenMoves()
        self._existing: set[str] = set()

    def apply(self, folder: str, marks: Iterable[Mark]) -> dict[int, Marked]:
        marks = list(marks)
        outcome = {m.uid: Marked() for m in marks}
        for keywords, uids in _group(marks, lambda m: m.keywords).items():
            self._all_or_each(uids, lambda us, k=keywords: self.conn.add_flags(us, k, silent=True), outcome, "keywords")
        movable = [m for m in marks if m.destination and m.destination != folder and not outcome[m.uid].error
                   and not self.broken.get(self.account, m.destination)]
        for destination, uids in _group(movable, lambda m: m.destination).items():
            try:
                server_name = self.names.server_name(destination)
                self._ensure_folder(server_name)
            except IMAPClientAbortError:
                raise
            except (FolderNameError, IMAPClientError) as e:
                if _temporary_error(str(e)):  # the server's passing trouble: these messages are kept as failed
                    for uid in uids:
                        outcome[uid].error = f"move to {destination}: cannot create the folder: {e}"
                    continue
                # A folder that cannot be created now will not be on the next message either:
                # reported once, and these messages stay where they are (decided, not failed).
                self.broken.add(self.account, destination, f"cannot create the folder: {e}", self.report)
                continue
            if self.can_move:  # RFC 6851: atomic
                moved = self._all_or_each(uids, lambda us, d=server_name: self.conn.move(us, d), outcome,
                                          f"move to {destination}")
            else:  # each step on its own, so a message refused half-way is never copied twice
                copied = self._all_or_each(uids, lambda us, d=server_name: self.conn.copy(us, d), outcome,
                                           f"copy to {destination}")
                moved = self._all_or_each(copied, self._remove, outcome, f"copied to {destination}, not removed")
            refused = [uid for uid in uids if uid not in moved and _permanent_error(outcome[uid].error)]
            if refused and len(refused) == len(uids):
                # Refused for every message for a reason that will not change (no permission...).
                self.broken.add(self.account, destination, outcome[refused[0]].error, self.report)
                for uid in refused:
                    outcome[uid].error = None
            for uid in moved:
                outcome[uid].moved_to = destination
        return outcome

    def _remove(self, uids: list[int]) -> None:
        self.conn.delete_messages(uids, silent=True)
        if self.can_uid_expunge:
            self.conn.uid_expunge(uids)  # RFC 4315: expunges only these, not others' \Deleted mail
        else:
            # A plain EXPUNGE would also remove whatever a person flagged \Deleted; leave ours
            # flagged for the next expunge a person's client does.
            log.warning(logfmt("no-uidplus", account=self.account, uids=len(uids),
                               note="copied and flagged \\Deleted, not expunged"))

    def _ensure_folder(self, folder: str) -> None:
        if folder in self._existing:
            return
        if not self.conn.folder_exists(folder):
            try:
                self.conn.create_folder(folder)
            except IMAPClientAbortError:
                raise
            except IMAPClientError:
                if not self.conn.folder_exists(folder):  # created meanwhile by another connection: fine
                    raise
            log.info(logfmt("folder-created", account=self.account, folder=folder))
            try:
                self.conn.subscribe_folder(folder)  # so people's mail clients show it
            except IMAPClientAbortError:
                raise
            except IMAPClientError:
                pass
        self._existing.add(folder)

    @staticmethod
    def _all_or_each(uids: list[int], command: Callable[[list[int]], object], outcome: dict[int, Marked],
                     what: str) -> list[int]:
        """Run `command` on all `uids` at once; if the server refuses, one by one, so one message fails alone."""
        try:
            command(uids)
            return uids
        except IMAPClientAbortError:
            raise
        except IMAPClientError:
            pass  # refused for the group: find the message it is about
        done = []
        for uid in uids:
            try:
                command([uid])
                done.append(uid)
            except IMAPClientAbortError:
                raise
            except IMAPClientError as e:
                outcome[uid].error = f"{what}: {e}"
        return done


def _group(marks: list[Mark], key: Callable[[Mark], object]) -> dict:
    groups: dict = defaultdict(list)
    for m in marks:
        groups[key(m)].append(m.uid)
    return groups
