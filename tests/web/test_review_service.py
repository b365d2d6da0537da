"""The review service both faces call: atomic decisions, who decided, intent labels, mail for a person, quality."""

from __future__ import annotations

import threading

import pytest

from mailbot.classify import INTENTS as CLASSIFIER_INTENTS
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.outbox import Outbox
from mailbot.delivery.quality import edit_size
from mailbot.delivery.review import AlreadyDecided, NoSuchDraft, Review, ReviewError
from mailbot.delivery.vocabulary import INTENTS
from mailbot.store import Store
from mailbot.web.thumbs import thumbnail

from .conftest import png


def test_the_console_offers_exactly_the_classifiers_intents():
    assert INTENTS == CLASSIFIER_INTENTS


def test_two_reviewers_approving_at_once_give_one_approval_and_one_clear_refusal(drafted):
    _, config, store = drafted
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def approve(name: str) -> None:
        own = Store(config.store_path())  # each reviewer's own connection, as the web's worker threads have
        review = Review(config, own)
        barrier.wait()
        try:
            results[name] = review.approve(1, actor=name)
        except ReviewError as e:
            results[name] = e
        finally:
            own.close()

    threads = [threading.Thread(target=approve, args=(name,)) for name in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [e for e in results.values() if isinstance(e, AlreadyDecided)]
    assert len(refused) == 1, results
    winner = Drafts(store.db).get(1).reviewer
    assert f"approved by {winner} at " in str(refused[0])
    assert Outbox(store.db).counts() == {"queued": 1}
    assert [e[1] for e in Drafts(store.db).events(1)].count("approved") == 1


def test_a_decided_draft_says_who_did_what_and_when(drafted):
    _, config, store = drafted
    review = Review(config, store)
    review.reject(2, reason="answered by phone", actor="alice")
    with pytest.raises(AlreadyDecided, match=r"draft 2 is rejected, not pending \(rejected by alice at .* UTC: answered by phone\)"):
        review.approve(2, actor="bob")
    with pytest.raises(NoSuchDraft):
        review.show(99)


def test_the_reviewers_intent_is_kept_in_a_table_training_can_read(drafted):
    _, config, store = drafted
    review = Review(config, store)
    classified = review.show(3).draft.intent
    review.reject(3, reason="they want an exchange", actor="alice", intent="exchange_request")
    review.approve(1, actor="bob", intent=review.show(1).draft.intent)
    with pytest.raises(ReviewError, match="unknown intent"):
        review.reject(2, reason="x", actor="alice", intent="refund_please")
    rows = store.db.execute("SELECT d.id, d.original_text, l.intent, l.classified, l.decision, l.actor "
                            "FROM review_labels l JOIN delivery_drafts d ON d.id = l.draft_id ORDER BY d.id").fetchall()
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows] == [
        (1, review.show(1).draft.intent, review.show(1).draft.intent, "approved", "bob"),
        (3, "exchange_request", classified, "rejected", "alice")]
    assert "return my order" in rows[1][1]
    corrected = [d for _, e, _, d in Drafts(store.db).events(3) if e == "intent-corrected"]
    assert corrected == [{"intent": "exchange_request", "classified": classified}]
    assert Drafts(store.db).get(2).status == "pending"  # the refused rejection changed nothing


def test_quality_counts_unchanged_edited_and_rejected_per_intent_rule_and_action(drafted):
    _, config, store = drafted
    review = Review(config, store)
    d1, d2 = review.show(1).draft, review.show(2).draft
    review.approve(1, actor="alice")
    review.approve(2, actor="alice", edited_body=d2.body.replace("Hello", "Dear"))
    review.reject(3, reason="wrong order", actor="bob")
    report = review.quality(None)
    t = report.total
    assert (t.unchanged, t.edited, t.rejected, t.reasons) == (1, 1, 1, ("wrong order",))
    assert t.median_edit == edit_size(d2.body, d2.body.replace("Hello", "Dear")) > 0
    by_action = {row.key: row for row in report.groups["action"]}
    assert by_action[d1.action].unchanged >= 1
    assert sum(r.total for r in report.groups["intent"]) == sum(r.total for r in report.groups["rule"]) == 3
    assert review.quality(review.now()).total.total == 0  # a period that starts now has nothing in it


