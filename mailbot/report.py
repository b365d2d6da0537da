"""The triage result as DESIGN.md's JSON line, and as a readable table."""

from __future__ import annotations

import shutil

from .records import TriageResult

FIELDS = ("source", "message_id", "from", "subject", "date", "intent", "confidence", "automated",
          "language", "order_numbers", "tracking_numbers", "dates", "attachments", "action",
          "missing_info", "rule", "trace", "reply", "error")


def result_json(r: TriageResult) -> dict:
    """One message's line of `mailbot triage --json`: every field, filled as far as the stages got."""
    p, x, c, d = r.parsed, r.extraction, r.classification, r.decision
    return {
        "source": r.source,
        "message_id": p.message_id if p else None,
        "from": p.from_addr if p else None,
        "subject": p.subject if p else None,
        "date": p.date.isoformat() if p and p.date else None,
        "intent": c.intent if c else None,
        "confidence": round(c.confidence, 4) if c else None,
        "automated": c.automated if c else None,
        "language": x.language if x else None,
        "order_numbers": x.order_numbers if x else [],
        "tracking_numbers": [{"number": t.number, "carrier": t.carrier} for t in x.tracking_numbers] if x else [],
        "dates": [{"text": m.text, "date": m.date.isoformat(), **({"role": m.role} if m.role else {})}
                  for m in x.dates] if x else [],
        "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "evidence": a.evidence} for a in x.attachments] if x else [],
        "action": d.action if d else None,
        "missing_info": list(d.missing_info) if d else [],
        "rule": d.rule if d else None,
        # What parse and extract cut or skipped comes first: a reviewer reads what the bot did not see.
        "trace": [*(p.notes if p else ()), *(x.notes if x else ()), *(d.trace if d else ())],
        "reply": {"subject": r.reply.subject, "template": r.reply.template, "language": r.reply.language,
                  "body": r.reply.body}
        if r.reply else None,
        "error": r.error,
    }


COLUMNS = (("from", 24), ("subject", 30), ("intent", 16), ("conf", 4), ("order #", 9),
           ("action", 24), ("missing info", 20))


def table(results: list[dict]) -> str:
    """A fixed-width table a person can read in a terminal."""
    width = shutil.get_terminal_size((160, 20)).columns
    rows = [[h for h, _ in COLUMNS]]
    for r in results:
        rows.append([
            r.get("from") or "?",
            r.get("subject") or "",
            r.get("intent") or ("ERROR" if r.get("error") else ""),
            f"{r['confidence']:.2f}" if r.get("confidence") is not None else "",
            ",".join(r.get("order_numbers") or []),
            r.get("action") or (r.get("error") or "")[:24],
            ",".join(r.get("missing_info") or []),
        ])
    lines = []
    for row in rows:
        cells = [_fit(str(cell), w) for cell, (_, w) in zip(row, COLUMNS)]
        lines.append("  ".join(cells).rstrip()[:max(width, 80)])
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
