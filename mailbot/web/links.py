"""Where a reviewer can follow a parcel: each carrier's own tracking page, by the carrier names extract/ uses."""

from __future__ import annotations

from urllib.parse import quote

TRACKING_PAGES = {
    "ups": "https://www.ups.com/track?tracknum={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{}",
    "postnl": "https://jouw.postnl.nl/track-and-trace/{}",
    "canada_post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={}",
    "amazon": "https://track.amazon.com/tracking/{}",
}
# Postal (UPU S10) and Chinese consolidators: one page that follows them all.
ANY_CARRIER = "https://t.17track.net/en#nums={}"


def tracking_link(number: str, carrier: str) -> str:
    return TRACKING_PAGES.get(carrier, ANY_CARRIER).format(quote(number, safe=""))
