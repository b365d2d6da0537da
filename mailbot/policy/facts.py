"""The facts the checks read: the message's, joined with the order data.

The order data wins where it has an answer; what the customer wrote fills
the gaps ("it arrived yesterday", "I opened it").  Where neither says, the
fact stays None, and the checks that need it do not hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..config import PolicyConfig
from ..extract.carriers import carrier_info, tracking_url
from ..orders import Order, OrderBook
from ..records import Extraction, ParsedMessage
from .calendar import add_business_days
from .requests import Request
from .returns import ReturnHistory

# When the customer gives no order number, the orders of theirs a request can
# be about ("open" for it): a parcel still on its way for a status question,
# a delivered one for a defect or a return.
OPEN_FOR = {
    "order_status": ("pending", "processing", "shipped"),
    "cancel_order": ("pending", "processing", "shipped"),
    "modify_order": ("pending", "processing", "shipped"),
    "defective_item": ("shipped", "delivered"),
    "wrong_item": ("shipped", "delivered"),
    "return_request": ("delivered",),
    "exchange_request": ("delivered",),
    "refund_status": ("returned", "cancelled"),
}


@dataclass(frozen=True)
class Shipment:
    """The parcel of an order that has shipped, as an order-status reply tells it."""

    carrier: str  # the order data's slug
    carrier_name: str  # as customers know it: "China Post"
    tracking_number: str
    tracking_url: str  # the carrier's page for this number, or ""
    days_in_transit: int | None  # from shipping to the message (or to delivery); None without a ship date
    usual_transit_days: int  # the carrier's usual time; longer is late


@dataclass(frozen=True)
class Facts:
    order: Order | None
    order_number: str | None
    delivered_on: date | None
    delivered_source: str  # "order data", "the message" or ""
    placed_on: date | None
    shipped: bool | None
    personalized: bool | None
    final_sale: bool | None
    non_returnable: bool | None
    sender_matches_order: bool | None
    returns_by_customer: int
    returned_before: bool
    return_received_on: date | None = None  # the return reached the warehouse
    refund_due: date | None = None  # refund_business_days after that
    found_by: str = ""  # how the order was found: "the message", "tracking number", "sender address"
    candidates: tuple[Order, ...] = ()  # the sender's open orders when several could be meant
    shipment: Shipment | None = None
    follow_up: str = ""  # a second request the reply says will follow (an intent), "" when none


def gather(msg: ParsedMessage, extraction: Extraction, orders: OrderBook,
           history: ReturnHistory, policy: PolicyConfig, request: Request | None = None,
           received: datetime | None = None) -> Facts:
    """The facts the rules read; `received`: when the customer wrote, as the policy counts it
    (pipeline.policy_clock), else the message's Date."""
    written = received or msg.date
    mentions = [m for m in extraction.orders if not m.quoted] or list(extraction.orders)
    number = mentions[0].number if mentions else None
    order = orders.get(number) if number else None
    found_by = "the message" if number else ""
    candidates: tuple[Order, ...] = ()
    if number is None and len(orders):
        order, found_by, candidates = _find_order(msg, extraction, orders, request.intent if request else "")
        number = order.number if order else None
    said = extraction.statements
    own_dates = [d for d in extraction.dates if not d.quoted]

    delivered_on, delivered_source = None, ""
    if order and order.delivered_at:
        delivered_on, delivered_source = order.delivered_at, "order data"
    else:
        told = [d.date for d in own_dates if d.role == "delivered"]
        if told:
            delivered_on, delivered_source = told[0], "the message"
    placed_on = order.placed_at if order and order.placed_at else next(
        (d.date for d in own_dates if d.role == "ordered"), None)

    def line_flag(flag: str, statement: str) -> bool | None:
        """True when the item the customer writes about carries the flag.

        Without order data, what the customer says decides.  An order where
        every line has it: true.  Where only some lines do,
        true only if the customer names such a line's product; otherwise we
        cannot tell which item they mean, and the fact stays unknown.
        """
        if not order:  # the order data has the answer when there is order data
            return True if statement in said else None
        flagged = [line for line in order.lines if getattr(line, flag)]
        if not flagged:
            return False
        if len(flagged) == len(order.lines):
            return True
        return True if any(_names(line.product, extraction.new_text) for line in flagged) else None

    email = (msg.reply_to or msg.from_addr or "").lower()
    earlier = history.returned_before(number) if number else []
    received_back = max((r.received for r in earlier if r.received), default=None)
    return Facts(
        order=order,
        order_number=number,
        delivered_on=delivered_on,
        delivered_source=delivered_source,
        placed_on=placed_on,
        shipped=order.shipped if order else None,
        personalized=line_flag("personalized", "personalized"),
        final_sale=line_flag("final_sale", "final_sale") or line_flag("free_gift", "free_gift"),
        non_returnable=line_flag("non_returnable", "non_returnable"),
        # The reply goes to Reply-To when there is one: both must be the order's address.
        sender_matches_order=(order.email == msg.from_addr.lower()
                              and (not msg.reply_to or order.email == msg.reply_to.lower())) if order else None,
        returns_by_customer=history.count_for(order.email if order else email),
        returned_before=bool(earlier),
        return_received_on=received_back,
        refund_due=add_business_days(received_back, policy.refund_business_days, policy.holiday_country)
        if received_back else None,
        found_by=found_by,
        candidates=candidates,
        shipment=_shipment(order, written.date() if written else None) if order else None,
        follow_up=request.follow_up if request else "",
    )


def _find_order(msg: ParsedMessage, extraction: Extraction, orders: OrderBook,
                intent: str) -> tuple[Order | None, str, tuple[Order, ...]]:
    """The order a customer means who gives no number: (order, how it was found, candidates).

    A tracking number the customer quotes names its order.  Otherwise the
    sender's own orders that are open for this request: exactly one is the
    order; several are listed back for the customer to choose.  Only the
    address that placed an order finds it: with a Reply-To elsewhere, the
    details would go to someone else.
    """
    for t in extraction.tracking_numbers:
        if not t.quoted and orders.for_tracking(t.number):
            return orders.for_tracking(t.number), "tracking number", ()
    sender = (msg.from_addr or "").lower()
    if not sender or (msg.reply_to and msg.reply_to.lower() != sender):
        return None, "", ()
    statuses = OPEN_FOR.get(intent, ("pending", "processing", "shipped", "delivered"))
    open_orders = tuple(o for o in orders.for_email(sender) if o.status in statuses)
    if len(open_orders) == 1:
        return open_orders[0], "sender address", ()
    return None, "", open_orders if len(open_orders) > 1 else ()


def _shipment(order: Order, today: date | None) -> Shipment | None:
    if not order.shipped:
        return None
    carrier = carrier_info(order.carrier)
    end = order.delivered_at or today
    days = (end - order.shipped_at).days if order.shipped_at and end else None
    return Shipment(order.carrier, carrier.name, order.tracking_number,
                    tracking_url(order.carrier, order.tracking_number), days, carrier.usual_transit_days)


# Words too common in product names to tell one line from another.
_GENERIC = {"keycap", "keycaps", "keyboard", "keyboards", "switch", "switches", "with", "for", "the",
            "and", "pack", "kit", "edition", "black", "white"}


def _names(product: str, text: str) -> bool:
    """Whether the customer's text names this product (a distinctive word of its name)."""
    lowered = text.lower()
    words = {w for w in re.findall(r"[a-z0-9]{4,}", product.lower()) if w not in _GENERIC}
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)
