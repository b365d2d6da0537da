"""Where a reviewer can follow a parcel: the carrier's own tracking page from the carrier table
(extract/carriers.py, the same page a status reply links), else one page that follows them all."""

from __future__ import annotations

from urllib.parse import quote

from ..extract.carriers import tracking_url

# Postal (UPU S10) numbers and carriers without a page in the table: one page that follows them all.
ANY_CARRIER = "https://t.17track.net/en#nums={}"


def tracking_link(number: str, carrier: str) -> str:
    return tracking_url(carrier or "", number) or ANY_CARRIER.format(quote(number, safe=""))
