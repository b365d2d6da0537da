"""The name a reply greets the customer by, from From headers as people really write them."""

import pytest

from mailbot.i18n.greeting import addressee


@pytest.mark.parametrize("display,address,first", [
    ("Sofia Hernandez", "sofia@example.com", "Sofia"),
    ("Hernandez, Sofia", "sofia@example.com", "Sofia"),  # Outlook's company directory
    ("Hernandez, Sofia M.", "s@example.com", "Sofia"),
    ("van der Berg, Jan", "jan@example.nl", "Jan"),
    ("Sofia Hernandez, PhD", "s@example.com", "Sofia"),  # a degree after the comma, not a given name
    ("Dr. Sofia Hernandez", "s@example.com", "Sofia"),
    ("Prof. Dr. Klaus Weber", "k@example.de", "Klaus"),
    ("Herr Thomas Müller", "t@example.de", "Thomas"),
    ("Mme Claire Dubois", "c@example.fr", "Claire"),
    ("SOFIA HERNANDEZ", "s@example.com", "Sofia"),
    ("JEAN-LUC O'BRIEN", "j@example.com", "Jean-Luc"),
    ("sofía hernández", "s@example.com", "Sofía"),
    ("María José García", "mj@example.es", "María"),
    ('"Sofia Hernandez"', "s@example.com", "Sofia"),
    ("Sofia Hernandez (work)", "s@example.com", "Sofia"),
    ("Sofia Hernandez via Shopify", "s@example.com", "Sofia"),
    ("Sofia Hernandez | ACME Keyboards", "s@example.com", "Sofia"),
    ("Sofia", "sofia@example.com", "Sofia"),  # written with a capital: the person's own name
    ("Sofia 🌸 Hernandez", "s@example.com", "Sofia"),
    ("Иван Петров", "ivan@example.ru", "Иван"),
    ("山田 太郎", "taro@example.jp", "山田 太郎"),  # family name first: the whole name, as written
])
def test_greets_by_the_given_name(display, address, first):
    who = addressee(display, address)
    assert who.first_name == first and who.greeting_name == first


@pytest.mark.parametrize("display,address,formal", [
    ("Dr. Hernandez", "h@example.com", "Dr. Hernandez"),
    ("Frau Müller", "m@example.de", "Frau Müller"),
    ("HERR MÜLLER", "m@example.de", "Herr Müller"),
    ("Mr. Smith", "smith@example.com", "Mr. Smith"),
    ("DR. VAN DER BERG", "b@example.nl", "Dr. van der Berg"),
    ("J. Smith", "js@example.com", "J. Smith"),  # an initial is no given name; the name as written still is
])
def test_without_a_given_name_greets_by_title_and_family_name(display, address, formal):
    who = addressee(display, address)
    assert who.first_name == "" and who.greeting_name == formal


@pytest.mark.parametrize("display,address", [
    ("", "sofia.hernandez@gmail.com"),  # only an address
    ("sofia.hernandez@gmail.com", "sofia.hernandez@gmail.com"),
    ("'sofia.hernandez@gmail.com'", "sofia.hernandez@gmail.com"),
    ("kbfan", "kbfan@example.com"),  # the mail client filled in the address's local part
    ("keyfan88", "k@example.com"),  # a handle, not a name
    ("Support Team", "support@example.com"),
    ("Keysme Customer Service", "cs@example.com"),
    ("ACME GmbH", "info@acme.de"),
    ("Please help me with my order now", "x@example.com"),  # a sentence, not a name
    ("{{ 7*7 }}", "x@example.com"),
    ("Hernandez,", "x@example.com"),
    ("   ", "x@example.com"),
])
def test_no_name_to_greet_gives_none(display, address):
    who = addressee(display, address)
    assert who.greeting_name == ""


def test_never_a_family_name_with_a_stray_comma():
    # The bug this module exists for: "Hello Hernandez,,".
    for display in ("Hernandez, Sofia", "HERNANDEZ, SOFIA", "Hernandez,Sofia", "Hernandez , Sofia"):
        assert addressee(display, "s@example.com").greeting_name == "Sofia"
