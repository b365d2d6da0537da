"""The language of the new text."""

import pytest

from mailbot.extract.language import detect_language


@pytest.mark.parametrize("text, expected", [
    ("Hi, my keyboard arrived yesterday and two keycaps are cracked. Can you send replacements?", "en"),
    ("Hallo, meine Bestellung ist leider immer noch nicht angekommen. Können Sie bitte nachsehen?", "de"),
    ("Bonjour, j'ai reçu ma commande hier mais il manque une touche. Pouvez-vous m'aider ?", "fr"),
    ("Hola, el teclado llegó roto y adjunto las fotos. ¿Me pueden enviar uno nuevo?", "es"),
    ("Ciao, la tastiera è arrivata rotta, vi mando le foto. Potete sostituirla?", "it"),
    ("Hoi, mijn bestelling is nog steeds niet aangekomen. Kunnen jullie dat nakijken?", "nl"),
    ("Olá, a minha encomenda ainda não chegou. Podem verificar, por favor?", "pt"),
    ("Dzień dobry, moje zamówienie jeszcze nie dotarło. Czy możecie sprawdzić?", "pl"),
    ("Hej, min beställning har fortfarande inte kommit fram. Kan ni kolla?", "sv"),
    ("Where is my order #10492?? Tracking LX607183429CN hasn't moved since 2026-11-02!", "en"),
    ("Thanks!", "und"),
    ("", "und"),
    ("#10492 LX607183429CN https://t.17track.net/en#nums=LX607183429CN 10:02", "und"),
])
def test_language(text, expected):
    assert detect_language(text) == expected
