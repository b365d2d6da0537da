"""May this reply go without a person?  Mode, age, allowlist, confidence, and money or commitments.

`mode = "send"` sends on its own only an action on `delivery.auto_send_actions`
at or above `delivery.auto_send_min_confidence`.  A reply that touches money
or commitments (its action or the customer's intent is about a return, a
cancellation, a refund or an escalation) waits for a person unless each of
those names is also listed in `delivery.auto_send_commitments`: allowing
`request_info` must not quietly allow asking questions about refunds.

Nor does a reply to old mail go alone: on its first run against a real inbox
the daemon decides years of mail, and an automatic "your order has shipped"
to a message from last spring helps nobody.  A message older than
`delivery.auto_send_max_age_hours`, or of unknown age, waits for a person.
The age is taken from when the server received the message (IMAP
INTERNALDATE), which the sender cannot set; only where the source does not
know it (saved files) from the Date header, which the sender writes: a Date
more than a day ahead of the clock is a lie or a broken clock, so unknown.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..config import Config
from .vocabulary import COMMITMENT_ACTIONS, COMMITMENT_INTENTS


# A "[...]" line a template leaves for a person to fill in ("[Answer the customer's question here.]").
PLACEHOLDER = re.compile(r"^\[[^\]\n]{3,200}\]\s*$", re.MULTILINE)
# Clocks drift and time zones get written wrong; a day ahead is neither.
FUTURE_SLACK = timedelta(days=1)


def may_go_alone(config: Config, action: str, intent: str | None, confidence: float | None, body: str = "", *,
                 written: datetime | None, now: datetime, arrived: datetime | None = None,
                 orders_stale: str = "") -> tuple[bool, str]:
    """(yes or no, why) for the trace; `written` is the message's Date, `arrived` when the server
    received it (None when unknown), `now` the time of drafting.

    `orders_stale`: why the order data is too old to state an order's status from ("" when it is not,
    or the reply states none; see orderdata.py).
    """
    settings = config.delivery
    if config.mode != "send":
        return False, f"mode {config.mode}: every reply waits for a person"
    if orders_stale:
        return False, f"{orders_stale}: a reply stating an order's status waits for a person"
    if PLACEHOLDER.search(body):
        return False, "the reply has a part left for a person to write: a person completes it"
    if arrived is None and written is not None and written > now + FUTURE_SLACK:
        return False, (f"the message's Date ({written.isoformat()}) is more than a day in the future, so its age "
                       "is unknown: a person reviews it")
    if arrived is None and written is None:
        return False, "the message has no readable Date header, so its age is unknown: a person reviews it"
    age_hours = (now - (arrived or written)).total_seconds() / 3600
    if age_hours > settings.auto_send_max_age_hours:
        return False, (f"the message is {age_hours / 24:.1f} days old, over delivery.auto_send_max_age_hours "
                       f"{settings.auto_send_max_age_hours:g} ({'since it arrived' if arrived else 'by its Date'}): "
                       "a person decides whether a reply still fits")
    if action not in settings.auto_send_actions:
        return False, f"action {action} is not on delivery.auto_send_actions: a person reviews it"
    unlisted = [name for name in (action, intent)
                if name in (*COMMITMENT_ACTIONS, *COMMITMENT_INTENTS) and name not in settings.auto_send_commitments]
    if unlisted:
        return False, (f"touches money or commitments ({', '.join(unlisted)}) and delivery.auto_send_commitments "
                       "does not list it: a person reviews it")
    if confidence is None or confidence < settings.auto_send_min_confidence:
        return False, (f"confidence {confidence} below delivery.auto_send_min_confidence "
                       f"{settings.auto_send_min_confidence}: a person reviews it")
    return True, (f"mode send, action {action} on the allowlist, confidence {confidence:.2f} "
                  f">= {settings.auto_send_min_confidence}")
