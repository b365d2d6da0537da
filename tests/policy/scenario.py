"""Build one policy scenario: an email, optional order rows and history, a fixed intent.

The classifier is replaced by a plain Classification so these tests pin the
policy, not the model; everything else runs the real stages.
"""

from __future__ import annotations

import csv
import dataclasses
from email.message import EmailMessage
from pathlib import Path

from extract.mail.build import png
from mailbot.config import Config
from mailbot.extract import Extractor
from mailbot.orders import COLUMNS, OrderBook
from mailbot.parse import parse
from mailbot.pipeline import policy_settings
from mailbot.policy.checks import Context
from mailbot.policy.facts import gather
from mailbot.policy.requests import primary_request
from mailbot.policy.returns import COLUMNS as RETURN_COLUMNS
from mailbot.policy.returns import ReturnHistory
from mailbot.policy.rules import decide, load_rules
from mailbot.records import Classification, RawMessage
from mailbot.render import Renderer, reply_context
from mailbot.resources import bundled

# A phone photo: photo-sized in pixels and bytes (the evidence rules look at both).
PNG = png(1024, 768, 60_000)

ORDER_DEFAULTS = {
    "order_number": "10492", "email": "ana@example.com", "name": "Ana Lopez", "placed_at": "2026-10-20",
    "shipped_at": "2026-10-22", "delivered_at": "2026-10-30", "status": "delivered",
    "tracking_number": "1Z999AA10123456784", "carrier": "ups", "payment_method": "paypal", "line": "1",
    "sku": "KC-GMK-01", "product": "GMK-style keycap set", "quantity": "1", "unit_price": "59.00",
    "currency": "EUR", "personalized": "no", "final_sale": "no", "free_gift": "no", "non_returnable": "no",
}


def email(body: str, subject: str = "my order", *, date: str = "Mon, 02 Nov 2026 10:00:00 +0100",
          sender: str = "Ana Lopez <ana@example.com>", photos: int = 0) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Keysme Support <support@keysme.com>"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{abs(hash((body, subject)))}@example.com>"
    msg.set_content(body)
    for n in range(photos):
        msg.add_attachment(PNG, maintype="image", subtype="png", filename=f"IMG_{n + 1}.PNG")
    return bytes(msg)


def write_orders(folder: Path, rows: list[dict]) -> Path:
    path = folder / "orders.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**ORDER_DEFAULTS, **row})
    return path


def write_returns(folder: Path, rows: list[dict]) -> Path:
    path = folder / "returns.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, RETURN_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({"email": "ana@example.com", "order_number": "10492", "line": "1",
                             "date": "2026-09-01", "kind": "return", "received": "", **row})
    return path


class Scenario:
    def __init__(self, tmp_path: Path, config: Config | None = None):
        self.tmp = tmp_path
        self.config = config or Config()
        self.renderer = Renderer.from_folder(bundled("templates"), self.config)
        self.rules = load_rules(bundled("rules"), policy_settings(self.config), self.renderer.exists)

    def run(self, raw: bytes, intent: str, *, confidence: float = 0.95, orders: list[dict] | None = None,
            returns: list[dict] | None = None, automated_reasons: tuple = (), needs_person: bool = False):
        book = OrderBook.load(write_orders(self.tmp, orders)) if orders else OrderBook()
        history = ReturnHistory.load(write_returns(self.tmp, returns)) if returns else ReturnHistory()
        parsed = parse(RawMessage("scenario.eml", raw))
        extraction = Extractor.from_config(self.config.extract, book)(parsed)
        classification = Classification(intent, confidence, intent == "automated", automated_reasons,
                                        needs_person)
        request = primary_request(intent, extraction)
        facts = gather(parsed, extraction, book, history, self.config.policy, request)
        acting = dataclasses.replace(classification, intent=request.intent)
        verdict = decide(self.rules, Context(parsed, extraction, acting, facts, parsed.date))
        if request.note:  # as the pipeline's trace has it
            verdict = dataclasses.replace(verdict, trace=(f"request: {request.note}", *verdict.trace))
        reply = None
        if verdict.template:
            from mailbot.records import Decision
            # In the customer's language, as the pipeline chooses it.
            language = self.renderer.reply_language(extraction.language, verdict.template)
            decision = Decision(verdict.action, verdict.rule, verdict.template, verdict.missing_info, verdict.trace,
                                language.language, language.note)
            context = reply_context(parsed, extraction, facts, request.intent, decision, self.config)
            reply = self.renderer.render(verdict.template, context, parsed.subject, language.language, language.note)
        return verdict, reply
