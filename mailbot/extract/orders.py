"""Order numbers as customers write them, normalised to the stored form.

A candidate needs a cue: an order word ("order", "Bestellung", "commande",
"pedido", ... with "no.", "number is", "#" and the like), a "#", or the
store's prefix ("KS-10492").  Bare digits are taken only when the order
data knows them and the order's email is the sender's (the extractor
decides that, with `find_bare_numbers`): on their own they are phone
numbers, postcodes, prices and quantities far more often.

Dropped: numbers another company gave ("ticket #10492", "Amazon order
10492", "Suite #10492"), amounts and quantities ("order 1049.50", "order
5000 pcs"), years ("order 2026"), and anything inside a tracking number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

ORDER_WORDS = (
    r"orders?|ord|order[-\s]?(?:no|nr|number|num|id)|ordernumber|ordernr|orderno|orderid|"
    r"bestellung(?:en)?|bestellnummer|bestell-?nr|auftrag(?:snummer)?|commandes?|pedidos?|ordine|"
    r"ordini|ordre|bestelling|bestellingsnummer|beställning|ordrenummer|zamówieni[ea]|zamowieni[ea]|"
    r"encomenda|purchase|"
    # Shopify's invoice number is the order number, and PayPal's "Invoice ID" carries it.
    r"invoice(?:[-\s]?(?:id|no|nr|number))?|rechnung(?:snummer)?|facture"
)
# Chinese, Japanese and Korean order words: no spaces and no word boundary
# between them and the number ("注文10517がまだ", "订单号：10517").
CJK_ORDER_WORDS = r"ご?注文(?:番号)?|订单(?:号|編號|编号)?|訂單(?:號碼?|編號)?|주문(?:번호)?"
CJK_CONNECTOR = r"\s*(?:は|是|为|為|：|:|#|＃|№|No\.?)?\s*(?:是|为|為)?\s*[:：]?\s*"
# What may stand between the order word and the number: "no.", "number is", "#", ":".
CONNECTOR = (
    r"(?:\s*(?:(?:no|nr|num(?:ber|ero|éro|ro)?|nummer|n|id|ref(?:erence)?|code)\b|n\s?[°º])\.?)?"
    r"(?:\s*(?:is|was|ist|war|est|es|è|was|are|:|=|-|–))*"
    r"\s*[:(\[,]?\s*"
)
LIST_JOINER = re.compile(r"\s*(?:,|&|/|\+|\band\b|\bor\b|\bund\b|\boder\b|\bet\b|\bou\b|\by\b|\be\b|\bo\b)\s*",
                         re.IGNORECASE)

# Words before a "#" or number that make it someone else's number or not an order.
FOREIGN_BEFORE = re.compile(
    r"\b(ticket|case|request|incident|issue|claim|dispute|transaction|tracking|sendung|colis|"
    r"item|model|modell|sku|part|art(?:ikel)?|phone|tel|fax|apt|apartment|suite|ste|room|unit|box|"
    r"st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive|way|floor|pr|pull|commit|bug|rma|"
    r"ref(?:erence)?|receipt|kvk|vat|iban|account|customer|member|zip|postcode|plz|telefon|téléphone|"
    r"mobile|handy|portable)\b\.?(?:\s*(?:no|nr|number|num|id|#)\b\.?)?\W{0,6}$",
    re.IGNORECASE,
)
# Digits followed by these are amounts, quantities or measurements.
AMOUNT_AFTER = re.compile(
    r"\s?(?:€|\$|£|¥|%|eur\b|euro|usd\b|gbp\b|chf\b|cad\b|aud\b|dollars?\b|pounds?\b|kg\b|g\b|mm\b|cm\b|"
    r"pcs\b|pieces?\b|units?\b|sets?\b|keys\b|keycaps?\b|x\b|times\b|km\b|miles?\b|mah\b|hz\b|"
    r"keyboards?\b|boards?\b|switch(?:es)?\b)",
    re.IGNORECASE,
)
CURRENCY_BEFORE = re.compile(r"(?:€|\$|£|¥|eur|usd|gbp)\s?$", re.IGNORECASE)
PRODUCT_AFTER = re.compile(r"\s?(?:keyboard|board|keycap|switch|kit|pro\b|max\b|mini\b|plus\b|v\d\b|"
                           r"wireless|tkl|hot-?swap)", re.IGNORECASE)


@dataclass(frozen=True)
class OrderCandidate:
    number: str  # digits only
    written: str  # as the customer wrote it
    start: int
    end: int
    cue: str  # "order word", "order sentence", "#", "prefix", "list", "config" or "bare"


@dataclass(frozen=True)
class OrderPatterns:
    cued: tuple[tuple[str, re.Pattern], ...]  # (cue, pattern): group "n" is the number
    bare: re.Pattern
    companies: re.Pattern | None
    number: str  # the regex of one number, prefix allowed

    @classmethod
    def build(cls, prefixes: Iterable[str], digits_min: int, digits_max: int,
              extra: Iterable[str] = (), companies: Iterable[str] = ()) -> "OrderPatterns":
        prefix = "|".join(re.escape(p) for p in prefixes) or "(?!)"
        digits = rf"\d{{{digits_min},{digits_max}}}"
        number = rf"#?\s?(?:(?:{prefix})\s?[-_/]?\s?)?(?P<n>{digits})(?![\d])"
        # Config patterns come first: group 1 (or "n") is the number.
        cued = [("config", re.compile(p, re.IGNORECASE)) for p in extra]
        cued += [
            ("order word", re.compile(rf"\b(?:{ORDER_WORDS})\b\.?\s*#?{CONNECTOR}{number}", re.IGNORECASE)),
            ("order word", re.compile(rf"(?:{CJK_ORDER_WORDS}){CJK_CONNECTOR}{number}", re.IGNORECASE)),
            # "commande le 12 octobre (n° 10492)": a number sign later in the order's sentence.
            ("order sentence", re.compile(
                rf"\b(?:{ORDER_WORDS})\b[^.!?\n]{{0,60}}?(?:\bn\s?[°º]|\bno\.|\bnr\.|\bnumber|\bnum[ée]ro|"
                rf"\bnúmero|\bnummer)\s*(?:is\s*)?:?\s*#?\s?(?:(?:{prefix})\s?[-_]?\s?)?(?P<n>{digits})(?!\d)",
                re.IGNORECASE)),
            ("#", re.compile(rf"(?<![\w&/#])#\s?(?:(?:{prefix})\s?[-_]?\s?)?(?P<n>{digits})(?!\d)", re.IGNORECASE)),
            ("prefix", re.compile(rf"(?<![\w-])(?:{prefix})\s?[-_]?\s?(?P<n>{digits})(?!\d)", re.IGNORECASE)),
        ]
        bare = re.compile(rf"(?<![\w#+.,/:-]){digits}(?![\w]|[.,/:-]\d)")
        names = [re.escape(c) for c in companies if c]
        # "Amazon order", "on AliExpress, order": the shop within a word of the order word.
        company_re = re.compile(rf"\b(?:{'|'.join(names)})\b[^\w.!?]{{0,3}}(?:\w+[^\w.!?]{{1,3}})?$",
                                re.IGNORECASE) if names else None
        return cls(tuple(cued), bare, company_re, number)


def find_order_numbers(text: str, patterns: OrderPatterns,
                       exclude_spans: Iterable[tuple[int, int]] = ()) -> list[OrderCandidate]:
    """Cued order numbers in `text`, in order of appearance, each once.

    `exclude_spans` are spans taken by other facts (tracking numbers).
    """
    taken = list(exclude_spans)
    found: dict[int, OrderCandidate] = {}
    for cue, pattern in patterns.cued:
        for match in pattern.finditer(text):
            start, end = _number_span(match)
            if start in found or _overlaps(start, end, taken):
                continue
            candidate = OrderCandidate(_group(match), text[match.start():end], start, end, cue)
            if _rejected(text, match, candidate, patterns):
                continue
            found[start] = candidate
            if cue in ("order word", "#", "config"):
                for more in _list_continuation(text, end, patterns):
                    if more.start not in found and not _overlaps(more.start, more.end, taken):
                        found[more.start] = more
    seen: set[str] = set()
    ordered = []
    for start in sorted(found):
        candidate = found[start]
        if candidate.number not in seen:
            seen.add(candidate.number)
            ordered.append(candidate)
    return ordered


def find_bare_numbers(text: str, patterns: OrderPatterns,
                      exclude_spans: Iterable[tuple[int, int]] = ()) -> list[OrderCandidate]:
    """Digit runs of an order number's length with no cue, for a look-up in the order data."""
    taken = list(exclude_spans)
    out = []
    for match in patterns.bare.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        before, after = text[max(0, match.start() - 30):match.start()], text[match.end():match.end() + 12]
        if CURRENCY_BEFORE.search(before) or AMOUNT_AFTER.match(after) or FOREIGN_BEFORE.search(before):
            continue
        out.append(OrderCandidate(match.group(0), match.group(0), match.start(), match.end(), "bare"))
    return out


