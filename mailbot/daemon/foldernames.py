"""Folder names as the config writes them ("Triage/No reply") and as the server holds them.

The config always uses "/" between levels, whatever the server: Dovecot's
Maildir++ layout uses ".", Exchange and Gmail "/", Courier and Cyrus keep
every folder under "INBOX.".  The separator and the personal namespace's
prefix are read from the server once per connection (NAMESPACE, RFC 2342,
else LIST "" ""), so one config works on every server.

A name the server cannot hold (a level containing its separator, as "v1.0"
on Dovecot Maildir) is a `FolderNameError`: it will not go away by trying
again, so it is reported once with the fix, not once per message.
"""

from __future__ import annotations

import logging

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from ..errors import MailbotError

CONFIG_SEPARATOR = "/"

log = logging.getLogger("mailbot.daemon")


class FolderNameError(MailbotError):
    """A folder name from the config that this server cannot hold."""


class FolderNames:
    def __init__(self, separator: str | None, prefix: str = ""):
        self.separator = separator  # None: a flat server, no hierarchy
        self.prefix = prefix

    @classmethod
    def read(cls, conn: IMAPClient) -> "FolderNames":
        """The separator and personal prefix the server announces."""
        try:
            if conn.has_capability("NAMESPACE"):
                personal = conn.namespace().personal
                if personal:
                    prefix, separator = personal[0]
                    return cls(_text(separator), _text(prefix) or "")
            listed = conn.list_folders("", "")  # RFC 3501 6.3.8: the root's delimiter
            if listed:
                return cls(_text(listed[0][1]))
        except IMAPClientAbortError:
            raise
        except IMAPClientError as e:  # a server that refuses both: assume "/", the commonest
            log.warning("could not read the folder separator (%s); assuming %r", e, CONFIG_SEPARATOR)
        return cls(CONFIG_SEPARATOR)

    def server_name(self, name: str) -> str:
        """The server's name for the config's `name`; FolderNameError when it cannot hold it."""
        if name.upper() == "INBOX":
            return "INBOX"
        levels = name.split(CONFIG_SEPARATOR)
        if any(not level for level in levels):
            raise FolderNameError(f"folder {name!r}: an empty level (a leading, trailing or double \"/\")")
        sep = self.separator
        if sep is None and len(levels) > 1:
            raise FolderNameError(f"folder {name!r}: this server has no subfolders; "
                                  "use a name without \"/\"")
        if sep and sep != CONFIG_SEPARATOR:
            bad = [level for level in levels if sep in level]
            if bad:
                fixed = CONFIG_SEPARATOR.join(level.replace(sep, "-") for level in levels)
                raise FolderNameError(
                    f"folder {name!r}: the server separates levels with {sep!r}, so {bad[0]!r} would be split "
                    f"into subfolders; rename it in the config (for example {fixed!r})")
        server = sep.join(levels) if sep else name
        if self.prefix and not server.startswith(self.prefix) and not server.upper().startswith("INBOX" + (sep or "")):
            server = self.prefix + server  # servers that keep every folder under INBOX.
        return server


def _text(value) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)
