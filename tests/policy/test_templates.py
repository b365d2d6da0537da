"""Every reply template, rendered and compared with its reviewed snapshot.

A change to a template shows up here as a diff to review. To accept it:
MAILBOT_UPDATE_SNAPSHOTS=1 pytest tests/policy/test_templates.py
"""

import itertools
import os
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
from datetime import date

SNAPSHOTS = Path(__file__).parent / "snapshots"
CONFIG = Config()
RENDERER = Renderer.from_folder(bundled("templates"), CONFIG)
FACTS = Facts(SAMPLE_ORDER, "10492", date(2026, 11, 1), "order data", date(2026, 10, 25), True,
              False, False, False, True, 0, False)
EXTRACTION = Extraction("Hi, two keycaps are cracked.\nPhotos attached.", "", "en", (), (), (), ())

# The template each action's rules use (from rules/*.toml).
RULE_TEMPLATES = sorted({(r.action, r.template) for r in load_rules(bundled("rules"), {
    "defect_report_days": 7, "processing_days": 2, "refund_business_days": 7, "max_returns_per_customer": 3,
    "min_confidence": 0.5}, RENDERER.exists) if r.template})
INTENT_FOR = {"request_info": ["defective_item", "wrong_item", "return_request", "exchange_request", "order_status"]}
CASES = []
for action, template in RULE_TEMPLATES:
    for intent in INTENT_FOR.get(action, ["defective_item"]):
        combos = ([c for n in range(1, 5) for c in itertools.combinations(MISSING_INFO, n)]
                  if action == "request_info" else [()])
        for missing in combos:
            CASES.append((action, template, intent, missing))


def render(action, template, intent, missing):
    decision = Decision(action, "snapshot", template, missing, ())
    context = reply_context(SAMPLE_MESSAGE, EXTRACTION, FACTS, intent, decision, CONFIG)
    return RENDERER.render(template, context, SAMPLE_MESSAGE.subject)


def snapshot_id(case):
    action, template, intent, missing = case
    return "-".join([template.replace("/", "_"), intent, *missing]) if missing else f"{template.replace('/', '_')}-{intent}"


@pytest.mark.parametrize("case", CASES, ids=[snapshot_id(c) for c in CASES])
def test_template_matches_snapshot(case):
    reply = render(*case)
    text = f"Subject: {reply.subject}\n\n{reply.body}\n----- html -----\n{reply.html}"
    path = SNAPSHOTS / f"{snapshot_id(case)}.txt"
    if os.environ.get("MAILBOT_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with MAILBOT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_every_action_with_a_reply_has_a_rule_and_template():
    covered = {action for action, _ in RULE_TEMPLATES}
    assert covered == set(ACTIONS) - {"no_reply"}


@pytest.mark.parametrize("case", CASES, ids=[snapshot_id(c) for c in CASES])
def test_reply_asks_for_exactly_what_is_missing(case):
    action, template, intent, missing = case
    body = render(*case).body
    asks = {"order_number": "your order number", "photos": "photos or a short video",
            "tracking_number": "the tracking number printed", "reason": "the reason for the"}
    for item, phrase in asks.items():
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
    assert "original payment method (paypal)" in body
