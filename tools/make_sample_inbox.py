#!/usr/bin/env python3
"""Write the bundled sample mailbox: examples/inbox/ (a Maildir) and examples/expected.csv.

    python tools/make_sample_inbox.py

Rewrites every file in examples/inbox/cur/ and rewrites examples/expected.csv from the
labels kept next to each message below, so the sample and its expected triage can never
drift apart. Standard library only; the output is byte-for-byte the same on every run
(fixed dates, fixed Message-IDs, fixed MIME boundaries, images drawn from a seeded PRNG).

The orders these mails talk about are in examples/orders.csv (written by hand, not by
this script). expected.csv lists every order number a mail contains (Subject, body and
quoted text), in order of first appearance, Subject first; it lists none that are not
order numbers (postcodes, ticket and suite numbers). The expected actions follow the rule set in DESIGN.md; where a mail is a
deliberate trap for an extractor or a rule (a ZIP code that looks like an order number,
a helpdesk ticket number, "opened" in a defect report...), a comment says so.
"""

from __future__ import annotations

import csv
import io
import math
import random
import struct
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage, Message, MIMEPart
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
INBOX = ROOT / "examples" / "inbox"
EXPECTED = ROOT / "examples" / "expected.csv"

SUPPORT = "Keysme Support <support@keysme.com>"

INTENTS = {
    "order_status", "cancel_order", "modify_order", "return_request", "exchange_request",
    "defective_item", "wrong_item", "refund_status", "product_question", "other", "automated",
}
ACTIONS = {
    "request_info", "acknowledge_defect_claim", "decline_late_report", "return_instructions",
    "decline_personalized", "decline_final_sale", "decline_opened_item",
    "cancel_confirm_pending", "cancel_too_late", "refund_status_info", "order_status_info",
    "answer_question", "escalate_human", "no_reply",
}
MISSING = {"order_number", "photos", "tracking_number", "reason"}
# The languages the store writes replies in (issue 13): a customer writing one of them is answered
# in it; anyone else in English, opened by one line in their own language.
REPLY_LANGUAGES = {"en", "de", "fr", "es", "it", "nl"}


# --------------------------------------------------------------------------- images
# Real, decodable image bytes, so MIME parsers, magic-number sniffers and size
# heuristics all see what they would see in a real inbox. Photos are a few tens of KB
# (noise does not compress); the signature logo is under 1 KB.

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type None
        for x in range(width):
            raw.extend(pixel(x, y))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _png_chunk(b"IEND", b"")
    )


_ZIGZAG = sorted(
    ((r, c) for r in range(8) for c in range(8)),
    key=lambda p: (p[0] + p[1], p[0] if (p[0] + p[1]) % 2 else -p[0]),
)
_Q_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
_Q_CHROMA = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
] + [99] * 32
_DCT = [
    [(math.sqrt(0.5) if u == 0 else 1.0) / 2 * math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)]
    for u in range(8)
]
# Fixed-length Huffman codes (4 bits for the 12 DC categories, 8 bits for the 162 AC
# run/size symbols) are valid JPEG tables and keep this encoder short.
_DC_SYMBOLS = list(range(12))
_AC_SYMBOLS = [0x00, 0xF0] + [(run << 4) | size for run in range(16) for size in range(1, 11)]
_DC_CODE = {s: (i, 4) for i, s in enumerate(_DC_SYMBOLS)}
_AC_CODE = {s: (i, 8) for i, s in enumerate(_AC_SYMBOLS)}


def _scaled(table: list[int], quality: int) -> list[int]:
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return [min(255, max(1, (q * scale + 50) // 100)) for q in table]


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def write(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0x00)  # byte stuffing
        self.acc &= (1 << self.n) - 1

    def flush(self) -> bytes:
        if self.n:
            self.write((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with 1-bits
        return bytes(self.out)


def _magnitude(v: int) -> tuple[int, int]:
    size = abs(v).bit_length()
    return size, (v if v >= 0 else v + (1 << size) - 1)


def jpeg_bytes(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]],
               quality: int = 88) -> bytes:
    """Baseline JFIF, YCbCr 4:4:4; width and height must be multiples of 8."""
    assert width % 8 == 0 and height % 8 == 0
    planes = [[[0.0] * width for _ in range(height)] for _ in range(3)]
    for y in range(height):
        for x in range(width):
            r, g, b = pixel(x, y)
            planes[0][y][x] = 0.299 * r + 0.587 * g + 0.114 * b - 128
            planes[1][y][x] = -0.168736 * r - 0.331264 * g + 0.5 * b
            planes[2][y][x] = 0.5 * r - 0.418688 * g - 0.081312 * b
    qtabs = [_scaled(_Q_LUMA, quality), _scaled(_Q_CHROMA, quality)]
    bits = _BitWriter()
    prev_dc = [0, 0, 0]
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            for comp in range(3):
                plane = planes[comp]
                block = [plane[by + i][bx:bx + 8] for i in range(8)]
                rows = [[sum(_DCT[v][x] * block[i][x] for x in range(8)) for v in range(8)] for i in range(8)]
                coef = [[sum(_DCT[u][i] * rows[i][v] for i in range(8)) for v in range(8)] for u in range(8)]
                q = qtabs[0 if comp == 0 else 1]
                zz = [int(round(coef[r][c] / q[r * 8 + c])) for r, c in _ZIGZAG]
                diff = zz[0] - prev_dc[comp]
                prev_dc[comp] = zz[0]
                size, mag = _magnitude(diff)
                bits.write(*_DC_CODE[size])
                if size:
                    bits.write(mag, size)
                run = 0
                last = max((k for k in range(1, 64) if zz[k]), default=0)
                for k in range(1, last + 1):
                    if zz[k] == 0:
                        run += 1
                        continue
                    while run > 15:
                        bits.write(*_AC_CODE[0xF0])
                        run -= 16
                    size, mag = _magnitude(zz[k])
                    bits.write(*_AC_CODE[(run << 4) | size])
                    bits.write(mag, size)
                    run = 0
                if last < 63:
                    bits.write(*_AC_CODE[0x00])
    scan = bits.flush()

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", marker, len(payload) + 2) + payload

    def dht(cls_id: int, symbols: list[int], length: int) -> bytes:
        counts = [0] * 16
        counts[length - 1] = len(symbols)
        return bytes([cls_id]) + bytes(counts) + bytes(symbols)

    return b"".join([
        b"\xff\xd8",
        segment(0xFFE0, b"JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x00\x00"),
        segment(0xFFDB, b"".join(bytes([i]) + bytes(t[r * 8 + c] for r, c in _ZIGZAG)
                                 for i, t in enumerate(qtabs))),
        segment(0xFFC0, struct.pack(">BHHB", 8, height, width, 3)
                + bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1])),
        segment(0xFFC4, dht(0x00, _DC_SYMBOLS, 4) + dht(0x10, _AC_SYMBOLS, 8)),
        segment(0xFFDA, bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])),
        scan,
        b"\xff\xd9",
    ])


def photo(seed: int, keycap: tuple[int, int, int], *, crack: bool = False,
          desk: tuple[int, int, int] = (150, 120, 90)) -> Callable[[int, int], tuple[int, int, int]]:
    """A phone-photo-ish scene: a desk, a row of keycaps, sensor noise, maybe a crack."""
    rng = random.Random(seed)
    noise = [rng.randint(-9, 9) for _ in range(4096)]

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        shade = (x + y) * 0.12
        r, g, b = (c - shade for c in desk)
        kx, ky = (x - 20) % 56, y - 70
        if 0 <= ky < 80 and x >= 20 and kx < 48:
            top = 8 <= kx < 40 and 6 <= ky < 62
            r, g, b = (c + (25 if top else 0) - ky * 0.3 for c in keycap)
            if crack and 120 < x < 190 and abs((y - 80) - (x - 120) * 0.45) < 1.6:
                r, g, b = 40, 35, 30
        n = noise[(x * 31 + y * 17 + seed) % 4096]
        return tuple(max(0, min(255, int(c + n))) for c in (r, g, b))  # type: ignore[return-value]

    return pixel


def logo(x: int, y: int) -> tuple[int, int, int]:
    if 4 <= x < 32 and 4 <= y < 32:
        return (0, 94, 170)
    if 40 <= x < 116 and 12 <= y < 24:
        return (60, 60, 60)
    return (255, 255, 255)


def pdf_bytes(lines: list[str]) -> bytes:
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    ) + " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------- helpers

