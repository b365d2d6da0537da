#!/usr/bin/env python3
"""Decisions on the multilingual held-out mail (nlp/heldout/mail/), as issue 13's bar 1 counts them.

    .venv/bin/python scripts/eval_heldout.py [--set mail|mail2] [--json] [--misses]

Runs every message through the whole pipeline (parse to render) with the held-out
order data, then prints: intent macro-F1 overall and per language; how often the
action is the expected one; of the mail the bot should answer itself (expected action
not escalate_human or no_reply), how much gets exactly that action; how often a reply
commits the store to something other than the expected action; and, where the result
says, the reply's language against the one expected (the customer's where the store
writes it, else English).  Nothing is written.  `mail2` is a second batch, written
after round 2's fixes and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import zlib
from collections import defaultdict
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from mailbot.classify.evaluate import evaluate
from mailbot.config import Config
from mailbot.pipeline import Pipeline
from mailbot.records import RawMessage
from mailbot.store import Store

HELDOUT = Path(__file__).resolve().parent.parent / "nlp" / "heldout"
WRITTEN = {"en", "de", "fr", "es", "it", "nl"}  # the bundled templates' languages; others get English
TO_A_PERSON = {"escalate_human", "no_reply"}
# Answers that say something definite to the customer; request_info only asks.
NOT_A_COMMITMENT = TO_A_PERSON | {"request_info"}


def photo(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """A real, decodable PNG of a phone photo's pixel size; noise keeps it photo-sized in bytes."""
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(width // 16) * 48 for _ in range(height // 8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def as_mail(row: dict) -> bytes:
    msg = EmailMessage()
    msg["From"] = row["from"]
    msg["To"] = "Keysme Support <support@keysme.com>"
    msg["Subject"] = row["subject"]
    msg["Date"] = format_datetime(datetime.fromisoformat(row["date"]))
    msg["Message-ID"] = f"<{row['id']}@heldout.example>"
    for name, value in row.get("headers", {}).items():
        msg[name] = value
    msg.set_content(row["text"])
    for n in range(row.get("photos", 0)):
        msg.add_attachment(photo(n), maintype="image", subtype="png", filename=f"IMG_{2031 + n}.PNG")
    return bytes(msg)


def decide_all(folder: Path) -> list[tuple[dict, dict]]:
    config = Config()
    pipeline = Pipeline.from_config(config, orders_path=str(folder / "orders.csv"), store=Store(":memory:"))
    rows = [json.loads(line) for line in (folder / "messages.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [(row, pipeline.triage(RawMessage(row["id"], as_mail(row)))) for row in rows]


def expected_language(row: dict) -> str:
    return row["language"] if row["language"] in WRITTEN else "en"


def report(decided: list[tuple[dict, dict]]) -> dict:
    by_language = defaultdict(list)
    for row, result in decided:
        by_language[row["language"]].append((row, result))
    intents = evaluate([r["intent"] for r, _ in decided], [res["intent"] for _, res in decided])
    answerable = [(r, res) for r, res in decided if r["action"] not in TO_A_PERSON]
    wrong_commitments = [(r, res) for r, res in decided
                         if res["action"] not in NOT_A_COMMITMENT and res["action"] != r["action"]]
    languages = [(r, res) for r, res in decided if (res.get("reply") or {}).get("language")]
    return {
        "messages": len(decided),
        "intent_macro_f1": round(intents.macro_f1, 3),
        "intent_macro_f1_by_language": {
            lang: round(evaluate([r["intent"] for r, _ in rows], [res["intent"] for _, res in rows]).macro_f1, 3)
            for lang, rows in sorted(by_language.items())},
        "action_match": round(sum(r["action"] == res["action"] for r, res in decided) / len(decided), 3),
        "action_match_by_language": {
            lang: round(sum(r["action"] == res["action"] for r, res in rows) / len(rows), 3)
            for lang, rows in sorted(by_language.items())},
        "answerable": len(answerable),
        "answerable_answered_right": round(sum(r["action"] == res["action"] for r, res in answerable)
                                           / len(answerable), 3),
        "wrong_commitments": round(len(wrong_commitments) / len(decided), 3),
        "wrong_commitment_ids": [r["id"] for r, _ in wrong_commitments],
        "reply_language_match": (round(sum(res["reply"]["language"] == expected_language(r) for r, res in languages)
                                       / len(languages), 3) if languages else None),
        "errors": [r["id"] for r, res in decided if res.get("error")],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="mail", choices=("mail", "mail2", "all"),
                        help="which held-out batch (nlp/heldout/SET), or both")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    parser.add_argument("--misses", action="store_true", help="also list every message whose action is not the expected one")
    args = parser.parse_args()
    sets = ("mail", "mail2") if args.set == "all" else (args.set,)
    decided = [pair for name in sets for pair in decide_all(HELDOUT / name)]
    figures = report(decided)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    if args.misses:
        for row, result in decided:
            if row["action"] != result["action"]:
                print(f"  {row['id']} ({row['subject'][:30]}): expected {row['intent']}/{row['action']}, got "
                      f"{result['intent']} {result['confidence']}/{result['action']} ({result['rule']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
