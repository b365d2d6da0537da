"""The intent model: shipped in the package, reproducible training, evaluation."""

import json

import pytest

from conftest import REPO
from mailbot.classify import INTENTS
from mailbot.classify.corpus import load_corpus, split
from mailbot.classify.evaluate import evaluate
from mailbot.classify.intent import BUNDLED_MODEL, load_model, model_text


def test_bundled_model_knows_every_intent_and_is_small():
    nlp = load_model("")
    assert set(nlp.get_pipe("textcat").labels) == set(INTENTS)
    size = sum(p.stat().st_size for p in BUNDLED_MODEL.rglob("*") if p.is_file())
    assert size < 20 * 1024 * 1024


def test_corpus_has_every_intent_and_a_disjoint_dev_split():
    examples = load_corpus(REPO / "nlp" / "corpus")
    assert len(examples) >= 1500
    counts = {intent: sum(e.intent == intent for e in examples) for intent in INTENTS}
    assert min(counts.values()) >= 100, counts
    train, validation, dev = split(examples)
    texts = lambda part: {(e.subject, e.text) for e in part}
    assert not texts(dev) & (texts(train) | texts(validation))
    assert len(dev) >= 0.15 * len(examples)


def test_model_reads_subject_and_new_text_folded():
    text = model_text("Where is ORDER 10492", "Hi, I CANCELLED it. Any NEWS?", "> quoted history about a refund")
    assert text.startswith("where is order 0 hi , i cancel it . ani news ?")
    assert "refund" in text  # a short new text borrows a little of the quoted history
    long_new = "My keycaps arrived cracked and I would like a replacement please. " * 2
    assert "refund" not in model_text("", long_new, "> a refund")


@pytest.mark.parametrize("subject,body,intent", [
    ("where is my stuff", "Ordered two weeks ago and the tracking hasn't moved since the 3rd. Where is my parcel?", "order_status"),
    ("cancel", "Please cancel my order 10492, I ordered the wrong layout by mistake. It hasn't shipped yet.", "cancel_order"),
    ("cracked keycaps", "Two of the keycaps arrived cracked, photos attached. Order 10492.", "defective_item"),
    ("refund?", "I sent the keyboard back two weeks ago and still no refund on my PayPal.", "refund_status"),
    ("K8 ISO?", "Hi, before I buy: do you have the K8 in ISO-DE layout, and are the keycaps PBT?", "product_question"),
])
def test_clear_requests_are_read_right(subject, body, intent):
    nlp = load_model("")
    cats = nlp(model_text(subject, body)).cats
    assert max(cats, key=cats.get) == intent, cats


def test_evaluate_counts_per_intent_and_macro_f1():
    report = evaluate(["a", "a", "b", "b"], ["a", "b", "b", "b"], [0.9, 0.4, 0.8, 0.95])
    p, r, f, n = report.per_label["a"]
    assert (p, r, n) == (1.0, 0.5, 2)
    assert report.per_label["b"][:2] == (2 / 3, 1.0)
    assert report.accuracy == 0.75
    assert report.confusion[("a", "b")] == 1
    assert [(low, count) for low, _, count, _ in report.calibration] == [(0.4, 1), (0.7, 1), (0.9, 2)]


def test_model_eval_on_a_labelled_jsonl(mailbot, tmp_path):
    path = tmp_path / "unseen.jsonl"
    rows = [{"subject": "cancel", "text": "Please cancel order 10492 before it ships, I changed my mind.", "intent": "cancel_order"},
            {"subject": "Out of office", "text": "I am out of the office until Monday with no access to email.", "intent": "automated"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = mailbot("model", "eval", str(path), check=True).stdout
    assert "macro-F1" in out and "confusion matrix" in out and "on 2 messages" in out


@pytest.mark.slow
def test_training_is_reproducible(tmp_path):
    from mailbot.classify.train import train_model
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # A small corpus keeps this quick: the first 25 examples of each intent.
    for path in sorted((REPO / "nlp" / "corpus").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[:25]
        (corpus / path.name).write_text("\n".join(lines), encoding="utf-8")
    scores = []
    for run in ("one", "two"):
        train_model(corpus, REPO / "nlp" / "config.cfg", tmp_path / run, seed=0)
        nlp = load_model(str(tmp_path / run))
        scores.append(nlp("my keycaps arrived cracked, can I get a refund").cats)
    assert scores[0] == scores[1]
