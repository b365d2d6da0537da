"""Attachments and evidence, one .eml per scenario (built by mail/build.py)."""

from pathlib import Path

import pytest

from mailbot.config import ExtractConfig
from mailbot.extract import Extractor
from mailbot.orders import OrderBook
from mailbot.parse import parse
from mailbot.records import MimePart, RawMessage
from mailbot.extract.attachments import describe_attachments

MAIL = Path(__file__).resolve().parent / "mail"
EXTRACT = Extractor.from_config(ExtractConfig(), OrderBook())


def extract(name: str):
    path = MAIL / f"{name}.eml"
    return EXTRACT(parse(RawMessage(str(path), path.read_bytes())))


@pytest.mark.parametrize("scenario, expected", [
    ("phone_photo_attached", [("IMG_2031.JPG", "image/jpeg", True)]),
    ("iphone_inline_small_photo", [("IMG_0007.jpeg", "image/jpeg", True)]),
    ("html_signature_logo", [("logo.png", "image/png", False)]),
    ("outlook_signature_image001", [("image001.png", "image/png", False)]),
    ("octet_stream_heic", [("IMG_5501.HEIC", "image/heic", True)]),
    ("octet_stream_jpeg_without_name", [("attachment-1.jpg", "image/jpeg", True)]),
    ("video_quicktime", [("IMG_7781.MOV", "video/quicktime", True)]),
    ("octet_stream_mp4", [("clip.mp4", "video/mp4", True)]),
    ("rfc2231_filename", [("Tastatur_beschädigt.jpg", "image/jpeg", True)]),
    ("rfc2047_filename", [("clé cassée.jpg", "image/jpeg", True)]),
    ("winmail_dat", [("IMG_0042.JPG", "image/jpeg", True), ("Rechnung.pdf", "application/pdf", False)]),
    ("forwarded_message_rfc822", [("product.jpg", "image/jpeg", False)]),
    ("pdf_only", [("invoice.pdf", "application/pdf", False)]),
    ("tracking_pixel_gif", [("attachment-1.gif", "image/gif", False)]),
    ("inline_banner", [("header.jpg", "image/jpeg", False)]),
    ("empty_image", [("IMG_0001.JPG", "image/jpeg", False)]),
    ("outlook_pasted_photo", [("image001.jpg", "image/jpeg", True)]),
    ("svg_logo", [("logo.svg", "image/svg+xml", False)]),
    ("nonstandard_image_jpg_type", [("paket.jpg", "image/jpeg", True)]),
])
def test_attachment_scenarios(scenario, expected):
    x = extract(scenario)
    assert [(a.filename, a.content_type, a.evidence) for a in x.attachments] == expected
    assert all(a.reason for a in x.attachments)


def test_sizes_are_the_decoded_bytes_and_pixels_come_from_the_header():
    (photo,) = extract("phone_photo_attached").attachments
    assert photo.size == 310_000 and (photo.width, photo.height) == (4032, 3024)


def test_a_forwarded_message_is_read_for_order_facts_but_marked_quoted():
    x = extract("forwarded_message_rfc822")
    assert [(o.number, o.quoted) for o in x.orders] == [("10493", True)]
    assert x.forwarded and not x.has_evidence
    assert "10493" not in x.new_text


def test_a_broken_winmail_dat_is_kept_as_an_attachment():
    part = MimePart("winmail.dat", "application/ms-tnef", b"not tnef at all", "attachment", "", False)
    (att,) = describe_attachments((part,), "")
    assert (att.filename, att.evidence) == ("winmail.dat", False)


def test_logo_thresholds_come_from_the_config():
    strict = Extractor.from_config(ExtractConfig(logo_max_bytes=100_000, logo_max_side=2000), OrderBook())
    path = MAIL / "outlook_pasted_photo.eml"
    (att,) = strict(parse(RawMessage(str(path), path.read_bytes()))).attachments
    assert att.evidence  # a JPEG photo is not "drawn": only drawn images fall under the pixel rule
    path = MAIL / "html_signature_logo.eml"
    (logo,) = strict(parse(RawMessage(str(path), path.read_bytes()))).attachments
    assert not logo.evidence


@pytest.mark.parametrize("size, evidence", [(1, False), (272, False), (1_999, False), (150_000, True)])
def test_an_attached_image_too_small_to_be_a_photo_is_not_evidence(size, evidence):
    payload = b"\xff\xd8\xff\xe0" + b"\x00" * (size - 4) if size >= 4 else b"\xff" * size
    part = MimePart("IMG_0001.JPG", "image/jpeg", payload, "attachment", "", False)
    (att,) = describe_attachments((part,), "")
    assert att.evidence is evidence and att.size == size


@pytest.mark.parametrize("filename, evidence", [
    ("Screenshot 2026-11-29 at 09.01.44.png", False),  # macOS
    ("Screenshot_20261129-090144.png", False),  # Android
    ("Bildschirmfoto 2026-11-29 um 09.01.44.png", False),
    ("Capture d’écran 2026-11-29 090144.png", False),
    ("paypal_payment.jpg", False),
    ("receipt.jpg", False),
    ("IMG_4410.JPG", True),
    ("PXL_20261129_090144.jpg", True),
])
def test_a_screenshot_or_payment_document_is_no_evidence_of_a_defect(filename, evidence):
    payload = b"\xff\xd8\xff\xe0" + b"\x00" * 150_000
    part = MimePart(filename, "image/jpeg", payload, "attachment", "", False)
    (att,) = describe_attachments((part,), "")
    assert att.evidence is evidence
