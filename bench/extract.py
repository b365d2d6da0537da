"""Extraction throughput on one core, against parsing alone in the same run.

    python bench/extract.py [PATHS...] [--messages 2000] [--orders examples/orders.csv]

Reads the messages in PATHS (.eml files, folders, a Maildir or an mbox;
default: the sample inbox, or ../shared/corpus/eml while the sample is
empty), repeats them to --messages, and times, each over the same list:
the parse stage alone (the baseline), the whole extract stage on the parsed
messages, and each extractor on its own so the costly one is plain.  The
machine is shared and noisy: the best of --rounds runs is reported, and the
ratio to parsing is the figure to compare across runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy loads: one core means one thread
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--orders", default=str(REPO / "examples" / "orders.csv"),
                        help="order data CSV ('' for none)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import logging

    logging.disable(logging.WARNING)  # mail-parser logs every part it does not handle

    from mailbot.config import Config
    from mailbot.extract import Extractor
    from mailbot.extract.attachments import describe_attachments
    from mailbot.extract.dates import find_dates
    from mailbot.extract.language import detect_language
    from mailbot.extract.orders import find_order_numbers
    from mailbot.extract.text import body_text
    from mailbot.extract.tracking import find_tracking_numbers
    from mailbot.orders import OrderBook
    from mailbot.parse import parse
    from mailbot.sources import read_paths

    paths = args.paths or _default_paths()
    raws = [r for path in paths for r in _read(Path(path), read_paths)]
    if not raws:
        sys.exit(f"no messages in {paths}")
    batch = (raws * (args.messages // len(raws) + 1))[: args.messages]
    orders = OrderBook.load(args.orders) if args.orders and Path(args.orders).is_file() else OrderBook()
    extractor = Extractor.from_config(Config().extract, orders)
    parsed = [parse(r) for r in batch]
    for p in parsed[: len(raws)]:
        extractor(p)  # warm up: models, locale data, compiled regexes
    bodies = [body_text(p.text_plain, p.text_html, p.forwarded_text) for p in parsed]
    readings = [f"{p.subject}\n{b.new}\n{b.signature}" for p, b in zip(parsed, bodies)]

    def best(func) -> float:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return min(times)

    n = len(batch)
    results = {
        "parse (baseline)": best(lambda: [parse(r) for r in batch]),
        "extract stage": best(lambda: [extractor(p) for p in parsed]),
    }
    parts = {
        "text: quotes, signature, HTML": lambda: [body_text(p.text_plain, p.text_html, p.forwarded_text)
                                                 for p in parsed],
        "language": lambda: [detect_language(b.new) for b in bodies],
        "tracking numbers": lambda: [find_tracking_numbers(t) for t in readings],
        "order numbers": lambda: [find_order_numbers(t, extractor.patterns) for t in readings],
        "dates": lambda: [find_dates(b.new, p.date) for b, p in zip(bodies, parsed)],
        "attachments": lambda: [describe_attachments(p.parts, p.text_html) for p in parsed],
    }
    part_times = {name: best(func) for name, func in parts.items()}

    print(f"{n} messages ({len(raws)} distinct from {', '.join(map(str, paths))}), one core, "
          f"best of {args.rounds}")
    for name, seconds in results.items():
        print(f"  {name:32s} {n / seconds:8.0f} messages/s  {seconds / n * 1000:6.2f} ms/message")
    ratio = results["extract stage"] / results["parse (baseline)"]
    print(f"  extract / parse time ratio       {ratio:8.2f}")
    print("  per extractor:")
    for name, seconds in part_times.items():
        print(f"    {name:30s} {seconds / n * 1000:6.3f} ms/message")


def _read(path: Path, read_paths):
    """A Maildir, mbox or file as the CLI reads them; any other folder searched recursively."""
    if path.is_dir() and not all((path / sub).is_dir() for sub in ("cur", "new")):
        files = sorted(p for p in path.rglob("*") if p.is_file() and (
            p.suffix.lower() in (".eml", ".msg") or (p.name.startswith("msg_") and p.suffix == ".txt")))
        return list(read_paths(files))
    return list(read_paths([path]))


def _default_paths() -> list[str]:
    inbox = REPO / "examples" / "inbox"
    if any((inbox / sub).iterdir() for sub in ("cur", "new") if (inbox / sub).is_dir()
           and any(p.is_file() and not p.name.startswith(".") for p in (inbox / sub).iterdir())):
        return [str(inbox)]
    return [str(REPO.parent / "shared" / "corpus" / "eml")]


if __name__ == "__main__":
    main()
