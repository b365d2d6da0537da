"""The customer's own words: new text apart from quoted history, forwards and signature.

Plain text: mail-parser-reply splits at the reply headers it knows (Gmail's
and Apple Mail's "On ... wrote:" and its translations, Outlook's
From:/Sent: block in a dozen languages, "-----Original Message-----").  We
add what it misses (attribution lines in more languages, forwarded-message
markers, "> " quoting left inline) and our own signature rule: its
signature rule takes everything after any line starting "Thanks," or "- "
as signature, which would hide an order number written after a list item.

HTML-only mail: the quote containers the clients write (Gmail's
gmail_quote, <blockquote type="cite">, Outlook's divRplyFwdMsg) are cut out
of the tree before inscriptis turns it into text, because once flattened a
blockquote is only indented text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from inscriptis import Inscriptis
from inscriptis.model.config import ParserConfig
from mailparser_reply.parser import EmailMessage

from ..mail_limits import MAX_TEXT_CHARS

REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]

# Reply attributions mail-parser-reply misses (Spanish, Dutch, Portuguese,
# wrapped over two lines, or with the date first).
ATTRIBUTION = re.compile(
    r"^[ >]*(?:On|Am|Le|El|Il|Op|Em|Den|Dne|Dnia|W dniu|Le\s\w+\.?)\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?"
    r"(?:wrote|schrieb|a\sécrit|escribió|ha\sscritto|schreef|escreveu|skrev|napsal\(a\)|napisał\(a\)|"
    r"napisał|napisała|kirjoitti)\b[^\n:]{0,120}:[ \t]*$"
    r"|^[^\n]{4,200}(?:<[^>\n]+@[^>\n]+>|\d{1,2}:\d{2})[^\n]{0,60}(?:wrote|schrieb|a\sécrit|escribió|"
    r"ha\sscritto|schreef|escreveu|skrev|написал\(а\)|написал|yazdı)\s?:[ \t]*$"
    # Japanese and Chinese clients: "2026年11月3日(火) 10:00 Name <a@b>:", "... 写道："
    r"|^[ >]*\d{4}\s?年[^\n]{0,200}?(?:<[^>\n]+@[^>\n]+>|写道|寫道|のメッセージ)[^\n]{0,20}[:：][ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where a forwarded message or an unrecognised history starts.
HISTORY_MARKER = re.compile(
    r"^[ >]*-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|message d'origine|"
    r"mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|"
    r"forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|"
    r"messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada|videresendt meddelelse|"
    r"vidarebefordrat meddelande|wiadomość przekazana)\s*-{2,}[ \t]*$"
    r"|^[ >]*(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié)\s?:"
    r"|^[ \t]*_{10,}[ \t]*$"
    r"|^[ >*]*(?:from|von|de|da|van|od|från|fra)\s?:[^\n]*\n[ >*]*(?:sent|date|gesendet|datum|envoyé|"
    r"enviado(?: el)?|inviato|data|verzonden|wysłano|skickat|sendt|to|an|à|para|a|aan|do|till|til)\s?:"
    r"|^[ >*]*(?:发件人|寄件者|差出人|보낸 사람)\s?[:：][^\n]*\n[ >*]*(?:发送时间|發送時間|日期|送信日時|"
    r"收件人|收件者|宛先|날짜|보낸 날짜)\s?[:：]",
    re.IGNORECASE | re.MULTILINE,
)
FORWARD_MARKER = re.compile(r"forward|weitergeleitet|transféré|réexpédié|reenviado|inoltrato|doorgestuurd|"
                            r"encaminhada|videresendt|vidarebefordrat|przekazana", re.IGNORECASE)

# Signatures: the "-- " delimiter, a phone's "Sent from", or a sign-off line
# followed by a short block (name, phone, address) up to the end.
SIG_DASHES = re.compile(r"^-- ?$", re.MULTILINE)
SENT_FROM = re.compile(
    r"^(?:sent from (?:my )?\w[^\n]{0,40}|get outlook for [^\n]{1,30}|von meinem [^\n]{1,30} gesendet|"
    r"gesendet von [^\n]{1,40}|envoyé de mon [^\n]{1,30}|envoyé depuis [^\n]{1,30}|"
    r"enviado desde mi [^\n]{1,30}|inviato da [^\n]{1,30}|verzonden (?:met|vanaf) [^\n]{1,30}|"
    r"verstuurd vanaf mijn [^\n]{1,30}|skickat från [^\n]{1,30}|wysłane z [^\n]{1,30}|"
    r"enviado do meu [^\n]{1,30})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
SIGN_OFF = re.compile(
    r"^[ \t]*(?:(?:best|kind|warm|many|with)?\s?(?:regards|wishes|thanks)|best|cheers|thanks(?: again| a lot| in advance)?|"
    r"thank you(?: very much| in advance)?|many thanks|sincerely|yours(?: sincerely| truly)?|all the best|"
    r"respectfully|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße|liebe grüße|"
    r"beste grüße|grüße|gruß|lg|mfg|vg|danke(?: schön)?|cordialement|bien cordialement|bien à vous|merci(?: beaucoup)?|"
    r"salutations|saludos(?: cordiales)?|un saludo|atentamente|gracias|cordiali saluti|saluti|grazie(?: mille)?|"
    r"distinti saluti|met vriendelijke groet(?:en)?|groeten|groetjes|bedankt|dank je wel|pozdrawiam|"
    r"med vänliga hälsningar|hälsningar|mvh|med venlig hilsen|atenciosamente|obrigad[oa]|abraços)"
    r"[ \t]*[,.!]*[ \t]*(?:[A-Z][\w.'-]*[ \t]*){0,3}$",
    re.IGNORECASE | re.MULTILINE,
)
SIGNATURE_MAX_LINES = 8
SIGNATURE_MAX_CHARS = 500
QUOTED_LINE = re.compile(r"^[ \t]*>", re.MULTILINE)


@dataclass(frozen=True)
class Body:
    new: str  # what the customer wrote now
    quoted: str  # quoted history and forwarded messages
    signature: str  # the sign-off block under the new text
    forwarded: bool = False  # the history is a forwarded message


def body_text(text_plain: str, text_html: str, forwarded_text: str = "") -> Body:
    """The message's text split into new text, history and signature.

    `forwarded_text` is the text of attached messages (message/rfc822):
    mail-parser folds their bodies into the message's own text, so they
    are taken out again here; the caller reads them as history.
    """
    plain = _without(_normalise(text_plain), forwarded_text)
    if _usable(plain, text_html):
        return split_quoted(plain)
    new_html, quoted_html = html_to_text_parts(text_html)
    # The HTML is cut in parse; its text is cut to the plain-text bound too, before the regexes read it.
    body = split_quoted(_without(new_html[:MAX_TEXT_CHARS], forwarded_text))
    quoted = "\n\n".join(t for t in (body.quoted, quoted_html) if t)
    return Body(body.new, quoted, body.signature, body.forwarded)


def _without(text: str, forwarded_text: str) -> str:
    """`text` without the paragraphs of the attached messages' bodies."""
    if not forwarded_text or not text:
        return text
    for paragraph in re.split(r"\n\s*\n", _normalise(forwarded_text)):
        paragraph = paragraph.strip()
        if not paragraph or re.match(r"(?:From|Date|Subject):", paragraph):
            continue  # the header block parse.py puts in front of each message
        text = text.replace(paragraph, "", 1)
    return _normalise(text)