def tz(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


@dataclass(frozen=True)
class Sample:
    date: datetime
    build: Callable[[datetime], Message]
    intent: str
    action: str
    missing: tuple[str, ...]
    orders: tuple[str, ...]
    language: str = "en"  # the customer's language, as the message is written

    @property
    def reply_language(self) -> str:
        """The language of the reply this message should get; "" for none (no_reply, and automated
        mail handed to a person: nobody answers a machine)."""
        if self.action == "no_reply" or self.intent == "automated":
            return ""
        return self.language if self.language in REPLY_LANGUAGES else "en"


Builder = Callable[[datetime], Message]
SAMPLES: list[Sample] = []


def sample(date: datetime, intent: str, action: str, missing: tuple[str, ...] = (),
           orders: tuple[str, ...] = (), language: str = "en") -> Callable[[Builder], Builder]:
    assert intent in INTENTS and action in ACTIONS and set(missing) <= MISSING, (intent, action, missing)

    def register(build: Builder) -> Builder:
        SAMPLES.append(Sample(date, build, intent, action, tuple(missing), tuple(orders), language))
        return build

    return register


def received(date: datetime, helo: str, ip: str, queue_id: str) -> str:
    arrived = (date + timedelta(seconds=3)).astimezone(timezone.utc)
    return (f"from {helo} ({helo} [{ip}]) by mx1.keysme.com (Postfix) with ESMTPS id {queue_id}"
            f" for <support@keysme.com>; {format_datetime(arrived)}")


def new_mail(*, sender: str, return_path: str, subject: str, date: datetime, message_id: str,
             helo: str, ip: str, queue_id: str, to: str = SUPPORT,
             headers: tuple[tuple[str, str], ...] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["Return-Path"] = return_path
    msg["Delivered-To"] = "support@keysme.com"
    msg["Received"] = received(date, helo, ip, queue_id)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    for name, value in headers:
        msg[name] = value
    msg["MIME-Version"] = "1.0"
    return msg


def part(content: str | bytes, maintype: str, subtype: str, **kwargs) -> MIMEPart:
    p = MIMEPart()
    if isinstance(content, str):
        p.set_content(content, subtype=subtype, **kwargs)
    else:
        p.set_content(content, maintype=maintype, subtype=subtype, **kwargs)
    return p


def finish(msg: Message, tag: str) -> None:
    """Fixed boundaries (the email package would pick random ones) and no MIME-Version
    on body parts (EmailMessage adds one to every part it creates; mail clients do not)."""
    multiparts = [m for m in msg.walk() if m.get_content_maintype() == "multipart"]
    for n, p in enumerate(multiparts):
        p.set_boundary(f"----=_Part_{tag}_{n}")
    for p in msg.walk():
        if p is not msg:
            del p["MIME-Version"]


# --------------------------------------------------------------------------- the mails
# Dates run from Mon 2 Nov to Wed 25 Nov 2026. Order data: examples/orders.csv.

D = datetime


@sample(D(2026, 11, 2, 6, 0, 0, tzinfo=tz(-5)), "automated", "no_reply")
def newsletter(date: datetime) -> Message:
    msg = new_mail(
        sender="Keeb Weekly <newsletter@keebweekly.com>",
        return_path="<bounces+212-7f3a9c@mail.keebweekly.com>",
        subject="Keeb Weekly #212: Cherry vs. OEM, new PBT drops, a $49 hot-swap",
        date=date, message_id="<212.7f3a9c.20261102110000@mail.keebweekly.com>",
        helo="o12.mail.keebweekly.com", ip="198.51.100.23", queue_id="4Qk1Zt0b3Lz1",
        to="support@keysme.com",
        headers=(
            ("List-Id", "Keeb Weekly <weekly.keebweekly.com>"),
            ("List-Unsubscribe", "<https://keebweekly.com/unsubscribe?u=7f3a9c&id=212>, "
                                 "<mailto:unsubscribe@keebweekly.com?subject=unsubscribe-7f3a9c>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "bulk"),
            ("X-Mailer", "Sendy 6.1"),
        ),
    )
    msg.set_content("""\
KEEB WEEKLY #212 - 2 November 2026

1. Cherry vs. OEM: we measured 14 keycap sets so you don't have to.
2. New PBT drops this week: Retro Beige is back, Matcha gets a 40% kit.
3. Budget pick: a 65% hot-swap board for $49 that doesn't rattle (mostly).
4. Reader build of the week: a KS68 with lubed linears and a brass plate.

Read online: https://keebweekly.com/issues/212

You are receiving this because support@keysme.com subscribed at keebweekly.com.
Unsubscribe: https://keebweekly.com/unsubscribe?u=7f3a9c&id=212
Keeb Weekly, 548 Market St #38112, San Francisco, CA 94104
""")
    msg.add_alternative("""\
<!DOCTYPE html>
<html><body style="font-family:Arial,sans-serif;background:#f4f4f4">
<table width="600" align="center" style="background:#fff"><tr><td style="padding:24px">
<h1 style="font-size:22px">Keeb Weekly #212</h1>
<p><b>1. Cherry vs. OEM</b>: we measured 14 keycap sets so you don&rsquo;t have to.</p>
<p><b>2. New PBT drops</b>: Retro Beige is back, Matcha gets a 40% kit.</p>
<p><b>3. Budget pick</b>: a 65% hot-swap board for $49 that doesn&rsquo;t rattle (mostly).</p>
<p><b>4. Reader build of the week</b>: a KS68 with lubed linears and a brass plate.</p>
<p><a href="https://keebweekly.com/issues/212">Read online</a></p>
<img src="https://keebweekly.com/o/212/7f3a9c.gif" width="1" height="1" alt="">
<p style="font-size:11px;color:#888">You are receiving this because support@keysme.com subscribed.
<a href="https://keebweekly.com/unsubscribe?u=7f3a9c&amp;id=212">Unsubscribe</a><br>
Keeb Weekly, 548 Market St #38112, San Francisco, CA 94104</p>
</td></tr></table></body></html>
""", subtype="html", cte="quoted-printable")
    return msg


# No order number anywhere; the ZIP code 78704 is five digits like an order number and
# must not be taken for one. The same order comes back as a PayPal dispute on 20 Nov.
# Tyler's only open order (10468) is found by his address: he gets its status.
@sample(D(2026, 11, 2, 18, 40, 12, tzinfo=tz(-5)), "order_status", "order_status_info")
def tyler_where_is_it(date: datetime) -> Message:
    msg = new_mail(
        sender="Tyler Brooks <tbrooks88@gmail.com>", return_path="<tbrooks88@gmail.com>",
        subject="where is my keyboard??", date=date,
        message_id="<CAJk2pW9xQ+3nR7vTq1_L8mZ0bY5sE4dGh2a=kF@mail.gmail.com>",
        helo="mail-yw1-f170.google.com", ip="209.85.128.170", queue_id="4Qk9Vd2mQKz7",
    )
    msg.set_content("""\
hey

i ordered a KS68 from you guys on oct 19 and paid $129 thru paypal. its been 2 weeks and i have NOTHING. the tracking link in the email doesnt show anything since it left china. i need it before thanksgiving, can someone tell me where it is??

my address is 2208 S Lamar Blvd Apt 4, Austin TX 78704 if that helps

Tyler
""", cte="8bit")
    return msg


@sample(D(2026, 11, 3, 8, 2, 44, tzinfo=tz(0)), "automated", "no_reply")
def ooo_auto_submitted(date: datetime) -> Message:
    msg = new_mail(
        sender="Sophie Turner <s.turner@btinternet.com>", return_path="<s.turner@btinternet.com>",
        subject="Automatic reply: Re: KS68 in white - back in stock?", date=date,
        message_id="<1917386224.2210457.1793692964512@btinternet.com>",
        helo="sa-prd-fep-045.btinternet.com", ip="203.0.113.45", queue_id="4QkB7s1TnZz2",
        headers=(
            ("In-Reply-To", "<ks-20261103-0801-st@keysme.com>"),
            ("References", "<CAB8e1-Tq0nE3kS@mail.gmail.com> <ks-20261103-0801-st@keysme.com>"),
            ("Auto-Submitted", "auto-replied"),
        ),
    )
    msg.set_content("""\
Thank you for your email. I am currently on annual leave with no access to email, returning on Monday 9 November.

For anything urgent please call 07700 900123.

Sophie
""")
    return msg


# Outlook desktop reply above an "-----Original Message-----" block. 10483 shipped on
# 3 Nov, the day before. The quoted confirmation holds prices and a French postcode.
@sample(D(2026, 11, 4, 21, 33, 5, tzinfo=tz(1)), "cancel_order", "cancel_too_late", orders=("10483",))
def pierre_cancel_shipped(date: datetime) -> Message:
    msg = new_mail(
        sender="Pierre Lambert <pierre.lambert@orange.fr>", return_path="<pierre.lambert@orange.fr>",
        subject="RE: Keysme - Order confirmation #10483", date=date,
        message_id="<000a01db4e2f$8c1d3a40$a457aec0$@orange.fr>",
        helo="smtp-out.orange.fr", ip="80.12.242.131", queue_id="4QkC0n3SgFz4",
        headers=(
            ("In-Reply-To", "<ks-order-10483-confirm@keysme.com>"),
            ("References", "<ks-order-10483-confirm@keysme.com>"),
            ("Thread-Topic", "Keysme - Order confirmation #10483"),
            ("Thread-Index", "AQHbTi+MsQ1oXk2nT0aJd8vB3c4l5w=="),
            ("X-Mailer", "Microsoft Outlook 16.0"),
            ("Content-Language", "fr"),
        ),
    )
    msg.set_content("""\
Hello,

Please cancel this order. I have found the same keycaps in a shop near my home and I dont need them anymore.
Order No. KS-10483

Thank you in advance for the confirmation.

Best regards
Pierre Lambert

-----Original Message-----
From: Keysme <support@keysme.com>
Sent: Sunday, November 1, 2026 8:15 PM
To: pierre.lambert@orange.fr
Subject: Keysme - Order confirmation #10483

Hi Pierre,

Thank you for your order! We are getting it ready and will email you the tracking number as soon as it ships (usually within 2 days).

Order #10483
1 x Retro Beige PBT Keycap Set (Cherry profile, ISO-FR)    49.90 EUR
1 x Coiled USB-C Aviator Cable - Black                     19.90 EUR
Shipping                                                    6.90 EUR
Total                                                      76.70 EUR

Shipping to:
Pierre Lambert
12 rue des Tanneurs
67000 Strasbourg
France

Keysme - custom keycaps & keyboards
https://keysme.com
""", cte="quoted-printable")
    return msg


# Delivered Mon 2 Nov ("arrived on Monday"), reported Thu 5 Nov: 3 days, in the window.
# "when I opened the box" is a defect report, not an opened-item return.
@sample(D(2026, 11, 5, 10, 2, 11, tzinfo=tz(1)), "defective_item", "acknowledge_defect_claim",
        orders=("10472",))
def joerg_cracked(date: datetime) -> Message:
    msg = new_mail(
        sender="Jörg Weber <joerg.weber@web.de>", return_path="<joerg.weber@web.de>",
        subject="keycaps arrived cracked", date=date,
        message_id="<trinity-3f8a2c1e-77b4-4c1d-9e52-0a1b2c3d4e5f-1793869331544@3c-app-webde-bap42>",
        helo="mout.web.de", ip="212.227.15.4", queue_id="4QkD2r5HxTz9",
        headers=(("X-UI-Message-Type", "mail"),),
    )
    msg.set_content("""\
Hello Keysme team,

my order #10472 arrived on Monday, but when I opened the box today 3 keycaps are cracked (the Enter key, the right Shift and one of the F keys). It looks like the box was pressed during transport, the plastic tray is broken also.
I attach 2 photos.

Can you please send me replacement for these keys? I do not want to return the whole set, the rest is fine.

Mit freundlichen Grüßen / Best regards
Jörg Weber
Bahnhofstr. 7
35037 Marburg
""", cte="quoted-printable")
    msg.add_attachment(jpeg_bytes(320, 240, photo(2031, (226, 214, 190), crack=True)),
                       maintype="image", subtype="jpeg", filename="IMG_2031.JPG")
    msg.add_attachment(jpeg_bytes(320, 240, photo(2032, (226, 214, 190), crack=True, desk=(110, 100, 95))),
                       maintype="image", subtype="jpeg", filename="IMG_2032.JPG")
    return msg


@sample(D(2026, 11, 5, 16, 47, 30, tzinfo=tz(-8)), "product_question", "answer_question")
def kenji_fit_question(date: datetime) -> Message:
    msg = new_mail(
        sender="Kenji Nakamura <kenji.nakamura@gmail.com>", return_path="<kenji.nakamura@gmail.com>",
        subject="Question about Retro Beige set - will it fit K8 / KS68?", date=date,
        message_id="<CAH4v8q1NsPz=Ym7Kd0wXr2TfB9eL3uQ5cZ@mail.gmail.com>",
        helo="mail-pl1-f178.google.com", ip="209.85.214.178", queue_id="4QkF1j6PwRz3",
    )
    text = """\
Hi there,

Before I order: will the Retro Beige PBT set (Cherry profile) fit a Keychron K8? It's the ISO-UK version, so I need the tall enter and the short left shift. And would the same set also work on your KS68 (65%)? Does it include the 1.75u right shift?

If it fits I'd like to get 2 sets (one for my brother). Is it still in stock at $54? And how long does shipping to Portland, OR 97205 usually take?

Thanks!
Kenji
"""
    msg.set_content(text)
    msg.add_alternative("""\
<div dir="ltr">Hi there,<div><br></div><div>Before I order: will the Retro Beige PBT set (Cherry profile) fit a Keychron K8? It&#39;s the ISO-UK version, so I need the tall enter and the short left shift. And would the same set also work on your KS68 (65%)? Does it include the 1.75u right shift?</div><div><br></div><div>If it fits I&#39;d like to get 2 sets (one for my brother). Is it still in stock at $54? And how long does shipping to Portland, OR 97205 usually take?</div><div><br></div><div>Thanks!</div><div>Kenji</div></div>
""", subtype="html")
    return msg


# ord#10487 shipped on 5 Nov, the day before: too late to change the colour.
@sample(D(2026, 11, 6, 11, 20, 9, tzinfo=tz(0)), "modify_order", "cancel_too_late", orders=("10487",))
def emma_change_colour(date: datetime) -> Message:
    msg = new_mail(
        sender="Emma Clarke <emma.clarke@yahoo.co.uk>", return_path="<emma.clarke@yahoo.co.uk>",
        subject="change colour??", date=date,
        message_id="<1204739221.1543902.1793963209871@mail.yahoo.com>",
        helo="sonic309-21.consmr.mail.ir2.yahoo.com", ip="77.238.176.151", queue_id="4QkG3b0YcMz5",
        headers=(("X-Mailer", "WebService/1.1.23187 YMailNorrin"),),
    )
    msg.set_content("""\
Hiya,
could I change the colour on ord#10487 from Milk Tea to Matcha please? Just saw the matcha one on insta and it goes way better with my desk setup 🙈 happy to pay the difference if there is one
ta, Emma

Sent from Yahoo Mail for iPhone
""")
    return msg


# A personalised keycap with a reason and "never used": personalised wins.
@sample(D(2026, 11, 7, 9, 5, 51, tzinfo=tz(1)), "return_request", "decline_personalized",
        orders=("10462",))
def giulia_return_custom(date: datetime) -> Message:
    msg = new_mail(
        sender="Giulia Bianchi <giulia.bianchi@libero.it>", return_path="<giulia.bianchi@libero.it>",
        subject="Reso tastino personalizzato / return custom keycap", date=date,
        message_id="<1412236589.2883.1794038751902@mail.libero.it>",
        helo="libero.it", ip="213.209.10.41", queue_id="4QkH5d2ZfNz6",
        headers=(("X-Mailer", "Libero Mail"),),
    )
    msg.set_content("""\
Good morning,

I want to return the custom keycap with the name LUCA from order 10462. I made it as a gift for my boyfriend but we are not together anymore so I dont need it, it is still in the box never used.
The other keycap set I keep, it is very nice.

Can you tell me how to send back and if I receive the 14,90 euro?

Thank you
Giulia Bianchi
Via Garibaldi 21, 10122 Torino
""", cte="8bit")
    return msg


# A bounce of one of our own replies: multipart/report, empty Return-Path. No
# Auto-Submitted header on purpose (many MTAs send none); the report type must do.
@sample(D(2026, 11, 8, 14, 12, 37, tzinfo=tz(1)), "automated", "no_reply")
def bounce(date: datetime) -> Message:
    report = MIMEMultipart("report", report_type="delivery-status")
    del report["MIME-Version"]
    for name, value in [
        ("Return-Path", "<>"),
        ("Delivered-To", "support@keysme.com"),
        ("Received", "by mail.keysme.com (Postfix) id 4QkJ7f3AgPz8; " + format_datetime(date)),
        ("From", "Mail Delivery System <MAILER-DAEMON@mail.keysme.com>"),
        ("To", "support@keysme.com"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("Date", format_datetime(date)),
        ("Message-ID", "<20261108131237.4QkJ7f3AgPz8@mail.keysme.com>"),
        ("MIME-Version", "1.0"),
    ]:
        report[name] = value
    # Content-Type was added first by MIMEMultipart; move it after MIME-Version.
    ctype = report["Content-Type"]
    del report["Content-Type"]
    report["Content-Type"] = ctype

    notice = MIMEText("""\
This is the mail system at host mail.keysme.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<klaus.mueller@gmx.dee>: Host or domain name not found. Name service error for
    name=gmx.dee type=A: Host not found
""", "plain", "us-ascii")
    notice["Content-Description"] = "Notification"

    status = MIMEBase("message", "delivery-status")
    status["Content-Description"] = "Delivery report"
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mail.keysme.com"
    per_message["X-Postfix-Queue-ID"] = "4QkJ6b1ZrTz7"
    per_message["X-Postfix-Sender"] = "rfc822; support@keysme.com"
    per_message["Arrival-Date"] = "Sun,  8 Nov 2026 14:12:35 +0100 (CET)"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = "rfc822; klaus.mueller@gmx.dee"
    per_recipient["Original-Recipient"] = "rfc822;klaus.mueller@gmx.dee"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = "5.4.4"
    per_recipient["Diagnostic-Code"] = "X-Postfix; Host or domain name not found. Name service error for name=gmx.dee type=A: Host not found"
    status.attach(per_message)
    status.attach(per_recipient)

    headers = MIMEText("""\
Return-Path: <support@keysme.com>
Received: from app1.keysme.com (app1.keysme.com [10.0.0.12])
	by mail.keysme.com (Postfix) with ESMTP id 4QkJ6b1ZrTz7
	for <klaus.mueller@gmx.dee>; Sun,  8 Nov 2026 14:12:35 +0100 (CET)
From: Keysme Support <support@keysme.com>
To: Klaus Mueller <klaus.mueller@gmx.dee>
Subject: Re: Wrong switches in my KS68?
Date: Sun, 08 Nov 2026 14:12:34 +0100
Message-ID: <ks-20261108-1412-km@keysme.com>
In-Reply-To: <trinity-6d0e1f2a-9b8c-4d7e-a6f5-1c2b3a4d5e6f-1794140822011@3c-app-gmx-bs37>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
""", "rfc822-headers", "us-ascii")
    headers["Content-Description"] = "Undelivered Message Headers"

    for p in (notice, status, headers):
        del p["MIME-Version"]
        report.attach(p)
    return report


# Chose ANSI by mistake and wants ISO-FR: a non-quality exchange, not a wrong item.
# "still closed ... I did not open it" must not read as an opened item.
@sample(D(2026, 11, 9, 8, 30, 14, tzinfo=tz(1)), "exchange_request", "return_instructions",
        orders=("10479",))
def camille_exchange(date: datetime) -> Message:
    msg = new_mail(
        sender="Camille Martin <camille.martin@orange.fr>", return_path="<camille.martin@orange.fr>",
        subject="Echange clavier ANSI -> ISO-FR", date=date,
        message_id="<1793177414822.48213.camille.martin@orange.fr>",
        helo="smtp.smtpout.orange.fr", ip="80.12.242.15", queue_id="4QkK1m4BhQz1",
        headers=(("X-Originating-IP", "[90.43.112.7]"),),
    )
    msg.set_content("""\
Bonjour,

My order number is 10479, I received it saturday. It is the Retro Beige keycaps set. I made a mistake when I ordered, I chose ANSI but my keyboard is AZERTY (ISO-FR) so the keys Enter and Shift does not fit.
The box is still closed with the plastic, I did not open it.

Is it possible to exchange for the ISO-FR version? I can pay the shipping.

Merci beaucoup,
Camille Martin
06 12 34 56 78
""", cte="quoted-printable")
    return msg


# Gmail reply quoting our "return received" mail of 27 Oct.
@sample(D(2026, 11, 10, 19, 55, 40, tzinfo=tz(0)), "refund_status", "refund_status_info",
        orders=("10451",))
def oliver_refund_reply(date: datetime) -> Message:
    msg = new_mail(
        sender="Oliver Bennett <oli.bennett@gmail.com>", return_path="<oli.bennett@gmail.com>",
        subject="Re: Return received - order #10451", date=date,
        message_id="<CAMq7Lw0_3bV9nZ8sXk2YpR4tHd6fGj1eA@mail.gmail.com>",
        helo="mail-wm1-f52.google.com", ip="209.85.128.52", queue_id="4QkL3p6CjSz2",
        headers=(
            ("In-Reply-To", "<ks-20261027-ret-10451@keysme.com>"),
            ("References", "<ks-20261027-ret-10451@keysme.com>"),
        ),
    )
    msg.set_content("""\
Hi,

It's now been 2 weeks since your email below and there is still nothing on my PayPal. You said 7 business days. Can you check what's going on with the refund for order 10451 please?

Cheers,
Oliver

On Tue, 27 Oct 2026 at 10:14, Keysme Support <support@keysme.com> wrote:
> Hi Oliver,
>
> Good news: your return for order #10451 arrived at our warehouse today.
> Your refund of 64.99 GBP will be issued to your original payment method
> within 7 business days.
>
> Best regards,
> Keysme Support
""", cte="8bit")
    return msg


# Another company's helpdesk acknowledging a mail we sent. "ticket #48213" is a
# five-digit number after "#" and must not be taken for an order number.
@sample(D(2026, 11, 11, 14, 45, 2, tzinfo=tz(8)), "automated", "no_reply")
def helpdesk_ack(date: datetime) -> Message:
    msg = new_mail(
        sender="Switchcraft Supply Support <support@switchcraft-supply.com>",
        return_path="<support@switchcraft-supply.com>",
        subject="[Ticket #48213] We received your request: Re: Restock of Gateron Yellow switches",
        date=date, message_id="<48213.1794466702.a8f3c@helpdesk.switchcraft-supply.com>",
        helo="mail.switchcraft-supply.com", ip="203.0.113.88", queue_id="4QkM5r0DkTz3",
        headers=(("Reply-To", "Switchcraft Supply Support <support+id48213@switchcraft-supply.com>"),),
    )
    msg.set_content("""\
Dear customer,

We received your request, ticket #48213 has been created. Our team will get back to you within 1-2 business days.

Subject: Re: Restock of Gateron Yellow switches
Status: Open

To add more information, simply reply to this email. Please do not change the subject line.

Switchcraft Supply Co., Ltd.
Customer Service Team
This is an automated message.
""")
    return msg


# Delivered 31 Oct, reported 12 Nov: 12 days, outside the 7-day window, although the
# mail is otherwise complete (order number, photo).
@sample(D(2026, 11, 12, 13, 2, 27, tzinfo=tz(1)), "defective_item", "decline_late_report",
        orders=("10455",))
def lukas_late_defect(date: datetime) -> Message:
    msg = new_mail(
        sender="Lukas Brenner <lukas.brenner@gmx.de>", return_path="<lukas.brenner@gmx.de>",
        subject="K8 keyboard - keys not working", date=date,
        message_id="<trinity-8e2b7c4d-1a3f-4b6e-9d5c-7f8e9a0b1c2d@3c-app-gmx-bs21>",
        helo="mout.gmx.net", ip="212.227.17.21", queue_id="4QkN7t2FmVz4",
    )
    msg.set_content("""\
Hallo,

I have a problem with my K8 keyboard, Order No. KS-10455. Since last week the keys E and R are doing double typing (chattering), when I press E once I get "ee". I tried already other switches from the hot swap, then the problem is gone, so I think the switches are broken. Photo of the keyboard is attached.

The keyboard was delivered end of October. Can you send me 2 new switches or a new keyboard?

Lukas Brenner
Leopoldstr. 112
80802 München
Tel. +49 171 2345678
""", cte="quoted-printable")
    msg.add_attachment(jpeg_bytes(320, 240, photo(4410, (40, 40, 44), desk=(170, 150, 120))),
                       maintype="image", subtype="jpeg", filename="IMG_4410.JPG")
    return msg


# Short and angry, from a phone: no order number, no photo. "money back" does not make
# it a return; the defect is what the store must act on. His only delivered order
# (10485) is found by his address, so only photos are asked for.
@sample(D(2026, 11, 13, 22, 10, 45, tzinfo=tz(-5)), "defective_item", "request_info",
        ("photos",))
def jake_broke(date: datetime) -> Message:
    msg = new_mail(
        sender="Jake Miller <jmiller@icloud.com>", return_path="<jmiller@icloud.com>",
        subject="keyboard broke", date=date,
        message_id="<6F1C2B9A-3D4E-4F5A-8B7C-9D0E1F2A3B4C@icloud.com>",
        helo="st43p00im-ztfb10061701.me.com", ip="17.58.63.176", queue_id="4QkP0w4GnWz5",
        headers=(("X-Mailer", "iPhone Mail (22B91)"),),
    )
    msg.set_content("""\
your keyboard stopped working after 2 days. half the keys dont do anything. absolute garbage. i want my money back

Sent from my iPhone
""", cte="quoted-printable")
    return msg


# Complete wrong-item claim: order number, photo, UPS tracking number, 2 days after
# delivery. "I didn't open the inner bag" is no opened-item return.
@sample(D(2026, 11, 14, 10, 30, 2, tzinfo=tz(1)), "wrong_item", "acknowledge_defect_claim",
        orders=("10490",))
def daan_wrong_colour(date: datetime) -> Message:
    msg = new_mail(
        sender="Daan de Vries <daan.devries@gmail.com>", return_path="<daan.devries@gmail.com>",
        subject="Wrong colour received (order #10490)", date=date,
        message_id="<CAK9pD2m+Vh1Qe5ZtN4bW7xR0sJ3uYf8Lg@mail.gmail.com>",
        helo="mail-ej1-f44.google.com", ip="209.85.218.44", queue_id="4QkQ2y6HpXz6",
    )
    msg.set_content("""\
Hello,

I ordered the Botanical Green PBT keycap set (order #10490) but I received a pink set (I think it's the Sakura one?). The package arrived 2 days ago with UPS, tracking number 1Z999AA10123456784. I didn't open the inner bag, see photo of the label on the box and the keycaps.

Please send me the green one, I can send the pink set back.

Kind regards,
Daan de Vries
+31 6 12345678
""")
    msg.add_attachment(jpeg_bytes(320, 240, photo(1114, (236, 170, 190))),
                       maintype="image", subtype="jpeg", filename="IMG_20261114_101502.jpg")
    return msg


# Thunderbird reply to our request for details: order number and photo now, but the
# customer has no tracking number. Quoted text is two levels deep.
@sample(D(2026, 11, 15, 20, 18, 33, tzinfo=tz(1)), "wrong_item", "request_info",
        ("tracking_number",), ("10492",))
def laura_wrong_layout_reply(date: datetime) -> Message:
    msg = new_mail(
        sender="Laura Schmidt <laura.schmidt@web.de>", return_path="<laura.schmidt@web.de>",
        subject="Re: Wrong keyboard layout", date=date,
        message_id="<a7c3e1f0-5b2d-4e8a-9c6f-3d1b7e0a2f45@web.de>",
        helo="mout.web.de", ip="212.227.15.3", queue_id="4QkR4a0JqYz7",
        headers=(
            ("In-Reply-To", "<ks-20261114-0912-ls@keysme.com>"),
            ("References", "<0b8f2d6e-1c4a-4f3b-8e7d-5a9c2b1e0f36@web.de> <ks-20261114-0912-ls@keysme.com>"),
            ("User-Agent", "Mozilla Thunderbird"),
            ("Content-Language", "de-DE"),
        ),
    )
    msg.set_content("""\
Hi,

here are the photos. My order is #10492. I ordered the KS68 with ISO-DE layout (with Ä Ö Ü) but I got the US layout, you can see on the photo the small Enter key and there is no <> key.
The tracking number I dont have anymore, I threw the box away already, sorry. But you should have it in your system?

Viele Grüße
Laura

On Sat, 14 Nov 2026 at 09:12, Keysme Support <support@keysme.com> wrote:
> Hi Laura,
>
> Sorry to hear that the keyboard is not what you ordered. So we can sort
> this out quickly, please reply with:
>
> - your order number
> - photos of the item you received
> - the tracking number printed on the parcel label
>
> Best regards,
> Keysme Support
>
> On Fri, 13 Nov 2026 at 21:40, Laura Schmidt <laura.schmidt@web.de> wrote:
>> Hello, I got the wrong keyboard, it has US layout. What can I do?
""")
    msg.add_attachment(png_bytes(240, 176, photo(1115, (30, 30, 34), desk=(200, 196, 190))),
                       maintype="image", subtype="png", filename="IMG_20261115_200912.png")
    return msg


# Out-of-office with no automated header at all: only the text gives it away.
@sample(D(2026, 11, 16, 9, 0, 4, tzinfo=tz(1)), "automated", "no_reply", language="de")
def ooo_plain(date: datetime) -> Message:
    msg = new_mail(
        sender="Matthias Keller <m.keller@keller-design.de>", return_path="<m.keller@keller-design.de>",
        subject="Re: Your custom keycap design proof", date=date,
        message_id="<5e1f0c7a2b3d4e6f8a9b0c1d2e3f4a5b@keller-design.de>",
        helo="mail.keller-design.de", ip="198.51.100.77", queue_id="4QkS6c2KrZz8",
        headers=(("In-Reply-To", "<ks-20261116-0859-mk@keysme.com>"),),
    )
    msg.set_content("""\
Guten Tag,

ich bin bis einschließlich 20.11.2026 nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an meine Kollegin Sandra Wolf, sandra.wolf@keller-design.de, Tel. +49 30 12345-678.

I am out of the office until 20 November 2026 with no access to email. For urgent matters please contact my colleague Sandra Wolf, sandra.wolf@keller-design.de, phone +49 30 12345-678.

Mit freundlichen Grüßen
Matthias Keller
""", cte="quoted-printable")
    return msg


# Clearance item marked "Final Sale" in the order data; the customer gives a reason.
@sample(D(2026, 11, 16, 15, 40, 18, tzinfo=tz(0)), "return_request", "decline_final_sale",
        orders=("10494",))
def harriet_final_sale(date: datetime) -> Message:
    msg = new_mail(
        sender="Harriet Cole <harriet.cole@yahoo.co.uk>", return_path="<harriet.cole@yahoo.co.uk>",
        subject="Return - Olivia keycaps", date=date,
        message_id="<839201745.3317542.1794411618220@mail.yahoo.com>",
        helo="sonic305-3.consmr.mail.ir2.yahoo.com", ip="77.238.177.145", queue_id="4QkT8e4LsBz9",
    )
    msg.set_content("""\
Hello,

I received my order #10494 on Saturday (the Olivia Cherry keycap set). Unfortunately the colours are much more pink in person than on your website photos, and they really don't go with my white board. They are unused and still in the bag.

Could I return them for a full refund please? It was £29.00.

Many thanks,
Harriet Cole
14 Mill Lane, Didsbury, Manchester M20 2AB
""", cte="8bit")
    return msg


# Two requests: a defect (order 10497, no photo or video yet) and the status of another
# order (10513). The defect is what the store must act on. Sent from a work address,
# not the one on the orders; the HTML signature carries a cid: logo that is no evidence.
# A defect claim on orders placed with another address goes to a person.
@sample(D(2026, 11, 17, 11, 11, 40, tzinfo=tz(1)), "defective_item", "escalate_human",
        (), ("10513", "10497"))
def stefan_spacebar(date: datetime) -> Message:
    msg = new_mail(
        sender="Stefan Huber | Huber IT-Service <s.huber@huber-it.at>", return_path="<s.huber@huber-it.at>",
        subject="K8 spacebar rattling + question about order 10513", date=date,
        message_id="<VI1PR08MB5327A1B2C3D4E5F6A7B8C9D0E1F2@VI1PR08MB5327.eurprd08.prod.outlook.com>",
        helo="EUR05-VI1-obe.outbound.protection.outlook.com", ip="40.107.21.90", queue_id="4QkV1g6MtCz1",
        headers=(
            ("Thread-Topic", "K8 spacebar rattling + question about order 10513"),
            ("Thread-Index", "AdtA3xK8vUq1m4nRS2aPf0c9XyZ7wQ=="),
            ("X-Mailer", "Microsoft Outlook 16.0"),
            ("Content-Language", "de-AT"),
        ),
    )
    msg.set_content("""\
Hello,

the K8 from my order 10497 arrived 3 days ago. The spacebar is rattling very loud and the stabilizer seems to be loose on the left side, also the "A" key sometimes does not register. I can record a short video if you need it.

Second question: my other order 10513 (Matcha keycaps) shows no tracking update since 16.11. Is it still coming?

Best regards
Stefan Huber

Huber IT-Service e.U.
Landstraße 45, 4020 Linz, Austria
Tel: +43 732 123456
""", cte="quoted-printable")
    msg.add_alternative("""\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body lang="DE-AT"><div class="WordSection1">
<p class="MsoNormal">Hello,</p>
<p class="MsoNormal">&nbsp;</p>
<p class="MsoNormal">the K8 from my order 10497 arrived 3 days ago. The spacebar is rattling very loud and the stabilizer seems to be loose on the left side, also the &quot;A&quot; key sometimes does not register. I can record a short video if you need it.</p>
<p class="MsoNormal">&nbsp;</p>
<p class="MsoNormal">Second question: my other order 10513 (Matcha keycaps) shows no tracking update since 16.11. Is it still coming?</p>
<p class="MsoNormal">&nbsp;</p>
<p class="MsoNormal">Best regards<br>Stefan Huber</p>
<p class="MsoNormal">&nbsp;</p>
<p class="MsoNormal"><img width="120" height="36" src="cid:image001.png@01DB38A2.5C1E7A40" alt="Huber IT-Service"></p>
<p class="MsoNormal" style="font-size:9pt;color:#555">Huber IT-Service e.U.<br>Landstra&szlig;e 45, 4020 Linz, Austria<br>Tel: +43 732 123456</p>
</div></body></html>
""", subtype="html", cte="quoted-printable")
    html = msg.get_payload()[1]
    html.add_related(png_bytes(120, 36, logo), maintype="image", subtype="png", disposition="inline",
                     cid="<image001.png@01DB38A2.5C1E7A40>", filename="image001.png")
    return msg


@sample(D(2026, 11, 18, 8, 25, 10, tzinfo=tz(9)), "product_question", "answer_question")
def haruto_custom_design(date: datetime) -> Message:
    msg = new_mail(
        sender="Haruto Sato <haruto.sato@icloud.com>", return_path="<haruto.sato@icloud.com>",
        subject="custom design keycaps?", date=date,
        message_id="<B2E7F1A4-9C3D-4A8B-B6E5-0F1D2C3B4A59@icloud.com>",
        helo="st43p00im-qukt09081901.me.com", ip="17.58.38.52", queue_id="4QkW3j0NvDz2",
        headers=(("X-Mailer", "Apple Mail (2.3826.200.121)"),),
    )
    msg.set_content("""\
Hello Keysme,

I want to ask, can you make custom keycaps with my own design? It is a character illustration, I have the file in PNG 4000x3000.
I need 1 set for 104 keys (JIS layout is possible?) and 4 artisan keycaps.
How much is price and how long does it take to ship to Japan (Osaka 530-0001)?

Best regards,
Haruto Sato
""")
    return msg


@sample(D(2026, 11, 18, 17, 2, 55, tzinfo=tz(1)), "other", "escalate_human")
def lorenzo_wholesale(date: datetime) -> Message:
    msg = new_mail(
        sender="Lorenzo Conti <lorenzo.conti@tastieramania.it>", return_path="<lorenzo.conti@tastieramania.it>",
        subject="Partnership / wholesale inquiry - TastieraMania.it", date=date,
        message_id="<CAE2r7sX4kLm9Pq1vN0tB8yH6cJ3dF5gW@mail.gmail.com>",
        helo="mail-wr1-f45.google.com", ip="209.85.221.45", queue_id="4QkX5l2PwFz3",
    )
    text = """\
Dear Keysme team,

my name is Lorenzo Conti, I am the purchasing manager of TastieraMania.it, an online shop for mechanical keyboards in Italy (around 4.000 orders per month).

We are interested to distribute your PBT keycap sets and the KS68 keyboard in Italy. Could you send us your wholesale price list and conditions? We are thinking about a first order of 200 keycap sets and 50 KS68 units, with possibility of Italian layout (ISO-IT).

Is it possible to have samples before? We can also discuss a co-branded set.

Best regards,
Lorenzo Conti
Purchasing Manager
TastieraMania S.r.l. - P.IVA 01234567890
Via Roma 88, 20121 Milano
Tel. +39 02 1234 5678
"""
    msg.set_content(text)
    html = "<div dir=\"ltr\">" + "".join(
        f"<div>{line or '<br>'}</div>" for line in text.replace("&", "&amp;").splitlines()
    ) + "</div>\n"
    msg.add_alternative(html, subtype="html")
    return msg


# The customer says they opened and used it; it is otherwise returnable.
@sample(D(2026, 11, 19, 12, 30, 0, tzinfo=tz(1)), "return_request", "decline_opened_item",
        orders=("10505",))
def nina_opened(date: datetime) -> Message:
    msg = new_mail(
        sender="Nina Hoffmann <nina.hoffmann@gmx.de>", return_path="<nina.hoffmann@gmx.de>",
        subject="Rückgabe KS68", date=date,
        message_id="<trinity-2c4e6a8b-0d1f-4a3c-b5e7-9f0a1b2c3d4e@3c-app-gmx-bap18>",
        helo="mout.gmx.net", ip="212.227.17.22", queue_id="4QkY7n4QxGz4",
    )
    msg.set_content("""\
Hallo Keysme,

I want to return my KS68 keyboard (#10505). I have opened it and tested it for one evening, but the switches are much too loud for my office, my colleagues are complaining :( It is in perfect condition, I put everything back in the original box.

How can I send it back and get my money (89,90 €)?

Danke und Grüße
Nina Hoffmann
""", cte="quoted-printable")
    return msg


# No order number, but a return tracking number (An Post, S10) and a date.
@sample(D(2026, 11, 19, 23, 48, 21, tzinfo=tz(0)), "refund_status", "request_info", ("order_number",))
def ryan_no_refund(date: datetime) -> Message:
    msg = new_mail(
        sender="Ryan O'Connor <ryan.oconnor@gmail.com>", return_path="<ryan.oconnor@gmail.com>",
        subject="STILL no refund", date=date,
        message_id="<CAFx1T8n0QmZ5pR3kW7vY2sD9hJ4bL6cE@mail.gmail.com>",
        helo="mail-ed1-f41.google.com", ip="209.85.208.41", queue_id="4QkZ0p6RyHz5",
    )
    msg.set_content("""\
This is the third time I'm emailing. I sent the keycaps back 3 weeks ago by registered post (tracking RR402881652IE), An Post says it was delivered to your warehouse on the 2nd of November. Still no refund. Your website says 7 business days. Where is my money??

Ryan O'Connor
""", cte="8bit")
    return msg


# HTML only, no plain part. Neither an order number nor a reason; her only delivered
# order (10498) is found by her address, so only the reason is asked for.
@sample(D(2026, 11, 20, 9, 15, 33, tzinfo=tz(1)), "exchange_request", "request_info",
        ("reason",))
def lea_exchange_html(date: datetime) -> Message:
    msg = new_mail(
        sender="Léa Dubois <lea.dubois@orange.fr>", return_path="<lea.dubois@orange.fr>",
        subject="echange", date=date,
        message_id="<1462011563.93418.1794730533772.JavaMail.open-xchange@opme11oxm03nd1.rouen.francetelecom.fr>",
        helo="smtp.smtpout.orange.fr", ip="80.12.242.20", queue_id="4Ql01r0SzJz6",
        headers=(("X-Mailer", "Open-Xchange Mailer v7.10.6-Rev51"),),
    )
    msg.set_content("""\
<!doctype html>
<html><head><meta charset="UTF-8"></head><body>
<div class="default-style">Bonjour,</div>
<div class="default-style"><br></div>
<div class="default-style">I would like to exchange the keycaps I bought on your site for an other model. How do I do ?</div>
<div class="default-style"><br></div>
<div class="default-style">Cordialement,</div>
<div class="default-style">L&eacute;a Dubois</div>
</body></html>
""", subtype="html", cte="quoted-printable")
    return msg


# A payment-provider dispute: a notification, but money is at stake, so a person takes it.
# Invoice ID 10468 is the order Tyler Brooks asked about on 2 Nov.
@sample(D(2026, 11, 20, 14, 5, 12, tzinfo=tz(-8)), "automated", "escalate_human", orders=("10468",))
def paypal_dispute(date: datetime) -> Message:
    msg = new_mail(
        sender="PayPal <service@intl.paypal.com>", return_path="<bounce@intl.paypal.com>",
        subject="Case PP-D-52871093: A buyer has opened a dispute", date=date,
        message_id="<1794780312.8b5c2e3a9f1d4e07@ccg01mail05.phx.paypal.com>",
        helo="mx2.slc.paypal.com", ip="173.0.84.226", queue_id="4Ql13t2TaKz7",
        headers=(("X-Email-Type-Id", "PPC000861"),),
    )
    msg.set_content("""\
Hello Keysme Ltd,

Tyler Brooks opened a dispute for the transaction below. The buyer says they didn't receive their item.

Case ID: PP-D-52871093
Reason: Item not received
Transaction ID: 7XK48215LM3306518
Transaction date: Oct 19, 2026
Amount: $129.00 USD
Invoice ID: 10468
Buyer: Tyler Brooks (tbrooks88@gmail.com)

We've placed a temporary hold of $129.00 USD on your account until the case is resolved.

What you need to do
Please respond by December 10, 2026. If you have shipped the item, add the tracking information in the Resolution Center. If you don't respond by then, we'll close the case in the buyer's favour and refund the buyer.

Go to the Resolution Center: https://www.paypal.com/resolutioncenter

Sincerely,
PayPal

Please do not reply to this email. This mailbox is not monitored.
""")
    msg.add_alternative("""\
<html><body style="font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#2c2e2f">
<p>Hello Keysme Ltd,</p>
<p>Tyler Brooks opened a dispute for the transaction below. The buyer says they didn&#39;t receive their item.</p>
<table cellpadding="4">
<tr><td>Case ID:</td><td><b>PP-D-52871093</b></td></tr>
<tr><td>Reason:</td><td>Item not received</td></tr>
<tr><td>Transaction ID:</td><td>7XK48215LM3306518</td></tr>
<tr><td>Transaction date:</td><td>Oct 19, 2026</td></tr>
<tr><td>Amount:</td><td>$129.00 USD</td></tr>
<tr><td>Invoice ID:</td><td>10468</td></tr>
<tr><td>Buyer:</td><td>Tyler Brooks (tbrooks88@gmail.com)</td></tr>
</table>
<p>We&#39;ve placed a temporary hold of $129.00 USD on your account until the case is resolved.</p>
<p><b>What you need to do</b><br>Please respond by December 10, 2026. If you have shipped the item, add the tracking information in the Resolution Center. If you don&#39;t respond by then, we&#39;ll close the case in the buyer&#39;s favour and refund the buyer.</p>
<p><a href="https://www.paypal.com/resolutioncenter">Go to the Resolution Center</a></p>
<p>Sincerely,<br>PayPal</p>
<p style="font-size:11px;color:#6c7378">Please do not reply to this email. This mailbox is not monitored.</p>
</body></html>
""", subtype="html", cte="quoted-printable")
    return msg


# A defect on a personalised item is still a defect claim. iPhone layout: text, an
# inline photo with no file name, then the signature as a second text part.
@sample(D(2026, 11, 21, 10, 40, 8, tzinfo=tz(1)), "defective_item", "acknowledge_defect_claim",
        orders=("10501",))
def francesca_inline_photo(date: datetime) -> Message:
    msg = new_mail(
        sender="Francesca Romano <francesca.romano@libero.it>", return_path="<francesca.romano@libero.it>",
        subject="keycap rotto", date=date,
        message_id="<D41A7E2C-6B9F-4C3D-8E1A-2F5B7C9D0E13@libero.it>",
        helo="libero.it", ip="213.209.10.45", queue_id="4Ql25v4VbLz8",
        headers=(("X-Mailer", "iPhone Mail (22B91)"),),
    )
    msg.make_mixed()
    msg.attach(part("""\
Hi, the artisan keycap with my initials (order 10501) arrived the day before yesterday and it has a big crack in the resin, and there is a bubble inside. Photo below.
Can you make a new one? I paid 24,90€ for it

""", "text", "plain", cte="quoted-printable"))
    image = part(jpeg_bytes(240, 320, photo(1121, (200, 60, 40), crack=True, desk=(235, 230, 220))),
                 "image", "jpeg", disposition="inline")
    msg.attach(image)
    msg.attach(part("\n\nFrancesca\n\nInviato da iPhone\n", "text", "plain"))
    return msg


@sample(D(2026, 11, 22, 16, 20, 44, tzinfo=tz(3)), "other", "escalate_human")
def elif_job_application(date: datetime) -> Message:
    msg = new_mail(
        sender="Elif Yılmaz <elif.yilmaz.design@gmail.com>", return_path="<elif.yilmaz.design@gmail.com>",
        subject="Application: Customer Support Agent (remote) – Elif Yılmaz", date=date,
        message_id="<CAP3m1Yk7vRt0Lq9Xn2Wb5Zs8Hc4Df6gJ@mail.gmail.com>",
        helo="mail-lf1-f53.google.com", ip="209.85.167.53", queue_id="4Ql37x6WcMz9",
    )
    msg.set_content("""\
Dear Keysme team,

I saw on LinkedIn that you are looking for a remote customer support agent for the EU market and I would like to apply. I have 3 years experience in e-commerce support (Zendesk, Shopify) and I am a big keyboard enthusiast myself - I built 6 boards so far, my daily driver is a KS68 with lubed Gateron Yellows :)

I speak English, German and Turkish. My CV is attached.

Best regards,
Elif Yılmaz
+90 532 123 45 67
""")
    msg.add_attachment(pdf_bytes([
        "Elif Yilmaz - Curriculum Vitae",
        "Customer Support Specialist, 3 years e-commerce (Zendesk, Shopify)",
        "Languages: English, German, Turkish",
        "Istanbul, Turkey - elif.yilmaz.design@gmail.com",
    ]), maintype="application", subtype="pdf", filename="Elif_Yilmaz_CV.pdf")
    return msg


# Order 10541 was placed with anja.richter@gmail.com; she writes from iCloud. Not
# shipped yet, so staff must change the address. 04109 is a postcode, not an order.
@sample(D(2026, 11, 23, 7, 58, 19, tzinfo=tz(1)), "modify_order", "escalate_human", orders=("10541",))
def anja_address_change(date: datetime) -> Message:
    msg = new_mail(
        sender="Anja Richter <anja.richter@icloud.com>", return_path="<anja.richter@icloud.com>",
        subject="Wrong address in my order!", date=date,
        message_id="<7C2E9A14-0B3D-4F6E-A8C1-5D7F9B2E4A60@icloud.com>",
        helo="st43p00im-zteg10062001.me.com", ip="17.58.63.180", queue_id="4Ql40z0XdNz1",
        headers=(("X-Mailer", "Apple Mail (2.3826.200.121)"),),
    )
    msg.set_content("""\
Hello,

I just placed an order yesterday evening (order number is 10541) with my other email address anja.richter@gmail.com and I made a mistake in the address: the house number is 14, not 41!

Correct address:
Anja Richter
Lindenstraße 14
04109 Leipzig
Germany
Phone: +49 152 0123 4567

Please change it before you ship it. Thank you!!

Anja
""", cte="quoted-printable")
    return msg


# HTML only (Outlook.com web). Items missing from the package: a wrong_item case that
# needs photos and a tracking number, neither given. "refund $54.00" is no refund_status.
@sample(D(2026, 11, 23, 12, 14, 50, tzinfo=tz(-5)), "wrong_item", "request_info",
        ("photos", "tracking_number"), ("10510",))
def brandon_missing_items_html(date: datetime) -> Message:
    msg = new_mail(
        sender="Brandon Lee <brandonlee@outlook.com>", return_path="<brandonlee@outlook.com>",
        subject="Missing items from order #10510", date=date,
        message_id="<SA1PR11MB8473C2D5E6F7A8B9C0D1E2F3A4B5@SA1PR11MB8473.namprd11.prod.outlook.com>",
        helo="NAM12-BN8-obe.outbound.protection.outlook.com", ip="40.107.237.52", queue_id="4Ql52b2YfPz2",
        headers=(("Content-Language", "en-US"),),
    )
    msg.set_content("""\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><div style="font-family: Aptos, Arial, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">
<p>Hello,</p>
<p>I received order #10510 on Saturday but the box only had <b>1</b> Retro Beige keycap set and the coiled cable. I ordered <b>2x</b> Retro Beige sets ($54.00 each) &ndash; the second set is missing. The box was not damaged.</p>
<p>Please send the missing set or refund the $54.00.</p>
<p>Thanks,<br>Brandon Lee<br>(512) 555-0147</p>
</div></body></html>
""", subtype="html", cte="quoted-printable")
    return msg


# Her only open order (10542) is found by her address; a change before shipping is for a person.
@sample(D(2026, 11, 24, 9, 30, 27, tzinfo=tz(1)), "modify_order", "escalate_human")
def chloe_layout_change(date: datetime) -> Message:
    msg = new_mail(
        sender="Chloé Petit <chloe.petit@laposte.net>", return_path="<chloe.petit@laposte.net>",
        subject="modification commande", date=date,
        message_id="<1048137296.1201774.1794990627035.JavaMail.zimbra@laposte.net>",
        helo="smtp-out.laposte.net", ip="160.92.124.98", queue_id="4Ql64d4ZgQz3",
        headers=(("X-Mailer", "Zimbra 9.0.0_GA_4630 (ZimbraWebClient - FF132 (Linux)/9.0.0_GA_4630)"),),
    )
    msg.set_content("""\
Hello,
I made an order yesterday for the KS68 keyboard but I selected the ANSI layout by error. Can you change it to ISO-FR (AZERTY) before sending please?
Thank you very much
Chloé Petit
""", cte="quoted-printable")
    msg.add_alternative("""\
<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">
<div>Hello,</div>
<div>I made an order yesterday for the KS68 keyboard but I selected the ANSI layout by error. Can you change it to ISO-FR (AZERTY) before sending please?</div>
<div>Thank you very much</div>
<div>Chlo&eacute; Petit</div>
</div></body></html>
""", subtype="html", cte="quoted-printable")
    return msg


# Two orders named: cancel 10544, keep 10543; both still processing. Plus a product
# question that comes second. Which order to cancel is for a person to confirm:
# a reply about the wrong one would state a wrong fact.
@sample(D(2026, 11, 24, 14, 0, 0, tzinfo=tz(1)), "cancel_order", "escalate_human",
        orders=("10544", "10543"))
def kasia_double_order(date: datetime) -> Message:
    msg = new_mail(
        sender="Katarzyna Nowak <kasia.nowak@wp.pl>", return_path="<kasia.nowak@wp.pl>",
        subject="Cancel double order", date=date,
        message_id="<a91c4e7b2f0d4c18b3e6d5a7f9c2e1b0@wp.pl>",
        helo="mx.wp.pl", ip="212.77.101.1", queue_id="4Ql76f6AhRz4",
        headers=(("X-Mailer", "Poczta WP"),),
    )
    msg.set_content("""\
Hi,

I ordered two times the same keyboard by accident yesterday night (the page froze and I clicked again). Please cancel order #10544, I keep #10543.

And one question: do you sell the KS68 also in white? Then maybe I take one more for my sister :)

Thanks,
Kasia Nowak
""", cte="8bit")
    return msg


# HTML only (Outlook.com web), no order number: his only open order (10546) is found
# by his address, and it has not shipped.
@sample(D(2026, 11, 24, 18, 45, 12, tzinfo=tz(0)), "cancel_order", "cancel_confirm_pending")
def sam_cancel_html(date: datetime) -> Message:
    msg = new_mail(
        sender="Sam Patel <sam.patel@outlook.com>", return_path="<sam.patel@outlook.com>",
        subject="Cancel order", date=date,
        message_id="<DB9PR02MB7291E4F5A6B7C8D9E0F1A2B3C4D5@DB9PR02MB7291.eurprd02.prod.outlook.com>",
        helo="EUR03-DBA-obe.outbound.protection.outlook.com", ip="40.107.104.61", queue_id="4Ql88h0BjSz5",
        headers=(("Content-Language", "en-GB"),),
    )
    msg.set_content("""\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><div style="font-family: Aptos, Arial, Helvetica, sans-serif; font-size: 12pt;">Hi, pls cancel my order from this morning, changed my mind. Thx<br><br>Sam</div>
<div id="ms-outlook-mobile-signature"><div>Get <a href="https://aka.ms/o0ukef">Outlook for iOS</a></div></div>
</body></html>
""", subtype="html")
    return msg


# Thunderbird reply to our shipping notice: the order number is only in the Subject
# and in the quoted notice; the tracking number only in the quote.
@sample(D(2026, 11, 25, 8, 5, 33, tzinfo=tz(1)), "order_status", "order_status_info", orders=("10517",))
def thomas_tracking_reply(date: datetime) -> Message:
    msg = new_mail(
        sender="Thomas Müller <thomas.mueller@t-online.de>", return_path="<thomas.mueller@t-online.de>",
        subject="Re: Your Keysme order #10517 has shipped", date=date,
        message_id="<3b7e1c9a-4f2d-4e8b-a6c5-0d9f8e7a6b5c@t-online.de>",
        helo="mailout11.t-online.de", ip="194.25.134.85", queue_id="4Ql9Aj2CkTz6",
        headers=(
            ("In-Reply-To", "<ks-ship-10517@keysme.com>"),
            ("References", "<ks-ship-10517@keysme.com>"),
            ("User-Agent", "Mozilla Thunderbird"),
            ("Content-Language", "de-DE"),
        ),
    )
    msg.set_content("""\
Hello,

the tracking number you sent me is not updating since 6 days, last status is "Departed from outward office of exchange" on 19.11. Is the package lost? I need the keyboard for work, when will it arrive?

Thanks
Thomas Müller

On 18.11.2026 10:03, Keysme wrote:
> Hi Thomas,
>
> Great news: your order #10517 has shipped!
>
> Carrier: China Post
> Tracking number: LY210938472CN
> Track it here: https://t.17track.net/en#nums=LY210938472CN
>
> Estimated delivery: 8-15 business days.
>
> Thanks for shopping with Keysme!
""", cte="quoted-printable")
    return msg


# A reason-less return: the order number is there, the reason is not.
@sample(D(2026, 11, 25, 11, 30, 49, tzinfo=tz(1)), "return_request", "request_info", ("reason",),
        ("10509",))
def marco_return_no_reason(date: datetime) -> Message:
    msg = new_mail(
        sender="Marco Rossi <marco.rossi77@libero.it>", return_path="<marco.rossi77@libero.it>",
        subject="return", date=date,
        message_id="<1931045872.5521.1795084249930@mail.libero.it>",
        helo="libero.it", ip="213.209.10.44", queue_id="4QlBCl4DmVz7",
        headers=(("X-Mailer", "Libero Mail"),),
    )
    msg.set_content("""\
Hi, I'd like to return order #10509. Please send me the return label.

Grazie
Marco Rossi
""", cte="8bit")
    return msg


# --------------------------------------------------------------------------- round 2
# Decisions round 2 (issue 13): other languages, the order found without its number,
# what customers say about the item, evidence links, parcels that went wrong, two
# requests in one message and mail that needs no reply. Dates: 26-30 Nov 2026.
# Messages in other languages need the multilingual classifier for their intent.


def plain(*, sender: str, subject: str, date: datetime, message_id: str, body: str,
          helo: str = "mail.example.net", ip: str = "198.51.100.20", queue_id: str = "4QmA0000000",
          headers: tuple[tuple[str, str], ...] = (), cte: str = "8bit") -> EmailMessage:
    """A plain-text mail from a customer's provider."""
    address = sender[sender.index("<") + 1:-1] if "<" in sender else sender
    msg = new_mail(sender=sender, return_path=f"<{address}>", subject=subject, date=date,
                   message_id=message_id, helo=helo, ip=ip, queue_id=queue_id, headers=headers)
    msg.set_content(body, cte=cte)
    return msg


# German, no order number: the sender's only open order is found by their address.
@sample(D(2026, 11, 26, 8, 14, 2, tzinfo=tz(1)), "order_status", "order_status_info", language="de")
def felix_wo_ist_sie(date: datetime) -> Message:
    return plain(sender="Felix Wagner <felix.wagner@posteo.de>", subject="Wo bleibt meine Bestellung?",
                 date=date, message_id="<a81c3e5f-2b4d-4e6f-8a1c-3e5f7b9d1f2a@posteo.de>",
                 helo="mout01.posteo.de", ip="185.67.36.65", queue_id="4QmB1a1Felix",
                 headers=(("Content-Language", "de-DE"),), body="""\
Hallo,

ich habe vor zwei Wochen bei euch Tastenkappen bestellt und warte immer noch. Könnt ihr mir sagen, wo das Paket gerade ist?

Viele Grüße
Felix Wagner
""")


# French defect report whose photos are a Google Drive link, not attachments.
@sample(D(2026, 11, 26, 9, 40, 11, tzinfo=tz(1)), "defective_item", "acknowledge_defect_claim",
        orders=("10551",), language="fr")
def amelie_photos_drive(date: datetime) -> Message:
    return plain(sender="Amélie Girard <amelie.girard@free.fr>", subject="Touches fissurées - commande n°10551",
                 date=date, message_id="<1190553024.88121.1796035211@webmail.free.fr>",
                 helo="smtp.free.fr", ip="212.27.42.2", queue_id="4QmB2b2Amelie", cte="quoted-printable",
                 body="""\
Bonjour,

J'ai reçu ma commande n°10551 avant-hier. En ouvrant le paquet, j'ai vu que trois touches sont fissurées (Entrée, Espace et Maj).
Les photos sont ici : https://drive.google.com/drive/folders/1kQ7xZpV3mN8rT2sW9yB4cD6eF0gH?usp=sharing

Pouvez-vous m'envoyer des touches de remplacement ?

Cordialement,
Amélie Girard
""")


# Spanish return of a keyboard the customer says they used.
@sample(D(2026, 11, 26, 12, 5, 37, tzinfo=tz(1)), "return_request", "decline_opened_item",
        orders=("10552",), language="es")
def carlos_usado(date: datetime) -> Message:
    return plain(sender="Carlos Ruiz <carlos.ruiz@telefonica.net>", subject="Devolución pedido #10552",
                 date=date, message_id="<CAF3x9Yq2Lw@telefonica.net>", cte="quoted-printable", body="""\
Hola,

quiero devolver el teclado del pedido #10552. Lo he usado unos días pero los switches rojos son demasiado ligeros para mí, prefiero algo más duro.

¿Cómo hago la devolución?

Saludos,
Carlos Ruiz
""")


# Italian: the tracking says delivered, the customer has nothing: a person handles it.
@sample(D(2026, 11, 26, 15, 22, 9, tzinfo=tz(1)), "order_status", "escalate_human", orders=("10553",),
        language="it")
def alessandro_non_ricevuto(date: datetime) -> Message:
    return plain(sender="Alessandro Conti <alessandro.conti@tiscali.it>", subject="ordine 10553 mai arrivato",
                 date=date, message_id="<20261126152209.7731@tiscali.it>", cte="quoted-printable", body="""\
Buongiorno,

il tracciamento del mio ordine 10553 dice consegnato il 21 novembre, ma non ho ricevuto niente. Ho chiesto anche ai vicini e al portiere, nessuno ha visto il pacco.

Cosa posso fare?

Grazie
Alessandro Conti
""")


# Dutch thank-you: nothing to answer.
@sample(D(2026, 11, 26, 18, 3, 45, tzinfo=tz(1)), "other", "no_reply", language="nl")
def sanne_bedankt(date: datetime) -> Message:
    return plain(sender="Sanne Jansen <sanne.jansen@ziggo.nl>", subject="Bedankt!", date=date,
                 message_id="<000a01db2f3c$5e6f7a80$1b2c3d4e@ziggo.nl>", body="""\
Hoi,

Bedankt, alles is goed aangekomen. De keycaps zijn prachtig!

Groetjes,
Sanne
""")


# Portuguese status question with the order number.
@sample(D(2026, 11, 27, 9, 11, 30, tzinfo=tz(0)), "order_status", "order_status_info", orders=("10555",),
        language="pt")
def joao_encomenda(date: datetime) -> Message:
    return plain(sender="João Ferreira <joao.ferreira@sapo.pt>", subject="Estado da encomenda", date=date,
                 message_id="<5f2e8c1a9b7d4e3f@sapo.pt>", cte="quoted-printable", body="""\
Olá,

a minha encomenda nº 10555 ainda não chegou. Podem dizer-me onde está?

Obrigado,
João Ferreira
""")


# Polish cancellation of an order still being prepared.
@sample(D(2026, 11, 27, 10, 2, 14, tzinfo=tz(1)), "cancel_order", "cancel_confirm_pending", orders=("10556",),
        language="pl")
def piotr_anuluj(date: datetime) -> Message:
    return plain(sender="Piotr Zieliński <piotr.zielinski@onet.pl>", subject="Anulowanie zamówienia",
                 date=date, message_id="<b3d5f7a9c1e2@onet.pl>", cte="quoted-printable", body="""\
Dzień dobry,

proszę o anulowanie zamówienia nr 10556, złożyłem je wczoraj przez pomyłkę.

Pozdrawiam
Piotr Zieliński
""")


# Japanese: the order number glued to 注文.
@sample(D(2026, 11, 27, 11, 45, 0, tzinfo=tz(9)), "order_status", "order_status_info", orders=("10557",),
        language="ja")
def yuki_mada(date: datetime) -> Message:
    return plain(sender="田中 由紀 <yuki.tanaka@docomo.ne.jp>", subject="注文について", date=date,
                 message_id="<20261127114500.4f3a@docomo.ne.jp>", cte="base64", body="""\
Keysme サポート御中

注文10557がまだ届きません。今どこにあるか教えていただけますか？

よろしくお願いします。
田中 由紀
""")


# Chinese defect report with a photo attached.
@sample(D(2026, 11, 27, 21, 30, 12, tzinfo=tz(8)), "defective_item", "acknowledge_defect_claim",
        orders=("10558",), language="zh")
def wang_huaile(date: datetime) -> Message:
    msg = plain(sender="王芳 <wang.fang@163.com>", subject="键帽坏了", date=date,
                message_id="<2b4d6f8a.1c3e.19a7b@163.com>", cte="base64", body="""\
您好，

我的订单号：10558，昨天收到的键帽有两个裂了，照片在附件里。请帮我处理一下。

谢谢
王芳
""")
    msg.add_attachment(jpeg_bytes(320, 240, photo(10558, (120, 160, 110), crack=True)),
                       maintype="image", subtype="jpeg", filename="IMG_20261127_2101.jpg")
    return msg


# Two open orders and no number: listed back for the customer to choose.
@sample(D(2026, 11, 28, 7, 55, 41, tzinfo=tz(-5)), "order_status", "request_info", ("order_number",))
def megan_which_order(date: datetime) -> Message:
    return plain(sender="Megan Ross <megan.ross@gmail.com>", subject="shipping?", date=date,
                 message_id="<CAHx7uM2k9Lq@mail.gmail.com>", helo="mail-qk1-f178.google.com",
                 ip="209.85.222.178", body="""\
Hi! Just wondering when my stuff will get here, I haven't seen anything in the mail yet. Thanks!

Megan
""")


# No order number, but the tracking number of the order.
@sample(D(2026, 11, 28, 9, 12, 3, tzinfo=tz(0)), "order_status", "order_status_info")
def david_tracking_only(date: datetime) -> Message:
    return plain(sender="David Okafor <d.okafor@outlook.com>", subject="UPS parcel", date=date,
                 message_id="<DB9PR01MB7342@DB9PR01MB7342.eurprd01.prod.outlook.com>",
                 helo="mail-db8eur05olkn2015.outbound.protection.outlook.com", ip="40.92.89.15", body="""\
Hello, my UPS tracking number 1Z4F7A300412345670 hasn't moved for a few days. Can you check what's going on?

David
""")


# A defect claim with photos about an order placed with another address.
@sample(D(2026, 11, 28, 10, 30, 0, tzinfo=tz(1)), "defective_item", "escalate_human", orders=("10562",))
def erik_someone_elses_order(date: datetime) -> Message:
    msg = plain(sender="Erik Berg <erik.berg@outlook.de>", subject="Order 10562 damaged", date=date,
                message_id="<AM0PR02MB5521@AM0PR02MB5521.eurprd02.prod.outlook.com>", body="""\
Hi,

my wife ordered keycaps (order 10562) and two of them arrived cracked. Photos attached. Please send replacements to me.

Erik Berg
""")
    msg.add_attachment(jpeg_bytes(320, 240, photo(10562, (226, 214, 190), crack=True)),
                       maintype="image", subtype="jpeg", filename="IMG_4410.JPG")
    return msg


# "had them on my board for a few days": used, so no return.
@sample(D(2026, 11, 28, 14, 2, 19, tzinfo=tz(-8)), "return_request", "decline_opened_item", orders=("10563",))
def ethan_on_my_board(date: datetime) -> Message:
    return plain(sender="Ethan Cho <ethan.cho@gmail.com>", subject="return", date=date,
                 message_id="<CAKs9vD3mQ@mail.gmail.com>", body="""\
Hey, I'd like to return the Botanical set from order #10563. I had them on my board for a few days and the green is a lot darker than in the pictures, not my thing.

Ethan
""")


# Sealed, with a reason: the return instructions.
@sample(D(2026, 11, 28, 16, 40, 55, tzinfo=tz(0)), "return_request", "return_instructions", orders=("10564",))
def sophie_shrink_wrap(date: datetime) -> Message:
    return plain(sender="Sophie Turner <sophie.turner@btinternet.com>", subject="Return - order 10564",
                 date=date, message_id="<1a2b3c4d.5e6f@btinternet.com>", body="""\
Hello,

I'd like to return the Milk Tea set (order 10564). It's still in the shrink wrap; I bought it as a present but my brother already has the same set.

Kind regards,
Sophie Turner
""")


# The subject says DEFECTIVE, the body takes it back: a return of a used keyboard.
@sample(D(2026, 11, 29, 8, 20, 31, tzinfo=tz(-6)), "return_request", "decline_opened_item", orders=("10565",))
def noah_takes_it_back(date: datetime) -> Message:
    return plain(sender="Noah King <noah.king@icloud.com>", subject="DEFECTIVE KEYBOARD", date=date,
                 message_id="<5C1E7F3A-2B9D-4E6F-8A1C-3E5F7B9D1F2A@icloud.com>", body="""\
Ok, defective is the wrong word, it works fine. I've typed on it for a week and I just can't get used to the yellow switches. Can I return order 10565?

Noah
""")


# A payment screenshot is no photo of the damage.
@sample(D(2026, 11, 29, 9, 5, 12, tzinfo=tz(-8)), "defective_item", "request_info", ("photos",),
        orders=("10566",))
def grace_payment_screenshot(date: datetime) -> Message:
    msg = plain(sender="Grace Liu <grace.liu@gmail.com>", subject="broken keycap order 10566", date=date,
                message_id="<CAJ8pL2xWq@mail.gmail.com>", body="""\
Hi, the spacebar from order 10566 arrived broken in half. I attached my payment screenshot as proof of purchase.

Grace
""")
    msg.add_attachment(png_bytes(390, 844, lambda x, y: (250, 250, 250) if y % 40 else (200, 200, 210)),
                       maintype="image", subtype="png", filename="Screenshot 2026-11-29 at 09.01.44.png")
    return msg


# Wrong item with a YouTube video and the tracking number: acknowledged.
@sample(D(2026, 11, 29, 10, 44, 8, tzinfo=tz(0)), "wrong_item", "acknowledge_defect_claim", orders=("10567",))
def ryan_wrong_spacebar_video(date: datetime) -> Message:
    return plain(sender="Ryan Patel <ryan.patel@gmail.com>", subject="wrong spacebar in order 10567", date=date,
                 message_id="<CAPx3kR9mZ@mail.gmail.com>", body="""\
Hi, order 10567 came with a white 7u spacebar instead of the black 6.25u I ordered. Short video of the box and the label: https://youtu.be/k3Ys9mEWrq4
Tracking on the label: YT2232760039917246

Ryan
""")


# Shipped 19 days ago with USPS (usual at most 21 days) and marked lost by the customer.
@sample(D(2026, 11, 29, 12, 0, 40, tzinfo=tz(-5)), "order_status", "escalate_human", orders=("10568",))
def olivia_lost(date: datetime) -> Message:
    return plain(sender="Olivia Reed <olivia.reed@yahoo.com>", subject="order 10568", date=date,
                 message_id="<1455672190.331.1796000440@mail.yahoo.com>", body="""\
Hello, USPS says my package for order 10568 is being returned to sender because of an address problem?? The address is right. What is happening?

Olivia
""")


# In transit far longer than China Post's usual time: a person opens an inquiry.
@sample(D(2026, 11, 29, 13, 15, 0, tzinfo=tz(0)), "order_status", "escalate_human", orders=("10569",))
def liam_late(date: datetime) -> Message:
    return plain(sender="Liam Walsh <liam.walsh@eircom.net>", subject="Order 10569 status", date=date,
                 message_id="<20261129131500.GA7781@eircom.net>", body="""\
Hi, could you tell me the status of order 10569? I ordered in October.

Liam
""")


# Two requests: damage and a return. The time-limited defect claim goes first.
@sample(D(2026, 11, 29, 15, 30, 21, tzinfo=tz(1)), "defective_item", "acknowledge_defect_claim",
        orders=("10570",), language="de")
def hannah_two_requests(date: datetime) -> Message:
    msg = plain(sender="Hannah Fischer <hannah.fischer@gmx.de>", subject="Tastatur beschädigt, Rückgabe",
                date=date, message_id="<trinity-9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4@3c-app-gmx-bs35>",
                cte="quoted-printable", body="""\
Hallo,

meine Tastatur aus Bestellung 10570 ist mit einem gebrochenen Gehäuse angekommen (Fotos anbei). Außerdem möchte ich die Tastatur lieber zurückgeben, weil mir das weiße Modell doch nicht gefällt.

Viele Grüße
Hannah Fischer
""")
    msg.add_attachment(jpeg_bytes(320, 240, photo(10570, (240, 240, 240), crack=True)),
                       maintype="image", subtype="jpeg", filename="IMG_7781.JPG")
    return msg


# A compliment, nothing asked.
@sample(D(2026, 11, 29, 17, 48, 2, tzinfo=tz(-5)), "other", "no_reply")
def zoe_compliment(date: datetime) -> Message:
    return plain(sender="Zoe Martin <zoe.martin@gmail.com>", subject="love them!", date=date,
                 message_id="<CAM4kZ8pLw@mail.gmail.com>", body="""\
Just wanted to say the Matcha set looks amazing on my board. Great quality, thank you!!

Zoe
""")


# A cold sales pitch.
@sample(D(2026, 11, 30, 6, 30, 0, tzinfo=tz(0)), "other", "no_reply")
def seo_pitch(date: datetime) -> Message:
    return plain(sender="Mark from GrowthLab <mark@growthlab-agency.example>", subject="Quick question about keysme.com",
                 date=date, message_id="<0102018c2f3e4a5b-growthlab@email.example>", body="""\
Hi there,

I came across keysme.com and love your products. We help Shopify store owners increase your sales with SEO and high-quality backlinks.

Would you be open to a 15-minute call this week?

Best,
Mark
GrowthLab Agency
""")


# A message meant for someone else.
@sample(D(2026, 11, 30, 8, 10, 44, tzinfo=tz(1)), "other", "no_reply")
def misdirected(date: datetime) -> Message:
    return plain(sender="Jan de Boer <jan.deboer@kpnmail.nl>", subject="Re: vergadering", date=date,
                 message_id="<7d1e9f3b@kpnmail.nl>", body="""\
Sorry, I sent this to the wrong email address. Please ignore.

Jan
""")


# A thank-you that also asks something: answered, never silenced.
@sample(D(2026, 11, 30, 9, 25, 0, tzinfo=tz(-5)), "product_question", "answer_question")
def thanks_and_question(date: datetime) -> Message:
    return plain(sender="Ashley Carter <ashley.carter@yahoo.com>", subject="thanks + question", date=date,
                 message_id="<1998271034.552.1796048700@mail.yahoo.com>", body="""\
Thanks for the fast shipping last time! Do you have the Retro Beige set in ISO-UK layout too?

Ashley
""")


# Dutch question before buying: answered in Dutch (the thank-you above needs no reply, so this is
# the sample's Dutch reply).
@sample(D(2026, 11, 30, 16, 42, 17, tzinfo=tz(1)), "product_question", "answer_question", language="nl")
def bram_vraag_iso(date: datetime) -> Message:
    return plain(sender="Bram de Vries <bram.devries@kpnmail.nl>", subject="Vraag over ISO-layout",
                 date=date, message_id="<7c1d9e2f4a6b8c0d@kpnmail.nl>", helo="smtp.kpnmail.nl",
                 ip="195.121.94.167", queue_id="4QmC7Bram0nl", body="""\
Goedendag,

Ik wil graag de Retro Beige keycaps bestellen voor mijn toetsenbord met ISO-indeling (Nederlandse
opstelling). Passen jullie sets ook op een ISO-toetsenbord, en zit de grote Enter-toets erbij?

Alvast bedankt voor uw antwoord.

Met vriendelijke groet,
Bram de Vries
""")


# --------------------------------------------------------------------------- output

def main() -> int:
    samples = sorted(SAMPLES, key=lambda s: s.date)
    stamps = [int(s.date.timestamp()) for s in samples]
    assert len(set(stamps)) == len(stamps), "two samples share a Date"

    cur = INBOX / "cur"
    for sub in ("cur", "new", "tmp"):
        (INBOX / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("new", "tmp"):
        (INBOX / sub / ".gitkeep").touch()
    for old in cur.iterdir():
        if old.is_file():
            old.unlink()

    rows = []
    for n, (s, stamp) in enumerate(zip(samples, stamps), 1):
        msg = s.build(s.date)
        finish(msg, f"{stamp}_{n}")
        name = f"{stamp}.M{n}P100Q{n}.sample:2,S"
        data = msg.as_bytes()
        assert b"\r\n" not in data, name  # LF line endings throughout
        (cur / name).write_bytes(data)
        rows.append([name, s.intent, s.action, ";".join(s.missing), ";".join(s.orders), s.language,
                     s.reply_language])
        print(f"{name}  {s.intent:17} {s.action:25} {s.build.__name__}")

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "intent", "action", "missing_info", "order_numbers", "language", "reply_language"])
    writer.writerows(rows)
    EXPECTED.write_text(buf.getvalue(), encoding="utf-8")
    print(f"{len(rows)} messages in {cur.relative_to(ROOT)}; labels in {EXPECTED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
