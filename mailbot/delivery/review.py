"""What a reviewer does to a draft: approve (maybe edited), reject with a reason, retry a failed send.

An approval asks the loop guard again (hard stops only: a person may send
more than the automatic limits allow) and fixes the reply's bytes in the
outbox.  The Drafts-folder copy is withdrawn, so nobody sends it a second
time from a mail client.  Every step is an event naming the reviewer.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..config import Config
from ..errors import MailbotError
from ..store import Store
from . import guard
from .drafts import Draft, Drafts
from .intake import queue_reply
from .ledger import StoreLedger
from .outbox import Outbox, OutboxEntry
from .tables import utcnow


class ReviewError(MailbotError):
    """The draft cannot be approved, rejected or retried as asked."""


@dataclass(frozen=True)
class DraftView:
    draft: Draft
    outbox: OutboxEntry | None
    events: list[tuple[str, str, str, dict]]


def reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: still record something
        return "unknown"


class Review:
    def __init__(self, config: Config, store: Store, *, now: Callable[[], datetime] = utcnow):
        self.config, self.now = config, now
        self.drafts, self.outbox, self.ledger = Drafts(store.db), Outbox(store.db), StoreLedger(store.db)

    def pending(self) -> list[Draft]:
        return self.drafts.with_status("pending")

    def stopped(self) -> list[Draft]:
        """Replies the loop guard will not send: a person answers by hand, or rejects to clear them."""
        return self.drafts.with_status("blocked")

    def failed(self) -> list[tuple[Draft, OutboxEntry]]:
        return [(self.drafts.get(e.draft_id), e) for e in self.outbox.with_state("failed")]

    def recent(self, limit: int = 50) -> list[Draft]:
        return self.drafts.with_status("pending", "approved", "auto", "rejected", "blocked", limit=limit)

    def show(self, draft_id: int) -> DraftView:
        draft = self._draft(draft_id)
        return DraftView(draft, self.outbox.for_draft(draft_id), self.drafts.events(draft_id))

    def approve(self, draft_id: int, *, actor: str, edited_body: str | None = None) -> OutboxEntry:
        draft = self._draft(draft_id)
        if draft.status != "pending":
            raise ReviewError(f"draft {draft_id} is {draft.status}, not pending")
        now = self.now()
        verdict = guard.check(self._candidate(draft), self.config, self.ledger, now)
        if verdict.stops:
            with self.drafts.transaction():
                self.drafts.add_trace(draft_id, [f"approve by {actor} refused:"] + verdict.trace(), now)
                self.drafts.event(draft_id, "approve-refused", actor, now, stops=verdict.stops)
            raise ReviewError(f"draft {draft_id} may not be sent: " + "; ".join(verdict.stops))
        edited = None
        if edited_body is not None:
            edited = edited_body.strip("\n") + "\n"
            if not edited.strip():
                raise ReviewError("the edited reply is empty; nothing approved")
            if edited == draft.body:
                edited = None
        with self.drafts.transaction():
            if edited is not None:
                self.drafts.event(draft_id, "edited", actor, now, before=draft.body, after=edited)
            if not self.drafts.transition(draft_id, ("pending",), now, status="approved", edited_body=edited,
                                          reviewer=actor, reviewed_at=now.isoformat(),
                                          imap_state=_withdrawn(draft.imap_state)):
                raise ReviewError(f"draft {draft_id} was decided by someone else meanwhile")
            self.drafts.event(draft_id, "approved", actor, now, edited=edited is not None)
            queue_reply(self.drafts.get(draft_id), self.config, self.outbox, automatic=False, now=now)
        return self.outbox.for_draft(draft_id)

    def reject(self, draft_id: int, *, reason: str, actor: str) -> None:
        draft = self._draft(draft_id)
        if not reason.strip():
            raise ReviewError("a rejection needs a reason (it becomes training data)")
        entry = self.outbox.for_draft(draft_id)
        now = self.now()
        with self.drafts.transaction():
            if entry is not None and not self.outbox.withdraw(entry.id):
                raise ReviewError(f"draft {draft_id}'s reply is already {entry.state}; too late to reject")
            if entry is None and draft.status not in ("pending", "blocked"):
                raise ReviewError(f"draft {draft_id} is {draft.status}")
            if not self.drafts.transition(draft_id, ("pending", "blocked", "approved", "auto"), now,
                                          status="rejected", reject_reason=reason.strip(), reviewer=actor,
                                          reviewed_at=now.isoformat(), imap_state=_withdrawn(draft.imap_state)):
                raise ReviewError(f"draft {draft_id} is {draft.status}")
            self.drafts.event(draft_id, "rejected", actor, now, reason=reason.strip(), body=draft.final_body,
                              action=draft.action, intent=draft.intent)

    def retry(self, draft_id: int, *, actor: str) -> OutboxEntry:
        """Queue a failed reply again: the guard looks at it again before it goes."""
        entry = self.outbox.for_draft(draft_id)
        if entry is None or entry.state != "failed":
            raise ReviewError(f"draft {draft_id} has no failed reply to retry")
        now = self.now()
        with self.drafts.transaction():
            self.outbox.requeue(entry.id, now)
            self.drafts.event(draft_id, "retried", actor, now, last_error=entry.last_error,
                              in_doubt=entry.phase == "data")
        return self.outbox.get(entry.id)

    def resume_auto_send(self, *, actor: str) -> dict | None:
        return self.ledger.resume_auto_send()

    def _draft(self, draft_id: int) -> Draft:
        draft = self.drafts.get(draft_id)
        if draft is None:
            raise ReviewError(f"no draft {draft_id}")
        return draft

    def _candidate(self, draft: Draft) -> guard.Candidate:
        return candidate_for(draft, automatic=False)


def candidate_for(draft: Draft, *, automatic: bool) -> guard.Candidate:
    problem = "" if draft.recipient else next(
        (line.split("recipient: ", 1)[1] for line in json.loads(draft.delivery_trace) if "STOP recipient: " in line),
        "no safe recipient")
    return guard.Candidate(
        recipient=draft.recipient, recipient_problem=problem, original=draft.original(),
        original_text=draft.original_text, classified_automated=bool(draft.automated),
        thread_key=draft.thread_key, automatic=automatic, draft_id=draft.id)


def _withdrawn(imap_state: str) -> str:
    """The Drafts-folder copy of a draft that is decided: taken out, or never put in."""
    return "withdraw" if imap_state == "appended" else ("none" if imap_state == "pending" else imap_state)
