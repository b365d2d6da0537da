"""The deliver hook: each mode, what a draft keeps, automatic replies, and the guard in the trace."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from pathlib import Path

import pytest

from mailbot.config import Config
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.delivery.ledger import StoreLedger
from mailbot.delivery.outbox import Outbox
from mailbot.records import RawMessage
from mailbot.store import Store

from .conftest import EXAMPLES, customer_mail

ORDERS = str(Path(__file__).resolve().parent / "orders.csv")  # 10517 is Ana's


@pytest.fixture
def build(pipeline_factory, tmp_path):
    def make(mode="draft", **delivery):
        config = Config(mode=mode, delivery=delivery)
        store = Store(tmp_path / f"{mode}.sqlite3")
        pipeline = pipeline_factory(config, orders=ORDERS, store=store)
        pipeline.deliver = Delivery(config, store)
        return pipeline, store
    return make


def tables(store):
    db = store.db
    return {name: db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for name in ("delivery_drafts", "delivery_outbox", "delivery_events", "delivery_bounced", "delivery_state")}


def test_dry_run_writes_nothing_but_the_store_s_report(build):
    pipeline, store = build("dry-run")
    result = pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    assert set(tables(store).values()) == {0}
    assert any(line.startswith("deliver (dry-run, nothing written)") for line in result["trace"])
    [(identity,)] = store.db.execute("SELECT identity FROM messages").fetchall()
    recorded = store.decided(identity)
    assert recorded["trace"] == result["trace"]  # the report says what would have happened


def test_draft_mode_keeps_everything_a_reviewer_reads(build):
    pipeline, store = build("draft")
    raw = customer_mail(1, reply_to="Ana at work <ana@work.example>", references="<root@example.com>")
    result = pipeline.triage(RawMessage("a.eml", raw))
    [draft] = Drafts(store.db).with_status("pending")
    assert draft.original_from == "ana@example.com" and draft.original_subject == "where is my order"
    assert "order #10517" in draft.original_text
    assert json.loads(draft.facts)["order_numbers"] == ["10517"]
    # Reply-To is not the order's address: the order's status is for a person to give.
    assert (draft.intent, draft.action, draft.rule) == ("order_status", "escalate_human", "sender-not-orderer")
    assert draft.confidence > 0.5
    assert json.loads(draft.trace) == [l for l in result["trace"] if not l.startswith(("deliver", "guard"))]
    assert draft.body == result["reply"]["body"] and draft.subject == "Re: where is my order" and draft.html
    assert (draft.recipient, draft.recipient_name) == ("ana@work.example", "Ana at work")  # Reply-To honoured
    assert draft.in_reply_to == "<customer-1@example.com>"
    assert json.loads(draft.references_ids) == ["<root@example.com>", "<customer-1@example.com>"]
    assert draft.message_id.startswith("<mailbot.") and draft.message_id.endswith("@keysme.com>")
    assert "deliver: draft for review: mode draft: every reply waits for a person" in result["trace"]
    assert f"deliver: draft {draft.id}" in result["trace"]
    assert tables(store)["delivery_outbox"] == 0
    assert [e[1] for e in Drafts(store.db).events(draft.id)] == ["drafted"]


def test_a_message_is_drafted_once(build):
    pipeline, store = build("draft")
    raw = RawMessage("a.eml", customer_mail(1))
    pipeline.triage(raw)
    pipeline.triage(raw)  # the store's decision is reused: the hook is not even called
    again = pipeline.triage(raw, redecide=True)
    assert tables(store)["delivery_drafts"] == 1
    assert any("already drafted as draft 1" in line for line in again["trace"])


def test_send_mode_queues_what_the_allowlist_trusts_and_drafts_the_rest(build):
    pipeline, store = build("send")
    pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    returns = customer_mail(2, subject="return", body="I want to return my order 10509, it does not fit.")
    result = pipeline.triage(RawMessage("b.eml", returns))
    drafts = {d.original_message_id: d for d in Drafts(store.db).with_status("auto", "pending")}
    auto, held = drafts["<customer-1@example.com>"], drafts["<customer-2@example.com>"]
    assert auto.status == "auto" and held.status == "pending"
    entry = Outbox(store.db).for_draft(auto.id)
    assert entry.state == "queued" and entry.automatic == 1 and entry.recipient == "ana@example.com"
    assert b"Auto-Submitted: auto-replied" in entry.raw and entry.message_id == auto.message_id
    assert Outbox(store.db).for_draft(held.id) is None
    assert any("touches money or commitments" in line or "not on delivery.auto_send_actions" in line
               for line in result["trace"])


def test_only_the_reply_sent_on_its_own_is_marked_auto_submitted(build):
    """RFC 3834: an automatic reply says so; the one a person approved is that person's reply."""
    from email import message_from_bytes

    from mailbot.delivery.review import Review

    pipeline, store = build("send")
    pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    pipeline.triage(RawMessage("b.eml", customer_mail(2, subject="return",
                                                      body="I want to return my order 10509, it does not fit.")))
    drafts = {d.original_message_id: d for d in Drafts(store.db).with_status("auto", "pending")}
    auto, held = drafts["<customer-1@example.com>"], drafts["<customer-2@example.com>"]
    approved = Review(pipeline.config, store).approve(held.id, actor="reviewer")
    sent_alone = message_from_bytes(Outbox(store.db).for_draft(auto.id).raw)
    by_a_person = message_from_bytes(approved.raw)
    assert approved.automatic == 0 and by_a_person["Message-ID"] == held.message_id
    assert sent_alone["Auto-Submitted"] == "auto-replied" and sent_alone["X-Auto-Response-Suppress"] == "All"
    assert by_a_person["Auto-Submitted"] is None and by_a_person["X-Auto-Response-Suppress"] is None


