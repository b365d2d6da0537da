"""The carriers' tracking-number formats: our own table, one row per format.

Each pattern full-matches the compact number (upper case, spaces and
hyphens removed).  `strength` says what else a match needs before it is
taken as a tracking number:

- "strong": a prefix or a structure nothing else in a customer's mail has
  (1Z..., an S10 number with a real country, TBA..., YT..., a 22-digit USPS
  number starting 92-95), so it stands on its own.
- "cue": digits only, or a letter and digits, with a check digit.  One in
  7 to 36 random numbers passes such a check, so a phone number or an
  AliExpress order number would too: it needs "tracking", "parcel" or a
  carrier's name in its sentence.
- "named": no check digit and no distinctive prefix (DHL eCommerce's 14
  digits, Amazon's C + 10 digits): only when the sentence names that carrier.

When a sentence names a carrier, numbers that are digits only are read as
that carrier's formats only: the customer's word is the best evidence of
which of several same-length formats it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from . import checkdigits as cd


@dataclass(frozen=True)
class Format:
    carrier: str  # the slug reported, as the order data writes carriers
    service: str  # the carrier's name for this kind of number
    pattern: re.Pattern
    check: Callable[[str], bool] | None
    strength: str  # "strong", "cue" or "named"
    # The part customers and tracking pages use, when the label carries a
    # routing prefix (USPS's "420" + ZIP): a function of the compact number.
    canonical: Callable[[str], str] | None = None


# ISO 3166-1 alpha-2: an S10 number ends in the posting country's code.
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

# The postal operator behind an S10 number, by the country it ends in.
POSTAL_OPERATORS = {
    "CN": "china_post", "HK": "hongkong_post", "SG": "singapore_post", "TW": "chunghwa_post",
    "US": "usps", "CA": "canada_post", "GB": "royal_mail", "IE": "an_post", "DE": "deutsche_post",
    "AT": "austrian_post", "CH": "swiss_post", "FR": "la_poste", "BE": "bpost", "NL": "postnl",
    "LU": "post_luxembourg", "ES": "correos", "PT": "ctt", "IT": "poste_italiane", "SE": "postnord",
    "DK": "postnord", "NO": "posten_norge", "FI": "posti", "PL": "poczta_polska", "CZ": "ceska_posta",
    "AU": "australia_post", "NZ": "nz_post", "JP": "japan_post", "KR": "korea_post",
    "MY": "pos_malaysia", "TH": "thailand_post", "IN": "india_post", "BR": "correios",
    "MX": "correos_de_mexico", "RU": "russian_post", "UA": "ukrposhta", "IL": "israel_post",
}


def s10_carrier(number: str) -> str:
    return POSTAL_OPERATORS.get(number[-2:], f"post_{number[-2:].lower()}")


def _usps_serial(number: str) -> str:
    """A USPS label's 420+ZIP routing prefix is not part of the tracking number."""
    match = USPS_ROUTED.fullmatch(number)
    return match.group("serial") if match else number


def _usps_check(number: str) -> bool:
    return cd.gs1_mod10(_usps_serial(number))


def _usps20_check(number: str) -> bool:
    # Older 20-digit labels validate with the "91" application identifier in front.
    return cd.gs1_mod10(number) or cd.gs1_mod10("91" + number)


def _ups_waybill_check(number: str) -> bool:
    return cd.ups_mod10(number[1:])


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# USPS IMpb: 9[1-5] + 20 or 24 digits, optionally behind "420" + a 5- or 9-digit ZIP.
USPS_ROUTED = _re(r"420(?:\d{5}|\d{9})(?P<serial>9[1-5](?:\d{20}|\d{24}))")

