"""The loop and abuse guard: asked before a reply is drafted for sending, and again just before it is sent.

Hard stops, for every reply however approved: no single safe recipient,
mail from a machine (the classification's automated-mail signals, looked at
again on the stored headers), our own addresses, the block list, addresses
that bounced.  Limits, for automatic replies only: one per thread and a few
per recipient in 24 hours, and a global cap per hour; past a limit the reply
waits for a person instead.  Every verdict is a line for the trace, so a
reviewer sees why nothing was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from ..classify.automated import automated_signals
from ..config import Config
from ..records import ParsedMessage
from .addresses import matches_block_entry, normalise

DAY = timedelta(hours=24)
HOUR = timedelta(hours=1)
OWN_MESSAGE_ID_PREFIX = "<mailbot."


class Ledger(Protocol):
    """What the guard needs to know about earlier replies (delivery.ledger.StoreLedger)."""

    def automatic_to_thread(self, thread_key: str, since: datetime, exclude_draft: int | None) -> int: ...
    def automatic_to_recipient(self, address: str, since: datetime, exclude_draft: int | None) -> int: ...
    def automatic_sent(self, since: datetime, exclude_draft: int | None) -> int: ...
    def bounced(self, address: str, since: datetime | None = None) -> str | None: ...
    def auto_send_paused(self) -> dict | None: ...


@dataclass(frozen=True)
class Candidate:
    """A reply about to be drafted for sending or sent."""

    recipient: str | None  # None: no safe single recipient
    recipient_problem: str  # why there is none
    original: ParsedMessage  # enough of it to look for automated-mail signals again
    original_text: str
    classified_automated: bool
    thread_key: str
    automatic: bool
    draft_id: int | None = None  # this reply's own draft, left out of the counts


@dataclass
class Verdict:
    stops: list[str] = field(default_factory=list)  # never send this reply
    waits: list[str] = field(default_factory=list)  # not automatically: a person decides
    passed: list[str] = field(default_factory=list)
    cap_reached: bool = False  # the caller pauses automatic sending

    @property
    def may_send(self) -> bool:
        return not self.stops and not self.waits

    def trace(self) -> list[str]:
        return ([f"guard: STOP {s}" for s in self.stops] + [f"guard: WAIT {w}" for w in self.waits]
                + [f"guard: ok {p}" for p in self.passed])


def own_addresses(config: Config) -> set[str]:
    """Every address that is us: a reply to any of them is the bot answering itself."""
    own = {normalise(config.reply.support_address), *map(normalise, config.delivery.support_addresses)}
    own |= {normalise(a.username) for a in config.accounts if "@" in a.username}
    if "@" in config.delivery.smtp.username:
        own.add(normalise(config.delivery.smtp.username))
    return {mailbox_of(a) for a in own}


def mailbox_of(address: str) -> str:
    """The mailbox an address delivers to: `"Support+Anything"@Keysme.com.` is support@keysme.com.

    RFC 5233 subaddresses (`+tag`) reach the same mailbox, so they are the
    same address to the loop guard; quotes and a trailing root dot change
    nothing either.
    """
    address = normalise(address)
    if "@" not in address:
        return address
    local, domain = address.rsplit("@", 1)
    local = local.strip('"').split("+", 1)[0]
    return f"{local}@{domain.rstrip('.')}"


def is_own(address: str, own: set[str]) -> bool:
    return bool(address) and mailbox_of(address) in own


def check(candidate: Candidate, config: Config, ledger: Ledger, now: datetime) -> Verdict:
    verdict = Verdict()
    settings = config.delivery
    to = candidate.recipient
    if to is None:
        verdict.stops.append(f"recipient: {candidate.recipient_problem}")
    else:
        verdict.passed.append(f"recipient: exactly one address, {to}")
    signals = automated_signals(candidate.original, candidate.original_text)
    if candidate.classified_automated or signals:
        verdict.stops.append("automated mail (RFC 3834: never answer a machine): "
                             + ("; ".join(signals) or "classified automated"))
    else:
        verdict.passed.append("not automated mail")
    own = own_addresses(config)
    sender = normalise(candidate.original.from_addr or "")
    if to and is_own(to, own):
        verdict.stops.append(f"{to} is one of our own addresses")
    elif is_own(sender, own):
        verdict.stops.append(f"the original comes from our own address {sender}")
    elif (candidate.original.message_id or "").startswith(OWN_MESSAGE_ID_PREFIX):
        verdict.stops.append(f"the original is one of our own replies ({candidate.original.message_id})")
    else:
        verdict.passed.append("not our own address")
    if to:
        blocked = [e for e in settings.block_list if matches_block_entry(to, e)]
        if blocked:
            verdict.stops.append(f"{to} is on the block list ({blocked[0]})")
        bounce = ledger.bounced(normalise(to), since=now - timedelta(days=settings.bounce_block_days))
        if bounce:
            verdict.stops.append(f"{to} bounced before: {bounce}")
        if not blocked and not bounce:
            verdict.passed.append("not block-listed, never bounced")
    if candidate.automatic:
        _limits(candidate, settings, ledger, now, verdict)
    return verdict


def _limits(candidate: Candidate, settings, ledger: Ledger, now: datetime, verdict: Verdict) -> None:
    own = candidate.draft_id
    thread = ledger.automatic_to_thread(candidate.thread_key, now - DAY, own)
    limit = settings.max_auto_replies_per_thread_per_day
    if thread >= limit:
        verdict.waits.append(f"thread limit: {thread} automatic replies to this thread in 24h (limit {limit})")
    else:
        verdict.passed.append(f"thread limit: {thread} of {limit} in 24h")
    if candidate.recipient:
        sent = ledger.automatic_to_recipient(normalise(candidate.recipient), now - DAY, own)
        limit = settings.max_auto_replies_per_recipient_per_day
        if sent >= limit:
            verdict.waits.append(f"recipient limit: {sent} automatic replies to {candidate.recipient} "
                                 f"in 24h (limit {limit})")
        else:
            verdict.passed.append(f"recipient limit: {sent} of {limit} in 24h")
    paused = ledger.auto_send_paused()
    if paused:
        verdict.waits.append(f"automatic sending is PAUSED since {paused['since']}: {paused['reason']}")
        return
    hourly = ledger.automatic_sent(now - HOUR, own)
    cap = settings.max_auto_sends_per_hour
    if hourly >= cap:
        verdict.cap_reached = True
        verdict.waits.append(f"hourly cap: {hourly} automatic sends in the last hour (cap {cap})")
    else:
        verdict.passed.append(f"hourly cap: {hourly} of {cap}")
