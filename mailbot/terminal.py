"""Terminal-safe output: text from a message is shown, never obeyed.

A subject, a display name or a body is the sender's text.  Printed raw, an
ESC sequence clears the screen or rewrites what a reviewer sees above it, an
OSC sequence (ending in BEL) sets the window title or a hyperlink, a C1
control such as U+009B is a one-byte CSI on many terminals, and a bidi
override (U+202E) makes "gpj.exe" read as "exe.jpg".  So every character
stream a command writes to goes through `inert`, whatever printed it and
whether or not the output is a terminal: one choke point instead of a call
at each of a hundred places that print message content.

Escapes are JSON escapes where JSON allows none raw (C0 never appears raw in
json.dumps output, everything else is written \\uXXXX), so `--json` output
stays valid JSON with the same meaning, only visible.
"""

from __future__ import annotations

import io
import re
import sys
from typing import TextIO

# C0 controls except TAB and LF (the only ones our own output uses), DEL, C1, and the Unicode
# format characters that reorder or hide text: ALM, LRM/RLM, LRE..RLO, LRI..PDI, LS/PS.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """`text` with every control or reordering character replaced by its visible escape."""
    return UNSAFE.sub(_visible, text)


class InertStream(io.TextIOBase):
    """A text stream that writes `inert(text)` to the stream it wraps.

    No `buffer` attribute on purpose: click (and anything else) must not find
    a binary stream beneath it to write around the filter.
    """

    def __init__(self, wrapped: TextIO):
        self.wrapped = wrapped

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.wrapped.write(inert(text))
        return len(text)

    def flush(self) -> None:
        self.wrapped.flush()

    def isatty(self) -> bool:
        return self.wrapped.isatty()

    def fileno(self) -> int:
        return self.wrapped.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.wrapped, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return getattr(self.wrapped, "errors", None) or "strict"


def make_output_inert() -> None:
    """Wrap sys.stdout and sys.stderr, once."""
    if not isinstance(sys.stdout, InertStream):
        sys.stdout = InertStream(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, InertStream):
        sys.stderr = InertStream(sys.stderr)  # type: ignore[assignment]
