#!/usr/bin/env python3
"""Review-queue benchmark: the console's queue page with 5,000 pending drafts, against baselines in the same run.

    .venv/bin/python bench/review_queue.py                  # 5,000 drafts; rewrites "## Review queue" in docs/benchmarks.md
    .venv/bin/python bench/review_queue.py --drafts 500 --no-report

Makes a store with real drafts (the sample inbox through the pipeline and
the deliver stage), copies them up to --drafts pending rows, starts a real
`mailbot web` process on it, logs in, and times in the same run:

1. GET / with every draft pending: the whole page (the newest 200 drafts, with the counts per action and
   intent over all of them and links to the older pages), over HTTP, as a browser asks for it (median of
   --runs); and GET /?page=N, the oldest page, where the store must skip every newer row first;
2. baseline A: GET / on the same server with an empty queue (every draft marked approved), so the
   ratio (1)/(A) is what 5,000 rows cost over the fixed cost of a page;
3. baseline B: a plain store query of every pending draft's full row (sqlite3, no web at all).

Target: the queue page with 5,000 pending drafts renders in under 300 ms on this machine.
It checks the page really lists every draft, else exits 1 and reports nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mailbot.delivery.review import QUEUE_PAGE  # noqa: E402
SECTION = "## Review queue"
TARGET_MS = 300.0
PASSWORD = "benchmark password"


def make_store(folder: Path, drafts: int) -> Path:
    """A config and a store holding `drafts` pending drafts, copied from real ones."""
    import tomli_w

    from mailbot.config import load_config
    from mailbot.delivery.intake import Delivery
    from mailbot.pipeline import Pipeline
    from mailbot.sources import read_paths
    from mailbot.store import Store

    config_path = folder / "mailbot.toml"
    config_path.write_text(tomli_w.dumps({"store": {"path": str(folder / "store.sqlite3")},
                                          "policy": {"orders": str(REPO / "examples" / "orders.csv")}}))
    config = load_config(config_path)
    store = Store(config.store_path())
    pipeline = Pipeline.from_config(config, store=store)
    pipeline.deliver = Delivery(config, store)
    for raw in read_paths([REPO / "examples" / "inbox"]):
        pipeline.triage(raw)
    db = store.db
    seeds = [row[0] for row in db.execute("SELECT id FROM delivery_drafts WHERE status = 'pending' ORDER BY id")]
    columns = [row[1] for row in db.execute("PRAGMA table_info(delivery_drafts)") if row[1] != "id"]
    start = datetime.now(timezone.utc) - timedelta(days=30)
    db.execute("BEGIN")
    for n in range(drafts - len(seeds)):
        seed = seeds[n % len(seeds)]
        values = {c: f"{c}-copy-{n}" if c in ("identity", "message_id") else c for c in columns}
        values["created_at"] = f"'{(start + timedelta(minutes=n)).isoformat(timespec='milliseconds')}'"
        values["identity"] = f"'copy-{n}'"
        values["message_id"] = f"'<copy-{n}@bench>'"
        values["original_subject"] = f"original_subject || ' #{n}'"
        select = ", ".join(values[c] for c in columns)
        db.execute(f"INSERT INTO delivery_drafts ({', '.join(columns)}) SELECT {select} FROM delivery_drafts WHERE id = ?",
                   (seed,))
    db.execute("COMMIT")
    from mailbot.web.users import Users

    Users(db).add("bench", PASSWORD, datetime.now(timezone.utc))
    store.close()
    return config_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One keep-alive HTTP connection with a logged-in session, as a browser tab has."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def reconnect(self) -> None:
        """A fresh connection: the server closes idle ones after a few seconds, as browsers expect."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("set-cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, text

    def log_in(self) -> None:
        _, page = self.request("GET", "/login")
        token = re.search(r'name="login_token" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", {"name": "bench", "password": PASSWORD, "login_token": token, "next": "/"})
        assert status == 303, f"login failed: {status}"

    def time_get(self, path: str, runs: int) -> tuple[list[float], str]:
        times, page = [], ""
        self.reconnect()
        for _ in range(runs):
            started = time.perf_counter()
            status, page = self.request("GET", path)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        return times, page


def plain_query(store: Path, runs: int) -> list[float]:
    db = sqlite3.connect(store)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = db.execute("SELECT * FROM delivery_drafts WHERE status = 'pending' ORDER BY created_at DESC, id DESC").fetchall()
        times.append((time.perf_counter() - started) * 1000)
    db.close()
    assert rows
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--report", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--no-report", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="mailbot-bench-queue-"))
    config = make_store(folder, args.drafts)
    store = folder / "store.sqlite3"
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "mailbot"), "web", "--config", str(config),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("mailbot web did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        browser = Browser(port)
        browser.log_in()
        browser.time_get("/", 3)  # warm-up: templates compiled, connections opened, pages cached
        full, page = browser.time_get("/", args.runs)
        pending = sqlite3.connect(store).execute("SELECT COUNT(*) FROM delivery_drafts WHERE status = 'pending'").fetchone()[0]
        pages = -(-pending // QUEUE_PAGE)
        last, last_page = browser.time_get(f"/?page={pages}", args.runs)
        listed = [len(re.findall(r'<tr><td><a href="/drafts/\d+">', p)) for p in (page, last_page)]
        counted = sum(int(n) for n in re.findall(r'class="count">\w+ <b>(\d+)</b>', page))
        if (pending != args.drafts or listed != [min(QUEUE_PAGE, pending), pending - (pages - 1) * QUEUE_PAGE]
                or counted != pending or f"Drafts waiting for review: {pending}" not in page):
            print(f"the pages list {listed} drafts and count {counted}; the store has {pending} pending "
                  f"(asked for {args.drafts})", file=sys.stderr)
            return 1
        query = plain_query(store, args.runs)
        db = sqlite3.connect(store)
        db.execute("UPDATE delivery_drafts SET status = 'approved' WHERE status = 'pending'")
        db.commit()
        db.close()
        browser.time_get("/", 3)
        empty, empty_page = browser.time_get("/", args.runs)
        assert "Nothing waiting for review" in empty_page
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)

    figures = {
        "drafts": args.drafts, "runs": args.runs, "page_bytes": len(page.encode()), "pages": pages,
        "full": statistics.median(full), "full_max": max(full), "empty": statistics.median(empty),
        "last": statistics.median(last), "last_max": max(last),
        "query": statistics.median(query),
    }
    lines = report(figures)
    print("\n".join(lines))
    if not args.no_report:
        text = args.report.read_text()
        pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
        section = "\n".join(lines) + "\n\n"
        text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
        args.report.write_text(text.rstrip("\n") + "\n")
        print(f"\nwrote the {SECTION!r} section of {args.report}")
    return 0


def report(f: dict) -> list[str]:
    met = max(f["full"], f["last"]) < TARGET_MS
    return [
        SECTION, "",
        f"The review console's queue page (`/`) with {f['drafts']:,} pending drafts, fetched over HTTP from a real",
        "`mailbot web` process by a logged-in client, against two baselines in the same run: the same page with",
        "an empty queue (the fixed cost of a page) and a plain SQLite query of the pending drafts' rows.",
        f"Target: under {TARGET_MS:.0f} ms on this machine.", "",
        "Command: `.venv/bin/python bench/review_queue.py`.", "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}:", "",
        f"- queue page, {f['drafts']:,} pending drafts: {f['full']:.1f} ms median of {f['runs']} "
        f"(slowest {f['full_max']:.1f} ms), {f['page_bytes'] / 1e3:.0f} kB of HTML: the newest {QUEUE_PAGE}, "
        f"the counts per action over all {f['drafts']:,}, links to {f['pages']} pages",
        f"- the oldest page (page {f['pages']}): {f['last']:.1f} ms median (slowest {f['last_max']:.1f} ms)",
        f"- baseline A, the same page with an empty queue: {f['empty']:.1f} ms; ratio {f['full'] / f['empty']:.1f}x "
        f"(oldest page {f['last'] / f['empty']:.1f}x)",
        f"- baseline B, plain query of the pending rows (sqlite3, all columns): {f['query']:.1f} ms; "
        f"ratio {f['full'] / f['query']:.2f}x (oldest page {f['last'] / f['query']:.2f}x)",
        f"- target, under {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'} "
        f"({max(f['full'], f['last']):.0f} ms for the slower of the two pages, median)",
    ]


if __name__ == "__main__":
    sys.exit(main())
