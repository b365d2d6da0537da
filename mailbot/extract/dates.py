"""Dates the customer mentions, resolved against the message's own Date header.

One compiled regex, built from dateparser's locale words (vocabulary.py),
finds the candidates; each is resolved by arithmetic on the message's date,
never the wall clock.  Without a Date header only dates that carry their
year are kept.  A date after the message is not what the customer meant:
an ambiguous numeric date tries its other reading, a date without a year
takes the latest year that puts it before the message, and one that still
lands after the message is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from .cjkdates import find_cjk_dates
from .dateorder import day_first as decide_day_first
from .roles import role_of
from .vocabulary import (AMBIGUOUS, NUMBER_WORDS, WEEKDAY_AFTER, WEEKDAY_BEFORE, WEEKDAY_FUTURE,
                         alternation, vocabulary)

MAX_AGE_DAYS = 400  # a yearless date further back than this is not the one meant
FUTURE_DAYS = 120  # a yearless date this soon after the message is a plan, not last year
# Words right before a bare "3/11" that make it a date rather than a fraction or a score.
NUMERIC_CUE = re.compile(
    r"(?:\b(?:on|since|from|till|until|by|dated|of|am|vom|seit|bis|ab|le|du|depuis|el|desde|del|il|dal|"
    r"op|sinds|em|dia|w|den|the)|arriv\w*|deliver\w*|receiv\w*|ship\w*|order\w*|paid|bought|placed|"
    r"dispatched|sent|came|got it)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    text: str
    date: date
    role: str | None
    start: int
    ambiguous: bool = False  # a numeric date the message could not settle (03/11)
    approximate: bool = False  # "last week", "two months ago"
    relative: bool = False  # counted from the message's date: "yesterday", "3 days ago", "last Monday"


@lru_cache(maxsize=1)
def _candidates() -> re.Pattern:
    v = vocabulary()
    months, weekdays = alternation(v.months), alternation(v.weekdays)
    number = r"\d{1,2}|" + alternation(NUMBER_WORDS)
    units = alternation(v.units)
    ordinal = r"(?:st|nd|rd|th|er|e|º|°|\.)?"
    year = r"(?:19|20)\d{2}"
    return re.compile(
        rf"""(?P<iso>(?<![\d./-])(?P<iso_y>{year})[-/.](?P<iso_m>\d{{1,2}})[-/.](?P<iso_d>\d{{1,2}})(?![\d]))
        |(?P<numy>(?<![\d./-])(?P<ny_a>\d{{1,2}})(?P<ny_sep>[./-])(?P<ny_b>\d{{1,2}})(?P=ny_sep)(?P<ny_y>(?:19|20)?\d{{2}})(?![\d]|[./-]\d))
        |(?P<dmy>(?<![\w.])(?P<dm_d>\d{{1,2}}){ordinal}\s*(?:of\s+|de\s+)?(?P<dm_m>{months})\.?(?!\w)(?:,?\s*(?:de\s+)?(?P<dm_y>{year})(?!\d))?)
        |(?P<mdy>(?<!\w)(?P<md_m>{months})\.?\s+(?:the\s+)?(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.,]\d|\w)(?:,?\s+(?P<md_y>{year})(?!\d))?)
        |(?P<numd>(?<![\d./-])(?P<nd_a>\d{{1,2}})(?P<nd_sep>[./])(?P<nd_b>\d{{1,2}})(?P<nd_dot>\.)?(?![\d]|[./-]\d|\s?(?:%|€|\$|mm|cm|kg|x\b)))
        |(?P<agoa>(?<!\w)(?P<aa_n>{number})\s+(?P<aa_u>{units})\s+(?:{alternation(v.ago_after)})(?!\w))
        |(?P<agob>(?<!\w)(?:{alternation(v.ago_before)})\s+(?P<ab_n>{number})\s+(?P<ab_u>{units})(?!\w))
        |(?P<relday>(?<!\w)(?:{alternation(v.relative_days)})(?!\w))
        |(?P<relweek>(?<!\w)(?:{alternation(v.relative_weeks)})(?!\w))
        |(?P<weekday>(?<!\w)(?:(?P<wd_pre>{alternation(WEEKDAY_FUTURE + WEEKDAY_BEFORE)})\s+)?(?P<wd_d>{weekdays})(?:\s+(?P<wd_post>{alternation(WEEKDAY_AFTER)}))?(?!\w))
        """,
        re.IGNORECASE | re.VERBOSE,
    )


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """The first word of every word-led candidate ("last", "vor", "il", "oct", "yesterday")."""
    v = vocabulary()
    phrases = [*v.months, *v.weekdays, *v.relative_days, *v.relative_weeks, *v.ago_before,
               *NUMBER_WORDS, *WEEKDAY_BEFORE, *WEEKDAY_FUTURE]
    return frozenset(re.split(r"\W+", p.lower())[0] for p in phrases if p)


_WORD = re.compile(r"\w+")


def _find_candidates(text: str) -> list[re.Match]:
    """The candidates, trying the big pattern only where a number or a date word starts.

    Trying every alternative at every character costs ~0.4 ms on a short
    mail; words are cheap to list, and few of them can start a date.
    """
    pattern, starters = _candidates(), _starters()
    found: list[re.Match] = []
    end = 0
    for word in _WORD.finditer(text):
        if word.start() < end:
            continue
        token = word.group(0)
        if not (token[0].isdigit() or token.lower() in starters):
            continue
        match = pattern.match(text, word.start())
        if match:
            found.append(match)
            end = match.end()
    return found


def find_dates(text: str, sent: datetime | None, *, language: str = "en", sender_domain: str = "",
               day_first: bool | None = None) -> list[FoundDate]:
    """The dates in `text`, resolved against `sent` (the message's Date header).

    `day_first` overrides the reading of ambiguous numeric dates; by default
    the message's own evidence decides (dateorder.py).
    """
    if not text:
        return []
    base = sent.date() if sent is not None else None
    cjk = [FoundDate(t, when, role_of(text, start, end), start, False, approx, rel)
           for t, when, start, end, rel, approx in find_cjk_dates(text, base)]
    matches = _find_candidates(text)
    if not matches:
        return cjk
    if day_first is None:
        pairs = [(int(m.group(a)), int(m.group(b)), m.group(sep)) for m in matches
                 for a, b, sep in (("ny_a", "ny_b", "ny_sep"), ("nd_a", "nd_b", "nd_sep")) if m.group(a)]
        day_first = decide_day_first(pairs, language, sender_domain, sent)
    found: list[FoundDate] = []
    for i, match in enumerate(matches):
        resolved = _resolve(match, text, base, day_first, language)
        if resolved is None:
            continue
        when, ambiguous, approximate = resolved
        if base is not None and when > base:
            continue
        role = role_of(text, match.start(), match.end())
        if match.group("weekday") and not (match.group("wd_pre") or match.group("wd_post")) and role is None:
            continue  # a bare "Monday" is a date only where the sentence says what happened then
        if match.group("weekday") and _absolute_follows(text, match, matches[i + 1:i + 2]):
            continue  # "Monday, Nov 2": the date that follows says it
        if match.group("weekday") and NAMED_DAYS.search(text[max(0, match.start() - 12):match.start()]):
            continue
        relative = match.lastgroup in RELATIVE_KINDS
        found.append(FoundDate(_as_written(match), when, role, match.start(), ambiguous, approximate, relative))
    return sorted(found + cjk, key=lambda d: d.start) if cjk else found


def _resolve(m: re.Match, text: str, base: date | None, day_first: bool | None,
             language: str) -> tuple[date, bool, bool] | None:
    kind = m.lastgroup if m.lastgroup in _KINDS else next(k for k in _KINDS if m.group(k))
    if kind == "iso":
        return _exact(_safe(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d"))))
    if kind == "numy":
        year = int(m.group("ny_y"))
        year = year + 2000 if year < 100 else year
        return _numeric(int(m.group("ny_a")), int(m.group("ny_b")), year, base, day_first)
    if kind == "numd":
        # "3/11" alone is a fraction or a score; "03.11." or "on 3/11" is a date.
        if not m.group("nd_dot") and not NUMERIC_CUE.search(text[max(0, m.start() - 20):m.start()]):
            return None
        if base is None:
            return None
        return _numeric(int(m.group("nd_a")), int(m.group("nd_b")), None, base, day_first)
    if kind in ("dmy", "mdy"):
        prefix = "dm" if kind == "dmy" else "md"
        month = vocabulary().months[m.group(f"{prefix}_m").lower().rstrip(".")]
        day = int(m.group(f"{prefix}_d"))
        year = m.group(f"{prefix}_y")
        if year:
            return _exact(_safe(int(year), month, day))
        return _exact(_latest(month, day, base)) if base else None
    if base is None:
        return None  # relative dates need the message's date
    if kind in ("agoa", "agob"):
        n, unit = (m.group("aa_n"), m.group("aa_u")) if kind == "agoa" else (m.group("ab_n"), m.group("ab_u"))
        amount = int(n) if n.isdigit() else NUMBER_WORDS.get(" ".join(n.lower().split()), 1)
        unit = vocabulary().units[unit.lower()]
        days = {"day": amount, "week": 7 * amount, "month": 30 * amount,
                "hour": amount // 24, "minute": 0}[unit]
        return base - timedelta(days=days), False, unit in ("week", "month")
    if kind == "relday":
        word = " ".join(m.group(0).lower().split())
        if word in AMBIGUOUS and AMBIGUOUS[word] != language:
            return None  # German "hier" is "here"
        return base - timedelta(days=vocabulary().relative_days[word]), False, False
    if kind == "relweek":
        return base - timedelta(days=7), False, True
    if kind == "weekday":
        pre = (m.group("wd_pre") or "").lower()
        if pre and pre in WEEKDAY_FUTURE:
            return None
        target = vocabulary().weekdays[m.group("wd_d").lower()]
        back = (base.weekday() - target) % 7
        if back == 0 and pre not in ("this", "today"):
            back = 7
        return base - timedelta(days=back), False, False
    return None


RELATIVE_KINDS = ("agoa", "agob", "relday", "relweek", "weekday")
_KINDS = ("iso", "numy", "dmy", "mdy", "numd", "agoa", "agob", "relday", "relweek", "weekday")


def _exact(d: date | None) -> tuple[date, bool, bool] | None:
    return (d, False, False) if d else None


def _numeric(a: int, b: int, year: int | None, base: date | None,
             day_first: bool | None) -> tuple[date, bool, bool] | None:
    """Read a/b as day/month or month/day, as the sender's locale says, never after `base`."""
    readings = []
    for month, day in ((b, a), (a, b)):  # day-first, then month-first
        d = _safe(year, month, day) if year else (_latest(month, day, base) if base else None)
        if d is not None and (base is None or (d <= base and (year or (base - d).days <= MAX_AGE_DAYS))):
            readings.append(d)
        else:
            readings.append(None)
    dmy, mdy = readings
    if dmy is None and mdy is None:
        return None
    if dmy == mdy:
        return dmy, False, False
    if dmy is None or mdy is None:
        # Only one reading is a date before the message.  If it is not the
        # sender's own order (a UK sender's "10/11" read as 11 October), say so.
        both_real = _safe(year or 2000, a, b) is not None and _safe(year or 2000, b, a) is not None
        against_locale = both_real and day_first is not None and (dmy is None) == day_first
        return dmy or mdy, against_locale, False
    if day_first is True:
        return dmy, False, False
    if day_first is False:
        return mdy, False, False
    # Nothing in the message says: the reading nearest before it, and say so.
    nearest = max(dmy, mdy)
    return nearest, True, False


def _latest(month: int, day: int, base: date) -> date | None:
    """The latest date with this month and day on or before `base`.

    None when this year's falls in the weeks after the message: "back on
    9 November" written on the 5th is a plan, not last year's date.
    """
    this_year = _safe(base.year, month, day)
    if this_year is not None and this_year <= base:
        return this_year
    if this_year is not None and (this_year - base).days <= FUTURE_DAYS:
        return None
    return _safe(base.year - 1, month, day)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_written(match: re.Match) -> str:
    """The candidate's text, without a sentence's full stop after a spelt-out month."""
    text = match.group(0)
    month = match.group("dm_m") or match.group("md_m")
    if text.endswith(".") and month and len(month) > 4 and match.group("dm_m") and not match.group("dm_y"):
        return text[:-1]
    return text


def _absolute_follows(text: str, match: re.Match, following: list[re.Match]) -> bool:
    if not following:
        return False
    nxt = following[0]
    absolute = any(nxt.group(k) for k in ("iso", "numy", "dmy", "mdy", "numd"))
    return absolute and re.fullmatch(r"[\s,(]*(?:the\s+)?", text[match.end():nxt.start()]) is not None


# "Black Friday", "Cyber Monday": names of sales and holidays, not days.
NAMED_DAYS = re.compile(r"\b(?:black|cyber|good|easter|ash|holy|boxing|super|giving)\s+$", re.IGNORECASE)
