"""The customer's own words: HTML to text, new text apart from quoted history.

mail-parser-reply knows the reply headers of many mail clients and languages
("On ... wrote:", "Am ... schrieb", "-----Original Message-----", Outlook's
From:/Sent: block); we add the plain "> " quote as a fallback.
"""

from __future__ import annotations

import re
from functools import lru_cache

from inscriptis import get_text
from mailparser_reply import EmailReplyParser

REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]

# Outlook and some webmails put the history after a rule of dashes or underscores.
_HISTORY_MARKERS = re.compile(
    r"^\s*(-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|"
    r"mensaje original|messaggio originale|forwarded message|weitergeleitete nachricht)\s*-{2,}"
    r"|_{10,}\s*$|from:\s.*\n\s*(sent|date|gesendet|envoyé):)",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^\s*>", re.MULTILINE)


@lru_cache(maxsize=1)
def _reply_parser() -> EmailReplyParser:
    return EmailReplyParser(languages=REPLY_LANGUAGES)


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    text = get_text(html)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def body_text(text_plain: str, text_html: str) -> str:
    """The message's text: the plain part, else the HTML turned into text."""
    if text_plain.strip():
        return text_plain
    return html_to_text(text_html)


def split_quoted(text: str) -> tuple[str, str]:
    """(new text, quoted history) of a message body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        replies = _reply_parser().read(text).replies
    except Exception:  # the parser's regexes on pathological input: fall back below
        replies = []
    if replies:
        new = replies[0].body.strip()
        quoted = "\n".join(r.content for r in replies[1:]).strip()
    else:
        new, quoted = text.strip(), ""
    # A history the parser did not recognise: cut at the first marker line.
    marker = _HISTORY_MARKERS.search(new)
    if marker and marker.start() > 0:
        new, quoted = new[: marker.start()].strip(), (new[marker.start():] + "\n" + quoted).strip()
    # "> " lines left in the new text are quotes too (inline replies keep the rest).
    if _QUOTED_LINE.search(new):
        own = [line for line in new.split("\n") if not line.lstrip().startswith(">")]
        quotes = [line for line in new.split("\n") if line.lstrip().startswith(">")]
        new, quoted = "\n".join(own).strip(), ("\n".join(quotes) + "\n" + quoted).strip()
    return new, quoted