FORMATS: tuple[Format, ...] = (
    # Letter-prefixed formats: the prefix is half the evidence.
    Format("ups", "UPS", _re(r"1Z[0-9A-Z]{16}"), lambda n: cd.ups_mod10(n[2:]), "strong"),
    Format("amazon", "Amazon Logistics", _re(r"TB[ACM]\d{12}"), None, "strong"),
    Format("yunexpress", "YunExpress", _re(r"YT\d{16}"), None, "strong"),
    Format("cainiao", "Cainiao", _re(r"LP\d{14}|CAINIAO[0-9A-Z]{8,20}|CNG\d{13}"), None, "strong"),
    Format("4px", "4PX", _re(r"4PX\d{10,16}(?:CN)?"), None, "strong"),
    # Yanwen ends its S10-shaped numbers in "YP", which is no country.
    Format("yanwen", "Yanwen", _re(r"[A-Z]{2}\d{9}YP|YW\d{9,12}"), None, "strong"),
    Format("s10", "UPU S10", _re(r"[A-Z]{2}\d{9}[A-Z]{2}"),
           lambda n: n[-2:] in COUNTRIES and cd.s10_mod11(n[2:11]), "strong"),
    Format("dhl", "DHL eCommerce", _re(r"GM(?=[0-9A-Z]*\d{8})[0-9A-Z]{14,22}"), None, "strong"),
    Format("dhl", "DHL Express piece ID", _re(r"J[A-Z]{2,3}\d{9,11}"), None, "strong"),
    Format("postnl", "PostNL", _re(r"3S[A-Z]{4}\d{7,9}"), None, "strong"),
    Format("usps", "USPS IMpb", _re(r"(?:420(?:\d{5}|\d{9}))?9[1-5](?:\d{20}|\d{24})"),
           _usps_check, "strong", canonical=_usps_serial),
    Format("fedex", "FedEx Ground 96 (22)", _re(r"96\d{20}"), lambda n: cd.gs1_mod10(n[-15:]), "strong"),
    Format("fedex", "FedEx Ground GSN (34)", _re(r"96\d{32}"), lambda n: cd.fedex_mod11(n[-14:]), "strong"),
    # Regional carriers of US, Canadian and UK customers (formats from
    # tracking_number_data, the data the `tracking-numbers` package is built on).
    Format("gofo", "GOFO Express", _re(r"GFUS\d{14}"), None, "strong"),
    Format("landmark", "Landmark Global", _re(r"LTN\d{8}N1"), None, "strong"),
    Format("speedee", "Spee-Dee", _re(r"SP\d{18}"), None, "strong"),
    Format("yodel", "Yodel", _re(r"J?JD\d{16}"), None, "strong"),
    Format("lasership", "LaserShip 1LS", _re(r"1LS7[12](?:\d{10}|\d{2}01[1-4]\d{6}1)|1LSCX[0-9A-Z]{10}"), None, "strong"),
    # A letter and digits with a check digit: common enough shapes to need a cue.
    Format("ontrac", "OnTrac", _re(r"[CD]\d{14}"), cd.ontrac_mod10, "cue"),
    Format("lasership", "LaserShip", _re(r"L[AIEHNX][1-3]\d{7}"), None, "cue"),
    Format("ups", "UPS waybill", _re(r"[AHJKTV]\d{10}"), _ups_waybill_check, "cue"),
    # Digits only: a check digit and a cue.
    Format("fedex", "FedEx Express (12)", _re(r"\d{12}"), cd.fedex_mod11, "cue"),
    Format("purolator", "Purolator (12)", _re(r"[0-5]\d{11}"), cd.luhn, "cue"),
    Format("fedex", "FedEx Express (34)", _re(r"[0-8]\d{33}"), lambda n: cd.fedex_mod11(n[-14:]), "cue"),
    Format("fedex", "FedEx ASTRA (32)", _re(r"3\d{31}"), lambda n: cd.fedex_mod11(n[16:28]), "cue"),
    Format("fedex", "FedEx Ground (15)", _re(r"\d{15}"), cd.gs1_mod10, "cue"),
    Format("fedex", "FedEx Ground SSCC-18", _re(r"00\d{16}"), cd.gs1_mod10, "cue"),
    Format("usps", "USPS (20)", _re(r"\d{20}"), _usps20_check, "cue"),
    Format("canada_post", "Canada Post (16)", _re(r"\d{16}"), cd.gs1_mod10, "cue"),
    Format("dpd", "DPD (14)", _re(r"\d{14}[0-9A-Z]"), cd.iso7064_mod37_36, "cue"),
    Format("dpd", "DPD (28)", _re(r"\d{27}[0-9A-Z]"), cd.iso7064_mod37_36, "cue"),
    Format("dhl", "DHL Express", _re(r"\d{10,11}"), cd.dhl_mod7, "cue"),
    # No check digit at all: only where the customer names the carrier.
    Format("dhl", "DHL eCommerce (14)", _re(r"\d{14}"), None, "named"),
    Format("amazon", "Amazon International", _re(r"[ACF]\d{10}"), None, "named"),
    Format("canpar", "Canpar", _re(r"[CDKLSUXZ]\d{21}"), None, "named"),
    Format("purolator", "Purolator", _re(r"[A-Z]{3}\d{9}"), None, "named"),
)

