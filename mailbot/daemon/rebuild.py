"""`mailbot store rebuild`: a new store from what the mailbox remembers.

The keywords the daemon put on each message it handled ($MailbotTriaged,
$MailbotFailed, $MailbotIntent_*) say what an earlier store did.  Each
marked message is recorded as handled by that store (daemon/earlier.py), and
each folder's checkpoint starts after the last message of its unbroken run of
marked ones from the start, so the daemon resumes where the old store
stopped; anything after that is fetched again, and marked mail among it is
recognised, not decided again.  The folders are selected read-only: a
rebuild changes nothing in the mailbox.  Replies are not copied over: before
sending, the Sent folder is searched for an earlier reply anyway.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..records import RawMessage
from ..store import MailboxEntry, Store
from .accounts import check_accounts
from .connection import close_quietly, connect
from .earlier import earlier_result, marked_by_earlier_store

log = logging.getLogger("mailbot.daemon")
BATCH = 200


@dataclass
class FolderRebuilt:
    account: str
    folder: str
    uidvalidity: int
    messages: int = 0
    marked: int = 0
    failed: int = 0
    last_uid: int = 0


@dataclass
class Rebuilt:
    folders: list[FolderRebuilt] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{f.account}/{f.folder}: {f.marked} of {f.messages} messages marked by an earlier store "
                f"({f.failed} quarantined), checkpoint at UID {f.last_uid} (UIDVALIDITY {f.uidvalidity})"
                for f in self.folders]


def rebuild(config: Config, path: str | Path) -> Rebuilt:
    """Create the store at `path` (which must not exist) from every watched folder's keywords."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists: move the damaged store aside first (it is never overwritten), "
                              "then run `mailbot store rebuild` again")
    check_accounts(config)
    store = Store(path)
    report = Rebuilt()
    try:
        for account in config.accounts:
            conn = connect(account, config.daemon)
            try:
                for folder in account.folders:
                    report.folders.append(_folder(conn, store, account.name, folder,
                                                  config.daemon.max_message_bytes))
            finally:
                close_quietly(conn, logout=True)
    except BaseException:
        store.close()
        # Half a store would be taken for a whole one: leave nothing behind.
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    store.close()
    return report


def _folder(conn, store: Store, account: str, folder: str, limit: int) -> FolderRebuilt:
    info = conn.select_folder(folder, readonly=True)
    done = FolderRebuilt(account, folder, int(info[b"UIDVALIDITY"]))
    checkpoint = store.start_checkpoint(account, folder, done.uidvalidity)
    uids = sorted(conn.search(["ALL"]))
    done.messages = len(uids)
    unbroken = True
    for start in range(0, len(uids), BATCH):
        batch = uids[start:start + BATCH]
        flags = conn.get_flags(batch)
        marked = [u for u in batch if marked_by_earlier_store(flags.get(u, ()))]
        entries = []
        for uid, content in _contents(conn, marked, limit):
            source = f"imap://{account}/{folder};UIDVALIDITY={done.uidvalidity}/;UID={uid}"
            identity, result = earlier_result(RawMessage(source, content), flags.get(uid, ()))
            if store.decided(identity) is None:
                store.record(identity, result)
            state = "failed" if result.get("error") else "triaged"
            done.failed += state == "failed"
            entries.append(MailboxEntry(uid, identity, result.get("message_id"), state, result.get("intent"),
                                        None, None, result.get("error")))
        done.marked += len(entries)
        for uid in batch:
            if unbroken and uid in flags and marked_by_earlier_store(flags[uid]):
                done.last_uid = uid
            else:
                unbroken = False
        checkpoint = store.commit_mailbox(checkpoint, done.last_uid, entries)
    log.info("rebuild %s/%s: %d of %d marked", account, folder, done.marked, done.messages)
    return done


def _contents(conn, uids: list[int], limit: int):
    """(uid, bytes) of each message, in UID order; the header alone of one over the daemon's size limit,
    as the daemon read it (its identity is the header's)."""
    if not uids:
        return
    sizes = {uid: int(data[b"RFC822.SIZE"]) for uid, data in conn.fetch(uids, ["RFC822.SIZE"]).items()}
    for uid in sorted(sizes):
        item, key = ("BODY.PEEK[]", b"BODY[]") if sizes[uid] <= limit else ("BODY.PEEK[HEADER]", b"BODY[HEADER]")
        data = conn.fetch([uid], [item]).get(uid, {})
        if data.get(key) is not None:
            yield uid, data[key]
