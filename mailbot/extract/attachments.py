"""Attachments, and whether each is the customer's evidence.

Evidence is a photo or video the customer sent: attached, or inline from a
phone (Apple Mail and the Gmail app put photos inline, referenced from the
HTML).  Not evidence: decoration (signature logos, social icons, tracking
pixels: small in bytes or in pixels, inline or referenced from the HTML),
anything inside a forwarded message, empty parts, and other file types.

The declared type is checked against the bytes (filetype) when it is
generic, since phones and webmails often send application/octet-stream;
pixel sizes come from the image header (imagesize) without decoding it.
winmail.dat (TNEF, from Outlook) is unpacked so what it wraps counts.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import re
from dataclasses import dataclass
from email.header import decode_header, make_header

import filetype
import imagesize

from ..records import Attachment, MimePart

GENERIC_TYPES = {"application/octet-stream", "application/x-download", "binary/octet-stream",
                 "application/binary", "application/unknown", "application/force-download", ""}
# Non-standard names clients use for standard types.
TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png",
                "video/mov": "video/quicktime", "video/x-quicktime": "video/quicktime",
                "image/heic-sequence": "image/heic", "image/x-heic": "image/heic"}
EXTENSION_TYPES = {".heic": "image/heic", ".heif": "image/heif", ".mov": "video/quicktime",
                   ".mp4": "video/mp4", ".m4v": "video/x-m4v", ".3gp": "video/3gpp", ".webp": "image/webp",
                   ".avif": "image/avif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
EVIDENCE_PREFIXES = ("image/", "video/")
NOT_EVIDENCE = {"image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "image/x-emf", "image/x-wmf",
                "image/emf", "image/wmf"}
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
# Outlook names the images of a signature image001.png, image002.jpg, ...
OUTLOOK_INLINE_NAME = re.compile(r"^image\d{3}\.(?:png|jpe?g|gif)$", re.IGNORECASE)
ICON_MAX_SIDE = 64  # an image this small is an icon, wherever it sits
TINY_BYTES = 8_000  # no camera makes a photo this small; logos and pixels are
MIN_MEDIA_BYTES = 2_000  # below this even an attached file is a placeholder or a broken part
BANNER_RATIO = 2.5  # photos are 4:3, 3:2 or 16:9; wider inline images are banners
DECORATION_NAME = re.compile(r"logo|signature|banner|icon|facebook|twitter|linkedin|instagram|youtube|"
                             r"tiktok|pinterest|whatsapp|spacer|pixel|divider", re.IGNORECASE)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceRules:
    logo_max_bytes: int = 30_000  # inline or referenced images smaller than this are decoration
    logo_max_side: int = 400  # ... and so are those whose longer side is at most this many pixels


def describe_attachments(parts: tuple[MimePart, ...], html: str,
                         rules: EvidenceRules = EvidenceRules()) -> list[Attachment]:
    found: list[Attachment] = []
    referenced = _referenced_cids(html)
    for part in parts:
        if _is_tnef(part):
            found.extend(_unpack_tnef(part, rules))
            continue
        filename = _decoded(part.filename)
        ctype = content_type(filename, part.declared_type, part.payload)
        in_html = bool(part.content_id) and part.content_id.lower() in referenced
        inline = part.disposition == "inline" or (in_html and part.disposition != "attachment")
        width, height = _pixels(ctype, part.payload)
        evidence, reason = _judge(ctype, part.payload, filename, inline or in_html, part.forwarded,
                                  width, height, rules)
        found.append(Attachment(
            filename=filename or _default_name(ctype, len(found) + 1),
            content_type=ctype,
            size=len(part.payload),
            evidence=evidence,
            inline=inline,
            forwarded=part.forwarded,
            width=width,
            height=height,
            reason=reason,
        ))
    return found


def content_type(filename: str, declared: str, payload: bytes) -> str:
    """The declared type, or what the bytes or the file name say when it is generic."""
    declared = (declared or "").lower().strip()
    declared = TYPE_ALIASES.get(declared, declared)
    if declared not in GENERIC_TYPES:
        return declared
    kind = filetype.guess(payload[:8192]) if payload else None
    if kind is not None:
        return TYPE_ALIASES.get(kind.mime, kind.mime)
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    guessed = EXTENSION_TYPES.get(extension) or mimetypes.guess_type(filename or "")[0]
    return guessed or declared or "application/octet-stream"


# Names phones and computers give screenshots, and names of payment documents.
SCREEN_CAPTURE_NAME = re.compile(
    r"screen ?shot|screen[_ -]?capture|bildschirmfoto|capture d.(?:é|e)cran|captura de pantalla|"
    r"schermata|schermafbeelding|zrzut ekranu|スクリーンショット|截图|截屏|"
    r"payment|paypal|receipt|invoice|transaction|order[_ -]?confirmation|bank[_ -]?statement|"
    r"zahlung|quittung|rechnung|paiement|facture|recibo|pago|ricevuta|pagamento|betaling|płatność|potwierdzenie",
    re.IGNORECASE)


def _judge(ctype: str, payload: bytes, filename: str, inline: bool, forwarded: bool,
           width: int | None, height: int | None, rules: EvidenceRules) -> tuple[bool, str]:
    """(evidence, why): the reason is what a reviewer reads in the trace."""
    if not ctype.startswith(EVIDENCE_PREFIXES) or ctype in NOT_EVIDENCE:
        return False, "not a photo or video"
    if forwarded:
        return False, "inside a forwarded message"
    if not payload:
        return False, "empty"
    if len(payload) < MIN_MEDIA_BYTES:
        return False, f"too small for a photo or video ({len(payload)} bytes)"
    kind = "video" if ctype.startswith("video/") else "photo"
    if ctype.startswith("image/") and SCREEN_CAPTURE_NAME.search(filename or ""):
        # A screenshot shows a screen (a payment, an order page, a chat), not the item.
        return False, "a screenshot or a document (payment, receipt, order page), not a photo of the item"
    longest = max(width or 0, height or 0)
    if ctype.startswith("image/") and 0 < longest <= ICON_MAX_SIDE:
        return False, f"icon ({width}x{height})"
    if ctype.startswith("image/") and _decoration(ctype, payload, filename, inline, width, height, rules):
        size = f"{len(payload) // 1024} KB" + (f", {width}x{height}" if longest else "")
        return False, f"decoration: signature logo, banner or icon ({size})"
    return True, f"{kind}{' sent inline' if inline else ''}"


def _decoration(ctype: str, payload: bytes, filename: str, inline: bool,
                width: int | None, height: int | None, rules: EvidenceRules) -> bool:
    """A logo, banner or icon rather than a photo.

    Size alone does not decide: iOS Mail's "Small" setting sends a photo as
    a 320x240 JPEG of 30-40 KB, the size of many logos.  Logos are drawn
    (PNG, GIF), wide (banners), named for what they are, or tiny.
    """
    small = len(payload) < rules.logo_max_bytes
    if DECORATION_NAME.search(filename or "") and small:
        return True
    if OUTLOOK_INLINE_NAME.match(filename or "") and small:
        return True  # Outlook's signature images; a pasted photo is far bigger
    if not inline:
        return False  # attached on purpose
    longest, shortest = max(width or 0, height or 0), min(width or 0, height or 0)
    if len(payload) < TINY_BYTES:
        return True
    if shortest and longest / shortest >= BANNER_RATIO:
        return True
    drawn = ctype in ("image/png", "image/gif", "image/bmp")
    return drawn and (small or 0 < longest <= rules.logo_max_side)


def _referenced_cids(html: str) -> set[str]:
    if not html or "cid:" not in html.lower():
        return set()
    return {m.group(1).strip().lower() for m in re.finditer(r"cid:([^\"'\s)>]+)", html, re.IGNORECASE)}


def _pixels(ctype: str, payload: bytes) -> tuple[int | None, int | None]:
    if not ctype.startswith("image/") or not payload:
        return None, None
    try:
        width, height = imagesize.get(io.BytesIO(payload))
    except Exception:  # a truncated or odd header: the size stays unknown
        return None, None
    if width is None or width <= 0 or height is None or height <= 0:
        return None, None
    return int(width), int(height)


def _decoded(filename: str) -> str:
    # parse.py decodes RFC 2047 and RFC 2231; some clients put an encoded
    # word inside a quoted RFC 2231 value, which comes through undecoded.
    if "=?" in filename:
        try:
            filename = str(make_header(decode_header(filename)))
        except Exception:
            pass
    return filename.strip().strip('"').replace("\\", "/").rsplit("/", 1)[-1]


def _is_tnef(part: MimePart) -> bool:
    return part.declared_type in TNEF_TYPES or part.filename.lower() == "winmail.dat"


def _unpack_tnef(part: MimePart, rules: EvidenceRules) -> list[Attachment]:
    from tnefparse import TNEF

    try:
        tnef = TNEF(part.payload)
        inner_parts = list(tnef.attachments)
    except Exception as e:  # a broken winmail.dat is still an attachment a person can open
        log.info("winmail.dat not readable: %s", e)
        return [Attachment(part.filename or "winmail.dat", "application/ms-tnef", len(part.payload), False,
                           forwarded=part.forwarded, reason="winmail.dat that could not be read")]
    inner = []
    for att in inner_parts:
        name = _tnef_name(att)
        data = att.data or b""
        ctype = content_type(name, "", data)
        width, height = _pixels(ctype, data)
        evidence, reason = _judge(ctype, data, name, False, part.forwarded, width, height, rules)
        inner.append(Attachment(name, ctype, len(data), evidence=evidence, forwarded=part.forwarded,
                                width=width, height=height, reason=f"{reason} (in winmail.dat)"))
    return inner


def _tnef_name(att) -> str:
    for getter in (lambda: att.long_filename(), lambda: att.name):
        try:
            name = getter()
        except Exception:
            continue
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        if name:
            return name.strip("\x00").strip()
    return "attachment"


_EXTENSION_BY_TYPE = {ctype: ext for ext, ctype in reversed(EXTENSION_TYPES.items())}


def _default_name(ctype: str, index: int) -> str:
    extension = _EXTENSION_BY_TYPE.get(ctype) or mimetypes.guess_extension(ctype) or ".bin"
    return f"attachment-{index}{extension}"
