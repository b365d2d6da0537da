"""Decisions of round 2: finding the order without its number, what customers say in
their own words and languages, evidence links, parcels that went wrong, two requests in
one message and mail that needs no reply.

Message date in every case: Monday 2 November 2026 (see scenario.py for the default order).
"""

import pytest

from .scenario import Scenario, email

IN_TRANSIT = {"status": "shipped", "delivered_at": ""}
SECOND = {"order_number": "10493", "placed_at": "2026-10-25", "sku": "SW-1", "product": "Gateron Yellow switches"}
OTHERS = {"email": "someone.else@example.com"}

CASES = [
    # --- finding the order without its number
    ("status-by-sender-address", "order_status", email("Hi, where is my keyboard? It's been a while."),
     [IN_TRANSIT], "order_status_info", [], "status-known-order", "found by the sender's address"),
    ("status-by-quoted-tracking", "order_status",
     email("Any news on parcel 1Z999AA10123456784?", sender="Ana <ana.other@example.net>"),
     [{**IN_TRANSIT, "email": "ana.other@example.net"}], "order_status_info", [], "status-known-order",
     "found by the tracking number the customer quotes"),
    ("status-several-open-orders", "order_status", email("Where are my orders? Nothing arrived."),
     [IN_TRANSIT, {**IN_TRANSIT, **SECOND}], "request_info", ["order_number"], "status-needs-order-number",
     "several open orders: 10493, 10492"),
    ("status-only-delivered-orders-are-not-open", "order_status", email("Where is my order??"),
     [{}], "request_info", ["order_number"], "status-needs-order-number", "no order number found"),
    ("status-reply-to-elsewhere-finds-nothing", "order_status",
     email("where is my order").replace(b"Subject:", b"Reply-To: thief@example.org\nSubject:"),
     [IN_TRANSIT], "request_info", ["order_number"], "status-needs-order-number", "no order number"),
    ("defect-on-someone-elses-order", "defective_item",
     email("Order #10492 arrived cracked, photos attached.", photos=2), [OTHERS], "escalate_human", [],
     "sender-not-orderer", "mismatch: order 10492 was placed with someone.else@example.com"),
    ("wrong-item-on-someone-elses-order", "wrong_item",
     email("Order 10492: wrong colour, photos attached, tracking 1Z999AA10123456784.", photos=1), [OTHERS],
     "escalate_human", [], "sender-not-orderer", "mismatch"),
    ("defect-by-sender-address-asks-only-photos", "defective_item",
     email("The spacebar of my keyboard arrived broken."), [{}], "request_info", ["photos"],
     "defect-needs-info", "sender's only open order"),
    # --- evidence
    ("defect-video-link-is-evidence", "defective_item",
     email("Order #10492: two switches chatter, video: https://youtu.be/abcDEF12345 thanks"),
     [{}], "acknowledge_defect_claim", [], "defect-with-evidence", "link https://youtu.be/abcDEF12345"),
    ("defect-drive-folder-is-evidence", "defective_item",
     email("Order #10492 arrived cracked. Photos: https://drive.google.com/drive/folders/1xYz?usp=sharing"),
     [{}], "acknowledge_defect_claim", [], "defect-with-evidence", "drive.google.com"),
    # --- what the customer says about the item
    ("return-had-them-on-board", "return_request",
     email("I'd like to return order 10492, I had them on my board for a few days and I don't like the sound."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-typed-on", "return_request",
     email("Return request for order 10492: typed on it for a week, too loud for me."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-washed", "return_request",
     email("Order 10492: I washed the keycaps and the colour is not what I like, can I return them?"),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-shrink-wrap", "return_request",
     email("I want to return order 10492, it's still in the shrink wrap, I changed my mind."),
     [{}], "return_instructions", [], "return-approved-instructions", ""),
    ("return-used-german", "return_request",
     email("Ich möchte Bestellung 10492 zurückgeben, ich habe die Tastatur eine Woche benutzt, sie ist mir zu laut."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-unopened-german", "return_request",
     email("Ich möchte Bestellung 10492 zurückgeben, sie ist noch originalverpackt, weil ich sie nicht brauche."),
     [{}], "return_instructions", [], "return-approved-instructions", ""),
    ("return-used-french", "return_request",
     email("Je voudrais retourner la commande 10492, je les ai utilisées trois jours, parce que le son ne me plaît pas."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-opened-spanish", "return_request",
     email("Quiero devolver el pedido 10492, lo he abierto y probado, porque no me gusta el color."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("return-used-polish", "return_request",
     email("Chcę zwrócić zamówienie 10492, używałem klawiatury przez tydzień, bo nie podoba mi się dźwięk."),
     [{}], "decline_opened_item", [], "return-opened", "opened or used"),
    ("opened-only-in-quoted-history-does-not-count", "return_request",
     email("I want to return order 10492, never opened, I changed my mind.\n\n"
           "On Sun, 1 Nov 2026 at 10:00, Keysme Support <support@keysme.com> wrote:\n"
           "> Did you say you opened and used it?\n"),
     [{}], "return_instructions", [], "return-approved-instructions", ""),
    # --- two requests: the time-limited defect claim first
    ("return-plus-damage-is-a-defect-claim", "return_request",
     email("Order #10492: the case arrived cracked and I want to return the whole keyboard. Photos attached.",
           photos=2), [{}], "acknowledge_defect_claim", [], "defect-with-evidence", "two requests"),
    ("exchange-plus-wrong-item-is-a-wrong-item-claim", "exchange_request",
     email("Order 10492: you sent the wrong colour, I'd like to exchange it."), [{}], "request_info",
     ["photos", "tracking_number"], "wrong-item-needs-info", "two requests"),
    ("subject-defect-taken-back-is-a-return", "defective_item",
     email("ok, defective is the wrong word, they work fine, I just don't like the colour. "
           "Can I return order 10492? I opened them.", subject="DEFECTIVE keycaps"),
     [{}], "decline_opened_item", [], "return-opened", "takes the defect back"),
    # --- parcels that went wrong go to a person
    ("delivered-but-not-received", "order_status",
     email("Tracking for order 10492 says delivered but I never received it."), [{}], "escalate_human", [],
     "parcel-problem", "delivered but not received"),
    ("delivered-but-not-received-classified-wrong-item", "wrong_item",
     email("Order 10492 shows delivered, but nothing arrived here."), [{}], "escalate_human", [],
     "parcel-problem", "delivered but not received"),
    ("returned-to-sender", "order_status",
     email("The tracking of order 10492 says it is being returned to sender?"), [IN_TRANSIT], "escalate_human", [],
     "parcel-problem", "back to the sender"),
    ("late-for-its-carrier", "order_status", email("Where is order 10492?"),
     [{**IN_TRANSIT, "shipped_at": "2026-09-20", "carrier": "china_post", "tracking_number": "LX123456785CN"}],
     "escalate_human", [], "parcel-problem", "usual at most 35: late"),
    ("status-question-reporting-wrong-item", "order_status",
     email("Order 10492 arrived but it's the wrong colour, what's the status of my order?"), [{}],
     "escalate_human", [], "status-item-problem", "wrong or missing item"),
    # --- mail that needs no reply, and mail that looks like it but asks something
    ("thank-you", "other", email("Thanks so much, the keycaps arrived today and they look amazing!"),
     [{}], "no_reply", [], "no-reply-needed", "a thank-you and a compliment"),
    ("thank-you-german", "other", email("Vielen Dank, alles ist angekommen. Super zufrieden!"),
     None, "no_reply", [], "no-reply-needed", "thank-you"),
    ("misdirected", "other", email("Sorry, I sent this to the wrong email address. Please ignore."),
     None, "no_reply", [], "no-reply-needed", "meant for someone else"),
    ("sales-pitch", "other",
     email("Hi, we help Shopify store owners increase your sales with SEO and backlinks. "
           "Would you be open to a 15-minute call?", sender="Growth Team <grow@seo-agency.example>"),
     None, "no_reply", [], "no-reply-needed", "sales pitch"),
    ("thanks-with-a-question-gets-an-answer", "order_status",
     email("Thanks for the quick reply! When will order 10492 ship?"), [IN_TRANSIT], "order_status_info", [],
     "status-known-order", ""),
    ("thanks-read-as-a-request-is-answered", "order_status",
     email("Danke schön, die Lieferung war schnell."), [IN_TRANSIT], "order_status_info", [],
     "status-known-order", ""),
    ("change-request-reporting-a-fault-goes-to-a-person", "modify_order",
     email("Can you replace the switch in order 10492? It stopped working after a week."), [{}],
     "escalate_human", [], "status-item-problem", "damage or a fault"),
    ("cancel-request-reporting-damage-goes-to-a-person", "cancel_order",
     email("Bitte Bestellung 10492 stornieren, die Tastatur ist nach drei Tagen ausgefallen."), [{}],
     "escalate_human", [], "status-item-problem", "damage or a fault"),
    ("thanks-with-damage-is-no-thank-you", "defective_item",
     email("Thanks, the parcel arrived but two keycaps are cracked."), [{}], "request_info", ["photos"],
     "defect-needs-info", ""),
]


@pytest.mark.parametrize("name,intent,raw,orders,action,missing,rule,trace", CASES, ids=[c[0] for c in CASES])
def test_round2_decision(tmp_path, name, intent, raw, orders, action, missing, rule, trace):
    verdict, reply = Scenario(tmp_path).run(raw, intent, orders=orders)
    text = "\n".join(verdict.trace)
    assert (verdict.action, list(verdict.missing_info), verdict.rule) == (action, missing, rule), text
    assert trace in text
    assert (reply is None) == (action == "no_reply")


def test_status_reply_names_carrier_tracking_page_and_days_in_transit(tmp_path):
    verdict, reply = Scenario(tmp_path).run(email("Where is order 10492?"), "order_status", orders=[IN_TRANSIT])
    assert verdict.action == "order_status_info"
    assert "It shipped on October 22, 2026 with UPS and has been on its way for 11 days" in reply.body
    assert "https://www.ups.com/track?tracknum=1Z999AA10123456784" in reply.body


def test_several_orders_are_listed_back_to_their_owner(tmp_path):
    verdict, reply = Scenario(tmp_path).run(email("Where are my orders?"), "order_status",
                                            orders=[IN_TRANSIT, {**IN_TRANSIT, **SECOND}])
    assert "#10493, placed on October 25, 2026: Gateron Yellow switches" in reply.body
    assert "#10492, placed on October 20, 2026: GMK-style keycap set" in reply.body


def test_the_second_request_is_said_to_follow(tmp_path):
    verdict, reply = Scenario(tmp_path).run(
        email("Order #10492 arrived cracked and I want to return it. Photos attached.", photos=1),
        "return_request", orders=[{}])
    assert verdict.action == "acknowledge_defect_claim"
    assert "You also asked about a return: we will come back to it once this is settled." in reply.body


# The same facts in the customer's language, end to end from their mail (language detected, dates by Babel).
def test_status_reply_in_german_names_carrier_tracking_page_and_days_in_transit(tmp_path):
    verdict, reply = Scenario(tmp_path).run(
        email("Hallo, wo bleibt meine Bestellung 10492? Ich warte schon seit Tagen darauf."),
        "order_status", orders=[IN_TRANSIT])
    assert (verdict.action, reply.language) == ("order_status_info", "de")
    assert ("Sie wurde am 22. Oktober 2026 versandt; Versanddienstleister ist UPS. "
            "Die Sendung ist seit 11 Tagen unterwegs") in reply.body
    assert "hier können Sie die Sendung verfolgen: https://www.ups.com/track?tracknum=1Z999AA10123456784" in reply.body


def test_several_orders_are_listed_back_in_french(tmp_path):
    verdict, reply = Scenario(tmp_path).run(
        email("Bonjour, où en sont mes commandes ? Je n’ai toujours rien reçu, merci de me répondre."),
        "order_status", orders=[IN_TRANSIT, {**IN_TRANSIT, **SECOND}])
    assert (verdict.action, reply.language) == ("request_info", "fr")
    assert "- la commande dont il s’agit :" in reply.body
    assert "#10493, passée le 25 octobre 2026 : Gateron Yellow switches" in reply.body
    assert "#10492, passée le 20 octobre 2026 : GMK-style keycap set" in reply.body


def test_the_second_request_is_said_to_follow_in_spanish(tmp_path):
    verdict, reply = Scenario(tmp_path).run(
        email("El pedido #10492 llegó roto y quiero devolverlo. Adjunto las fotos del teclado dañado.", photos=1),
        "return_request", orders=[{}])
    assert (verdict.action, reply.language) == ("acknowledge_defect_claim", "es")
    assert "También nos preguntó por una devolución: volveremos sobre ello en cuanto esto quede resuelto." in reply.body
