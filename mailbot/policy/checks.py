"""The named checks the rules are made of.

A check is a small pure function of the context and its parameters; its
kebab-case name is its identity and its docstring is what reviewers read.
Each answers with an Outcome: whether it hit, and a note saying what it found.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from ..records import Classification, Extraction, ParsedMessage
from .facts import Facts

MISSING_INFO = ("order_number", "photos", "tracking_number", "reason")


@dataclass(frozen=True)
class Context:
    message: ParsedMessage
    extraction: Extraction
    classification: Classification
    facts: Facts
    received: datetime


@dataclass(frozen=True)
class Outcome:
    hit: bool
    note: str
    missing: tuple[str, ...] = ()


CHECKS: dict[str, Callable[..., Outcome]] = {}


def check(name: str):
    def register(func):
        if name in CHECKS:
            raise ValueError(f"check {name!r} defined twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"check {name!r} needs a docstring: it is what reviewers read")
        func.check_name = name
        CHECKS[name] = func
        return func
    return register


def parameters(name: str) -> dict[str, inspect.Parameter]:
    """The keyword parameters a check takes."""
    sig = inspect.signature(CHECKS[name])
    return {p.name: p for p in sig.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}


# --- what the customer wants ------------------------------------------------

@check("intent-is")
def intent_is(ctx: Context, *, intent: str | list, min_confidence: float = 0.0) -> Outcome:
    """The classifier read this intent (one of a list), at least this sure."""
    wanted = [intent] if isinstance(intent, str) else list(intent)
    c = ctx.classification
    hit = c.intent in wanted and c.confidence >= min_confidence
    return Outcome(hit, f"intent {c.intent} at {c.confidence:.2f}; wanted {'/'.join(wanted)} at >= {min_confidence}")


@check("confidence-below")
def confidence_below(ctx: Context, *, threshold: float) -> Outcome:
    """The classifier is less sure of the intent than `threshold`: a person reads it."""
    c = ctx.classification
    return Outcome(c.confidence < threshold, f"confidence {c.confidence:.2f}; threshold {threshold}")


@check("is-automated")
def is_automated(ctx: Context) -> Outcome:
    """A machine sent this (auto-reply, bounce, list, notification): never answer it."""
    c = ctx.classification
    return Outcome(c.automated, "; ".join(c.reasons[:3]) or "no automated signal")


@check("automated-needs-person")
def automated_needs_person(ctx: Context) -> Outcome:
    """An automated notice a person must act on: a payment dispute or marketplace claim."""
    c = ctx.classification
    return Outcome(c.automated and c.needs_person,
                   "dispute or claim notice" if c.needs_person else "no dispute or claim")


# --- what the message carries -----------------------------------------------

@check("has-order-number")
def has_order_number(ctx: Context) -> Outcome:
    """The customer gave an order number (or proof of purchase with one)."""
    f = ctx.facts
    if f.order_number is None:
        if f.candidates:
            return Outcome(False, "no order number; the sender has several open orders: "
                           + ", ".join(o.number for o in f.candidates))
        return Outcome(False, "no order number found")
    how = {"sender address": " (no number given: the sender's only open order)",
           "tracking number": " (no number given: found by the tracking number the customer quotes)"}
    return Outcome(True, f"order {f.order_number}{how.get(f.found_by, '')}")


@check("order-found")
def order_found(ctx: Context) -> Outcome:
    """The order number is in the store's order data."""
    f = ctx.facts
    if f.order is None:
        return Outcome(False, f"order {f.order_number} not in the order data" if f.order_number else "no order number")
    how = {"sender address": ", found by the sender's address (their only open order)",
           "tracking number": ", found by the tracking number the customer quotes"}.get(f.found_by, "")
    return Outcome(True, f"order {f.order.number}, status {f.order.status}{how}")


@check("several-orders")
def several_orders(ctx: Context) -> Outcome:
    """The customer's own text names more than one order: which one the request is about is for a person."""
    own = [o.number for o in ctx.extraction.orders if not o.quoted]
    return Outcome(len(own) > 1, f"orders {', '.join(own)}" if own else "no order in the customer's text")


@check("has-evidence")
def has_evidence(ctx: Context) -> Outcome:
    """The customer attached photos or videos, or linked to them (Drive, Dropbox, iCloud, imgur, YouTube...); signature logos, screenshots and forwarded files do not count."""
    evidence = [a.filename for a in ctx.extraction.attachments if a.evidence]
    evidence += [f"link {link}" for link in ctx.extraction.evidence_links]
    return Outcome(bool(evidence), f"evidence: {', '.join(evidence)}" if evidence else "no photo or video attached or linked")


@check("has-tracking-number")
def has_tracking_number(ctx: Context) -> Outcome:
    """The customer wrote the parcel's tracking number in the message."""
    own = [t.number for t in ctx.extraction.tracking_numbers if not t.quoted]
    return Outcome(bool(own), f"tracking {', '.join(own)}" if own else "no tracking number in the customer's text")


