"""What may go out without a person, and what never may without the config saying so.

Kept free of imports: config.py validates against these names.
"""

from __future__ import annotations

# The actions the bot may send on its own in `send` mode unless the config says otherwise:
# answers that promise nothing and cost nothing.  Not answer_question: its
# template is a frame for a person to fill in.
DEFAULT_AUTO_SEND_ACTIONS = ("order_status_info", "request_info")

# Replies that touch money or commitments (returns, cancellations, refunds,
# escalations): they wait for a person even when their action is on the
# allowlist, unless `delivery.auto_send_commitments` names them explicitly.
COMMITMENT_ACTIONS = (
    "return_instructions", "decline_personalized", "decline_final_sale", "decline_opened_item",
    "cancel_confirm_pending", "cancel_too_late", "refund_status_info", "escalate_human",
    "acknowledge_defect_claim", "decline_late_report",
)
# A reply about a return, a cancellation or a refund is about money whatever its
# action: "send me your order number" to a refund request is still a refund thread.
COMMITMENT_INTENTS = (
    "return_request", "exchange_request", "cancel_order", "refund_status", "defective_item", "wrong_item",
    "modify_order",
)

# Replies that state an order's status from the order data: drafted for a person when
# that data is older than policy.orders_max_age_hours (mailbot/orderdata.py).
ORDER_STATUS_ACTIONS = (
    "order_status_info", "cancel_confirm_pending", "cancel_too_late", "refund_status_info", "decline_late_report",
)

# Review queue: a draft waits (pending), goes to the outbox (approved, auto),
# is turned down (rejected), or may never be sent (blocked by the loop guard).
DRAFT_STATES = ("pending", "approved", "auto", "rejected", "blocked", "handled")
# Outbox: queued -> sending -> sent, or failed (kept and shown; `review retry` queues it again).
OUTBOX_STATES = ("queued", "sending", "sent", "failed")

# The intents (DESIGN.md's vocabulary), as mailbot.classify has them: here too so that the review
# console can offer them without loading spaCy (tests/web/test_review_service.py holds the two equal).
INTENTS = ("order_status", "cancel_order", "modify_order", "return_request", "exchange_request",
           "defective_item", "wrong_item", "refund_status", "product_question", "other", "automated")
