"""`mailbot triage --json`: the reply is in the customer's language, and the trace says why."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest

MESSAGES = {
    "en": ("Where is my order?", "Hi, I ordered a keycap set last week and it still has not arrived. "
                                 "Could you tell me where my parcel is? Thanks"),
    "de": ("Wo ist meine Bestellung?", "Hallo, ich habe letzte Woche ein Keycap-Set bestellt und es ist immer "
                                       "noch nicht angekommen. Können Sie mir sagen, wo mein Paket ist? Danke"),
    "fr": ("Où est ma commande ?", "Bonjour, j'ai commandé un jeu de keycaps la semaine dernière et il n'est "
                                   "toujours pas arrivé. Pouvez-vous me dire où est mon colis ? Merci"),
    "es": ("¿Dónde está mi pedido?", "Hola, la semana pasada pedí un juego de teclas y todavía no ha llegado. "
                                     "¿Me pueden decir dónde está mi paquete? Gracias"),
    "it": ("Dov'è il mio ordine?", "Buongiorno, la settimana scorsa ho ordinato un set di keycap e non è ancora "
                                   "arrivato. Potete dirmi dove si trova il mio pacco? Grazie"),
    "nl": ("Waar is mijn bestelling?", "Hallo, ik heb vorige week een set keycaps besteld en die is nog steeds "
                                       "niet aangekomen. Kunt u mij vertellen waar mijn pakket is? Bedankt"),
    "pt": ("Onde está a minha encomenda?", "Olá, encomendei um conjunto de teclas na semana passada e ainda não "
                                           "chegou. Podem dizer-me onde está a minha encomenda? Obrigado"),
    "pl": ("Gdzie jest moje zamówienie?", "Dzień dobry, w zeszłym tygodniu zamówiłam zestaw keycapów i nadal nie "
                                          "dotarł. Czy mogą Państwo sprawdzić, gdzie jest moja paczka? Dziękuję"),
}
GREETINGS = {"en": "Hello", "de": "Hallo", "fr": "Bonjour", "es": "Hola", "it": "Buongiorno", "nl": "Beste"}
NOTES = {"pt": "Ainda não podemos responder em português", "pl": "Nie możemy jeszcze odpowiadać po polsku",

         "fr": "Nous ne pouvons pas encore répondre en français"}


def write_mail(folder, language, sender='"SANTOS, MARIA" <maria@example.com>'):
    subject, body = MESSAGES[language]
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Keysme Support <support@keysme.com>"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Nov 2026 10:00:00 +0100"
    msg["Message-ID"] = f"<lang-{language}@example.com>"
    msg.set_content(body)
    (folder / f"{language}.eml").write_bytes(bytes(msg))


def triage(mailbot, tmp_path, config_text: str = "") -> dict[str, dict]:
    tmp_path.mkdir(exist_ok=True)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for language in MESSAGES:
        write_mail(inbox, language)
    config = tmp_path / "c.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "s.sqlite3"}"\n' + config_text, encoding="utf-8")
    result = mailbot("triage", "--json", "--config", str(config), str(inbox))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return {line["source"].rsplit("/", 1)[-1][:-4]: line for line in lines}


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    from conftest import run_mailbot
    return triage(run_mailbot, tmp_path_factory.mktemp("default"))


@pytest.mark.parametrize("language", sorted(GREETINGS))
def test_the_reply_is_in_the_customer_s_language(default_run, language):
    line = default_run[language]
    assert line["language"] == language and line["reply"]["language"] == language
    assert line["reply"]["body"].startswith(f"{GREETINGS[language]}")
    assert "Maria" in line["reply"]["body"].split("\n")[0]  # "SANTOS, MARIA": her given name, written as names are
    assert f"reply language: {language}, the customer's" in line["trace"]


# Japanese and Chinese mail is not in here: today's classifier takes it for automated mail (no reply);
# the note in those languages is rendered in tests/i18n/test_renderer.py.
@pytest.mark.parametrize("language", ["pt", "pl"])
def test_a_language_the_store_does_not_write_gets_english_opening_with_a_line_in_theirs(default_run, language):
    line = default_run[language]
    body = line["reply"]["body"]
    assert line["language"] == language and line["reply"]["language"] == "en"
    assert body.split("\n")[0].startswith(NOTES[language])
    assert body.split("\n\n")[1].startswith("Hello Maria,")
    assert any(t.startswith("reply language: en:") and f"wrote in {language}" in t for t in line["trace"])


def test_the_store_can_write_fewer_languages_or_always_one(mailbot, tmp_path):
    fewer = triage(mailbot, tmp_path / "fewer", '[reply]\nlanguages = ["en", "de"]\n')
    assert fewer["de"]["reply"]["language"] == "de"
    assert fewer["fr"]["reply"]["language"] == "en"
    assert fewer["fr"]["reply"]["body"].startswith(NOTES["fr"])
    always = triage(mailbot, tmp_path / "always", '[reply]\nlanguage = "de"\n')
    replied = [line for line in always.values() if line["reply"]]
    assert len(replied) >= len(GREETINGS)
    assert {line["reply"]["language"] for line in replied} == {"de"}
    assert all("reply language: de (reply.language in the config)" in line["trace"] for line in replied)
