"""A customer's name, subject or address cannot add a header or a recipient to our reply."""

from __future__ import annotations

import email
from datetime import datetime, timezone
from email.policy import default as default_policy

import pytest

from mailbot.delivery.addresses import UnsafeAddress, recipient_of, single_address
from mailbot.delivery.compose import ReplySpec, as_bytes, build_reply

NOW = datetime(2026, 11, 3, 12, 0, tzinfo=timezone.utc)


def spec(**changes) -> ReplySpec:
    values = dict(message_id="<mailbot.1@keysme.com>", from_name="Keysme Support", from_address="support@keysme.com",
                  recipient="ana@example.com", recipient_name="Ana", subject="Re: where is my order",
                  in_reply_to="<c-1@example.com>", references=("<c-1@example.com>",), body="Hello Ana\n", html="",
                  decision="action=order_status_info; rule=r; intent=order_status; confidence=0.93; draft=1")
    values.update(changes)
    return ReplySpec(**values)


def parsed(msg_bytes: bytes):
    return email.message_from_bytes(msg_bytes, policy=default_policy)


def header_names(data: bytes) -> list[str]:
    return [name.lower() for name in parsed(data).keys()]


@pytest.mark.parametrize("evil", [
    "Re: hello\r\nBcc: victim@evil.test",
    "Re: hello\nBcc: victim@evil.test",
    "Re: hello\rX-Injected: yes",
    "Re: hello\r\n\r\nbody injected",
])
def test_a_subject_with_cr_lf_adds_no_header(evil):
    data = as_bytes(build_reply(spec(subject=evil), sent_by_bot=True, now=NOW))
    names = header_names(data)
    assert "bcc" not in names and "x-injected" not in names
    assert names.count("subject") == 1 and names.count("to") == 1
    message = parsed(data)
    assert all("victim" not in str(value) for name, value in message.items() if name.lower() != "subject")
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.com"]


@pytest.mark.parametrize("evil_name", [
    "Ana\r\nBcc: victim@evil.test",
    "Ana\nCc: victim@evil.test",
    'Ana" <victim@evil.test>, "x',
    "victim@evil.test",
])
def test_a_name_with_cr_lf_or_an_address_adds_no_recipient(evil_name):
    data = as_bytes(build_reply(spec(recipient_name=evil_name), sent_by_bot=True, now=NOW))
    message = parsed(data)
    assert "bcc" not in header_names(data) and "cc" not in header_names(data)
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.com"]
    assert "victim@evil.test" not in str(message["To"])


def test_the_email_package_itself_refuses_cr_lf_in_a_header():
    # The second line of defence under our own cleaning: policy=SMTP raises.
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage(policy=SMTP)
    with pytest.raises(ValueError):
        msg["Subject"] = "hello\r\nBcc: victim@evil.test"


@pytest.mark.parametrize("forged", [
    "a@x.com, b@y.com",
    '"x" <a@x.com> <b@y.com>',
    "a@x.com <b@y.com>",
    "group: a@x.com, b@y.com;",
    "undisclosed-recipients:;",
    "Ana <ana@example.com>\r\nBcc: victim@evil.test",
    "Ana <ana@example.com>\nBcc: victim@evil.test",
    "not an address",
    "",
    "Jos\u00e9 <jose@ex\u00e4mple.com>",  # a Unicode look-alike domain: we offer no SMTPUTF8
])
def test_a_forged_reply_to_is_refused_not_guessed(forged):
    with pytest.raises(UnsafeAddress):
        recipient_of((("from", "Ana <ana@example.com>"), ("reply-to", forged)))


@pytest.mark.parametrize("value, address, name", [
    ("Ana <ana@example.com>", "ana@example.com", "Ana"),
    ('"Lopez, Ana" <Ana.Lopez@Example.COM>', "Ana.Lopez@example.com", "Lopez, Ana"),
    ("ana@example.com", "ana@example.com", ""),
    ('"support@keysme.com" <mallory@evil.test>', "mallory@evil.test", ""),  # an address as a name is dropped
])
def test_one_plain_address_is_accepted(value, address, name):
    assert single_address([value]) == (address, name)


def test_reply_to_wins_over_from_and_two_from_headers_are_refused():
    headers = (("from", "Ana <ana@example.com>"), ("reply-to", "Ana at work <ana@work.example>"))
    recipient = recipient_of(headers)
    assert (recipient.address, recipient.header) == ("ana@work.example", "Reply-To")
    with pytest.raises(UnsafeAddress, match="2 From headers"):
        recipient_of((("from", "a@x.com"), ("from", "b@y.com")))


def test_a_folded_header_is_one_address():
    assert single_address(["Ana\r\n <ana@example.com>"]) == ("ana@example.com", "Ana")
