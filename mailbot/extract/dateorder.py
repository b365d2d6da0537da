"""Day first or month first: how the sender writes 03/11.

The evidence, strongest first: another date in the same message that can
only be read one way (25/10 or 10/25); a date written with dots (03.11.),
which is day-first wherever it is written; the language of the text (its
CLDR date order, from dateparser's locale data); the sender's country
domain; the time zone of the Date header.  None of these: `None`, and the
caller takes the reading nearest before the message and marks it ambiguous.
"""

from __future__ import annotations

from datetime import datetime

from .vocabulary import vocabulary

# Country domains of places that write the month first.
MONTH_FIRST_TLDS = {"us", "ph", "fm", "pw", "mh", "as", "gu", "um", "vi", "mp"}
# Generic domains and country domains used as generic ones say nothing.
NO_SIGNAL_TLDS = {"com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "me", "tv",
                  "app", "dev", "ai", "email", "online", "xyz", "ca", "cn", "jp", "kr", "tw", "hu", "lt"}


def day_first(numeric_pairs: list[tuple[int, int, str]], language: str, sender_domain: str,
              sent: datetime | None) -> bool | None:
    """Whether ambiguous numeric dates in this message put the day first.

    `numeric_pairs` are the (first, second, separator) numbers of every
    numeric date in the message.
    """
    for a, b, _ in numeric_pairs:
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
    if any(sep == "." for _, _, sep in numeric_pairs):
        return True
    if language in vocabulary().day_first and language != "en":
        return vocabulary().day_first[language]
    tld = sender_domain.rsplit(".", 1)[-1].lower() if "." in sender_domain else ""
    if tld and tld not in NO_SIGNAL_TLDS:
        return tld not in MONTH_FIRST_TLDS
    return _from_time_zone(sent)


def _from_time_zone(sent: datetime | None) -> bool | None:
    offset = sent.utcoffset() if sent is not None and sent.tzinfo is not None else None
    if offset is None:
        return None
    hours = offset.total_seconds() / 3600
    if -10 <= hours <= -4:
        return False  # the United States, where English-speaking senders write 11/03
    if (-1 <= hours <= 3 and hours != 0) or hours in (5.5, 10, 10.5, 11, 12, 13):
        # Europe, Africa, India, Australia, New Zealand.  Not +0000: Exchange
        # Online and many servers write every Date header in UTC.
        return True
    return None  # UTC+8/+9 (Philippines, China, Japan) and others mix both orders
