"""Classify stage: what the customer wants, and whether a person wrote it at all."""

from __future__ import annotations

from dataclasses import dataclass

import spacy

from ..records import Classification, Extraction, ParsedMessage
from .automated import automated_signals, needs_person
from .intent import load_model, model_text

INTENTS = ("order_status", "cancel_order", "modify_order", "return_request", "exchange_request",
           "defective_item", "wrong_item", "refund_status", "product_question", "other", "automated")


@dataclass(frozen=True)
class Classifier:
    nlp: spacy.language.Language

    @classmethod
    def load(cls, model_path: str = "") -> "Classifier":
        return cls(load_model(model_path))

    def __call__(self, msg: ParsedMessage, facts: Extraction) -> Classification:
        text = model_text(msg.subject, facts.new_text, facts.quoted_text)
        cats = self.nlp(text).cats
        ranked = sorted(cats.items(), key=lambda kv: kv[1], reverse=True)
        signals = automated_signals(msg, facts.new_text)
        if signals:
            return Classification(
                intent="automated", confidence=1.0, automated=True, reasons=tuple(signals),
                needs_person=needs_person(msg, facts.new_text), scores=tuple(ranked),
            )
        intent, confidence = ranked[0]
        reasons = (f"text model: {intent} {confidence:.2f}, next {ranked[1][0]} {ranked[1][1]:.2f}",)
        return Classification(
            intent=intent, confidence=round(float(confidence), 4), automated=intent == "automated",
            reasons=reasons, needs_person=intent == "automated" and needs_person(msg, facts.new_text),
            scores=tuple((k, round(float(v), 4)) for k, v in ranked),
        )
