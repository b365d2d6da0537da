"""The mailbox's Drafts and Sent folders, through imapclient.

The connection is the daemon's (daemon/connection.py: the account's TLS
settings and nothing weaker), opened on first use.  Messages are found by
their Message-ID: SEARCH HEADER is a substring match (RFC 3501 6.4.4), so
each hit is fetched and compared exactly.
"""

from __future__ import annotations

import email
import logging

from imapclient import IMAPClient

from ..config import AccountConfig, Config
from ..daemon.connection import NETWORK_ERRORS, close_quietly, connect
from ..daemon.foldernames import FolderNames
from .compose import message_ids

log = logging.getLogger("mailbot.delivery")

DRAFT_FLAGS = (b"\\Draft", b"\\Seen")
SENT_FLAGS = (b"\\Seen",)

__all__ = ["Mailbox", "NETWORK_ERRORS", "account_for"]


def account_for(config: Config) -> AccountConfig | None:
    name = config.delivery.imap_account
    return next((a for a in config.accounts if a.name == name), None) if name else None


class Mailbox:
    def __init__(self, config: Config):
        account = account_for(config)
        if account is None:
            raise ValueError("delivery.imap_account names no account")
        self.account, self.settings = account, config.daemon
        self.client: IMAPClient | None = None
        self.known_folders: set[str] = set()
        self.names = FolderNames("/")

    def _conn(self) -> IMAPClient:
        if self.client is None:
            self.client = connect(self.account, self.settings)
            self.names = FolderNames.read(self.client)  # the config writes "/"; the server may use "."
        return self.client

    def _server(self, folder: str) -> str:
        self._conn()
        return self.names.server_name(folder)

    def close(self) -> None:
        close_quietly(self.client, logout=True)
        self.client = None

    def __enter__(self) -> "Mailbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ensure_folder(self, folder: str) -> None:
        if folder in self.known_folders:
            return
        client = self._conn()
        if not client.folder_exists(self._server(folder)):
            client.create_folder(self._server(folder))
            log.info("delivery: created folder %s in %s", folder, self.account.name)
        self.known_folders.add(folder)

    def append(self, folder: str, data: bytes, flags: tuple[bytes, ...]) -> None:
        self.ensure_folder(folder)
        self._conn().append(self._server(folder), data, flags=flags)

    def find(self, folder: str, message_id: str) -> list[int]:
        """UIDs of the messages in `folder` whose Message-ID is exactly `message_id`."""
        self.ensure_folder(folder)
        client = self._conn()
        client.select_folder(self._server(folder), readonly=True)
        uids = client.search(["HEADER", "Message-ID", message_id])
        if not uids:
            return []
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        exact = []
        for uid, data in fetched.items():
            header = data.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]", b"").decode("ascii", "replace")
            value = " ".join(header.split(":", 1)[-1].split())
            if value == message_id:
                exact.append(uid)
        return sorted(exact)

    def delete(self, folder: str, message_id: str) -> int:
        """Remove every copy with this Message-ID from `folder`; how many there were."""
        uids = self.find(folder, message_id)
        if not uids:
            return 0
        client = self._conn()
        client.select_folder(self._server(folder))
        client.delete_messages(uids)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)  # only ours: someone else's \\Deleted messages are not expunged
        else:
            client.expunge()
        return len(uids)

    def replies_to(self, folder: str, message_id: str) -> list[str]:
        """Message-IDs of the messages in `folder` that answer `message_id` (their In-Reply-To names it).

        Whoever wrote them (this store, an earlier one, a person in a mail
        client), the customer has had an answer.
        """
        self.ensure_folder(folder)
        client = self._conn()
        client.select_folder(self._server(folder), readonly=True)
        uids = client.search(["HEADER", "In-Reply-To", message_id])
        if not uids:
            return []
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (IN-REPLY-TO MESSAGE-ID)]"])
        found = []
        for _uid, data in sorted(fetched.items()):
            header = email.message_from_bytes(data.get(b"BODY[HEADER.FIELDS (IN-REPLY-TO MESSAGE-ID)]", b""))
            if message_id in message_ids(str(header.get("In-Reply-To") or "")):
                found.append(" ".join(str(header.get("Message-ID") or "").split()))
        return found

    def exists(self, folder: str) -> bool:
        return self._conn().folder_exists(self._server(folder))

    def message_ids(self, folder: str) -> set[str]:
        """The Message-ID of every message in `folder`, in one FETCH (the Drafts folder is small)."""
        client = self._conn()
        client.select_folder(self._server(folder), readonly=True)
        uids = client.search(["ALL"])
        if not uids:
            return set()
        ids = set()
        for data in client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).values():
            header = data.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]", b"").decode("ascii", "replace")
            value = " ".join(header.split(":", 1)[-1].split())
            if value:
                ids.add(value)
        return ids

    def has_reply(self, folder: str, message_id: str, in_reply_to: str | None) -> bool:
        """Whether `folder` holds this reply: the same Message-ID, or (sent by a person's mail client,
        which may give it a new Message-ID) a message answering the same original."""
        if self.find(folder, message_id):
            return True
        if not in_reply_to:
            return False
        client = self._conn()
        uids = client.search(["HEADER", "In-Reply-To", in_reply_to])  # find() left `folder` selected
        if not uids:
            return False
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (IN-REPLY-TO)]"])
        for data in fetched.values():
            header = data.get(b"BODY[HEADER.FIELDS (IN-REPLY-TO)]", b"").decode("ascii", "replace")
            if in_reply_to in header.split(":", 1)[-1].split():
                return True
        return False
