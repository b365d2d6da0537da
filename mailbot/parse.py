"""Parse stage: raw bytes to a ParsedMessage.

mail-parser does the MIME work (charsets, broken boundaries, defects); the
walk over non-body parts is ours because the evidence rules need what
mail-parser folds away: inline images without a name, parts inside a
forwarded message/rfc822.

The support address is public, so every message may be hostile: the work
on one is bounded before any of it starts (mail_limits.py).  Parts nested
too deep, header values and texts too long, and parts that cannot be read
are cut or skipped, each with a note for the trace; the rest of the message
is still decided.
"""

from __future__ import annotations

import binascii
import email
import hashlib
import logging
import re
from datetime import timezone
from email.feedparser import BytesFeedParser
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

import mailparser

from .mail_limits import (
    MAX_BOUNDARY_LINES,
    MAX_DEPTH,
    MAX_FORWARDED_CHARS,
    MAX_HEADER_CHARS,
    MAX_HEADERS,
    MAX_HEADERS_TOTAL_CHARS,
    ESSENTIAL_HEADERS,
    MAX_HTML_CHARS,
    MAX_PARTS,
    MAX_TEXT_CHARS,
    MAX_TEXT_PART_BYTES,
    cut_header,
    cut_text,
)
from .records import MimePart, ParsedMessage, RawMessage
from .set_aside import HEADER as SET_ASIDE_HEADER
from .set_aside import SetAside, decode, set_aside

BODY_TYPES = ("text/plain", "text/html")
FEED_CHUNK = 1 << 16
# Kept undecoded (RFC 2047 words and all) for the address parsers: a name is decoded only after
# the address is parsed, or "=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?=" becomes two addresses.
ADDRESS_HEADERS = ("from", "sender", "reply-to", "to", "cc")
# The address at the end of an over-long From: `"<a megabyte of name>" <jane@example.com>`.
TRAILING_ADDRESS = re.compile(r"<([^<>\s@]{1,200}@[^<>\s@]{1,200})>\s*$")

log = logging.getLogger(__name__)
# mail-parser warns on stderr about every part it does not keep as text
# ("Email content 'jpeg' not handled"): normal for mail with photos.
logging.getLogger("mailparser").setLevel(logging.ERROR)


def parse(raw: RawMessage) -> ParsedMessage:
    notes: list[str] = []
    data, senders, reply_tos = _bound_header_section(raw.data, notes)
    aside = set_aside(_cut_parts(data, notes))
    notes.extend(aside.notes)
    msg = _structure(aside.data, notes)
    # Whole: the address of an over-long From sits at its end.
    senders = senders or _raw_values(msg, "from")
    reply_tos = reply_tos or _raw_values(msg, "reply-to")
    _bound_headers(msg, notes)
    parts, forwarded_text = _walk(msg, aside, notes)
    _bound_texts(msg, notes)
    try:
        mail = mailparser.MailParser(msg)
        text_plain, text_html = mail.text_plain, mail.text_html
    except Exception as e:
        # mail-parser gives up on some broken structures (an epilogue it cannot
        # find, nested boundaries that clash); the standard library still reads
        # whatever text there is, which beats losing the message.
        log.info("%s: mail-parser failed (%s); using the standard library", raw.source, e)
        text_plain, text_html = _texts(msg, notes)
    headers = tuple((k.lower(), _decode(v)) for k, v in msg.items())
    message_id = _clean_message_id(msg.get("Message-ID"))
    from_name, from_addr = _first_address(senders)
    reply_to = _first_address(reply_tos)[1] or None
    address_headers = tuple((k.lower(), _unfold(_raw_text(v))) for k, v in msg.raw_items()
                            if k.lower() in ADDRESS_HEADERS)
    to = tuple(addr for _, addr in _addresses([v for k, v in address_headers if k == "to"], notes, "To") if addr)
    subject = _decode(msg.get("Subject")).strip()
    raw_date = _decode(msg.get("Date"))
    date = _parse_date(raw_date, notes)
    return ParsedMessage(
        source=raw.source,
        identity=identity(raw.data, message_id, from_addr, raw_date, subject),
        message_id=message_id,
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to,
        to=to,
        subject=subject,
        date=date,
        headers=headers,
        content_type=msg.get_content_type(),
        text_plain=cut_text("\n".join(text_plain), MAX_TEXT_CHARS, "the plain-text body", notes),
        text_html=cut_text("\n".join(text_html), MAX_HTML_CHARS, "the HTML body", notes),
        parts=tuple(parts),
        forwarded_text=cut_text("\n\n".join(forwarded_text), MAX_FORWARDED_CHARS,
                                "the text of the forwarded messages", notes),
        size=raw.full_size or len(raw.data),
        address_headers=address_headers,
        notes=tuple(notes),
    )


