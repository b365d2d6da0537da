"""The labelled intent corpus in nlp/corpus/*.jsonl and its fixed splits.

Each line: {"subject": ..., "text": <the body as it arrives>, "intent": ...,
"language": <ISO 639-1 code, optional>}.  Without "language", the extract
stage's language detection names it (for per-language figures only: the model
reads the detected language, as it will on real mail).
The split is by a hash of the example, so it never changes when examples are
added elsewhere: one in five is held out as the dev split and never trained
on; of the rest, one in ten is the validation set spaCy picks the best
checkpoint with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from ..extract.text import split_quoted
from .intent import model_text


@dataclass(frozen=True)
class Example:
    subject: str
    text: str
    intent: str
    origin: str
    language: str = ""

    @property
    def model_text(self) -> str:
        body = split_quoted(self.text)
        return model_text(self.subject, body.new, body.quoted)

    @property
    def language_label(self) -> str:
        """The language the figures are reported under: the row's, else the detected one."""
        if self.language:
            return self.language
        from ..extract.language import detect_language

        body = split_quoted(self.text)
        return detect_language(body.new) if body.new.strip() else detect_language(self.subject)

    def as_mail(self) -> bytes:
        """The example as a plain message from a customer (no automated headers)."""
        msg = EmailMessage()
        msg["From"] = "customer@example.com"
        msg["To"] = "support@keysme.com"
        msg["Subject"] = " ".join(self.subject.split())
        msg["Date"] = "Mon, 02 Nov 2026 10:00:00 +0100"
        msg.set_content(self.text)
        return bytes(msg)

    @property
    def bucket(self) -> int:
        digest = hashlib.sha256(f"{self.subject}\n{self.text}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 100


def load_corpus(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            examples.append(Example(row.get("subject", ""), row["text"], row["intent"],
                                    f"{path.name}:{number}", row.get("language", "")))
    return examples


def split(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, validation, dev)."""
    dev = [e for e in examples if e.bucket < 20]
    validation = [e for e in examples if 20 <= e.bucket < 24]
    train = [e for e in examples if e.bucket >= 24]
    return train, validation, dev
