"""Dates customers mention, resolved against the message's Date header, with their role."""

from datetime import date, datetime, timedelta, timezone

import pytest

from mailbot.extract.dates import find_dates

US = timezone(timedelta(hours=-5))
BERLIN = timezone(timedelta(hours=1))
UTC = timezone.utc
# Thursday 5 November 2026, mid-morning.
SENT_US = datetime(2026, 11, 5, 10, 2, tzinfo=US)
SENT_EU = datetime(2026, 11, 5, 10, 2, tzinfo=BERLIN)
SENT_UTC = datetime(2026, 11, 5, 10, 2, tzinfo=UTC)


def read(text, sent=SENT_US, language="en", domain="gmail.com"):
    return [(d.date.isoformat(), d.role) for d in find_dates(text, sent, language=language, sender_domain=domain)]


@pytest.mark.parametrize("sentence, sent, language, domain, expected", [
    ("It arrived yesterday and the spacebar is cracked.", SENT_US, "en", "gmail.com",
     [("2026-11-04", "delivered")]),
    ("I ordered it on October 19 and it still hasn't arrived.", SENT_US, "en", "gmail.com",
     [("2026-10-19", "ordered")]),
    ("I ordered on Oct 19 and it arrived yesterday.", SENT_US, "en", "gmail.com",
     [("2026-10-19", "ordered"), ("2026-11-04", "delivered")]),
    ("The parcel was delivered last Monday.", SENT_US, "en", "gmail.com", [("2026-11-02", "delivered")]),
    ("I received the keyboard 3 days ago.", SENT_US, "en", "gmail.com", [("2026-11-02", "delivered")]),
    ("I placed the order two weeks ago.", SENT_US, "en", "gmail.com", [("2026-10-22", "ordered")]),
    ("It shipped on 10/28 according to your email.", SENT_US, "en", "gmail.com", [("2026-10-28", "shipped")]),
    ("Delivered on 03/11, two keycaps missing.", SENT_US, "en", "gmail.com", [("2026-03-11", "delivered")]),
    ("Delivered on 03/11, two keycaps missing.", SENT_UTC, "en", "btinternet.co.uk", [("2026-11-03", "delivered")]),
    ("Delivered on 25/10 and broken.", SENT_US, "en", "gmail.com", [("2026-10-25", "delivered")]),
    ("Delivered 11/04, ordered 10/19.", SENT_UTC, "en", "gmail.com",
     [("2026-11-04", "delivered"), ("2026-10-19", "ordered")]),
    ("Ordered: 2026-10-19, shipped: 2026-10-22, delivered: 2026-11-02.", SENT_US, "en", "gmail.com",
     [("2026-10-19", "ordered"), ("2026-10-22", "shipped"), ("2026-11-02", "delivered")]),
    ("The order arrived on the 2nd of November.", SENT_US, "en", "gmail.com", [("2026-11-02", "delivered")]),
    ("It came on Monday, Nov 2.", SENT_US, "en", "gmail.com", [("2026-11-02", "delivered")]),
    ("I got it Monday and the box was crushed.", SENT_US, "en", "gmail.com", [("2026-11-02", "delivered")]),
    ("It arrived a week ago.", SENT_US, "en", "gmail.com", [("2026-10-29", "delivered")]),
    ("I ordered an hour ago, please cancel.", SENT_US, "en", "gmail.com", [("2026-11-05", "ordered")]),
    ("Just ordered 20 minutes ago by mistake", SENT_US, "en", "gmail.com", [("2026-11-05", "ordered")]),
    ("I placed order 10492 this morning.", SENT_US, "en", "gmail.com", [("2026-11-05", "ordered")]),
    ("Last week it finally arrived, broken.", SENT_US, "en", "gmail.com", [("2026-10-29", "delivered")]),
    ("It has not been delivered since I ordered it on 28 October.", SENT_US, "en", "gmail.com",
     [("2026-10-28", "ordered")]),
    ("It was supposed to arrive on November 2nd.", SENT_US, "en", "gmail.com", [("2026-11-02", "expected")]),
    ("Tracking said it would be delivered by Nov 3 but nothing came.", SENT_US, "en", "gmail.com",
     [("2026-11-03", "expected")]),
    ("Invoice dated 2026-10-19 attached.", SENT_US, "en", "gmail.com", [("2026-10-19", None)]),
    ("Geliefert wurde es am 03.11., bestellt am 20.10.2026.", SENT_EU, "de", "web.de",
     [("2026-11-03", "delivered"), ("2026-10-20", "ordered")]),
    ("Ich habe das Paket gestern erhalten.", SENT_EU, "de", "gmx.de", [("2026-11-04", "delivered")]),
    ("Bestellt vor zwei Wochen, angekommen vorgestern.", SENT_EU, "de", "gmx.de",
     [("2026-10-22", "ordered"), ("2026-11-03", "delivered")]),
    ("Je l'ai reçu hier, le clavier est cassé.", SENT_EU, "fr", "orange.fr", [("2026-11-04", "delivered")]),
    ("Commandé il y a trois semaines, toujours rien.", SENT_EU, "fr", "orange.fr", [("2026-10-15", "ordered")]),
    ("Lo recibí el lunes pasado y viene roto.", SENT_EU, "es", "gmail.com", [("2026-11-02", "delivered")]),
    ("Hice el pedido hace 10 días.", SENT_EU, "es", "gmail.com", [("2026-10-26", "ordered")]),
    ("L'ho ricevuto ieri, è arrivato rotto.", SENT_EU, "it", "libero.it", [("2026-11-04", "delivered")]),
    ("Ik heb het pakket gisteren ontvangen.", SENT_EU, "nl", "gmail.com", [("2026-11-04", "delivered")]),
    ("Chegou ontem, mas veio partido.", SENT_EU, "pt", "gmail.com", [("2026-11-04", "delivered")]),
    ("Package was received on Dec 28.", datetime(2027, 1, 5, 9, 0, tzinfo=US), "en", "gmail.com",
     [("2026-12-28", "delivered")]),
])
def test_dates_with_their_role(sentence, sent, language, domain, expected):
    assert read(sentence, sent, language, domain) == expected


