"""The frozen records the pipeline stages hand each other.

source -> RawMessage -> parse -> ParsedMessage -> extract -> Extraction
-> classify -> Classification -> decide -> Decision -> render -> Reply
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class RawMessage:
    """The bytes of one message and where they came from."""

    source: str
    data: bytes
    received: datetime | None = None  # when the server received it (IMAP INTERNALDATE); None when unknown
    # Set when `data` is only the header of a message over the size limit: the message's real size.
    full_size: int | None = None


@dataclass(frozen=True)
class MimePart:
    """A non-body MIME part as the message carries it."""

    filename: str
    declared_type: str
    payload: bytes
    disposition: str  # "attachment", "inline" or ""
    content_id: str
    forwarded: bool  # inside an attached message/rfc822


@dataclass(frozen=True)
class ParsedMessage:
    source: str
    identity: str  # stable key for the store: Message-ID based, else content hash
    message_id: str | None
    from_addr: str
    from_name: str
    reply_to: str | None
    to: tuple[str, ...]
    subject: str
    date: datetime | None
    headers: tuple[tuple[str, str], ...]  # (lower-case name, value), in order
    content_type: str
    text_plain: str
    text_html: str
    parts: tuple[MimePart, ...]
    forwarded_text: str  # text of attached message/rfc822 parts
    size: int
    # (lower-case name, value) of From, Sender, Reply-To, To and Cc as they came, RFC 2047 words
    # undecoded: an address is parsed before its display name is decoded.
    address_headers: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()  # what the parse stage cut or skipped, for the trace

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    evidence: bool
    inline: bool = False
    forwarded: bool = False
    width: int | None = None  # pixels, where the image header says
    height: int | None = None
    reason: str = ""  # why it is or is not evidence, for the trace


@dataclass(frozen=True)
class TrackingNumber:
    number: str
    carrier: str
    quoted: bool = False  # found only in quoted history or a forwarded message
    service: str = ""  # the carrier's kind of number, e.g. "UPS waybill", "UPU S10"
    check_digit: bool = False  # the carrier's check digit was verified


@dataclass(frozen=True)
class MentionedDate:
    text: str
    date: date
    role: str | None = None  # "ordered", "shipped", "delivered", "expected" (promised) or None
    quoted: bool = False
    ambiguous: bool = False  # a numeric date like 03/11 that nothing in the message settled
    approximate: bool = False  # "last week", "two months ago"


@dataclass(frozen=True)
class OrderMention:
    number: str
    quoted: bool = False
    known: bool | None = None  # None when no order data is loaded
    sender_matches: bool | None = None  # the order's email is the sender's; None when unknown
    cue: str = ""  # what made it an order number: "order word", "#", "prefix", "list", "bare"


@dataclass(frozen=True)
class Extraction:
    new_text: str
    quoted_text: str
    language: str
    orders: tuple[OrderMention, ...]
    tracking_numbers: tuple[TrackingNumber, ...]
    dates: tuple[MentionedDate, ...]
    attachments: tuple[Attachment, ...]
    statements: frozenset[str] = frozenset()  # what the customer says, e.g. "opened"
    signature: str = ""  # the sign-off block under the new text
    forwarded: bool = False  # the history is a forwarded message, not a reply
    evidence_links: tuple[str, ...] = ()  # shared photo/video links in the customer's new text
    notes: tuple[str, ...] = ()  # what the extract stage left out (lists past their cap), for the trace

    @property
    def order_numbers(self) -> list[str]:
        return [o.number for o in self.orders]

    @property
    def has_evidence(self) -> bool:
        return any(a.evidence for a in self.attachments) or bool(self.evidence_links)


@dataclass(frozen=True)
class Classification:
    intent: str
    confidence: float
    automated: bool
    reasons: tuple[str, ...] = ()  # why, for the trace
    needs_person: bool = False  # automated, but a person must look (disputes)
    scores: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Decision:
    action: str
    rule: str
    template: str | None
    missing_info: tuple[str, ...]
    trace: tuple[str, ...]
    language: str = "en"  # the reply's language (mailbot/i18n/language.py), decided with the action
    language_note: str = ""  # the language of an opening "we answer in English" line; "" for none


@dataclass(frozen=True)
class Reply:
    subject: str
    template: str
    body: str
    html: str
    language: str = "en"


@dataclass(frozen=True)
class TriageResult:
    """Everything the pipeline learnt about one message; `error` when a stage failed."""

    source: str
    identity: str
    parsed: ParsedMessage | None = None
    extraction: Extraction | None = None
    classification: Classification | None = None
    decision: Decision | None = None
    reply: Reply | None = None
    error: str | None = None
