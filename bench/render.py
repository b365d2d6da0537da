"""Render-stage throughput on one core, in each reply language, against parsing alone in the same run.

    python bench/render.py [PATHS...] [--messages 1000]

Decides the messages in PATHS (default: the sample inbox) once, then times,
over the same list: the parse stage (the baseline), and the render stage
(context with dates, money and names written by Babel, the greeting, the
template) with every reply written in English, German, French, Spanish,
Italian and Dutch in turn.  The best of --rounds runs is reported; the ratio
to parsing is the figure to compare across runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(REPO / "examples" / "inbox")])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import logging

    logging.disable(logging.WARNING)
    from mailbot.config import Config
    from mailbot.parse import parse
    from mailbot.pipeline import Pipeline
    from mailbot.policy.facts import gather
    from mailbot.sources import read_paths

    pipeline = Pipeline.from_config(Config(), orders_path=str(REPO / "examples" / "orders.csv"))
    raws = list(read_paths([Path(p) for p in args.paths]))
    decided = []
    for raw in raws:
        parsed = parse(raw)
        extraction = pipeline.extractor(parsed)
        classification = pipeline.classifier(parsed, extraction)
        facts = gather(parsed, extraction, pipeline.orders, pipeline.returns, pipeline.config.policy)
        decision = pipeline.decide(parsed, extraction, classification, facts)
        if decision.template:
            decided.append((raw, parsed, extraction, facts, classification.intent, decision))
    if not decided:
        sys.exit(f"no message in {args.paths} gets a reply")
    batch = (decided * (args.messages // len(decided) + 1))[: args.messages]

    def best(func) -> float:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return min(times)

    def render_all(language: str):
        return lambda: [pipeline.renderer(p, x, f, i, replace(d, language=language, language_note=""))
                        for _, p, x, f, i, d in batch]

    for language in LANGUAGES:
        render_all(language)()  # warm up: templates compiled, CLDR data loaded
    n = len(batch)
    baseline = best(lambda: [parse(raw) for raw, *_ in batch])
    print(f"{n} replies ({len(decided)} distinct from {', '.join(args.paths)}), one core, best of {args.rounds}")
    print(f"  {'parse (baseline)':24s} {baseline / n * 1000:6.3f} ms/message")
    for language in LANGUAGES:
        seconds = best(render_all(language))
        print(f"  {'render, ' + language:24s} {seconds / n * 1000:6.3f} ms/reply   render / parse {seconds / baseline:5.2f}")


if __name__ == "__main__":
    main()
