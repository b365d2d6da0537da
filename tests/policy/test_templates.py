"""Every reply template, in every language, rendered and compared with its reviewed snapshot.

A change to a template shows up here as a diff to review. To accept it:
MAILBOT_UPDATE_SNAPSHOTS=1 pytest tests/policy/test_templates.py
English snapshots are `snapshots/<template>-<intent>[-<missing>].txt`; the
other languages' are under `snapshots/<lang>/`, for every template and each
piece of missing information on its own (every combination is rendered and
checked below, in every language, without a snapshot each).
"""

import itertools
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mailbot.checkconfig import SAMPLE_MESSAGE, SAMPLE_ORDER
from mailbot.config import Config
from mailbot.extract.carriers import tracking_url
from mailbot.policy.facts import Facts, Shipment
from mailbot.policy.checks import MISSING_INFO
from mailbot.policy.rules import ACTIONS, load_rules
from mailbot.records import Decision, Extraction
from mailbot.render import Renderer, reply_context
from mailbot.resources import bundled

SNAPSHOTS = Path(__file__).parent / "snapshots"
CONFIG = Config()
RENDERER = Renderer.from_folder(bundled("templates"), CONFIG)
FACTS = Facts(SAMPLE_ORDER, "10492", date(2026, 11, 1), "order data", date(2026, 10, 25), True,
              False, False, False, True, 0, False)
EXTRACTION = Extraction("Hi, two keycaps are cracked.\nPhotos attached.", "", "en", (), (), (), ())
LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]

# The template each action's rules use (from rules/*.toml).
RULE_TEMPLATES = sorted({(r.action, r.template) for r in load_rules(bundled("rules"), {
    "defect_report_days": 7, "processing_days": 2, "refund_business_days": 7, "max_returns_per_customer": 3,
    "min_confidence": 0.5}, RENDERER.exists) if r.template})
INTENT_FOR = {"request_info": ["defective_item", "wrong_item", "return_request", "exchange_request", "order_status"]}
ALL_MISSING = [c for n in range(1, 5) for c in itertools.combinations(MISSING_INFO, n)]
CASES = []  # every combination
SHORT_CASES = []  # each missing item alone, and all of them
for action, template in RULE_TEMPLATES:
    for intent in INTENT_FOR.get(action, ["defective_item"]):
        for missing in (ALL_MISSING if action == "request_info" else [()]):
            CASES.append((action, template, intent, missing))
            if len(missing) in (0, 1, len(MISSING_INFO)):
                SHORT_CASES.append((action, template, intent, missing))
LANGUAGE_CASES = [(lang, *case) for lang in LANGUAGES if lang != "en" for case in SHORT_CASES]
EVERY_LANGUAGE_CASE = [(lang, *case) for lang in LANGUAGES for case in CASES]

# How each language asks for each piece of missing information (partials/missing_info.txt.j2).
ASKS = {
    "en": {"order_number": "- your order number", "photos": "- photos or a short video",
           "tracking_number": "- the tracking number printed", "reason": "- the reason for the"},
    "de": {"order_number": "- Ihre Bestellnummer", "photos": "- Fotos oder ein kurzes Video",
           "tracking_number": "- die Sendungsnummer, die auf dem Versandetikett", "reason": "- den Grund für"},
    "fr": {"order_number": "- votre numéro de commande", "photos": "- des photos ou une courte vidéo",
           "tracking_number": "- le numéro de suivi imprimé", "reason": "- le motif"},
    "es": {"order_number": "- su número de pedido", "photos": "- fotos o un vídeo corto",
           "tracking_number": "- el número de seguimiento impreso", "reason": "- el motivo"},
    "it": {"order_number": "- il numero d’ordine", "photos": "- foto o un breve video",
           "tracking_number": "- il numero di tracciamento stampato", "reason": "- il motivo"},
    "nl": {"order_number": "- uw bestelnummer", "photos": "- foto's of een korte video",
           "tracking_number": "- het trackingnummer dat op het verzendlabel", "reason": "- de reden voor"},
}
GREETING = {"en": "Hello Ana,", "de": "Hallo Ana,", "fr": "Bonjour Ana,", "es": "Hola, Ana:",
            "it": "Buongiorno Ana,", "nl": "Beste Ana,"}
SIGN_OFF = {"en": "Best regards,", "de": "Viele Grüße", "fr": "Cordialement,", "es": "Saludos cordiales,",
            "it": "Cordiali saluti,", "nl": "Met vriendelijke groet,"}
DELIVERED = {"en": "November 1, 2026", "de": "1. November 2026", "fr": "1er novembre 2026",
             "es": "1 de noviembre de 2026", "it": "1 novembre 2026", "nl": "1 november 2026"}


