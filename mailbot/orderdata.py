"""The order data file as the daemon sees it over days: reloaded when it changes, and how old it is.

A store exports its orders on a schedule (docs/orders.md); the daemon runs
for weeks.  Each message looks at the file's modification time and size (one
stat) and reloads it when either changed, so a new export is used from the
next message on, without a restart.  A file that fails to load (an export
half written, a bad row) keeps the previous data in use and is reported
once per version of the file, never by dropping the orders.

An export that stopped arriving is worse than none: "your order has not
shipped" from week-old data is a wrong answer stated with confidence.  So
the file's age (its modification time) is checked against
`policy.orders_max_age_hours`; older, and replies that state an order's
status are drafted for a person instead of sent (delivery/intake.py), and
`mailbot status` warns.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

from .errors import ConfigError
from .orders import OrderBook

log = logging.getLogger("mailbot.orders")


class OrderSource:
    def __init__(self, path: str | os.PathLike | None, max_age_hours: float, book: OrderBook | None = None):
        self.path = Path(path) if path else None
        self.max_age_hours = max_age_hours
        self._lock = threading.Lock()
        self._version = self._stat()
        self.book = book if book is not None else (OrderBook.load(self.path) if self.path else OrderBook())
        self._bad_version: tuple[int, int] | None = None

    def _stat(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def current(self) -> OrderBook:
        """The order data, reloaded first if the file changed since it was read."""
        version = self._stat()
        if version is None or version == self._version or version == self._bad_version:
            return self.book
        with self._lock:
            if version == self._version:
                return self.book
            try:
                book = OrderBook.load(self.path)
            except (ConfigError, OSError, UnicodeDecodeError) as e:
                self._bad_version = version
                log.error("order data %s changed but cannot be read (%s); still using the %d orders read before",
                          self.path, e, len(self.book))
                return self.book
            log.info("order data %s changed: reloaded, %d orders (was %d)", self.path, len(book), len(self.book))
            self.book, self._version = book, version
            return book

    def age_hours(self, now: datetime | None = None) -> float | None:
        """Hours since the file was last written; None without a file."""
        return file_age_hours(self.path, now)

    def staleness(self, now: datetime | None = None) -> str:
        """Why the data cannot be trusted for an order's status, or "" when it can (or there is none)."""
        return staleness(self.path, self.max_age_hours, now)


def file_age_hours(path: Path | None, now: datetime | None = None) -> float | None:
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    now = now or datetime.now(timezone.utc)
    return max(0.0, (now.timestamp() - mtime) / 3600)


def staleness(path: Path | None, max_age_hours: float, now: datetime | None = None) -> str:
    age = file_age_hours(path, now)
    if age is None or age <= max_age_hours:
        return ""
    return f"the order data {path} is {age:.1f} hours old, over policy.orders_max_age_hours {max_age_hours:g}"


def orders_status(path: Path | None, max_age_hours: float) -> dict | None:
    """For `mailbot status`: the order data file's age and whether it is stale; None without one."""
    if path is None:
        return None
    age = file_age_hours(path)
    return {"path": str(path), "exists": age is not None, "age_hours": None if age is None else round(age, 1),
            "max_age_hours": max_age_hours, "stale": staleness(path, max_age_hours)}
