"""Order numbers as the customer writes them, normalised to the stored form.

A candidate needs an order cue: the word "order" (in several languages), a
"#", or the store's prefix ("KS-10492").  Bare numbers are never taken: they
are phone numbers, postcodes, prices and quantities far more often.  Numbers
cued as another company's ticket or case, or that are part of a tracking
number, are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

ORDER_WORDS = (
    r"order|ord|orders|bestellung|bestellnummer|auftrag|commande|pedido|ordine|ordre|zamówienie|"
    r"order\s*id|purchase"
)
NUMBER_WORDS = r"(?:no\.?|nr\.?|num(?:ber)?\.?|number|nummer|numéro|número|numero|n[°º]|id|ref\.?|#)"

# Words that make a "#123456" someone else's number.
FOREIGN_CUES = re.compile(
    r"(ticket|case|request|incident|invoice|rechnung|facture|ref(erence)?|issue|claim|"
    r"dispute|transaction|tracking|sendung|colis|item|model|modell|phone|tel|fax|apt|"
    r"suite|room|unit|box|po\s*box|pr|pull)\W*(no\.?|nr\.?|number|id)?\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OrderPatterns:
    patterns: tuple[re.Pattern, ...]

    @classmethod
    def build(cls, prefixes: Iterable[str], digits_min: int, digits_max: int,
              extra: Iterable[str] = ()) -> "OrderPatterns":
        prefix = "|".join(re.escape(p) for p in prefixes) or "(?!)"
        num = rf"(?:(?:{prefix})\s?[-_]?\s?)?#?\s?(\d{{{digits_min},{digits_max}}})(?![\d,.]\d)(?!\s?(?:€|\$|eur|usd|gbp|£|kg|g|mm|cm|x\b))"
        defaults = (
            # "order 10492", "Order No. KS-10492", "order number is 10492", "ord#10492"
            rf"\b(?:{ORDER_WORDS})\s*{NUMBER_WORDS}?\s*(?:is|was|:|=|-)?\s*(?:is\s*)?{num}",
            # "#10492", "# 10492"
            rf"(?<![\w&])#\s?(?:(?:{prefix})\s?-?\s?)?(\d{{{digits_min},{digits_max}}})\b",
            # "KS-10492", "KS10492"
            rf"\b(?:{prefix})\s?[-_]?\s?(\d{{{digits_min},{digits_max}}})\b",
        )
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in (*extra, *defaults))
        return cls(compiled)


def find_order_numbers(text: str, patterns: OrderPatterns, exclude: Iterable[str] = ()) -> list[str]:
    """Order numbers in `text`, in order of appearance, without duplicates."""
    excluded = [e.replace(" ", "") for e in exclude]
    found: list[tuple[int, str]] = []
    for pattern in patterns.patterns:
        for match in pattern.finditer(text):
            number = match.group(1)
            before = text[max(0, match.start() - 25): match.start()]
            if FOREIGN_CUES.search(before) and not re.search(ORDER_WORDS, match.group(0), re.I):
                continue
            if any(number in e for e in excluded):
                continue
            if _looks_like_date_or_year(number, text, match):
                continue
            found.append((match.start(1), number))
    seen: set[str] = set()
    ordered = []
    for _, number in sorted(found):
        if number not in seen:
            seen.add(number)
            ordered.append(number)
    return ordered


def _looks_like_date_or_year(number: str, text: str, match: re.Match) -> bool:
    # "order 2026" is a year; "#1103" right after a day/month word is not ours either.
    return len(number) == 4 and 1990 <= int(number) <= 2099 and "#" not in match.group(0)