def render(action, template, intent, missing, language="en", facts=FACTS):
    decision = Decision(action, "snapshot", template, missing, (), language)
    context = reply_context(SAMPLE_MESSAGE, EXTRACTION, facts, intent, decision, CONFIG)
    return RENDERER.render(template, context, SAMPLE_MESSAGE.subject, language)


def snapshot_id(case):
    action, template, intent, missing = case
    return "-".join([template.replace("/", "_"), intent, *missing]) if missing else f"{template.replace('/', '_')}-{intent}"


def check_snapshot(reply, path: Path):
    text = f"Subject: {reply.subject}\n\n{reply.body}\n----- html -----\n{reply.html}"
    if os.environ.get("MAILBOT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with MAILBOT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[snapshot_id(c) for c in CASES])
def test_template_matches_snapshot(case):
    check_snapshot(render(*case), SNAPSHOTS / f"{snapshot_id(case)}.txt")


@pytest.mark.parametrize("case", LANGUAGE_CASES, ids=[f"{c[0]}/{snapshot_id(c[1:])}" for c in LANGUAGE_CASES])
def test_template_matches_snapshot_in_each_language(case):
    language, *rest = case
    check_snapshot(render(*rest, language), SNAPSHOTS / language / f"{snapshot_id(rest)}.txt")


def test_every_action_with_a_reply_has_a_rule_and_template():
    covered = {action for action, _ in RULE_TEMPLATES}
    assert covered == set(ACTIONS) - {"no_reply"}


def test_every_template_exists_in_every_language():
    english = RENDERER.template_names("en")
    for language in LANGUAGES:
        assert RENDERER.template_names(language) == english, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_in_every_language_with_every_missing_info_combination(language):
    for case in [c for c in EVERY_LANGUAGE_CASE if c[0] == language]:
        _, action, template, intent, missing = case
        reply = render(action, template, intent, missing, language)
        body = reply.body
        assert reply.language == language and f'<html lang="{language}">' in reply.html
        assert body.startswith(GREETING[language] + "\n"), case
        assert SIGN_OFF[language] in body, case
        assert "{{" not in body and "{%" not in body, case  # nothing left unrendered
        for item, phrase in ASKS[language].items():
            assert (phrase in body) == (item in missing), (case, item, phrase)
        if language != "en":  # nothing of the English template left in
            reply_text = body.split(">")[0]
            assert "Thank you" not in reply_text and "Best regards" not in reply_text, case
            assert "November" not in reply_text or language == "de", case


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_in_each_language_as_its_readers_write_them(language):
    body = render("acknowledge_defect_claim", "defect/acknowledge", "defective_item", (), language).body
    assert DELIVERED[language] in body and "2026-11-01" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_states_the_policy_figures(language):
    # Same facts in every language: the 7-day window, the 7 business days, no refund of shipping.
    late = render("decline_late_report", "defect/decline-late", "defective_item", (), language).body
    refund = render("refund_status_info", "refund/status", "refund_status", (), language).body
    assert " 7 " in late and " 7 " in refund and "PayPal" in refund


@pytest.mark.parametrize("case", CASES, ids=[snapshot_id(c) for c in CASES])
def test_reply_asks_for_exactly_what_is_missing(case):
    action, template, intent, missing = case
    body = render(*case).body
    for item, phrase in ASKS["en"].items():
        assert (phrase in body) == (item in missing), f"{item}: {phrase!r}"


@pytest.mark.parametrize("action,template", RULE_TEMPLATES)
def test_no_reply_promises_what_the_policy_does_not(action, template):
    body = render(action, template, "return_request", ("order_number",)).body.lower()
    assert "free return" not in body and "we will pay for the return" not in body
    assert "refund you now" not in body and "refund immediately" not in body
    assert "{{" not in body and "{%" not in body  # nothing left unrendered


def test_returns_reply_states_the_money_clauses():
    body = render("return_instructions", "returns/instructions", "return_request", ()).body
    assert "Return shipping is at your cost" in body
    assert "cash on delivery" in body
    assert "original shipping fee is not refundable" in body
    assert "original payment method (PayPal)" in body


@pytest.mark.parametrize("language,clauses", [
    ("de", ["Kosten für die Rücksendung tragen Sie", "Nachnahme", "Versandkosten werden nicht erstattet"]),
    ("fr", ["frais de retour sont à votre charge", "contre remboursement", "frais de port initiaux ne sont pas remboursables"]),
    ("es", ["corren de su cuenta", "contra reembolso", "gastos de envío originales no son reembolsables"]),
    ("it", ["sono a suo carico", "contrassegno", "spese di spedizione originali non sono rimborsabili"]),
    ("nl", ["retourkosten zijn voor uw rekening", "rembours", "verzendkosten worden niet terugbetaald"]),
])
def test_returns_reply_states_the_money_clauses_in_each_language(language, clauses):
    body = render("return_instructions", "returns/instructions", "return_request", (), language).body
    for clause in clauses:
        assert clause in body, clause
    assert "(PayPal)" in body


# Round 2 (issue 13): the parcel on its way (carrier, tracking page, days in transit), the order
# found without its number, the sender's orders to choose from, a second request that will follow.
TRACKING = SAMPLE_ORDER.tracking_number
IN_TRANSIT = replace(SAMPLE_ORDER, status="shipped", delivered_at=None)
SECOND = replace(SAMPLE_ORDER, number="10493", placed_at=date(2026, 10, 28),
                 lines=(replace(SAMPLE_ORDER.lines[0], product="Gateron Yellow switches"),))
ROUND2 = {
    "in-transit": (replace(FACTS, order=IN_TRANSIT, delivered_on=None, found_by="sender address",
                           shipment=Shipment("ups", "UPS", TRACKING, tracking_url("ups", TRACKING), 7, 14)),
                   "order_status_info", "order/status", "order_status", ()),
    "delivered-found-by-tracking": (replace(FACTS, found_by="tracking number",
                                            shipment=Shipment("ups", "UPS", TRACKING, "", 5, 14)),
                                    "order_status_info", "order/status", "order_status", ()),
    "returned": (replace(FACTS, order=replace(SAMPLE_ORDER, status="returned")),
                 "order_status_info", "order/status", "order_status", ()),
    "choose-order": (replace(FACTS, order=None, order_number=None, candidates=(SECOND, SAMPLE_ORDER)),
                     "request_info", "info/request", "order_status", ("order_number",)),
    "follow-up-return": (replace(FACTS, follow_up="return_request"),
                         "acknowledge_defect_claim", "defect/acknowledge", "defective_item", ()),
    "follow-up-exchange": (replace(FACTS, follow_up="exchange_request"),
                           "escalate_human", "escalate/holding", "wrong_item", ()),
}
# What each language must say for each case: the same facts as the English.
ROUND2_SAYS = {
    "en": {"in-transit": ["about order 10492 (the order placed with this email address).",
                          "It shipped on October 27, 2026 with UPS and has been on its way for 7 days; "
                          "parcels with UPS usually arrive within 14 days.",
                          "follow the parcel here: https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(the order with the tracking number you sent)",
                                           "delivered on November 1, 2026 by UPS."],
           "returned": ["the order was returned to us."],
           "choose-order": ["- which of your orders this is about:\n  #10493, placed on October 28, 2026: "
                            "Gateron Yellow switches\n  #10492, placed on October 25, 2026: Keycap set\n"],
           "follow-up-return": ["You also asked about a return: we will come back to it once this is settled."],
           "follow-up-exchange": ["You also asked about an exchange: we will come back to it"]},
    "de": {"in-transit": ["(der Bestellung, die mit dieser E-Mail-Adresse aufgegeben wurde)",
                          "Sie wurde am 27. Oktober 2026 versandt; Versanddienstleister ist UPS. "
                          "Die Sendung ist seit 7 Tagen unterwegs; in der Regel kommt sie innerhalb von 14 Tagen an.",
                          "Sendung verfolgen: https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(der Bestellung mit der Sendungsnummer, die Sie uns geschickt haben)",
                                           "am 1. November 2026 zugestellt (Versanddienstleister: UPS)."],
           "returned": ["die Bestellung an uns zurückgeschickt."],
           "choose-order": ["- welche Ihrer Bestellungen Sie meinen:\n  #10493, bestellt am 28. Oktober 2026: "
                            "Gateron Yellow switches\n  #10492, bestellt am 25. Oktober 2026: Keycap set\n"],
           "follow-up-return": ["Sie haben außerdem nach einer Rücksendung gefragt: Darauf kommen wir zurück"],
           "follow-up-exchange": ["Sie haben außerdem nach einem Umtausch gefragt"]},
    "fr": {"in-transit": ["(la commande passée avec cette adresse e-mail)",
                          "Elle a été expédiée le 27 octobre 2026 avec UPS, et le colis est en route depuis 7 jours ; "
                          "avec UPS, les colis arrivent généralement en 14 jours au plus.",
                          "suivre le colis ici : https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(la commande correspondant au numéro de suivi que vous nous avez envoyé)",
                                           "livrée le 1er novembre 2026 par UPS."],
           "returned": ["la commande nous a été retournée."],
           "choose-order": ["- la commande dont il s’agit :\n  #10493, passée le 28 octobre 2026 : "
                            "Gateron Yellow switches\n  #10492, passée le 25 octobre 2026 : Keycap set\n"],
           "follow-up-return": ["Vous nous avez aussi demandé un retour : nous y reviendrons"],
           "follow-up-exchange": ["Vous nous avez aussi demandé un échange"]},
    "es": {"in-transit": ["(el pedido realizado con esta dirección de correo electrónico)",
                          "Se envió el 27 de octubre de 2026 con UPS y lleva 7 días en camino; "
                          "los envíos con UPS suelen llegar en un plazo de 14 días.",
                          "seguir el paquete aquí: https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(el pedido con el número de seguimiento que nos envió)",
                                           "se entregó el 1 de noviembre de 2026 (transportista: UPS)."],
           "returned": ["el pedido nos fue devuelto."],
           "choose-order": ["- a cuál de sus pedidos se refiere:\n  #10493, realizado el 28 de octubre de 2026: "
                            "Gateron Yellow switches\n  #10492, realizado el 25 de octubre de 2026: Keycap set\n"],
           "follow-up-return": ["También nos preguntó por una devolución: volveremos sobre ello"],
           "follow-up-exchange": ["También nos preguntó por un cambio"]},
    "it": {"in-transit": ["(l’ordine effettuato con questo indirizzo e-mail)",
                          "È stato spedito il giorno 27 ottobre 2026 con UPS ed è in viaggio da 7 giorni; "
                          "le spedizioni con UPS arrivano di solito entro 14 giorni.",
                          "seguire il pacco qui: https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(l’ordine con il numero di tracciamento che ci ha inviato)",
                                           "consegnato il giorno 1 novembre 2026 (corriere: UPS)."],
           "returned": ["l’ordine ci è stato restituito."],
           "choose-order": ["- a quale dei suoi ordini si riferisce:\n  #10493, effettuato il 28 ottobre 2026: "
                            "Gateron Yellow switches\n  #10492, effettuato il 25 ottobre 2026: Keycap set\n"],
           "follow-up-return": ["Ci ha chiesto anche un reso: ce ne occuperemo"],
           "follow-up-exchange": ["Ci ha chiesto anche un cambio"]},
    "nl": {"in-transit": ["(de bestelling die met dit e-mailadres is geplaatst)",
                          "De bestelling is op 27 oktober 2026 verzonden met UPS en is nu 7 dagen onderweg; "
                          "pakketten met UPS komen meestal binnen 14 dagen aan.",
                          "pakket hier volgen: https://www.ups.com/track?tracknum=1Z999AA10123456784"],
           "delivered-found-by-tracking": ["(de bestelling met het trackingnummer dat u ons stuurde)",
                                           "op 1 november 2026 door UPS bezorgd."],
           "returned": ["de bestelling naar ons teruggestuurd."],
           "choose-order": ["- om welke van uw bestellingen het gaat:\n  #10493, geplaatst op 28 oktober 2026: "
                            "Gateron Yellow switches\n  #10492, geplaatst op 25 oktober 2026: Keycap set\n"],
           "follow-up-return": ["U vroeg ook naar een retour: daar komen we op terug"],
           "follow-up-exchange": ["U vroeg ook naar een ruil"]},
}
ROUND2_CASES = [(language, name) for language in LANGUAGES for name in ROUND2]


def render_round2(language, name):
    facts, action, template, intent, missing = ROUND2[name]
    return render(action, template, intent, missing, language, facts)


@pytest.mark.parametrize("language,name", ROUND2_CASES, ids=[f"{l}/{n}" for l, n in ROUND2_CASES])
def test_round2_wording_in_each_language(language, name):
    body = render_round2(language, name).body
    for phrase in ROUND2_SAYS[language][name]:
        assert phrase in body, phrase
    assert "2026-10-" not in body and "2026-11-" not in body  # dates as people write them, never ISO
    assert "{{" not in body and "{%" not in body
    if language != "en":
        reply_text = body.split(">")[0]
        assert "You also asked" not in reply_text and "It shipped" not in reply_text and "placed on" not in reply_text


@pytest.mark.parametrize("language,name", ROUND2_CASES, ids=[f"{l}/{n}" for l, n in ROUND2_CASES])
def test_round2_wording_matches_snapshot(language, name):
    folder = SNAPSHOTS if language == "en" else SNAPSHOTS / language
    check_snapshot(render_round2(language, name), folder / f"round2-{name}.txt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_follow_up_sentence_without_a_second_request(language):
    body = render("acknowledge_defect_claim", "defect/acknowledge", "defective_item", (), language).body
    for says in (ROUND2_SAYS[language]["follow-up-return"], ROUND2_SAYS[language]["follow-up-exchange"]):
        assert not any(phrase in body for phrase in says)
