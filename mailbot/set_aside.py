"""Large MIME bodies set aside before the standard library's parser reads the message.

email.feedparser handles every line in Python: an 18 MB photo is 250,000
base64 lines, a second or more, and three copies of it in memory.  Here the
boundaries are found with bytes.find (C speed); each leaf body over
SET_ASIDE_BYTES is taken out of what the parser reads: a text body is cut to
what the parse stage reads of it anyway, any other body is replaced by a
header naming its slice of the original bytes, decoded once when the parse
stage asks for it (`decode`).  The token in that header is new for every
message, so a sender cannot point the parser at bytes of their choosing.
"""

from __future__ import annotations

import binascii
import re
import secrets
from dataclasses import dataclass, field

from .mail_limits import MAX_DEPTH, MAX_TEXT_PART_BYTES

SET_ASIDE_BYTES = 256 * 1024
HEADER = "X-Mailbot-Set-Aside"
MAX_SCANNED_HEADER = 1024 * 1024  # a part header longer than this is left to the parser and its limits
_CONTENT_TYPE = re.compile(rb"^content-type:(?:[ \t]|\r?\n[ \t])*([!-~]+?)[ \t]*(?:;|\r?\n(?![ \t])|$)"
                           rb"((?:[^\n]*\n[ \t])*[^\n]*)", re.IGNORECASE | re.MULTILINE)
_BOUNDARY = re.compile(rb'(?:^|[;\s])boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.IGNORECASE)


@dataclass
class SetAside:
    data: bytes  # what the parser reads
    token: str = ""
    bodies: dict[str, memoryview] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def body(self, value: str | None) -> memoryview | None:
        return self.bodies.get((value or "").strip())


def set_aside(data: bytes) -> SetAside:
    if len(data) <= SET_ASIDE_BYTES:
        return SetAside(data)  # nothing can be large: ordinary mail pays nothing
    result = SetAside(data, secrets.token_hex(8))
    out: list = []
    _entity(data, 0, len(data), 0, out, result)
    if result.bodies or result.notes:
        result.data = b"".join(out)
    return result


def decode(body: memoryview, transfer_encoding: str) -> bytes:
    encoding = transfer_encoding.strip().lower()
    if encoding == "base64":
        try:
            return binascii.a2b_base64(body)
        except (binascii.Error, ValueError):  # bad padding: what decodes of it
            data = bytes(body)
            return binascii.a2b_base64(data[:len(re.sub(rb"[^A-Za-z0-9+/]", b"", data)) // 4 * 4] or b"")
    if encoding == "quoted-printable":
        return binascii.a2b_qp(body)
    return bytes(body)


def _entity(data: bytes, start: int, end: int, depth: int, out: list, result: SetAside) -> None:
    """Append the entity data[start:end] (header and body) to `out`, with its large bodies set aside."""
    ends = [i for i in (data.find(b"\r\n\r\n", start, end), data.find(b"\n\n", start, end)) if i >= 0]
    if not ends or min(ends) - start > MAX_SCANNED_HEADER:
        out.append(data[start:end])
        return
    header_end = min(ends)
    body_start = header_end + (4 if data.startswith(b"\r\n\r\n", header_end) else 2)
    header = data[start:header_end]
    match = _CONTENT_TYPE.search(header)
    ctype = match.group(1).lower() if match else b"text/plain"
    if ctype.startswith(b"multipart/") and depth < MAX_DEPTH:
        boundary = _BOUNDARY.search(match.group(2) or b"")
        if boundary:
            out.append(data[start:body_start])
            _multipart(data, body_start, end, boundary.group(1) or boundary.group(2), depth, out, result)
            return
    if ctype == b"message/rfc822" and depth < MAX_DEPTH:
        out.append(data[start:body_start])
        _entity(data, body_start, end, depth + 1, out, result)
        return
    if end - body_start <= SET_ASIDE_BYTES or ctype.startswith((b"multipart/", b"message/")):
        out.append(data[start:end])
        return
    if ctype.startswith(b"text/"):
        limit = body_start + MAX_TEXT_PART_BYTES
        cut = data.rfind(b"\n", body_start, limit) + 1 or limit
        result.notes.append(f"parse: a {ctype.decode('ascii', 'replace')} part of {end - body_start:,} bytes "
                            f"cut to its first {cut - body_start:,} before decoding")
        out.append(data[start:cut])
        return
    key = f"{result.token}-{len(result.bodies)}"
    result.bodies[key] = memoryview(data)[body_start:_without_last_newline(data, body_start, end)]
    newline = b"\r\n" if data.startswith(b"\r\n", header_end) else b"\n"
    out.append(data[start:header_end] + newline + f"{HEADER}: {key}".encode() + newline + newline)


def _multipart(data: bytes, start: int, end: int, boundary: bytes, depth: int, out: list,
               result: SetAside) -> None:
    """The body of a multipart: preamble, each part between delimiter lines, epilogue."""
    delimiter = b"\n--" + boundary
    position = _delimiter(data, delimiter, start - 1, end)  # the delimiter may open the body
    if position < 0:
        out.append(data[start:end])
        return
    out.append(data[start:position + 1])
    while position >= 0:
        line_end = data.find(b"\n", position + 1, end)
        line_end = end if line_end < 0 else line_end + 1
        out.append(data[position + 1:line_end])
        if data.startswith(b"--", position + len(delimiter)):  # the close delimiter: the epilogue follows
            out.append(data[line_end:end])
            return
        following = _delimiter(data, delimiter, line_end - 1, end)
        part_end = end if following < 0 else following + 1
        if part_end > line_end:
            _entity(data, line_end, part_end, depth + 1, out, result)
        position = following


def _delimiter(data: bytes, delimiter: bytes, start: int, end: int) -> int:
    """The next line that is exactly the delimiter, or the close delimiter, with only blanks after it.

    As the standard library's parser reads it: "--abc" does not end a part at a line "--abcdef".
    """
    position = data.find(delimiter, start, end)
    while position >= 0:
        line_end = data.find(b"\n", position + 1, end)
        rest = data[position + len(delimiter):end if line_end < 0 else line_end].rstrip(b"\r").rstrip(b" \t")
        if rest in (b"", b"--"):
            return position
        position = data.find(delimiter, position + 1, end)
    return -1


def _without_last_newline(data: bytes, start: int, end: int) -> int:
    # The newline before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    if end - start >= 2 and data[end - 2:end] == b"\r\n":
        return end - 2
    if end > start and data[end - 1:end] == b"\n":
        return end - 1
    return end