def _usable(plain: str, html: str) -> bool:
    # Some clients put a stub in text/plain ("View in browser"): a plain part
    # far shorter than the HTML's text gives way to the HTML.
    if not html.strip():
        return True
    letters = sum(c.isalpha() for c in plain)
    if letters >= 500:
        return True
    visible = re.sub(r"<(style|script|head)\b.*?</\1\s*>|<[^>]*>|&\w+;", " ", html, flags=re.S | re.I)
    return letters >= 0.5 * sum(c.isalpha() for c in visible)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_quoted(text: str) -> Body:
    """(new text, quoted history, signature) of a plain-text body."""
    text = _normalise(text)
    new, quoted = _split_replies(text)
    forwarded = False
    # What the parser did not recognise: attribution lines and history markers.
    cuts = [m for m in (ATTRIBUTION.search(new), HISTORY_MARKER.search(new)) if m]
    if cuts:
        first = min(cuts, key=lambda m: m.start())
        forwarded = bool(FORWARD_MARKER.search(first.group(0)))
        new, quoted = new[:first.start()].strip(), _join(new[first.start():], quoted)
    elif quoted and FORWARD_MARKER.search(quoted[:200]):
        forwarded = True
    # "> " lines left in the new text are quotes (inline replies keep the rest).
    if QUOTED_LINE.search(new):
        lines = new.split("\n")
        own = [line for line in lines if not line.lstrip().startswith(">")]
        quotes = [line for line in lines if line.lstrip().startswith(">")]
        new, quoted = "\n".join(own).strip(), _join("\n".join(quotes), quoted)
    new, signature = split_signature(new)
    return Body(new, quoted, signature, forwarded)


@lru_cache(maxsize=1)
def _reply_regexes() -> dict:
    # EmailMessage builds its three regexes from the language tables for every
    # message; they depend only on the languages, so build them once.
    template = EmailMessage(text="", languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True)
    return {"_header_regex": template.HEADER_REGEX, "_disclaimers_regex": template.DISCLAIMERS_REGEX,
            "_signature_regex": template.SIGNATURE_REGEX}


def _split_replies(text: str) -> tuple[str, str]:
    try:
        replies = EmailMessage(text=text, languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True,
                               **_reply_regexes()).read().replies
    except Exception:  # the parser's regexes on pathological input: our own markers still apply
        return text, ""
    if not replies:
        return text, ""
    # content, not body: the parser's signature rule is too eager (see the module doc).
    return replies[0].content.strip(), "\n\n".join(r.content for r in replies[1:]).strip()


