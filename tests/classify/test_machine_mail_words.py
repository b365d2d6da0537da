"""Machine mail: a newsletter's words never make a dispute, and no customer is taken for an auto-reply.

Only the payment service or marketplace itself, naming the case, makes a
notice "a dispute for a person".  Out-of-office and acknowledgement text in
any of the store's languages silences a message only under a machine's
subject, and never when the writer speaks of their own order.
"""

from email.message import EmailMessage

import pytest

from mailbot.classify.automated import automated_signals, needs_person
from mailbot.extract.text import body_text
from mailbot.parse import parse
from mailbot.records import RawMessage


def mail(body: str, subject: str, sender: str = "ana@example.com", **headers) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@keysme.com"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 20 Nov 2026 10:00:00 +0000"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return bytes(msg)


def parsed(raw: bytes):
    msg = parse(RawMessage("m.eml", raw))
    return msg, body_text(msg.text_plain, msg.text_html).new


NEWSLETTERS = [
    mail("Sellers lose thousands to PayPal disputes and chargebacks every year. Our webinar shows how to win "
         "every claim opened against you. Case studies inside! Unsubscribe any time.",
         "5 ways to win PayPal disputes", sender="news@sellergrowth.example",
         List_Unsubscribe="<mailto:unsub@sellergrowth.example>", Precedence="bulk"),
    mail("Neu: Schützen Sie Ihren Shop vor Rückbuchungen! Chargeback-Schutz für PayPal, Klarna und Stripe. "
         "Jetzt 30 Tage testen.", "Chargeback? Nicht mit uns", sender="marketing@shopschutz.example",
         List_Id="<angebote.shopschutz.example>"),
    # The marketplace's own newsletter: the right sender, but no case is named.
    mail("Tips for sellers: how to avoid an A-to-z claim and what to do when a buyer opens a dispute.",
         "Seller newsletter: avoiding disputes", sender="seller-news@amazon.example",
         List_Unsubscribe="<https://amazon.example/unsub>"),
]


@pytest.mark.parametrize("raw", NEWSLETTERS)
def test_a_newsletter_about_disputes_is_not_a_dispute(raw, pipeline_factory):
    msg, text = parsed(raw)
    assert automated_signals(msg, text)  # list mail: a machine's
    assert not needs_person(msg, text)
    result = pipeline_factory().triage(RawMessage("n.eml", raw))
    assert result["action"] == "no_reply" and result["rule"] != "automated-dispute", result["trace"]


@pytest.mark.parametrize("raw", [
    mail("A buyer has opened a dispute. Case ID: PP-D-41234567. Transaction ID 8RT12345AB6789012. "
         "Please respond within 10 days.", "Dispute opened for your transaction", sender="service@paypal.com",
         Auto_Submitted="auto-generated"),
    mail("Der Käufer hat einen Konflikt gemeldet. Chargeback für Bestellung 302-1234567-1234567.",
         "Chargeback notification", sender="cb-notification@amazon.de", Auto_Submitted="auto-generated"),
])
def test_a_dispute_from_the_payment_service_with_a_case_goes_to_a_person(raw, pipeline_factory):
    msg, text = parsed(raw)
    assert needs_person(msg, text)
    result = pipeline_factory().triage(RawMessage("d.eml", raw))
    assert (result["action"], result["rule"]) == ("escalate_human", "automated-dispute"), result["trace"]


@pytest.mark.parametrize("subject,body", [
    ("Delivery status?", "I was away until Monday and nobody was home. Where is my order 10492?"),
    ("Re: Abwesenheitsnotiz", "Ich war im Urlaub. Wo bleibt meine Bestellung 10492? Sie ist immer noch nicht da."),
    ("RE: Réponse automatique", "J'étais en congés, mais ma commande 10492 n'est toujours pas arrivée."),
    ("RE: Respuesta automática", "Estuve de vacaciones y mi pedido 10492 todavía no ha llegado."),
    ("R: Risposta automatica", "Ero in ferie, il mio ordine 10492 non è ancora arrivato."),
    ("RE: Automatisch antwoord", "Ik was afwezig, maar mijn bestelling 10492 is nog steeds niet binnen."),
    ("RE: Resposta automática", "Estive de férias e a minha encomenda 10492 ainda não chegou."),
    ("Odp: Odpowiedź automatyczna", "Byłem na urlopie, a moje zamówienie 10492 dalej nie dotarło."),
    ("Re: 自動返信", "休暇中でしたが、注文した商品（10492）がまだ届いていません。"),
    ("回复：自动回复", "我休假回来了，我的订单10492还没收到。"),
])
def test_a_customer_under_a_machine_like_subject_is_a_person(subject, body, pipeline_factory):
    raw = mail(body, subject)
    msg, text = parsed(raw)
    assert automated_signals(msg, text) == []
    result = pipeline_factory().triage(RawMessage("c.eml", raw))
    assert result["automated"] is False and result["action"] != "no_reply", result["trace"]


@pytest.mark.parametrize("subject,body", [
    ("Resposta automática: Encomenda", "Obrigado pela sua mensagem. Estou fora do escritório até 30 de novembro."),
    ("Odpowiedź automatyczna: Zamówienie", "Dziękuję za wiadomość. Jestem poza biurem do 30 listopada."),
    ("自動返信：ご注文について", "メールありがとうございます。11月30日まで不在にしております。"),
    ("自动回复：订单", "感谢来信，本人休假至11月30日，期间无法查看邮件。"),
])
def test_auto_replies_in_more_languages_are_machines(subject, body):
    msg, text = parsed(mail(body, subject))
    assert automated_signals(msg, text)
