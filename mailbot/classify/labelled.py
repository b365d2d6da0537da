"""Labelled mail for `mailbot model eval`, classified by the whole classify stage.

Sources: the corpus's held-out dev split (the default), a .jsonl file like
the corpus, or a folder of mail with an expected.csv (columns file, intent)
as examples/ has.  Corpus examples are wrapped as plain customer mail: they
have no headers, so only the text signals and the model can decide them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..records import RawMessage
from ..resources import bundled
from .corpus import Example, load_corpus, split


def labelled_mail(path: str | None, extra: list[Example] = ()) -> Iterator[tuple[str, RawMessage, str]]:
    """(gold intent, message, language) triples; language is "" where the source names none.

    `extra` (reviewed drafts) joins the corpus before the split: only its dev
    bucket, which training never sees, is evaluated (after PATH's mail, if given).
    """
    if path is not None:
        yield from _labelled_path(path)
        _, _, held_out = split(list(extra))
        yield from ((e.intent, RawMessage(e.origin, e.as_mail()), e.language) for e in held_out)
        return
    _, _, dev = split(load_corpus(bundled("nlp") / "corpus") + list(extra))
    yield from ((e.intent, RawMessage(e.origin, e.as_mail()), e.language) for e in dev)


def _labelled_path(path: str) -> Iterator[tuple[str, RawMessage, str]]:
    p = Path(path)
    if p.is_file() and p.suffix == ".jsonl":
        for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                example = Example(row.get("subject", ""), row["text"], row["intent"], f"{p.name}:{number}",
                                  row.get("language", ""))
                yield example.intent, RawMessage(example.origin, example.as_mail()), example.language
        return
    yield from _mail_folder(p)


def _mail_folder(folder: Path) -> Iterator[tuple[str, RawMessage, str]]:
    from ..sources import read_path

    expected_file = folder / "expected.csv"
    if not expected_file.exists():
        raise FileNotFoundError(f"{folder}: no expected.csv (columns file, intent)")
    with expected_file.open(newline="", encoding="utf-8") as f:
        expected = {row["file"]: (row["intent"], row.get("language") or "") for row in csv.DictReader(f)}
    mail_root = folder / "inbox" if (folder / "inbox").is_dir() else folder
    for raw in read_path(mail_root):
        name = Path(raw.source).name
        if name in expected:
            yield expected[name][0], raw, expected[name][1]


def classify_labelled(path: str | None, model_path: str = "") -> tuple[list[str], list[str], list[float]]:
    """Gold intents, predicted intents and confidences, through parse, extract and classify."""
    rows = classify_labelled_rows(path, model_path)
    return [r.gold for r in rows], [r.predicted for r in rows], [r.confidence for r in rows]


@dataclass(frozen=True)
class Classified:
    gold: str
    predicted: str
    confidence: float
    language: str  # the source's label, else the extract stage's detection
    source: str = ""  # where the example came from ("review:draft 7 (approved)" for a reviewed draft)


def classify_labelled_rows(path: str | None, model_path: str = "", extra: list[Example] = ()) -> list[Classified]:
    """Each labelled message through parse, extract and classify, with its language."""
    from ..classify import Classifier
    from ..config import Config
    from ..extract import Extractor
    from ..orders import OrderBook
    from ..parse import parse

    extractor = Extractor.from_config(Config().extract, OrderBook())
    classifier = Classifier.load(model_path)
    rows = []
    for intent, raw, language in labelled_mail(path, extra):
        parsed = parse(raw)
        facts = extractor(parsed)
        result = classifier(parsed, facts)
        rows.append(Classified(intent, result.intent, result.confidence, language or facts.language, raw.source))
    return rows
