"""The name to greet a customer by, from the display name of their From header.

People write their names every way: "Hernandez, Sofia" (Outlook in a company
directory), "Dr. Sofia Hernandez", "SOFIA HERNANDEZ", "sofia", "Herr Müller",
"sofia.h@gmail.com", "Sofia via Shopify", or a shared box ("Support Team").
The greeting takes the given name when there is one, the title and family
name when that is all there is ("Frau Müller"), and nothing otherwise: the
template then greets without a name.  A wrong name is worse than none, so
anything doubtful (digits, an address, a role, a sentence) gives none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 5

# Forms of address written before a name, lower case without the final dot.
TITLES = frozenset("""
mr mrs ms miss mx dr prof sir madam rev
herr frau fräulein
m mme mlle monsieur madame mademoiselle
sr sra srta señor señora señorita dña
sig sig.ra sig.na signor signora signorina dott dott.ssa ing avv
dhr mevr mevrouw meneer heer
pan pani
dipl.-ing mag
""".split())
# Degrees and generational suffixes written after a name ("Sofia Hernandez, PhD").
SUFFIXES = frozenset("jr sr ii iii iv phd md mba msc bsc esq dds cpa".split())
# Lower-case particles of family names: "van der Berg", not "Van Der Berg", when re-cased.
PARTICLES = frozenset("de del della der den di da das do dos du la le van von ten ter y zu".split())
# Words that make a display name a shared mailbox or a company, not a person.
ROLE_WORDS = frozenset("""
support team service services customer customers client clients info information admin administrator
sales sale noreply no-reply donotreply office shop store orders order billing accounts accounting
helpdesk desk contact mail postmaster webmaster marketing newsletter notifications notification
gmbh ltd llc inc corp co kg ag sa sarl srl bv nv plc
kundenservice kundendienst service-client atención atencion servicio klantenservice assistenza
""".split())
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>")
_VIA = re.compile(r"\s+(?:via|through|über|par|por|tramite|namens)\s+.*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[|/–—-]\s+|\s*[|/]\s*")
_INITIAL = re.compile(r"^[^\W\d_](?:\.[^\W\d_])*\.?$")


@dataclass(frozen=True)
class Addressee:
    """How to address the customer; empty strings where the name does not tell."""

    first_name: str  # "Sofia": the greeting's name when there is one
    formal_name: str  # "Dr. Hernandez": title and family name, when no given name is known
    full_name: str  # the name in the usual order and case ("Sofia Hernandez" from "HERNANDEZ, SOFIA")

    @property
    def greeting_name(self) -> str:
        return self.first_name or self.formal_name


NOBODY = Addressee("", "", "")


def addressee(display_name: str, address: str = "") -> Addressee:
    """Who to greet, from the From header's display name (and its address, to spot a name that is only that)."""
    name = _clean(display_name)
    if not name or "@" in name or len(name) > MAX_NAME_CHARS:
        return NOBODY
    if (display_name or "").strip(" \"'").endswith(","):
        return NOBODY  # "Hernandez,": the family name of a "Last, First" whose given name is cut off
    local = address.split("@")[0].lower() if address else ""
    if local and name == local:
        return NOBODY  # a mail client that fills in the address's local part when the person set no name
    if _CJK.search(name):
        # Family name first: the whole name, as written, is how to address the person.
        return Addressee(name, "", name)
    name = _reorder_last_first(name)
    words = [w for w in name.split() if any(c.isalnum() for c in w)]  # "Sofia 🌸": the flower is no name
    if not words or len(words) > MAX_NAME_WORDS or any(_is_role(w) for w in words):
        return NOBODY
    if any(not _is_name_word(w) for w in words):
        return NOBODY
    titles = []
    while words and _key(words[0]) in TITLES and len(words) > 1:
        titles.append(words.pop(0))
    while len(words) > 1 and _key(words[-1]) in SUFFIXES:
        words.pop()
    # ALL CAPS or all lower case says nothing about how the name is written: write it as names are.
    one_case = all(w == w.upper() for w in words + titles) or all(w == w.lower() for w in words + titles)
    if one_case:
        titles = [_recase(t, 0) for t in titles]
        words = [_recase(w, i + len(titles)) for i, w in enumerate(words)]
    full = " ".join(words)
    if _INITIAL.match(words[0]):
        # "J. Smith": no given name to use; the name as written is still right.
        formal = " ".join(titles + words) if len(words) > 1 else ""
        return Addressee("", formal, full)
    # "Frau Müller", "Dr. van der Berg": only a family name, said with its title or not at all.
    particle_first = len(words) > 1 and words[0].lower() in PARTICLES and (titles or words[0].islower())
    if titles and (len(words) == 1 or particle_first):
        return Addressee("", f"{' '.join(titles)} {full}", full)
    if particle_first:
        return Addressee("", "", full)
    return Addressee(words[0], "", full)


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = _BRACKETS.sub(" ", name)
    name = _VIA.sub("", name)
    name = _SEPARATOR.split(name.strip())[0]
    return " ".join(name.strip(" \"'`,;:.").split())


def _reorder_last_first(name: str) -> str:
    """"Hernandez, Sofia" -> "Sofia Hernandez"; "Sofia Hernandez, PhD" stays."""
    if name.count(",") != 1:
        return name.replace(",", " ")
    last, given = (part.strip() for part in name.split(","))
    if not given or all(_key(w) in SUFFIXES for w in given.split()):
        return last
    if not last:
        return given
    return f"{given} {last}"  # "Hernandez, Dr. Sofia" -> "Dr. Sofia Hernandez": the title leads again


def _key(word: str) -> str:
    return word.lower().rstrip(".")


def _is_role(word: str) -> bool:
    return _key(word) in ROLE_WORDS


def _is_name_word(word: str) -> bool:
    # Letters, with the hyphens, apostrophes and dots of real names; no digits, no symbols.
    core = word.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
    return bool(core) and all(c.isalpha() or unicodedata.category(c) == "Mn" for c in core)


def _recase(word: str, position: int) -> str:
    lower = word.lower()
    if position > 0 and lower in PARTICLES:
        return lower
    if lower.rstrip(".") in TITLES:
        return lower[:1].upper() + lower[1:]
    # Each part after a hyphen or apostrophe starts a capital: Jean-Luc, O'Brien.
    parts = re.split(r"([-'’])", lower)
    out = []
    for part in parts:
        out.append(part[:1].upper() + part[1:] if part not in ("-", "'", "’") else part)
    word = "".join(out)
    return "Mc" + word[2].upper() + word[3:] if word.startswith("Mc") and len(word) > 2 else word
