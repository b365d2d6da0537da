"""Order numbers as customers write them, and everything that only looks like one."""

from datetime import date

import pytest

from mailbot.config import ExtractConfig
from mailbot.extract import Extractor
from mailbot.extract.orders import OrderPatterns, find_order_numbers
from mailbot.orders import Order, OrderBook
from mailbot.records import ParsedMessage

CONFIG = ExtractConfig()
PATTERNS = OrderPatterns.build(CONFIG.order_prefixes, CONFIG.order_digits_min, CONFIG.order_digits_max,
                               CONFIG.order_patterns, CONFIG.other_companies)


def numbers(text: str) -> list[str]:
    return [c.number for c in find_order_numbers(text, PATTERNS)]


@pytest.mark.parametrize("sentence, expected", [
    ("Hi, my order #10492 arrived with a cracked spacebar.", ["10492"]),
    ("Order No. KS-10492 still hasn't shipped, any news?", ["10492"]),
    ("My order number is 10492, could you check the status?", ["10492"]),
    ("ord#10492 - wrong colour keycaps", ["10492"]),
    ("Fwd: Order #10492 confirmed", ["10492"]),
    ("I placed order 10492 last week and nothing since.", ["10492"]),
    ("Bestellnummer: 10492", ["10492"]),
    ("Meine Bestellung Nr. 10492 ist noch nicht angekommen.", ["10492"]),
    ("Ma commande n° 10492 est arrivée cassée.", ["10492"]),
    ("Il mio ordine n. 10492 non è ancora arrivato.", ["10492"]),
    ("Mi pedido nº 10492 llegó roto.", ["10492"]),
    ("Mijn bestelling 10492 is nog niet aangekomen.", ["10492"]),
    ("Zamówienie nr 10492 nie dotarło.", ["10492"]),
    ("I have two orders, 10497 and 10513, both late.", ["10497", "10513"]),
    ("Orders #10497 and #10513 are both missing keys.", ["10497", "10513"]),
    ("Re: Your Keysme order #10492 has shipped", ["10492"]),
    ("Hi, about KS-10492: the keycaps are the wrong profile.", ["10492"]),
    ("#10492 - spacebar missing", ["10492"]),
    ("My order (#10492) never arrived.", ["10492"]),
    ("order id: 10492", ["10492"]),
    ("Order: KS10492", ["10492"]),
    ("I'm writing about order 10492 and the replacement for order 10485.", ["10492", "10485"]),
    ("The order number is: 10492.", ["10492"]),
    ("your order number: KS-10492.", ["10492"]),
    ("ORDER #10492 WRONG ITEM!!!", ["10492"]),
    ("Bestellung #10492, #10493 und #10494 sind betroffen", ["10492", "10493", "10494"]),
    ("leider fehlt das Kabel. Bestellnr. 10492", ["10492"]),
    ("J'ai passé commande le 12 octobre (n° 10492), toujours rien reçu.", ["10492"]),
    ("PayPal: Invoice ID: 10492", ["10492"]),
    ("I want to return my KS68 keyboard (#10505), it is too loud.", ["10505"]),
    ("Please cancel the order I placed this morning, the number is 10544.", ["10544"]),
])
def test_order_numbers_customers_write(sentence, expected):
    assert numbers(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Please call me on +44 7700 900123 about the order.",
    "My phone number is 0176 12345678.",
    "Call me at 415-555-0123 about my order.",
    "Ship it to 10492 Berlin, Germany.",
    "My address is 2208 S Lamar Blvd Apt 4, Austin TX 78704.",
    "Keeb Weekly, 548 Market St #38112, San Francisco, CA 94104",
    "I paid $104.92 for the order.",
    "The order total was 10492 JPY.",
    "I want to order 1000 keycaps for my company.",
    "Can I order 5000 pcs for an event?",
    "I ordered a KS68 and a K8 Pro.",
    "Is the KS-1000 keyboard in stock?",
    "This is about ticket #104928.",
    "Your case number 10492 was closed.",
    "Re: [#55321] Keycap question",
    "Re: (#5290765) Proxmox Shop E-Mails",
    "> Subject: RE: (#5290765) Proxmox Shop E-Mails",
    "My Amazon order 1049211 was fine, yours wasn't.",
    "I bought it on AliExpress, order 8183849384938475.",
    "I placed an order in 2026 and another in 2025.",
    "my order 2025 arrived",
    "Order from 10.11.2026 hasn't arrived.",
    "My PayPal transaction #10492 went through.",
    "Tracking #10492 shows nothing.",
    "Suite #1049, New York, NY 10001",
    "The switches are rated for 50000000 keystrokes.",
    "order 10492.50 EUR refund",
    "About my order: my new phone number is 5415550142.",
    "About my order: please call my mobile no. 1234567",
    "Please call me regarding my order: 0176 12345678",
])
def test_numbers_that_are_not_our_orders(sentence):
    assert numbers(sentence) == []