# How customers name carriers; the slug is the Format.carrier it points to.
CARRIER_NAMES: tuple[tuple[str, str], ...] = (
    ("ups", r"\bups\b"),
    ("usps", r"\busps\b|\bu\.s\.\s*postal|\bus\s*postal|\bunited states postal"),
    ("fedex", r"\bfed\s?ex\b|\bfederal express\b"),
    ("dhl", r"\bdhl\b"),
    ("dpd", r"\bdpd\b"),
    ("canada_post", r"\bcanada\s*post\b|\bpostes\s*canada\b"),
    ("amazon", r"\bamazon\b"),
    ("yunexpress", r"\byun\s?express\b"),
    ("cainiao", r"\bcainiao\b|\baliexpress standard\b"),
    ("4px", r"\b4px\b"),
    ("yanwen", r"\byanwen\b"),
    ("postnl", r"\bpost\s?nl\b"),
    ("ontrac", r"\bon\s?trac\b"),
    ("lasership", r"\blaser\s?ship\b"),
    ("purolator", r"\bpurolator\b"),
    ("canpar", r"\bcanpar\b"),
    ("gofo", r"\bgofo\b"),
    ("landmark", r"\blandmark\b"),
    ("speedee", r"\bspee-?dee\b"),
    ("yodel", r"\byodel\b"),
    ("s10", r"\bchina\s*post\b|\bepacket\b|\broyal\s*mail\b|\bdeutsche\s*post\b|\bla\s*poste\b|"
            r"\bcorreos\b|\bposte\s*italiane\b|\bpostnord\b|\baustralia\s*post\b"),
)


@dataclass(frozen=True)
class Carrier:
    name: str  # as customers know it
    tracking_url: str  # with {number} where the tracking number goes; "" when the carrier has no public page
    usual_transit_days: int  # days from shipping to delivery a parcel usually takes; longer goes to a person


# A carrier without a known usual time (not in the table, or a postal operator
# the table only names): a generic transit time.
UNKNOWN_CARRIER_TRANSIT_DAYS = 35