def split_signature(text: str) -> tuple[str, str]:
    """(text, signature): cut at "-- ", a phone's "Sent from", or a closing sign-off block."""
    candidates = []
    dashes = SIG_DASHES.search(text)
    if dashes:
        candidates.append(dashes.start())
    sent = SENT_FROM.search(text)
    if sent:
        candidates.append(sent.start())
    for sign_off in SIGN_OFF.finditer(text):
        rest = text[sign_off.end():].strip()
        lines = [line for line in rest.split("\n") if line.strip()]
        if sign_off.start() > 0 and len(lines) <= SIGNATURE_MAX_LINES and len(rest) <= SIGNATURE_MAX_CHARS \
                and not _reads_like_prose(lines):
            candidates.append(sign_off.start())
            break
    if not candidates:
        return text, ""
    cut = min(candidates)
    return text[:cut].strip(), text[cut:].strip()


def _reads_like_prose(lines: list[str]) -> bool:
    # A signature is short lines: a name, a phone, an address.  A sentence
    # after "Thanks," is the message going on.
    return any(len(line) > 70 or re.search(r"[a-z]{3,}[.?!]\s+[A-Z]", line) or line.rstrip().endswith("?")
               for line in lines)


HEADER_LINE = re.compile(
    r"^[ >*]*(?:from|sent|date|to|cc|subject|von|gesendet|datum|an|betreff|de|envoyé|à|objet|enviado(?: el)?|"
    r"para|asunto|da|inviato|oggetto|van|verzonden|aan|onderwerp)\s?:.*$",
    re.IGNORECASE | re.MULTILINE,
)


def without_headers(history: str) -> str:
    """History without its reply attributions and header blocks.

    "On Mon, 2 Nov 2026 ... wrote:" dates the quoted mail; it is nothing the
    customer said, so dates are not read from it.
    """
    return HEADER_LINE.sub("", ATTRIBUTION.sub("", history))


def _join(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


# Quote containers, by client.  "element": the element alone is history
# (inline replies keep the text around it).  "cut": history runs from the
# element to the end of the message (Outlook puts the header in one div and
# the quoted body in the siblings after it).
HTML_QUOTES = (
    ("element", "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')"
                " or contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote_container ')]"),
    ("element", "//blockquote[@type='cite']"),
    ("element", "//*[contains(@class, 'yahoo_quoted') or contains(@class, 'protonmail_quote')"
                " or contains(@class, 'moz-cite-prefix') or @name='quote']"),
    ("cut", "//*[@id='divRplyFwdMsg' or @id='appendonsend' or @id='mail-editor-reference-message-container'"
            " or @class='OutlookMessageHeader' or @id='stopSpelling']"),
    ("cut", "//div[contains(translate(@style, 'ABCDEF', 'abcdef'), 'border-top:solid #e1e1e1')"
            " or contains(translate(@style, 'ABCDEF', 'abcdef'), 'border-top:solid #b5c4df')]"),
)
_CONFIG = ParserConfig()


def html_to_text(html: str) -> str:
    """The text of an HTML body, quotes and all."""
    new, quoted = html_to_text_parts(html)
    return _join(new, quoted)


def html_to_text_parts(html: str) -> tuple[str, str]:
    """(own text, quoted text) of an HTML body."""
    if not html.strip():
        return "", ""
    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml refuses some fragments (only a comment, only an XML declaration)
        return _normalise(re.sub(r"<[^>]+>", " ", html)), ""
    root = tree.getroottree().getroot()
    removed: list[lxml.html.HtmlElement] = []
    for kind, xpath in HTML_QUOTES:
        for element in tree.xpath(xpath):
            if element.getparent() is None or element.getroottree().getroot() is not root:
                continue  # the root itself, or inside a quote already cut out
            if kind == "element":
                removed.append(element)
                element.drop_tree()
            else:
                removed.extend(_cut_from(element))
                break
    new = _render(tree)
    quoted = "\n\n".join(_render(e) for e in removed)
    return new, _normalise(quoted)


def _cut_from(element) -> list:
    """Remove `element` and everything after it in document order."""
    removed = []
    node = element
    while node.getparent() is not None:
        parent = node.getparent()
        following = list(node.itersiblings())
        if node is element:
            parent.remove(node)  # its tail goes with it: text after the marker is history
            removed.append(node)
        else:
            node.tail = None
        for sibling in following:
            parent.remove(sibling)
            removed.append(sibling)
        node = parent
    return removed


def _render(element) -> str:
    try:
        text = Inscriptis(element, _CONFIG).get_text()
    except Exception:
        text = element.text_content()
    lines = [line.strip() for line in text.split("\n")]
    return _normalise("\n".join(lines))
