"""`mailbot store backup`: a consistent copy of the store while the daemon runs.

Copying the file with `cp` while the daemon writes can catch a transaction
half-way (and misses what is still in the -wal file).  SQLite's online
backup API copies a consistent snapshot page by page, letting writers go
on between steps.  The copy is written beside its destination under a
temporary name, checked (`PRAGMA quick_check`), made private (0600: it
holds customers' mail), and only then renamed into place, so a failed or
interrupted backup never leaves a half-written file under the real name.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import MailbotError

PAGES_PER_STEP = 1024  # then let the daemon write; a store of 100 MB takes ~25 steps


class BackupError(MailbotError):
    """The backup could not be made; nothing was left under the destination's name."""


@dataclass(frozen=True)
class BackupResult:
    source: Path
    destination: Path
    bytes: int


def backup_store(source: Path, destination: Path) -> BackupResult:
    """Copy the store at `source` to `destination` (a file, or a folder to put a dated file in)."""
    if not source.is_file():
        raise BackupError(f"no store at {source}")
    if destination.is_dir():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"{source.stem}-{stamp}{source.suffix or '.sqlite3'}"
    if destination.exists():
        raise BackupError(f"{destination} exists; name a new file or a folder")
    if destination.resolve() == source.resolve():
        raise BackupError("the backup cannot be the store itself")
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        # Read-only: a backup never changes the store, and works on a store the daemon holds open.
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                verdict = dst.execute("PRAGMA quick_check").fetchone()[0]
                if verdict != "ok":
                    raise BackupError(f"the copy does not check out ({verdict}); is the store itself damaged?")
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(partial, 0o600)
        os.replace(partial, destination)
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{source}: {e}") from None
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{destination}: {e.strerror or e}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(source, destination, destination.stat().st_size)
