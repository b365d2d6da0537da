"""The customer's HTML as the console shows it: cleaned by nh3 (Ammonia), in a sandboxed frame.

Three layers, so that no single mistake lets a message act: nh3 keeps only
harmless tags and attributes (no script, no style, no event handlers, no
javascript: links, no images at all); the frame's own Content-Security-Policy
allows no script and no load of any kind; and the iframe is sandboxed
without allow-scripts or allow-same-origin (templates/draft.html.j2).
"""

from __future__ import annotations

import nh3
from markupsafe import escape

# No <img>: every image in customer HTML is remote or inline data, and both are
# a way to learn that someone opened the mail.  Attached photos are shown
# as thumbnails from the store instead.
TAGS = set(nh3.ALLOWED_TAGS) - {"img"}
URL_SCHEMES = {"http", "https", "mailto"}

FRAME_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
             "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox")

FRAME_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:14px/1.45 system-ui,sans-serif;color:#222;margin:10px;overflow-wrap:anywhere}}
table{{max-width:100%}} a{{color:#0645ad}}</style></head>
<body>{body}</body></html>"""


def clean_html(html: str) -> str:
    return nh3.clean(html, tags=TAGS, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


def frame_page(html: str, title: str) -> str:
    """A whole document for the sandboxed frame: the cleaned HTML, and our own plain style."""
    return FRAME_PAGE.format(title=escape(title), body=clean_html(html))