def test_escalations_and_quarantined_mail_leave_the_list_when_marked_handled(drafted):
    _, config, store = drafted
    review = Review(config, store)
    store.db.execute("UPDATE delivery_drafts SET action = 'escalate_human' WHERE id = 2")
    escalated = {("draft", str(i)) for (i,) in store.db.execute(
        "SELECT id FROM delivery_drafts WHERE action = 'escalate_human'")}
    from mailbot.store import Checkpoint, MailboxEntry

    checkpoint = store.start_checkpoint("support", "INBOX", 7)
    store.commit_mailbox(checkpoint, 5, [MailboxEntry(5, "id-5", "<broken@x>", "failed", error="parse: boom")])
    waiting = review.needs_person()
    assert ("draft", "2") in escalated and ("draft", "1") not in escalated
    assert {(w.kind, w.key) for w in waiting} == escalated | {("quarantine", "support/INBOX/7/5")}
    assert next(w for w in waiting if w.kind == "quarantine").reason == "parse: boom"
    review.mark_handled("quarantine", "support/INBOX/7/5", actor="alice")
    for _, key in escalated:
        review.mark_handled("draft", key, actor="alice")
    assert review.needs_person() == []
    with pytest.raises(ReviewError):
        review.mark_handled("draft", "2", actor="alice")
    assert ("handled", "alice") in [(e[1], e[2]) for e in Drafts(store.db).events(2)]


def test_attachments_are_kept_within_their_bound(drafted, pipeline_factory, tmp_path):
    from mailbot.config import load_config
    from mailbot.delivery.intake import Delivery
    from mailbot.records import RawMessage

    from delivery.conftest import write_config

    from .conftest import mail_with_photo

    _, config, store = drafted
    review = Review(config, store)
    [kept] = review.show(4).attachments
    assert (kept.filename, kept.kept, kept.is_image) == ("cracked.png", True, True)
    assert review.attachment(4, 0)[1] == png()
    assert "<b>cracked</b>" in review.original_html(4)

    small = tmp_path / "small"
    small.mkdir()
    path = write_config(small, )
    text = path.read_text() + "\n[web]\nkeep_attachment_bytes = 100\n"
    path.write_text(text)
    tight = load_config(path)
    other = Store(tight.store_path())
    pipeline = pipeline_factory(tight, store=other)
    pipeline.deliver = Delivery(tight, other)
    pipeline.triage(RawMessage("big.eml", mail_with_photo(9, photo=png(400, 300))))
    [listed] = Review(tight, other).show(1).attachments
    assert (listed.kept, listed.size > 100) == (False, True)
    assert Review(tight, other).attachment(1, 0) is None
    other.close()


def test_thumbnails_are_small_pngs_and_hostile_images_get_none():
    thumb = thumbnail(png(1200, 900))
    from PIL import Image
    import io

    image = Image.open(io.BytesIO(thumb))
    assert image.format == "PNG" and max(image.size) <= 240
    assert thumbnail(b"\x89PNG\r\n\x1a\n not really") is None
    # A PNG header claiming 100,000 x 100,000 pixels: refused before any decoding.
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    assert thumbnail(bomb) is None


def test_the_queue_pages_newest_first_and_counts_every_pending_draft(drafted):
    _, config, store = drafted
    review = Review(config, store)
    pending = [d.id for d in Drafts(store.db).with_status("pending")]  # newest first
    first, second = review.queue(page=1, per_page=2), review.queue(page=2, per_page=2)
    assert [r.id for r in first.rows + second.rows] == pending
    assert (first.total, first.matching, first.pages) == (len(pending), len(pending), -(-len(pending) // 2))
    assert sum(n for _, n in first.per_action) == len(pending)
    action = first.rows[0].action
    only = review.queue(action=action)
    assert {r.action for r in only.rows} == {action} and only.matching == dict(first.per_action)[action]
    assert all(r.age_seconds >= 0 for r in first.rows)
