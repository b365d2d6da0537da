"""Render stage: the reply, from Jinja2 templates.

Templates run in Jinja2's sandbox with StrictUndefined, so a misspelt
variable is an error, not an empty string.  Customer text is only ever data
passed into a template, never a template itself.  Each template is
`templates/<name>.txt.j2`; the HTML version is `<name>.html.j2` when it
exists, else `layout.html.j2` wraps the plain text, autoescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from .config import Config
from .records import Decision, Extraction, ParsedMessage, Reply
from .policy.facts import Facts

TEXT_SUFFIX = ".txt.j2"
HTML_SUFFIX = ".html.j2"


@dataclass(frozen=True)
class Renderer:
    env: SandboxedEnvironment
    config: Config
    # Whether each template has its own HTML version: Jinja does not cache a missing one.
    own_html: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_folder(cls, folder: Path, config: Config) -> "Renderer":
        env = SandboxedEnvironment(
            loader=FileSystemLoader(str(folder)),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
            keep_trailing_newline=True,
            auto_reload=False,  # templates are read once per run: no file check on every reply
        )
        return cls(env, config)

    def exists(self, name: str) -> bool:
        return self._found(name + TEXT_SUFFIX)

    def _has_own_html(self, name: str) -> bool:
        if name not in self.own_html:
            self.own_html[name] = self._found(name + HTML_SUFFIX)
        return self.own_html[name]

    def _found(self, template: str) -> bool:
        try:
            self.env.get_template(template)
            return True
        except TemplateNotFound:
            return False

    def template_names(self) -> list[str]:
        return sorted(n[: -len(TEXT_SUFFIX)] for n in self.env.list_templates()
                      if n.endswith(TEXT_SUFFIX) and not n.startswith("partials/"))

    def __call__(self, msg: ParsedMessage, facts: Extraction, policy_facts: Facts,
                 intent: str, decision: Decision) -> Reply | None:
        if decision.template is None:
            return None
        context = reply_context(msg, facts, policy_facts, intent, decision, self.config)
        return self.render(decision.template, context, msg.subject)

    def render(self, name: str, context: dict, subject: str) -> Reply:
        body = _tidy(self.env.get_template(name + TEXT_SUFFIX).render(context))
        if self._has_own_html(name):
            html = self.env.get_template(name + HTML_SUFFIX).render(context)
        else:
            paragraphs = [p.split("\n") for p in body.split("\n\n") if p.strip()]
            html = self.env.get_template("layout.html.j2").render(paragraphs=paragraphs)
        return Reply(subject=reply_subject(subject), template=name, body=body, html=html)


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())  # no CR/LF from the customer's subject
    if subject.lower().startswith(("re:", "aw:", "sv:", "antw:")):
        return subject
    return f"Re: {subject}" if subject else "Re: your message"


def reply_context(msg: ParsedMessage, facts: Extraction, policy_facts: Facts, intent: str,
                  decision: Decision, config: Config) -> dict:
    """Everything a template may use; customer text is data in here, never a template."""
    name = " ".join(msg.from_name.split())
    first = name.split()[0] if name and "@" not in name else ""
    order = policy_facts.order
    received = msg.date.date() if msg.date else None
    delivered = policy_facts.delivered_on
    policy = config.policy
    return {
        "customer": {"name": name, "first_name": first, "email": msg.from_addr,
                     "display": name or msg.from_addr or "you"},
        "order_number": policy_facts.order_number or "",
        "order": None if order is None else {
            "number": order.number, "status": order.status, "placed_at": _d(order.placed_at),
            "shipped_at": _d(order.shipped_at), "delivered_at": _d(order.delivered_at),
            "tracking_number": order.tracking_number, "carrier": order.carrier,
            "payment_method": order.payment_method.replace("_", " "),
        },
        "delivered_on": _d(delivered),
        "personalized": policy_facts.personalized is True,
        "return_received_on": _d(policy_facts.return_received_on),
        "refund_due": _d(policy_facts.refund_due),
        "days_since_delivery": (received - delivered).days if received and delivered else "",
        "evidence_count": sum(1 for a in facts.attachments if a.evidence),
        "tracking_numbers": [t.number for t in facts.tracking_numbers],
        "missing_info": list(decision.missing_info),
        "intent": intent,
        "action": decision.action,
        "policy": {"defect_report_days": policy.defect_report_days, "processing_days": policy.processing_days,
                   "refund_business_days": policy.refund_business_days},
        "store": {"name": config.reply.store_name, "support_address": config.reply.support_address,
                  "signature": config.reply.signature},
        # The parcel (carrier, tracking page, days on the way), the order found without a number,
        # the sender's orders to choose from, and a second request that will follow.
        "shipment": None if policy_facts.shipment is None else {
            "carrier_name": policy_facts.shipment.carrier_name,
            "tracking_number": policy_facts.shipment.tracking_number,
            "tracking_url": policy_facts.shipment.tracking_url,
            "days_in_transit": policy_facts.shipment.days_in_transit,
            "usual_transit_days": policy_facts.shipment.usual_transit_days,
        },
        "order_found_by": policy_facts.found_by,
        "candidate_orders": [{"number": o.number, "placed_at": _d(o.placed_at),
                              "products": ", ".join(line.product for line in o.lines)}
                             for o in policy_facts.candidates],
        "follow_up": {"return_request": "return", "exchange_request": "exchange"}.get(policy_facts.follow_up, ""),
        "message": {"subject": msg.subject, "text": facts.new_text,
                    "date_text": msg.date.strftime("%a, %d %b %Y at %H:%M") if msg.date else "an earlier date"},
    }


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out) + "\n"
