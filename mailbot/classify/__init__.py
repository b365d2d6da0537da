"""Classify stage: what the customer wants, and whether a person wrote it at all."""

from __future__ import annotations

from dataclasses import dataclass

import spacy

from ..records import Classification, Extraction, ParsedMessage
from .automated import automated_hints, automated_signals, needs_person
from .calibration import Calibration
from .intent import load_calibration, load_model, model_text

INTENTS = ("order_status", "cancel_order", "modify_order", "return_request", "exchange_request",
           "defective_item", "wrong_item", "refund_status", "product_question", "other", "automated")


# Below this (the model's score before calibration), the text model's "automated" is a guess: a customer writing in a
# language the model reads poorly scores like a machine.  Silencing a customer
# costs more than a person glancing at a machine's mail, so only a strong
# header signal or a score this high gives `no_reply`.
AUTOMATED_MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Classifier:
    nlp: spacy.language.Language
    automated_min_confidence: float = AUTOMATED_MIN_CONFIDENCE
    # The model's scores rescaled so that a confidence of 0.7 is right about 70% of the time.
    calibration: Calibration = Calibration()

    @classmethod
    def load(cls, model_path: str = "", automated_min_confidence: float = AUTOMATED_MIN_CONFIDENCE) -> "Classifier":
        return cls(load_model(model_path), automated_min_confidence, load_calibration(model_path))

    def __call__(self, msg: ParsedMessage, facts: Extraction) -> Classification:
        text = model_text(msg.subject, facts.new_text, facts.quoted_text, facts.language)
        raw = self.nlp(text).cats
        cats = self.calibration.apply(raw)
        ranked = sorted(cats.items(), key=lambda kv: kv[1], reverse=True)
        scores = tuple((k, round(float(v), 4)) for k, v in ranked)
        signals = automated_signals(msg, facts.new_text)
        if signals:
            return Classification(
                intent="automated", confidence=1.0, automated=True, reasons=tuple(signals),
                needs_person=needs_person(msg, facts.new_text), scores=scores,
            )
        intent, confidence = ranked[0]
        reasons = [f"text model: {intent} {confidence:.2f}, next {ranked[1][0]} {ranked[1][1]:.2f}"]
        # Silencing is judged on the model's own score, not the calibrated one:
        # calibration sharpens scores for the intent threshold (a raw 0.6 can
        # become 0.99), and leaving a customer unanswered needs the stricter reading.
        machine_score = float(raw.get("automated", 0.0))
        strong = intent == "automated" and machine_score >= self.automated_min_confidence
        if intent == "automated" and not strong:
            # It reads like a machine's, but nothing strong says so: `automated`
            # stays False and the rules hand it to a person.
            reasons.append(f"automated guess too weak to leave unanswered (model {machine_score:.2f} "
                           f"before calibration < {self.automated_min_confidence}): a person reads it")
        hints = automated_hints(msg, facts.new_text)
        if hints:
            reasons.append(f"machine-like text ({'; '.join(hints)}) under an ordinary subject: not enough to stay silent")
        return Classification(
            intent=intent, confidence=round(float(confidence), 4), automated=strong,
            reasons=tuple(reasons), needs_person=strong and needs_person(msg, facts.new_text), scores=scores,
        )