def test_the_second_automatic_reply_in_a_thread_waits_for_a_person(build):
    # A low confidence bar: this is about the thread limit, not the model's certainty.
    pipeline, store = build("send", auto_send_min_confidence=0.5)
    first = customer_mail(1)
    pipeline.triage(RawMessage("a.eml", first))
    [auto] = Drafts(store.db).with_status("auto")
    # The customer (or a robot) answers our reply, naming only our reply in References.
    follow_up = customer_mail(2, subject="Re: where is my order", references=auto.message_id,
                              body="Thanks. Where is my order 10517 now?")
    result = pipeline.triage(RawMessage("b.eml", follow_up))
    assert any("guard: WAIT thread limit: 1 automatic replies to this thread" in line for line in result["trace"]), result["trace"]
    [held] = Drafts(store.db).with_status("pending")
    assert held.thread_key == auto.thread_key == "<customer-1@example.com>"


def test_in_send_mode_old_mail_is_drafted_for_a_person_not_answered(build):
    # What a first run against a real inbox meets: a backlog of mail written long ago.
    pipeline, store = build("send", auto_send_min_confidence=0.5)
    months_ago = datetime.now(timezone.utc) - timedelta(days=120)
    result = pipeline.triage(RawMessage("old.eml", customer_mail(1, written=months_ago)))
    [held] = Drafts(store.db).with_status("pending")
    assert held.action == "order_status_info" and tables(store)["delivery_outbox"] == 0
    assert any("days old, over delivery.auto_send_max_age_hours 72" in line for line in result["trace"])
    # The same question written an hour ago goes on its own.
    pipeline.triage(RawMessage("new.eml", customer_mail(2)))
    [auto] = Drafts(store.db).with_status("auto")
    assert auto.original_date > held.original_date and tables(store)["delivery_outbox"] == 1


def test_automated_mail_gets_no_draft(build):
    pipeline, store = build("send")
    ooo = customer_mail(1, subject="Out of Office: Re: where is my order",
                        body="I am out of the office until Monday with limited access to email.")
    result = pipeline.triage(RawMessage("a.eml", ooo))
    assert result["action"] == "no_reply" and tables(store)["delivery_drafts"] == 0


def test_a_reply_the_guard_stops_is_kept_blocked_with_its_reasons(build):
    pipeline, store = build("send", block_list=["example.com"])
    result = pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    [draft] = Drafts(store.db).with_status("blocked")
    assert "guard: STOP ana@example.com is on the block list (example.com)" in result["trace"]
    assert draft.imap_state == "none" and tables(store)["delivery_outbox"] == 0


def test_a_forged_reply_to_gets_no_recipient_and_no_reply(build):
    pipeline, store = build("send")
    result = pipeline.triage(RawMessage("a.eml", customer_mail(1, reply_to="a@x.com, b@y.com")))
    [draft] = Drafts(store.db).with_status("blocked")
    assert draft.recipient is None
    assert any(line.startswith("guard: STOP recipient: Reply-To") for line in result["trace"])


def test_a_bounce_of_our_reply_marks_the_address_and_a_forged_one_does_not(build):
    pipeline, store = build("send")
    pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    [auto] = Drafts(store.db).with_status("auto")
    pipeline.triage(RawMessage("dsn.eml", bounce_for(auto.message_id, "ana@example.com")))
    pipeline.triage(RawMessage("forged.eml", bounce_for("<someone-else@x.test>", "bob@example.com")))
    ledger = StoreLedger(store.db)
    assert "5.1.1" in ledger.bounced("ana@example.com")
    assert ledger.bounced("bob@example.com") is None


def test_a_failing_hand_over_leaves_the_message_failed_to_be_retried(build):
    pipeline, store = build("draft")

    def broken(raw, outcome, result):
        raise RuntimeError("disk full")

    pipeline.deliver = broken
    result = pipeline.triage(RawMessage("a.eml", customer_mail(1)))
    assert result["error"] == "deliver: RuntimeError: disk full"
    assert store.counts() == {"failed": 1}


def bounce_for(message_id: str, recipient: str) -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.com\r\nTo: support@keysme.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn-{abs(hash(message_id))}@mx.example.com>\r\nDate: Tue, 03 Nov 2026 11:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: support@keysme.com\r\nTo: {recipient}\r\nMessage-ID: {message_id}\r\n\r\n"
        "--b--\r\n"
    ).encode()
