"""Build the attachment scenarios in this folder: one .eml per scenario.

Run `python tests/extract/mail/build.py` to write them again; the .eml
files are kept in the repository so a test reads exactly what a mail client
would have sent.  The images are byte-accurate headers (a JPEG's SOF
segment, a PNG's IHDR, an ISO-BMFF ftyp box) padded to a realistic size:
enough for type sniffing and pixel sizes, which is all the extractor reads.
"""

from __future__ import annotations

import random
import struct
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENDER = "Laura Schmidt <laura.schmidt@web.de>"
DATE = "Thu, 05 Nov 2026 10:02:11 +0100"


def jpeg(width: int, height: int, size: int, seed: int = 1) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    head = b"\xff\xd8" + app0 + sof + b"\xff\xda" + struct.pack(">H", 12) + b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    body = random.Random(seed).randbytes(max(0, size - len(head) - 2)).replace(b"\xff", b"\x00")
    return head + body + b"\xff\xd9"


def png(width: int, height: int, size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\x00" * min(width * height, 4096)))
    head = b"\x89PNG\r\n\x1a\n" + ihdr + idat
    pad = max(0, size - len(head) - 12 - 12)
    return head + chunk(b"tEXt", b"Comment\x00" + b"x" * max(0, pad - 8)) + chunk(b"IEND", b"")


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\x00" * 6 + b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def iso_bmff(brand: bytes, size: int) -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00" + brand + b"mif1"
    return ftyp + random.Random(7).randbytes(size - len(ftyp))


def tnef(files: list[tuple[str, bytes]]) -> bytes:
    """A minimal winmail.dat: version, then per file its rendering, title and data attributes."""
    def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
        return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += attribute(1, 0x9006, 0x0008, struct.pack("<I", 0x10000))
    for name, data in files:
        out += attribute(2, 0x9002, 0x0006, b"\x01\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00")
        out += attribute(2, 0x8010, 0x0001, name.encode() + b"\x00")
        out += attribute(2, 0x800F, 0x0006, data)
    return out


def message(subject: str, text: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = "Keysme Support <support@keysme.com>"
    msg["Subject"] = subject
    msg["Date"] = DATE
    msg["Message-ID"] = f"<{abs(hash(subject)) % 10**9}@web.de>"
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def related_html(text: str, cid: str) -> str:
    return f'<html><body><p>{text}</p><p><img src="cid:{cid}"></p></body></html>'


def scenarios() -> dict[str, EmailMessage]:
    out: dict[str, EmailMessage] = {}

    m = message("keycaps arrived cracked", "Order #10492 arrived cracked, photo attached.")
    m.add_attachment(jpeg(4032, 3024, 310_000), maintype="image", subtype="jpeg", filename="IMG_2031.JPG")
    out["phone_photo_attached"] = m

    # Apple Mail with "Small" image size: a 320x240 photo inline in the HTML.
    m = message("cracked spacebar", "See the photo.", related_html("See the photo.", "photo1@apple"))
    m.get_body(("html",)).add_related(jpeg(320, 240, 38_000), maintype="image", subtype="jpeg",
                                      cid="<photo1@apple>", filename="IMG_0007.jpeg", disposition="inline")
    out["iphone_inline_small_photo"] = m

    m = message("wrong colour", "Wrong colour.\n\nLaura Schmidt\nKeysme fan",
                '<p>Wrong colour.</p><p>Laura Schmidt<br><img src="cid:logo@web.de" width="120"></p>')
    m.get_body(("html",)).add_related(png(120, 40, 4_200), maintype="image", subtype="png",
                                      cid="<logo@web.de>", filename="logo.png")
    out["html_signature_logo"] = m

    # Outlook sending plain text still attaches the signature's images.
    m = message("order 10492", "Where is my order 10492?\n\nLaura")
    m.add_attachment(png(180, 60, 6_100), maintype="image", subtype="png", filename="image001.png")
    out["outlook_signature_image001"] = m

    m = message("broken switch", "Photo from my phone attached.")
    m.add_attachment(iso_bmff(b"heic", 420_000), maintype="application", subtype="octet-stream",
                     filename="IMG_5501.HEIC")
    out["octet_stream_heic"] = m

    m = message("bent stabiliser", "Here is a photo.")
    m.add_attachment(jpeg(1600, 1200, 180_000, seed=3), maintype="application", subtype="octet-stream")
    out["octet_stream_jpeg_without_name"] = m

    m = message("rattling spacebar", "Video of the rattle attached.")
    m.add_attachment(iso_bmff(b"qt  ", 2_400_000), maintype="video", subtype="quicktime", filename="IMG_7781.MOV")
    out["video_quicktime"] = m

    m = message("keyboard does not turn on", "Video attached.")
    m.add_attachment(iso_bmff(b"isom", 900_000), maintype="application", subtype="octet-stream",
                     filename="clip.mp4")
    out["octet_stream_mp4"] = m

    m = message("Tastatur beschädigt", "Foto anbei.")
    m.add_attachment(jpeg(2000, 1500, 150_000, seed=4), maintype="image", subtype="jpeg",
                     filename="Tastatur_beschädigt.jpg")
    out["rfc2231_filename"] = m

    m = message("clé cassée", "Photo jointe.")
    m.add_attachment(jpeg(2000, 1500, 120_000, seed=5), maintype="image", subtype="jpeg", filename="x.jpg")
    part = m.get_payload()[-1]
    del part["Content-Disposition"]
    part["Content-Disposition"] = 'attachment; filename="=?UTF-8?B?Y2zDqSBjYXNzw6llLmpwZw==?="'
    out["rfc2047_filename"] = m

    m = message("Defekt", "Fotos im Anhang (Outlook).")
    m.add_attachment(tnef([("IMG_0042.JPG", jpeg(3000, 2000, 240_000, seed=6)),
                           ("Rechnung.pdf", b"%PDF-1.4\n" + b"0" * 5000)]),
                     maintype="application", subtype="ms-tnef", filename="winmail.dat")
    out["winmail_dat"] = m

    inner = message("Order #10493 confirmed", "Thanks for your order #10493 from Keysme.")
    inner.replace_header("From", "Keysme <orders@keysme.com>")
    inner.add_attachment(jpeg(1200, 900, 90_000, seed=8), maintype="image", subtype="jpeg", filename="product.jpg")
    m = message("Fwd: my order", "Forwarding the confirmation, the keycaps in it are wrong.")
    m.add_attachment(inner, filename="forwarded.eml")
    out["forwarded_message_rfc822"] = m

    m = message("invoice", "Invoice attached for my return.")
    m.add_attachment(b"%PDF-1.4\n" + b"0" * 20_000, maintype="application", subtype="pdf", filename="invoice.pdf")
    out["pdf_only"] = m

    m = message("newsletter", "Our news", '<p>Our news</p><img src="cid:px@news">')
    m.get_body(("html",)).add_related(gif(1, 1), maintype="image", subtype="gif", cid="<px@news>")
    out["tracking_pixel_gif"] = m

    m = message("summer sale", "Sale", '<img src="cid:banner@shop"><p>Sale</p>')
    m.get_body(("html",)).add_related(jpeg(1200, 300, 64_000, seed=9), maintype="image", subtype="jpeg",
                                      cid="<banner@shop>", filename="header.jpg")
    out["inline_banner"] = m

    m = message("broken", "Photo attached")
    m.add_attachment(b"", maintype="image", subtype="jpeg", filename="IMG_0001.JPG")
    out["empty_image"] = m

    m = message("cracked case", "Photo pasted below.", related_html("Photo pasted below.", "image001.jpg@01DA"))
    m.get_body(("html",)).add_related(jpeg(1920, 1440, 260_000, seed=10), maintype="image", subtype="jpeg",
                                      cid="<image001.jpg@01DA>", filename="image001.jpg")
    out["outlook_pasted_photo"] = m

    m = message("logo", "See logo")
    m.add_attachment(b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="30"></svg>',
                     maintype="image", subtype="svg+xml", filename="logo.svg")
    out["svg_logo"] = m

    m = message("Fotos", "Fotos vom Paket.")
    m.add_attachment(jpeg(4000, 3000, 350_000, seed=11), maintype="image", subtype="jpg", filename="paket.jpg")
    out["nonstandard_image_jpg_type"] = m
    return out


def main() -> None:
    for name, msg in scenarios().items():
        (HERE / f"{name}.eml").write_bytes(msg.as_bytes(policy=SMTP))


if __name__ == "__main__":
    main()
