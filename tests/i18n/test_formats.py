"""Dates, money, carriers and payment methods as a reader of each language writes them (Babel, CLDR)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from mailbot.i18n.formats import Formats

NBSP = "\u00a0"


@pytest.mark.parametrize("language,expected", [
    ("en", "November 14, 2026"),
    ("de", "14. November 2026"),
    ("fr", "14 novembre 2026"),
    ("es", "14 de noviembre de 2026"),
    ("it", "14 novembre 2026"),
    ("nl", "14 november 2026"),
])
def test_dates_are_written_the_way_the_language_writes_them(language, expected):
    assert Formats(language).date(date(2026, 11, 14)) == expected


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    assert Formats("fr").date(date(2026, 11, 1)) == "1er novembre 2026"
    assert Formats("fr").date(date(2026, 11, 11)) == "11 novembre 2026"


def test_no_date_is_an_empty_string_for_templates_to_test():
    assert Formats("de").date(None) == "" and Formats("de").datetime(None) == ("", "")


@pytest.mark.parametrize("language,eur,gbp", [
    ("en", "€1,059.50", "£39.99"),
    ("de", f"1.059,50{NBSP}€", f"39,99{NBSP}£"),
    ("fr", f"1{NBSP}059,50{NBSP}€", f"39,99{NBSP}£GB"),
    ("es", f"1.059,50{NBSP}€", f"39,99{NBSP}GBP"),
    ("it", f"1.059,50{NBSP}€", f"39,99{NBSP}£"),
    ("nl", f"€{NBSP}1.059,50", f"£{NBSP}39,99"),
])
def test_money_is_written_with_the_language_separators_and_symbol_place(language, eur, gbp):
    fmt = Formats(language)
    assert fmt.money("1059.50", "EUR") == eur
    assert fmt.money("39.99", "gbp") == gbp


def test_money_without_an_amount_or_currency_is_empty_not_an_error():
    fmt = Formats("de")
    assert fmt.money("", "EUR") == "" and fmt.money("12.00", "") == "" and fmt.money("n/a", "EUR") == ""


def test_the_writer_s_own_time_zone_and_clock():
    sent = datetime(2026, 11, 3, 22, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert Formats("en").datetime(sent) == ("Tue, Nov 3, 2026", f"10:30{NBSP}PM")
    assert Formats("de").datetime(sent) == ("Di., 3. Nov. 2026", "22:30")


def test_carriers_by_their_names_not_the_order_data_slugs():
    assert Formats("en").carrier("china_post") == "China Post"
    assert Formats("de").carrier("usps") == "USPS" and Formats("de").carrier("fedex") == "FedEx"
    assert Formats("fr").carrier("canada_post") == "Postes Canada"  # the name French readers know
    assert Formats("en").carrier("canada_post") == "Canada Post"
    assert Formats("it").carrier("some_new_carrier") == "Some New Carrier"
    assert Formats("en").carrier("") == ""


def test_payment_methods_brand_names_stay_ordinary_words_are_translated():
    assert Formats("de").payment_method("paypal") == "PayPal"
    assert Formats("de").payment_method("card") == "Karte"
    assert Formats("fr").payment_method("bank_transfer") == "virement bancaire"
    assert Formats("en").payment_method("bank_transfer") == "bank transfer"


def test_an_unknown_language_formats_as_english_rather_than_failing():
    assert Formats("xx").date(date(2026, 11, 14)) == "November 14, 2026"


def test_carrier_names_come_from_the_one_carrier_table():
    from mailbot.extract.carriers import CARRIERS, POSTAL_OPERATORS, carrier_info
    # Every carrier a tracking number can point at has its name there: a reply never shows a slug.
    assert set(POSTAL_OPERATORS.values()) <= set(CARRIERS)
    for slug in CARRIERS:
        assert Formats("en").carrier(slug) == carrier_info(slug).name
    assert Formats("de").carrier("s10") == "die Post" and Formats("en").carrier("s10") == "the postal service"


def test_the_reviewer_s_tracking_link_is_the_one_the_reply_gives():
    from mailbot.extract.carriers import tracking_url
    from mailbot.web.links import tracking_link
    assert tracking_link("1Z999AA10123456784", "ups") == tracking_url("ups", "1Z999AA10123456784") \
        == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert tracking_link("RR123456785DE", "s10").startswith("https://t.17track.net/")  # no page of its own
    assert tracking_url("ups", "1Z9/../x?y") == "https://www.ups.com/track?tracknum=1Z9%2F..%2Fx%3Fy"
