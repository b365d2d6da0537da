"""The extract stage on whole messages: what is new, what is quoted, what the order data says."""

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mailbot.config import ExtractConfig
from mailbot.extract import Extractor
from mailbot.orders import OrderBook
from mailbot.parse import parse
from mailbot.records import ParsedMessage, RawMessage

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SENT = datetime(2026, 11, 5, 10, 2, tzinfo=timezone(timedelta(hours=1)))


def message(text: str, subject: str = "question", sender: str = "laura.schmidt@web.de",
            html: str = "", forwarded: str = "") -> ParsedMessage:
    return ParsedMessage(
        source="test", identity="test", message_id=None, from_addr=sender, from_name="", reply_to=None,
        to=("support@keysme.com",), subject=subject, date=SENT, headers=(), content_type="text/plain",
        text_plain=text, text_html=html, parts=(), forwarded_text=forwarded, size=len(text))


EXTRACT = Extractor.from_config(ExtractConfig(), OrderBook())


def test_facts_in_the_quoted_reply_are_kept_but_marked():
    text = ("Hallo, das Paket ist gestern angekommen, aber zwei Tasten fehlen.\n\n"
            "Am Mo., 2. Nov. 2026 um 10:02 Uhr schrieb Keysme Support <support@keysme.com>:\n"
            "> Your order #10492 has shipped with DHL, tracking 3318810025.\n"
            "> It was dispatched on 30 October.")
    x = EXTRACT(message(text))
    assert x.language == "de"
    assert [(o.number, o.quoted) for o in x.orders] == [("10492", True)]
    assert [(t.number, t.carrier, t.quoted) for t in x.tracking_numbers] == [("3318810025", "dhl", True)]
    assert [(d.date.isoformat(), d.role, d.quoted) for d in x.dates] == [
        ("2026-11-04", "delivered", False), ("2026-10-30", "shipped", True)]


def test_the_signature_is_read_for_order_numbers_but_not_for_dates():
    text = ("The keycaps arrived cracked.\n\nBest regards\nJörg Weber\nOrder: 10492\n"
            "Tel. 030 12345678\nMusterstraße 5, 10115 Berlin\nSince 12.03.2019")
    x = EXTRACT(message(text))
    assert x.order_numbers == ["10492"]
    assert x.tracking_numbers == () and x.dates == ()
    assert "Jörg Weber" in x.signature and "Jörg" not in x.new_text


def test_the_subject_is_read_with_the_new_text():
    x = EXTRACT(message("Still nothing?", subject="Re: Your Keysme order #10492 has shipped"))
    assert [(o.number, o.quoted) for o in x.orders] == [("10492", False)]


def test_html_only_mail_is_read():
    html = "<html><body><p>Hi,</p><p>my order <b>#10492</b> arrived <i>yesterday</i>, broken.</p></body></html>"
    x = EXTRACT(message("", html=html))
    assert x.order_numbers == ["10492"] and [d.role for d in x.dates] == ["delivered"]
    assert "<" not in x.new_text


def test_tracking_numbers_in_the_new_text_are_not_order_numbers():
    x = EXTRACT(message("Order 10492, DHL tracking 3318810025, still nothing."))
    assert x.order_numbers == ["10492"]
    assert [(t.number, t.quoted) for t in x.tracking_numbers] == [("3318810025", False)]


def sample_rows():
    expected = EXAMPLES / "expected.csv"
    if not expected.is_file():
        pytest.fail(f"the sample inbox's expected.csv is missing: {expected}")
    with expected.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("with_orders", [True, False], ids=["order data", "no order data"])
def test_sample_inbox_order_numbers(with_orders):
    book = OrderBook.load(EXAMPLES / "orders.csv") if with_orders else OrderBook()
    extract = Extractor.from_config(ExtractConfig(), book)
    wrong = []
    for row in sample_rows():
        path = EXAMPLES / "inbox" / "cur" / row["file"]
        got = extract(parse(RawMessage(str(path), path.read_bytes()))).order_numbers
        want = [n for n in row["order_numbers"].split(";") if n]
        if got != want:
            wrong.append((row["file"], want, got))
    assert not wrong


def test_relative_dates_in_the_quoted_history_are_not_counted_from_this_message():
    text = ("Still no refund!\n\n"
            "On Tue, 27 Oct 2026 at 09:00, Keysme Support <support@keysme.com> wrote:\n"
            "> Your return arrived at our warehouse today.\n"
            "> It was shipped back to us on 20 October 2026.")
    x = EXTRACT(message(text))
    assert [(d.date.isoformat(), d.quoted) for d in x.dates] == [("2026-10-20", True)]


def test_a_date_in_utc_with_unknown_zone_is_read_as_utc():
    # RFC 5322 3.3: "-0000" is UTC with the sender's zone unknown; it must compare with every other date.
    raw = b"From: a@example.com\r\nDate: Tue, 03 Nov 2026 10:00:00 -0000\r\nSubject: hi\r\n\r\nhello\r\n"
    parsed = parse(RawMessage("a.eml", raw))
    assert parsed.date == datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
    assert parsed.date.tzinfo is not None
