"""The bundled sample mailbox is decided as its expected.csv says.

examples/expected.csv keeps, for every sample message, the intent and action
a careful agent would settle on, what is missing, the order numbers in it, the
language it is written in and the language of the reply it should get (empty
for none).
"""

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from mailbot.records import RawMessage

with (EXAMPLES / "expected.csv").open(newline="", encoding="utf-8") as f:
    EXPECTED = list(csv.DictReader(f))


def _split(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


@pytest.fixture(scope="module")
def results(pipeline_factory):
    pipeline = pipeline_factory(orders=str(EXAMPLES / "orders.csv"))
    out = {}
    for row in EXPECTED:
        path = EXAMPLES / "inbox" / "cur" / row["file"]
        out[row["file"]] = pipeline.triage(RawMessage(str(path), path.read_bytes()))
    return out


def test_every_sample_message_is_labelled():
    files = {p.name for p in (EXAMPLES / "inbox" / "cur").iterdir() if not p.name.startswith(".")}
    assert files == {row["file"] for row in EXPECTED}
    assert len(files) >= 54
    intents = {row["intent"] for row in EXPECTED}
    from mailbot.classify import INTENTS
    assert intents == set(INTENTS)


AUTOMATED = [row for row in EXPECTED if row["intent"] == "automated"]
# The classifier is statistical: a few sample messages may be read differently
# from their label (and a person then gets them).  The facts and automated-mail
# detection are exact; the decisions must agree on at least this share.
DECISION_AGREEMENT = 0.9


@pytest.mark.parametrize("row", AUTOMATED, ids=[r["file"].split(".")[1] for r in AUTOMATED])
def test_automated_sample_mail_is_never_answered(results, row):
    r = results[row["file"]]
    assert (r["intent"], r["automated"], r["action"]) == ("automated", True, row["action"]), r["trace"]
    assert r["reply"] is None


@pytest.mark.parametrize("row", EXPECTED, ids=[r["file"].split(".")[1] for r in EXPECTED])
def test_sample_facts(results, row):
    r = results[row["file"]]
    assert r["error"] is None
    assert sorted(r["order_numbers"]) == sorted(_split(row["order_numbers"]))


def _disagreements(results, rows) -> list[str]:
    wrong = []
    for row in rows:
        r = results[row["file"]]
        got = (r["intent"], r["action"], r["missing_info"])
        want = (row["intent"], row["action"], _split(row["missing_info"]))
        if got != want:
            wrong.append(f"{row['file']}: got {got}, expected {want}")
    return wrong


# Round 2 of the sample (mail dated 26 Nov 2026 on, issue 13): other languages, thanks,
# pitches, parcels gone wrong. End to end it is read by the multilingual model; its
# decisions are also tested exactly on the labelled intent (below), whatever the model.
ROUND2_FROM = datetime(2026, 11, 26, tzinfo=timezone.utc).timestamp()
BEFORE_ROUND2 = [row for row in EXPECTED if int(row["file"].split(".")[0]) < ROUND2_FROM]


def test_sample_decisions_agree_with_their_labels(results):
    wrong = _disagreements(results, BEFORE_ROUND2)
    share = 1 - len(wrong) / len(BEFORE_ROUND2)
    assert share >= DECISION_AGREEMENT, "\n".join(wrong)


def test_sample_decisions_in_every_language_agree_with_their_labels(results):
    wrong = _disagreements(results, EXPECTED)
    assert 1 - len(wrong) / len(EXPECTED) >= DECISION_AGREEMENT, "\n".join(wrong)


def test_sample_inbox_covers_the_customers_languages():
    assert {row["language"] for row in EXPECTED} >= {"en", "de", "fr", "es", "it", "nl", "pt", "pl", "ja", "zh"}


@pytest.mark.parametrize("row", EXPECTED, ids=[r["file"].split(".")[1] for r in EXPECTED])
def test_sample_language(results, row):
    assert results[row["file"]]["language"] == row["language"]


@pytest.fixture(scope="module")
def decided_on_labels(pipeline_factory):
    """Each message decided with its labelled intent (as a sure classifier would read it):
    the facts, the order look-up and the policy are exact, whatever the model."""
    from dataclasses import replace

    from mailbot.parse import parse
    from mailbot.policy.facts import gather
    from mailbot.policy.requests import primary_request
    from mailbot.records import Classification

    pipeline = pipeline_factory(orders=str(EXAMPLES / "orders.csv"))
    out = {}
    for row in EXPECTED:
        if row["intent"] == "automated":
            continue  # decided from headers, tested above
        path = EXAMPLES / "inbox" / "cur" / row["file"]
        parsed = parse(RawMessage(str(path), path.read_bytes()))
        extraction = pipeline.extractor(parsed)
        classification = Classification(row["intent"], 0.95, False, (), False)
        request = primary_request(row["intent"], extraction)
        facts = gather(parsed, extraction, pipeline.orders, pipeline.returns, pipeline.config.policy, request)
        out[row["file"]] = pipeline.decide(parsed, extraction, replace(classification), facts, request)
    return out


HUMAN_WRITTEN = [row for row in EXPECTED if row["intent"] != "automated"]


@pytest.mark.parametrize("row", HUMAN_WRITTEN, ids=[r["file"].split(".")[1] for r in HUMAN_WRITTEN])
def test_sample_policy_given_the_labelled_intent(decided_on_labels, row):
    decision = decided_on_labels[row["file"]]
    assert (decision.action, list(decision.missing_info)) == (row["action"], _split(row["missing_info"])), \
        "\n".join(decision.trace)


# Issue 13: the store writes these languages; a customer writing another gets English, opened
# by one line in their own language saying so.
STORE_LANGUAGES = {"en", "de", "fr", "es", "it", "nl"}


def _note(language: str) -> str:
    path = REPO / "templates" / language / "partials" / "language-note.txt.j2"
    return " ".join(path.read_text(encoding="utf-8").split())


def test_sample_inbox_states_the_reply_language():
    stated = {row["reply_language"] for row in EXPECTED}
    assert stated >= STORE_LANGUAGES | {""}, "each language the store writes is answered in the sample"
    others = {row["language"] for row in EXPECTED if row["reply_language"] == "en" and row["language"] != "en"}
    assert others >= {"pt", "pl", "ja", "zh"}, "and customers in other languages get English"


@pytest.mark.parametrize("row", EXPECTED, ids=[r["file"].split(".")[1] for r in EXPECTED])
def test_sample_reply_language(results, row):
    """The reply's language as `mailbot triage --json` prints it (reply.language), and its opening line."""
    r = results[row["file"]]
    reply = r["reply"]
    if (reply is None) != (not row["reply_language"]):
        # Whether to reply at all is the decision (its own tests above, with the classifier's share).
        pytest.xfail(f"decided {r['action']} (intent {r['intent']}), expected {row['action']}")
    if reply is None:
        return
    assert reply["language"] == row["reply_language"], r["trace"]
    if row["reply_language"] != row["language"]:
        assert reply["body"].startswith(_note(row["language"]) + "\n\n"), reply["body"][:200]
    else:
        assert not any(reply["body"].startswith(_note(lang)) for lang in ("pt", "pl", "ja", "zh", "de", "fr"))


@pytest.mark.parametrize("row", HUMAN_WRITTEN, ids=[r["file"].split(".")[1] for r in HUMAN_WRITTEN])
def test_sample_reply_language_given_the_labelled_intent(decided_on_labels, row):
    decision = decided_on_labels[row["file"]]
    language = decision.language if decision.template else ""
    note = row["language"] if row["reply_language"] and row["reply_language"] != row["language"] else ""
    assert (language, decision.language_note) == (row["reply_language"], note), "\n".join(decision.trace)
