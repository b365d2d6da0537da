"""Tracking numbers as customers write them: whole, or in groups ("9400 1112 0108 ...").

Candidates are runs of short chunks of letters and digits; every window of
whole chunks is tried against the carrier table (carriers.py), longest
first, so "1Z5R 8939 0357 5671 27" and "LX 123 456 789 CN" are found and
"my tracking number is" around them is not swallowed.  A match needs its
check digit, and a number that could be a phone or order number needs a cue
in its sentence (see carriers.py for the trade-off).  Compiled regexes, not
spaCy's Matcher: the formats are character patterns inside tokens, which a
token matcher cannot see, and a regex pass costs microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .carriers import CARRIER_NAMES, FORMATS, Format, s10_carrier

# A chunk is a word with a digit in it, or a word of at most four letters
# (prefixes like "TBA", "LX", "K", and a final check letter).
_CHUNK = r"(?:[A-Za-z0-9]*\d[A-Za-z0-9]*|[A-Za-z]{1,4})(?![A-Za-z0-9])"
RUN = re.compile(rf"(?<![A-Za-z0-9]){_CHUNK}(?:[ \t\u00a0-]{{1,3}}{_CHUNK})*")
CHUNK = re.compile(r"[A-Za-z0-9]+")
MIN_DIGITS = 8
MAX_LENGTH = 36  # the longest format (USPS routed, FedEx 34) plus slack

TRACKING_WORDS = re.compile(
    r"track|trace|waybill|\bawb\b|consignment|shipment|shipping|parcel|package|packet|delivery|"
    r"courier|carrier|sendung|paket|verfolgung|suivi|colis|exp[ée]dition|seguimiento|env[ií]o|"
    r"paquete|rastreo|spedizione|tracciamento|pacco|zending|pakket|przesyłk|śledzeni|przesylk",
    re.IGNORECASE,
)
# Words right before a number that make it a phone number, whatever its digits.
PHONE_CUE = re.compile(
    r"(phone|tel|call|ring|mobile|cell|whats\s?app|fax|handy|telefon|téléphone|portable|"
    r"teléfono|telefono|cellulare|móvil|contact me|reach me)\W{0,12}(?:\w+\W{1,3}){0,3}$|\+\s?$",
    re.IGNORECASE,
)
# "order 8183849384938475": another shop's order number right after an order word.
ORDER_BEFORE = re.compile(r"\b(?:orders?|bestellung|commande|pedido|ordine|bestelling)\b"
                          r"(?:\s|no\.?|nr\.?|number|num|id|is|#|:)*$", re.IGNORECASE)
# A measurement or an amount: "3318810025 grams", "986578788855 €".
UNIT_AFTER = re.compile(r"\s?(?:g|gr|grams?|kg|mm|cm|m|km|€|\$|£|eur|usd|gbp|pcs|pieces|keys|times|x)\b",
                        re.IGNORECASE)
IN_URL = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
PHONE_SHAPE = re.compile(r"\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}")
_NAMED = tuple((carrier, re.compile(pattern, re.IGNORECASE)) for carrier, pattern in CARRIER_NAMES)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


@dataclass(frozen=True)
class Found:
    number: str
    carrier: str
    service: str
    start: int
    end: int
    check_digit: bool  # the carrier's check digit was verified


def find_tracking_numbers(text: str, known: Mapping[str, str] | None = None) -> list[Found]:
    """Tracking numbers in `text`, in order, each once.

    `known` maps tracking numbers in the order data to their carrier: those
    are taken wherever they appear, check digit or not.
    """
    found: list[Found] = []
    seen: set[str] = set()
    for run in RUN.finditer(text):
        if sum(c.isdigit() for c in run.group(0)) < MIN_DIGITS:
            continue
        for item in _read_run(text, run, known or {}):
            if item.number not in seen:
                seen.add(item.number)
                found.append(item)
    return found


def _read_run(text: str, run: re.Match, known: Mapping[str, str]) -> list[Found]:
    chunks = [(m.start() + run.start(), m.end() + run.start(), m.group(0).upper())
              for m in CHUNK.finditer(run.group(0))]
    # A word in lower case ("is", "at") is prose, not a prefix or a country code:
    # it may be part of a number only when glued to it ("1z999aa...").
    prose = [c[2].isalpha() and not text[c[0]:c[1]].isupper() for c in chunks]
    out: list[Found] = []
    i = 0
    while i < len(chunks):
        hit = None
        for j in range(len(chunks) - 1, i - 1, -1):
            if j > i and any(prose[i:j + 1]):
                continue
            compact = "".join(c[2] for c in chunks[i:j + 1])
            if len(compact) > MAX_LENGTH or sum(c.isdigit() for c in compact) < MIN_DIGITS:
                continue
            hit = _identify(text, compact, chunks[i][0], chunks[j][1], known)
            if hit:
                out.append(hit)
                i = j + 1
                break
        if not hit:
            i += 1
    return out


def _identify(text: str, compact: str, start: int, end: int, known: Mapping[str, str]) -> Found | None:
    if compact in known:
        return Found(compact, known[compact] or "unknown", "order data", start, end, False)
    context = None
    for fmt in FORMATS:
        if not fmt.pattern.fullmatch(compact):
            continue
        if fmt.check and not fmt.check(compact):
            continue
        if fmt.strength != "strong":
            context = context if context is not None else _sentence(text, start, end)
            if not _cued(fmt, text, compact, start, end, context):
                continue
        number = fmt.canonical(compact) if fmt.canonical else compact
        carrier = s10_carrier(number) if fmt.carrier == "s10" else fmt.carrier
        return Found(number, carrier, fmt.service, start, end, fmt.check is not None)
    return None


def _cued(fmt: Format, text: str, compact: str, start: int, end: int, context: tuple[str, str]) -> bool:
    """Whether a weak format's match is a tracking number in this sentence."""
    before, after = context
    if len(set(compact)) <= 2:  # 000000000000 is a placeholder, not a parcel
        return False
    if PHONE_CUE.search(before[-40:]) or PHONE_SHAPE.fullmatch(text[start:end]):
        return False
    if ORDER_BEFORE.search(before[-30:]) or UNIT_AFTER.match(text, end):
        return False
    if IN_URL.search(text, max(0, start - 200), start):
        return False  # a click-tracking link's id: digits, and "tracking" right beside them
    sentence = before + " " + after
    named = {carrier for carrier, pattern in _NAMED if pattern.search(sentence)}
    if named:
        return fmt.carrier in named
    if fmt.strength == "named":
        return False
    return bool(TRACKING_WORDS.search(sentence))


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the number's sentence before and after it (bounded)."""
    before = text[max(0, start - 120):start]
    cut = None
    for m in _SENTENCE_END.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    after = text[end:end + 60]
    m = _SENTENCE_END.search(after)
    if m:
        after = after[:m.start()]
    return before, after
