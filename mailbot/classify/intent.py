"""The spaCy text classifier for intents.

The trained pipeline ships inside the package (`intent_model/`), trained by
`mailbot model train` from `spacy.blank("xx")` (multi-language) on the project's corpus.
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


def model_text(subject: str, new_text: str, quoted_text: str = "", language: str = "") -> str:
    """What the model reads: the subject and the customer's new text.

    The quoted history is only a weak hint: a little of it, and only when the
    new text alone says almost nothing.  `language` is the extract stage's
    guess (detected here when not given): it picks the stemmer.
    """
    text = f"{subject.strip()}\n{new_text.strip()}"
    if len(new_text.strip()) < SHORT_TEXT and quoted_text:
        text += "\n" + quoted_text[:QUOTED_HINT_CHARS]
    if not language:
        from ..extract.language import detect_language

        language = detect_language(new_text) if new_text.strip() else detect_language(subject)
    # The bag-of-words model counts exact strings, so fold what means the same:
    # case ("REFUND"), numbers (order 10492 and 10517) and word endings
    # ("refunded", "refunds", "erstattet"/"erstatten": Snowball stems in the
    # customer's language).  Chinese and Japanese have no spaces: each
    # ideograph or kana is a token, and the model's bigrams make the words.
    text = _NUMBER.sub("0", text[:MAX_CHARS].lower())
    if text and max(text) >= "\u3040":  # a cheap scan in C first: most mail has no CJK to split
        text = _CJK.sub(r" \g<0> ", text)
    words = _WORD.findall(text)
    return " ".join(_stemmer(STEMMERS.get(language, "english")).stemWords(words))


# py3langid's codes to PyStemmer's Snowball algorithms.  Any other language
# (and "und") keeps the English stemmer, which leaves foreign words nearly whole.
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
            "nl": "dutch", "pt": "portuguese", "pl": "polish", "sv": "swedish", "da": "danish",
            "no": "norwegian", "fi": "finnish", "ro": "romanian", "hu": "hungarian", "tr": "turkish",
            "ru": "russian", "cs": "czech"}
# Han ideographs, hiragana, katakana (and the prolonged-sound mark), Hangul.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@lru_cache(maxsize=32)
def _stemmer(algorithm: str = "english"):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


@lru_cache(maxsize=4)
def load_model(path: str = "") -> spacy.language.Language:
    model_path = model_dir(path)
    if not (model_path / "meta.json").exists():
        raise ConfigError(model_path, "classifier.model",
                          "no trained pipeline here; run `mailbot model train`")
    return spacy.load(model_path)


def model_dir(path: str = "") -> Path:
    return Path(path) if path else BUNDLED_MODEL


def load_calibration(path: str = ""):
    """The confidence calibration trained with the pipeline at `path` (see calibration.py)."""
    from .calibration import Calibration

    try:
        return Calibration.load(model_dir(path))
    except (ValueError, OSError) as error:
        raise ConfigError(model_dir(path), "classifier.model", f"unreadable calibration: {error}") from error


def scores(nlp: spacy.language.Language, text: str) -> dict[str, float]:
    return dict(nlp(text).cats)
