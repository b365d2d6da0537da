"""Parse stage: raw bytes to a ParsedMessage.

mail-parser does the MIME work (charsets, broken boundaries, defects); the
walk over non-body parts is ours because the evidence rules need what
mail-parser folds away: inline images without a name, parts inside a
forwarded message/rfc822.
"""

from __future__ import annotations

import email
import hashlib
import logging
from datetime import timezone
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

import mailparser

from .records import MimePart, ParsedMessage, RawMessage

BODY_TYPES = ("text/plain", "text/html")

log = logging.getLogger(__name__)
# mail-parser warns on stderr about every part it does not keep as text
# ("Email content 'jpeg' not handled"): normal for mail with photos.
logging.getLogger("mailparser").setLevel(logging.ERROR)


def parse(raw: RawMessage) -> ParsedMessage:
    try:
        mail = mailparser.parse_from_bytes(raw.data)
        msg, text_plain, text_html = mail.message, mail.text_plain, mail.text_html
    except Exception as e:
        # mail-parser gives up on some broken structures (an epilogue it cannot
        # find, nested boundaries that clash); the standard library still reads
        # the headers and whatever text there is, which beats losing the message.
        log.info("%s: mail-parser failed (%s); using the standard library", raw.source, e)
        msg = email.message_from_bytes(raw.data)
        text_plain, text_html = _texts(msg)
    if msg is None:
        raise ValueError("no message found in the input")
    headers = tuple((k.lower(), _decode(v)) for k, v in msg.items())
    message_id = _clean_message_id(msg.get("Message-ID"))
    from_name, from_addr = _first_address(msg.get_all("From") or [])
    reply_to = _first_address(msg.get_all("Reply-To") or [])[1] or None
    to = tuple(addr for _, addr in getaddresses([_decode(v) for v in msg.get_all("To") or []]) if addr)
    subject = _decode(msg.get("Subject") or "").strip()
    date = _parse_date(msg.get("Date"))
    parts, forwarded_text = _walk(msg)
    return ParsedMessage(
        source=raw.source,
        identity=identity(raw.data, message_id, from_addr, msg.get("Date") or "", subject),
        message_id=message_id,
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to,
        to=to,
        subject=subject,
        date=date,
        headers=headers,
        content_type=msg.get_content_type(),
        text_plain="\n".join(text_plain),
        text_html="\n".join(text_html),
        parts=tuple(parts),
        forwarded_text="\n\n".join(forwarded_text),
        size=len(raw.data),
    )


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


def _decode(value) -> str:
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # malformed encoded-words: keep the raw text
        return str(value)


def _clean_message_id(value) -> str | None:
    value = _decode(value).strip()
    return value or None


def _first_address(values: list) -> tuple[str, str]:
    for name, addr in getaddresses([_decode(v) for v in values]):
        if addr:
            return name.strip(), addr.strip()
    return "", ""


def _parse_date(value):
    if not value:
        return None
    try:
        date = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" (RFC 5322 3.3: UTC, the sender's zone unknown) comes back naive; every date we compare is aware.
    return date if date.tzinfo is not None else date.replace(tzinfo=timezone.utc)


def _walk(msg: Message) -> tuple[list[MimePart], list[str]]:
    parts: list[MimePart] = []
    forwarded_text: list[str] = []

    def visit(part: Message, forwarded: bool) -> None:
        ctype = part.get_content_type()
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            for inner in part.get_payload() or []:
                if isinstance(inner, Message):
                    forwarded_text.append(_plain_text(inner))
                    visit(inner, True)
            return
        if part.is_multipart():
            for child in part.get_payload() or []:
                if isinstance(child, Message):
                    visit(child, forwarded)
            return
        filename = _decode(part.get_filename() or "")
        disposition = (part.get_content_disposition() or "").lower()
        if ctype in BODY_TYPES and not filename and disposition != "attachment":
            return  # body text; mail-parser has it
        payload = part.get_payload(decode=True) or b""
        parts.append(MimePart(
            filename=filename,
            declared_type=ctype,
            payload=payload,
            disposition=disposition,
            content_id=(part.get("Content-ID") or "").strip().strip("<>"),
            forwarded=forwarded,
        ))

    visit(msg, False)
    return parts, [t for t in forwarded_text if t]


def _plain_text(msg: Message) -> str:
    headers = "\n".join(f"{k}: {_decode(msg.get(k))}" for k in ("From", "Date", "Subject") if msg.get(k))
    texts = []
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return (headers + "\n\n" + "\n".join(texts)).strip()


def _texts(msg: Message) -> tuple[list[str], list[str]]:
    plain, html = [], []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in BODY_TYPES and not part.get_filename() and not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            text = payload.decode(part.get_content_charset() or "utf-8", "replace")
            (plain if ctype == "text/plain" else html).append(text)
    return plain, html
