"""Classification throughput on one core, against tokenization alone in the same run.

    python bench/classify.py [--messages 5000] [--corpus DIR]

The classify stage (automated-mail signals, then the spaCy text classifier)
runs over parsed and extracted messages: the corpus's dev split wrapped as
mail, repeated to --messages (`--corpus` takes another corpus folder's dev
split, so two versions of mailbot can be timed on the same mail).  The baseline is spaCy's tokenizer alone over
the same texts, the floor any spaCy classifier pays.  The machine is shared
and noisy, so the ratio is the figure to compare across runs.
"""

from __future__ import annotations

import argparse
import os
import time
from email.message import EmailMessage

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy loads: one core means one thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--corpus", help="corpus folder whose dev split is the input (default: the bundled one)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from mailbot.classify import Classifier
    from mailbot.classify.corpus import load_corpus, split
    from mailbot.classify.intent import model_text
    from mailbot.config import Config
    from mailbot.extract import Extractor
    from mailbot.orders import OrderBook
    from mailbot.parse import parse
    from mailbot.records import RawMessage
    from mailbot.resources import bundled

    from pathlib import Path

    _, _, dev = split(load_corpus(Path(args.corpus) if args.corpus else bundled("nlp") / "corpus"))
    extractor = Extractor.from_config(Config().extract, OrderBook())
    prepared = []
    for n, example in enumerate(dev):
        msg = EmailMessage()
        msg["From"] = f"customer{n}@example.com"
        msg["Subject"] = example.subject
        msg["Message-ID"] = f"<{n}@bench>"
        msg.set_content(example.text)
        parsed = parse(RawMessage(f"{n}.eml", bytes(msg)))
        prepared.append((parsed, extractor(parsed)))
    batch = (prepared * (args.messages // len(prepared) + 1))[: args.messages]
    texts = [model_text(p.subject, x.new_text, x.quoted_text) for p, x in batch]
    classifier = Classifier.load()
    nlp = classifier.nlp
    classifier(*batch[0])  # warm up

    start = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    tokenize = time.perf_counter() - start

    start = time.perf_counter()
    for parsed, extraction in batch:
        classifier(parsed, extraction)
    classify = time.perf_counter() - start

    n = len(batch)
    print(f"messages: {n} (dev split of {len(dev)} examples, repeated), one core")
    print(f"baseline, tokenize only: {tokenize:.2f} s, {n / tokenize:,.0f} messages/s")
    print(f"classify stage:          {classify:.2f} s, {n / classify:,.0f} messages/s")
    print(f"ratio classify/tokenize: {classify / tokenize:.2f}")


if __name__ == "__main__":
    main()