def bounded_bytes(data: bytes) -> bytes:
    """The message as parse reads it (its header, its parts and large bodies bounded), for stages
    that read the bytes again with the standard library, such as the delivery-report reader."""
    data, _, _ = _bound_header_section(data, [])
    return set_aside(_cut_parts(data, [])).data


def identity(data: bytes, message_id: str | None, sender: str, date: str, subject: str) -> str:
    """The store's key for a message.

    The Message-ID alone is not enough: test corpora and broken clients reuse
    them, so the sender, date and subject are hashed in too.  The same message
    fetched again (another folder, a new UIDVALIDITY) keeps its identity even
    though transport headers differ.  Without a Message-ID, the content decides.
    """
    if message_id:
        key = "\0".join((message_id, sender.lower(), date.strip(), subject))
        return "mid:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
    return "sha256:" + hashlib.sha256(data).hexdigest()[:40]


def unparsed_identity(data: bytes) -> str:
    """The identity of bytes that could not be parsed: their content hash."""
    return identity(data, None, "", "", "")


class _DepthLimitedParser(BytesFeedParser):
    """The standard library's parser, reading parts nested deeper than MAX_DEPTH as plain text.

    Its parser recurses once per level of multipart/*: a thousand levels end
    in RecursionError and the whole message is lost.  A part read as text
    keeps its bytes (and the boundaries of its parent still end it).
    """

    too_deep = 0

    def _parse_headers(self, lines):
        super()._parse_headers(lines)
        if len(self._msgstack) > MAX_DEPTH and self._cur.get_content_maintype() in ("multipart", "message"):
            del self._cur["Content-Type"]
            self._cur["Content-Type"] = "text/plain"
            self.too_deep += 1


def _structure(data: bytes, notes: list[str]) -> Message:
    parser = _DepthLimitedParser()
    try:
        # In pieces: fed whole, the parser splits the entire message into lines at once (7 times its size).
        view = memoryview(data)
        for start in range(0, len(data), FEED_CHUNK):
            parser.feed(bytes(view[start:start + FEED_CHUNK]))
        msg = parser.close()
    except RecursionError:  # not expected with the depth limit; the header alone still names the sender
        msg = email.message_from_bytes(_header_only(data))
        notes.append("parse: the MIME structure is nested too deeply to read; only the header was read")
    if parser.too_deep:
        notes.append(f"parse: {parser.too_deep} part(s) nested deeper than {MAX_DEPTH} levels read as plain text")
    return msg


def _cut_parts(data: bytes, notes: list[str]) -> bytes:
    """The message up to its MAX_BOUNDARY_LINES-th line starting "--": a bomb of tiny parts ends there."""
    position = 0
    for _ in range(MAX_BOUNDARY_LINES):
        position = data.find(b"\n--", position)
        if position < 0:
            return data
        position += 3
    notes.append(f"parse: more than {MAX_BOUNDARY_LINES:,} MIME boundary lines; the message was read up to "
                 f"the {MAX_BOUNDARY_LINES:,}th ({position:,} of {len(data):,} bytes)")
    return data[:position - 2]


def _header_only(data: bytes) -> bytes:
    ends = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    return data[:min(ends) + 2] if ends else data


def _raw_values(msg: Message, name: str) -> list[str]:
    return [_unfold(_raw_text(v)) for k, v in msg.raw_items() if k.lower() == name]