@check("has-reason")
def has_reason(ctx: Context) -> Outcome:
    """The customer says why they want to return or exchange the item."""
    hit = "reason" in ctx.extraction.statements
    return Outcome(hit, "a reason is given" if hit else "no reason given")


# Each piece of missing_info and the check that says the customer gave it.
_HAS = {"order_number": has_order_number, "photos": has_evidence,
        "tracking_number": has_tracking_number, "reason": has_reason}


@check("missing-info")
def missing_info(ctx: Context, *, needs: list) -> Outcome:
    """Something the policy needs from the customer is missing: hits, naming what to ask for."""
    outcomes = {item: _HAS[item](ctx) for item in needs}
    missing = tuple(item for item in needs if not outcomes[item].hit)
    if not missing:
        return Outcome(False, f"has {', '.join(needs)}" + _how_found(outcomes))
    return Outcome(True, f"missing {', '.join(missing)} ({'; '.join(outcomes[m].note for m in missing)})"
                   + _how_found(outcomes), missing)


def _how_found(outcomes: dict) -> str:
    """The order-number note when the order was found without a number: the reviewer sees how."""
    note = outcomes["order_number"].note if "order_number" in outcomes and outcomes["order_number"].hit else ""
    return f"; {note}" if "no number given" in note else ""


# --- time -------------------------------------------------------------------

@check("reported-within-window")
def reported_within_window(ctx: Context, *, days: int) -> Outcome:
    """The customer wrote within `days` days of delivery."""
    delivered = ctx.facts.delivered_on
    if delivered is None:
        return Outcome(False, "no delivery date in the order data or the message")
    age = (ctx.received.date() - delivered).days
    return Outcome(age <= days, f"delivered {age} days before the message ({ctx.facts.delivered_source}); window {days}")


@check("reported-after-window")
def reported_after_window(ctx: Context, *, days: int) -> Outcome:
    """Delivery is known and was more than `days` days before the message."""
    delivered = ctx.facts.delivered_on
    if delivered is None:
        return Outcome(False, "no delivery date in the order data or the message")
    age = (ctx.received.date() - delivered).days
    return Outcome(age > days, f"delivered {age} days before the message ({ctx.facts.delivered_source}); window {days}")


@check("order-not-shipped")
def order_not_shipped(ctx: Context) -> Outcome:
    """The order data says the order is still being prepared (pending or processing), not shipped."""
    f = ctx.facts
    if f.order is None:
        return Outcome(False, "shipping state unknown: no order data")
    waiting = f.order.status in ("pending", "processing") and not f.order.shipped
    return Outcome(waiting, f"order {f.order.number} is {f.order.status}")


@check("order-shipped")
def order_shipped(ctx: Context) -> Outcome:
    """The order data says the order has shipped (or been delivered)."""
    f = ctx.facts
    if f.order is None:
        return Outcome(False, "shipping state unknown: no order data")
    return Outcome(f.order.shipped, f"order {f.order.number} is {f.order.status}")


@check("placed-within-processing")
def placed_within_processing(ctx: Context, *, days: int) -> Outcome:
    """Without order data: the customer says they ordered within the `days`-day processing window."""
    placed = ctx.facts.placed_on
    if placed is None or ctx.facts.order is not None:
        return Outcome(False, "no order date from the customer" if placed is None else "order data decides")
    age = (ctx.received.date() - placed).days
    return Outcome(age <= days, f"ordered {age} days before the message (the message); window {days}")


# --- the item ---------------------------------------------------------------

@check("item-personalized")
def item_personalized(ctx: Context) -> Outcome:
    """The item is personalized or custom-made (order data, or the customer says so)."""
    hit = ctx.facts.personalized is True
    return Outcome(hit, "personalized item" if hit else "not known to be personalized")


@check("item-final-sale")
def item_final_sale(ctx: Context) -> Outcome:
    """The item was sold as "final discount", was a free gift, or carries a non-returnable label."""
    f = ctx.facts
    flags = [name for name, value in (("final sale or free gift", f.final_sale),
                                      ("non-returnable", f.non_returnable)) if value]
    return Outcome(bool(flags), ", ".join(flags) if flags else "no final-sale, gift or non-returnable mark")


@check("item-opened")
def item_opened(ctx: Context) -> Outcome:
    """The customer says the item was opened, used or unsealed."""
    hit = "opened" in ctx.extraction.statements
    return Outcome(hit, "customer says it was opened or used" if hit else "not said to be opened")


@check("returned-before")
def returned_before(ctx: Context) -> Outcome:
    """The return history already has a return or exchange for this order."""
    hit = ctx.facts.returned_before
    return Outcome(hit, "returned or exchanged before" if hit else "no earlier return for this order")


@check("too-many-returns")
def too_many_returns(ctx: Context, *, limit: int) -> Outcome:
    """The customer has reached the return-count limit."""
    n = ctx.facts.returns_by_customer
    return Outcome(n >= limit, f"{n} earlier returns; limit {limit}")