@pytest.mark.parametrize("sentence, language", [
    ("I'll be away next Monday, please ship before then.", "en"),
    ("I'm back on 9 November.", "en"),                      # after the message: a plan
    ("1/2 of the keycaps are the wrong colour.", "en"),     # a fraction
    ("The 65% board is 3.5 cm high.", "en"),
    ("I'm free Monday for a call.", "en"),                  # a weekday, but nothing happened then
    ("Hier ist das Foto vom Schaden.", "de"),               # German "hier" is "here"
    ("Versandt am 12.11.2026 laut Mail.", "de"),            # after the message either way round
    ("Rated 4.5/5 by 2 out of 3 reviewers, KS68 Gen 2.", "en"),
    ("I want 2 sets and 1 set of spares.", "en"),
    ("I bought it on Black Friday, great deal.", "en"),    # a sale, not last Friday
    ("Call me at 10:30 tomorrow.", "en"),
])
def test_things_that_are_not_past_dates(sentence, language):
    assert read(sentence, SENT_EU, language, "web.de") == []


def test_ambiguous_numeric_date_without_any_locale_evidence_takes_the_nearest_and_says_so():
    (d,) = find_dates("It was delivered on 03/11.", SENT_UTC, language="en", sender_domain="gmail.com")
    assert d.date == date(2026, 11, 3) and d.ambiguous


def test_a_date_read_against_the_senders_locale_is_marked_ambiguous():
    # A UK sender's 10/11/2026 would be 10 November, after the message: the
    # other reading is taken, but not as a certainty.
    (d,) = find_dates("Got it on 10/11/2026 and it's broken", SENT_UTC, sender_domain="yahoo.co.uk")
    assert d.date == date(2026, 10, 11) and d.ambiguous


def test_relative_dates_need_the_date_header():
    assert find_dates("It arrived yesterday.", None) == []
    assert [d.date for d in find_dates("Delivered on 2026-11-02.", None)] == [date(2026, 11, 2)]


def test_relative_dates_count_from_the_message_not_the_wall_clock():
    (d,) = find_dates("It arrived yesterday.", datetime(2020, 2, 1, 8, 0, tzinfo=UTC))
    assert d.date == date(2020, 1, 31)


def test_weeks_and_months_are_approximate():
    (d,) = find_dates("I ordered two months ago.", SENT_US)
    assert d.approximate and d.role == "ordered"
