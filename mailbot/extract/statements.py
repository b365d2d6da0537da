"""What the customer says about the item, for the policy's checks.

Each statement is a fact the rules can use when the order data does not say:
"I opened it", "custom keycaps with my name on them", "bought in the final
sale".  Patterns look at the customer's new text only.
"""

from __future__ import annotations

import re

STATEMENTS: dict[str, re.Pattern] = {
    "opened": re.compile(
        r"\b(opened|unsealed|unboxed|used (it|them)(?! to)|tried (it|them)( out)?|installed|typed on|"
        r"mounted|put (it|them) on|been using|i used(?! to)|after using|ausgepackt|geöffnet|benutzt|"
        r"ouvert|utilisé|abierto|usado|aperto|usato)\b", re.I),
    # Only a plain statement that it was never opened: "I put it back in the
    # original box" is said of opened items too.
    "unopened": re.compile(
        r"\b(unopened|never (been )?opened|not (been )?opened|still (sealed|in (its|the) (shrink ?)?wrap)|"
        r"(have|has)n'?t (been )?opened|(did|do) ?n[o']t open|ungeöffnet|originalverpackt|non ouvert|"
        r"sin abrir|mai aperto)\b", re.I),
    "personalized": re.compile(
        r"\b(custom(i[sz]ed)?|personali[sz]ed|engraved|with my (name|logo|initials)|my own design|"
        r"printed with|bespoke|made to order|individual design)\b", re.I),
    "final_sale": re.compile(r"\b(final (sale|discount)|clearance)\b", re.I),
    "non_returnable": re.compile(r"\b(non-?returnable|no returns? (label|sticker|accepted))\b", re.I),
    "free_gift": re.compile(r"\b(free gift|freebie|gift that came with|complimentary)\b", re.I),
    "not_keysme": re.compile(r"\b(bought (it )?(on|from|at) (amazon|aliexpress|ebay|another (shop|store)))\b", re.I),
}

# A return or exchange needs a reason; these are reasons customers give.
REASON = re.compile(
    r"\b(because|since|as (it|they|the)|too (?!late|many|much time)\w+|(does|do|did|will|would)(n'?t| not) (fit|work|suit|match|go)|"
    r"don'?t (like|need|want)|do not (like|need|want)|not (what i|for me|my style|compatible)|changed my mind|"
    r"ordered by mistake|by accident|wrong (size|layout|profile) for me|prefer|instead|hate|dislike|"
    r"no longer need|not needed|gift|color|colour|sound|feel|weil|parce que|porque|perché)\b",
    re.I,
)


# "I have never used them", "haven't installed it yet": a negated use is no use.
NEGATED = re.compile(r"\b(never|not|n't|no|haven'?t|hasn'?t|didn'?t|nicht|nie|pas|jamais|nunca|mai)\b"
                     r"(\s+\w+){0,2}\s*$", re.I)


def _affirmed(pattern: re.Pattern, text: str) -> bool:
    """Whether the pattern matches somewhere that is not negated just before it."""
    return any(not NEGATED.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))


def find_statements(text: str) -> frozenset[str]:
    said = {name for name, pattern in STATEMENTS.items()
            if (_affirmed(pattern, text) if name == "opened" else pattern.search(text))}
    if "unopened" in said:
        said.discard("opened")  # "I haven't opened it" also matches "opened"
    if REASON.search(text):
        said.add("reason")
    return frozenset(said)
