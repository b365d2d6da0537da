"""The store's order data: a CSV with one row per order line.

Columns (docs/orders.md explains each and how to export from Shopify):
order_number, email, name, placed_at, shipped_at, delivered_at, status,
tracking_number, carrier, payment_method, line, sku, product, quantity,
unit_price, currency, personalized, final_sale, free_gift, non_returnable
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .errors import ConfigError

COLUMNS = ("order_number", "email", "name", "placed_at", "shipped_at", "delivered_at", "status",
           "tracking_number", "carrier", "payment_method", "line", "sku", "product", "quantity",
           "unit_price", "currency", "personalized", "final_sale", "free_gift", "non_returnable")
STATUSES = {"pending", "processing", "shipped", "delivered", "cancelled", "returned"}


@dataclass(frozen=True)
class OrderLine:
    line: int
    sku: str
    product: str
    quantity: int
    unit_price: str
    currency: str
    personalized: bool
    final_sale: bool
    free_gift: bool
    non_returnable: bool


@dataclass(frozen=True)
class Order:
    number: str
    email: str
    name: str
    placed_at: date | None
    shipped_at: date | None
    delivered_at: date | None
    status: str
    tracking_number: str
    carrier: str
    payment_method: str
    lines: tuple[OrderLine, ...]

    @property
    def shipped(self) -> bool:
        return self.shipped_at is not None or self.status in ("shipped", "delivered")


class OrderBook:
    """Orders by number, read once at start-up."""

    def __init__(self, orders: dict[str, Order] | None = None):
        self.orders = orders or {}
        # For a customer who gives no order number: their address, or a tracking number they quote.
        self._by_email: dict[str, list[Order]] = {}
        self._by_tracking: dict[str, Order] = {}
        for order in self.orders.values():
            self._by_email.setdefault(order.email, []).append(order)
            if order.tracking_number:
                self._by_tracking[_compact(order.tracking_number)] = order

    def for_email(self, email: str) -> list[Order]:
        """The orders placed with this address, newest first."""
        found = self._by_email.get(email.strip().lower(), [])
        return sorted(found, key=lambda o: (o.placed_at or date.min, o.number), reverse=True)

    def for_tracking(self, number: str) -> Order | None:
        """The order whose parcel has this tracking number."""
        return self._by_tracking.get(_compact(number))

    def __contains__(self, number: str) -> bool:
        return number in self.orders

    def get(self, number: str) -> Order | None:
        return self.orders.get(number)

    def __len__(self) -> int:
        return len(self.orders)

    @classmethod
    def load(cls, path: str | Path) -> "OrderBook":
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as f:
                reader = csv.DictReader(f)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise ConfigError(path, missing[0], f"missing column(s): {', '.join(missing)}")
                rows = list(reader)
        except FileNotFoundError:
            raise ConfigError(path, "", "order data file not found") from None
        grouped: dict[str, list[dict]] = {}
        for row in rows:
            grouped.setdefault(row["order_number"].strip(), []).append(row)
        orders = {}
        for number, order_rows in grouped.items():
            orders[number] = _order(path, number, order_rows)
        return cls(orders)


def _order(path: Path, number: str, rows: list[dict]) -> Order:
    first = rows[0]
    status = first["status"].strip().lower()
    if status not in STATUSES:
        raise ConfigError(path, f"order {number}: status", f"unknown status {status!r}")
    lines = tuple(
        OrderLine(
            line=_count(path, number, r, "line", i + 1), sku=r["sku"].strip(), product=r["product"].strip(),
            quantity=_count(path, number, r, "quantity", 1), unit_price=r["unit_price"].strip(),
            currency=r["currency"].strip(), personalized=_flag(path, number, r, "personalized"),
            final_sale=_flag(path, number, r, "final_sale"), free_gift=_flag(path, number, r, "free_gift"),
            non_returnable=_flag(path, number, r, "non_returnable"),
        )
        for i, r in enumerate(rows)
    )
    return Order(
        number=number, email=first["email"].strip().lower(), name=first["name"].strip(),
        placed_at=_date(path, number, first, "placed_at"), shipped_at=_date(path, number, first, "shipped_at"),
        delivered_at=_date(path, number, first, "delivered_at"), status=status,
        tracking_number=first["tracking_number"].strip(), carrier=first["carrier"].strip(),
        payment_method=first["payment_method"].strip(), lines=lines,
    )


def _compact(number: str) -> str:
    return "".join(c for c in number.upper() if c.isalnum())


def _count(path: Path, number: str, row: dict, column: str, default: int) -> int:
    value = (row[column] or "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ConfigError(path, f"order {number}: {column}", f"expected a whole number, got {value!r}")
    return int(value)


def _flag(path: Path, number: str, row: dict, column: str) -> bool:
    value = (row[column] or "").strip().lower()
    if value in ("yes", "true", "1", "y"):
        return True
    if value in ("no", "false", "0", "n", ""):
        return False
    raise ConfigError(path, f"order {number}: {column}", f"expected yes or no, got {value!r}")


def _date(path: Path, number: str, row: dict, column: str) -> date | None:
    value = (row[column] or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise ConfigError(path, f"order {number}: {column}", f"not an ISO date: {value!r}") from None