def _group(match: re.Match) -> str:
    number = match.groupdict().get("n") or match.group(1)
    return re.sub(r"\D", "", number)


def _number_span(match: re.Match) -> tuple[int, int]:
    key = "n" if "n" in match.groupdict() and match.group("n") else 1
    return match.start(key), match.end(key)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _rejected(text: str, match: re.Match, c: OrderCandidate, patterns: OrderPatterns) -> bool:
    before = text[max(0, match.start() - 40):match.start()]
    after = text[c.end:c.end + 14]
    if re.match(r"[.,]\d|[-/:]\d|\s?\d{2,}", after):  # 1049.50, 10492-22, 10:30, "0176 1234567"
        return True
    if AMOUNT_AFTER.match(after) or CURRENCY_BEFORE.search(text[max(0, c.start - 5):c.start]):
        return True
    if c.cue == "prefix" and PRODUCT_AFTER.match(after):
        return True  # "KS-1000 keyboard" is a model, not an order
    if c.cue in ("#", "config") and FOREIGN_BEFORE.search(before):
        return True
    if c.cue == "order sentence" and FOREIGN_BEFORE.search(text[max(0, c.start - 30):c.start]):
        return True  # "order ... my phone number 1234567"
    if c.cue == "#" and _ticket_tag(text, match.start(), after):
        return True
    if c.cue == "order word" and patterns.companies and patterns.companies.search(before):
        return True  # "my Amazon order 10492"
    # A four-digit year after an order word without "#": "order 2026", "Bestellung 2025".
    return len(c.number) == 4 and 1990 <= int(c.number) <= 2099 and "#" not in match.group(0)


