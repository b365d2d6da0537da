"""Read local mail: .eml files, folders of them, a Maildir or an mbox.

Messages come out in input order: arguments as given, files in a folder (and
its subfolders) sorted by name, Maildir messages sorted by file name (their delivery time), mbox in
file order.  Nothing here writes to the mailbox.
"""

from __future__ import annotations

import logging
import mailbox
import re
from pathlib import Path
from typing import Iterable, Iterator

from .records import RawMessage

MAIL_SUFFIXES = {".eml", ".msg", ".txt", ".mbox", ""}

log = logging.getLogger(__name__)


def read_paths(paths: Iterable[str | Path], *, max_bytes: int | None = None) -> Iterator[RawMessage]:
    """The messages in `paths`; one over `max_bytes` comes as its header alone, with `full_size` set.

    The daemon fetches only the header of a message over daemon.max_message_bytes and hands it to
    a person; triage does the same, so saved mail never costs more than the daemon would spend.
    """
    for path in paths:
        yield from read_path(Path(path), max_bytes)


def read_path(path: Path, max_bytes: int | None = None) -> Iterator[RawMessage]:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        if _is_maildir(path):
            yield from _read_maildir(path, max_bytes)
        else:
            yield from _read_folder(path, max_bytes)
    elif _is_mbox(path):
        yield from _read_mbox(path, max_bytes)
    else:
        yield _read_file(path, max_bytes)


def _read_file(path: Path, max_bytes: int | None, start: int = 0, size: int | None = None) -> RawMessage:
    """One message from a file (or a slice of it), never reading more than the header of one over the limit."""
    size = path.stat().st_size - start if size is None else size
    with path.open("rb") as f:
        f.seek(start)
        if max_bytes is None or size <= max_bytes:
            return RawMessage(str(path), f.read(size))
        return RawMessage(str(path), _read_header(f, max_bytes), full_size=size)


def _read_header(f, limit: int, chunk: int = 65536) -> bytes:
    """The header section (up to the first empty line) of the message `f` is at, at most `limit` bytes."""
    data = b""
    while len(data) < limit:
        more = f.read(min(chunk, limit - len(data)))
        if not more:
            break
        data += more
        ends = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
        if ends:
            return data[:min(ends) + 2]
    return data


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def _read_maildir(path: Path, max_bytes: int | None) -> Iterator[RawMessage]:
    files = [f for sub in ("new", "cur") for f in (path / sub).iterdir() if f.is_file()]
    for f in sorted(files, key=lambda f: f.name):
        if not f.name.startswith("."):
            yield _read_file(f, max_bytes)


def _read_folder(path: Path, max_bytes: int | None) -> Iterator[RawMessage]:
    """Every message in a folder and its subfolders, in name order.

    Plain files that are not mail (a LICENSE, a README.txt) are passed over
    with a warning, never turned into a message; .eml, .msg and .mbox files
    and files given by name are always read, broken or not.
    """
    for f in sorted(path.iterdir()):
        if f.name.startswith("."):
            continue
        if f.is_dir():
            yield from (_read_maildir(f, max_bytes) if _is_maildir(f) else _read_folder(f, max_bytes))
        elif f.is_file() and f.suffix.lower() in MAIL_SUFFIXES:
            if f.suffix.lower() in ("", ".txt") and not _looks_like_mail(f):
                log.warning("%s: not read, it does not start with mail headers", f)
            elif _is_mbox(f):
                yield from _read_mbox(f, max_bytes)
            else:
                yield _read_file(f, max_bytes)


def _looks_like_mail(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(1000).lstrip()
    return head.startswith(b"From ") or re.match(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]", head) is not None


def _read_mbox(path: Path, max_bytes: int | None) -> Iterator[RawMessage]:
    box = mailbox.mbox(str(path), factory=None, create=False)
    try:
        keys = box.keys()
        if not keys:  # nothing mailbox could split: still the file's one line of output
            yield _read_file(path, max_bytes)
        for index, key in enumerate(keys):
            # A single message saved with its "From " envelope line is still one file.
            source = f"{path}#{index + 1}" if len(keys) > 1 else str(path)
            start, stop = box._toc[key]  # mailbox has no public way to ask a message's size before reading it
            if max_bytes is not None and stop - start > max_bytes:
                raw = _read_file(path, max_bytes, start, stop - start)
                yield RawMessage(source, raw.data.split(b"\n", 1)[-1], full_size=raw.full_size)  # less "From " line
            else:
                yield RawMessage(source, box.get_bytes(key))
    finally:
        box.close()
