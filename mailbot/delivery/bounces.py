"""Bounces of our own replies: RFC 3464 delivery status notifications that name a failed recipient.

Only a report that returns a Message-ID we sent counts: anyone can write a
"bounce", and a forged one must not silence the bot towards a customer.
Permanent failures only (status 5.x.x); a delay (4.x.x) is not a bounce.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from email.message import Message
from email.policy import compat32

from .compose import message_ids


@dataclass(frozen=True)
class Bounce:
    address: str
    status: str
    diagnostic: str
    message_ids: tuple[str, ...]  # of the returned message, to match against our outbox


def bounces_in(data: bytes) -> list[Bounce]:
    """The permanently failed recipients a delivery report names; empty for any other mail."""
    try:
        msg = email.message_from_bytes(data, policy=compat32)
    except Exception:  # not ours to judge here; the parse stage already has it
        return []
    if msg.get_content_type() != "multipart/report":
        return []
    blocks: list[Message] = []
    returned: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            payload = part.get_payload()
            blocks += [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []
        elif ctype in ("text/rfc822-headers", "message/rfc822", "message/rfc822-headers"):
            returned += message_ids(_text(part))
    found = []
    for block in blocks:
        action = (block.get("Action") or "").strip().lower()
        status = (block.get("Status") or "").strip()
        recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
        if action != "failed" or not status.startswith("5") or ";" not in recipient:
            continue
        address = recipient.split(";", 1)[1].strip().strip("<>")
        if "@" in address:
            found.append(Bounce(address.lower(), status, " ".join((block.get("Diagnostic-Code") or "").split())[:300],
                                tuple(returned)))
    return found


def _text(part: Message) -> str:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return "\n".join(f"{k}: {v}" for k, v in inner.items()) if isinstance(inner, Message) else ""
    payload = part.get_payload(decode=True) or b""
    return payload.decode("utf-8", "replace")