def _ticket_tag(text: str, start: int, after: str) -> bool:
    """"[#12345]" anywhere, or "(#5290765)" opening a subject: a helpdesk's ticket tag.

    A customer's "my keyboard (#10505)" is not one.
    """
    line = text[text.rfind("\n", 0, start) + 1:start]
    if line.endswith("[") and after.startswith("]"):
        return True
    subject = r"[\s>]*(?:(?:subject|betreff|objet|asunto|oggetto|onderwerp)\s?:\s*)?(?:(?:re|fwd?|aw|wg|tr|rv|sv)\s?:\s*)*\("
    return bool(re.fullmatch(subject, line, re.IGNORECASE)) and after.startswith(")")


def _list_continuation(text: str, end: int, patterns: OrderPatterns) -> list[OrderCandidate]:
    """"orders 10497 and 10513", "#10497, #10513": numbers joined to a cued one."""
    out = []
    number = re.compile(patterns.number, re.IGNORECASE)
    while True:
        joiner = LIST_JOINER.match(text, end)
        if not joiner:
            return out
        match = number.match(text, joiner.end())
        if not match:
            return out
        start, stop = match.start("n"), match.end("n")
        after = text[stop:stop + 14]
        if re.match(r"[.,]\d|[-/:]\d|\s?\d", after) or AMOUNT_AFTER.match(after):
            return out
        out.append(OrderCandidate(match.group("n"), match.group(0), start, stop, "list"))
        end = stop
