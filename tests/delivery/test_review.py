"""`mailbot review`: list, show, approve (with --edit), reject; each step recorded for training data."""

from __future__ import annotations

import stat

import pytest

from mailbot.config import load_config
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.delivery.outbox import Outbox
from mailbot.delivery.review import Review, ReviewError
from mailbot.records import RawMessage
from mailbot.store import Store

from .conftest import customer_mail, drafted_store, mailbot, write_config


@pytest.fixture
def drafted(pipeline_factory, tmp_path):
    """Three pending drafts in a store on disk, and the config that names it."""
    path, config, store, _ = drafted_store(pipeline_factory, tmp_path, [
        ("where is my order", None),
        ("question about keycaps", "Hello, do your SA profile keycaps fit a 65% keyboard? Thanks, Ana"),
        ("return", "I want to return my order 10509, it does not fit."),
    ])
    yield path, config, store
    store.close()


def test_list_shows_pending_drafts_newest_first(drafted):
    path, _, _ = drafted
    result = mailbot("review", "list", config=path)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert [int(r[0]) for r in rows] == [3, 2, 1]
    assert "failed sends: none" in result.stdout


def test_show_has_the_original_the_facts_the_trace_and_the_draft(drafted):
    path, _, store = drafted
    out = mailbot("review", "show", "1", config=path).stdout
    for part in ("--- original ---", "From: Ana Lopez <ana@example.com>", "order #10517",
                 "--- facts ---", 'order_numbers: ["10517"]', "--- trace ---", "decides",
                 "--- delivery ---", "guard: ok not automated mail", "--- draft reply ---",
                 "To: Ana Lopez <ana@example.com>", "Subject: Re: where is my order",
                 "In-Reply-To: <customer-1@example.com>", "--- events ---", "drafted"):
        assert part in out, part
    assert mailbot("review", "show", "99", config=path).returncode == 1


def test_approve_queues_the_reply_once_and_withdraws_nothing_twice(drafted):
    path, config, store = drafted
    result = mailbot("review", "approve", "1", config=path)
    assert result.returncode == 0, result.stderr
    assert "draft 1 approved: queued to ana@example.com" in result.stdout
    entry = Outbox(store.db).for_draft(1)
    assert (entry.state, entry.automatic, entry.message_id) == ("queued", 0, Drafts(store.db).get(1).message_id)
    again = mailbot("review", "approve", "1", config=path)
    assert again.returncode == 1 and "approved, not pending" in again.stderr
    assert Outbox(store.db).counts() == {"queued": 1}


def test_approve_edit_opens_the_editor_and_records_the_change(drafted, tmp_path):
    path, _, store = drafted
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/^Hello/Dear/' \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = mailbot("review", "approve", "2", "--edit", config=path, env={"EDITOR": str(editor), "VISUAL": ""})
    assert result.returncode == 0, result.stderr
    assert "(edited)" in result.stdout
    draft = Drafts(store.db).get(2)
    assert draft.edited_body.startswith("Dear") and draft.body.startswith("Hello")
    raw = Outbox(store.db).for_draft(2).raw
    assert b"Dear" in raw and b"text/html" not in raw  # the HTML of the unedited text is not sent
    events = {event: detail for _, event, _, detail in Drafts(store.db).events(2)}
    assert events["edited"]["before"] == draft.body and events["edited"]["after"] == draft.edited_body
    assert events["approved"] == {"edited": True}


def test_an_editor_closed_without_saving_approves_nothing(drafted):
    path, _, store = drafted
    result = mailbot("review", "approve", "2", "--edit", config=path, env={"EDITOR": "true", "VISUAL": ""})
    assert result.returncode == 1 and "nothing approved" in result.stderr
    assert Drafts(store.db).get(2).status == "pending" and Outbox(store.db).for_draft(2) is None


def test_reject_needs_a_reason_and_keeps_it(drafted):
    path, _, store = drafted
    assert mailbot("review", "reject", "3", config=path).returncode == 2  # click: --reason is required
    result = mailbot("review", "reject", "3", "--reason", "customer already called us", config=path)
    assert result.returncode == 0, result.stderr
    draft = Drafts(store.db).get(3)
    assert (draft.status, draft.reject_reason) == ("rejected", "customer already called us")
    [(_, event, actor, detail)] = [e for e in Drafts(store.db).events(3) if e[1] == "rejected"]
    assert detail["reason"] == "customer already called us" and detail["action"] == draft.action
    assert detail["body"] == draft.body and actor
    listed = mailbot("review", "list", config=path).stdout
    assert [int(l.split()[0]) for l in listed.splitlines() if l.startswith("  ")] == [2, 1]


def test_approve_refuses_what_the_guard_stops(drafted):
    _, config, store = drafted
    blocked = config.model_copy(update={"delivery": config.delivery.model_copy(update={"block_list": ["example.com"]})})
    with pytest.raises(ReviewError, match="block list"):
        Review(blocked, store).approve(1, actor="tester")
    assert Drafts(store.db).get(1).status == "pending"
    assert "approve-refused" in [e[1] for e in Drafts(store.db).events(1)]


def test_a_queued_automatic_reply_can_still_be_rejected_but_a_sent_one_cannot(drafted):
    _, config, store = drafted
    review = Review(config, store)
    review.approve(1, actor="tester")
    with pytest.raises(ReviewError, match="sending; too late"):
        Outbox(store.db).claim(Outbox(store.db).for_draft(1).id, review.now())
        review.reject(1, reason="changed my mind", actor="tester")
    review.approve(2, actor="tester")
    review.reject(2, reason="changed my mind", actor="tester")
    assert Outbox(store.db).for_draft(2) is None


def test_list_shows_what_the_guard_stopped_until_a_person_clears_it(pipeline_factory, tmp_path):
    path = write_config(tmp_path)
    config = load_config(path)
    store = Store(config.store_path())
    pipeline = pipeline_factory(config, store=store)
    pipeline.deliver = Delivery(config, store)
    pipeline.triage(RawMessage("1.eml", customer_mail(1, reply_to='"x" <a@x.com> <b@y.com>')))
    listed = mailbot("review", "list", config=path).stdout
    assert "stopped by the loop guard (1" in listed and "recipient: Reply-To" in listed
    assert mailbot("review", "approve", "1", config=path).returncode == 1
    assert mailbot("review", "reject", "1", "--reason", "answered by phone", config=path).returncode == 0
    assert "stopped by the loop guard" not in mailbot("review", "list", config=path).stdout
