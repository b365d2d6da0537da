"""The shared tracking-number test vectors, each put in a sentence a customer would write.

Valid numbers of the carriers Keysme's parcels travel with must be found
with the right carrier; at most a few invalid ones may be accepted.  The
vectors are read from ../shared at run time (never copied into the repo).
"""

import csv

import pytest

from conftest import shared_corpus
from mailbot.extract.tracking import find_tracking_numbers

CARRIERS = {  # the vectors' courier code -> how a customer names it
    "ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL", "s10": "registered post",
    "yunexpress": "YunExpress", "amazon": "Amazon", "canada_post": "Canada Post", "dpd": "DPD",
}
SENTENCES = (
    "Hi, my {carrier} tracking number is {number}, can you check?",
    "{carrier} says parcel {number} is stuck in customs.",
    "The {carrier} tracking ({number}) hasn't updated in a week",
    "Hello, I got an email that my package shipped with {carrier}: {number}\nBut nothing happens.",
)
# S10 numbers end in their country; the postal operator is the carrier.
S10_OPERATORS = {"GB": "royal_mail", "US": "usps"}
MAX_INVALID_ACCEPTED = 3


def vectors() -> list[dict]:
    path = shared_corpus() / "tracking-numbers" / "jkeen_tracking_number_data" / "test_vectors.csv"
    if not path.is_file():
        pytest.fail(f"tracking-number vectors missing: {path}")
    with path.open(newline="", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["courier_code"] in CARRIERS]


def expected_carrier(code: str, compact: str) -> str:
    if code == "s10":
        return S10_OPERATORS.get(compact[-2:], f"post_{compact[-2:].lower()}")
    return code


def sentence_for(row: dict, index: int) -> str:
    template = SENTENCES[index % len(SENTENCES)]
    return template.format(carrier=CARRIERS[row["courier_code"]], number=row["tracking_number"])


def test_valid_vectors_are_found_with_their_carrier():
    rows = [r for r in vectors() if r["expected"] == "valid"]
    assert len(rows) >= 100 and {r["courier_code"] for r in rows} == set(CARRIERS)
    missed = []
    for i, row in enumerate(rows):
        compact = row["tracking_number"].replace(" ", "").upper()
        text = sentence_for(row, i)
        hits = [t for t in find_tracking_numbers(text)
                if t.number in compact and t.carrier == expected_carrier(row["courier_code"], compact)]
        if not hits:
            missed.append((row["tracking_type"], text, find_tracking_numbers(text)))
    assert not missed, "\n".join(map(str, missed))


def test_few_invalid_vectors_are_accepted():
    rows = [r for r in vectors() if r["expected"] == "invalid"]
    assert len(rows) >= 50
    accepted = [(row["tracking_type"], row["tracking_number"], find_tracking_numbers(sentence_for(row, i)))
                for i, row in enumerate(rows) if find_tracking_numbers(sentence_for(row, i))]
    assert len(accepted) <= MAX_INVALID_ACCEPTED, "\n".join(map(str, accepted))


def test_valid_vectors_without_a_carrier_name_are_found_where_their_format_is_distinctive():
    # Without the carrier's name, a format that stands on its own (a prefix, a
    # check digit and a length nothing else has) is still found.
    rows = [r for r in vectors() if r["expected"] == "valid" and r["courier_code"] in ("ups", "s10", "yunexpress")
            and not r["tracking_type"].endswith("Waybill")]
    for row in rows:
        compact = row["tracking_number"].replace(" ", "").upper()
        found = find_tracking_numbers(f"Tracking: {row['tracking_number']}")
        assert [t.carrier for t in found] == [expected_carrier(row["courier_code"], compact)], row


# Every parcel carrier in the vectors that a Keysme customer may quote: the
# store ships worldwide, so the US, Canadian and UK regional carriers are in.
# Old Dominion is a freight (LTL pallet) carrier: no keycap parcel travels with it.
NOT_PARCEL_CARRIERS = {"old_dominion"}
CUSTOMER_NAMES = {"lasership": "LaserShip", "ontrac": "OnTrac", "purolator": "Purolator", "canpar": "Canpar",
                  "gofo": "GOFO", "landmark": "Landmark", "speedee": "Spee-Dee", "yodel": "Yodel"}


def _all_carrier_rows(expected: str) -> list[dict]:
    path = shared_corpus() / "tracking-numbers" / "jkeen_tracking_number_data" / "test_vectors.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f)
                if r["expected"] == expected and r["courier_code"] not in NOT_PARCEL_CARRIERS]


def _in_sentence(row: dict, index: int) -> str:
    name = CARRIERS.get(row["courier_code"]) or CUSTOMER_NAMES[row["courier_code"]]
    return SENTENCES[index % len(SENTENCES)].format(carrier=name, number=row["tracking_number"])


def _compact(number: str) -> str:
    return "".join(c for c in number.upper() if c.isalnum())


def test_every_parcel_carrier_is_found_with_recall_of_at_least_095():
    rows = _all_carrier_rows("valid")
    assert {r["courier_code"] for r in rows} >= set(CUSTOMER_NAMES) | set(CARRIERS)
    missed = [(r["tracking_type"], r["tracking_number"]) for i, r in enumerate(rows)
              if not any(t.number in _compact(r["tracking_number"])
                         for t in find_tracking_numbers(_in_sentence(r, i)))]
    recall = 1 - len(missed) / len(rows)
    print(f"valid recall {recall:.3f} ({len(rows) - len(missed)}/{len(rows)})")
    assert recall >= 0.95, missed


def test_at_most_5_percent_of_invalid_numbers_of_any_parcel_carrier_are_accepted():
    rows = _all_carrier_rows("invalid")
    accepted = [(r["tracking_type"], r["tracking_number"]) for i, r in enumerate(rows)
                if find_tracking_numbers(_in_sentence(r, i))]
    rate = len(accepted) / len(rows)
    print(f"invalid accepted {rate:.3f} ({len(accepted)}/{len(rows)})")
    assert rate <= 0.05, accepted