def _raw_text(value) -> str:
    """A header value as it came, its 8-bit bytes read as UTF-8 (RFC 6532), never as lone surrogates."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def _bound_headers(msg: Message, notes: list[str]) -> None:
    """Every part's header bounded (`_bounded_fields`), before anything decodes it.

    decode_header is quadratic in the number of encoded words, the address
    and parameter parsers worse.
    """
    for part, _ in _parts(msg):
        part._headers = _bounded_fields(part._headers, notes)  # Message has no public way to replace them all


def _bounded_fields(fields: list[tuple[str, str]], notes: list[str]) -> list[tuple[str, str]]:
    """Each value cut to MAX_HEADER_CHARS; at most MAX_HEADERS fields and MAX_HEADERS_TOTAL_CHARS of them,
    except the first of each essential header, which is always read."""
    kept, total, skipped, essential_seen = [], 0, 0, set()
    for name, value in fields:
        value = value if isinstance(value, str) else str(value)
        key = name.strip().lower()
        if len(value) > MAX_HEADER_CHARS:
            kept_part = "its first and last Message-IDs" if key == "references" else f"its first {MAX_HEADER_CHARS:,}"
            notes.append(f"parse: {name.strip()} header is {len(value):,} characters; read {kept_part}")
            value = cut_header(key, value)
        essential = key in ESSENTIAL_HEADERS and key not in essential_seen
        if not essential and (len(kept) >= MAX_HEADERS or total + len(value) > MAX_HEADERS_TOTAL_CHARS):
            skipped += 1
            continue
        essential_seen.add(key)
        kept.append((name, value))
        total += len(value)
    if skipped:
        notes.append(f"parse: {skipped:,} header field(s) skipped past {MAX_HEADERS} fields or "
                     f"{MAX_HEADERS_TOTAL_CHARS:,} characters of header")
    return kept


_FIELD_START = re.compile(rb"\n(?![ \t])")
NOT_A_FIELD = b"\0"


def _bound_header_section(data: bytes, notes: list[str]) -> tuple[bytes, list[str], list[str]]:
    """The message with its own header bounded before the parser reads it, and its From and Reply-To values whole.

    The standard library reads a header line by line in Python: 20 MB of
    header is seconds before any bound on the parsed message could apply.
    """
    ends = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    header_end = min(ends) if ends else len(data)
    if header_end <= MAX_HEADERS_TOTAL_CHARS:
        return data, [], []
    header = data[:header_end]
    starts = [0, *(m.end() for m in _FIELD_START.finditer(header))]
    fields = []
    for start, end in zip(starts, [*starts[1:], len(header)]):
        name, colon, value = header[start:end].rstrip(b"\r\n").partition(b":")
        if not colon:  # not a header field: kept as it is, for the parser to judge
            name, value = NOT_A_FIELD, name
        fields.append((name.decode("ascii", "surrogateescape"), value.decode("ascii", "surrogateescape")))
    whole = {key: [_unfold(_raw_text(v)).strip() for n, v in fields if n.strip().lower() == key]
             for key in ("from", "reply-to")}
    newline = b"\r\n" if header.find(b"\r\n", 0, 2000) >= 0 else b"\n"
    rebuilt = newline.join((b"" if n == NOT_A_FIELD.decode() else n.encode("ascii", "surrogateescape") + b":")
                           + v.encode("ascii", "surrogateescape") for n, v in _bounded_fields(fields, notes))
    return rebuilt + data[header_end:], whole["from"], whole["reply-to"]


def _bound_texts(msg: Message, notes: list[str]) -> None:
    """Text parts cut before they are decoded: mail-parser decodes every text part whole."""
    limit = MAX_TEXT_PART_BYTES
    for part, _ in _parts(msg):
        payload = part._payload
        if part.get_content_maintype() == "text" and isinstance(payload, str) and len(payload) > limit:
            notes.append(f"parse: a {part.get_content_type()} part of {len(payload):,} characters cut to "
                         f"its first {limit:,} before decoding")
            part._payload = payload[:payload.rfind("\n", 0, limit) + 1 or limit]


def _parts(msg: Message):
    """(part, depth) for every part, without recursion, at most MAX_PARTS of them."""
    stack, count = [(msg, 0)], 0
    while stack and count < MAX_PARTS:
        part, depth = stack.pop()
        count += 1
        yield part, depth
        payload = part._payload
        if isinstance(payload, list):
            stack.extend((p, depth + 1) for p in reversed(payload) if isinstance(p, Message))


def _decode(value) -> str:
    """A header value decoded (RFC 2047); at most MAX_HEADER_CHARS, as its raw value is."""
    if value is None:
        return ""
    text = _raw_text(value)
    try:
        text = str(make_header(decode_header(text)))
    except Exception:  # malformed encoded-words, an unknown charset: keep the raw text
        pass
    return text[:MAX_HEADER_CHARS]  # decoding can lengthen a value: 8-bit bytes inside encoded words


def _clean_message_id(value) -> str | None:
    value = _decode(value).strip()
    return value or None


def _addresses(values: list[str], notes: list[str], header: str) -> list[tuple[str, str]]:
    try:
        return getaddresses(values)
    except Exception as e:  # the parser's own failures on hostile input (RecursionError): no address read
        notes.append(f"parse: the {header} header cannot be parsed ({type(e).__name__}); no address read from it")
        return []


def _first_address(values: list[str]) -> tuple[str, str]:
    """(display name, address) of the first address: parsed first, its name decoded after."""
    for value in values:
        if len(value) > MAX_HEADER_CHARS:
            match = TRAILING_ADDRESS.search(value[-500:])
            if match:
                return "", match.group(1).strip()
            continue
        try:
            found = getaddresses([value])
        except Exception:  # the parser's own failure on hostile input (RecursionError on nested comments)
            match = TRAILING_ADDRESS.search(value[-500:])
            found = [("", match.group(1))] if match else []
        for name, addr in found:
            if addr:
                return _decode(name).strip(), addr.strip()
    return "", ""


def _parse_date(value: str, notes: list[str]):
    if not value:
        return None
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError) as e:
        why = "is out of range" if isinstance(e, OverflowError) else "cannot be read"
        notes.append(f"parse: the Date header {value[:60]!r} {why}; the date is unknown")
        return None
    # "-0000" (RFC 5322 3.3: UTC, the sender's zone unknown) comes back naive; every date we compare is aware.
    return date if date.tzinfo is not None else date.replace(tzinfo=timezone.utc)


def _walk(msg: Message, aside: SetAside, notes: list[str]) -> tuple[list[MimePart], list[str]]:
    """The non-body parts, and the text of forwarded messages; a part that cannot be read is skipped."""
    parts: list[MimePart] = []
    forwarded_text: list[str] = []
    stack: list[tuple[Message, bool]] = [(msg, False)]
    seen = 0
    while stack:
        part, forwarded = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            notes.append(f"parse: more than {MAX_PARTS} MIME parts; the rest skipped")
            break
        try:
            children = _visit(part, forwarded, aside, parts, forwarded_text)
        except Exception as e:
            notes.append(f"parse: skipped a {_type_of(part)} part that could not be read "
                         f"({type(e).__name__}: {str(e)[:80]})")
            continue
        stack.extend(reversed(children))
    return parts, [t for t in forwarded_text if t]


def _visit(part: Message, forwarded: bool, aside: SetAside, parts: list[MimePart], forwarded_text: list[str]) -> list:
    ctype = part.get_content_type()
    if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
        inner = [p for p in part.get_payload() or [] if isinstance(p, Message)]
        for message in inner:
            forwarded_text.append(_plain_text(message))
        return [(m, True) for m in inner]
    if part.is_multipart():
        return [(child, forwarded) for child in part.get_payload() or [] if isinstance(child, Message)]
    filename = _decode(part.get_filename() or "")
    disposition = (part.get_content_disposition() or "").lower()
    if ctype in BODY_TYPES and not filename and disposition != "attachment":
        return []  # body text; mail-parser has it
    payload = _decoded(part, aside)
    if not ctype.startswith("text/"):
        # The one decoded copy is the MimePart's: mail-parser would keep a base64 copy of its own.
        part.set_payload("")
    parts.append(MimePart(
        filename=filename,
        declared_type=ctype,
        payload=payload,
        disposition=disposition,
        content_id=_raw_text(part.get("Content-ID") or "").strip().strip("<>"),
        forwarded=forwarded,
    ))
    return []


def _decoded(part: Message, aside: SetAside) -> bytes:
    """A part's payload decoded, once: from the bytes set aside, or base64 straight from the parsed text.

    The standard library first copies the text to bytes, splits it into
    lines and joins them again: three more copies of an attachment that may
    be 18 MB.  binascii skips the line breaks itself.
    """
    markers = part.get_all(SET_ASIDE_HEADER)
    if markers:
        del part[SET_ASIDE_HEADER]
        # Only the one with this message's token counts: the sender may have written their own.
        body = next((b for b in map(aside.body, map(str, markers)) if b is not None), None)
        if body is not None:
            return decode(body, str(part.get("Content-Transfer-Encoding", "")))
    payload = part._payload
    if isinstance(payload, str) and str(part.get("Content-Transfer-Encoding", "")).strip().lower() == "base64":
        try:
            return binascii.a2b_base64(payload)
        except (binascii.Error, ValueError):  # bad padding, 8-bit bytes: the standard library's lenient decoder
            pass
    return part.get_payload(decode=True) or b""


def _type_of(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "MIME"


def _plain_text(msg: Message) -> str:
    headers = "\n".join(f"{k}: {_decode(msg.get(k))}" for k in ("From", "Date", "Subject") if msg.get(k))
    texts = []
    for part, _ in _parts(msg):
        if part.get_content_type() == "text/plain" and not part.get_filename():
            texts.append(decode_text(part.get_payload(decode=True) or b"", part.get_content_charset()))
    return (headers + "\n\n" + "\n".join(texts)).strip()


def decode_text(payload: bytes, charset: str | None) -> str:
    """Bytes of a text part in its declared charset; UTF-8 when that charset is unknown or wrong."""
    try:
        return payload.decode(charset or "utf-8", "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _texts(msg: Message, notes: list[str]) -> tuple[list[str], list[str]]:
    plain, html = [], []
    for part, _ in _parts(msg):
        try:
            ctype = part.get_content_type()
            if ctype in BODY_TYPES and not part.get_filename() and not part.is_multipart():
                text = decode_text(part.get_payload(decode=True) or b"", part.get_content_charset())
                (plain if ctype == "text/plain" else html).append(text)
        except Exception as e:
            notes.append(f"parse: skipped a text part that could not be read ({type(e).__name__})")
    return plain, html
