"""The decision for one fetched message, by the same Pipeline `mailbot triage` runs.

The pipeline itself asks the store first: a message whose identity is
already decided (a crash before the mailbox was marked, a rescan after a
UIDVALIDITY change, the same mail in two folders) is not decided again, and
`Pipeline.process` says which identity it used and whether the decision is
new.  All folders share one lock, so the look-up and the record cannot
interleave between two threads.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field

from ..parse import parse, unparsed_identity
from ..pipeline import Pipeline
from ..records import RawMessage, TriageResult
from ..report import result_json
from .connection import NETWORK_ERRORS

@dataclass(frozen=True)
class Handled:
    """One message after its decision is in the store."""

    uid: int
    identity: str
    message_id: str | None
    state: str  # "triaged", "failed" or "oversize", as the store's imap_messages has it
    intent: str | None
    action: str | None
    error: str | None
    new: bool  # False when the store already had the decision: the mailbox is only marked
    ms: float
    result: dict = field(repr=False, compare=False)  # the `mailbot triage --json` line


class Decider:
    def __init__(self, pipeline: Pipeline, lock: threading.Lock):
        if pipeline.store is None:
            raise ValueError("the daemon's pipeline needs a store: exactly-once depends on it")
        self.store, self.lock = pipeline.store, lock
        self.pipeline = pipeline

    def decide(self, uid: int, source: str, data: bytes, received=None, full_size: int | None = None) -> Handled:
        """Decide a whole message, or take the stored decision; a failure quarantines this message only.

        `received`: the server's INTERNALDATE, which the sender cannot forge (delivery/autosend.py).
        `full_size`: set for a message over the size limit, of which `data` is the header alone; the
        pipeline hands it to a person unparsed, as `mailbot triage` does (Pipeline._oversize).
        """
        started = time.perf_counter()
        raw = RawMessage(source, data, received, full_size)
        with self.lock:
            try:
                triaged = self.pipeline.process(raw)
            except (sqlite3.Error, *NETWORK_ERRORS):
                raise  # the store or the disk: not this message's fault; the pass is retried
            except Exception as e:  # the pipeline catches stage errors; this is a bug on one message
                return self._quarantine(uid, raw, e, started)
        result = triaged.result
        state = "failed" if result.get("error") else "oversize" if full_size is not None else "triaged"
        return _handled(uid, triaged.identity, result, triaged.new, started, state)

    def handled_earlier(self, uid: int, raw: RawMessage, identity: str, result: dict) -> Handled:
        """A message the mailbox marks as handled by an earlier store (daemon/earlier.py): recorded, not decided.

        The store's own decision wins when it has one.
        """
        started = time.perf_counter()
        with self.lock:
            stored = self.store.decided(identity)
            if stored is not None:
                result = {**stored, "source": raw.source}
            else:
                self.store.record(identity, result)
        return _handled(uid, identity, result, False, started, "failed" if result.get("error") else "triaged")

    def unreadable(self, uid: int, source: str, failures: int) -> Handled:
        """A message the server failed to send `failures` times, fetched on its own: quarantined unread.

        Its content is unknown, so its identity is its place in the mailbox, the IMAP URL.
        """
        started = time.perf_counter()
        identity = source
        error = (f"fetch: the server failed {failures} times to send this message (connection dropped or "
                 "refused); quarantined unread, see the server's log")
        result = result_json(TriageResult(source, identity, error=error))
        with self.lock:
            self.store.record(identity, result)
        return _handled(uid, identity, result, True, started, "failed")

    def _quarantine(self, uid: int, raw: RawMessage, error: Exception, started: float) -> Handled:
        identity = identity_of(raw)
        result = result_json(TriageResult(raw.source, identity, error=f"daemon: {type(error).__name__}: {error}"))
        self.store.record(identity, result)
        return _handled(uid, identity, result, True, started, "failed")


def identity_of(raw: RawMessage) -> str:
    """The identity the pipeline records this message under (see Pipeline.process)."""
    try:
        return parse(raw).identity
    except Exception:  # the pipeline falls back to the content hash when parsing fails
        return unparsed_identity(raw.data)


def _handled(uid: int, identity: str, result: dict, new: bool, started: float, state: str) -> Handled:
    return Handled(uid, identity, result.get("message_id"), state, result.get("intent"), result.get("action"),
                   result.get("error"), new, (time.perf_counter() - started) * 1000, result)
