"""Return history: each return or exchange by customer and order line.

A CSV with columns email, order_number, line, date (when the return was
approved), kind (return or exchange) and received (when the parcel reached
the warehouse; empty until then), so "each item once", the return-count
limit and the refund's due date can be checked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError

COLUMNS = ("email", "order_number", "line", "date", "kind", "received")


@dataclass(frozen=True)
class ReturnRecord:
    email: str
    order_number: str
    line: int
    date: str
    kind: str
    received: date | None


class ReturnHistory:
    def __init__(self, records: list[ReturnRecord] | None = None):
        self.records = records or []

    def count_for(self, email: str) -> int:
        email = email.lower()
        return sum(1 for r in self.records if r.email == email)

    def returned_before(self, order_number: str) -> list[ReturnRecord]:
        return [r for r in self.records if r.order_number == order_number]

    @classmethod
    def load(cls, path: str | Path) -> "ReturnHistory":
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as f:
                reader = csv.DictReader(f)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise ConfigError(path, missing[0], f"missing column(s): {', '.join(missing)}")
                rows = list(reader)
        except FileNotFoundError:
            raise ConfigError(path, "", "return history file not found") from None
        records = []
        for row in rows:
            kind = row["kind"].strip().lower()
            if kind not in ("return", "exchange"):
                raise ConfigError(path, "kind", f"expected return or exchange, got {kind!r}")
            received = row["received"].strip()
            try:
                received_on = date.fromisoformat(received) if received else None
            except ValueError:
                raise ConfigError(path, "received", f"not an ISO date: {received!r}") from None
            records.append(ReturnRecord(row["email"].strip().lower(), row["order_number"].strip(),
                                        int(row["line"] or 0), row["date"].strip(), kind, received_on))
        return cls(records)
