"""What the guard counts, from the outbox: automatic replies per thread, per recipient, per hour.

Also the two pieces of state the guard keeps: addresses that bounced, and
whether automatic sending is paused because the hourly cap was hit.  A
reply counts once it is queued; one whose fate is unknown after a crash
(failed in phase 'data') counts too, since it may have gone out.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import datetime

from .tables import ensure_tables, timestamp

log = logging.getLogger("mailbot.delivery")

PAUSE_KEY = "auto_send_paused"
MAY_HAVE_GONE = "(state IN ('queued', 'sending', 'sent') OR (state = 'failed' AND phase = 'data'))"
HAS_GONE = "(state IN ('sending', 'sent') OR (state = 'failed' AND phase = 'data'))"


class StoreLedger:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        ensure_tables(db)

    def automatic_to_thread(self, thread_key: str, since: datetime, exclude_draft: int | None) -> int:
        return self._count(f"thread_key = ? AND {MAY_HAVE_GONE}", (thread_key,), since, exclude_draft)

    def automatic_to_recipient(self, address: str, since: datetime, exclude_draft: int | None) -> int:
        return self._count(f"lower(recipient) = ? AND {MAY_HAVE_GONE}", (address,), since, exclude_draft)

    def automatic_sent(self, since: datetime, exclude_draft: int | None) -> int:
        return self._count(HAS_GONE, (), since, exclude_draft)

    def _count(self, where: str, args: tuple, since: datetime, exclude_draft: int | None) -> int:
        sql = (f"SELECT COUNT(*) FROM delivery_outbox WHERE automatic = 1 AND {where} "
               "AND COALESCE(sent_at, created_at) >= ? AND draft_id != ?")
        return self.db.execute(sql, (*args, timestamp(since), exclude_draft or -1)).fetchone()[0]

    # Bounces

    def bounced(self, address: str, since: datetime | None = None) -> str | None:
        """Why `address` is blocked, or None; a bounce recorded before `since` has expired.

        A mailbox that bounced may be fixed or recreated; a block kept for ever
        would also keep for ever one that a mistake put there.
        """
        row = self.db.execute("SELECT reason, at FROM delivery_bounced WHERE address = ?",
                              (address.lower(),)).fetchone()
        if row is None or (since is not None and row[1] < timestamp(since)):
            return None
        return f"{row[0]} (blocked since {row[1][:10]})"

    def unblock(self, address: str) -> str | None:
        """Clear a bounce block; the reason it was blocked for, or None if it was not."""
        row = self.db.execute("SELECT reason, at FROM delivery_bounced WHERE address = ?",
                              (address.strip().lower(),)).fetchone()
        if row is None:
            return None
        self.db.execute("DELETE FROM delivery_bounced WHERE address = ?", (address.strip().lower(),))
        log.warning("delivery: %s unblocked (was blocked since %s: %s)", address, row[1], row[0])
        return f"{row[0]} (blocked since {row[1][:10]})"

    def record_bounce(self, address: str, reason: str, now: datetime) -> None:
        log.warning("delivery: %s bounced (%s); no reply goes there again", address, reason)
        self.db.execute(
            "INSERT INTO delivery_bounced (address, at, reason) VALUES (?, ?, ?) "
            "ON CONFLICT (address) DO UPDATE SET at = excluded.at, reason = excluded.reason",
            (address.lower(), timestamp(now), reason[:500]))

    # The hourly cap

    def auto_send_paused(self) -> dict | None:
        row = self.db.execute("SELECT value FROM delivery_state WHERE key = ?", (PAUSE_KEY,)).fetchone()
        return json.loads(row[0]) if row else None

    def pause_auto_send(self, reason: str, now: datetime) -> None:
        if self.auto_send_paused():
            return
        state = {"since": timestamp(now), "reason": reason}
        self.db.execute("INSERT OR REPLACE INTO delivery_state (key, value) VALUES (?, ?)", (PAUSE_KEY, json.dumps(state)))
        # Loud on purpose: a cap that trips usually means a loop or a flood, and someone must look.
        log.error("AUTO-SEND PAUSED: %s. mode 'send' now drafts every reply for review until "
                  "`mailbot review resume-auto-send`.", reason)

    def resume_auto_send(self) -> dict | None:
        paused = self.auto_send_paused()
        self.db.execute("DELETE FROM delivery_state WHERE key = ?", (PAUSE_KEY,))
        if paused:
            log.warning("auto-send resumed (was paused since %s: %s)", paused["since"], paused["reason"])
        return paused
