"""Dates the customer mentions, resolved against the message's Date header.

Candidates are found with regular expressions first and only those are
parsed: dateparser's own search over a whole text costs ~10 ms a message.
Relative dates ("yesterday", "last Monday", "3 days ago") count back from
the message's date, never from the wall clock.  A date after the message is
not what the customer meant: ambiguous numeric dates try the other order,
dates without a year take the previous year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "couple of": 2, "few": 3}
MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|"
          r"juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|"
          r"novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
          r"octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|"
          r"ottobre|dicembre")

_NUM_WORD = r"\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
CANDIDATES = re.compile(
    rf"""(?P<iso>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b)
    |(?P<numeric>\b\d{{1,2}}[./]\d{{1,2}}(?:[./](?:\d{{4}}|\d{{2}}))?\b(?![./]\d|\s?(?:€|\$|%|eur|usd|kg|mm|cm)))
    |(?P<named>\b(?:\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+\d{{4}})?
               |(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?)\b)
    |(?P<ago>\b(?:{_NUM_WORD})\s+(?P<unit>days?|weeks?|months?)\s+ago\b)
    |(?P<weekday>\b(?:last|this\s+past|on|this|past)\s+(?P<day>{"|".join(WEEKDAYS)})\b)
    |(?P<dby>\bthe\s+day\s+before\s+yesterday\b)
    |(?P<yesterday>\byesterday\b|\bgestern\b|\bhier\b|\bayer\b|\bieri\b)
    |(?P<today>\btoday\b|\bthis\s+morning\b|\btonight\b|\bheute\b|\baujourd'hui\b|\bhoy\b|\boggi\b)
    |(?P<lastweek>\blast\s+week\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

ROLES = (
    ("delivered", re.compile(r"(arriv|deliver|receiv|got\s+(it|them|the|my)|came|showed up|"
                             r"geliefert|angekommen|erhalten|reçu|livr|recib|llegó|ricevut|arrivat)", re.I)),
    ("shipped", re.compile(r"(shipped|dispatch|sent\s+out|was\s+sent|posted|versandt|verschickt|expédi|enviad|spedit)", re.I)),
    ("ordered", re.compile(r"(order|bought|purchas|paid|placed|bestellt|gekauft|commandé|compré|pedí|ordinato|comprato)", re.I)),
)

MDY_TLDS = {"com", "net", "org", "edu", "gov", "us", "ca", "ph"}


@dataclass(frozen=True)
class FoundDate:
    text: str
    date: date
    role: str | None
    start: int


def find_dates(text: str, base: date, *, language: str = "en", sender_domain: str = "") -> list[FoundDate]:
    matches = list(CANDIDATES.finditer(text))
    day_first = _prefers_day_first(matches, language, sender_domain)
    found = []
    for match in matches:
        resolved = _resolve(match, base, day_first)
        if resolved is None or resolved > base:
            continue
        found.append(FoundDate(match.group(0), resolved, _role(text, match.start()), match.start()))
    return found


def _prefers_day_first(matches: list[re.Match], language: str, domain: str) -> bool:
    """DMY or MDY for ambiguous numeric dates, from what the message shows."""
    for m in matches:
        if m.group("numeric"):
            a, b = (int(x) for x in re.split(r"[./]", m.group("numeric"))[:2])
            if a > 12 >= b:
                return True
            if b > 12 >= a:
                return False
    if any(m.group("numeric") and "." in m.group("numeric") for m in matches):
        return True  # 03.11. is written day-first everywhere that writes it
    tld = domain.rsplit(".", 1)[-1].lower() if domain else ""
    if language not in ("en", "und"):
        return True
    return bool(tld) and tld not in MDY_TLDS


def _resolve(match: re.Match, base: date, day_first: bool) -> date | None:
    kind = match.lastgroup if match.lastgroup not in ("unit", "day") else None
    groups = match.groupdict()
    if groups["iso"]:
        y, m, d = (int(x) for x in groups["iso"].split("-"))
        return _safe_date(y, m, d)
    if groups["numeric"]:
        return _resolve_numeric(groups["numeric"], base, day_first)
    if groups["named"]:
        parsed = dateparser.parse(
            groups["named"],
            settings={"RELATIVE_BASE": _midnight(base), "PREFER_DATES_FROM": "past",
                      "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"]},
        )
        return parsed.date() if parsed else None
    if groups["ago"]:
        amount = groups["ago"].split()[0].lower()
        n = int(amount) if amount.isdigit() else NUMBER_WORDS.get(amount, NUMBER_WORDS.get(" ".join(groups["ago"].split()[:2]).lower(), 1))
        unit = groups["unit"].lower()
        days = n * {"d": 1, "w": 7, "m": 30}[unit[0]]
        return base - timedelta(days=days)
    if groups["weekday"]:
        target = WEEKDAYS.index(groups["day"].lower())
        back = (base.weekday() - target) % 7 or 7
        return base - timedelta(days=back)
    if groups["dby"]:
        return base - timedelta(days=2)
    if groups["yesterday"]:
        return base - timedelta(days=1)
    if groups["today"]:
        return base
    if groups["lastweek"]:
        return base - timedelta(days=7)
    del kind
    return None


def _resolve_numeric(text: str, base: date, day_first: bool) -> date | None:
    parts = [int(x) for x in re.split(r"[./]", text)]
    a, b = parts[0], parts[1]
    year = parts[2] if len(parts) > 2 else None
    if year is not None and year < 100:
        year += 2000
    orders = [(b, a), (a, b)] if day_first else [(a, b), (b, a)]  # (month, day)
    for month, day in orders:
        for y in ([year] if year else [base.year, base.year - 1]):
            candidate = _safe_date(y, month, day)
            if candidate and candidate <= base and (base - candidate).days < 400:
                return candidate
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _midnight(d: date):
    from datetime import datetime
    return datetime(d.year, d.month, d.day, 12, 0)


def _role(text: str, start: int) -> str | None:
    """The role the sentence gives the date: ordered, shipped or delivered."""
    sentence_start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    before = text[max(sentence_start, start - 60): start]
    after = text[start: start + 40].split(".")[0]
    for role, pattern in ROLES:
        if pattern.search(before):
            return role
    for role, pattern in ROLES:
        if pattern.search(after):
            return role
    return None
