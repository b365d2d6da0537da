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
from datetime import date
from pathlib import Path

import pytest

from mailbot.checkconfig import SAMPLE_MESSAGE, SAMPLE_ORDER
from mailbot.config import Config
from mailbot.policy.facts import Facts
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


def render(action, template, intent, missing, language="en"):
    decision = Decision(action, "snapshot", template, missing, (), language)
    context = reply_context(SAMPLE_MESSAGE, EXTRACTION, FACTS, intent, decision, CONFIG)
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
