"""Extract stage: the facts a careful agent reads from a message.

The customer's new text is read first; what is found only in the quoted
history or a forwarded message is kept but marked `quoted`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..config import ExtractConfig
from ..orders import OrderBook
from ..records import Extraction, MentionedDate, OrderMention, ParsedMessage, TrackingNumber
from .attachments import describe_attachments
from .dates import find_dates
from .language import detect_language
from .orders import OrderPatterns, find_order_numbers
from .statements import find_statements
from .text import body_text, split_quoted
from .tracking import find_tracking_numbers


@dataclass(frozen=True)
class Extractor:
    patterns: OrderPatterns
    orders: OrderBook

    @classmethod
    def from_config(cls, config: ExtractConfig, orders: OrderBook) -> "Extractor":
        patterns = OrderPatterns.build(config.order_prefixes, config.order_digits_min,
                                       config.order_digits_max, config.order_patterns)
        return cls(patterns, orders)

    def __call__(self, msg: ParsedMessage) -> Extraction:
        text = body_text(msg.text_plain, msg.text_html)
        new_text, quoted = split_quoted(text)
        history = "\n".join(t for t in (quoted, msg.forwarded_text) if t)
        language = detect_language(new_text)
        sender_domain = msg.from_addr.rsplit("@", 1)[-1] if "@" in msg.from_addr else ""
        received = (msg.date or datetime.now(timezone.utc)).date()

        reading = f"{msg.subject}\n{new_text}"
        tracking_new = find_tracking_numbers(reading)
        tracking_old = find_tracking_numbers(history)
        tracking = _unique([TrackingNumber(t.number, t.carrier) for t in tracking_new]
                           + [TrackingNumber(t.number, t.carrier, quoted=True) for t in tracking_old])
        numbers = [t.number for t in tracking]
        orders = self._orders(find_order_numbers(reading, self.patterns, numbers),
                              find_order_numbers(history, self.patterns, numbers))
        dates = [MentionedDate(d.text, d.date, d.role) for d in
                 find_dates(new_text, received, language=language, sender_domain=sender_domain)]
        dates += [MentionedDate(d.text, d.date, d.role, quoted=True) for d in
                  find_dates(history, received, language=language, sender_domain=sender_domain)]
        return Extraction(
            new_text=new_text,
            quoted_text=history,
            language=language,
            orders=tuple(orders),
            tracking_numbers=tuple(tracking),
            dates=tuple(dates),
            attachments=tuple(describe_attachments(msg.parts, msg.text_html)),
            statements=find_statements(new_text),
        )

    def _orders(self, new: list[str], old: list[str]) -> list[OrderMention]:
        loaded = len(self.orders) > 0
        mentions = [OrderMention(n, False, (n in self.orders) if loaded else None) for n in new]
        mentions += [OrderMention(n, True, (n in self.orders) if loaded else None) for n in old if n not in new]
        if loaded and any(m.known for m in mentions):
            # A candidate that is a real order wins over ones that are not.
            mentions = [m for m in mentions if m.known]
        return mentions


def _unique(items: list[TrackingNumber]) -> list[TrackingNumber]:
    seen, out = set(), []
    for item in items:
        if item.number not in seen:
            seen.add(item.number)
            out.append(item)
    return out