@check("not-keysme-product")
def not_keysme_product(ctx: Context) -> Outcome:
    """The customer says they bought the item elsewhere: not a Keysme product."""
    hit = "not_keysme" in ctx.extraction.statements
    return Outcome(hit, "bought elsewhere" if hit else "no sign it was bought elsewhere")


@check("sender-is-not-orderer")
def sender_is_not_orderer(ctx: Context) -> Outcome:
    """The order data has another email address than the sender's (From, or Reply-To where the reply goes)."""
    f = ctx.facts
    if f.sender_matches_order is None:
        return Outcome(False, "no order data to compare")
    if f.sender_matches_order:
        return Outcome(False, "sender matches the order")
    sender = ctx.message.from_addr.lower()
    reply_to = ctx.message.reply_to.lower() if ctx.message.reply_to else ""
    where = f"sender {sender}" + (f", Reply-To {reply_to}" if reply_to and reply_to != sender else "")
    return Outcome(True, f"mismatch: order {f.order.number} was placed with {f.order.email}; {where}")


# --- the parcel and what the customer says about it ----------------------------

@check("parcel-needs-person")
def parcel_needs_person(ctx: Context) -> Outcome:
    """The parcel went wrong on its way: marked delivered but not received, returned to sender, lost, or in transit longer than its carrier's usual time. The store answers for the outward delivery, so a person handles it."""
    said = ctx.extraction.statements
    f = ctx.facts
    delivered = (f.order is not None and f.order.status == "delivered") or "says_delivered" in said
    if "not_received" in said and delivered:
        where = "the order data" if f.order is not None and f.order.status == "delivered" else "the customer"
        return Outcome(True, f"delivered but not received: delivered per {where}, the customer has not got it")
    if "returned_to_sender" in said:
        return Outcome(True, "the customer says the parcel is going back to the sender")
    if "lost" in said:
        return Outcome(True, "the customer says the parcel is lost")
    s = f.shipment
    if s and f.order and f.order.status == "shipped" and s.days_in_transit is not None \
            and s.days_in_transit > s.usual_transit_days:
        return Outcome(True, f"in transit {s.days_in_transit} days with {s.carrier_name}; "
                       f"usual at most {s.usual_transit_days}: late")
    if s and s.days_in_transit is not None:
        return Outcome(False, f"in transit {s.days_in_transit} days with {s.carrier_name} "
                       f"(usual at most {s.usual_transit_days}); no delivery problem reported")
    return Outcome(False, "no delivery problem reported or known")


@check("claims-item-problem")
def claims_item_problem(ctx: Context) -> Outcome:
    """The customer says what arrived is damaged, faulty or not what they ordered: a status answer, or an answer about changing the order, would not help."""
    said = ctx.extraction.statements
    claims = [name for key, name in (("says_defect", "damage or a fault"), ("says_wrong_item", "a wrong or missing item"))
              if key in said]
    return Outcome(bool(claims), f"the customer reports {' and '.join(claims)}" if claims else "no item problem reported")


NO_REPLY_KINDS = {"thanks": "a thank-you", "compliment": "a compliment", "misdirected": "a message meant for someone else",
                  "sales_pitch": "a sales pitch"}
# Anything here means the sender wants something from us, or reports something to act on.
_NEEDS_ACTION = ("says_defect", "says_wrong_item", "not_received", "returned_to_sender", "lost", "opened")
NO_REPLY_MAX_CHARS = 600  # a longer message says more than thanks


@check("needs-no-reply")
def needs_no_reply(ctx: Context) -> Outcome:
    """Mail that asks nothing: a thank-you, a compliment, a message meant for someone else or a cold sales pitch. Never when the customer also asks or reports something, or sends photos."""
    x = ctx.extraction
    said = x.statements
    kinds = [NO_REPLY_KINDS[k] for k in NO_REPLY_KINDS if k in said]
    if not kinds:
        return Outcome(False, "not a thank-you, compliment, misdirected message or sales pitch")
    acts = [k for k in _NEEDS_ACTION if k in said]
    if acts:
        return Outcome(False, f"{kinds[0]}, but it also reports something ({', '.join(acts)})")
    if x.has_evidence:
        return Outcome(False, f"{kinds[0]}, but with photos or videos")
    if "sales_pitch" in said:  # a pitch's flattery ("love your products") and questions are part of it
        if any(not o.quoted for o in x.orders):
            return Outcome(False, "reads like a sales pitch, but names an order")
        return Outcome(True, "a cold sales pitch: no order, no request of a customer")
    if "asks" in said:
        return Outcome(False, f"{kinds[0]}, but the customer also asks something")
    if ctx.classification.intent != "other":
        # "Danke" closes many requests: only mail the model also reads as no request is left unanswered.
        return Outcome(False, f"{kinds[0]}, but it reads as {ctx.classification.intent}")
    if len(x.new_text) > NO_REPLY_MAX_CHARS:
        return Outcome(False, f"{kinds[0]}, but long ({len(x.new_text)} characters): a person reads it")
    return Outcome(True, f"{' and '.join(kinds)}; asks nothing")
