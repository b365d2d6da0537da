"""Links to photos or videos the customer shares instead of attaching them.

A Google Drive, Dropbox, iCloud, OneDrive, imgur, YouTube (or similar) link
in the customer's new text is evidence as good as an attachment: mail
clients move big videos to such links on their own (iCloud Mail Drop,
Gmail's Drive links).  Links in quoted history or the signature are not the
customer's evidence for this message.
"""

from __future__ import annotations

import re

# Hosts whose links are shared photos, videos or folders of them.
EVIDENCE_HOSTS = (
    r"drive\.google\.com|photos\.google\.com|photos\.app\.goo\.gl|goo\.gl/photos|"
    r"(?:www\.)?dropbox\.com|dl\.dropboxusercontent\.com|db\.tt|"
    r"(?:www\.)?icloud\.com|share\.icloud\.com|"
    r"onedrive\.live\.com|1drv\.ms|"
    r"(?:i\.|m\.)?imgur\.com|"
    r"(?:www\.|m\.)?youtube\.com|youtu\.be|"
    r"(?:www\.)?vimeo\.com|(?:www\.)?streamable\.com|(?:i\.)?ibb\.co|(?:www\.)?flickr\.com|"
    r"(?:www\.)?wetransfer\.com|we\.tl"
)
EVIDENCE_LINK = re.compile(rf"(?:https?://)?(?:{EVIDENCE_HOSTS})/[^\s<>\"')\]]*", re.IGNORECASE)
# A link to the site itself or its help pages shows nothing of the item.
_BARE = re.compile(r"/(?:|help|about|support|pricing)?/?$", re.IGNORECASE)


# Cheap substring tests before the regex: most mail has none of these hosts.
_HINTS = ("google.", "goo.gl", "dropbox", "db.tt", "icloud", "1drv", "onedrive", "imgur", "youtu", "vimeo",
          "streamable", "ibb.co", "flickr", "wetransfer", "we.tl")


def find_evidence_links(text: str) -> tuple[str, ...]:
    """Shared-photo and video links in `text`, in order, each once (bounded: the first 10)."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return ()
    found: list[str] = []
    for match in EVIDENCE_LINK.finditer(text):
        link = match.group(0).rstrip(".,;:!?")
        path = link.split("/", 3)[3] if link.lower().startswith("http") and link.count("/") >= 3 else \
            link.split("/", 1)[1] if "/" in link else ""
        if _BARE.fullmatch("/" + path) or link in found:
            continue
        found.append(link)
        if len(found) == 10:
            break
    return tuple(found)
