"""Attachments and whether they are the customer's evidence.

Evidence is a photo or video the customer sent: attached, or inline from a
phone.  Not evidence: small inline images the HTML refers to (signature
logos, tracking pixels), anything inside a forwarded message, and other
file types.  The declared type is checked against the bytes (filetype)
when it is generic, since phones and webmails often send
application/octet-stream.  winmail.dat (TNEF) is unpacked so what it wraps counts.
"""

from __future__ import annotations

import logging
import mimetypes

import filetype

from ..records import Attachment, MimePart

GENERIC_TYPES = {"application/octet-stream", "application/x-download", "binary/octet-stream", ""}
EVIDENCE_PREFIXES = ("image/", "video/")
NOT_EVIDENCE = {"image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon"}
# An inline image the HTML refers to and smaller than this is decoration.
LOGO_MAX_BYTES = 30_000
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}

log = logging.getLogger(__name__)


def describe_attachments(parts: tuple[MimePart, ...], html: str) -> list[Attachment]:
    found: list[Attachment] = []
    for part in parts:
        if _is_tnef(part):
            found.extend(_unpack_tnef(part))
            continue
        ctype = content_type(part.filename, part.declared_type, part.payload)
        referenced = bool(part.content_id) and f"cid:{part.content_id}" in html
        inline = part.disposition == "inline" or (referenced and part.disposition != "attachment")
        decoration = referenced and len(part.payload) < LOGO_MAX_BYTES
        evidence = (
            ctype.startswith(EVIDENCE_PREFIXES)
            and ctype not in NOT_EVIDENCE
            and not part.forwarded
            and not decoration
            and len(part.payload) > 0
        )
        found.append(Attachment(
            filename=part.filename or _default_name(ctype, len(found) + 1),
            content_type=ctype,
            size=len(part.payload),
            evidence=evidence,
            inline=inline,
            forwarded=part.forwarded,
        ))
    return found


def content_type(filename: str, declared: str, payload: bytes) -> str:
    """The declared type, or what the bytes or the file name say when it is generic."""
    declared = (declared or "").lower()
    if declared not in GENERIC_TYPES:
        return declared
    kind = filetype.guess(payload[:8192]) if payload else None
    if kind is not None:
        return kind.mime
    guessed, _ = mimetypes.guess_type(filename or "")
    return guessed or declared or "application/octet-stream"


def _is_tnef(part: MimePart) -> bool:
    return part.declared_type in TNEF_TYPES or part.filename.lower() == "winmail.dat"


def _unpack_tnef(part: MimePart) -> list[Attachment]:
    from tnefparse import TNEF

    try:
        tnef = TNEF(part.payload)
    except Exception as e:  # a broken winmail.dat is still an attachment a person can open
        log.info("winmail.dat not readable: %s", e)
        return [Attachment(part.filename or "winmail.dat", "application/ms-tnef", len(part.payload), False)]
    inner = []
    for att in tnef.attachments:
        name = att.long_filename() or att.name or "attachment"
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        data = att.data or b""
        ctype = content_type(name, "", data)
        inner.append(Attachment(name, ctype, len(data),
                                evidence=ctype.startswith(EVIDENCE_PREFIXES) and not part.forwarded,
                                forwarded=part.forwarded))
    return inner


def _default_name(ctype: str, index: int) -> str:
    extension = mimetypes.guess_extension(ctype) or ".bin"
    return f"attachment-{index}{extension}"
