"""`mailbot check-config`: load everything start-up loads and report each problem."""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from datetime import date, datetime, timezone

from .config import Config, load_config
from .errors import ConfigError
from .orders import Order, OrderLine
from .pipeline import Pipeline
from .policy.facts import Facts, Shipment
from .policy.checks import MISSING_INFO
from .policy.rules import ACTIONS
from .records import Decision, Extraction, ParsedMessage
from .render import Renderer, reply_context
from .resources import bundled

SAMPLE_MESSAGE = ParsedMessage(
    source="check-config", identity="check", message_id="<check@example.com>", from_addr="ana@example.com",
    from_name="Ana Example", reply_to=None, to=("support@keysme.com",), subject="keycaps",
    date=datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc), headers=(), content_type="text/plain",
    text_plain="Hello", text_html="", parts=(), forwarded_text="", size=5,
)
SAMPLE_ORDER = Order(
    "10492", "ana@example.com", "Ana Example", date(2026, 10, 25), date(2026, 10, 27), date(2026, 11, 1),
    "delivered", "1Z999AA10123456784", "ups", "paypal",
    (OrderLine(1, "KC-1", "Keycap set", 1, "59.00", "EUR", False, False, False, False),),
)
SAMPLE_EXTRACTION = Extraction("Hello {{ 7*7 }}", "", "en", (), (), (), ())
# An order on its way, found by the sender's address, with other orders of theirs and a second
# request: the branches of a template only such a message reaches are rendered too.
SAMPLE_IN_TRANSIT = replace(SAMPLE_ORDER, status="shipped", delivered_at=None)
SAMPLE_SHIPMENT = Shipment("ups", "UPS", SAMPLE_ORDER.tracking_number,
                           "https://www.ups.com/track?tracknum=1Z999AA10123456784", 7, 14)


def check_config(path: str | None) -> list[str]:
    """Every problem found, each naming its file and key; empty when all is well."""
    try:
        config = load_config(path)
    except ConfigError as e:
        return [str(e)]
    problems: list[str] = []
    try:
        Pipeline.from_config(config, load_classifier=False)
    except ConfigError as e:
        problems.append(str(e))
    except Exception as e:
        problems.append(f"{config.source}: {type(e).__name__}: {e}")
    try:
        from .classify.intent import load_model
        load_model(str(config.path(config.classifier.model)) if config.classifier.model else "")
    except ConfigError as e:
        problems.append(str(e))
    problems += _check_templates(config)
    problems += _check_daemon_and_delivery(config)
    return problems


def _check_daemon_and_delivery(config: Config) -> list[str]:
    """What `mailbot run` and sending check at start-up: the environment and the vocabulary."""
    from .daemon.accounts import check_accounts

    problems = []
    if config.accounts:
        try:
            check_accounts(config)
        except ConfigError as e:
            problems.append(str(e))
    if config.mode == "send" and not config.delivery.smtp.host:
        problems.append(f"{config.source}: delivery.smtp.host: mode is \"send\" but no SMTP server is set")
    password_env = config.delivery.smtp.password_env
    if config.delivery.smtp.host and password_env and not os.environ.get(password_env):
        problems.append(f"{config.source}: delivery.smtp.password_env: environment variable {password_env} "
                        "is not set or empty")
    return problems


def _check_templates(config: Config) -> list[str]:
    """Every template in every language the store writes: present, and rendering for every action and
    missing-info combination; and every "we answer in English" note."""
    folder = config.path(config.reply.templates_dir) if config.reply.templates_dir else bundled("templates")
    renderer = Renderer.from_folder(folder, config)
    problems = _check_languages(config, renderer, folder)
    facts = Facts(SAMPLE_ORDER, "10492", date(2026, 11, 1), "order data", date(2026, 10, 25), True,
                  False, False, False, True, 0, True, date(2026, 11, 2), date(2026, 11, 11))
    round2 = replace(facts, order=SAMPLE_IN_TRANSIT, delivered_on=None, found_by="sender address",
                     candidates=(SAMPLE_ORDER, SAMPLE_IN_TRANSIT), shipment=SAMPLE_SHIPMENT,
                     follow_up="return_request")
    combos = [c for n in range(1, len(MISSING_INFO) + 1) for c in itertools.combinations(MISSING_INFO, n)]
    for language in renderer.written_languages():
        if language not in renderer.envs:
            continue  # reported by _check_languages
        where = folder if renderer.flat else folder / language
        for name in renderer.template_names(language):
            problem = (_render_problem(renderer, config, facts, combos, name, language)
                       or _render_problem(renderer, config, round2, combos, name, language))
            if problem:
                problems.append(f"{where / (name + '.txt.j2')}: {problem}")
    for language in renderer.note_language_folders():
        decision = Decision("request_info", "check", "info/request", (), (), "en", language)
        context = reply_context(SAMPLE_MESSAGE, SAMPLE_EXTRACTION, facts, "defective_item", decision, config)
        try:
            renderer.render("info/request", context, "subject", "en", language)
        except Exception as e:
            problems.append(f"{folder / language / 'partials' / 'language-note.txt.j2'}: {type(e).__name__}: {e}")
    return problems


def _check_languages(config: Config, renderer: Renderer, folder) -> list[str]:
    """A language the config names must have every English template (a missing one falls back to English)."""
    problems = []
    english = renderer.template_names("en")
    named = [("reply.languages", lang) for lang in config.reply.languages if lang != "en"]
    if config.reply.language not in ("auto", "en"):
        named.append(("reply.language", config.reply.language))
    for key, language in named:
        if language not in renderer.envs or not renderer.template_names(language):
            layout = " (the folder has no language folders: its templates are the English ones)" if renderer.flat else ""
            problems.append(f"{config.source}: {key}: {language} is named, but {folder / language} has no "
                            f"templates{layout}")
            continue
        for name in english:
            if not renderer.has(name, language):
                problems.append(f"{folder / language / (name + '.txt.j2')}: missing: {key} names {language}, "
                                f"so this reply would go out in English")
    if config.reply.language not in ("auto", "en") and config.reply.languages \
            and config.reply.language not in config.reply.languages:
        problems.append(f"{config.source}: reply.language: {config.reply.language} is not in reply.languages "
                        f"{config.reply.languages}")
    return problems


def _render_problem(renderer: Renderer, config: Config, facts: Facts, combos: list, name: str,
                    language: str) -> str:
    for action in ACTIONS:
        for missing in ([()] + combos if action == "request_info" else [()]):
            decision = Decision(action, "check", name, missing, (), language)
            context = reply_context(SAMPLE_MESSAGE, SAMPLE_EXTRACTION, facts, "defective_item", decision, config)
            try:
                renderer.render(name, context, "subject", language)
            except Exception as e:
                return f"{type(e).__name__}: {e}"
    return ""
