"""Extract stage: the facts a careful agent reads from a message.

The customer's new text (with the subject, and the signature for order and
tracking numbers) is read first; what is found only in the quoted history
or a forwarded message is kept but marked `quoted`.  Dates are read from
the new text and the history, never from the signature (its phone numbers
and addresses are full of digits).  With order data loaded, candidates that
are real orders win, and tracking numbers the order data knows are taken
even when their carrier has no check digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import ExtractConfig
from ..mail_limits import MAX_LISTED
from ..orders import OrderBook
from ..records import Attachment, Extraction, MentionedDate, OrderMention, ParsedMessage, TrackingNumber
from .attachments import EvidenceRules, describe_attachments
from .dates import find_dates
from .language import detect_language
from .orders import OrderCandidate, OrderPatterns, find_bare_numbers, find_order_numbers
from .links import find_evidence_links
from .statements import find_statements
from .text import body_text, without_headers
from .tracking import find_tracking_numbers

__all__ = ["Extractor"]


@dataclass(frozen=True)
class Extractor:
    patterns: OrderPatterns
    orders: OrderBook
    evidence_rules: EvidenceRules = EvidenceRules()
    # digits of each stored order number -> the number as the order data writes it
    stored_numbers: dict[str, str] = field(default_factory=dict)
    known_tracking: dict[str, str] = field(default_factory=dict)  # tracking number -> carrier

    @classmethod
    def from_config(cls, config: ExtractConfig, orders: OrderBook) -> "Extractor":
        patterns = OrderPatterns.build(config.order_prefixes, config.order_digits_min,
                                       config.order_digits_max, config.order_patterns,
                                       config.other_companies)
        rules = EvidenceRules(config.logo_max_bytes, config.logo_max_side)
        stored = {_digits(number): number for number in orders.orders}
        tracking = {o.tracking_number.replace(" ", "").upper(): o.carrier
                    for o in orders.orders.values() if o.tracking_number}
        return cls(patterns, orders, rules, stored, tracking)

    def __call__(self, msg: ParsedMessage) -> Extraction:
        body = body_text(msg.text_plain, msg.text_html, msg.forwarded_text)
        history = "\n\n".join(t for t in (body.quoted, msg.forwarded_text) if t)
        language = detect_language(body.new) if body.new.strip() else detect_language(msg.subject)
        reading = "\n".join(t for t in (msg.subject, body.new, body.signature) if t)

        tracking_new = find_tracking_numbers(reading, self.known_tracking)
        tracking_old = find_tracking_numbers(history, self.known_tracking)
        tracking = [TrackingNumber(t.number, t.carrier, False, t.service, t.check_digit) for t in tracking_new]
        own = {t.number for t in tracking}
        tracking += [TrackingNumber(t.number, t.carrier, True, t.service, t.check_digit)
                     for t in tracking_old if t.number not in own]

        new_orders = find_order_numbers(reading, self.patterns, [(t.start, t.end) for t in tracking_new])
        old_orders = find_order_numbers(history, self.patterns, [(t.start, t.end) for t in tracking_old])
        if len(self.orders):
            new_orders += self._bare_known(reading, msg, new_orders, tracking_new)
        orders = self._orders(new_orders, old_orders, msg)

        sender_domain = msg.from_addr.rsplit("@", 1)[-1] if "@" in msg.from_addr else ""
        dates = _unique_dates(
            [_mentioned(d, False) for d in
             find_dates(body.new, msg.date, language=language, sender_domain=sender_domain)]
            # The history was written before this message: its "today" or "last
            # Monday" cannot be counted from this Date header, so only its
            # calendar dates are kept.
            + [_mentioned(d, True) for d in
               find_dates(without_headers(history), msg.date, language=language, sender_domain=sender_domain)
               if not d.relative])
        notes: list[str] = []
        return Extraction(
            new_text=body.new,
            quoted_text=history,
            language=language,
            orders=_capped(orders, "order numbers", notes),
            tracking_numbers=_capped(tracking, "tracking numbers", notes),
            dates=_capped(dates, "dates", notes),
            attachments=_capped(self.attachments(msg), "attachments", notes),
            statements=find_statements(body.new, msg.subject),
            signature=body.signature,
            forwarded=body.forwarded or bool(msg.forwarded_text),
            evidence_links=_capped(find_evidence_links(body.new), "photo or video links", notes),
            notes=tuple(notes),
        )

    def attachments(self, msg: ParsedMessage) -> list[Attachment]:
        return describe_attachments(msg.parts, msg.text_html, self.evidence_rules)

    def _bare_known(self, text: str, msg: ParsedMessage, cued: list[OrderCandidate],
                    tracking) -> list[OrderCandidate]:
        """Uncued numbers that are the sender's own orders: "10492 arrived broken"."""
        taken = [(t.start, t.end) for t in tracking] + [(c.start, c.end) for c in cued]
        out = []
        for candidate in find_bare_numbers(text, self.patterns, taken):
            order = self.orders.get(self.stored_numbers.get(candidate.number, candidate.number))
            if order is not None and order.email in _senders(msg):
                out.append(candidate)
        return out

    def _orders(self, new: list[OrderCandidate], old: list[OrderCandidate],
                msg: ParsedMessage) -> list[OrderMention]:
        loaded = len(self.orders) > 0
        senders = _senders(msg)
        mentions: list[OrderMention] = []
        seen: set[str] = set()
        for candidates, quoted in ((sorted(new, key=lambda c: c.start), False), (old, True)):
            for c in candidates:
                number = self.stored_numbers.get(c.number, c.number)
                if number in seen:
                    continue
                seen.add(number)
                order = self.orders.get(number) if loaded else None
                mentions.append(OrderMention(
                    number=number,
                    quoted=quoted,
                    known=(order is not None) if loaded else None,
                    sender_matches=(order.email in senders) if order is not None else None,
                    cue=c.cue,
                ))
        if loaded and any(m.known for m in mentions):
            # A candidate that is a real order wins over ones that are not.
            mentions = [m for m in mentions if m.known]
        return mentions


def _capped(found: list, what: str, notes: list[str]) -> tuple:
    """The first MAX_LISTED, and a note of how many more there were: no reply or review lists 100,000."""
    if len(found) > MAX_LISTED:
        notes.append(f"extract: {len(found):,} {what} found; the first {MAX_LISTED} kept, "
                     f"{len(found) - MAX_LISTED:,} left out")
    return tuple(found[:MAX_LISTED])


def _mentioned(d, quoted: bool) -> MentionedDate:
    return MentionedDate(d.text, d.date, d.role, quoted, d.ambiguous, d.approximate)


def _unique_dates(dates: list[MentionedDate]) -> list[MentionedDate]:
    """Each date once per role: quoted histories repeat the same header dates."""
    seen: set[tuple] = set()
    out = []
    for d in dates:
        key = (d.date, d.role)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _senders(msg: ParsedMessage) -> set[str]:
    return {a.lower() for a in (msg.from_addr, msg.reply_to) if a}


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit()) or number
