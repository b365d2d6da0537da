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
from .delivery.autosend import FUTURE_SLACK  # a Date further ahead is a lie or a broken clock
from .errors import StageError
from .extract import Extractor
from .orderdata import OrderSource
from .orders import OrderBook
from .parse import parse, unparsed_identity
from .policy.checks import Context
from .policy.facts import Facts, gather
from .policy.requests import Request, primary_request
from .policy.returns import ReturnHistory
from .policy.rules import Rule, decide, load_rules
from .records import Decision, RawMessage, TriageResult
from .render import Renderer
from .report import result_json
from .resources import bundled
from .store import Store

log = logging.getLogger(__name__)
OVERSIZE_RULE = "oversize-message"  # a message over daemon.max_message_bytes: a person decides


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
    # The order data file, reloaded when it changes on disk (orderdata.py); None: `orders` as given.
    order_source: OrderSource | None = None

    @classmethod
    def from_config(cls, config: Config, *, orders_path: str | None = None,
                    store: Store | None = None, load_classifier: bool = True) -> "Pipeline":
        source = _order_source(config, orders_path)
        orders = source.book
        returns = ReturnHistory.load(config.path(config.policy.returns)) if config.policy.returns else ReturnHistory()
        templates = config.path(config.reply.templates_dir) if config.reply.templates_dir else bundled("templates")
        renderer = Renderer.from_folder(templates, config)
        rules_dir = config.path(config.policy.rules_dir) if config.policy.rules_dir else bundled("rules")
        rules = load_rules(rules_dir, policy_settings(config), renderer.exists)
        model = str(config.path(config.classifier.model)) if config.classifier.model else ""
        classifier = (Classifier.load(model, config.classifier.automated_min_confidence)
                      if load_classifier else None)
        return cls(config, Extractor.from_config(config.extract, orders), classifier, rules, renderer,
                   orders, returns, store, order_source=source)

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
        self._refresh_orders()
        try:
            extraction = _stage("extract", self.extractor, parsed)
            outcome = replace(outcome, extraction=extraction)
            classification = _stage("classify", self.classifier, parsed, extraction)
            outcome = replace(outcome, classification=classification)
            request = _stage("decide", primary_request, classification.intent, extraction)
            clock = policy_clock(parsed.date, raw.received)
            facts = _stage("decide", gather, parsed, extraction, self.orders, self.returns, self.config.policy,
                           request, clock[0])
            decision = _stage("decide", self.decide, parsed, extraction, classification, facts, request, clock)
            outcome = replace(outcome, decision=decision)
            reply = _stage("render", self.renderer, parsed, extraction, facts, request.intent, decision)
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

        `mailbot triage` and the daemon both come here: parsing megabytes of
        MIME to learn that a person must look anyway is the wrong trade.
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

    def decide(self, parsed, extraction, classification, facts: Facts, request: Request | None = None,
               clock: tuple[datetime, tuple[str, ...]] | None = None) -> Decision:
        """`clock`: policy_clock's answer for this message (the Date alone when not given)."""
        received, clock_note = clock or policy_clock(parsed.date, None)
        # The rules decide on the request the policy puts first (policy/requests.py).
        acting = replace(classification, intent=request.intent) if request else classification
        ctx = Context(parsed, extraction, acting, facts, received)
        verdict = decide(self.rules, ctx)
        first = (f"request: {request.note}",) if request and request.note else ()
        trace = (*classification.reasons, *first, *clock_note, *verdict.trace)
        if verdict.template is None:
            return Decision(verdict.action, verdict.rule, verdict.template, verdict.missing_info, trace)
        # The reply's language is a fact like the action: decided here, once, and shown in the trace.
        language = self.renderer.reply_language(extraction.language, verdict.template)
        return Decision(verdict.action, verdict.rule, verdict.template, verdict.missing_info,
                        (*trace, language.reason), language.language, language.note)

    def _refresh_orders(self) -> None:
        """A new export of the order data is used from the next message on, without a restart."""
        if self.order_source is None:
            return
        book = self.order_source.current()
        if book is not self.orders:
            self.orders = book
            self.extractor = Extractor.from_config(self.config.extract, book)  # it indexes the known numbers

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


def _order_source(config: Config, orders_path: str | None) -> OrderSource:
    path = Path(orders_path) if orders_path else (config.path(config.policy.orders) if config.policy.orders else None)
    return OrderSource(path, config.policy.orders_max_age_hours)


def _load_orders(config: Config, orders_path: str | None) -> OrderBook:
    if orders_path:
        return OrderBook.load(Path(orders_path))
    if config.policy.orders:
        return OrderBook.load(config.path(config.policy.orders))
    return OrderBook()


def policy_clock(written: datetime | None, arrived: datetime | None) -> tuple[datetime, tuple[str, ...]]:
    """When the customer wrote, as the policy's windows count it ("within 7 days of delivery").

    The server's arrival time where the source knows it (the sender cannot set
    it); else the Date header, unless it lies in the future, when the clock
    stands in for it so a forged Date neither widens nor shifts a window.
    """
    if arrived is not None:
        return arrived, ()
    now = datetime.now(timezone.utc)
    if written is None:
        return now, ("policy clock: no readable Date; counted from now",)
    if written > now + FUTURE_SLACK:
        return now, (f"policy clock: the Date {written.isoformat()} is in the future; counted from now",)
    return written, ()
