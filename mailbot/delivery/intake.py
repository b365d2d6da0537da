"""The pipeline's deliver hook: a decided message becomes a draft for review, or a reply queued to go alone.

Called by Pipeline.process after render, before the decision is
recorded; what it decided joins the message's trace.  It writes only the
store (one transaction: the draft, its outbox entry, the event); the mailbox
and SMTP are the runner's, so a slow server never holds up triage.

    dry-run   nothing is written; the trace says what would have happened
    draft     every reply is a draft (also put in the Drafts folder when configured)
    send      replies the allowlist trusts are queued to send, the rest are drafts
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Callable

from ..config import Config
from ..orderdata import OrderSource
from ..parse import bounded_bytes
from ..records import RawMessage, TriageResult
from ..store import Store
from . import guard
from .addresses import UnsafeAddress, recipient_of
from .autosend import may_go_alone
from .vocabulary import ORDER_STATUS_ACTIONS
from .bounces import bounces_in
from .compose import as_bytes, build_reply, message_ids, new_message_id, thread_ids, thread_root
from .drafts import Draft, Drafts
from .ledger import StoreLedger
from .originals import keep_original
from .outbox import Outbox
from .tables import utcnow

log = logging.getLogger("mailbot.delivery")

MAX_ORIGINAL_TEXT = 20000
MAX_REFERENCED = 100  # Message-IDs of References/In-Reply-To looked up for the thread
BOT = "mailbot"


class Delivery:
    """Pipeline(..., deliver=Delivery(config, store)) or `pipeline.deliver = Delivery(config, store)`."""

    def __init__(self, config: Config, store: Store, *, now: Callable[[], datetime] = utcnow,
                 orders: OrderSource | None = None, on_drafted: Callable[[], None] | None = None):
        self.config, self.db, self.now = config, store.db, now
        self.orders = orders  # the order data's age: stale data never states an order's status alone
        self.on_drafted = on_drafted  # the daemon: put the new draft in the Drafts folder now
        self.drafts, self.outbox, self.ledger = Drafts(store.db), Outbox(store.db), StoreLedger(store.db)

    def __call__(self, raw: RawMessage, outcome: TriageResult, result: dict) -> dict:
        lines = self.deliver(raw, outcome, result)
        return {**result, "trace": [*result.get("trace", []), *lines]} if lines else result

    def deliver(self, raw: RawMessage, outcome: TriageResult, result: dict) -> list[str]:
        now = self.now()
        parsed, decision, reply = outcome.parsed, outcome.decision, outcome.reply
        # Only a multipart/report can be a delivery report; the parse stage has read the type already.
        if self.config.mode != "dry-run" and (parsed is None or parsed.content_type == "multipart/report"):
            self._record_bounces(raw, now)
        if parsed is None or decision is None or reply is None:
            return []
        try:
            # As they came: the address is parsed before its name is decoded (addresses.py).
            to = recipient_of(parsed.address_headers or parsed.headers)
            recipient, recipient_name, problem = to.address, to.name, ""
        except UnsafeAddress as e:
            recipient, recipient_name, problem = None, "", str(e)
        classification = outcome.classification
        intent = classification.intent if classification else None
        confidence = classification.confidence if classification else None
        alone, why = may_go_alone(self.config, decision.action, intent, confidence, reply.body,
                                  written=parsed.date, now=now, arrived=raw.received,
                                  orders_stale=self._orders_stale(outcome, now))
        thread_key = self._thread_key(parsed)
        candidate = guard.Candidate(
            recipient=recipient, recipient_problem=problem, original=parsed,
            original_text=outcome.extraction.new_text if outcome.extraction else parsed.text_plain,
            classified_automated=bool(classification and classification.automated),
            thread_key=thread_key, automatic=alone)
        verdict = guard.check(candidate, self.config, self.ledger, now)
        if verdict.stops:
            status, summary = "blocked", "NOT SENT, not drafted for sending: the loop guard stops it"
        elif alone and verdict.may_send:
            status, summary = "auto", f"queued to send automatically ({why})"
        else:
            status = "pending"
            summary = "draft for review: " + (why if not alone else "a guard limit holds it for a person")
        lines = [f"deliver: {summary}"] + verdict.trace()
        if recipient:
            lines.insert(1, f"deliver: to {recipient} (from the {to.header} header)")
        if self.config.mode == "dry-run":
            return [f"deliver (dry-run, nothing written): {summary}"] + lines[1:]
        if verdict.stops:
            log.warning("deliver %s: loop guard stops the reply: %s", parsed.identity, "; ".join(verdict.stops))
        if verdict.cap_reached:
            self.ledger.pause_auto_send(verdict.waits[-1], now)
        with self.drafts.transaction():
            draft_id, created = self.drafts.create(self._draft_values(
                outcome, result, status, recipient, recipient_name, thread_key, lines), now)
            if not created:
                return [f"deliver: already drafted as draft {draft_id}; left as it is"]
            lines = [*lines, f"deliver: draft {draft_id}"]
            self.drafts.update(draft_id, now, delivery_trace=json.dumps(lines))
            self.drafts.event(draft_id, {"auto": "auto-queued", "blocked": "blocked"}.get(status, "drafted"), BOT, now,
                              trace=lines)
            keep_original(self.db, draft_id, parsed, self.config)  # the console shows them (web/)
            if status == "auto":
                queue_reply(self.drafts.get(draft_id), self.config, self.outbox, automatic=True, now=now)
        log.info("deliver %s: draft %d %s: %s", parsed.identity, draft_id, status, summary)
        if self.on_drafted is not None and status == "pending" and self.config.delivery.imap_account:
            self.on_drafted()
        return lines

    def _orders_stale(self, outcome: TriageResult, now: datetime) -> str:
        """Why the order data is too old for this reply, or "": only replies that state an order's status
        (their action is about one, or they name an order the data knows) depend on its age."""
        if self.orders is None:
            return ""
        mentioned = [o.number for o in outcome.extraction.orders] if outcome.extraction else []
        known = any(number in self.orders.book for number in mentioned)
        if outcome.decision.action not in ORDER_STATUS_ACTIONS and not known:
            return ""
        return self.orders.staleness(now)

    def _thread_key(self, parsed) -> str:
        """The thread's root, or the thread of our own reply this message answers (an auto-responder's
        reply often names only our reply in References, not the thread's first message)."""
        referenced = message_ids(parsed.header("references")) + message_ids(parsed.header("in-reply-to"))
        # One SQL variable each, and SQLite allows only so many: the root and the latest ones thread a reply.
        referenced = list(dict.fromkeys(referenced[:1] + referenced[-MAX_REFERENCED:]))
        if referenced:
            marks = ", ".join("?" * len(referenced))
            row = self.db.execute(f"SELECT thread_key FROM delivery_drafts WHERE message_id IN ({marks}) LIMIT 1",
                                  referenced).fetchone()
            if row:
                return row[0]
        root = thread_root(parsed.message_id, parsed.header("references"), parsed.header("in-reply-to"))
        return root or parsed.identity

    def _draft_values(self, outcome: TriageResult, result: dict, status: str, recipient: str | None,
                      recipient_name: str, thread_key: str, lines: list[str]) -> dict:
        parsed, decision, reply, c = outcome.parsed, outcome.decision, outcome.reply, outcome.classification
        in_reply_to, references = thread_ids(parsed.message_id, parsed.header("references"),
                                             parsed.header("in-reply-to"))
        facts = {k: result.get(k) for k in ("order_numbers", "tracking_numbers", "dates", "attachments",
                                             "missing_info", "language")}
        has_mailbox = bool(self.config.delivery.imap_account)
        return {
            "identity": parsed.identity, "status": status,
            "original_message_id": parsed.message_id, "original_from": parsed.from_addr or "",
            "original_name": parsed.from_name or "", "original_subject": parsed.subject or "",
            "original_date": parsed.date.isoformat() if parsed.date else None,
            "original_headers": json.dumps(list(parsed.headers), ensure_ascii=False),
            "original_text": (outcome.extraction.new_text if outcome.extraction else parsed.text_plain)[:MAX_ORIGINAL_TEXT],
            "facts": json.dumps(facts, ensure_ascii=False),
            "intent": c.intent if c else None, "confidence": c.confidence if c else None,
            "automated": int(bool(c and c.automated)),
            "action": decision.action, "rule": decision.rule, "trace": json.dumps(list(result.get("trace") or [])),
            "delivery_trace": json.dumps(lines),
            "recipient": recipient, "recipient_name": recipient_name, "thread_key": thread_key,
            "message_id": new_message_id(self.config.reply.support_address),
            "in_reply_to": in_reply_to, "references_ids": json.dumps(list(references)),
            "subject": reply.subject, "template": reply.template, "body": reply.body, "html": reply.html or "",
            "imap_state": "pending" if status == "pending" and has_mailbox else "none",
        }

    def _record_bounces(self, raw: RawMessage, now: datetime) -> None:
        # Bounded as parse reads it: a 25 MB "report" must not be read whole a second time.
        for bounce in bounces_in(bounded_bytes(raw.data)):
            reply = bounced_reply(self.db, bounce)
            if reply:
                self.ledger.record_bounce(bounce.address, f"{bounce.status} {bounce.diagnostic} (reply {reply})", now)
            else:
                log.warning("delivery report for %s names no reply we sent to that address; not recorded as a "
                            "bounce (a forged report must not silence a customer)", bounce.address)


