"""Hostile messages, built at any size: the attacks of issue 14.

Used by `bench/hostile.py` (at the sizes the issue gives) and by the test
suite (`tests/test_hostile.py`, at sizes that run in a moment).  Each
builder writes one message to a binary file object, so a 270 MB message is
never held in memory by whoever builds it.  `scale` is 1.0 for the size in
the issue.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import BinaryIO, Callable

SENDER = "Jane Customer <jane@example.com>"
SENDER_ADDRESS = "jane@example.com"
SUBJECT = "Where is my order 10492?"
MB = 1_000_000


def _head(extra: str = "", *, subject: str = SUBJECT, sender: str = SENDER, date: str | None = None,
          content_type: str = "text/plain; charset=utf-8") -> bytes:
    date = date or "Mon, 02 Nov 2026 10:02:11 +0100"
    lines = [f"From: {sender}", "To: support@keysme.example", f"Subject: {subject}", f"Date: {date}",
             "Message-ID: <hostile-1@example.com>", "MIME-Version: 1.0", f"Content-Type: {content_type}"]
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


BODY = b"Hello, my order 10492 has not arrived yet. Could you tell me where it is?\r\n\r\nThanks,\r\nJane\r\n"


def encoded_words_subject(out: BinaryIO, scale: float) -> None:
    """A Subject of tens of thousands of RFC 2047 encoded words (5 MB): decode_header is quadratic in them."""
    word = "=?utf-8?q?Wo_ist_meine_Bestellung_M=C3=BCller?="
    count = int(5 * MB * scale) // (len(word) + 3)
    subject = SUBJECT + "\r\n " + "\r\n ".join([word] * count)
    out.write(_head(subject=subject) + BODY)


def many_encoded_headers(out: BinaryIO, scale: float) -> None:
    """2,500 header fields (20 MB), each 8 KB of RFC 2047 encoded words: every one is under the per-header cut."""
    word = "=?utf-8?q?Wo_ist_meine_Bestellung_M=C3=BCller?="
    field = "X-Note: " + "\r\n ".join([word] * (8_000 // (len(word) + 3)))
    out.write(_head("\r\n".join([field] * int(2_500 * scale))) + BODY)


def huge_to_header(out: BinaryIO, scale: float) -> None:
    """A To header of 5 MB of addresses."""
    count = int(5 * MB * scale) // 30
    to = ",\r\n ".join(f"someone{i:07d}@example.org" for i in range(count))
    out.write(_head().replace(b"To: support@keysme.example", b"To: support@keysme.example, " + to.encode()) + BODY)


def quoted_from_name(out: BinaryIO, scale: float) -> None:
    """A From display name of 1 MB in quotes: the strict address parser takes 25 s on it."""
    name = "Jane " + "x" * int(MB * scale)
    out.write(_head(sender=f'"{name}" <{SENDER_ADDRESS}>') + BODY)


def rfc2231_parameters(out: BinaryIO, scale: float) -> None:
    """50,000 RFC 2231 continuation parameters on an attachment's Content-Disposition and Content-Type."""
    count = int(50_000 * scale)
    params = "".join(f";\r\n filename*{i}*=%41" for i in range(count))
    boundary = "b-2231"
    out.write(_head(content_type=f'multipart/mixed; boundary="{boundary}"'))
    out.write(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    out.write(f"--{boundary}\r\nContent-Type: image/jpeg{params.replace('filename', 'name')}\r\n"
              f"Content-Disposition: attachment{params}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode())
    out.write(base64.encodebytes(_jpeg(40_000)) + f"--{boundary}--\r\n".encode())


def big_text_body(out: BinaryIO, scale: float) -> None:
    """A 6 MB plain-text body of ordinary prose (17 s before the limits)."""
    sentence = ("I ordered a set of keycaps on 3 November and paid 89.50 EUR; the parcel has not come and "
                "the tracking page says nothing. Please check it for me, thank you. ")
    out.write(_head() + BODY)
    target, written = int(6 * MB * scale), 0
    line = (sentence * 3).encode() + b"\r\n"
    while written < target:
        out.write(line)
        written += len(line)


def big_html_body(out: BinaryIO, scale: float) -> None:
    """A 6 MB HTML-only body of nested markup and prose: lxml and inscriptis read whatever they are given."""
    out.write(_head(content_type="text/html; charset=utf-8") + b"<html><body><p>Hello, my order 10492 has not "
              b"arrived yet. Could you tell me where it is?</p><p>Thanks, Jane</p>")
    block = (b"<div><table><tr><td><span>I ordered keycaps on 3 November; the parcel has not come.</span></td>"
             b"<td><b>89.50 EUR</b></td></tr></table></div>\r\n")
    target, written = int(6 * MB * scale), 0
    while written < target:
        out.write(block)
        written += len(block)
    out.write(b"</body></html>\r\n")


def many_parts(out: BinaryIO, scale: float) -> None:
    """20,000 small MIME parts, each a tiny image: every part costs a walk, a type guess and a trace line."""
    count = int(20_000 * scale)
    boundary = "b-many"
    out.write(_head(content_type=f'multipart/mixed; boundary="{boundary}"'))
    out.write(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    part = (f"--{boundary}\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"p.png\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n").encode()
    out.write(part * count + f"--{boundary}--\r\n".encode())


def many_order_numbers(out: BinaryIO, scale: float) -> None:
    """1.5 MB of body with 100,000 order-like numbers (all 100,000 came back in the result)."""
    count = int(100_000 * scale)
    out.write(_head() + b"My orders are: ")
    out.write(", ".join(f"order #{100000 + i}" for i in range(count)).encode() + b"\r\n")


def base64_zeros(out: BinaryIO, scale: float) -> None:
    """A base64 part that decodes to 200 MB of zeros (2.4 GB of memory before the limits)."""
    _big_attachment(out, int(200 * MB * scale), b"\0")


def big_attachment(out: BinaryIO, scale: float) -> None:
    """A 60 MB attachment (640 MB of memory before the limits)."""
    _big_attachment(out, int(60 * MB * scale), None)


def attachment_at_limit(out: BinaryIO, scale: float) -> None:
    """The largest photo the default size limit (25 MiB) lets through: about 18 MB decoded."""
    _big_attachment(out, int(18 * MB * scale), None)


def _big_attachment(out: BinaryIO, size: int, fill: bytes | None) -> None:
    boundary = "b-big"
    out.write(_head(content_type=f'multipart/mixed; boundary="{boundary}"'))
    out.write(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    out.write(f"--{boundary}\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; "
              f'filename="IMG_0001.JPG"\r\nContent-Transfer-Encoding: base64\r\n\r\n'.encode())
    chunk = 57 * 1024 * 16  # a multiple of 57 bytes: 76-character base64 lines with no short line between chunks
    header = _jpeg(0)
    pattern = (fill * chunk) if fill else os.urandom(chunk)
    left, first = size, True
    while left > 0:
        data = pattern[:min(chunk, left)]
        if first:
            data, first = (header + data)[:len(data)], False
        out.write(base64.encodebytes(data).replace(b"\n", b"\r\n"))
        left -= len(data)
    out.write(f"\r\n--{boundary}--\r\n".encode())


def big_delivery_report(out: BinaryIO, scale: float) -> None:
    """A 24 MB multipart/report: the deliver stage reads delivery reports for bounces of its own."""
    boundary = "b-report"
    out.write(_head(content_type=f'multipart/report; report-type=delivery-status; boundary="{boundary}"'))
    out.write(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    out.write(f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com"
              f"\r\n\r\nFinal-Recipient: rfc822; someone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
              .encode())
    out.write(f"--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n".encode())
    _big_attachment(out, int(17 * MB * scale), None)
    out.write(f"\r\n--{boundary}--\r\n".encode())


def date_8bit(out: BinaryIO, scale: float) -> None:
    """An 8-bit byte in the Date header (`'Header' object has no attribute 'strip'`)."""
    out.write(_head().replace(b"Date: Mon, 02 Nov 2026", b"Date: Mon, 02 Nov 2026 \xff\xfe") + BODY)


def forwarded_unknown_charset(out: BinaryIO, scale: float) -> None:
    """An unknown charset inside a forwarded message (LookupError)."""
    boundary = "b-fwd"
    out.write(_head(content_type=f'multipart/mixed; boundary="{boundary}"'))
    out.write(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    out.write(f"--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n"
              "From: =?x-no-such-charset?q?Shop?= <shop@example.net>\r\n"
              "Subject: =?x-no-such-charset?q?Your_order?=\r\n"
              "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
              "Your order 10492 has shipped.\r\n"
              f"--{boundary}--\r\n".encode())


def date_overflow(out: BinaryIO, scale: float) -> None:
    """A Date offset of +99999999999999999999 (OverflowError)."""
    out.write(_head(date="Mon, 02 Nov 2026 10:02:11 +99999999999999999999") + BODY)


def nested_multiparts(out: BinaryIO, scale: float) -> None:
    """About 1,000 nested multiparts (RecursionError)."""
    depth = max(2, int(1000 * scale))
    out.write(_head(content_type='multipart/mixed; boundary="n0"'))
    for level in range(1, depth):
        out.write(f"--n{level - 1}\r\nContent-Type: multipart/mixed; boundary=\"n{level}\"\r\n\r\n".encode())
    out.write(f"--n{depth - 1}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".encode() + BODY)
    for level in reversed(range(depth)):
        out.write(f"--n{level}--\r\n".encode())


def to_recursion(out: BinaryIO, scale: float) -> None:
    """A long run of `d>(</p(</p...` in a To header: nested comments, RecursionError in both address parsers."""
    run = "d>" + "(</p" * max(10, int(3000 * scale))
    out.write(_head().replace(b"To: support@keysme.example", f"To: {run}".encode()) + BODY)


def many_references(out: BinaryIO, scale: float) -> None:
    """A References header of 300,000 Message-IDs ("too many SQL variables" in the store)."""
    count = int(300_000 * scale)
    refs = "\r\n ".join(f"<thread-{i}@example.com>" for i in range(count))
    out.write(_head(f"References: {refs}\r\nIn-Reply-To: <thread-{count - 1}@example.com>") + BODY)


def comma_in_encoded_name(out: BinaryIO, scale: float) -> None:
    """`"Müller, Jörg"` as Python writes it: an encoded word with a comma, read before as two addresses."""
    out.write(_head(sender="=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <joerg@example.de>") + BODY)


def address_in_encoded_name(out: BinaryIO, scale: float) -> None:
    """An encoded word that decodes to an address: `ann@evil.com` posing as the sender."""
    out.write(_head(sender="=?utf-8?q?ann=40evil.com?= <ann@example.com>") + BODY)


def _jpeg(size: int) -> bytes:
    """A JPEG header (SOI, JFIF, a 4032x3024 frame) padded to `size` bytes."""
    header = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
              b"\xff\xc0\x00\x11\x08\x0b\xd0\x0f\xc0\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    return header + bytes(max(0, size - len(header)))


@dataclass(frozen=True)
class Attack:
    name: str
    build: Callable[[BinaryIO, float], None]
    test_scale: float  # small enough for the test suite, big enough to show the behaviour
    sender: str = SENDER_ADDRESS  # what the result's "from" must be
    subject: str = SUBJECT


ATTACKS = [
    Attack("encoded-words-subject", encoded_words_subject, 0.02),
    Attack("huge-to-header", huge_to_header, 0.02),
    Attack("many-encoded-headers", many_encoded_headers, 0.2),
    Attack("quoted-from-name", quoted_from_name, 0.05),
    Attack("rfc2231-parameters", rfc2231_parameters, 0.05),
    Attack("big-text-body", big_text_body, 0.1),
    Attack("many-order-numbers", many_order_numbers, 0.05),
    Attack("big-html-body", big_html_body, 0.05),
    Attack("many-parts", many_parts, 0.02),
    Attack("base64-zeros", base64_zeros, 0.0),  # the suite builds its own, over a small size limit
    Attack("big-attachment", big_attachment, 0.0),
    Attack("attachment-at-limit", attachment_at_limit, 0.01),
    Attack("big-delivery-report", big_delivery_report, 0.01),
    Attack("date-8bit", date_8bit, 1.0),
    Attack("forwarded-unknown-charset", forwarded_unknown_charset, 1.0),
    Attack("date-overflow", date_overflow, 1.0),
    Attack("nested-multiparts", nested_multiparts, 1.0),
    Attack("to-recursion", to_recursion, 1.0),
    Attack("many-references", many_references, 0.02),
    Attack("comma-in-encoded-name", comma_in_encoded_name, 1.0, sender="joerg@example.de"),
    Attack("address-in-encoded-name", address_in_encoded_name, 1.0, sender="ann@example.com"),
]
BY_NAME = {a.name: a for a in ATTACKS}


def build_bytes(attack: Attack, scale: float) -> bytes:
    import io

    buffer = io.BytesIO()
    attack.build(buffer, scale)
    return buffer.getvalue()
