"""The return policy, clause by clause: an email (and order data) -> action, missing info, rule.

Message date in every case: Monday 2 November 2026.  The default order
10492 was delivered on 30 October (3 days before), shipped 22 October.
"""

import pytest

from .scenario import Scenario, email

LATE = {"delivered_at": "2026-10-20"}  # 13 days before the message
NOT_SHIPPED = {"status": "processing", "shipped_at": "", "delivered_at": "", "tracking_number": "", "carrier": ""}
IN_TRANSIT = {"status": "shipped", "delivered_at": ""}
ORDER = [{}]

CASES = [
    # --- Received defective product: order number + photos/videos, within 7 days of delivery
    ("defect-complete", "defective_item", email("Two keycaps arrived cracked, order #10492. Photos attached.", photos=2),
     ORDER, "acknowledge_defect_claim", [], "defect-with-evidence"),
    ("defect-no-photos", "defective_item", email("My keycaps from order #10492 arrived cracked."),
     ORDER, "request_info", ["photos"], "defect-needs-info"),
    ("defect-nothing", "defective_item", email("the spacebar is broken on my keyboard, pls help"),
     None, "request_info", ["order_number", "photos"], "defect-needs-info"),
    ("defect-no-order-number", "defective_item", email("The switch on my K8 chatters, video attached.", photos=1),
     None, "request_info", ["order_number"], "defect-needs-info"),
    ("defect-late-order-data", "defective_item", email("Order 10492: the case is warped. Pics attached.", photos=1),
     [LATE], "decline_late_report", [], "defect-reported-late"),
    ("defect-late-customer-says", "defective_item",
     email("Order 10492 arrived two weeks ago and now the RGB stopped working. Photo attached.", photos=1),
     None, "decline_late_report", [], "defect-reported-late"),
    ("defect-in-time-customer-says", "defective_item",
     email("My order #10492 arrived yesterday and three keycaps are cracked, see photos.", photos=2),
     None, "acknowledge_defect_claim", [], "defect-with-evidence"),
    ("defect-delivery-unknown", "defective_item",
     email("Order #10492: the legends are faded on half the keys. Photos attached.", photos=2),
     None, "escalate_human", [], "defect-delivery-unknown"),
    ("defect-on-personalized-item", "defective_item",
     email("The custom keycaps with my name (order 10492) came with a crack, photo attached.", photos=1),
     [{"personalized": "yes"}], "acknowledge_defect_claim", [], "defect-with-evidence"),
    # --- Received wrong product: photos and the written/printed tracking number too
    ("wrong-complete", "wrong_item",
     email("Order #10492: I ordered ISO but got ANSI. Photos attached, tracking 1Z999AA10123456784.", photos=2),
     ORDER, "acknowledge_defect_claim", [], "wrong-item-with-evidence"),
    ("wrong-no-tracking", "wrong_item", email("Order #10492 came in pink, I ordered blue. Photo attached.", photos=1),
     ORDER, "request_info", ["tracking_number"], "wrong-item-needs-info"),
    ("wrong-no-photos-no-tracking", "wrong_item", email("You sent me the wrong colour for order 10492."),
     ORDER, "request_info", ["photos", "tracking_number"], "wrong-item-needs-info"),
    ("defect-late-without-photos", "defective_item", email("Order 10492: the spacebar stopped working."),
     [LATE], "decline_late_report", [], "defect-reported-late"),
    ("wrong-late", "wrong_item",
     email("Order 10492 is missing the spacebar. Photo attached, tracking 1Z999AA10123456784.", photos=1),
     [LATE], "decline_late_report", [], "wrong-item-reported-late"),
    # --- Returns: order number or proof of purchase, and a reason
    ("return-complete", "return_request",
     email("I'd like to return order #10492, it's still sealed, I changed my mind about the colour."),
     ORDER, "return_instructions", [], "return-approved-instructions"),
    ("return-no-reason", "return_request", email("I want to return order 10492."),
     ORDER, "request_info", ["reason"], "return-needs-info"),
    ("return-no-order", "return_request", email("Can I send the keyboard back? It's too loud for my office."),
     None, "request_info", ["order_number"], "return-needs-info"),
    ("return-nothing", "return_request", email("hi i want to send it back"),
     None, "request_info", ["order_number", "reason"], "return-needs-info"),
    ("exchange-complete", "exchange_request",
     email("Could I swap order 10492 for the purple set instead? The box is unopened."),
     ORDER, "return_instructions", [], "return-approved-instructions"),
    # --- Personalized items: no returns for non-quality reasons
    ("return-personalized-order-data", "return_request",
     email("I want to return order #10492 because I don't like the font after all."),
     [{"personalized": "yes"}], "decline_personalized", [], "return-personalized"),
    ("return-personalized-customer-says", "return_request",
     email("Order 10492: I'd like to return the custom keycaps with my name on them, I don't like the colour."),
     None, "decline_personalized", [], "return-personalized"),
    ("exchange-personalized", "exchange_request",
     email("Can I exchange my personalized keycaps from order 10492 for another colour? I prefer blue."),
     [{"personalized": "yes"}], "decline_personalized", [], "return-personalized"),
    # --- Final discount, free gifts, non-returnable labels
    ("return-final-sale-order-data", "return_request",
     email("Please refund order 10492, I don't need it any more."),
     [{"final_sale": "yes"}], "decline_final_sale", [], "return-final-sale"),
    ("return-final-sale-customer-says", "return_request",
     email("I bought these in the Black Friday final sale, order 10492, but they don't fit my board. Refund?"),
     None, "decline_final_sale", [], "return-final-sale"),
    ("return-free-gift", "return_request",
     email("I want to return the wrist rest from order 10492, I don't like it."),
     [{"free_gift": "yes", "unit_price": "0.00"}], "decline_final_sale", [], "return-final-sale"),
    ("return-non-returnable", "return_request",
     email("Return request for order 10492: switches are not what I expected, too heavy."),
     [{"non_returnable": "yes"}], "decline_final_sale", [], "return-final-sale"),
    # --- Only unopened, sealed, resalable items
    ("return-opened", "return_request",
     email("I opened the keycaps from order 10492 and tried them, but I don't like the profile. Return please."),
     ORDER, "decline_opened_item", [], "return-opened"),
    ("return-used", "return_request",
     email("Order 10492: I've been using the keyboard for a week, it's too loud for me, I want a refund."),
     ORDER, "decline_opened_item", [], "return-opened"),
    ("return-never-used", "return_request",
     email("Order 10492: I have never used them, the colour is not what I expected. Can I return them?"),
     ORDER, "return_instructions", [], "return-approved-instructions"),
    ("return-before-shipping", "return_request",
     email("I want to return order 10492, I don't need it anymore."),
     [NOT_SHIPPED], "escalate_human", [], "return-not-yet-delivered"),
    ("return-said-unopened", "return_request",
     email("Order 10492 - haven't opened it, still sealed, I ordered by mistake. Can I return it?"),
     ORDER, "return_instructions", [], "return-approved-instructions"),
    # --- Orders of several lines: a flag on one line says nothing about the others
    ("return-other-line-than-non-returnable", "return_request",
     email("I'd like to return the keycap set from order 10492, unopened, the colour is not for me."),
     [{}, {"line": "2", "sku": "LUBE-1", "product": "Krytox 205g0 switch lube", "non_returnable": "yes"}],
     "return_instructions", [], "return-approved-instructions"),
    ("return-the-non-returnable-line", "return_request",
     email("Can I return the Krytox lube from order 10492? I don't need it any more."),
     [{}, {"line": "2", "sku": "LUBE-1", "product": "Krytox 205g0 switch lube", "non_returnable": "yes"}],
     "decline_final_sale", [], "return-final-sale"),
    # --- Potential fraud: someone else writes about the order
    ("cancel-from-another-address", "cancel_order",
     email("Cancel order 10492 and refund to my new PayPal please.", sender="Mallory <mallory@example.net>"),
     [NOT_SHIPPED], "escalate_human", [], "sender-not-orderer"),
    ("status-from-another-address", "order_status", email("Where is order #10492? Tracking please.",
                                                          sender="Someone <someone@example.net>"),
     [IN_TRANSIT], "escalate_human", [], "sender-not-orderer"),
    ("status-reply-to-another-address", "order_status",
     email("Where is order #10492?").replace(b"Subject:", b"Reply-To: thief@example.net\nSubject:", 1),
     [IN_TRANSIT], "escalate_human", [], "sender-not-orderer"),
    # --- Several orders named: a reply about the wrong one would state wrong facts
    ("cancel-one-of-two-orders", "cancel_order", email("I keep #10491, please cancel #10492."),
     [NOT_SHIPPED, {"order_number": "10491", **NOT_SHIPPED}], "escalate_human", [], "several-orders"),
    # --- Non-Keysme products
    ("return-not-keysme", "return_request",
     email("I bought it on Amazon, order 10492, and I want to return it because it's too small."),
     None, "escalate_human", [], "not-keysme-product"),
    # --- Cancellation: within the ~2-day processing window, before shipping
    ("cancel-not-shipped", "cancel_order", email("Please cancel order #10492, I ordered the wrong one."),
     [NOT_SHIPPED], "cancel_confirm_pending", [], "cancel-not-shipped"),
    ("cancel-shipped", "cancel_order", email("Cancel order 10492 please."),
     [IN_TRANSIT], "cancel_too_late", [], "cancel-shipped"),
    ("cancel-delivered", "cancel_order", email("I want to cancel order 10492."),
     ORDER, "cancel_too_late", [], "cancel-shipped"),
    ("cancel-no-number", "cancel_order", email("Cancel my order please!!"),
     None, "request_info", ["order_number"], "cancel-needs-order-number"),
    ("cancel-said-recent", "cancel_order", email("I ordered yesterday, order 10492, please cancel it."),
     None, "cancel_confirm_pending", [], "cancel-said-recent"),
    ("cancel-ordered-an-hour-ago", "cancel_order", email("I ordered an hour ago, order 10492, please cancel it."),
     None, "cancel_confirm_pending", [], "cancel-said-recent"),
    ("cancel-placed-this-morning", "cancel_order", email("I placed order 10492 this morning, cancel please"),
     None, "cancel_confirm_pending", [], "cancel-said-recent"),
    ("cancel-already-cancelled", "cancel_order", email("Please cancel order 10492!"),
     [{**NOT_SHIPPED, "status": "cancelled"}], "escalate_human", [], "cancel-state-unknown"),
    ("cancel-said-old", "cancel_order", email("I placed order 10492 5 days ago, please cancel it."),
     None, "escalate_human", [], "cancel-state-unknown"),
    ("modify-shipped", "modify_order", email("Can you change the address on order 10492 to Hauptstr. 5?"),
     [IN_TRANSIT], "cancel_too_late", [], "modify-shipped"),
    ("modify-not-shipped", "modify_order", email("Please change order 10492 to the brown switches."),
     [NOT_SHIPPED], "escalate_human", [], "modify-before-shipping"),
    ("modify-no-number", "modify_order", email("I need to change my shipping address!"),
     None, "request_info", ["order_number"], "modify-needs-order-number"),
    # --- Refunds: check PayPal, then the bank, then write again
    ("refund-status", "refund_status", email("Where is my refund for order 10492? It's been two weeks."),
     ORDER, "refund_status_info", [], "refund-status"),
    ("refund-no-number", "refund_status", email("I still haven't got my refund."),
     None, "request_info", ["order_number"], "refund-needs-order-number"),
    # --- Order status
    ("status-known", "order_status", email("Where is my order #10492?"),
     [IN_TRANSIT], "order_status_info", [], "status-known-order"),
    ("status-no-number", "order_status", email("where is my package??"),
     None, "request_info", ["order_number"], "status-needs-order-number"),
    ("status-unknown-number", "order_status", email("Where is order #55555?"),
     ORDER, "escalate_human", [], "status-unknown-order"),
    # --- Everything else
    ("product-question", "product_question", email("Do your SA keycaps fit the K8?"),
     None, "answer_question", [], "product-question"),
    ("other", "other", email("Would you like to partner with our channel?"),
     None, "escalate_human", [], "other-to-person"),
]


