"""Confidence that means what it says: temperature scaling of the model's scores.

A bag-of-words classifier's softmax is not a probability: over eleven intents
and ten languages it is too timid on some mail and too sure on other mail, so
one `classifier.min_confidence` cannot separate the mail it gets wrong from the
mail it gets right.  One temperature T, fitted after training on held-out
examples (the validation split, never trained on) by minimising the negative
log-likelihood, rescales every score: p_i ** (1/T), renormalised.  It keeps
the ranking (the intent never changes), only the confidence moves.  It is
stored beside the pipeline (`calibration.json`), so a retrained model brings
its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = "calibration.json"
_FLOOR = 1e-9


@dataclass(frozen=True)
class Calibration:
    temperature: float = 1.0
    fitted_on: str = "none"

    def apply(self, cats: dict[str, float]) -> dict[str, float]:
        if self.temperature == 1.0:
            return dict(cats)
        scaled = {k: math.exp(math.log(max(v, _FLOOR)) / self.temperature) for k, v in cats.items()}
        total = sum(scaled.values()) or 1.0
        return {k: v / total for k, v in scaled.items()}

    def save(self, model_dir: Path, **details) -> None:
        data = {"method": "temperature", "temperature": self.temperature, "fitted_on": self.fitted_on, **details}
        (model_dir / CALIBRATION_FILE).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir: Path) -> "Calibration":
        """The model's calibration; none (T = 1) for a pipeline trained before calibration existed."""
        path = model_dir / CALIBRATION_FILE
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        temperature = float(data.get("temperature", 1.0))
        if not (0.01 <= temperature <= 100):
            raise ValueError(f"{path}: temperature {temperature} out of range")
        return cls(temperature, str(data.get("fitted_on", "")))


def negative_log_likelihood(scored: list[tuple[dict[str, float], str]], temperature: float) -> float:
    calibration = Calibration(temperature)
    total = 0.0
    for cats, gold in scored:
        total -= math.log(max(calibration.apply(cats).get(gold, 0.0), _FLOOR))
    return total / max(len(scored), 1)


def fit_temperature(scored: list[tuple[dict[str, float], str]]) -> float:
    """The temperature with the least negative log-likelihood on (scores, gold intent) pairs.

    The likelihood is unimodal in log T, so a coarse log-spaced grid and then
    a golden-section search around its best point finds it without scipy.
    """
    if not scored:
        return 1.0
    grid = [math.exp(x / 10) for x in range(-30, 31)]  # 0.05 .. 20
    best = min(grid, key=lambda t: negative_log_likelihood(scored, t))
    low, high = math.log(best) - 0.1, math.log(best) + 0.1
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(30):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if negative_log_likelihood(scored, math.exp(a)) < negative_log_likelihood(scored, math.exp(b)):
            high = b
        else:
            low = a
    return round(math.exp((low + high) / 2), 4)
