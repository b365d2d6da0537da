"""Delivery's part of `mailbot status`: the mode, whether auto-send is paused, and every failed send."""

from __future__ import annotations

from datetime import timedelta

from ..config import Config
from ..store import Store
from .drafts import Drafts
from .ledger import HAS_GONE, StoreLedger
from .outbox import Outbox
from .tables import tables_exist, timestamp, utcnow


def delivery_report(store: Store, config: Config) -> dict:
    """From the store alone; talks to no server, and writes nothing (not even our tables)."""
    if not tables_exist(store.db):
        return {"mode": config.mode, "auto_send": "on" if config.mode == "send" else "off", "auto_send_paused": None,
                "automatic_sends_last_hour": 0, "max_auto_sends_per_hour": config.delivery.max_auto_sends_per_hour,
                "drafts_pending": 0, "outbox": dict.fromkeys(("queued", "sending", "sent", "failed"), 0), "failed": []}
    ledger, outbox, drafts = StoreLedger(store.db), Outbox(store.db), Drafts(store.db)
    paused = ledger.auto_send_paused()
    since = timestamp(utcnow() - timedelta(hours=1))
    hourly = store.db.execute(f"SELECT COUNT(*) FROM delivery_outbox WHERE automatic = 1 AND {HAS_GONE} "
                              "AND COALESCE(sent_at, created_at) >= ?", (since,)).fetchone()[0]
    auto_send = "PAUSED" if paused else ("on" if config.mode == "send" else "off")
    return {
        "mode": config.mode,
        "auto_send": auto_send,
        "auto_send_paused": paused,  # {"since", "reason"} or None
        "automatic_sends_last_hour": hourly,
        "max_auto_sends_per_hour": config.delivery.max_auto_sends_per_hour,
        "drafts_pending": len(drafts.with_status("pending")),
        "outbox": {state: outbox.counts().get(state, 0) for state in ("queued", "sending", "sent", "failed")},
        "failed": [{"draft": e.draft_id, "recipient": e.recipient, "attempts": e.attempts, "at": e.updated_at,
                    "in_doubt": e.phase == "data", "error": e.last_error} for e in outbox.with_state("failed")],
    }


def format_delivery(report: dict) -> list[str]:
    lines = []
    paused = report["auto_send_paused"]
    if paused:
        # Loud on purpose: the cap trips on loops and floods.
        lines.append(f"AUTO-SEND PAUSED since {paused['since']}: {paused['reason']}")
        lines.append("  every reply is drafted for review until `mailbot review resume-auto-send`")
    o = report["outbox"]
    lines += [
        f"delivery     mode {report['mode']}, auto-send {report['auto_send']} "
        f"({report['automatic_sends_last_hour']} of {report['max_auto_sends_per_hour']} automatic sends in the last hour)",
        f"  drafts     {report['drafts_pending']} pending review",
        f"  outbox     queued {o['queued']}, sending {o['sending']}, sent {o['sent']}, failed {o['failed']}",
    ]
    for f in report["failed"]:
        lines.append(f"  FAILED     draft {f['draft']} to {f['recipient']} ({f['attempts']} attempts, {f['at']})"
                     f"{' IN DOUBT' if f['in_doubt'] else ''}")
        lines.append(f"    {f['error']}")
    return lines
