"""`mailbot status`: where each watched folder stands, from the store alone."""

from __future__ import annotations

from ..config import Config
from ..delivery.status import delivery_report, format_delivery
from ..orderdata import orders_status
from ..store import MAILBOX_STATES, Store


def status_report(store: Store, config: Config) -> dict:
    """Every folder the store or the config knows, and the quarantined messages."""
    folders = {(f["account"], f["folder"]): f for f in store.folder_report()}
    for account in config.accounts:
        for folder in account.folders:
            folders.setdefault((account.name, folder), {
                "account": account.name, "folder": folder, "uidvalidity": None, "last_uid": 0, "last_poll": None,
                "last_error": None, "last_error_at": None, "counts": dict.fromkeys(MAILBOX_STATES, 0)})
    orders_path = config.path(config.policy.orders) if config.policy.orders else None
    return {"store": store.path, "folders": [folders[key] for key in sorted(folders)],
            "quarantined": store.quarantined(),
            "orders": orders_status(orders_path, config.policy.orders_max_age_hours),
            "delivery": delivery_report(store, config)}  # Delivery: failed sends, the auto-send cap


def format_status(report: dict) -> str:
    lines = [f"store {report['store']}"]
    if not report["folders"]:
        lines.append("no folders: configure [[accounts]] and run `mailbot run`")
    for f in report["folders"]:
        lines.append(f"\n{f['account']}/{f['folder']}")
        if f["uidvalidity"] is None:
            lines.append("  checkpoint   none yet")
        else:
            lines.append(f"  checkpoint   UIDVALIDITY {f['uidvalidity']}, last UID {f['last_uid']}")
        lines.append("  messages     " + ", ".join(f"{state} {n}" for state, n in f["counts"].items()))
        lines.append(f"  last poll    {f['last_poll'] or 'never'}")
        error = f"{f['last_error_at']}  {f['last_error']}" if f["last_error"] else "none"
        lines.append(f"  last error   {error}")
    quarantined = report["quarantined"]
    lines.append(f"\nquarantined  {len(quarantined)}")
    for q in quarantined:
        where = f"moved to {q['moved_to']}" if q["moved_to"] else "left in place"
        lines.append(f"  {q['account']}/{q['folder']} UID {q['uid']} {q['message_id'] or q['identity']} ({where}, {q['handled']})")
        lines.append(f"    {q['error']}")
    orders = report.get("orders")
    if orders:
        lines.append("")
        if not orders["exists"]:
            lines.append(f"ORDER DATA MISSING: {orders['path']}")
        elif orders["stale"]:
            lines.append(f"ORDER DATA STALE: {orders['stale']}; replies that state an order's status are "
                         "drafted for a person until a newer export arrives")
        else:
            lines.append(f"order data   {orders['path']}, {orders['age_hours']} hours old "
                         f"(limit {orders['max_age_hours']:g})")
    if "delivery" in report:  # Delivery (mailbot/delivery/status.py)
        lines.append("")
        lines += format_delivery(report["delivery"])
    return "\n".join(lines)
