"""Hostile mail: time and memory for each attack of issue 14, at the sizes the issue gives.

    python bench/hostile.py [--only NAME ...] [--scale 1.0] [--keep DIR]

Each attack (bench/hostile_mail.py) is written to a file, then triaged in a
fresh Python process the way `mailbot triage` reads it (the size limit of
`daemon.max_message_bytes` applies) and with the deliver stage in draft mode
on a scratch store, as the daemon runs it.  Inside that process the pipeline
is loaded and warmed on a normal message; then the peak-RSS mark is reset
(/proc/self/clear_refs) and the resting size read, so the memory figure is
what the attack adds above rest.  The baseline is a normal message measured
the same way in the same run; the ratio is attack time / baseline time.

Target: every attack decided, or failed with a clear error, in under 2 s and
300 MB above rest, with the sender and subject kept in the result.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

LIMIT_SECONDS = 2.0
LIMIT_MB = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="attack names (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the sizes in the issue")
    parser.add_argument("--keep", help="write the messages into this folder and keep them")
    parser.add_argument("--child", nargs=2, metavar=("ATTACK", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(*args.child)

    from hostile_mail import ATTACKS, BY_NAME, build_bytes

    attacks = [BY_NAME[n] for n in args.only] if args.only else ATTACKS
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mailbot-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    baseline_file = folder / "baseline.eml"
    baseline_file.write_bytes(build_bytes(BY_NAME["date-8bit"], 1.0).replace(b" \xff\xfe", b""))
    baseline = _measure("baseline", baseline_file)
    print(f"{'attack':28} {'size':>10} {'seconds':>8} {'x base':>7} {'MB':>6}  verdict  from / subject kept")
    _print("baseline (normal message)", baseline_file.stat().st_size, baseline, baseline)
    failures = 0
    for attack in attacks:
        path = folder / f"{attack.name}.eml"
        with path.open("wb") as out:
            attack.build(out, args.scale)
        m = _measure(attack.name, path)
        kept = m.get("from") == attack.sender and (m.get("subject") or "").startswith(attack.subject)
        ok = m["ok"] and m["seconds"] < LIMIT_SECONDS and m["peak_mb"] < LIMIT_MB and kept
        failures += not ok
        _print(attack.name, path.stat().st_size, m, baseline, ok, kept)
        if not args.keep:
            path.unlink()
    print(f"\n{len(attacks) - failures} of {len(attacks)} attacks within {LIMIT_SECONDS} s and {LIMIT_MB} MB "
          "with sender and subject kept")
    sys.exit(1 if failures else 0)


def _print(name: str, size: int, m: dict, base: dict, ok: bool | None = None, kept: bool | None = None) -> None:
    ratio = m["seconds"] / base["seconds"] if base["seconds"] else 0
    verdict = "" if ok is None else ("ok" if ok else "FAIL")
    what = m.get("outcome", "")
    print(f"{name:28} {_size(size):>10} {m['seconds']:8.3f} {ratio:7.1f} {m['peak_mb']:6.0f}  {verdict:7}  "
          f"{'kept' if kept else ('' if kept is None else 'LOST')}  {what}")
    for note in m.get("notes", [])[:3]:
        print(f"{'':30}  {note[:110]}")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} KB"


def _measure(name: str, path: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", name, str(path)], capture_output=True, text=True,
                          timeout=600)
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "seconds": time.perf_counter() - started, "peak_mb": 0, "outcome": f"CRASHED: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child(name: str, file: str) -> None:
    import gc
    import logging

    logging.disable(logging.WARNING)
    from mailbot.config import Config
    from mailbot.delivery.intake import Delivery
    from mailbot.pipeline import Pipeline
    from mailbot.records import RawMessage
    from mailbot.sources import read_paths
    from mailbot.store import Store

    scratch = tempfile.mkdtemp(prefix="mailbot-hostile-store-")
    config = Config(mode="draft")
    store = Store(Path(scratch) / "store.sqlite3")
    pipeline = Pipeline.from_config(config, store=store)
    pipeline.deliver = Delivery(config, store)
    warm = (b"From: a@example.com\r\nSubject: warm up\r\nMessage-ID: <warm@x>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000"
            b"\r\n\r\nMy order #10492 arrived cracked, photo attached.\r\n")
    pipeline.process(RawMessage("warm.eml", warm))
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak-RSS mark (VmHWM) to the current size
    rest = _status("VmRSS")
    started = time.perf_counter()
    results = [pipeline.process(raw).result for raw in read_paths([file], max_bytes=config.daemon.max_message_bytes)]
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    result = results[0]
    outcome = f"error: {result['error']}" if result.get("error") else f"{result.get('action')}"
    notes = [line for line in result.get("trace") or [] if line.startswith(("parse:", "extract:", "oversize"))]
    print(json.dumps({"ok": True, "seconds": seconds, "peak_mb": (peak - rest) / 1024, "rest_mb": rest / 1024,
                      "from": result.get("from"), "subject": result.get("subject"), "outcome": outcome[:90],
                      "notes": notes}))
    store.close()


def _status(key: str) -> int:
    """A /proc/self/status figure in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


if __name__ == "__main__":
    main()
