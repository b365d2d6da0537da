"""Issue 14's rules one at a time: our own addresses, Precedence, bounce expiry, the age of a message."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.classify.automated import precedence_of
from mailbot.config import Config
from mailbot.delivery import guard
from mailbot.delivery.autosend import may_go_alone
from mailbot.delivery.ledger import StoreLedger
from mailbot.store import Store

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=timezone.utc)
SEND = Config(mode="send")


@pytest.mark.parametrize("address, ours", [
    ("support@keysme.com", True), ("Support@KeysMe.com", True), ("support+orders@keysme.com", True),
    ('"support+x"@keysme.com', True), ("support@keysme.com.", True), ("help+1@keysme.com", True),
    ("support@keysme.co", False), ("supporter@keysme.com", False), ("ana+support@keysme.com", False),
    ("support@evil.example", False),
])
def test_our_own_addresses_and_their_subaddresses(address, ours):
    own = guard.own_addresses(Config(delivery={"support_addresses": ["help@keysme.com"]}))
    assert guard.is_own(address, own) is ours


@pytest.mark.parametrize("value, word", [
    ("bulk", "bulk"), ("  Bulk ;", "bulk"), ("JUNK", "junk"), ('"list"', "list"), ("bulk (newsletter)", "bulk"),
    ("first-class", "first-class"), ("", ""), (None, ""), (";;", ""),
])
def test_precedence_is_read_however_it_is_written(value, word):
    assert precedence_of(value) == word


def test_a_bounce_block_expires_and_can_be_cleared():
    ledger = StoreLedger(Store(":memory:").db)
    ledger.record_bounce("Ana@example.com", "550 5.1.1 no such user", NOW)
    assert "5.1.1" in ledger.bounced("ana@example.com", since=NOW - timedelta(days=60))
    assert ledger.bounced("ana@example.com", since=NOW + timedelta(seconds=1)) is None
    assert "5.1.1" in ledger.unblock(" ANA@example.com ")
    assert ledger.bounced("ana@example.com") is None and ledger.unblock("ana@example.com") is None


def test_the_guard_applies_bounce_block_days():
    store = Store(":memory:")
    ledger = StoreLedger(store.db)
    ledger.record_bounce("ana@example.com", "550 5.1.1", NOW - timedelta(days=10))
    from .test_guard import candidate

    short = Config(delivery={"bounce_block_days": 7})
    assert not any("bounced" in s for s in guard.check(candidate(automatic=False), short, ledger, NOW).stops)
    assert any("bounced" in s for s in guard.check(candidate(automatic=False), Config(), ledger, NOW).stops)


def test_the_age_comes_from_the_arrival_and_a_future_date_is_unknown():
    def alone(**when):
        return may_go_alone(SEND, "order_status_info", "order_status", 0.99, now=NOW, **when)

    assert not alone(written=NOW + timedelta(days=2))[0]
    assert "more than a day in the future" in alone(written=NOW + timedelta(days=2))[1]
    assert alone(written=NOW + timedelta(hours=20))[0]  # a clock a few hours off is not a lie
    assert alone(written=NOW + timedelta(days=30), arrived=NOW - timedelta(hours=1))[0]
    late, why = alone(written=NOW, arrived=NOW - timedelta(days=5))
    assert not late and "5.0 days old" in why and "since it arrived" in why
    assert alone(written=None, arrived=NOW - timedelta(hours=2))[0]  # no Date, but the server knows
