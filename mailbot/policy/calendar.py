"""Business days: weekends and the configured country's public holidays skip."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def _holidays(country: str):
    return holidays.country_holidays(country)


def add_business_days(start: date, days: int, country: str) -> date:
    current, left = start, days
    off = _holidays(country)
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current
