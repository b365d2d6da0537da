"""Exponential backoff with jitter, for reconnecting after a network or server error."""

from __future__ import annotations

import random


class Backoff:
    """Delays of initial, 2x, 4x ... up to `maximum` seconds, each scaled by a random 0.5 to 1.

    The jitter keeps several accounts (or several bots) that lost the same
    server from hammering it in lockstep when it comes back.
    """

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None):
        self.initial, self.maximum = initial, maximum
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        self.failures += 1
        ceiling = min(self.maximum, self.initial * 2 ** min(self.failures - 1, 32))
        return ceiling * self._rng.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.failures = 0
