"""`mailbot model train`: train the intent classifier from the corpus.

Reproducible: a fixed seed, a fixed split, a config kept in the repository,
and a blank multi-language pipeline ("xx") to start from: the text is
already split and stemmed per language by `model_text`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from .calibration import Calibration, fit_temperature, negative_log_likelihood
from .corpus import Example, load_corpus, split

INTENTS_ORDER = None  # labels come from the corpus


def _docbin(nlp, examples: list[Example], labels: list[str]) -> DocBin:
    db = DocBin()
    for example in examples:
        doc = nlp.make_doc(example.model_text)
        doc.cats = {label: float(label == example.intent) for label in labels}
        db.add(doc)
    return db


def train_model(corpus_dir: Path, config_path: Path, output_dir: Path, seed: int = 0,
                extra: list[Example] = ()) -> dict:
    """Train, keep the best checkpoint, then fit its confidence calibration.

    `extra` (reviewed drafts) joins the corpus and is split the same way, so
    the reviewed mail in the dev bucket stays held out for `model eval`.
    """
    from spacy.cli.train import train as spacy_train

    examples = load_corpus(corpus_dir) + list(extra)
    if not examples:
        raise ValueError(f"no examples in {corpus_dir}")
    labels = sorted({e.intent for e in examples})
    train, validation, dev = split(examples)
    nlp = spacy.blank("xx")
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
    temperature = calibrate(output_dir, validation)
    extra_train = sum(1 for e in extra if e.bucket >= 20)
    return {"train": len(train), "validation": len(validation), "dev": len(dev), "labels": labels,
            "temperature": temperature, "extra": len(extra), "extra_train": extra_train}


def calibrate(model_dir: Path, held_out: list[Example]) -> float:
    """Fit and store the temperature on examples the model never trained on."""
    nlp = spacy.load(model_dir)
    scored = [(nlp(e.model_text).cats, e.intent) for e in held_out]
    temperature = fit_temperature(scored)
    Calibration(temperature, f"validation split ({len(held_out)} examples)").save(
        model_dir, nll_before=round(negative_log_likelihood(scored, 1.0), 4),
        nll_after=round(negative_log_likelihood(scored, temperature), 4))
    return temperature