@pytest.mark.parametrize("name,intent,raw,orders,action,missing,rule", CASES, ids=[c[0] for c in CASES])
def test_policy(tmp_path, name, intent, raw, orders, action, missing, rule):
    verdict, reply = Scenario(tmp_path).run(raw, intent, orders=orders)
    assert (verdict.action, list(verdict.missing_info), verdict.rule) == (action, missing, rule), \
        "\n".join(verdict.trace)
    if action != "no_reply":
        assert reply is not None and reply.body.strip()


def test_returned_before_goes_to_a_person(tmp_path):
    raw = email("I'd like to return order 10492 again, the replacement also doesn't fit my board.")
    verdict, _ = Scenario(tmp_path).run(raw, "return_request", orders=ORDER, returns=[{"kind": "exchange"}])
    assert (verdict.action, verdict.rule) == ("escalate_human", "return-again")


def test_too_many_returns_go_to_a_person(tmp_path):
    raw = email("Return order 10492 please, the keycaps are too tall for me.")
    history = [{"order_number": n} for n in ("9001", "9002", "9003")]
    verdict, _ = Scenario(tmp_path).run(raw, "return_request", orders=ORDER, returns=history)
    assert (verdict.action, verdict.rule) == ("escalate_human", "return-too-many")


def test_automated_mail_gets_no_reply(tmp_path):
    verdict, reply = Scenario(tmp_path).run(email("I am out of the office until Monday."), "automated",
                                             automated_reasons=("out-of-office text",))
    assert (verdict.action, verdict.rule, reply) == ("no_reply", "automated-no-reply", None)


