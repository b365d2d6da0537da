"""How much of one message the bot reads: the bounds that keep a hostile message cheap.

The support address is public.  A message of a few megabytes can make the
standard library's header decoder, its address parser or a regex take
minutes (their cost grows with the square of the input), so what reaches
them is cut first.  Real mail is far inside every bound: a customer's text
is a few kilobytes, a long quoted thread rarely 50 KB, a header a few
hundred characters (RFC 5322 2.1.1: lines of at most 998).  Whatever is cut
is named in the trace, so a reviewer knows the bot did not read it all.
"""

from __future__ import annotations

MAX_DEPTH = 20  # MIME nesting; mail clients nest 3 or 4 levels, forwards of forwards a few more
MAX_PARTS = 200  # MIME parts walked in one message
# Lines starting "--" (MIME boundaries) read at all: the standard library's parser spends about 20 µs
# on each part, so 200,000 tiny parts would take seconds before any limit above could apply.
MAX_BOUNDARY_LINES = 1_000
MAX_HEADERS = 500  # header fields of one part (spam with a long Received trail has ~50)
MAX_HEADER_CHARS = 8_000  # one header value, folded lines joined
MAX_TEXT_CHARS = 50_000  # the plain-text body
MAX_HTML_CHARS = 100_000  # the HTML body: markup is most of it
# A text part's encoded body read at all: base64 and quoted-printable are longer than their text.
MAX_TEXT_PART_BYTES = 4 * MAX_HTML_CHARS
MAX_FORWARDED_CHARS = 50_000  # the text of attached messages
MAX_LISTED = 25  # entries of each list in the result (order numbers, tracking numbers, dates, attachments)


def cut_text(text: str, limit: int, what: str, notes: list[str]) -> str:
    if len(text) <= limit:
        return text
    notes.append(f"parse: {what} is {len(text):,} characters; read its first {limit:,}")
    return text[:limit]


def cut_header(name: str, value: str, limit: int = MAX_HEADER_CHARS) -> str:
    """A header value cut to `limit` characters at a separator, not inside a word.

    References keeps its first Message-ID (the thread's root) and its last
    ones (the messages just before this one): both ends thread a reply.
    """
    if len(value) <= limit:
        return value
    if name.lower() == "references":
        first = value.find(">") + 1
        tail = value[len(value) - (limit - first - 1):]
        start = tail.find("<")
        return value[:first] + " " + (tail[start:] if start >= 0 else "")
    head = value[:limit]
    cut = max(head.rfind(","), head.rfind(" "), head.rfind("\n"))
    return head[:cut] if cut > limit // 2 else head
