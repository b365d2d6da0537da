"""The reply language: the customer's when the store writes it, else English (with a line saying so)."""

import pytest

from mailbot.i18n.language import choose

WRITTEN = {"en", "de", "fr", "es", "it", "nl"}
NOTES = {"de", "fr", "es", "it", "nl", "pt", "pl", "ja", "zh"}


def pick(detected, setting="auto", written=WRITTEN, notes=NOTES):
    return choose(detected, setting, written=lambda lang: lang in written, has_note=lambda lang: lang in notes)


@pytest.mark.parametrize("language", sorted(WRITTEN))
def test_the_customer_s_language_when_the_store_writes_it(language):
    chosen = pick(language)
    assert (chosen.language, chosen.note) == (language, "")
    assert chosen.reason.startswith(f"reply language: {language}")


@pytest.mark.parametrize("language", ["pt", "pl", "ja", "zh"])
def test_other_languages_get_english_opening_with_a_line_in_theirs(language):
    chosen = pick(language)
    assert (chosen.language, chosen.note) == ("en", language)
    assert f"customer wrote in {language}" in chosen.reason and "saying so" in chosen.reason


def test_unknown_language_gets_english_and_no_note():
    chosen = pick("und")
    assert (chosen.language, chosen.note) == ("en", "")
    assert "could not be told" in chosen.reason


def test_a_language_without_a_note_gets_plain_english_and_the_trace_says_why():
    chosen = pick("hu")
    assert (chosen.language, chosen.note) == ("en", "")
    assert "no line in hu" in chosen.reason


def test_a_language_the_store_does_not_list_falls_back_even_with_templates_on_disk():
    chosen = pick("fr", written={"en", "de"})
    assert (chosen.language, chosen.note) == ("en", "fr")


def test_the_config_setting_overrides_the_customer_s_language():
    chosen = pick("fr", setting="de")
    assert (chosen.language, chosen.note) == ("de", "")
    assert "reply.language" in chosen.reason
    english = pick("de", setting="en")
    assert (english.language, english.note) == ("en", "")
