"""Dates, money, carriers and payment methods as a reader of the reply's language writes them.

Babel formats from the Unicode CLDR data it ships (no download, no system
locale): "November 1, 2026" in English, "1. November 2026" in German,
"1 de noviembre de 2026" in Spanish; "€1,059.50" and "1.059,50 €".
Carrier and payment-method names are brand names, the same in every
language (carriers' from the one carrier table, extract/carriers.py); only
where a language has a usual name of its own ("Postes Canada" in French) or
the name is an ordinary word ("card", "Karte") does a table here differ by
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency

from ..extract.carriers import carrier_info

# Carriers' names come from the carrier table (mailbot/extract/carriers.py, with their tracking
# pages and transit times); here only where a language has its own usual name for one.
CARRIERS_BY_LANGUAGE = {
    "de": {"swiss_post": "die Schweizerische Post", "russian_post": "Russische Post", "s10": "die Post"},
    "fr": {"swiss_post": "La Poste suisse", "canada_post": "Postes Canada", "s10": "la poste"},
    "es": {"swiss_post": "Correos de Suiza", "s10": "el servicio postal"},
    "it": {"swiss_post": "La Posta Svizzera", "s10": "il servizio postale"},
    "nl": {"swiss_post": "Zwitserse Post", "s10": "de post"},
}
PAYMENT_METHODS = {
    "paypal": "PayPal", "klarna": "Klarna", "apple_pay": "Apple Pay", "google_pay": "Google Pay",
    "shop_pay": "Shop Pay", "ideal": "iDEAL", "sofort": "Sofort", "bancontact": "Bancontact", "alipay": "Alipay",
}
PAYMENT_METHODS_BY_LANGUAGE = {
    "en": {"card": "card", "credit_card": "credit card", "debit_card": "debit card", "bank_transfer": "bank transfer",
           "gift_card": "gift card", "cash_on_delivery": "cash on delivery", "invoice": "invoice"},
    "de": {"card": "Karte", "credit_card": "Kreditkarte", "debit_card": "Debitkarte", "bank_transfer": "Überweisung",
           "gift_card": "Geschenkkarte", "cash_on_delivery": "Nachnahme", "invoice": "Rechnung"},
    "fr": {"card": "carte bancaire", "credit_card": "carte de crédit", "debit_card": "carte de débit",
           "bank_transfer": "virement bancaire", "gift_card": "carte cadeau",
           "cash_on_delivery": "paiement à la livraison", "invoice": "facture"},
    "es": {"card": "tarjeta", "credit_card": "tarjeta de crédito", "debit_card": "tarjeta de débito",
           "bank_transfer": "transferencia bancaria", "gift_card": "tarjeta regalo",
           "cash_on_delivery": "contra reembolso", "invoice": "factura"},
    "it": {"card": "carta", "credit_card": "carta di credito", "debit_card": "carta di debito",
           "bank_transfer": "bonifico bancario", "gift_card": "carta regalo",
           "cash_on_delivery": "contrassegno", "invoice": "fattura"},
    "nl": {"card": "kaart", "credit_card": "creditcard", "debit_card": "betaalkaart",
           "bank_transfer": "bankoverschrijving", "gift_card": "cadeaukaart",
           "cash_on_delivery": "rembours", "invoice": "factuur"},
}


def _plain(text: str) -> str:
    # CLDR's narrow no-break space (U+202F, "10:00 AM", "1 059,50 €") shows as a box in some
    # mail clients' fonts; the ordinary no-break space keeps the same meaning everywhere.
    return text.replace("\u202f", "\u00a0")


@lru_cache(maxsize=4096)  # the order data's dates come back in reply after reply
def _long_date(language: str, value: date) -> str:
    text = _plain(format_date(value, "long", locale=_locale(language)))
    if language == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal: "1er novembre"
    return text


@lru_cache(maxsize=4096)  # the order data's prices, likewise
def _money(language: str, amount: str, currency: str) -> str:
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return ""
    try:
        return _plain(format_currency(value, currency, locale=_locale(language)))
    except (ValueError, KeyError):
        return f"{value} {currency}"


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@dataclass(frozen=True)
class Formats:
    """Formatting for one reply language."""

    language: str

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    def date(self, value: date | None) -> str:
        """ "November 1, 2026" / "1. November 2026"; "" for no date."""
        return _long_date(self.language, value) if value else ""

    def datetime(self, value: datetime | None) -> tuple[str, str]:
        """(weekday and date, time) in the writer's own time zone: ("Tue, Nov 3, 2026", "10:00 AM")."""
        if value is None:
            return "", ""
        return (_plain(format_skeleton("yMMMEd", value, locale=self.locale)),
                _plain(format_time(value, "short", tzinfo=value.tzinfo, locale=self.locale)))

    def money(self, amount: str | Decimal | float | int | None, currency: str) -> str:
        """ "€59.00" / "59,00 €"; "" when the amount or currency is missing or not a number."""
        if amount in (None, "") or not currency:
            return ""
        return _money(self.language, str(amount), currency.upper())

    def carrier(self, slug: str | None) -> str:
        """The carrier's name as readers of the language know it; "" for none."""
        if not slug:
            return ""
        own = CARRIERS_BY_LANGUAGE.get(self.language, {})
        if slug in own:
            return own[slug]
        return carrier_info(slug).name

    def payment_method(self, slug: str | None) -> str:
        if not slug:
            return ""
        if slug in PAYMENT_METHODS:
            return PAYMENT_METHODS[slug]
        words = PAYMENT_METHODS_BY_LANGUAGE.get(self.language) or PAYMENT_METHODS_BY_LANGUAGE["en"]
        return words.get(slug, slug.replace("_", " "))
