"""What a date is in its sentence: when it was ordered, shipped, delivered, or expected.

The cue nearest before the date in the same sentence decides ("I ordered
on Oct 19 and it arrived yesterday": Oct 19 ordered, yesterday delivered);
failing that, one right after it ("Monday is when it arrived").  A
delivery cue that is negated ("still hasn't arrived") or hoped for
("was supposed to arrive on the 2nd") does not make the date a delivery
date: the 7-day window must not start from a promise.
"""

from __future__ import annotations

import re

ROLE_CUES: tuple[tuple[str, str], ...] = (
    ("delivered", r"arriv\w*|deliver\w*|receiv\w*|got (?:it|them|the|my)|came|showed up|turned up|landed|"
                  r"geliefert|zugestellt|angekommen|erhalten|bekommen|reçu|reçue?s?|livr[ée]\w*|arriv[ée]\w*|"
                  r"recib\w*|lleg[óo]\w*|entregad\w*|ricevut\w*|arrivat\w*|consegnat\w*|ontvangen|bezorgd|"
                  r"aangekomen|geleverd|recebi\w*|cheg(?:ou|aram)|entregue"),
    ("shipped", r"shipped|dispatched|sent out|was sent|were sent|posted|left the warehouse|handed to|"
                r"versandt|verschickt|versendet|abgeschickt|exp[ée]di[ée]\w*|envoy[ée]\w*|enviad\w*|"
                r"spedit\w*|verzonden|verstuurd|despachad\w*"),
    ("ordered", r"ordered|order(?:ed)? (?:it|them|was placed)|placed (?:my|the|an|this|order)|placed it|bought|"
                r"purchased|paid|order date|bestellt|gekauft|bezahlt|command[ée]\w*|achet[ée]\w*|pay[ée]|"
                r"ped[ií]|compr[ée]|pagu[ée]|ordinat\w*|comprat\w*|pagat\w*|besteld|gekocht|betaald|"
                r"encomend\w*|comprei|zamówi\w*|kupi\w*"),
)
# Words that turn a delivery cue into an expectation ("should have arrived on").
EXPECTED = re.compile(
    r"\b(?:expect\w*|supposed|should|estimated|due|promised|scheduled|will|would|planned|eta|"
    r"voraussichtlich|sollte|soll|erwartet|prévu\w*|devrait|debería|debe|previst\w*|dovrebbe|verwacht|"
    r"zou|moet|deveria|estimad\w*)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|never|no|n't|yet|still|nicht|nie|noch|kein\w*|pas|jamais|toujours|todavía|aún|nunca|"
    r"non|ancora|mai|niet|nog|geen|não|ainda|nie)\b|n't",
    re.IGNORECASE,
)
_CUES = re.compile("|".join(f"(?P<{role}>\\b(?:{pattern}))" for role, pattern in ROLE_CUES), re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.!?;\n]|\bbut\b|\baber\b|\bmais\b|\bpero\b|\bma\b|\bmaar\b", re.IGNORECASE)
WINDOW = 80


def role_of(text: str, start: int, end: int) -> str | None:
    """The role of the date at text[start:end], or None when its sentence gives none."""
    before = _clause_before(text, start)
    cues = list(_CUES.finditer(before))
    if cues:
        cue = cues[-1]
        return _qualified(cue.lastgroup, before[:cue.start()], before[cue.end():])
    after = _clause_after(text, end)
    cue = _CUES.search(after)
    if cue and cue.start() < 40:
        return _qualified(cue.lastgroup, text[max(0, start - 40):start] + after[:cue.start()], "")
    return None


def _qualified(role: str, lead: str, between: str) -> str | None:
    """A delivery cue that is negated or expected is not a delivery."""
    if role != "delivered":
        return role
    near = " ".join(lead.split()[-3:])  # "was supposed to", "still hasn't", "has not been"
    if EXPECTED.search(near):
        return "expected"
    if NEGATION.search(" ".join(lead.split()[-2:])):
        return None
    return role


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - WINDOW):start]
    cut = 0
    for m in _CLAUSE_END.finditer(window):
        # "03.11." and "Nov." do not end a sentence: a full stop counts only before a space.
        if m.group(0) == "." and not window[m.end():m.end() + 1].isspace():
            continue
        cut = m.end()
    return window[cut:]


def _clause_after(text: str, end: int) -> str:
    window = text[end:end + 60]
    m = _CLAUSE_END.search(window)
    return window[:m.start()] if m else window
