"""Hostile mail (issue 14): each attack is decided, keeps its sender and subject, and says what was cut.

The attacks are bench/hostile_mail.py's, built here at sizes that run in a
moment; bench/hostile.py builds them at the sizes of the issue and measures
time and memory.  Each runs through the whole pipeline with the deliver
stage (draft mode) and a real store, as the daemon runs it.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import tomli_w

from mailbot.config import Config
from mailbot.delivery.addresses import UnsafeAddress, recipient_of, single_address
from mailbot.delivery.compose import build_reply
from mailbot.delivery.drafts import Drafts
from mailbot.delivery.intake import Delivery
from mailbot.mail_limits import MAX_LISTED
from mailbot.parse import parse
from mailbot.records import RawMessage
from mailbot.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from hostile_mail import BODY, BY_NAME, SUBJECT, build_bytes  # noqa: E402

# What the trace must name for each attack: the cut or skipped part.
NOTES = {
    "encoded-words-subject": "parse: Subject header is",
    "huge-to-header": "parse: To header is",
    "quoted-from-name": "parse: From header is",
    "rfc2231-parameters": "parse: Content-Disposition header is",
    "big-text-body": "parse: the plain-text body is",
    "big-html-body": "parse: the HTML body is",
    "many-parts": "MIME parts",
    "many-order-numbers": "order numbers found; the first 25 kept",
    "date-overflow": "parse: the Date header",
    "date-8bit": "parse: the Date header",
    "nested-multiparts": "nested deeper than",
    "to-recursion": "parse: the To header cannot be parsed (RecursionError)",
    "many-references": "parse: References header is",
}
SUITE_ATTACKS = [name for name, attack in BY_NAME.items() if attack.test_scale > 0]


@pytest.fixture(scope="module")
def delivering(tmp_path_factory):
    """A pipeline with the deliver stage in draft mode over a real store, as the daemon runs it."""
    from mailbot.pipeline import Pipeline

    config = Config(mode="draft")
    store = Store(tmp_path_factory.mktemp("hostile") / "store.sqlite3")
    pipeline = Pipeline.from_config(config, store=store)
    pipeline.deliver = Delivery(config, store)
    yield pipeline
    store.close()


def _triage(pipeline, name: str, data: bytes | None = None) -> dict:
    attack = BY_NAME[name]
    data = data or build_bytes(attack, attack.test_scale)
    # One Message-ID per attack: the same ID, sender, date and subject would be one message to the store.
    data = data.replace(b"<hostile-1@example.com>", f"<{name}@example.com>".encode(), 1)
    return pipeline.triage(RawMessage(f"{name}.eml", data))


@pytest.mark.parametrize("name", SUITE_ATTACKS)
def test_an_attack_is_decided_with_its_sender_and_subject(delivering, name):
    result = _triage(delivering, name)
    attack = BY_NAME[name]
    assert result["error"] is None, result["error"]
    assert result["action"] is not None
    assert result["from"] == attack.sender
    assert result["subject"].startswith(SUBJECT)
    if name in NOTES:
        assert any(NOTES[name] in line for line in result["trace"]), result["trace"][:5]


def test_lists_in_the_result_are_capped_with_a_count_of_the_rest(delivering):
    result = _triage(delivering, "many-order-numbers")
    assert len(result["order_numbers"]) == MAX_LISTED
    assert result["order_numbers"][:3] == ["10492", "100000", "100001"]  # the first ones, subject first
    note = next(line for line in result["trace"] if "order numbers found" in line)
    assert "left out" in note


def test_a_too_long_from_keeps_the_sender_but_no_reply_goes_to_it(delivering):
    result = _triage(delivering, "quoted-from-name")
    assert result["from"] == "jane@example.com"
    assert any(line.startswith("guard: STOP recipient:") and "too long" in line for line in result["trace"])


def test_an_unknown_charset_costs_only_its_own_text():
    parsed = parse(RawMessage("fwd.eml", build_bytes(BY_NAME["forwarded-unknown-charset"], 1.0)))
    assert "Your order 10492 has shipped." in parsed.forwarded_text
    assert "has not arrived yet" in parsed.text_plain


def test_an_8bit_date_and_an_overflowing_offset_leave_the_date_unknown_not_the_message():
    for name in ("date-8bit", "date-overflow"):
        parsed = parse(RawMessage(name, build_bytes(BY_NAME[name], 1.0)))
        assert parsed.date is None
        assert parsed.from_addr == "jane@example.com" and parsed.subject == SUBJECT


def test_deep_nesting_keeps_the_text_inside_it():
    parsed = parse(RawMessage("deep.eml", build_bytes(BY_NAME["nested-multiparts"], 0.5)))  # 500 levels
    assert "has not arrived yet" in parsed.text_plain
    assert any("nested deeper than" in note for note in parsed.notes)


def test_a_part_that_cannot_be_decoded_is_skipped_and_named(monkeypatch):
    import mailbot.parse as parse_module

    data = build_bytes(BY_NAME["attachment-at-limit"], 0.001)
    real = parse_module._decoded

    def failing(part, *args):
        if part.get_content_type() == "image/jpeg":
            raise LookupError("unknown encoding: x-broken")
        return real(part, *args)

    monkeypatch.setattr(parse_module, "_decoded", failing)
    parsed = parse(RawMessage("broken-part.eml", data))
    assert parsed.parts == ()
    assert any("skipped a image/jpeg part" in note and "LookupError" in note for note in parsed.notes)
    assert "has not arrived yet" in parsed.text_plain


def test_an_attachment_is_held_once_decoded():
    data = build_bytes(BY_NAME["attachment-at-limit"], 0.01)
    parsed = parse(RawMessage("photo.eml", data))
    (part,) = parsed.parts
    assert len(part.payload) == 180_000 and part.payload.startswith(b"\xff\xd8\xff")


def test_the_root_and_latest_references_survive_the_cut():
    parsed = parse(RawMessage("refs.eml", build_bytes(BY_NAME["many-references"], 0.02)))
    references = parsed.header("references")
    assert references.startswith("<thread-0@example.com>")
    assert references.endswith("<thread-5999@example.com>")


# --- addresses: parsed first, the display name decoded after ---------------------------------------


def test_an_encoded_name_with_a_comma_is_one_customer_and_is_answered(delivering):
    result = _triage(delivering, "comma-in-encoded-name")
    assert result["from"] == "joerg@example.de"
    assert "guard: ok recipient: exactly one address, joerg@example.de" in result["trace"]
    draft_id = int(next(line for line in result["trace"] if re.fullmatch(r"deliver: draft \d+", line)).split()[-1])
    draft = Drafts(delivering.store.db).get(draft_id)
    assert (draft.recipient, draft.recipient_name) == ("joerg@example.de", "Müller, Jörg")
    reply = build_reply(draft.reply_spec(delivering.config), sent_by_bot=True, now=datetime.now(timezone.utc))
    assert reply["To"].addresses[0].addr_spec == "joerg@example.de"
    assert reply["To"].addresses[0].display_name == "Müller, Jörg"


def test_an_encoded_word_that_decodes_to_an_address_stays_a_name(delivering):
    result = _triage(delivering, "address-in-encoded-name")
    assert result["from"] == "ann@example.com"
    assert "deliver: to ann@example.com (from the From header)" in result["trace"]
    parsed = parse(RawMessage("ann.eml", build_bytes(BY_NAME["address-in-encoded-name"], 1.0)))
    assert parsed.from_name == "ann@evil.com"  # shown as a name, never used as an address
    to = recipient_of(parsed.address_headers)
    assert (to.address, to.name) == ("ann@example.com", "")  # an address-like name is not put in To


@pytest.mark.parametrize("value, address, name", [
    ("=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <joerg@example.de>", "joerg@example.de", "Müller, Jörg"),
    ("=?iso-8859-1?q?Fran=E7ois?= <f@example.fr>", "f@example.fr", "François"),
    ('"=?utf-8?b?5bGx55Sw?=" <yamada@example.jp>', "yamada@example.jp", "山田"),  # quoted: not RFC 2047, common
])
def test_parse_reads_the_address_before_the_name(value, address, name):
    data = f"From: {value}\r\nSubject: hi\r\n\r\nhello\r\n".encode()
    parsed = parse(RawMessage("n.eml", data))
    assert (parsed.from_addr, parsed.from_name) == (address, name)
    if not value.startswith('"'):  # the strict parser refuses an encoded word in quotes, as before
        assert recipient_of(parsed.address_headers).address == address


@pytest.mark.parametrize("value", [
    "=?utf-8?q?a=40x.com=2C_b=40y.com?= <c@z.com>, d@w.com",  # two addresses, one hidden in a name
    "x" * 3000 + " <a@b.com>",
    "d>" + "(</p" * 2000 + " <a@b.com>",  # nested comments: RecursionError in both parsers
])
def test_what_is_not_one_plain_address_is_refused(value):
    with pytest.raises(UnsafeAddress):
        single_address([value])


# --- mailbot triage applies the daemon's size limit -------------------------------------------------


def test_triage_reads_only_the_header_of_a_message_over_the_size_limit(mailbot, tmp_path):
    message = tmp_path / "zeros.eml"
    with message.open("wb") as out:
        BY_NAME["base64-zeros"].build(out, 0.002)  # 400 KB of zeros, over the 100 KB limit below
    config = tmp_path / "config.toml"
    config.write_text(tomli_w.dumps({"daemon": {"max_message_bytes": 100_000}}))
    run = mailbot("triage", "--json", "--config", str(config), "--store", str(tmp_path / "t.sqlite3"),
                  str(message), check=True)
    result = json.loads(run.stdout)
    assert result["from"] == "jane@example.com" and result["subject"] == SUBJECT
    assert (result["action"], result["rule"]) == ("escalate_human", "oversize-message")
    assert result["attachments"] == []  # not parsed
    assert "over daemon.max_message_bytes (100,000)" in result["trace"][0]


def test_the_size_limit_reads_no_more_than_the_header(tmp_path):
    from mailbot.sources import read_paths

    message = tmp_path / "big.eml"
    message.write_bytes(b"From: a@b.com\r\nSubject: big\r\n\r\n" + BODY * 50_000)
    (raw,) = read_paths([message], max_bytes=10_000)
    assert raw.data == b"From: a@b.com\r\nSubject: big\r\n"
    assert raw.full_size == message.stat().st_size
    (whole,) = read_paths([message])
    assert whole.full_size is None and len(whole.data) == raw.full_size


# --- large bodies set aside: the same message as the standard library reads it -----------------


def _structured(newline: bytes) -> bytes:
    import base64
    import os
    import quopri

    photo = b"\xff\xd8\xff\xe0" + os.urandom(300_000)
    video = os.urandom(280_000)
    lines = [
        b"From: =?utf-8?q?J=C3=B6rg?= <joerg@example.de>", b"Subject: cracked keycaps",
        b"Message-ID: <big@example.de>", b"MIME-Version: 1.0",
        # Folded right after the colon, a parameter that ends in "boundary", and an inner boundary that
        # starts with the outer one: each read as the standard library reads it.
        b"Content-Type:", b' multipart/mixed; xboundary="nope";', b' boundary="outer"', b"",
        b"This is a preamble.",
        b"--outer", b'Content-Type: multipart/related; boundary="outer-rel"', b"",
        b"--outer-rel", b"Content-Type: text/html; charset=utf-8", b"",
        b'<p>Order #10492 arrived cracked, see <img src="cid:p1"></p>',
        b"--outer-rel", b"Content-Type: image/jpeg", b"Content-ID: <p1>", b"Content-Transfer-Encoding: base64", b"",
        base64.encodebytes(photo).replace(b"\n", newline).rstrip(),
        b"--outer-rel--",
        b"--outer", b'Content-Type: video/quicktime; name="clip.mov"', b"Content-Disposition: attachment",
        b"Content-Transfer-Encoding: quoted-printable", b"",
        quopri.encodestring(video).replace(b"\n", newline).rstrip(),
        b"--outer", b"Content-Type: message/rfc822", b"",
        b"From: shop@example.net", b"Subject: shipped", b'Content-Type: multipart/mixed; boundary="in"', b"",
        b"--in", b"Content-Type: text/plain", b"", b"Your order 10492 has shipped.",
        b"--in", b'Content-Type: application/pdf; name="invoice.pdf"', b"Content-Transfer-Encoding: base64", b"",
        base64.encodebytes(b"%PDF-1.4" + os.urandom(270_000)).replace(b"\n", newline).rstrip(),
        b"--in--",
        b"--outer--", b"An epilogue.", b"",
    ]
    return newline.join(lines)


@pytest.mark.parametrize("newline", [b"\r\n", b"\n"])
def test_bodies_set_aside_parse_exactly_as_the_standard_library_reads_them(newline, monkeypatch):
    import mailbot.set_aside as set_aside_module

    data = _structured(newline)
    fast = parse(RawMessage("big.eml", data))
    monkeypatch.setattr(set_aside_module, "SET_ASIDE_BYTES", 10**9)
    slow = parse(RawMessage("big.eml", data))
    assert set_aside_module.set_aside(data).bodies == {}  # the slow path really is the standard library's
    assert [(p.filename, p.declared_type, p.content_id, p.forwarded, p.payload) for p in fast.parts] == \
        [(p.filename, p.declared_type, p.content_id, p.forwarded, p.payload) for p in slow.parts]
    assert len(fast.parts) == 3 and all(len(p.payload) > 250_000 for p in fast.parts)
    assert (fast.text_plain, fast.text_html, fast.forwarded_text) == (slow.text_plain, slow.text_html,
                                                                      slow.forwarded_text)
    assert "Order #10492 arrived cracked" in fast.text_html
    assert fast.headers == slow.headers and fast.identity == slow.identity
    assert not any("X-Mailbot" in name for name, _ in fast.headers)


def test_a_forged_set_aside_header_points_at_nothing():
    data = build_bytes(BY_NAME["attachment-at-limit"], 0.02).replace(
        b"Content-Transfer-Encoding: base64", b"X-Mailbot-Set-Aside: 0000000000000000-0\r\n"
        b"Content-Transfer-Encoding: base64", 1)
    parsed = parse(RawMessage("forged.eml", data))
    (part,) = parsed.parts
    assert len(part.payload) == 360_000  # its own bytes, set aside under the real token


def test_a_bounded_header_reads_as_the_standard_library_reads_it():
    import email

    data = (b"From: a@b.com\r\nSubject: s\r\nX-Pad: " + b"y" * 70_000 + b"\r\nnot a header line\r\n"
            b"To: c@d.com\r\n\r\nbody text\r\n")
    parsed = parse(RawMessage("odd.eml", data))
    plain = email.message_from_bytes(data)
    assert plain.get("To") is None and parsed.to == ()  # the stray line ends the header, as it always did
    assert parsed.text_plain.startswith("not a header line") and plain.get_payload().startswith("not a header line")
    assert (parsed.from_addr, parsed.subject) == ("a@b.com", "s")
    assert any("X-Pad header is 70,001 characters" in note for note in parsed.notes)
