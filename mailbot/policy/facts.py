"""The facts the checks read: the message's, joined with the order data.

The order data wins where it has an answer; what the customer wrote fills
the gaps ("it arrived yesterday", "I opened it").  Where neither says, the
fact stays None, and the checks that need it do not hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..config import PolicyConfig
from ..orders import Order, OrderBook
from ..records import Classification, Extraction, ParsedMessage
from .calendar import add_business_days
from .returns import ReturnHistory


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


def gather(msg: ParsedMessage, extraction: Extraction, orders: OrderBook,
           history: ReturnHistory, policy: PolicyConfig) -> Facts:
    mentions = [m for m in extraction.orders if not m.quoted] or list(extraction.orders)
    number = mentions[0].number if mentions else None
    order = orders.get(number) if number else None
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
    )


# Words too common in product names to tell one line from another.
_GENERIC = {"keycap", "keycaps", "keyboard", "keyboards", "switch", "switches", "with", "for", "the",
            "and", "pack", "kit", "edition", "black", "white"}


def _names(product: str, text: str) -> bool:
    """Whether the customer's text names this product (a distinctive word of its name)."""
    lowered = text.lower()
    words = {w for w in re.findall(r"[a-z0-9]{4,}", product.lower()) if w not in _GENERIC}
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)
