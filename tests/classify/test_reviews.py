"""Learning from review: the store's approved and corrected drafts become training examples."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from conftest import REPO
from delivery.conftest import drafted_store
from mailbot.classify.reviews import reviewed_examples
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.review import Review
from mailbot.store import Store

MAIL = [
    ("where is my order", "Hi, where is my order 10517? It has been two weeks. Ana"),
    ("Umtausch", "Hallo, kann ich die Keycaps aus Bestellung 10517 gegen die ISO-DE Variante tauschen? Unbenutzt."),
    ("keycaps", "Hello, do your SA profile keycaps fit a 65% keyboard? Thanks, Ana"),
    ("cancel", "Please cancel my order 10517, I ordered the wrong layout."),
]


@pytest.fixture
def reviewed(pipeline_factory, tmp_path):
    """A store on disk with four drafts: approved, rejected with the right intent, rejected, pending."""
    path, config, store, _ = drafted_store(pipeline_factory, tmp_path, MAIL)
    review = Review(config, store)
    review.approve(1, actor="ana")
    # The reviewer picks the right intent, as the console and `review reject --intent` do.
    review.reject(2, reason="she wants an exchange, not a return", actor="ana", intent="exchange_request")
    drafts = Drafts(store.db)
    review.reject(3, reason="answered by phone", actor="ana")
    yield path, store, drafts
    store.close()


def test_approvals_and_corrected_rejections_are_examples(reviewed):
    _, store, drafts = reviewed
    examples = {e.origin.split()[1]: e for e in reviewed_examples(store)}
    assert sorted(examples) == ["1", "2"]  # the plain rejection and the pending draft teach nothing
    assert examples["1"].intent == drafts.get(1).intent  # an approval confirms the drafted intent
    assert examples["2"].intent == "exchange_request"  # the reviewer's intent, not the model's
    assert examples["2"].subject == "Umtausch" and "ISO-DE" in examples["2"].text


def test_the_newest_correction_wins_and_nonsense_is_ignored(reviewed):
    _, store, drafts = reviewed
    now = datetime.now(timezone.utc)
    with drafts.transaction():
        drafts.event(1, "intent-corrected", "bo", now, corrected_intent="no_such_intent")
        store.db.execute("UPDATE review_labels SET intent = 'return_request' WHERE draft_id = 2")
    examples = {e.origin.split()[1]: e.intent for e in reviewed_examples(store)}
    assert examples == {"2": "return_request"}  # draft 1's correction names no intent: it is left out


def test_a_store_without_drafts_has_no_examples(tmp_path):
    store = Store(tmp_path / "empty.sqlite3")
    assert reviewed_examples(store) == []
    store.close()


@pytest.mark.slow
def test_train_with_reviews_adds_them_and_eval_reports_the_gain(reviewed, mailbot, tmp_path):
    path, store, _ = reviewed
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # A small corpus keeps this quick: the first 6 English examples of each intent.
    for source in sorted((REPO / "nlp" / "corpus").glob("*.jsonl")):
        if "_" not in source.stem:
            (corpus / source.name).write_text("\n".join(source.read_text().splitlines()[:6]), encoding="utf-8")
    trained = mailbot("model", "train", "--corpus", str(corpus), "--output", str(tmp_path / "with"),
                      "--with-reviews", "--config", str(path))
    assert trained.returncode == 0, trained.stderr
    assert "reviewed drafts: 2" in trained.stdout and "confidence calibration: temperature" in trained.stdout
    assert json.loads((tmp_path / "with" / "calibration.json").read_text())["method"] == "temperature"
    mailbot("model", "train", "--corpus", str(corpus), "--output", str(tmp_path / "without"), check=True)
    held_out = tmp_path / "held_out.jsonl"
    held_out.write_text(json.dumps({"subject": "Umtausch bitte", "language": "de", "intent": "exchange_request",
                                    "text": "Kann ich das Set gegen die ISO-DE Variante tauschen?"}) + "\n")
    out = mailbot("model", "eval", str(held_out), "--model", str(tmp_path / "with"), "--baseline",
                  str(tmp_path / "without"), "--with-reviews", "--config", str(path), check=True).stdout
    assert "gain over" in out and "macro-F1" in out
    assert "per language" in out and "\nde " in out
    assert "at classifier.min_confidence 0.5:" in out
