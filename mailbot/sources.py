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


def read_paths(paths: Iterable[str | Path]) -> Iterator[RawMessage]:
    for path in paths:
        yield from read_path(Path(path))


def read_path(path: Path) -> Iterator[RawMessage]:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        if _is_maildir(path):
            yield from _read_maildir(path)
        else:
            yield from _read_folder(path)
    elif _is_mbox(path):
        yield from _read_mbox(path)
    else:
        yield RawMessage(str(path), path.read_bytes())


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def _read_maildir(path: Path) -> Iterator[RawMessage]:
    files = [f for sub in ("new", "cur") for f in (path / sub).iterdir() if f.is_file()]
    for f in sorted(files, key=lambda f: f.name):
        if not f.name.startswith("."):
            yield RawMessage(str(f), f.read_bytes())


def _read_folder(path: Path) -> Iterator[RawMessage]:
    """Every message in a folder and its subfolders, in name order.

    Plain files that are not mail (a LICENSE, a README.txt) are passed over
    with a warning, never turned into a message; .eml, .msg and .mbox files
    and files given by name are always read, broken or not.
    """
    for f in sorted(path.iterdir()):
        if f.name.startswith("."):
            continue
        if f.is_dir():
            yield from (_read_maildir(f) if _is_maildir(f) else _read_folder(f))
        elif f.is_file() and f.suffix.lower() in MAIL_SUFFIXES:
            if f.suffix.lower() in ("", ".txt") and not _looks_like_mail(f):
                log.warning("%s: not read, it does not start with mail headers", f)
            elif _is_mbox(f):
                yield from _read_mbox(f)
            else:
                yield RawMessage(str(f), f.read_bytes())


def _looks_like_mail(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(1000).lstrip()
    return head.startswith(b"From ") or re.match(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]", head) is not None


def _read_mbox(path: Path) -> Iterator[RawMessage]:
    box = mailbox.mbox(str(path), factory=None, create=False)
    try:
        keys = box.keys()
        if not keys:  # nothing mailbox could split: still the file's one line of output
            yield RawMessage(str(path), path.read_bytes())
        for index, key in enumerate(keys):
            # A single message saved with its "From " envelope line is still one file.
            source = f"{path}#{index + 1}" if len(keys) > 1 else str(path)
            yield RawMessage(source, box.get_bytes(key))
    finally:
        box.close()
