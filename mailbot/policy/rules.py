"""Rules as data: `rules/*.toml`, read in file-name order.

The first rule whose checks all hit decides; when none does, a person does.
The loader rejects an unknown check, a misspelt or missing parameter, an
unknown action and a missing template when it loads, not when mail arrives.
A parameter given as the name of a policy setting ("defect_report_days")
takes that setting's value from the config.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from .checks import CHECKS, MISSING_INFO, Context, parameters

ACTIONS = ("request_info", "acknowledge_defect_claim", "decline_late_report", "return_instructions",
           "decline_personalized", "decline_final_sale", "decline_opened_item", "cancel_confirm_pending",
           "cancel_too_late", "refund_status_info", "order_status_info", "answer_question",
           "escalate_human", "no_reply")
RULE_KEYS = {"name", "description", "checks", "action", "template"}
# escalate_human may have no reply: a dispute notice is for staff, not its sender.
NO_TEMPLATE_NEEDED = ("no_reply", "escalate_human")
FALLBACK_RULE = "no-rule-matched"
FALLBACK_TEMPLATE = "escalate/holding"


# Check parameters annotated as numbers (the annotations are strings: `from __future__ import annotations`).
_NUMBERS = {"int": int, "float": (int, float)}


@dataclass(frozen=True)
class CheckCall:
    name: str
    params: dict
    func: Callable

    def __call__(self, ctx: Context):
        return self.func(ctx, **self.params)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({args})" if args else self.name


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    checks: tuple[CheckCall, ...]
    action: str
    template: str | None
    file: str


def load_rules(folder: Path, settings: dict, template_exists: Callable[[str], bool]) -> list[Rule]:
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(folder, "", "no rules (*.toml) found")
    rules: list[Rule] = []
    names: set[str] = set()
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(path, "", f"not valid TOML: {e}") from None
        unknown = set(data) - {"rule"}
        if unknown:
            raise ConfigError(path, sorted(unknown)[0], "unknown key (a rules file holds [[rule]] tables)")
        for index, raw in enumerate(data.get("rule", [])):
            rule = _rule(path, index, raw, settings, template_exists)
            if rule.name in names:
                raise ConfigError(path, f"rule[{index}].name", f"rule {rule.name!r} defined twice")
            names.add(rule.name)
            rules.append(rule)
    return rules


def _rule(path: Path, index: int, raw: dict, settings: dict, template_exists) -> Rule:
    where = f"rule[{index}]"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ConfigError(path, f"{where}.{sorted(unknown)[0]}", "unknown key")
    for key in ("name", "description", "checks", "action"):
        if key not in raw:
            raise ConfigError(path, f"{where}.{key}", "missing")
    where = f"rule {raw['name']!r}"
    if raw["action"] not in ACTIONS:
        raise ConfigError(path, f"{where}.action", f"unknown action {raw['action']!r}")
    template = raw.get("template")
    if raw["action"] not in NO_TEMPLATE_NEEDED and not template:
        raise ConfigError(path, f"{where}.template", "missing: only no_reply and escalate_human may go without")
    if template:
        if not template_exists(template):
            raise ConfigError(path, f"{where}.template", f"no template {template!r}")
    calls = tuple(_check_call(path, f"{where}.checks[{i}]", c, settings) for i, c in enumerate(raw["checks"]))
    return Rule(raw["name"], raw["description"], calls, raw["action"], template, path.name)


def _check_call(path: Path, where: str, raw: dict, settings: dict) -> CheckCall:
    if not isinstance(raw, dict) or "check" not in raw:
        raise ConfigError(path, where, "each check is a table with a `check` key")
    name = raw["check"]
    if name not in CHECKS:
        raise ConfigError(path, f"{where}.check", f"unknown check {name!r}")
    expected = parameters(name)
    params = {}
    for key, value in raw.items():
        if key == "check":
            continue
        if key not in expected:
            raise ConfigError(path, f"{where}.{key}", f"check {name!r} takes no parameter {key!r}"
                              f" (it takes: {', '.join(expected) or 'none'})")
        if isinstance(value, str) and value in settings:
            value = settings[value]
        expected_type = _NUMBERS.get(expected[key].annotation)
        if expected_type and not (isinstance(value, expected_type) and not isinstance(value, bool)):
            raise ConfigError(path, f"{where}.{key}", f"expected a number or the name of a policy setting "
                              f"({', '.join(sorted(settings))}), got {value!r}")
        params[key] = value
    for key, param in expected.items():
        if key not in params and param.default is param.empty:
            raise ConfigError(path, f"{where}.{key}", f"check {name!r} needs parameter {key!r}")
    if name == "missing-info":
        bad = [n for n in params["needs"] if n not in MISSING_INFO]
        if bad:
            raise ConfigError(path, f"{where}.needs", f"unknown missing_info {bad[0]!r}")
    return CheckCall(name, params, CHECKS[name])


@dataclass(frozen=True)
class Verdict:
    action: str
    rule: str
    template: str | None
    missing_info: tuple[str, ...]
    trace: tuple[str, ...]


def decide(rules: list[Rule], ctx: Context) -> Verdict:
    """The first rule whose checks all hit decides; the trace says why."""
    trace = []
    for rule in rules:
        missing: tuple[str, ...] = ()
        failed = None
        notes = []
        for call in rule.checks:
            outcome = call(ctx)
            notes.append(f"{call.describe()}: {'hit' if outcome.hit else 'miss'}, {outcome.note}")
            if not outcome.hit:
                failed = notes[-1]
                break
            missing += outcome.missing
        if failed is None:
            trace.append(f"rule {rule.name} ({rule.file}) decides: {rule.description}")
            trace.extend(f"  {n}" for n in notes)
            return Verdict(rule.action, rule.name, rule.template, missing, tuple(trace))
        if len(notes) > 1 or _relevant(rule, ctx):
            trace.append(f"rule {rule.name} skipped: {failed}")
    trace.append("no rule decided: a person decides")
    return Verdict("escalate_human", FALLBACK_RULE, FALLBACK_TEMPLATE, (), tuple(trace))


def _relevant(rule: Rule, ctx: Context) -> bool:
    # Keep the trace readable: a rule that failed on its intent test is noise.
    return not rule.checks or rule.checks[0].name != "intent-is"
