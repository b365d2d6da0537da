"""When the store itself is the problem: corrupt, on a full disk, or not writable.

Every command that opens the store meets it first, before any mailbox or
server is touched, so the answer is one line naming the file, the cause
and the fix, and a non-zero exit (EXIT_STORE), never a traceback.  The
cause is read from the world where SQLite's error is vague: a full disk
often surfaces as "disk I/O error" (the -shm file cannot grow), a
read-only file system as "unable to open database file".

`mailbot store check` asks the same questions on purpose, before a person
restores a backup or runs `mailbot store rebuild`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .errors import MailbotError

EXIT_STORE = 3
# Below this, SQLite may fail to write a WAL frame or grow the -shm file.
LOW_SPACE_BYTES = 1 << 20
CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
FULL_CODES = {13}  # SQLITE_FULL
READONLY_CODES = {8}  # SQLITE_READONLY
BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED

FIX_CORRUPT = ("run `mailbot store check`, then restore the store from a backup or recreate it from the mailbox "
               "with `mailbot store rebuild` (after moving the damaged file aside)")


class StoreProblem(MailbotError):
    """The store cannot be used; the message is the one line a person needs."""


# The stores this process opened, so an error met in the middle of a command can name the file.
opened: list[str] = []


def note_opened(path: str) -> None:
    if path != ":memory:" and path not in opened:
        opened.append(path)


def problem(error: BaseException, path: str | Path | None = None) -> StoreProblem:
    """A StoreProblem saying what went wrong with the store at `path`, and what to do."""
    if isinstance(error, StoreProblem):
        return error
    if path is None:
        path = opened[-1] if len(opened) == 1 else None
    where = f"the store {path}" if path else "the store"
    cause = " ".join(str(error).split())[:200] or type(error).__name__
    code = getattr(error, "sqlite_errorcode", None)
    if code in CORRUPT_CODES or "malformed" in cause or "not a database" in cause:
        return StoreProblem(f"{where} is corrupt ({cause}): {FIX_CORRUPT}; nothing in the mailbox was touched")
    if path is not None and _read_only(Path(path)):
        return StoreProblem(f"{where} cannot be written: the file, its folder or its file system is read-only "
                            f"({cause}); give mailbot write access to the file and its folder, then `mailbot store "
                            "check`; nothing in the mailbox was touched")
    if code in FULL_CODES or _low_space(Path(path) if path else None) or _errno(error) == 28:
        return StoreProblem(f"the disk holding {where} is full ({cause}): free some space, then `mailbot store "
                            "check`; nothing in the mailbox was touched")
    if code in READONLY_CODES:
        return StoreProblem(f"{where} cannot be written ({cause}): give mailbot write access to the file and "
                            "its folder, then `mailbot store check`; nothing in the mailbox was touched")
    if code in BUSY_CODES:
        return StoreProblem(f"{where} is locked by another process ({cause}): try again when it has finished")
    return StoreProblem(f"{where} cannot be used ({cause}): run `mailbot store check`; if it reports damage, "
                        "restore the store from a backup or `mailbot store rebuild`; nothing in the mailbox was "
                        "touched")


def ensure_usable(path: str | Path) -> None:
    """Raise StoreProblem, before SQLite is asked, when the store cannot be written or its disk is full.

    SQLite may open such a store and fail only at the first decision, in the
    middle of a run and after the mailbox was read; asked first, nothing is.
    """
    path = Path(path)
    if _read_only(path):
        raise problem(OSError(30, "read-only"), path)
    if _low_space(path):
        raise problem(OSError(28, "no space left on device"), path)


def quick_check(path: str | Path) -> None:
    """Raise StoreProblem when SQLite finds the store damaged (PRAGMA quick_check); for the daemon's start.

    Damage inside the file (not in its header) opens without complaint and
    shows only when a page is read, which may be in the middle of a run; one
    pass over the file at start-up finds it while nothing has been done.
    """
    path = Path(path)
    if str(path) == ":memory:" or not path.exists():
        return
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in db.execute("PRAGMA quick_check(3)").fetchall()]
        finally:
            db.close()
    except sqlite3.Error as e:
        raise problem(e, path) from e
    if rows != ["ok"]:
        raise problem(sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(rows)}"), path)


def _errno(error: BaseException) -> int | None:
    return error.errno if isinstance(error, OSError) else None


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _read_only(path: Path) -> bool:
    try:
        if os.statvfs(_existing(path)).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    if path.exists() and not os.access(path, os.W_OK):
        return True
    folder = _existing(path.parent)
    return not os.access(folder, os.W_OK)


def _low_space(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(_existing(path.parent)).free < LOW_SPACE_BYTES
    except OSError:
        return False


@dataclass(frozen=True)
class CheckReport:
    path: str
    problems: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(path: str | Path, schema_version: int) -> CheckReport:
    """Is the store at `path` readable, whole, of a schema we know, writable, with room to grow?

    Reads only: the file is opened read-only, so checking a damaged store
    never damages it further.
    """
    path = Path(path)
    problems: list[str] = []
    facts: list[str] = []
    if not path.exists():
        return CheckReport(str(path), (f"no store at {path}: `mailbot run` creates one, or `mailbot store "
                                       "rebuild` recreates one from the mailbox",), ())
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in db.execute("PRAGMA integrity_check(20)").fetchall()]
            if rows != ["ok"]:
                found = " ".join("; ".join(rows[:3]).split())[:300]
                problems.append(f"damaged ({found}): {FIX_CORRUPT}")
            else:
                facts.append("integrity ok")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > schema_version:
                problems.append(f"written by a newer mailbot (schema {version}, this one knows {schema_version}): "
                                "upgrade mailbot")
            else:
                facts.append(f"schema {version}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "messages" in tables:
                count = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
                facts.append(f"{count} messages")
        finally:
            db.close()
    except sqlite3.Error as e:
        problems.append(str(problem(e, path)))
    if _read_only(path):
        problems.append("not writable (the file, its folder or its file system is read-only): give mailbot write "
                        "access to the file and its folder")
    else:
        facts.append("writable")
    try:
        free = shutil.disk_usage(path.parent).free
        if free < LOW_SPACE_BYTES:
            problems.append(f"only {free // 1024} KiB free on its disk: free some space")
        else:
            facts.append(f"{free // (1 << 20)} MiB free")
    except OSError as e:
        problems.append(f"cannot tell the free space ({e})")
    return CheckReport(str(path), tuple(problems), tuple(facts))
