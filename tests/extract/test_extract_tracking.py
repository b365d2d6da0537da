"""Tracking numbers in the sentences customers write, and the digits that are not one."""

import pytest

from mailbot.extract.tracking import find_tracking_numbers


def found(text: str, known=None) -> list[tuple[str, str]]:
    return [(t.number, t.carrier) for t in find_tracking_numbers(text, known)]


@pytest.mark.parametrize("sentence, expected", [
    ("Your UPS tracking number is 1Z999AA10123456784.", [("1Z999AA10123456784", "ups")]),
    ("Tracking: 1Z 999 AA1 0123 4567 84 - no movement since Monday", [("1Z999AA10123456784", "ups")]),
    ("the tracking is 1z999aa10123456784 but it says label created", [("1Z999AA10123456784", "ups")]),
    ("UPS waybill K1506235620 has not moved", [("K1506235620", "ups")]),
    ("USPS tracking 9400 1112 0108 0805 4830 16 shows nothing.", [("9400111201080805483016", "usps")]),
    ("It says 9400111899223397658533 was delivered but I have nothing",
     [("9400111899223397658533", "usps")]),
    ("USPS label 420 22153 9101026837331000039521 is stuck", [("9101026837331000039521", "usps")]),
    ("The USPS tracking number 7196 9010 7560 0307 7385 hasn't updated", [("71969010756003077385", "usps")]),
    ("FedEx tracking 986578788855 says delayed.", [("986578788855", "fedex")]),
    ("My tracking number: 986578788855", [("986578788855", "fedex")]),
    ("FedEx Ground 0414 4176 0228 964 says out for delivery", [("041441760228964", "fedex")]),
    ("Package 9611020987654312345672 was returned to sender?", [("9611020987654312345672", "fedex")]),
    ("DHL Sendungsnummer 3318810025, seit Tagen kein Update", [("3318810025", "dhl")]),
    ("My DHL waybill is 8487135506 and it's stuck in customs", [("8487135506", "dhl")]),
    ("DHL eCommerce GM2951173225174494 shows nothing", [("GM2951173225174494", "dhl")]),
    ("the DHL piece ID JJD0099999999 is on the box", [("JJD0099999999", "dhl")]),
    ("Tracking number LX607183429CN hasn't moved in 10 days", [("LX607183429CN", "china_post")]),
    ("I sent it back by registered post (tracking RR402881652IE)", [("RR402881652IE", "an_post")]),
    ("Royal Mail says RB123456785GB was delivered", [("RB123456785GB", "royal_mail")]),
    ("AliExpress shows LP00687234510992 in transit", [("LP00687234510992", "cainiao")]),
    ("YunExpress tracking YT2230418856203317 stuck", [("YT2230418856203317", "yunexpress")]),
    ("The 4PX number 4PX3001209876543CN has no updates", [("4PX3001209876543CN", "4px")]),
    ("Yanwen UG123456789YP, is it lost?", [("UG123456789YP", "yanwen")]),
    ("Amazon tracking TBA302918475000 shows delivered to a neighbour", [("TBA302918475000", "amazon")]),
    ("Canada Post tracking 7035114477138472 still in Mississauga", [("7035114477138472", "canada_post")]),
    ("My DPD parcel 0998 0000 0200 34D never came", [("0998000002003 4D".replace(" ", ""), "dpd")]),
    ("Two parcels: 1Z999AA10123456784 and LX607183429CN.",
     [("1Z999AA10123456784", "ups"), ("LX607183429CN", "china_post")]),
    ("Track it here: https://t.17track.net/en#nums=LY210938472CN", [("LY210938472CN", "china_post")]),
    ("Sendung LY210938472CN\nStatus: Departed from outward office of exchange",
     [("LY210938472CN", "china_post")]),
])
def test_tracking_numbers_with_their_carrier(sentence, expected):
    assert found(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "No tracking yet, please call me on 3318810025",          # a valid DHL check digit, but a phone
    "My number is (415) 555-0123, the tracking never updated",
    "tracking 3318810010 says nothing",                        # DHL check digit wrong
    "Tracking: 1Z1111111111111111",                            # UPS check digit wrong
    "tracking RB123456786US",                                  # S10 check digit wrong
    "tracking RB123456785XX",                                  # XX is no country
    "My order number is 10492.",
    "Amazon order 113-1234567-1234567 arrived broken",
    "AliExpress order 8183849384938475, the package hasn't arrived",
    "Please refund to IBAN DE89 3704 0044 0532 0130 00, thanks",
    "Refund to my card 4111 1111 1111 1111 please",
    "my tracking number is 000000000000",                      # a placeholder
    "The parcel left on 2026-11-05 10:02 from Shenzhen",
    "I have 986578788855 reasons to be annoyed",               # a FedEx check digit, no cue
    "The package weighs 3318810025 grams",                     # a DHL check digit, but a weight
    "PayPal transaction 5TY05013RG002845M for the refund",    # another service's reference
    "https://click.tracking.example.com/ls/click?upn=3318810025&u=1",  # a link's id
])
def test_digits_that_are_not_tracking_numbers(sentence):
    assert found(sentence) == []


def test_a_ten_digit_number_with_a_dhl_check_digit_and_a_parcel_word_is_taken():
    # The documented cost of reading DHL numbers without the carrier's name:
    # one ten-digit number in seven passes mod 7, so a cue word is required
    # and phone numbers are excluded by their words and shapes, not by digits.
    assert found("The parcel number is 3318810025") == [("3318810025", "dhl")]


def test_a_named_carrier_restricts_digits_only_numbers_to_its_formats():
    # 16 digits that pass Canada Post's check digit, but the customer says DHL.
    assert found("My DHL tracking number is 7035114477138472") == []
    assert found("My Canada Post tracking number is 7035114477138472") == [("7035114477138472", "canada_post")]


def test_numbers_the_order_data_knows_are_taken_without_a_check_digit():
    known = {"LX123456789CN": "china_post"}  # its check digit is wrong
    assert found("Your parcel LX123456789CN", known) == [("LX123456789CN", "china_post")]
    assert found("Your parcel LX123456789CN") == []


def test_the_check_digit_is_reported():
    (ups,) = find_tracking_numbers("UPS 1Z999AA10123456784")
    (amazon,) = find_tracking_numbers("Amazon TBA302918475000")
    assert ups.check_digit is True and ups.service == "UPS"
    assert amazon.check_digit is False


def test_a_ups_shape_ending_in_a_letter_is_no_tracking_number():
    # Found by the fuzz test: the UPS check digit was read as int() of a letter, failing the whole message.
    assert find_tracking_numbers("tracking 1Z999AA1012345678G please", {}) == []
    assert [t.number for t in find_tracking_numbers("tracking 1Z999AA10123456784 please", {})] == ["1Z999AA10123456784"]
