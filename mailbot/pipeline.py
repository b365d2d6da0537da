"""The pipeline: the only module that knows the order of the stages.

source -> parse -> extract -> classify -> decide -> render -> (deliver)

A stage that fails on a message turns into that message's `error`; the run
goes on with the next message.  Decisions are recorded in the store, and a
message already decided is not decided again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .classify import Classifier
from .config import Config
from .errors import StageError
from .extract import Extractor
from .orders import OrderBook
from .parse import parse, unparsed_identity
from .policy.checks import Context
from .policy.facts import Facts, gather
from .policy.returns import ReturnHistory
from .policy.rules import Rule, decide, load_rules
from .records import Decision, RawMessage, TriageResult
from .render import Renderer
from .report import result_json
from .resources import bundled
from .store import Store

log = logging.getLogger(__name__)
OVERSIZE_RULE = "oversize-message"  # the daemon's name for the same decision


def policy_settings(config: Config) -> dict:
    """The figures rules may name instead of writing numbers into rules."""
    p = config.policy
    return {"defect_report_days": p.defect_report_days, "processing_days": p.processing_days,
            "refund_business_days": p.refund_business_days,
            "max_returns_per_customer": p.max_returns_per_customer,
            "min_confidence": config.classifier.min_confidence}


@dataclass(frozen=True)
class Triaged:
    """One message through the pipeline."""

    result: dict  # the `mailbot triage --json` line
    identity: str  # the store's key for the message
    new: bool  # decided (or failed) now; False when the store already had the decision


@dataclass
class Pipeline:
    config: Config
    extractor: Extractor
    classifier: Classifier
    rules: list[Rule]
    renderer: Renderer
    orders: OrderBook
    returns: ReturnHistory
    store: Store | None
    # The deliver stage (mailbot.delivery.intake.Delivery), set by the daemon; None: decide only.
    deliver: Callable[[RawMessage, TriageResult, dict], dict] | None = None

    @classmethod
    def from_config(cls, config: Config, *, orders_path: str | None = None,
                    store: Store | None = None, load_classifier: bool = True) -> "Pipeline":
        orders = _load_orders(config, orders_path)
        returns = ReturnHistory.load(config.path(config.policy.returns)) if config.policy.returns else ReturnHistory()
        templates = config.path(config.reply.templates_dir) if config.reply.templates_dir else bundled("templates")
        renderer = Renderer.from_folder(templates, config)
        rules_dir = config.path(config.policy.rules_dir) if config.policy.rules_dir else bundled("rules")
        rules = load_rules(rules_dir, policy_settings(config), renderer.exists)
        model = str(config.path(config.classifier.model)) if config.classifier.model else ""
        classifier = Classifier.load(model) if load_classifier else None
        return cls(config, Extractor.from_config(config.extract, orders), classifier, rules, renderer,
                   orders, returns, store)

    def triage_all(self, messages: Iterable[RawMessage]) -> Iterator[dict]:
        for raw in messages:
            yield self.triage(raw)

    def triage(self, raw: RawMessage, *, redecide: bool = False) -> dict:
        """The `mailbot triage --json` line for one message."""
        return self.process(raw, reuse=not redecide).result

    def process(self, raw: RawMessage, *, reuse: bool = True) -> Triaged:
        """Decide one message, or take its decision from the store; record what is new."""
        if raw.full_size is not None:
            return self._oversize(raw, reuse)
        try:
            parsed = _stage("parse", parse, raw)
        except StageError as e:
            log.warning("%s: %s", raw.source, e)
            identity = unparsed_identity(raw.data)
            result = result_json(TriageResult(raw.source, identity, error=str(e)))
            self._record(identity, result)
            return Triaged(result, identity, new=True)
        if reuse and self.store is not None:
            stored = self.store.decided(parsed.identity)
            if stored is not None:
                return Triaged({**stored, "source": raw.source}, parsed.identity, new=False)
        outcome = TriageResult(raw.source, parsed.identity, parsed=parsed)
        try:
            extraction = _stage("extract", self.extractor, parsed)
            outcome = replace(outcome, extraction=extraction)
            classification = _stage("classify", self.classifier, parsed, extraction)
            outcome = replace(outcome, classification=classification)
            facts = _stage("decide", gather, parsed, extraction, self.orders, self.returns, self.config.policy)
            decision = _stage("decide", self.decide, parsed, extraction, classification, facts)
            outcome = replace(outcome, decision=decision)
            reply = _stage("render", self.renderer, parsed, extraction, facts, classification.intent, decision)
            outcome = replace(outcome, reply=reply)
        except StageError as e:
            log.warning("%s: %s", raw.source, e)
            outcome = replace(outcome, error=str(e))
        result = result_json(outcome)
        if self.deliver is not None and outcome.error is None:
            try:  # before the record: a failed hand-over leaves the message failed, with its error
                result = _stage("deliver", self.deliver, raw, outcome, result)
            except StageError as e:
                log.warning("%s: %s", raw.source, e)
                result = {**result, "error": str(e)}
        self._record(parsed.identity, result)
        return Triaged(result, parsed.identity, new=True)

    def _oversize(self, raw: RawMessage, reuse: bool) -> Triaged:
        """A message over daemon.max_message_bytes, read from its header alone: a person decides.

        The same answer the daemon gives (daemon/decide.py): parsing megabytes
        of MIME to learn that a person must look anyway is the wrong trade.
        """
        try:
            parsed = parse(raw)
        except Exception:  # a header that cannot be read still gets handed over
            parsed = None
        identity = parsed.identity if parsed else unparsed_identity(raw.data)
        if reuse and self.store is not None:
            stored = self.store.decided(identity)
            if stored is not None:
                return Triaged({**stored, "source": raw.source}, identity, new=False)
        limit = self.config.daemon.max_message_bytes
        reason = (f"oversize: the message is {raw.full_size:,} bytes, over daemon.max_message_bytes ({limit:,}); "
                  "only its header was read; a person decides")
        decision = Decision("escalate_human", OVERSIZE_RULE, None, (), (reason,))
        result = result_json(TriageResult(raw.source, identity, parsed=parsed, decision=decision))
        self._record(identity, result)
        return Triaged(result, identity, new=True)

    def decide(self, parsed, extraction, classification, facts: Facts) -> Decision:
        received = parsed.date or datetime.now(timezone.utc)
        ctx = Context(parsed, extraction, classification, facts, received)
        verdict = decide(self.rules, ctx)
        trace = (*classification.reasons, *verdict.trace)
        return Decision(verdict.action, verdict.rule, verdict.template, verdict.missing_info, trace)

    def _record(self, identity: str, result: dict) -> None:
        if self.store is not None:
            self.store.record(identity, result)


def _stage(name: str, func: Callable, *args):
    try:
        return func(*args)
    except StageError:
        raise
    except Exception as e:  # any failure of a stage quarantines this message only
        raise StageError(name, e) from e


def _load_orders(config: Config, orders_path: str | None) -> OrderBook:
    if orders_path:
        return OrderBook.load(Path(orders_path))
    if config.policy.orders:
        return OrderBook.load(config.path(config.policy.orders))
    return OrderBook()
