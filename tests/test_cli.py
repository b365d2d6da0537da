"""The `mailbot` command as a user runs it."""

import csv
import json

from conftest import EXAMPLES
from mailbot.report import FIELDS

COMMANDS = ("triage", "demo", "check-config", "explain", "model", "run", "status", "review", "send-approved",
            "web", "user")


def test_help_lists_every_command_with_a_description(mailbot):
    out = mailbot("--help", check=True).stdout
    for command in COMMANDS:
        line = next((l for l in out.splitlines() if l.strip().startswith(command + " ")), None)
        assert line is not None, f"{command} missing from --help"
        assert len(line.split(None, 1)[1]) > 10, f"{command} has no description"
        assert "..." not in line, f"{command}'s description is cut off: {line!r}"


def test_triage_json_prints_one_line_per_sample_message_with_every_field(mailbot, tmp_path):
    inbox = EXAMPLES / "inbox"
    expected = sorted(p.name for p in (inbox / "cur").iterdir() if not p.name.startswith("."))
    result = mailbot("triage", "--json", "--store", str(tmp_path / "s.sqlite3"),
                     "--orders", str(EXAMPLES / "orders.csv"), str(inbox), check=True)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [l["source"].rsplit("/", 1)[-1] for l in lines] == expected  # input order
    for line in lines:
        assert tuple(line) == FIELDS
        assert line["error"] is None, line["error"]
    # Each reply in the language the sample's expected.csv states (whether to reply is the decision's test).
    with (EXAMPLES / "expected.csv").open(newline="", encoding="utf-8") as f:
        reply_language = {row["file"]: row["reply_language"] for row in csv.DictReader(f)}
    replied = [(l["source"].rsplit("/", 1)[-1], l["reply"]["language"]) for l in lines if l["reply"]]
    wrong = [(name, got) for name, got in replied if reply_language[name] and got != reply_language[name]]
    assert replied and not wrong, wrong
    assert {got for _, got in replied} >= {"en", "de", "fr", "es", "it", "nl"}


def test_triage_table_shows_a_row_per_message(mailbot, tmp_path):
    result = mailbot("triage", "--store", str(tmp_path / "s.sqlite3"), str(EXAMPLES / "inbox"), check=True)
    rows = result.stdout.strip().splitlines()
    count = len(list((EXAMPLES / "inbox" / "cur").iterdir()))
    assert rows[0].split()[:3] == ["from", "subject", "intent"]
    assert len(rows) == count + 1


def test_triage_of_a_missing_path_is_a_usage_error(mailbot, tmp_path):
    result = mailbot("triage", "--store", str(tmp_path / "s.sqlite3"), str(tmp_path / "nope.eml"))
    assert result.returncode == 2
    assert "nope.eml" in result.stderr


def test_demo_prints_a_row_per_sample_message_and_where_drafts_go(mailbot):
    out = mailbot("demo", check=True).stdout
    count = len(list((EXAMPLES / "inbox" / "cur").iterdir()))
    table, _, destinations = out.partition("Where each reply would go")
    rows = [l for l in table.splitlines()[3:] if l.strip()]
    assert len(rows) == count
    numbered = [l for l in destinations.splitlines() if l.strip()[:1].isdigit()]
    assert len(numbered) == count
    assert any("draft to" in l for l in numbered)
    assert any(l.strip().endswith("no reply") for l in numbered)  # the automated ones


def test_explain_shows_the_trace_and_the_reply(mailbot):
    message = sorted((EXAMPLES / "inbox" / "cur").iterdir())[0]
    out = mailbot("explain", "--orders", str(EXAMPLES / "orders.csv"), str(message), check=True).stdout
    assert "trace:" in out and "=> " in out and "decides" in out
