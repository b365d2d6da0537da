"""Month, weekday and relative-date words, from dateparser's locale data.

dateparser keeps curated CLDR-based word lists for every language it
reads; we compile them once into the regexes dates.py uses to find
candidates, instead of running dateparser's own search over each message
(about 10 ms a message) or its parser on each candidate (about 0.6 ms).
The modifiers customers put around a weekday ("last Monday", "letzten
Montag", "lundi dernier") are not in that data, so they are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.languages.loader import default_loader

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "pl")
# Languages whose abbreviations we trust; for the others only full month names
# (Polish "sie" is German "Sie").
ABBREVIATING = ("en", "de", "fr", "es", "it", "nl", "pt")
# Words that are a date word in one language and an everyday word in another
# (German "hier" is "here"): taken only when the text is in their language.
AMBIGUOUS = {"hier": "fr", "idag": "sv", "i dag": "sv"}
# Entries of the locale data that are no date words in a customer's mail.
NOT_RELATIVE = {"till date", "wcz", "before", "sem ant", "förra v", "last wk"}
# Abbreviations that are everyday words: Spanish "ago" (agosto), Portuguese "out"
# (outubro) as in "2 out of 5", Italian "gen" (gennaio) as in "Gen 2", "set", "lug", "mag".
NOT_MONTHS = {"ago", "out", "set", "gen", "lug", "mag", "lip", "sie"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Small numbers as words, for "two weeks ago", "vor drei Tagen", "il y a deux jours".
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2,
    "a few": 3, "few": 3,
    "einem": 1, "einer": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "diez": 10,
    "due": 2, "tre": 3, "quattro": 4, "sei": 6, "sette": 7, "otto": 8, "dieci": 10,
    "een": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "tien": 10,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3,
    "jeden": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7,
}

# Words around a weekday that put it in the past ("last Monday", "lundi dernier").
WEEKDAY_BEFORE = ("last", "this past", "past", "on", "this", "letzten", "letzter", "vergangenen", "am",
                  "le", "el", "afgelopen", "vorige", "op", "no último", "na última", "na", "no", "w")
WEEKDAY_AFTER = ("dernier", "passé", "pasado", "scorso", "passato", "passada", "passado")
# Words that put it in the future: "next Monday", "by Friday" are not facts about the past.
WEEKDAY_FUTURE = ("next", "coming", "by", "until", "till", "before", "nächsten", "kommenden", "bis",
                  "prochain", "próximo", "prossimo", "volgende", "this coming")


@dataclass(frozen=True)
class Vocabulary:
    months: dict[str, int]  # word -> 1..12
    weekdays: dict[str, int]  # word -> 0..6
    relative_days: dict[str, int]  # "yesterday" -> 1, "vorgestern" -> 2, "heute" -> 0
    relative_weeks: dict[str, int]  # "last week" -> 1
    ago_before: tuple[str, ...]  # "vor", "il y a", "hace", "há"
    ago_after: tuple[str, ...]  # "ago", "fa", "geleden", "atrás"
    units: dict[str, str]  # "tagen" -> "day", "weeks" -> "week"
    day_first: dict[str, bool]  # language -> whether its numeric dates put the day first


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    rel_days: dict[str, int] = {}
    rel_weeks: dict[str, int] = {}
    ago_before: set[str] = set()
    ago_after: set[str] = set()
    units: dict[str, str] = {}
    day_first: dict[str, bool] = {}
    for code in LANGUAGES:
        info = default_loader.get_locale(code).info
        day_first[code] = info.get("date_order", "MDY").startswith("D")
        for i, name in enumerate(MONTHS, 1):
            for word in info.get(name, []):
                word = _clean(word)
                if len(word) >= (3 if code in ABBREVIATING else 5) and word not in NOT_MONTHS:
                    months.setdefault(word, i)
        for i, name in enumerate(WEEKDAYS):
            for word in info.get(name, []):
                word = _clean(word)
                # Full names only: "mo", "di", "sat", "sun" are words in their own right.
                if len(word) >= 5:
                    weekdays.setdefault(word, i)
        for key, words in (info.get("relative-type") or {}).items():
            amount, unit = key.split()[0], key.split()[1]
            if not key.endswith("ago") or not amount.isdigit():
                continue
            for word in words:
                if _clean(word) in NOT_RELATIVE:
                    continue
                if unit == "day" and int(amount) <= 2:
                    rel_days.setdefault(_clean(word), int(amount))
                elif unit == "week" and int(amount) == 1:
                    rel_weeks.setdefault(_clean(word), 1)
        for word in info.get("ago", []):
            word = _clean(word)
            if word in NOT_RELATIVE:
                continue
            # Postposed in languages that say "3 days ago"; preposed in those that say "vor 3 Tagen".
            (ago_after if code in ("en", "it", "nl", "sv", "da", "pl") or word == "atrás" else ago_before).add(word)
        # Hours and minutes: "I ordered an hour ago" is today, for the processing window.
        for unit in ("day", "week", "month", "hour", "minute"):
            for word in info.get(unit, []):
                word = _clean(word)
                if len(word) >= 3:
                    units.setdefault(word, unit)
    for word in ("this morning", "tonight", "earlier today", "heute morgen", "ce matin", "esta mañana",
                 "stamattina", "vanmorgen"):
        rel_days[word] = 0
    rel_days["last night"] = 1
    rel_days["przedwczoraj"] = 2  # Polish keeps it in the locale's "simplifications", not its words
    rel_days["the day before yesterday"] = 2
    rel_weeks.pop("this week", None)
    return Vocabulary(months, weekdays, rel_days, rel_weeks, tuple(sorted(ago_before)),
                      tuple(sorted(ago_after)), units, day_first)


def _clean(word: str) -> str:
    return word.lower().strip().rstrip(".")


def alternation(words) -> str:
    """A regex alternation of `words`, longest first so "june" wins over "jun"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))
