"""`mailbot model train`: train the intent classifier from the corpus.

Reproducible: a fixed seed, a fixed split, a config kept in the repository,
and a blank English pipeline to start from.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from .corpus import Example, load_corpus, split

INTENTS_ORDER = None  # labels come from the corpus


def _docbin(nlp, examples: list[Example], labels: list[str]) -> DocBin:
    db = DocBin()
    for example in examples:
        doc = nlp.make_doc(example.model_text)
        doc.cats = {label: float(label == example.intent) for label in labels}
        db.add(doc)
    return db


def train_model(corpus_dir: Path, config_path: Path, output_dir: Path, seed: int = 0) -> dict:
    from spacy.cli.train import train as spacy_train

    examples = load_corpus(corpus_dir)
    if not examples:
        raise ValueError(f"no examples in {corpus_dir}")
    labels = sorted({e.intent for e in examples})
    train, validation, dev = split(examples)
    nlp = spacy.blank("en")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _docbin(nlp, train, labels).to_disk(tmp / "train.spacy")
        _docbin(nlp, validation, labels).to_disk(tmp / "validation.spacy")
        spacy_train(
            config_path,
            output_path=tmp / "out",
            overrides={"paths.train": str(tmp / "train.spacy"),
                       "paths.dev": str(tmp / "validation.spacy"),
                       "system.seed": seed},
        )
        if output_dir.exists():
            shutil.rmtree(output_dir)
        shutil.copytree(tmp / "out" / "model-best", output_dir)
    return {"train": len(train), "validation": len(validation), "dev": len(dev), "labels": labels}
