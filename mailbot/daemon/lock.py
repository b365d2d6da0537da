"""One `mailbot run` per store: two daemons on one store would decide the same mail twice."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import MailbotError


class StoreBusy(MailbotError):
    """Another `mailbot run` holds the store."""


class StoreLock:
    """An advisory lock beside the store file; the kernel drops it when the process dies, even by SIGKILL."""

    def __init__(self, store_path: str | Path):
        self.path = Path(f"{store_path}.lock")
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreBusy(f"another `mailbot run` is using the store (lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None
