"""The renderer's language folders, the "we answer in English" line, and the old layout of a store's own folder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO
from mailbot.checkconfig import SAMPLE_MESSAGE, SAMPLE_ORDER
from mailbot.config import Config, ReplyConfig
from mailbot.policy.facts import Facts
from mailbot.records import Decision, Extraction
from mailbot.render import Renderer, reply_context
from mailbot.resources import bundled

FACTS = Facts(SAMPLE_ORDER, "10492", date(2026, 11, 1), "order data", date(2026, 10, 25), True,
              False, False, False, True, 0, False)
EXTRACTION = Extraction("Hi, where is my order?", "", "en", (), (), (), ())
NOTE_LANGUAGES = ["pt", "pl", "ja", "zh", "sv", "da", "cs", "ru", "de", "fr", "es", "it", "nl"]


def reply(renderer: Renderer, config: Config, detected: str, template: str = "escalate/holding"):
    chosen = renderer.reply_language(detected, template)
    decision = Decision("escalate_human", "r", template, (), (), chosen.language, chosen.note)
    context = reply_context(SAMPLE_MESSAGE, EXTRACTION, FACTS, "order_status", decision, config)
    return chosen, renderer.render(template, context, "hi", chosen.language, chosen.note)


@pytest.mark.parametrize("language", NOTE_LANGUAGES)
def test_the_note_opens_an_english_reply_in_the_customer_s_language(language):
    config = Config(reply=ReplyConfig(languages=["en"]))  # a store that writes only English
    chosen, out = reply(Renderer.from_folder(bundled("templates"), config), config, language)
    note = (bundled("templates") / language / "partials" / "language-note.txt.j2").read_text(encoding="utf-8").strip()
    assert (chosen.language, chosen.note, out.language) == ("en", language, "en")
    assert out.body.startswith(note + "\n\nHello Ana,\n")
    assert f"<p>{note}</p>" in out.html or note.replace("'", "&#39;") in out.html


def test_a_store_s_own_folder_in_the_old_layout_is_english_and_still_works(tmp_path, mailbot):
    flat = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "en", flat)
    shutil.copy(REPO / "templates" / "layout.html.j2", flat)
    # Partials as stores wrote them before languages: the variables they use are still there.
    (flat / "partials" / "quote.txt.j2").write_text(
        '{% if message.text %}\nOn {{ message.date_text }}, {{ customer.display }} wrote:\n'
        '{% for line in message.text.splitlines() %}> {{ line }}\n{% endfor %}{% endif %}\n', encoding="utf-8")
    (flat / "partials" / "greeting.txt.j2").write_text('Hello {{ customer.first_name or "there" }},\n',
                                                       encoding="utf-8")
    config = Config(reply=ReplyConfig(templates_dir=str(flat)))
    renderer = Renderer.from_folder(flat, config)
    assert renderer.flat and renderer.folder_languages() == ["en"]
    assert renderer.exists("defect/acknowledge")
    # A German customer: English from the store's own templates, opened by the bundled German line.
    chosen, out = reply(renderer, config, "de")
    assert (chosen.language, chosen.note) == ("en", "de")
    assert out.body.startswith("Wir können leider noch nicht auf Deutsch antworten")
    assert "\nHello Ana,\n" in out.body and "On Tue, 03 Nov 2026 at 10:00, Ana Example wrote:" in out.body
    (tmp_path / "c.toml").write_text('[reply]\ntemplates_dir = "templates"\n', encoding="utf-8")
    result = mailbot("check-config", str(tmp_path / "c.toml"))
    assert result.returncode == 0, result.stderr


def test_check_config_names_a_template_missing_in_a_configured_language(tmp_path, mailbot):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "de" / "refund" / "status.txt.j2").unlink()
    (tmp_path / "c.toml").write_text('[reply]\ntemplates_dir = "templates"\nlanguages = ["en", "de", "pt"]\n',
                                     encoding="utf-8")
    result = mailbot("check-config", str(tmp_path / "c.toml"))
    assert result.returncode == 2
    assert str(templates / "de" / "refund" / "status.txt.j2") in result.stderr and "missing" in result.stderr
    assert "reply.languages: pt is named" in result.stderr  # only the note: no templates in Portuguese
    # At run time that one reply falls back to English, with the German line; the trace says so.
    config = Config(reply=ReplyConfig(templates_dir=str(templates), languages=["en", "de"]))
    chosen, out = reply(Renderer.from_folder(templates, config), config, "de", "refund/status")
    assert (chosen.language, chosen.note) == ("en", "de") and "no de template" not in chosen.reason
    assert "does not write this reply in" in chosen.reason


def test_check_config_names_a_broken_template_in_another_language(tmp_path, mailbot):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "fr" / "order" / "status.txt.j2").write_text("Bonjour {{ custmer.name }}\n", encoding="utf-8")
    (tmp_path / "c.toml").write_text('[reply]\ntemplates_dir = "templates"\n', encoding="utf-8")
    result = mailbot("check-config", str(tmp_path / "c.toml"))
    assert result.returncode == 2
    assert str(templates / "fr" / "order" / "status.txt.j2") in result.stderr and "custmer" in result.stderr


def test_an_own_html_template_gets_the_note_too(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "en" / "escalate" / "holding.html.j2").write_text(
        "<html><body><p>Hello {{ customer.first_name }}</p></body></html>\n", encoding="utf-8")
    config = Config(reply=ReplyConfig(languages=["en"]))
    _, out = reply(Renderer.from_folder(templates, config), config, "pt")
    assert out.html.startswith("<html><body>\n<p lang=\"pt\">Ainda não podemos responder em português")


def test_signatures_per_language():
    config = Config(reply=ReplyConfig(signature="Maria, Keysme", signatures={"de": "Maria vom Keysme-Team"}))
    renderer = Renderer.from_folder(bundled("templates"), config)
    assert "\nMaria vom Keysme-Team\n" in reply(renderer, config, "de")[1].body
    assert "\nMaria, Keysme\n" in reply(renderer, config, "en")[1].body
    assert "\nL’équipe du service client Keysme\n" in reply(renderer, config, "fr")[1].body


@pytest.mark.parametrize("sender,language,greeting", [
    ("Hernandez, Sofia", "en", "Hello Sofia,"),
    ("HERNANDEZ, SOFIA", "es", "Hola, Sofia:"),
    ("Frau Müller", "de", "Hallo Frau Müller,"),
    ("Dr. Dubois", "fr", "Bonjour Dr. Dubois,"),
    ("", "en", "Hello there,"),
    ("", "de", "Guten Tag,"),
    ("", "fr", "Bonjour,"),
    ("", "es", "Hola:"),
    ("", "it", "Buongiorno,"),
    ("", "nl", "Beste klant,"),
    ("support team", "nl", "Beste klant,"),
])
def test_each_language_greets_by_name_by_title_or_without_a_name(sender, language, greeting):
    from dataclasses import replace as copy

    config = Config()
    message = copy(SAMPLE_MESSAGE, from_name=sender, from_addr="someone@example.com")
    decision = Decision("escalate_human", "r", "escalate/holding", (), (), language)
    context = reply_context(message, EXTRACTION, FACTS, "other", decision, config)
    body = Renderer.from_folder(bundled("templates"), config).render("escalate/holding", context, "hi", language).body
    assert body.split("\n")[0] == greeting
