"""The language of the customer's new text.

langdetect is a port of Google's n-gram detector: no model download, and
seeded it is deterministic.  Short texts get "und" rather than a guess.
"""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0  # langdetect samples at random; fixed seed, fixed answers

MIN_LETTERS = 12
SAMPLE_CHARS = 600


def detect_language(text: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return "und"
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return "und"
    return best.lang if best.prob >= 0.6 else "und"
