"""Issue 13's bar 1 on the held-out mail (nlp/heldout/mail, mail2): decisions must not slide back.

The same measure as `python scripts/eval_heldout.py --set all`, whose figures are in
docs/benchmarks.md. The thresholds are the issue's, not today's figures.
"""

import importlib.util

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def figures():
    spec = importlib.util.spec_from_file_location("eval_heldout", REPO / "scripts" / "eval_heldout.py")
    evaluation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluation)
    decided = [pair for name in ("mail", "mail2") for pair in evaluation.decide_all(evaluation.HELDOUT / name)]
    return evaluation.report(decided)


def test_intents_are_read_in_every_language(figures):
    assert figures["messages"] >= 200 and not figures["errors"]
    assert figures["intent_macro_f1"] >= 0.93
    assert min(figures["intent_macro_f1_by_language"].values()) >= 0.88, figures["intent_macro_f1_by_language"]


def test_actions_match_and_nothing_is_promised_that_should_not_be(figures):
    assert figures["action_match"] >= 0.85
    assert figures["answerable_answered_right"] >= 0.80
    assert figures["wrong_commitments"] <= 0.01, figures["wrong_commitment_ids"]
    assert figures["reply_language_match"] == 1.0
