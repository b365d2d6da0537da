"""The review service: what a reviewer sees and does, for `mailbot review` and the web console alike.

Both faces call this class and hold no logic of their own (DESIGN.md,
"Around the pipeline").  A reviewer approves a draft (maybe edited),
rejects it with a reason, retries a failed send, says which intent was
right, marks an escalation or a quarantined message handled, resumes
auto-send; and reads the queue, a draft, the status and the quality report.

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
from ..orders import Order, OrderBook
from .vocabulary import INTENTS
from ..store import Store
from . import guard, originals
from .drafts import Draft, Drafts, QueueRow
from .intake import queue_reply
from .ledger import StoreLedger
from .outbox import Outbox, OutboxEntry
from .quality import QualityReport, quality_report
from .reviewtables import ensure_review_tables
from .tables import timestamp, utcnow


class ReviewError(MailbotError):
    """The draft cannot be approved, rejected or retried as asked."""


class NoSuchDraft(ReviewError):
    """No draft has this id."""


class AlreadyDecided(ReviewError):
    """Someone decided the draft already (the message says who, and when)."""


@dataclass(frozen=True)
class DraftView:
    draft: Draft
    outbox: OutboxEntry | None
    events: list[tuple[str, str, str, dict]]
    attachments: tuple[originals.KeptAttachment, ...] = ()
    orders: tuple[tuple[str, Order | None], ...] = ()  # each order number the customer gave, with its data row
    label: dict | None = None  # the intent a reviewer gave, if any
    has_html: bool = False  # the customer sent an HTML version (shown only sanitised)


QUEUE_PAGE = 200  # rows per page of the queue; the counts and filters cover every pending draft


@dataclass(frozen=True)
class Queue:
    rows: tuple[QueueRow, ...]  # one page of the pending drafts, filtered, newest first
    per_action: tuple[tuple[str, int], ...]  # every pending draft, counted by action
    per_intent: tuple[tuple[str, int], ...]
    total: int  # every pending draft
    matching: int  # those the filters let through, on all pages
    page: int  # from 1
    pages: int


@dataclass(frozen=True)
class NeedsPerson:
    """An escalation, or a reply the loop guard stopped, or a quarantined message: a person takes it up."""

    kind: str  # "draft" or "quarantine"
    key: str
    at: str
    sender: str
    subject: str
    reason: str
    draft_id: int | None = None


def reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: still record something
        return "unknown"


class Review:
    def __init__(self, config: Config, store: Store, *, now: Callable[[], datetime] = utcnow,
                 orders: OrderBook | None = None):
        self.config, self.now, self.store = config, now, store
        self.drafts, self.outbox, self.ledger = Drafts(store.db), Outbox(store.db), StoreLedger(store.db)
        ensure_review_tables(store.db)
        self._orders = orders

    def pending(self) -> list[Draft]:
        return self.drafts.with_status("pending")

    def stopped(self) -> list[Draft]:
        """Replies the loop guard will not send: a person answers by hand, or rejects to clear them."""
        return self.drafts.with_status("blocked")

    def failed(self) -> list[tuple[Draft, OutboxEntry]]:
        return [(self.drafts.get(e.draft_id), e) for e in self.outbox.with_state("failed")]

    def recent(self, limit: int = 50) -> list[Draft]:
        return self.drafts.with_status("pending", "approved", "auto", "rejected", "blocked", limit=limit)

    def queue(self, *, intent: str | None = None, action: str | None = None, page: int = 1,
              per_page: int = QUEUE_PAGE) -> Queue:
        """A page of the pending drafts (newest first, filtered), with counts over all of them."""
        per_action, per_intent = self.drafts.pending_counts()
        page = max(page, 1)
        rows, matching = self.drafts.queue_rows(self.now(), intent=intent or None, action=action or None,
                                                limit=per_page, offset=(page - 1) * per_page)
        return Queue(tuple(rows), per_action, per_intent, sum(n for _, n in per_action), matching, page,
                     max(1, -(-matching // per_page)))

    def show(self, draft_id: int) -> DraftView:
        draft = self._draft(draft_id)
        db = self.store.db
        numbers = (json.loads(draft.facts).get("order_numbers") or [])
        label = db.execute("SELECT intent, classified, decision, actor, at FROM review_labels WHERE draft_id = ?",
                           (draft_id,)).fetchone()
        return DraftView(draft, self.outbox.for_draft(draft_id), self.drafts.events(draft_id),
                         attachments=tuple(originals.attachments(db, draft_id)),
                         orders=tuple((n, self.order_book().get(n)) for n in numbers),
                         label=dict(zip(("intent", "classified", "decision", "actor", "at"), label)) if label else None,
                         has_html=bool(originals.original_html(db, draft_id)))

    def next_pending(self, draft_id: int) -> int | None:
        return self.drafts.next_pending(draft_id)

    def original_html(self, draft_id: int) -> str:
        """The customer's HTML as sent: never show it unsanitised (web/sanitize.py)."""
        self._draft(draft_id)
        return originals.original_html(self.store.db, draft_id)

    def attachment(self, draft_id: int, position: int) -> tuple[originals.KeptAttachment, bytes] | None:
        self._draft(draft_id)
        return originals.attachment_bytes(self.store.db, draft_id, position)

    def order_book(self) -> OrderBook:
        if self._orders is None:
            path = self.config.policy.orders
            self._orders = OrderBook.load(self.config.path(path)) if path else OrderBook()
        return self._orders

    def approve(self, draft_id: int, *, actor: str, edited_body: str | None = None,
                intent: str | None = None) -> OutboxEntry:
        draft = self._draft(draft_id)
        if draft.status != "pending":
            raise AlreadyDecided(decided_message(draft))
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
            # The one decision: a conditional UPDATE inside BEGIN IMMEDIATE, so of two reviewers
            # approving at once exactly one changes the row; the other is told who did.
            if not self.drafts.transition(draft_id, ("pending",), now, status="approved", edited_body=edited,
                                          reviewer=actor, reviewed_at=now.isoformat(),
                                          imap_state=_withdrawn(draft.imap_state)):
                raise AlreadyDecided(decided_message(self.drafts.get(draft_id)))
            self.drafts.event(draft_id, "approved", actor, now, edited=edited is not None)
            self._label(draft, intent, "edited" if edited is not None else "approved", actor, now)
            queue_reply(self.drafts.get(draft_id), self.config, self.outbox, automatic=False, now=now)
        return self.outbox.for_draft(draft_id)

    def reject(self, draft_id: int, *, reason: str, actor: str, intent: str | None = None) -> None:
        draft = self._draft(draft_id)
        if not reason.strip():
            raise ReviewError("a rejection needs a reason (it becomes training data)")
        _check_intent(intent)
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
                raise AlreadyDecided(decided_message(self.drafts.get(draft_id)))
            self.drafts.event(draft_id, "rejected", actor, now, reason=reason.strip(), body=draft.final_body,
                              action=draft.action, intent=draft.intent, right_intent=intent or draft.intent)
            self._label(draft, intent, "rejected", actor, now)

    def label(self, draft_id: int, *, intent: str, actor: str) -> None:
        """The reviewer says which intent the customer's mail has, without deciding the draft."""
        draft = self._draft(draft_id)
        _check_intent(intent)
        now = self.now()
        with self.drafts.transaction():
            self.drafts.event(draft_id, "intent-labelled", actor, now, intent=intent, classified=draft.intent)
            self._label(draft, intent, "labelled", actor, now)

    def _label(self, draft: Draft, intent: str | None, decision: str, actor: str, now: datetime) -> None:
        """Inside the caller's transaction: the reviewer's intent, for `mailbot model train --with-reviews`."""
        if intent is None:
            return
        _check_intent(intent)
        if intent != draft.intent:
            self.drafts.event(draft.id, "intent-corrected", actor, now, intent=intent, classified=draft.intent)
        self.store.db.execute(
            "INSERT INTO review_labels (draft_id, intent, classified, decision, actor, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (draft_id) DO UPDATE SET intent = excluded.intent, decision = excluded.decision, "
            "actor = excluded.actor, at = excluded.at",
            (draft.id, intent, draft.intent, decision, actor, timestamp(now)))

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
        paused = self.ledger.resume_auto_send()
        if paused:
            self.ledger.db.execute("INSERT INTO delivery_events (at, draft_id, event, actor, detail) "
                                   "VALUES (?, 0, 'auto-send-resumed', ?, ?)",
                                   (timestamp(self.now()), actor, json.dumps(paused)))
        return paused

    # Mail that needs a person

    def needs_person(self) -> list[NeedsPerson]:
        """Escalations, replies the guard stopped, quarantined messages: those nobody marked handled yet."""
        db = self.store.db
        handled = {(kind, key) for kind, key in db.execute("SELECT kind, key FROM review_handled")}
        found = []
        for d in self.drafts.needing_person():
            if ("draft", str(d.id)) not in handled:
                found.append(NeedsPerson("draft", str(d.id), d.created_at, d.original_from, d.original_subject,
                                         escalation_reason(d), d.id))
        for q in self.store.quarantined():
            key = f"{q['account']}/{q['folder']}/{q['uidvalidity']}/{q['uid']}"
            if ("quarantine", key) not in handled:
                found.append(NeedsPerson("quarantine", key, q["handled"], q["message_id"] or q["identity"],
                                         f"{q['account']}/{q['folder']} UID {q['uid']}"
                                         + (f", moved to {q['moved_to']}" if q["moved_to"] else ""),
                                         q["error"] or "failed"))
        return sorted(found, key=lambda n: n.at, reverse=True)

    def mark_handled(self, kind: str, key: str, *, actor: str) -> None:
        if kind not in ("draft", "quarantine") or not any(n.key == key and n.kind == kind
                                                          for n in self.needs_person()):
            raise ReviewError(f"nothing waiting for a person as {kind} {key}")
        now = self.now()
        with self.drafts.transaction():
            self.store.db.execute("INSERT OR IGNORE INTO review_handled (kind, key, actor, at) VALUES (?, ?, ?, ?)",
                                  (kind, key, actor, timestamp(now)))
            if kind == "draft":
                self.drafts.event(int(key), "handled", actor, now)

    # Reports

    def status(self) -> dict:
        from ..daemon.status import status_report  # the same report as `mailbot status`

        return status_report(self.store, self.config)

    def quality(self, since: datetime | None) -> QualityReport:
        return quality_report(self.store.db, timestamp(since) if since else None)

    def _draft(self, draft_id: int) -> Draft:
        draft = self.drafts.get(draft_id)
        if draft is None:
            raise NoSuchDraft(f"no draft {draft_id}")
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


