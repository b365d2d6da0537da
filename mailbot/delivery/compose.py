"""The reply as a MIME message: a proper reply in the thread, and nothing the customer can inject.

Built with the email package's SMTP policy, which refuses CR or LF in any
header value; names and subjects are also cleaned before they get there.
Threading follows RFC 5322 3.6.4: In-Reply-To is the original's Message-ID,
References is the original's References (trimmed) followed by it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from .addresses import CONTROL, clean_name, domain_of

MSG_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")  # printable ASCII without < > or spaces
MAX_REFERENCES = 10  # keep the first (the thread's root) and the latest ones
DECISION_HEADER = "X-Mailbot-Decision"


@dataclass(frozen=True)
class ReplySpec:
    message_id: str
    from_name: str
    from_address: str
    recipient: str
    recipient_name: str
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    body: str
    html: str
    decision: str  # the value of X-Mailbot-Decision


def new_message_id(support_address: str) -> str:
    """A Message-ID fixed before anything is sent: the key that makes sending exactly once."""
    return f"<mailbot.{uuid.uuid4().hex}@{domain_of(support_address)}>"


def message_ids(value: str | None) -> list[str]:
    """The well-formed msg-ids in a header value, in order; anything else is dropped."""
    return MSG_ID.findall(value or "")


def thread_ids(original_message_id: str | None, references: str | None,
               in_reply_to: str | None) -> tuple[str | None, tuple[str, ...]]:
    """(In-Reply-To, References) for a reply to the original."""
    own = (message_ids(original_message_id) or [None])[0]
    chain = message_ids(references) or message_ids(in_reply_to)[:1]
    if own:
        chain = [m for m in chain if m != own] + [own]
    if len(chain) > MAX_REFERENCES:
        chain = chain[:1] + chain[-(MAX_REFERENCES - 1):]
    return own, tuple(chain)


def thread_root(original_message_id: str | None, references: str | None, in_reply_to: str | None) -> str | None:
    """The first message of the thread, as far as the headers tell."""
    ids = message_ids(references) or message_ids(in_reply_to) or message_ids(original_message_id)
    return ids[0] if ids else None


def clean_subject(subject: str) -> str:
    return " ".join(CONTROL.sub(" ", subject).split())[:200] or "Re: your message"


def build_reply(spec: ReplySpec, *, sent_by_bot: bool, now: datetime) -> EmailMessage:
    """The reply; `sent_by_bot` adds the RFC 3834 headers that stop auto-responders answering it.

    Only replies the bot sends on its own carry them.  The Drafts-folder copy
    and a reply a person approved go without: a person who sends it, from a
    mail client or with `mailbot review approve`, is sending a personal reply.
    """
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address(display_name=clean_name(spec.from_name), addr_spec=spec.from_address)
    msg["To"] = Address(display_name=clean_name(spec.recipient_name), addr_spec=spec.recipient)
    msg["Subject"] = clean_subject(spec.subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = spec.message_id
    if spec.in_reply_to:
        msg["In-Reply-To"] = spec.in_reply_to
    if spec.references:
        msg["References"] = " ".join(spec.references)
    if sent_by_bot:
        # RFC 3834 5: marks the reply as automatic, so a compliant responder never answers it;
        # X-Auto-Response-Suppress does the same for Exchange and Outlook.
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
    msg[DECISION_HEADER] = spec.decision
    msg.set_content(spec.body)
    if spec.html:
        msg.add_alternative(spec.html, subtype="html")
    return msg


def as_bytes(msg: EmailMessage) -> bytes:
    """CRLF line ends, as SMTP DATA and IMAP APPEND want them."""
    return msg.as_bytes(policy=SMTP)


def decision_header(action: str, rule: str | None, intent: str | None, confidence: float | None,
                    draft_id: int) -> str:
    conf = f"{confidence:.2f}" if confidence is not None else "-"
    return f"action={action}; rule={rule or '-'}; intent={intent or '-'}; confidence={conf}; draft={draft_id}"
