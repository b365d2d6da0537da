"""Tracking numbers, carrier by carrier, with check digits where they exist.

Formats without a check digit or a fixed prefix (bare digits) need a cue
word nearby ("tracking", the carrier's name), or they would match phone
numbers and order numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


def _digits(s: str) -> list[int]:
    return [int(c) for c in s]


def ups_check(number: str) -> bool:
    """1Z + 15 characters + check digit; letters count as (ord - 63) mod 10."""
    body = number[2:-1]
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    return (10 - total % 10) % 10 == int(number[-1])


def s10_check(number: str) -> bool:
    """UPU S10: two letters, 8 digits, check digit, ISO country."""
    serial, check = number[2:10], int(number[10])
    total = sum(w * d for w, d in zip((8, 6, 4, 2, 3, 5, 9, 7), _digits(serial)))
    expected = 11 - total % 11
    expected = {10: 0, 11: 5}.get(expected, expected)
    return expected == check


def mod10_31(number: str) -> bool:
    """GS1 mod 10 (weights 3,1 from the right), USPS IMpb and FedEx Ground."""
    digits = _digits(number[:-1])[::-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(number[-1])


def fedex12_check(number: str) -> bool:
    digits = _digits(number[:-1])[::-1]
    total = sum(d * (1, 3, 7)[i % 3] for i, d in enumerate(digits))
    return total % 11 % 10 == int(number[-1])


def dhl10_check(number: str) -> bool:
    return int(number[:-1]) % 7 == int(number[-1])


@dataclass(frozen=True)
class Format:
    carrier: str
    pattern: re.Pattern
    check: Callable[[str], bool] | None = None
    needs_cue: bool = False


_CUE = re.compile(
    r"(track|tracking|sendung|suivi|seguimiento|spedizione|parcel|package|paket|colis|shipment|"
    r"waybill|awb|ups|usps|fedex|dhl|post|cainiao|yun|4px|yanwen|courier|carrier)",
    re.IGNORECASE,
)

FORMATS: tuple[Format, ...] = (
    Format("ups", re.compile(r"\b1Z[0-9A-Z]{16}\b"), ups_check),
    Format("amazon", re.compile(r"\bTB[ACM]\d{12}\b")),
    Format("cainiao", re.compile(r"\b(?:LP\d{14}|CAINIAO[A-Z0-9]{6,20}|CNG\d{13})\b")),
    Format("yunexpress", re.compile(r"\bYT\d{16}\b")),
    Format("4px", re.compile(r"\b4PX\d{10,16}(?:CN)?\b")),
    Format("yanwen", re.compile(r"\bY[A-Z]\d{9}YP\b")),
    Format("china_post", re.compile(r"\b[A-Z]{2}\d{9}CN\b"), s10_check),
    Format("s10", re.compile(r"\b[A-Z]{2}\d{9}(?!CN)[A-Z]{2}\b"), s10_check),
    Format("usps", re.compile(r"\b9[2-5]\d{18,20}\b"), mod10_31),
    Format("fedex", re.compile(r"\b\d{12}\b"), fedex12_check, needs_cue=True),
    Format("dhl", re.compile(r"\b\d{10}\b"), dhl10_check, needs_cue=True),
)


@dataclass(frozen=True)
class Found:
    number: str
    carrier: str
    start: int
    end: int


def find_tracking_numbers(text: str) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    upper = text.upper()
    for fmt in FORMATS:
        for match in fmt.pattern.finditer(upper):
            number = match.group(0)
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if fmt.check and not fmt.check(number):
                continue
            if fmt.needs_cue and not _CUE.search(text[max(0, match.start() - 60): match.start()]):
                continue
            taken.append((match.start(), match.end()))
            found.append(Found(number, fmt.carrier, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)
