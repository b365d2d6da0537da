"""A customer is never silenced as a machine on a guess (`no_reply` needs a strong signal).

Customers write in many languages; the text model may read such mail poorly
and put its best weak guess on "automated".  Only headers, a machine sender,
a machine's subject or a high model score may give `no_reply`.
"""

from dataclasses import dataclass
from email.message import EmailMessage

import pytest

from mailbot.classify import Classifier
from mailbot.config import Config
from mailbot.extract import Extractor
from mailbot.orders import OrderBook
from mailbot.parse import parse
from mailbot.records import RawMessage

CUSTOMERS = {
    "de": ("Tastenkappen kaputt", "Hallo,\nich war im Urlaub, als das Paket ankam. Zwei Tastenkappen sind gebrochen.\nGrüße, Jörg"),
    "fr": ("Commande", "Bonjour, je suis absente du bureau la semaine prochaine mais je voudrais annuler ma commande 10517."),
    "es": ("Pedido", "Hola, ¿dónde está mi pedido 10517? Gracias"),
    "it": ("Reso", "Buongiorno, vorrei restituire la tastiera, non mi piace. Ordine 10517. Grazie"),
    "nl": ("Bestelling", "Hallo, mijn bestelling 10517 is nog niet aangekomen. Groeten"),
    "pl": ("Zamówienie", "Dzień dobry, gdzie jest moja paczka? Zamówienie 10517. Dziękuję"),
    "pt": ("Encomenda", "Olá, a minha encomenda 10517 ainda não chegou. Obrigado"),
    "ja": ("注文について", "こんにちは。注文10517がまだ届いていません。確認していただけますか？"),
    "zh": ("订单", "你好，我的订单10517还没有到。请帮我查一下。谢谢"),
}


def customer_mail(subject: str, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Kunde <kunde@example.de>"
    msg["To"] = "support@keysme.com"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 20 Nov 2026 10:00:00 +0000"
    msg.set_content(body)
    return bytes(msg)


@pytest.mark.parametrize("language", sorted(CUSTOMERS))
def test_customers_in_other_languages_always_reach_a_reply_or_a_person(language, pipeline_factory):
    subject, body = CUSTOMERS[language]
    result = pipeline_factory().triage(RawMessage(f"{language}.eml", customer_mail(subject, body)))
    assert result["automated"] is False, result["trace"]
    assert result["action"] != "no_reply", result["trace"]


@dataclass
class _Doc:
    cats: dict


@dataclass
class _FixedScores:
    """Stands in for the spaCy pipeline: returns the same scores for any text."""
    cats: dict

    def __call__(self, text):
        return _Doc(self.cats)


def classify_with(scores: dict, raw: bytes, threshold: float = 0.9):
    msg = parse(RawMessage("m.eml", raw))
    facts = Extractor.from_config(Config().extract, OrderBook())(msg)
    return Classifier(_FixedScores(scores), threshold)(msg, facts)


@pytest.mark.parametrize("automated_score,silenced", [(0.3, False), (0.6, False), (0.89, False), (0.95, True)])
def test_only_a_high_model_score_alone_says_machine(automated_score, silenced):
    rest = (1 - automated_score) / 3  # below the automated score: it stays the model's best guess
    result = classify_with({"automated": automated_score, "other": rest, "order_status": rest},
                           customer_mail("Hallo", "Bitte melden Sie sich."))
    assert result.intent == "automated"
    assert result.automated is silenced
    if not silenced:
        assert any("too weak" in reason for reason in result.reasons)


def test_a_weak_automated_guess_goes_to_a_person(pipeline_factory):
    """Through the rules: intent automated, not machine mail, so escalate_human with a holding reply."""
    pipeline = pipeline_factory()
    pipeline.classifier = Classifier(_FixedScores({"automated": 0.6, "other": 0.2, "order_status": 0.2}), 0.9)
    result = pipeline.triage(RawMessage("m.eml", customer_mail("Hallo", "Bitte melden Sie sich.")))
    assert (result["intent"], result["automated"], result["action"]) == ("automated", False, "escalate_human")
    assert result["rule"] == "automated-unsure"
