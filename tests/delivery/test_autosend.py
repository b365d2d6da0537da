"""What may go without a person: mode, age, allowlist, confidence, and nothing about money by default."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from mailbot.classify import INTENTS
from mailbot.config import Config
from mailbot.delivery import autosend
from mailbot.delivery.vocabulary import COMMITMENT_ACTIONS, COMMITMENT_INTENTS
from mailbot.policy.rules import ACTIONS

SEND = Config(mode="send")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def may_go_alone(config, action, intent, confidence, body="", *, written=NOW - timedelta(hours=1)):
    """The rule for a message written an hour ago, unless the test says otherwise."""
    return autosend.may_go_alone(config, action, intent, confidence, body, written=written, now=NOW)


def test_only_send_mode_sends_alone():
    for mode in ("dry-run", "draft"):
        alone, why = may_go_alone(Config(mode=mode), "order_status_info", "order_status", 0.99)
        assert not alone and f"mode {mode}" in why
    assert may_go_alone(SEND, "order_status_info", "order_status", 0.99)[0]


def test_below_the_minimum_confidence_a_person_reviews():
    alone, why = may_go_alone(SEND, "order_status_info", "order_status", 0.84)
    assert not alone and "confidence 0.84 below" in why


def test_an_action_off_the_allowlist_waits():
    config = Config(mode="send", delivery={"auto_send_actions": ["answer_question"]})
    alone, why = may_go_alone(config, "order_status_info", "order_status", 0.99)
    assert not alone and "not on delivery.auto_send_actions" in why


@pytest.mark.parametrize("action, intent", list(itertools.product(ACTIONS, INTENTS)))
def test_with_the_default_allowlist_nothing_about_returns_cancellations_refunds_goes_alone(action, intent):
    touches_money = action in COMMITMENT_ACTIONS or intent in COMMITMENT_INTENTS
    alone, why = may_go_alone(SEND, action, intent, 1.0)
    if touches_money:
        assert not alone, (action, intent)
    if intent in ("return_request", "cancel_order", "refund_status", "exchange_request"):
        assert not alone
    if alone:
        assert action in ("order_status_info", "answer_question", "request_info")


def test_listing_an_action_on_the_allowlist_is_not_enough_for_money():
    config = Config(mode="send", delivery={"auto_send_actions": ["refund_status_info", "request_info"]})
    alone, why = may_go_alone(config, "refund_status_info", "refund_status", 0.99)
    assert not alone and "touches money or commitments (refund_status_info, refund_status)" in why
    # "send me your order number" to a refund request is still about a refund.
    assert not may_go_alone(config, "request_info", "refund_status", 0.99)[0]


def test_the_config_may_list_money_explicitly():
    config = Config(mode="send", delivery={"auto_send_actions": ["refund_status_info"],
                                           "auto_send_commitments": ["refund_status_info", "refund_status"]})
    assert may_go_alone(config, "refund_status_info", "refund_status", 0.99)[0]
    half = Config(mode="send", delivery={"auto_send_actions": ["refund_status_info"],
                                         "auto_send_commitments": ["refund_status_info"]})
    alone, why = may_go_alone(half, "refund_status_info", "refund_status", 0.99)
    assert not alone and "(refund_status)" in why


def test_a_reply_with_a_part_left_for_a_person_never_goes_alone():
    config = Config(mode="send", delivery={"auto_send_actions": ["answer_question"]})
    body = "Hello Ana,\n\nThank you for your interest!\n\n[Answer the customer's question here.]\n\nBest regards\n"
    alone, why = may_go_alone(config, "answer_question", "product_question", 0.99, body)
    assert not alone and "a person completes it" in why
    quoted = "Hello,\n\nYour order shipped.\n\n> [Ticket 1] where is it?\n"
    assert may_go_alone(Config(mode="send"), "order_status_info", "order_status", 0.99, quoted)[0]


def test_answer_question_is_not_sent_alone_by_default():
    assert "answer_question" not in Config().delivery.auto_send_actions


def test_a_reply_to_old_mail_waits_for_a_person():
    # The first run against a real inbox decides years of mail; none of it is answered automatically.
    alone, why = may_go_alone(SEND, "order_status_info", "order_status", 0.99, written=NOW - timedelta(days=200))
    assert not alone and "200.0 days old, over delivery.auto_send_max_age_hours 72" in why
    assert may_go_alone(SEND, "order_status_info", "order_status", 0.99, written=NOW - timedelta(hours=71))[0]
    assert not may_go_alone(SEND, "order_status_info", "order_status", 0.99, written=NOW - timedelta(hours=73))[0]
    weekly = Config(mode="send", delivery={"auto_send_max_age_hours": 24 * 7})
    assert may_go_alone(weekly, "order_status_info", "order_status", 0.99, written=NOW - timedelta(days=5))[0]


def test_a_message_whose_age_is_unknown_waits_for_a_person():
    alone, why = may_go_alone(SEND, "order_status_info", "order_status", 0.99, written=None)
    assert not alone and "no readable Date header" in why
