"""Automated mail is recognised from the message before the text model reads it."""

from email.message import EmailMessage

import pytest

from conftest import shared_corpus
from mailbot.classify.automated import automated_hints, automated_signals, needs_person
from mailbot.extract.text import body_text
from mailbot.parse import parse
from mailbot.records import RawMessage

# Every bounce, auto-reply, read report and list mail in the shared corpus
# (found by reading them: headers, senders and text), relative to corpus/eml.
AUTOMATED_IN_CORPUS = [
    "cpython_test_email/msg_02.txt",  # Mailman digest (X-Mailman-Version, -request sender)
    "cpython_test_email/msg_05.txt",  # multipart/report
    "cpython_test_email/msg_16.txt",  # bounce from postmaster, Return-Path: <>
    "cpython_test_email/msg_25.txt",  # MAILER-DAEMON, Auto-Submitted: auto-generated (failure)
    "cpython_test_email/msg_32.txt",  # list mail, Precedence: bulk
    "cpython_test_email/msg_33.txt",  # list mail, Precedence: bulk
    "cpython_test_email/msg_43.txt",  # virus-scanner notice, multipart/report
    "mime4j/core/src/test/resources/mimetools-testmsgs/badbound.msg",  # "Returned Mail" from Postmaster
    "mime4j/core/src/test/resources/mimetools-testmsgs/jt-0498.msg",  # Precedence: list
    "mimekit/UnitTests/TestData/messages/delivery-status.anonymized.eml",  # multipart/report
    "mimekit/UnitTests/TestData/messages/disposition-notification.anonymized.eml",  # read receipt
    "mimekit/UnitTests/TestData/messages/delivery-status2.txt",
    "mimekit/UnitTests/TestData/messages/bounce.txt",
    "nodemailer_mailparser/test/fixtures/delivery-status.eml",  # MAILER-DAEMON, multipart/report
    "stalwart_mail_parser/resources/eml/thirdparty/014.eml",  # List-Id, List-Unsubscribe
]


def signals_for(raw: bytes) -> list[str]:
    msg = parse(RawMessage("m.eml", raw))
    return automated_signals(msg, body_text(msg.text_plain, msg.text_html).new)


@pytest.mark.parametrize("relative", AUTOMATED_IN_CORPUS)
def test_corpus_bounces_replies_and_lists_are_automated(relative, pipeline_factory):
    path = shared_corpus() / "eml" / relative
    result = pipeline_factory().triage(RawMessage(str(path), path.read_bytes()))
    assert result["intent"] == "automated" and result["automated"] is True, result["trace"]
    assert result["action"] == "no_reply"


def mail(body="Hi", subject="Hello", sender="ana@example.com", **headers) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@keysme.com"
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return bytes(msg)


@pytest.mark.parametrize("headers,why", [
    ({"Auto_Submitted": "auto-replied"}, "Auto-Submitted"),
    ({"Auto_Submitted": "auto-generated"}, "Auto-Submitted"),
    ({"Precedence": "bulk"}, "Precedence"),
    ({"Precedence": "junk"}, "Precedence"),
    ({"Precedence": "list"}, "Precedence"),
    ({"List_Id": "<news.shop.example>"}, "List-Id"),
    ({"List_Unsubscribe": "<mailto:unsub@shop.example>"}, "List-Unsubscribe"),
    ({"Return_Path": "<>"}, "Return-Path"),
    ({"X_Autoreply": "yes"}, "X-Autoreply"),
    ({"X_Autorespond": "yes"}, "X-Autorespond"),
    ({"X_Auto_Response_Suppress": "All"}, "X-Auto-Response-Suppress"),
])
def test_header_signals(headers, why):
    signals = signals_for(mail(body="Where is my order #10492?", **headers))
    assert any(why in s for s in signals), signals


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.com", "postmaster@example.org",
                                    "no-reply@shop.example", "noreply@paypal.example", "do-not-reply@x.example"])
def test_machine_senders(sender):
    assert signals_for(mail(sender=sender, body="Your message could not be delivered."))


def test_auto_submitted_no_is_a_person():
    assert signals_for(mail(body="Where is my order #10492?", Auto_Submitted="no")) == []


@pytest.mark.parametrize("subject,body", [
    ("Out of Office", "I am out of the office until 30 November with limited access to email."),
    ("Automatic reply: my order", "Thank you for your email. I'm currently away and will reply when I'm back."),
    ("Abwesenheitsnotiz", "Ich bin bis zum 30.11. nicht im Büro. In dringenden Fällen wenden Sie sich an..."),
    ("Réponse automatique", "Je suis absente du bureau jusqu'au lundi 30 novembre."),
    ("Automatisch antwoord: bestelling", "Ik ben afwezig tot maandag 30 november."),
])
def test_out_of_office_without_headers(subject, body):
    assert signals_for(mail(subject=subject, body=body))


@pytest.mark.parametrize("subject,body", [
    ("Re: keycaps", "I'm on annual leave until Monday 30 November. For urgent matters call the office."),
    ("Tastenkappen kaputt", "Hallo, ich war im Urlaub, als das Paket ankam. Zwei Tastenkappen sind gebrochen."),
    ("Commande", "Bonjour, je suis absente du bureau la semaine prochaine mais je veux annuler la commande."),
])
def test_machine_like_text_under_an_ordinary_subject_is_only_a_hint(subject, body, pipeline_factory):
    """Text alone, without a machine's subject or headers, never silences the sender."""
    raw = mail(subject=subject, body=body)
    msg = parse(RawMessage("m.eml", raw))
    new_text = body_text(msg.text_plain, msg.text_html).new
    assert signals_for(raw) == [] and automated_hints(msg, new_text)
    result = pipeline_factory().triage(RawMessage("m.eml", raw))
    assert result["automated"] is False and result["action"] != "no_reply", result["trace"]


@pytest.mark.parametrize("subject,body", [
    ("[Ticket #48213] Re: keycaps", "We have received your request and a member of our team will reply soon. Ticket #48213 has been created."),
    ("Your request has been received", "This is an automated response. Please do not reply to this email."),
])
def test_other_helpdesks_acknowledgements(subject, body):
    assert signals_for(mail(subject=subject, body=body))


@pytest.mark.parametrize("subject,body", [
    ("keycaps cracked", "I was on vacation when the parcel arrived, now I opened it and two keycaps from order #10492 are cracked."),
    ("order 10492", "I'll be away until Monday, so please ship my order to my office instead of home."),
    ("refund", "I received your email about my return, but the refund for order 10492 is still missing."),
    ("Re: cancellation", "Hi, we have received your message but order 10542 has still not been cancelled."),
    ("delivery", "Your message could not be delivered to my old address, please use this one for order 10492."),
])
def test_customers_mentioning_holidays_are_people(subject, body):
    assert signals_for(mail(subject=subject, body=body)) == []


def test_dispute_notices_need_a_person():
    raw = mail(sender="service@paypal.example", subject="A dispute has been opened",
               body="A buyer opened a dispute for transaction 9AB12. Respond within 10 days.",
               Auto_Submitted="auto-generated")
    msg = parse(RawMessage("m.eml", raw))
    assert needs_person(msg, msg.text_plain)
    newsletter = parse(RawMessage("n.eml", mail(sender="news@shop.example", body="Our Black Friday sale!")))
    assert not needs_person(newsletter, newsletter.text_plain)
