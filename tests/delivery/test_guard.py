"""The loop and abuse guard, one check at a time, on the store's own records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.config import Config
from mailbot.delivery import guard
from mailbot.delivery.ledger import StoreLedger
from mailbot.delivery.outbox import Outbox
from mailbot.records import ParsedMessage
from mailbot.store import Store

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=timezone.utc)


def original(headers=(), sender="ana@example.com", subject="where is my order", text="Where is order 10517?",
             message_id="<c-1@example.com>", content_type="text/plain") -> ParsedMessage:
    headers = (("from", sender), ("subject", subject), *headers)
    return ParsedMessage(source="t", identity="i", message_id=message_id, from_addr=sender, from_name="",
                         reply_to=None, to=(), subject=subject, date=None, headers=headers,
                         content_type=content_type, text_plain=text, text_html="", parts=(), forwarded_text="",
                         size=1)


def candidate(msg=None, *, to="ana@example.com", automatic=True, thread="<c-1@example.com>", automated=False,
              draft_id=None, text=None):
    msg = msg or original()
    return guard.Candidate(recipient=to, recipient_problem="" if to else "Reply-To names 2 addresses, not one",
                           original=msg, original_text=text if text is not None else msg.text_plain,
                           classified_automated=automated, thread_key=thread, automatic=automatic,
                           draft_id=draft_id)


@pytest.fixture
def store():
    return Store(":memory:")


def sent_before(store, *, to="ana@example.com", thread="<c-1@example.com>", automatic=True, at=NOW,
                state="sent", draft_id=100):
    outbox = Outbox(store.db)
    entry = outbox.queue(draft_id, f"<mailbot.{draft_id}@keysme.com>", "support@keysme.com", to, thread,
                         automatic, b"x", at)
    if state == "sent":
        outbox.mark_sent(entry, at, sent_folder="none")
    return entry


def test_a_person_s_mail_passes(store):
    verdict = guard.check(candidate(), Config(), StoreLedger(store.db), NOW)
    assert verdict.may_send, verdict.trace()
    assert all(line.startswith("guard: ok") for line in verdict.trace())


@pytest.mark.parametrize("headers, sender, subject, text", [
    ((("auto-submitted", "auto-replied"),), "ana@example.com", "Re: where is my order", "Thanks"),
    ((("precedence", "bulk"),), "news@shop.example", "Our news", "Sale"),
    ((("list-id", "<x.lists.example>"),), "ana@example.com", "digest", "hi"),
    ((), "mailer-daemon@mx.example.com", "Undelivered Mail Returned to Sender", "failed"),
    ((("x-autoreply", "yes"),), "ana@example.com", "Re: x", "hi"),
    # An out-of-office reply with no auto headers at all: its text gives it away.
    ((), "bob@example.org", "Out of Office: Re: where is my order",
     "I am out of the office until Monday with limited access to email."),
])
def test_never_to_automated_mail_even_when_classified_as_a_person(store, headers, sender, subject, text):
    msg = original(headers, sender=sender, subject=subject, text=text)
    verdict = guard.check(candidate(msg, to=sender, automatic=False, text=text), Config(), StoreLedger(store.db), NOW)
    assert not verdict.may_send
    assert any("automated mail" in s for s in verdict.stops), verdict.trace()


def test_never_to_our_own_addresses(store):
    config = Config(delivery={"support_addresses": ["help@keysme.com"]})
    ledger = StoreLedger(store.db)
    for to in ("support@keysme.com", "Help@Keysme.com"):
        verdict = guard.check(candidate(to=to, automatic=False), config, ledger, NOW)
        assert any("our own addresses" in s for s in verdict.stops)
    # Our own reply come back to the inbox (a list, a forward): not answered either.
    mine = original(sender="support@keysme.com")
    assert guard.check(candidate(mine, to="ana@example.com"), config, ledger, NOW).stops
    echo = original(message_id="<mailbot.abc@keysme.com>")
    assert any("our own replies" in s for s in guard.check(candidate(echo), config, ledger, NOW).stops)


@pytest.mark.parametrize("entry, to, stopped", [
    ("ana@example.com", "ANA@example.com", True),
    ("@example.com", "ana@example.com", True),
    ("example.com", "ana@mail.example.com", True),
    ("example.com", "ana@notexample.com", False),
    ("bob@example.com", "ana@example.com", False),
])
def test_block_list(store, entry, to, stopped):
    config = Config(delivery={"block_list": [entry]})
    verdict = guard.check(candidate(to=to, automatic=False), config, StoreLedger(store.db), NOW)
    assert any("block list" in s for s in verdict.stops) == stopped


def test_an_address_that_bounced_gets_nothing_more(store):
    ledger = StoreLedger(store.db)
    ledger.record_bounce("ana@example.com", "550 5.1.1 no such user", NOW)
    verdict = guard.check(candidate(automatic=False), Config(), ledger, NOW)
    assert any("bounced before" in s and "5.1.1" in s for s in verdict.stops)


def test_no_safe_recipient_stops_it(store):
    verdict = guard.check(candidate(to=None, automatic=False), Config(), StoreLedger(store.db), NOW)
    assert any("Reply-To names 2 addresses" in s for s in verdict.stops)


def test_one_automatic_reply_per_thread_per_day(store):
    ledger = StoreLedger(store.db)
    sent_before(store, at=NOW - timedelta(hours=23))
    verdict = guard.check(candidate(), Config(), ledger, NOW)
    assert not verdict.stops and any("thread limit" in w for w in verdict.waits)
    # A person may still approve a reply in the same thread.
    assert guard.check(candidate(automatic=False), Config(), ledger, NOW).may_send
    # A day later the thread may have another automatic reply.
    assert guard.check(candidate(), Config(), ledger, NOW + timedelta(hours=1, minutes=1)).may_send


def test_a_few_automatic_replies_per_recipient_per_day(store):
    ledger = StoreLedger(store.db)
    config = Config(delivery={"max_auto_replies_per_recipient_per_day": 2})
    sent_before(store, thread="<t1@x>", draft_id=1)
    assert guard.check(candidate(thread="<t9@x>"), config, ledger, NOW).may_send
    sent_before(store, thread="<t2@x>", draft_id=2, state="queued")  # queued counts: it is about to go
    verdict = guard.check(candidate(thread="<t9@x>"), config, ledger, NOW)
    assert any("recipient limit: 2" in w for w in verdict.waits)


def test_a_reply_is_not_counted_against_itself(store):
    ledger = StoreLedger(store.db)
    sent_before(store, draft_id=7, state="queued")
    assert guard.check(candidate(draft_id=7), Config(), ledger, NOW).may_send


def test_the_hourly_cap_reports_itself_and_a_pause_holds_everything(store):
    ledger = StoreLedger(store.db)
    config = Config(delivery={"max_auto_sends_per_hour": 3})
    for n in range(3):
        sent_before(store, to=f"c{n}@example.com", thread=f"<t{n}@x>", draft_id=n, at=NOW - timedelta(minutes=10))
    verdict = guard.check(candidate(), config, ledger, NOW)
    assert verdict.cap_reached and any("hourly cap: 3" in w for w in verdict.waits)
    ledger.pause_auto_send(verdict.waits[-1], NOW)
    later = NOW + timedelta(hours=5)  # the hour has passed, but a person must resume it
    verdict = guard.check(candidate(), config, ledger, later)
    assert any("PAUSED" in w for w in verdict.waits)
    ledger.resume_auto_send()
    assert guard.check(candidate(), config, ledger, later).may_send


def test_the_pause_is_loud_in_the_log(store, caplog):
    with caplog.at_level("ERROR", logger="mailbot.delivery"):
        StoreLedger(store.db).pause_auto_send("hourly cap: 20 automatic sends in the last hour (cap 20)", NOW)
    assert any(r.levelname == "ERROR" and "AUTO-SEND PAUSED" in r.getMessage() for r in caplog.records)
