"""One `mailbot run` per store: two daemons on one store would decide the same mail twice.

The lock is on the store's real path, not on the name it was given: through
a symlink (or `dir/../store.sqlite3`) a second daemon must meet the first
one's lock.  The resolved path is also what SQLite itself goes by: it finds
a database's -wal and -shm files by name, so two names that resolve apart
(hard links) are not one working store anyway.

Not an flock on the database file: closing any descriptor of that file
drops the POSIX locks SQLite holds on it in this process (SQLite's
"how to corrupt" guide, 2.2).  The lock file gets the pid, for people.
The kernel drops the lock when the process dies, even by SIGKILL.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import MailbotError


class StoreBusy(MailbotError):
    """Another `mailbot run` holds the store."""


class StoreLock:
    def __init__(self, store_path: str | Path):
        self.store = Path(store_path).resolve()
        self.path = Path(f"{self.store}.lock")
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = _pid_in(self.path)
            raise StoreBusy(f"another `mailbot run` is using the store {self.store} "
                            f"({f'pid {holder}, ' if holder else ''}lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None


def _pid_in(path: Path) -> str:
    try:
        return path.read_text().strip()[:20]
    except OSError:
        return ""
