"""The intent model reads the store's languages: tokens, stems, calibrated confidence, per-language figures."""

from __future__ import annotations

import math

import pytest

from mailbot.classify.calibration import Calibration, fit_temperature, negative_log_likelihood
from mailbot.classify.evaluate import at_threshold, by_language, format_by_language
from mailbot.classify.intent import load_calibration, load_model, model_text


def test_chinese_and_japanese_are_read_character_by_character():
    zh = model_text("订单", "你好，我的订单10492还没有发货。")
    assert zh.split()[:4] == ["订", "单", "你", "好"] and "0" in zh.split()
    ja = model_text("返品", "キーキャップを返品したいです。", language="ja")
    assert "返 品" in ja and "キ ー キ ャ ッ プ" in ja


@pytest.mark.parametrize("language,subject,body,stem", [
    ("de", "Erstattung", "Wann wird mein Geld erstattet? Die Rücksendungen sind angekommen.", "erstatt"),
    ("fr", "Remboursement", "Quand serai-je remboursé ? Les colis sont arrivés.", "rembours"),
    ("es", "Reembolso", "¿Cuándo me devolvéis el dinero? Los paquetes llegaron.", "paquet"),
    ("pl", "Zwrot", "Kiedy dostanę zwrot pieniędzy? Paczki dotarły.", "pieniędz"),
])
def test_european_languages_are_stemmed_in_their_own_language(language, subject, body, stem):
    assert stem in model_text(subject, body, language=language).split()


def test_the_language_is_detected_when_not_given():
    assert model_text("", "Wo bleibt meine Bestellung? Ich warte seit zwei Wochen.") == \
        model_text("", "Wo bleibt meine Bestellung? Ich warte seit zwei Wochen.", language="de")


# Written for this test, not taken from the corpus: one clear request per language.
CLEAR = [
    ("de", "Stornierung", "Bitte stornieren Sie meine Bestellung 10517, ich brauche sie nicht mehr.", "cancel_order"),
    ("de", "Paket?", "Mein Paket ist seit zehn Tagen unterwegs, wann kommt es endlich an?", "order_status"),
    ("fr", "Clavier cassé", "Mon clavier est arrivé avec deux touches qui ne fonctionnent pas du tout.", "defective_item"),
    ("es", "Devolución", "Quiero devolver el teclado, no me convence. Está sin usar.", "return_request"),
    ("it", "Rimborso", "Ho restituito i keycap tre settimane fa e non ho ancora ricevuto il rimborso.", "refund_status"),
    ("nl", "Verkeerd artikel", "Ik heb zwarte keycaps besteld maar witte ontvangen.", "wrong_item"),
    ("pt", "Pergunta", "Os vossos keycaps servem num teclado Keychron K8 com layout ISO?", "product_question"),
    ("pl", "Zmiana adresu", "Proszę zmienić adres dostawy w zamówieniu 10517 na ul. Polna 3, Kraków.", "modify_order"),
    ("ja", "交換希望", "赤軸を茶軸に交換してもらえますか？まだ未開封です。", "exchange_request"),
    ("zh", "自动回复", "您好，我正在休假，12月5日回来后回复您的邮件。", "automated"),
]


@pytest.mark.parametrize("language,subject,body,intent", CLEAR)
def test_clear_requests_in_each_language_are_read_right(language, subject, body, intent):
    nlp = load_model("")
    cats = load_calibration("").apply(nlp(model_text(subject, body, language=language)).cats)
    assert max(cats, key=cats.get) == intent, sorted(cats.items(), key=lambda kv: -kv[1])[:3]


def test_temperature_keeps_the_ranking_and_fits_overconfidence():
    cats = {"a": 0.6, "b": 0.3, "c": 0.1}
    sharper, flatter = Calibration(0.5).apply(cats), Calibration(2.0).apply(cats)
    assert max(sharper, key=sharper.get) == max(flatter, key=flatter.get) == "a"
    assert sharper["a"] > 0.6 > flatter["a"] and math.isclose(sum(sharper.values()), 1.0)
    # A model that says 0.9 but is right only half the time: the fitted temperature flattens it.
    scored = [({"a": 0.9, "b": 0.1}, "a"), ({"a": 0.9, "b": 0.1}, "b")] * 20
    t = fit_temperature(scored)
    assert t > 2 and negative_log_likelihood(scored, t) < negative_log_likelihood(scored, 1.0)
    assert abs(Calibration(t).apply({"a": 0.9, "b": 0.1})["a"] - 0.5) < 0.05


def test_the_bundled_model_carries_its_calibration():
    calibration = load_calibration("")
    assert calibration.temperature != 1.0 and "validation" in calibration.fitted_on


def test_figures_per_language_and_at_the_threshold():
    gold = ["a", "a", "b", "b", "a", "b"]
    predicted = ["a", "b", "b", "b", "a", "a"]
    confidence = [0.9, 0.4, 0.8, 0.6, 0.95, 0.3]
    languages = ["de", "de", "de", "ja", "ja", "ja"]
    reports = by_language(gold, predicted, confidence, languages)
    assert list(reports) == ["de", "ja"] and reports["de"].accuracy == pytest.approx(2 / 3)
    table = format_by_language(reports)
    assert "de" in table and "0.9-1.0" in table
    report = at_threshold(gold, predicted, confidence, 0.5)
    assert (report.answered, report.answered_wrong, report.handed, report.handed_right) == (4, 0, 2, 0)