def test_an_order_number_inside_a_tracking_number_is_not_taken():
    text = "Order tracking LX607183429CN for order 10492"
    found = find_order_numbers(text, PATTERNS, [(15, 28)])
    assert [c.number for c in found] == ["10492"]


# --- with the order data loaded -------------------------------------------------------

def order(number: str, email: str) -> Order:
    return Order(number, email, "Customer", date(2026, 10, 20), None, None, "processing", "", "", "card", ())


def message(text: str, sender: str = "laura.schmidt@web.de", subject: str = "my order") -> ParsedMessage:
    return ParsedMessage(
        source="test", identity="test", message_id=None, from_addr=sender, from_name="", reply_to=None,
        to=("support@keysme.com",), subject=subject, date=None, headers=(), content_type="text/plain",
        text_plain=text, text_html="", parts=(), forwarded_text="", size=len(text))


BOOK = OrderBook({"10492": order("10492", "laura.schmidt@web.de"), "10485": order("10485", "jmiller@icloud.com")})


def test_a_real_order_wins_over_a_number_that_is_not_one():
    x = Extractor.from_config(CONFIG, BOOK)(message("Order 99999 or maybe order 10492, not sure."))
    assert [(o.number, o.known, o.sender_matches) for o in x.orders] == [("10492", True, True)]


def test_sender_not_matching_the_orders_email_is_reported():
    x = Extractor.from_config(CONFIG, BOOK)(message("Where is order #10485?", sender="someone@else.org"))
    assert [(o.number, o.known, o.sender_matches) for o in x.orders] == [("10485", True, False)]


def test_no_real_order_keeps_the_candidates_as_unknown():
    x = Extractor.from_config(CONFIG, BOOK)(message("My order is #55555"))
    assert [(o.number, o.known) for o in x.orders] == [("55555", False)]


def test_a_bare_number_counts_only_when_it_is_the_senders_own_order():
    extractor = Extractor.from_config(CONFIG, BOOK)
    own = extractor(message("Hi, 10492 arrived with two keycaps missing."))
    assert [(o.number, o.cue) for o in own.orders] == [("10492", "bare")]
    stranger = extractor(message("Hi, 10492 arrived with two keycaps missing.", sender="x@y.com"))
    assert stranger.orders == ()


def test_numbers_are_normalised_to_the_form_the_order_data_stores():
    book = OrderBook({"KS-10492": order("KS-10492", "laura.schmidt@web.de")})
    x = Extractor.from_config(CONFIG, book)(message("Where is my order #10492?"))
    assert x.order_numbers == ["KS-10492"]


def test_without_order_data_numbers_are_digits_only():
    x = Extractor.from_config(CONFIG, OrderBook())(message("Order No. KS-10492 please"))
    assert x.order_numbers == ["10492"] and x.orders[0].known is None


def test_an_order_only_in_the_quoted_history_is_marked_quoted():
    text = "Still broken, please help.\n\nOn Mon, 2 Nov 2026 at 10:02, Keysme <support@keysme.com> wrote:\n> Your order #10492 has shipped."
    x = Extractor.from_config(CONFIG, OrderBook())(message(text, subject="help"))
    assert [(o.number, o.quoted) for o in x.orders] == [("10492", True)]


def test_config_patterns_come_first():
    config = ExtractConfig(order_patterns=[r"\bRef\s+(\d{5})\b"])
    patterns = OrderPatterns.build(config.order_prefixes, 4, 7, config.order_patterns, ())
    assert [c.number for c in find_order_numbers("Ref 10492 please", patterns)] == ["10492"]


@pytest.mark.parametrize("sentence, expected", [
    # Chinese, Japanese and Korean: the order word is glued to the number.
    ("注文10517がまだ届きません。", ["10517"]),
    ("注文番号は10517です。", ["10517"]),
    ("ご注文番号：#10517 について", ["10517"]),
    ("我的订单号是10517，还没有收到。", ["10517"]),
    ("订单10517还没到", ["10517"]),
    ("訂單編號：10517", ["10517"]),
    ("주문번호 10517 배송 언제 되나요?", ["10517"]),
    # Other languages' abbreviations and signs.
    ("Bestellung Nr. 10517 fehlt noch", ["10517"]),
    ("Ma commande n°10517 n'est pas arrivée", ["10517"]),
    ("Mi pedido #10517 no ha llegado", ["10517"]),
    ("A minha encomenda nº 10517 ainda não chegou", ["10517"]),
    # Not order numbers: a phone number and a year after CJK words.
    ("电话13800138000", []),
    ("注文は2026年11月にしました", []),
])
def test_order_numbers_in_other_scripts_and_languages(sentence, expected):
    assert numbers(sentence) == expected
