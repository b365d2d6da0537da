"""Labelled mail for `mailbot model eval`, classified by the whole classify stage.

Sources: the corpus's held-out dev split (the default), a .jsonl file like
the corpus, or a folder of mail with an expected.csv (columns file, intent)
as examples/ has.  Corpus examples are wrapped as plain customer mail: they
have no headers, so only the text signals and the model can decide them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

from ..records import RawMessage
from ..resources import bundled
from .corpus import Example, load_corpus, split


def labelled_mail(path: str | None) -> Iterator[tuple[str, RawMessage]]:
    """(gold intent, message) pairs."""
    if path is None:
        _, _, dev = split(load_corpus(bundled("nlp") / "corpus"))
        yield from ((e.intent, RawMessage(e.origin, e.as_mail())) for e in dev)
        return
    p = Path(path)
    if p.is_file() and p.suffix == ".jsonl":
        for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                example = Example(row.get("subject", ""), row["text"], row["intent"], f"{p.name}:{number}")
                yield example.intent, RawMessage(example.origin, example.as_mail())
        return
    yield from _mail_folder(p)


def _mail_folder(folder: Path) -> Iterator[tuple[str, RawMessage]]:
    from ..sources import read_path

    expected_file = folder / "expected.csv"
    if not expected_file.exists():
        raise FileNotFoundError(f"{folder}: no expected.csv (columns file, intent)")
    with expected_file.open(newline="", encoding="utf-8") as f:
        expected = {row["file"]: row["intent"] for row in csv.DictReader(f)}
    mail_root = folder / "inbox" if (folder / "inbox").is_dir() else folder
    for raw in read_path(mail_root):
        name = Path(raw.source).name
        if name in expected:
            yield expected[name], raw


def classify_labelled(path: str | None, model_path: str = "") -> tuple[list[str], list[str], list[float]]:
    """Gold intents, predicted intents and confidences, through parse, extract and classify."""
    from ..classify import Classifier
    from ..config import Config
    from ..extract import Extractor
    from ..orders import OrderBook
    from ..parse import parse

    extractor = Extractor.from_config(Config().extract, OrderBook())
    classifier = Classifier.load(model_path)
    gold, predicted, confidence = [], [], []
    for intent, raw in labelled_mail(path):
        parsed = parse(raw)
        result = classifier(parsed, extractor(parsed))
        gold.append(intent)
        predicted.append(result.intent)
        confidence.append(result.confidence)
    return gold, predicted, confidence
