"""Every message of the public parser test corpora goes through triage.

Those corpora are full of broken MIME on purpose: each file must still get
exactly one valid JSON line with every field, and the run must exit 0.
"""

import json

from conftest import shared_corpus
from mailbot.report import FIELDS


def corpus_files():
    root = shared_corpus() / "eml"
    files = [p for p in root.rglob("*") if p.is_file()
             and (p.suffix in (".eml", ".msg") or (p.name.startswith("msg_") and p.suffix == ".txt"))]
    return sorted(files)


def test_every_corpus_message_gets_exactly_one_json_line(mailbot, tmp_path):
    files = corpus_files()
    assert len(files) > 150
    result = mailbot("triage", "--json", "--store", str(tmp_path / "s.sqlite3"), *map(str, files))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == [str(f) for f in files]
    for line in lines:
        assert tuple(line) == FIELDS
        assert line["intent"] is not None, f"{line['source']}: {line['error']}"
        assert line["action"] is not None, f"{line['source']}: {line['error']}"