def decided_message(draft: Draft) -> str:
    """Who did what to a draft that is no longer pending, and when."""
    status = draft.status
    who = f" by {draft.reviewer}" if draft.reviewer else (" by mailbot (automatic)" if status == "auto" else "")
    when = f" at {draft.reviewed_at[:19].replace('T', ' ')} UTC" if draft.reviewed_at else ""
    reason = f": {draft.reject_reason}" if draft.reject_reason else ""
    return f"draft {draft.id} is {status}, not pending ({status}{who}{when}{reason})"


def escalation_reason(draft: Draft) -> str:
    """Why a person must take this one up: the guard's stop, or the rule that escalated."""
    stop = stop_reason(draft)
    if stop:
        return f"the loop guard stopped the reply: {stop}"
    decides = [line for line in json.loads(draft.trace) if "decides" in line]
    return decides[-1] if decides else f"rule {draft.rule or '-'} escalates to a person"


def stop_reason(draft: Draft) -> str:
    return next((line[len("guard: STOP "):] for line in json.loads(draft.delivery_trace)
                 if line.startswith("guard: STOP ")), "")


def _check_intent(intent: str | None) -> None:
    if intent is not None and intent not in INTENTS:
        raise ReviewError(f"unknown intent {intent!r}; known: {', '.join(INTENTS)}")


def _withdrawn(imap_state: str) -> str:
    """The Drafts-folder copy of a draft that is decided: taken out, or never put in."""
    return "withdraw" if imap_state == "appended" else ("none" if imap_state == "pending" else imap_state)
