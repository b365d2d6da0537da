"""The labelled intent corpus in nlp/corpus/*.jsonl and its fixed splits.

Each line: {"subject": ..., "text": <the body as it arrives>, "intent": ...}.
The split is by a hash of the example, so it never changes when examples are
added elsewhere: one in five is held out as the dev split and never trained
on; of the rest, one in ten is the validation set spaCy picks the best
checkpoint with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..extract.text import split_quoted
from .intent import model_text


@dataclass(frozen=True)
class Example:
    subject: str
    text: str
    intent: str
    origin: str

    @property
    def model_text(self) -> str:
        new, quoted = split_quoted(self.text)
        return model_text(self.subject, new, quoted)

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
                                    f"{path.name}:{number}"))
    return examples


def split(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, validation, dev)."""
    dev = [e for e in examples if e.bucket < 20]
    validation = [e for e in examples if 20 <= e.bucket < 28]
    train = [e for e in examples if e.bucket >= 28]
    return train, validation, dev
