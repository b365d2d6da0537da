"""Bar 4 of issue 13: relative and written dates, in the customers' languages, found
at least 92% of the time on labelled sets written for it: data/dates_labelled.tsv (its
misses showed the gaps that were fixed) and data/dates_heldout.tsv (written afterwards,
never used to tune).

A case counts as found when the expected calendar date is among the dates read from
its sentence, resolved against the message's Date header.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

from mailbot.extract.dates import find_dates

SENT = datetime(2026, 11, 5, 10, 2, tzinfo=timezone(timedelta(hours=1)))


def _cases(name: str) -> list[list[str]]:
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


CASES = _cases("dates_labelled.tsv")
HELD_OUT = _cases("dates_heldout.tsv")  # never used to tune the extractor
MIN_FOUND = 0.92


def found(language: str, text: str, expected: str) -> bool:
    return expected in {d.date.isoformat() for d in find_dates(text, SENT, language=language)}


def test_the_set_covers_every_language_of_the_issue():
    languages = {c[0] for c in CASES}
    assert languages >= {"en", "de", "fr", "es", "it", "nl", "pt", "pl"}
    assert all(sum(c[0] == lang for c in CASES) >= 7 for lang in ("de", "fr", "es", "it", "nl", "pt", "pl"))


def test_dates_are_found_at_least_92_percent_of_the_time():
    misses = [c for c in CASES if not found(*c)]
    share = 1 - len(misses) / len(CASES)
    print(f"dates found {share:.3f} ({len(CASES) - len(misses)}/{len(CASES)})")
    assert share >= MIN_FOUND, "\n".join("\t".join(c) for c in misses)


def test_each_european_language_on_its_own():
    for language in ("en", "de", "fr", "es", "it", "nl", "pt", "pl"):
        cases = [c for c in CASES if c[0] == language]
        share = sum(found(*c) for c in cases) / len(cases)
        assert share >= MIN_FOUND - 0.1, (language, [c[1] for c in cases if not found(*c)])


def test_dates_are_found_at_least_92_percent_of_the_time_on_the_held_out_set():
    misses = [c for c in HELD_OUT if not found(*c)]
    share = 1 - len(misses) / len(HELD_OUT)
    print(f"held-out dates found {share:.3f} ({len(HELD_OUT) - len(misses)}/{len(HELD_OUT)})")
    assert share >= MIN_FOUND, "\n".join("\t".join(c) for c in misses)
