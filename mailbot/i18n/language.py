"""The reply's language: decided once per message, with the reason, for the trace.

The customer's language is what the extract stage detected in their new
text.  English is the base: every template exists in English, and a
customer whose language the store does not write (or whose language could
not be told) gets English.  When the store has a one-line note in the
customer's language ("we answer in English"), the reply opens with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

BASE = "en"
AUTO = "auto"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ReplyLanguage:
    language: str  # the templates' language
    note: str  # the language of the opening "we answer in English" line; "" for none
    reason: str  # the trace line


def choose(detected: str, setting: str, written: Callable[[str], bool],
           has_note: Callable[[str], bool]) -> ReplyLanguage:
    """The reply language for a customer who wrote in `detected` ("und": unknown).

    `setting` is the store's `reply.language` ("auto" or a language code);
    `written(lang)` says whether the store writes this reply in `lang`;
    `has_note(lang)` whether it has the one-line note in `lang`.
    """
    if setting != AUTO:
        if written(setting):
            return ReplyLanguage(setting, "", f"reply language: {setting} (reply.language in the config)")
        return _fallback(setting, has_note, f"reply.language is {setting}, but this reply has no {setting} template")
    if detected == BASE:
        return ReplyLanguage(BASE, "", f"reply language: {BASE}, the customer's")
    if not detected or detected == "und":
        return ReplyLanguage(BASE, "", f"reply language: {BASE}: the customer's language could not be told "
                                       "from their text")
    if written(detected):
        return ReplyLanguage(detected, "", f"reply language: {detected}, the customer's")
    return _fallback(detected, has_note, f"the customer wrote in {detected}, which the store does not write "
                                         "this reply in")


def _fallback(language: str, has_note: Callable[[str], bool], why: str) -> ReplyLanguage:
    if has_note(language):
        return ReplyLanguage(BASE, language, f"reply language: {BASE}: {why}; it opens with a line in "
                                             f"{language} saying so")
    return ReplyLanguage(BASE, "", f"reply language: {BASE}: {why}, and there is no line in {language} to say so")