def bounced_reply(db, bounce) -> str | None:
    """The Message-ID of our reply this report returns, if that reply went to the address it says failed.

    Anyone who had one reply knows its Message-ID and could name another
    customer as the failed recipient; only the address the reply was
    actually sent to can have bounced it.
    """
    for message_id in bounce.message_ids[:50]:
        row = db.execute("SELECT recipient FROM delivery_outbox WHERE message_id = ?", (message_id,)).fetchone()
        if row and row[0].strip().lower() == bounce.address:
            return message_id
    return None


def queue_reply(draft: Draft, config: Config, outbox: Outbox, *, automatic: bool, now: datetime) -> int:
    """Fix the reply's bytes (with the Message-ID chosen at drafting) and queue it; inside the caller's transaction.

    Only a reply the bot sends on its own is marked Auto-Submitted (RFC 3834):
    one a person approved is that person's reply, and marking it automatic
    would tell the customer's mail system (and the customer) it was not.
    The envelope sender is our support address, not the null path RFC 3834
    allows: a bounce must come back, so the address is never written to again.
    """
    msg = build_reply(draft.reply_spec(config), sent_by_bot=automatic, now=now)
    return outbox.queue(draft.id, draft.message_id, config.reply.support_address, draft.recipient,
                        draft.thread_key, automatic, as_bytes(msg), now)
