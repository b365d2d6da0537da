"""Who a reply goes to: exactly one well-formed address, or nobody.

The customer controls From and Reply-To.  A value such as
`a@x.com, b@y.com` or `"x" <a@x> <b@y>` would turn one reply into mail to a
stranger, and a name carrying CR/LF would add headers of its own; so the
recipient header must hold one plain address, parsed alike by the strict
RFC 5322 parser and the lenient one, or the reply is refused and a person
answers by hand.  RFC 5322 3.6.2: Reply-To, when present, names where
replies go; a broken Reply-To is not silently replaced by From.

The values are the headers as they came, RFC 2047 words undecoded
(ParsedMessage.address_headers): the address is parsed first and only its
display name decoded, so `=?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <j@x.de>`
is one address with the name "Müller, Jörg", and an encoded word that
decodes to `ann@evil.com` stays a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.errors import HeaderDefect
from email.policy import default as default_policy
from email.utils import getaddresses

from ..errors import MailbotError

# ASCII only: we do not offer SMTPUTF8, and a look-alike Unicode domain is a phishing trick.
PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FOLD = re.compile(r"\r?\n[ \t]")
MAX_NAME = 80
# One address with a display name fits a line (RFC 5322 2.1.1: 998); the strict parser's time grows
# with the square of a long quoted name (25 s for 1 MB), so longer values are refused unparsed.
MAX_HEADER_CHARS = 2_000


class UnsafeAddress(MailbotError):
    """The header cannot be trusted to name exactly one recipient."""


@dataclass(frozen=True)
class Recipient:
    address: str  # lower-case domain, local part as written
    name: str  # display name without control characters, for the To header
    header: str  # "Reply-To" or "From": where it came from, for the trace


def recipient_of(headers: tuple[tuple[str, str], ...] | list) -> Recipient:
    """The one address a reply to this message may go to; raises UnsafeAddress."""
    reply_to = [v for k, v in headers if k.lower() == "reply-to"]
    if reply_to:
        return Recipient(*single_address(reply_to, "Reply-To"), "Reply-To")
    senders = [v for k, v in headers if k.lower() == "from"]
    return Recipient(*single_address(senders, "From"), "From")


def single_address(values: list[str], header: str = "From") -> tuple[str, str]:
    """(address, display name) of a header that holds exactly one address; raises UnsafeAddress."""
    if not values:
        raise UnsafeAddress(f"no {header} header")
    if len(values) > 1:
        raise UnsafeAddress(f"{len(values)} {header} headers (RFC 5322 allows one)")
    value = FOLD.sub(" ", values[0])
    if len(value) > MAX_HEADER_CHARS:
        raise UnsafeAddress(f"{header} is {len(value):,} characters, too long for one address")
    if CONTROL.search(value.replace("\t", " ")):
        raise UnsafeAddress(f"{header} carries control characters (CR/LF injection?)")
    try:
        strict = default_policy.header_factory(header, value)
    except Exception as e:  # the strict parser's own failures on hostile input (RecursionError, IndexError)
        raise UnsafeAddress(f"{header} cannot be parsed ({type(e).__name__})") from e
    defects = [d for d in strict.defects if isinstance(d, HeaderDefect)]
    if defects:
        raise UnsafeAddress(f"{header} {value!r} is malformed: {defects[0]}")
    addresses = list(strict.addresses)
    try:
        lenient = [a for _, a in getaddresses([value]) if a]
    except Exception as e:
        raise UnsafeAddress(f"{header} cannot be parsed ({type(e).__name__})") from e
    if len(addresses) != 1 or len(lenient) != 1:
        raise UnsafeAddress(f"{header} {value!r} names {max(len(addresses), len(lenient))} addresses, not one")
    address = addresses[0].addr_spec
    if address != lenient[0] or not PLAIN_ADDRESS.match(address):
        raise UnsafeAddress(f"{header} {value!r} is not one plain address")
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}", clean_name(addresses[0].display_name)


def clean_name(name: str) -> str:
    """A display name safe for a header: no control characters, no address look-alikes."""
    name = " ".join(CONTROL.sub(" ", name or "").split())
    # A name like "support@keysme.com" shown in To misleads; an address in a name is dropped.
    if "@" in name or "<" in name or ">" in name:
        return ""
    return name[:MAX_NAME]


def normalise(address: str) -> str:
    return address.strip().lower()


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def matches_block_entry(address: str, entry: str) -> bool:
    """`a@x.com` the address; `@x.com` or `x.com` the domain and its subdomains."""
    address, entry = normalise(address), entry.lower()
    if "@" in entry and not entry.startswith("@"):
        return address == entry
    domain, blocked = domain_of(address), entry.lstrip("@")
    return domain == blocked or domain.endswith("." + blocked)