def test_dispute_notice_goes_to_a_person_without_a_reply(tmp_path):
    verdict, reply = Scenario(tmp_path).run(email("A buyer opened a dispute."), "automated",
                                             automated_reasons=("machine sender",), needs_person=True)
    assert (verdict.action, verdict.rule, reply) == ("escalate_human", "automated-dispute", None)


def test_low_confidence_goes_to_a_person_before_any_policy(tmp_path):
    raw = email("Order 10492 cracked, photos attached.", photos=1)
    verdict, _ = Scenario(tmp_path).run(raw, "defective_item", confidence=0.3, orders=ORDER)
    assert (verdict.action, verdict.rule) == ("escalate_human", "low-confidence")


def test_figures_come_from_config(tmp_path):
    from mailbot.config import Config, PolicyConfig
    raw = email("Order 10492: the case is warped. Pics attached.", photos=1)
    strict = Config(policy=PolicyConfig(defect_report_days=2))
    verdict, reply = Scenario(tmp_path, strict).run(raw, "defective_item", orders=ORDER)
    assert verdict.action == "decline_late_report"
    assert "within 2 days" in reply.body


def test_refund_due_date_skips_weekends_and_holidays(tmp_path):
    from mailbot.config import Config, PolicyConfig
    raw = email("Where is my refund for order 10492?", date="Mon, 09 Nov 2026 10:00:00 +0100")
    # Return received Thursday 29 October 2026; 7 business days skip two weekends
    # (and, in Germany, nothing else; in the US, nothing either) -> Monday 9 November.
    config = Config(policy=PolicyConfig(holiday_country="DE"))
    _, reply = Scenario(tmp_path, config).run(raw, "refund_status", orders=ORDER,
                                              returns=[{"received": "2026-10-29"}])
    assert "reached our warehouse on October 29, 2026" in reply.body
    assert "issued by November 9, 2026" in reply.body
    # In the US, 11 November (Veterans Day) is a holiday; received 3 November -> 13 November.
    us = Config(policy=PolicyConfig(holiday_country="US"))
    _, reply = Scenario(tmp_path, us).run(raw, "refund_status", orders=ORDER, returns=[{"received": "2026-11-03"}])
    assert "issued by November 13, 2026" in reply.body
