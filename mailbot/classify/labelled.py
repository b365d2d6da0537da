"""Labelled examples for `mailbot model eval`: gold intents and the model's."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ..resources import bundled
from .corpus import Example, load_corpus, split
from .intent import load_model


def labelled_examples(path: str | None, model_path: str = "") -> tuple[list[str], list[str]]:
    if path is None:
        _, _, dev = split(load_corpus(bundled("nlp") / "corpus"))
        return _predict_texts(dev, model_path)
    p = Path(path)
    if p.is_file() and p.suffix == ".jsonl":
        rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
        return _predict_texts([Example(r.get("subject", ""), r["text"], r["intent"], p.name) for r in rows], model_path)
    return _predict_mail(p, model_path)


def _predict_texts(examples: list[Example], model_path: str) -> tuple[list[str], list[str]]:
    nlp = load_model(model_path)
    predicted = [max(doc.cats, key=doc.cats.get) for doc in nlp.pipe(e.model_text for e in examples)]
    return [e.intent for e in examples], predicted


def _predict_mail(folder: Path, model_path: str) -> tuple[list[str], list[str]]:
    """Mail with an expected.csv: the whole classify stage, automated detection included."""
    from ..classify import Classifier
    from ..config import Config
    from ..extract import Extractor
    from ..orders import OrderBook
    from ..parse import parse
    from ..sources import read_path

    expected_file = folder / "expected.csv"
    if not expected_file.exists():
        raise FileNotFoundError(f"{folder}: no expected.csv (columns file, intent)")
    with expected_file.open(newline="", encoding="utf-8") as f:
        expected = {row["file"]: row["intent"] for row in csv.DictReader(f)}
    extractor = Extractor.from_config(Config().extract, OrderBook())
    classifier = Classifier.load(model_path)
    mail_root = folder / "inbox" if (folder / "inbox").is_dir() else folder
    gold, predicted = [], []
    for raw in read_path(mail_root):
        name = Path(raw.source).name
        if name not in expected:
            continue
        parsed = parse(raw)
        gold.append(expected[name])
        predicted.append(classifier(parsed, extractor(parsed)).intent)
    return gold, predicted