# The carrier table behind order-status replies, and the one place carriers are
# named (mailbot/i18n/formats.py only adds what a language calls them
# differently).  Tracking pages are the carriers' own (tracking_number_data's, where it has them); transit times are
# the usual worldwide times from a warehouse in China, generous on purpose:
# a parcel past them is late enough for a person to open an inquiry.
CARRIERS: dict[str, Carrier] = {
    "china_post": Carrier("China Post", "https://track.aftership.com/china-post/{number}", 35),
    "cainiao": Carrier("Cainiao", "https://global.cainiao.com/detail.htm?mailNoList={number}", 30),
    "yunexpress": Carrier("YunExpress", "https://www.yuntrack.com/parcelTracking?id={number}", 25),
    "4px": Carrier("4PX", "https://track.4px.com/#/result/0/{number}", 25),
    "yanwen": Carrier("Yanwen", "https://track.yw56.com.cn/en/querydel?nums={number}", 35),
    "ups": Carrier("UPS", "https://www.ups.com/track?tracknum={number}", 14),
    "usps": Carrier("USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}", 21),
    "fedex": Carrier("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}", 14),
    "dhl": Carrier("DHL", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}", 14),
    "dpd": Carrier("DPD", "https://tracking.dpd.de/status/en_US/parcel/{number}", 14),
    "amazon": Carrier("Amazon", "https://track.amazon.com/tracking/{number}", 14),
    "canada_post": Carrier("Canada Post", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}", 25),
    "postnl": Carrier("PostNL", "https://postnl.post/tracktrace?barcodes={number}", 25),
    "royal_mail": Carrier("Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/{number}", 25),
    "deutsche_post": Carrier("Deutsche Post", "https://www.deutschepost.de/sendung/simpleQuery.html?form.sendungsnummer={number}", 25),
    "la_poste": Carrier("La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}", 25),
    "ontrac": Carrier("OnTrac", "https://www.ontrac.com/tracking/?number={number}", 14),
    "lasership": Carrier("LaserShip", "https://www.lasership.com/track/{number}", 14),
    "purolator": Carrier("Purolator", "https://www.purolator.com/en/shipping/tracker?searchValue={number}", 14),
    "canpar": Carrier("Canpar", "https://www.canpar.com/en/track/tracking.jsp?reference={number}&locale=en", 14),
    "gofo": Carrier("GOFO Express", "https://www.gofoexpress.com/tracking.html?searchID={number}", 14),
    "landmark": Carrier("Landmark Global", "https://track.landmarkglobal.com/?search={number}", 25),
    "speedee": Carrier("Spee-Dee", "https://www.speedeedelivery.com/track/?tracking={number}", 14),
    "yodel": Carrier("Yodel", "https://www.yodel.co.uk/tracking/{number}", 14),
    # The other postal operators an S10 number may end with (POSTAL_OPERATORS): their names, so a
    # reply never shows a slug; no tracking page in the table yet, and the generic transit time.
    "hongkong_post": Carrier("Hongkong Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "singapore_post": Carrier("Singapore Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "chunghwa_post": Carrier("Chunghwa Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "an_post": Carrier("An Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "austrian_post": Carrier("Österreichische Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "swiss_post": Carrier("Swiss Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "bpost": Carrier("bpost", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "post_luxembourg": Carrier("POST Luxembourg", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "correos": Carrier("Correos", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "ctt": Carrier("CTT", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "poste_italiane": Carrier("Poste Italiane", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "postnord": Carrier("PostNord", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "posten_norge": Carrier("Posten Norge", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "posti": Carrier("Posti", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "poczta_polska": Carrier("Poczta Polska", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "ceska_posta": Carrier("Česká pošta", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "australia_post": Carrier("Australia Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "nz_post": Carrier("NZ Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "japan_post": Carrier("Japan Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "korea_post": Carrier("Korea Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "pos_malaysia": Carrier("Pos Malaysia", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "thailand_post": Carrier("Thailand Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "india_post": Carrier("India Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "correios": Carrier("Correios", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "correos_de_mexico": Carrier("Correos de México", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "russian_post": Carrier("Russian Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "ukrposhta": Carrier("Ukrposhta", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    "israel_post": Carrier("Israel Post", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
    # A postal (S10) number whose operator is not known: the national post of wherever it goes.
    "s10": Carrier("the postal service", "", UNKNOWN_CARRIER_TRANSIT_DAYS),
}
def carrier_info(slug: str) -> Carrier:
    """The table's row for a carrier slug (as the order data writes it); unknown ones by name."""
    known = CARRIERS.get(slug.strip().lower())
    if known:
        return known
    name = slug.replace("_", " ").title() if slug else "the carrier"
    return Carrier(name, "", UNKNOWN_CARRIER_TRANSIT_DAYS)


def tracking_url(slug: str, number: str) -> str:
    """The carrier's tracking page for this number, or "" when there is none."""
    template = carrier_info(slug).tracking_url
    # The number goes into a link: quoted, so no character of it can change where the link goes.
    return template.format(number=quote(number, safe="")) if template and number else ""
