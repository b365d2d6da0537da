#!/usr/bin/env python3
"""Backlog benchmark: a full mailbox triaged by `mailbot run --once`, against a plain fetch.

    .venv/bin/python bench/backlog.py                 # 10,000 messages; rewrites "## Backlog" in docs/benchmarks.md
    .venv/bin/python bench/backlog.py --messages 500 --no-report

Starts a Dovecot of its own (tests/integration/dovecot.py: root, dovecot-imapd
installed), appends the messages, then in the same run:

1. plain fetch: one imapclient connection fetches every message with
   BODY.PEEK[] in batches of the daemon's batch size, and nothing else (best of two);
2. `mailbot run --once`: the installed command with a fresh store, timed from
   start to exit (model load included), and its own pass time from its poll line;
3. for reference, `mailbot triage --json` over the same messages saved as
   files, with a fresh store: the same pipeline with no IMAP, so the ratio of
   (2) to (3) is what the daemon adds (fetching, marking, checkpoints, drafts).

Then it checks the work from the store and the server: every message decided
exactly once and carrying $MailbotTriaged; otherwise it exits 1 and reports nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from integration.dovecot import Dovecot  # noqa: E402
from integration.harness import Bot, flags, identity, support_mail  # noqa: E402

SECTION = "## Backlog"


def plain_fetch(server: Dovecot, batch_size: int) -> tuple[float, int, int]:
    """Seconds to fetch every message in INBOX, the number fetched and their bytes."""
    from imapclient import IMAPClient

    started = time.perf_counter()
    imap = IMAPClient(server.host, server.port, ssl=False, timeout=60)
    imap.login(server.user, server.password)
    imap.select_folder("INBOX", readonly=True)
    uids = imap.search("ALL")
    count = size = 0
    for start in range(0, len(uids), batch_size):
        for data in imap.fetch(uids[start:start + batch_size], ["BODY.PEEK[]"]).values():
            count += 1
            size += len(data[b"BODY[]"])
    imap.logout()
    return time.perf_counter() - started, count, size


def offline_triage(bot: Bot, messages: list[bytes], work: Path) -> float:
    """Seconds `mailbot triage --json` takes over the messages as files (start to exit, fresh store)."""
    folder = work / "as-files"
    folder.mkdir()
    for n, message in enumerate(messages):
        (folder / f"{n:06d}.eml").write_bytes(message)
    started = time.perf_counter()
    result = subprocess.run(bot.command("triage", "--json", str(folder), "--store", str(work / "triage.sqlite3")),
                            env=bot.env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = result.stdout.count("\n")
    if result.returncode != 0 or lines != len(messages):
        raise SystemExit(f"mailbot triage exited {result.returncode} with {lines} lines:\n{result.stderr[-3000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--report", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--no-report", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    server = Dovecot.create()
    work = Path(tempfile.mkdtemp(prefix="mailbot-bench-"))
    try:
        server.start()
        messages = [support_mail(n) for n in range(args.messages)]
        appended = time.perf_counter()
        server.append(messages)
        print(f"appended {len(messages)} messages ({sum(map(len, messages)) / 1e6:.1f} MB) "
              f"in {time.perf_counter() - appended:.1f}s")

        fetches = [plain_fetch(server, args.batch_size) for _ in range(2)]
        fetch_seconds, fetched, fetched_bytes = min(fetches)
        assert fetched == len(messages), f"plain fetch got {fetched} of {len(messages)}"

        bot = Bot(work, server, batch_size=args.batch_size)
        started = time.perf_counter()
        result = subprocess.run(bot.command("run", "--once"), env=bot.env, capture_output=True, text=True)
        run_seconds = time.perf_counter() - started
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            return 1
        pass_ms = sum(float(m) for m in re.findall(r"^.* poll .* ms=([\d.]+)$", result.stderr, re.M))
        decide_ms = sum(float(m) for m in re.findall(r" message .* ms=([\d.]+)$", result.stderr, re.M))

        triage_seconds = offline_triage(bot, messages, work)

        decisions = dict(sqlite3.connect(bot.store_path).execute(
            "SELECT identity, COUNT(*) FROM audit WHERE event = 'decided' GROUP BY identity").fetchall())
        once = sum(1 for m in messages if decisions.get(identity(m)) == 1)
        marked = sum(1 for f in flags(server).values() if b"$MailbotTriaged" in f and b"\\Seen" not in f)
        figures = {
            "messages": len(messages), "megabytes": fetched_bytes / 1e6, "fetch": fetch_seconds,
            "fetch_runs": [round(f[0], 2) for f in fetches], "run": run_seconds, "pass": pass_ms / 1000,
            "decide": decide_ms / 1000, "once": once, "marked": marked, "triage": triage_seconds,
        }
    finally:
        server.remove()
        shutil.rmtree(work, ignore_errors=True)

    lines = report(figures, args.batch_size)
    print("\n".join(lines))
    if once != len(messages) or marked != len(messages):
        print("FAILED: not every message was decided exactly once and marked", file=sys.stderr)
        return 1
    if not args.no_report:
        write_section(args.report, lines)
        print(f"\nwrote the {SECTION!r} section of {args.report}")
    return 0


def report(f: dict, batch_size: int) -> list[str]:
    per_message = 1000 / f["messages"]
    ratio = f["run"] / f["fetch"]
    verdict = "met" if ratio <= 3 else "NOT met"
    return [
        f"- messages: {f['messages']:,} ({f['megabytes']:.1f} MB), batch size {batch_size}",
        f"- plain fetch (imapclient, BODY.PEEK[] in batches): {f['fetch']:.2f} s "
        f"({f['fetch'] * per_message:.2f} ms/message; runs {f['fetch_runs']}, best kept)",
        f"- mailbot run --once, start to exit: {f['run']:.2f} s ({f['run'] * per_message:.2f} ms/message)",
        f"- of which the pass over the folder (fetch, decide, mark, checkpoint): {f['pass']:.2f} s; "
        f"deciding alone (the pipeline and its store writes): {f['decide']:.2f} s",
        f"- ratio, mailbot run --once / plain fetch: {f['run'] / f['fetch']:.1f}x "
        f"(pass only: {f['pass'] / f['fetch']:.1f}x; without deciding: "
        f"{(f['pass'] - f['decide']) / f['fetch']:.1f}x)",
        f"- for reference, `mailbot triage --json` over the same messages as files (no IMAP, no drafts): "
        f"{f['triage']:.2f} s ({f['triage'] * per_message:.2f} ms/message); mailbot run --once takes "
        f"{f['run'] / f['triage']:.2f}x that",
        f"- decided exactly once: {f['once']} of {f['messages']}; marked $MailbotTriaged and not \\Seen: "
        f"{f['marked']} of {f['messages']}",
        f"- target, at most 3x the plain fetch: {verdict}. Deciding is {f['decide'] / f['pass']:.0%} of the pass "
        f"({f['decide'] * per_message:.2f} ms/message for the pipeline's stages and store writes); the daemon's "
        f"own IMAP and bookkeeping work is {(f['pass'] - f['decide']) * per_message:.2f} ms/message; the target "
        f"leaves {3 * f['fetch'] * per_message:.2f} ms/message for all of it.",
    ]


def write_section(path: Path, lines: list[str]) -> None:
    """Replace (or add) the "## Backlog" section, leaving every other section as it is."""
    dovecot = subprocess.run(["dovecot", "--version"], capture_output=True, text=True).stdout.strip()
    body = [
        SECTION, "",
        "10,000 support mails in a local Dovecot, triaged by `mailbot run --once`, against a plain",
        "imapclient fetch of the same messages in the same run. Target: triage at most 3 times the plain fetch.",
        "",
        "Command: `.venv/bin/python bench/backlog.py` (as root, with `dovecot-imapd` installed).",
        "",
        "The plain fetch of these small (about 370-byte) messages from a local server costs about 0.05 ms",
        "a message, so the target leaves about 0.14 ms a message for everything the bot does. Parsing with",
        "mail-parser alone takes about 0.5 ms, and the stages after it (extraction, the spaCy classifier, the",
        "rules, the templates, the draft) about 1.5 ms more, spread across all of them: no single stage can be",
        "cut to reach the target. The `mailbot triage` line is the same pipeline with no IMAP; its ratio is",
        "what the daemon itself adds.",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Dovecot {dovecot}:",
        "",
        *lines,
        "",
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: "\n".join(body) + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(body) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
