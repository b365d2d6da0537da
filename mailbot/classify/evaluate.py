"""`mailbot model eval`: per-intent precision, recall and F1, macro-F1, confusion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    labels: list[str]
    per_label: dict[str, tuple[float, float, float, int]]  # precision, recall, f1, support
    macro_f1: float
    accuracy: float
    confusion: Counter  # (gold, predicted) -> count
    total: int
    calibration: list[tuple[float, float, int, float]]  # (low, high, count, accuracy)

    def format(self) -> str:
        width = max(len(label) for label in self.labels) + 2
        lines = [f"{'intent':<{width}} precision  recall      f1  support"]
        for label in self.labels:
            p, r, f, n = self.per_label[label]
            lines.append(f"{label:<{width}} {p:9.3f} {r:7.3f} {f:7.3f} {n:8d}")
        lines.append(f"\nmacro-F1 {self.macro_f1:.3f}   accuracy {self.accuracy:.3f}   on {self.total} messages")
        lines.append("\nconfusion matrix (rows: gold, columns: predicted)")
        short = [label[:6] for label in self.labels]
        lines.append(" " * width + " ".join(f"{s:>6}" for s in short))
        for gold in self.labels:
            row = " ".join(f"{self.confusion[(gold, pred)]:6d}" for pred in self.labels)
            lines.append(f"{gold:<{width}}{row}")
        if self.calibration:
            lines.append("\ncalibration: accuracy by confidence (escalate_human below classifier.min_confidence)")
            for low, high, count, accuracy in self.calibration:
                lines.append(f"  {low:.1f}-{high:.1f}: {count:5d} messages, accuracy {accuracy:.3f}")
        return "\n".join(lines)


CONFIDENCE_BINS = ((0.0, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


def evaluate(gold: list[str], predicted: list[str], confidence: list[float] | None = None) -> Report:
    labels = sorted(set(gold) | set(predicted))
    confusion = Counter(zip(gold, predicted))
    per_label = {}
    for label in labels:
        tp = confusion[(label, label)]
        fp = sum(confusion[(g, label)] for g in labels if g != label)
        fn = sum(confusion[(label, p)] for p in labels if p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = (precision, recall, f1, tp + fn)
    scored = [label for label in labels if per_label[label][3] > 0]
    macro = sum(per_label[label][2] for label in scored) / len(scored) if scored else 0.0
    accuracy = sum(confusion[(label, label)] for label in labels) / len(gold) if gold else 0.0
    calibration = []
    for low, high in CONFIDENCE_BINS if confidence else ():
        hits = [g == p for g, p, c in zip(gold, predicted, confidence) if low <= c < high]
        if hits:
            calibration.append((low, min(high, 1.0), len(hits), sum(hits) / len(hits)))
    return Report(labels, per_label, macro, accuracy, confusion, len(gold), calibration)


def by_language(gold: list[str], predicted: list[str], confidence: list[float],
                languages: list[str]) -> dict[str, Report]:
    """One report per language, in order of how much mail each has."""
    groups: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        groups.setdefault(language or "und", []).append(i)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {language: evaluate([gold[i] for i in idx], [predicted[i] for i in idx], [confidence[i] for i in idx])
            for language, idx in ordered}


def format_by_language(reports: dict[str, Report]) -> str:
    lines = ["per language", f"{'language':<9} {'messages':>8} {'macro-F1':>9} {'accuracy':>9}"]
    for language, report in reports.items():
        lines.append(f"{language:<9} {report.total:8d} {report.macro_f1:9.3f} {report.accuracy:9.3f}")
    lines.append("\ncalibration per language: messages (accuracy) by confidence")
    header = "".join(f"{f'{low:.1f}-{min(high, 1.0):.1f}':>14}" for low, high in CONFIDENCE_BINS)
    lines.append(f"{'language':<9}{header}")
    for language, report in reports.items():
        cells = {low: (count, accuracy) for low, _, count, accuracy in report.calibration}
        row = "".join(f"{f'{cells[low][0]} ({cells[low][1]:.2f})' if low in cells else '-':>14}"
                      for low, _ in CONFIDENCE_BINS)
        lines.append(f"{language:<9}{row}")
    return "\n".join(lines)


@dataclass(frozen=True)
class ThresholdReport:
    threshold: float
    total: int
    answered: int        # confidence at or above the threshold: the rules may answer it
    answered_wrong: int  # ...with the wrong intent
    handed: int          # below it: a person decides
    handed_right: int    # ...though the model had it right

    def format(self) -> str:
        pct = lambda n, d: f"{100 * n / d:.1f}%" if d else "-"
        return (f"at classifier.min_confidence {self.threshold}: {self.answered} of {self.total} "
                f"({pct(self.answered, self.total)}) reach the rules with an intent, "
                f"{self.answered_wrong} of them wrong ({pct(self.answered_wrong, self.answered)}); "
                f"{self.handed} go to a person, {self.handed_right} of those the model had right "
                f"({pct(self.handed_right, self.handed)})")


def at_threshold(gold: list[str], predicted: list[str], confidence: list[float], threshold: float) -> ThresholdReport:
    answered = [g == p for g, p, c in zip(gold, predicted, confidence) if c >= threshold]
    handed = [g == p for g, p, c in zip(gold, predicted, confidence) if c < threshold]
    return ThresholdReport(threshold, len(gold), len(answered), answered.count(False), len(handed), handed.count(True))
