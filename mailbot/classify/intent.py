"""The spaCy text classifier for intents.

The trained pipeline ships inside the package (`intent_model/`), trained by
`mailbot model train` from `spacy.blank("en")` on the project's corpus.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import spacy

from ..errors import ConfigError

_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"\w+|[^\w\s]")
BUNDLED_MODEL = Path(__file__).resolve().parent / "intent_model"
# A new text shorter than this ("any news?") borrows from the quoted history.
SHORT_TEXT = 40
QUOTED_HINT_CHARS = 300
MAX_CHARS = 3000


def model_text(subject: str, new_text: str, quoted_text: str = "") -> str:
    """What the model reads: the subject and the customer's new text.

    The quoted history is only a weak hint: a little of it, and only when the
    new text alone says almost nothing.
    """
    text = f"{subject.strip()}\n{new_text.strip()}"
    if len(new_text.strip()) < SHORT_TEXT and quoted_text:
        text += "\n" + quoted_text[:QUOTED_HINT_CHARS]
    # The bag-of-words model counts exact strings, so fold what means the same:
    # case ("REFUND"), numbers (order 10492 and 10517) and word endings
    # ("refunded", "refunds": Snowball stems).
    words = _WORD.findall(_NUMBER.sub("0", text[:MAX_CHARS].lower()))
    return " ".join(_stemmer().stemWords(words))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=4)
def load_model(path: str = "") -> spacy.language.Language:
    model_path = Path(path) if path else BUNDLED_MODEL
    if not (model_path / "meta.json").exists():
        raise ConfigError(model_path, "classifier.model",
                          "no trained pipeline here; run `mailbot model train`")
    return spacy.load(model_path)


def scores(nlp: spacy.language.Language, text: str) -> dict[str, float]:
    return dict(nlp(text).cats)
