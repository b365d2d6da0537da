"""The mailbox remembers what an earlier store did: its keywords, read back.

A store can be lost (corrupted and rebuilt, restored from an old backup) or
doubled (a second config pointed at the same mailbox).  The keywords the
daemon puts on each message it handled outlive any store: a message marked
$MailbotTriaged or $MailbotFailed that this store does not know was handled
by an earlier one, with a reply sent or a person told, so it is recorded as
such and never decided (and answered) again.  `mailbot run --redecide`
decides such messages again; the Sent-folder check before every send still
stands between them and a second reply.
"""

from __future__ import annotations

from typing import Iterable

from ..parse import parse, unparsed_identity
from ..records import RawMessage, TriageResult
from ..report import result_json
from .mark import FAILED, INTENT_PREFIX, TRIAGED

EARLIER_RULE = "handled-by-an-earlier-store"


def _names(flags: Iterable) -> set[str]:
    return {f.decode("ascii", "replace") if isinstance(f, bytes) else str(f) for f in flags}


def marked_by_earlier_store(flags: Iterable) -> bool:
    names = {n.lower() for n in _names(flags)}
    return TRIAGED.lower() in names or FAILED.lower() in names


def earlier_result(raw: RawMessage, flags: Iterable) -> tuple[str, dict]:
    """(identity, the `triage --json` line) recording a message an earlier store handled, from its keywords."""
    names = _names(flags)
    try:
        parsed = parse(raw)
        identity = parsed.identity
    except Exception:  # a message the earlier store could not parse either: still its, by content
        parsed, identity = None, unparsed_identity(raw.data)
    result = result_json(TriageResult(raw.source, identity, parsed=parsed))
    intent = next((n[len(INTENT_PREFIX):] for n in names if n.lower().startswith(INTENT_PREFIX.lower())), None)
    failed = FAILED.lower() in {n.lower() for n in names} and TRIAGED.lower() not in {n.lower() for n in names}
    keyword = FAILED if failed else TRIAGED
    note = (f"{EARLIER_RULE}: the mailbox marks this message {keyword} but this store has no record of it, so "
            "an earlier store handled it (and sent any reply); not decided again (`mailbot run --redecide` "
            "decides it again)")
    result.update(intent=intent, rule=EARLIER_RULE, trace=[note])
    if failed:
        result["error"] = f"quarantined by an earlier store ({FAILED} in the mailbox): a person handles it"
    return identity, result
