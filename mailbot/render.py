"""Render stage: the reply, from Jinja2 templates, in the reply's language.

Templates run in Jinja2's sandbox with StrictUndefined, so a misspelt
variable is an error, not an empty string.  Customer text is only ever data
passed into a template, never a template itself.

Layout: `templates/<lang>/<name>.txt.j2` (`en` holds every template; `de`,
`fr`... the languages the store writes), the HTML version
`<lang>/<name>.html.j2` when it exists, else `layout.html.j2` (at the top of
the folder, shared by all languages) wraps the plain text, autoescaped.  A
language folder may hold only `partials/language-note.txt.j2`: the line that
opens an English reply to a customer who wrote in that language.

A store's own templates folder from before language folders (no `en/`) is
still read: its templates are the English ones, and the notes come from the
bundled templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from .config import Config
from .i18n.formats import Formats
from .i18n.greeting import addressee
from .i18n.language import BASE, LANGUAGE_CODE, ReplyLanguage, choose
from .records import Decision, Extraction, ParsedMessage, Reply
from .policy.facts import Facts
from .resources import bundled

TEXT_SUFFIX = ".txt.j2"
HTML_SUFFIX = ".html.j2"
LAYOUT = "layout.html.j2"
NOTE = "partials/language-note.txt.j2"


def _environment(folder: Path, language: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        keep_trailing_newline=True,
        auto_reload=False,  # templates are read once per run: no file check on every reply
    )
    formats = Formats(language)
    # For values a template formats itself: {{ amount | money("EUR") }}, {{ day | long_date }}.
    env.filters["money"] = formats.money
    env.filters["long_date"] = formats.date
    env.filters["carrier_name"] = formats.carrier
    return env


def language_folders(folder: Path) -> dict[str, Path]:
    """The language folders of a templates folder; a folder without `en/` is all English (the old layout)."""
    if not (folder / BASE).is_dir():
        return {BASE: folder}
    return {d.name: d for d in sorted(folder.iterdir()) if d.is_dir() and LANGUAGE_CODE.match(d.name)}


@dataclass(frozen=True)
class Renderer:
    folder: Path
    envs: dict[str, SandboxedEnvironment]  # one per language folder
    layout_env: SandboxedEnvironment  # the top of the folder, for layout.html.j2
    config: Config
    # Whether each template has its own HTML version: Jinja does not cache a missing one.
    own_html: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False, compare=False)
    notes: dict[str, SandboxedEnvironment | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_folder(cls, folder: Path, config: Config) -> "Renderer":
        folder = Path(folder)
        envs = {lang: _environment(path, lang) for lang, path in language_folders(folder).items()}
        return cls(folder, envs, _environment(folder, BASE), config)

    # -- what the folder holds

    @property
    def flat(self) -> bool:
        """The old layout: no language folders, every template English."""
        return not (self.folder / BASE).is_dir()

    def exists(self, name: str) -> bool:
        """The template exists in English, the base every language falls back to."""
        return self.has(name, BASE)

    def has(self, name: str, language: str) -> bool:
        env = self.envs.get(language)
        return env is not None and _found(env, name + TEXT_SUFFIX)

    def template_names(self, language: str = BASE) -> list[str]:
        env = self.envs.get(language)
        if env is None:
            return []
        return sorted(n[: -len(TEXT_SUFFIX)] for n in env.list_templates()
                      if n.endswith(TEXT_SUFFIX) and not n.startswith("partials/"))

    def folder_languages(self) -> list[str]:
        """Languages with templates of their own (not only the note), English first."""
        found = [lang for lang in self.envs if lang != BASE and self.template_names(lang)]
        return [BASE, *sorted(found)]

    def written_languages(self) -> list[str]:
        """The languages the store writes: `reply.languages`, else every language the folder has."""
        configured = self.config.reply.languages
        return [BASE, *(lang for lang in configured if lang != BASE)] if configured else self.folder_languages()

    def note_language_folders(self) -> list[str]:
        return sorted(lang for lang in self.envs if _found(self.envs[lang], NOTE))

    def has_note(self, language: str) -> bool:
        return self._note_env(language) is not None

    def _note_env(self, language: str) -> SandboxedEnvironment | None:
        if language not in self.notes:
            env = self.envs.get(language)
            if env is None or not _found(env, NOTE):
                # A store's own folder without notes (the old layout) borrows the bundled ones.
                path = bundled("templates") / language
                env = _environment(path, language) if path.is_dir() else None
                env = env if env is not None and _found(env, NOTE) else None
            self.notes[language] = env
        return self.notes[language]

    # -- the reply's language

    def reply_language(self, detected: str, template: str) -> ReplyLanguage:
        written = set(self.written_languages())
        return choose(detected, self.config.reply.language,
                      written=lambda lang: lang in written and self.has(template, lang),
                      has_note=self.has_note)

    # -- rendering

    def __call__(self, msg: ParsedMessage, facts: Extraction, policy_facts: Facts,
                 intent: str, decision: Decision) -> Reply | None:
        if decision.template is None:
            return None
        context = reply_context(msg, facts, policy_facts, intent, decision, self.config)
        return self.render(decision.template, context, msg.subject, decision.language, decision.language_note)

    def render(self, name: str, context: dict, subject: str, language: str = BASE, note: str = "") -> Reply:
        env = self.envs[language] if language in self.envs else self.envs[BASE]
        language = language if language in self.envs else BASE
        body = env.get_template(name + TEXT_SUFFIX).render(context)
        note_text = ""
        if note:
            note_env = self._note_env(note)
            note_text = " ".join(note_env.get_template(NOTE).render(context).split()) if note_env else ""
        if note_text:
            body = note_text + "\n\n" + body.lstrip("\n")
        body = _tidy(body)
        if self._has_own_html(language, name):
            html = env.get_template(name + HTML_SUFFIX).render(context)
            if note_text:
                html = _after_body_tag(html, f'<p lang="{note}">{escape(note_text)}</p>\n')
        else:
            paragraphs = [p.split("\n") for p in body.split("\n\n") if p.strip()]
            html = self.layout_env.get_template(LAYOUT).render(paragraphs=paragraphs, language=language)
        return Reply(subject=reply_subject(subject), template=name, body=body, html=html, language=language)

    def _has_own_html(self, language: str, name: str) -> bool:
        key = (language, name)
        if key not in self.own_html:
            self.own_html[key] = _found(self.envs[language], name + HTML_SUFFIX)
        return self.own_html[key]


def _found(env: SandboxedEnvironment, template: str) -> bool:
    try:
        env.get_template(template)
        return True
    except TemplateNotFound:
        return False


def _after_body_tag(html: str, insert: str) -> str:
    match = re.search(r"<body[^>]*>", html, re.IGNORECASE)
    return html[: match.end()] + "\n" + insert + html[match.end():] if match else insert + html


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())  # no CR/LF from the customer's subject
    if subject.lower().startswith(("re:", "aw:", "sv:", "antw:")):
        return subject
    return f"Re: {subject}" if subject else "Re: your message"


def reply_context(msg: ParsedMessage, facts: Extraction, policy_facts: Facts, intent: str,
                  decision: Decision, config: Config) -> dict:
    """Everything a template may use, with dates, money and names written for the reply's language.

    Customer text is data in here, never a template.
    """
    fmt = Formats(decision.language)
    name = " ".join(msg.from_name.split())  # as the customer wrote it: "X wrote:" quotes them
    who = addressee(msg.from_name, msg.from_addr)  # who to greet: "Hello Sofia,", never "Hello Hernandez,,"
    order = policy_facts.order
    received = msg.date.date() if msg.date else None
    delivered = policy_facts.delivered_on
    policy = config.policy
    message_day, message_time = fmt.datetime(msg.date)
    return {
        "language": decision.language,
        "customer": {"name": name, "first_name": who.first_name, "formal_name": who.formal_name,
                     "greeting_name": who.greeting_name, "email": msg.from_addr,
                     "display": name or msg.from_addr or ""},
        "order_number": policy_facts.order_number or "",
        "order": None if order is None else {
            "number": order.number, "status": order.status, "placed_at": fmt.date(order.placed_at),
            "shipped_at": fmt.date(order.shipped_at), "delivered_at": fmt.date(order.delivered_at),
            "tracking_number": order.tracking_number, "carrier": order.carrier,
            "carrier_name": fmt.carrier(order.carrier),
            "payment_method": fmt.payment_method(order.payment_method),
            "lines": [{"product": line.product, "quantity": line.quantity,
                       "unit_price": fmt.money(line.unit_price, line.currency)} for line in order.lines],
        },
        "delivered_on": fmt.date(delivered),
        "personalized": policy_facts.personalized is True,
        "return_received_on": fmt.date(policy_facts.return_received_on),
        "refund_due": fmt.date(policy_facts.refund_due),
        "days_since_delivery": (received - delivered).days if received and delivered else "",
        "evidence_count": sum(1 for a in facts.attachments if a.evidence),
        "tracking_numbers": [t.number for t in facts.tracking_numbers],
        "missing_info": list(decision.missing_info),
        "intent": intent,
        "action": decision.action,
        "policy": {"defect_report_days": policy.defect_report_days, "processing_days": policy.processing_days,
                   "refund_business_days": policy.refund_business_days},
        "store": {"name": config.reply.store_name, "support_address": config.reply.support_address,
                  "signature": config.reply.signatures.get(decision.language)
                  or (config.reply.signature if decision.language == BASE else "")},
        # The parcel (carrier, tracking page, days on the way), the order found without a number,
        # the sender's orders to choose from, and a second request that will follow.
        "shipment": None if policy_facts.shipment is None else {
            "carrier_name": fmt.carrier(policy_facts.shipment.carrier) or policy_facts.shipment.carrier_name,
            "tracking_number": policy_facts.shipment.tracking_number,
            "tracking_url": policy_facts.shipment.tracking_url,
            "days_in_transit": policy_facts.shipment.days_in_transit,
            "usual_transit_days": policy_facts.shipment.usual_transit_days,
        },
        "order_found_by": policy_facts.found_by,
        "candidate_orders": [{"number": o.number, "placed_at": fmt.date(o.placed_at),
                              "products": ", ".join(line.product for line in o.lines)}
                             for o in policy_facts.candidates],
        "follow_up": {"return_request": "return", "exchange_request": "exchange"}.get(policy_facts.follow_up, ""),
        "message": {"subject": msg.subject, "text": facts.new_text,
                    "date": message_day, "time": message_time,
                    # Before languages, templates wrote this; a store's own folder may still.
                    "date_text": msg.date.strftime("%a, %d %b %Y at %H:%M") if msg.date else "an earlier date"},
    }


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out) + "\n"
