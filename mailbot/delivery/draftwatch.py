"""The Drafts folder as a second way to review: what a person did there with their own mail client.

A reviewer may open a draft in Thunderbird or Outlook and send it from there,
or delete it.  Either way the draft is now theirs: if the bot still held it
as pending, a later approval (or a second reviewer) would send the customer
the same answer twice.  So each delivery pass compares the drafts it put in
the Drafts folder with what is still there.  A draft whose copy is gone was
sent by the person (a reply to the same message is in the Sent folder) or
deleted; both are recorded as handled by a person (`handled`, with an event
saying which), and the bot never sends it.

A missing Drafts folder says nothing about any draft (renamed, or the
server's trouble), so it is skipped, never read as "all deleted".
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from ..config import Config
from .drafts import Drafts
from .mailbox import Mailbox

log = logging.getLogger("mailbot.delivery")

SENT = "sent from a mail client (a reply to the same message is in the Sent folder)"
DELETED = "deleted from the Drafts folder in a mail client"


def notice_person_handled(config: Config, drafts: Drafts, mailbox: Mailbox,
                          now: Callable[[], datetime]) -> list[tuple[int, str]]:
    """(draft id, how) for each pending draft whose copy a person took out of the Drafts folder."""
    waiting = [d for d in drafts.for_mailbox("appended") if d.status == "pending"]
    if not waiting:
        return []
    folder = config.delivery.drafts_folder
    if not mailbox.exists(folder):
        log.warning("delivery: the Drafts folder %s is missing; drafts handled in a mail client are not looked for",
                    folder)
        return []
    present = mailbox.message_ids(folder)
    handled = []
    for draft in waiting:
        if draft.message_id in present:
            continue
        sent = mailbox.has_reply(config.delivery.sent_folder, draft.message_id, draft.in_reply_to)
        how = SENT if sent else DELETED
        if drafts.mark_handled_by_person(draft.id, how, now(), folder=folder):
            log.info("delivery: draft %d handled by a person: %s; mailbot will not send it", draft.id, how)
            handled.append((draft.id, how))
    return handled
