"""Issue 14, bar 4: nothing from a message reaches a terminal as a control character.

The commands run as a person runs them, under a pseudo-terminal (the pty
module), on a message whose subject, display name and body carry a screen
clear, an OSC title sequence ending in BEL, a C1 CSI (U+009B) and a bidi
override (U+202E).  What the terminal receives must hold none of them, and
must still show them, escaped, so a reviewer sees something was there.
"""

from __future__ import annotations

import base64
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from mailbot.config import load_config
from mailbot.delivery.intake import Delivery
from mailbot.records import RawMessage
from mailbot.store import Store
from mailbot.terminal import inert

MAILBOT = str(Path(sys.executable).parent / "mailbot")
HOSTILE = "\x1b[2J\x1b]0;owned\x07\u009b31m\u202egpj.exe"
# What a terminal obeys: C0 controls other than the newline (and the CR a pty adds to it), DEL, C1, bidi controls.
OBEYED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def encoded_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def hostile_mail() -> bytes:
    body = f"Hi,\nwhere is my order 10517? {HOSTILE}\nThanks\n"
    return (
        f"From: {encoded_word('Ana ' + HOSTILE)} <ana@example.com>\r\n"
        "To: support@keysme.com\r\n"
        f"Subject: {encoded_word('where is my order ' + HOSTILE)}\r\n"
        "Date: Tue, 03 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <hostile-1@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + body.replace("\n", "\r\n").encode()


def under_pty(*args: str, timeout: float = 120) -> tuple[int, str]:
    """Run `mailbot ARGS` with a pseudo-terminal as its stdout and stderr; (exit status, what it wrote)."""
    master, slave = pty.openpty()
    process = subprocess.Popen([MAILBOT, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                               env={**os.environ, "COLUMNS": "200", "TERM": "xterm"})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    status = process.wait(timeout=timeout)
    return status, b"".join(chunks).decode("utf-8", "replace")


def assert_inert(output: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in OBEYED.findall(output.replace("\r\n", "\n"))})
    assert not found, f"control characters reached the terminal: {found}"
    # Shown, not hidden: as \x1b in text, as \u001b in JSON.
    assert re.search(r"\\(x1b|u001b)\[2J", output) and "\\u202e" in output and "\\u009b" in output


@pytest.fixture
def hostile_store(tmp_path, pipeline_factory):
    """A config and store holding a draft for the hostile message."""
    config_path = tmp_path / "mailbot.toml"
    config_path.write_text(tomli_w.dumps({"mode": "draft", "store": {"path": str(tmp_path / "store.sqlite3")}}))
    config = load_config(config_path)
    store = Store(config.store_path())
    pipeline = pipeline_factory(config, store=store)
    pipeline.deliver = Delivery(config, store)
    result = pipeline.triage(RawMessage("hostile.eml", hostile_mail()))
    assert result["error"] is None and HOSTILE in result["subject"]
    store.close()
    return config_path


def test_review_show_and_list_under_a_terminal_show_the_controls_inert(hostile_store):
    status, output = under_pty("review", "show", "1", "--config", str(hostile_store))
    assert status == 0, output
    assert "where is my order" in output
    assert_inert(output)
    status, listed = under_pty("review", "list", "--config", str(hostile_store))
    assert status == 0, listed
    assert not OBEYED.findall(listed.replace("\r\n", "\n"))


def test_triage_table_and_json_under_a_terminal_show_the_controls_inert(tmp_path):
    message = tmp_path / "hostile.eml"
    message.write_bytes(hostile_mail())
    store = str(tmp_path / "triage.sqlite3")
    status, table = under_pty("triage", "--store", store, str(message))
    assert status == 0, table
    assert "where is my order" in table
    assert not OBEYED.findall(table.replace("\r\n", "\n"))
    assert "\\x1b" in table  # the subject column shows that something was there

    status, lines = under_pty("triage", "--json", "--store", store, str(message))
    assert status == 0, lines
    assert_inert(lines)
    [line] = [json.loads(text) for text in lines.replace("\r\n", "\n").splitlines() if text.startswith("{")]
    assert HOSTILE in line["subject"]  # still exactly the message's subject, for a program reading JSON


def test_piped_output_is_inert_too(tmp_path):
    message = tmp_path / "hostile.eml"
    message.write_bytes(hostile_mail())
    piped = subprocess.run([MAILBOT, "explain", str(message)], capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert_inert(piped.stdout)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0d", "\x1b", "\x7f", "\x85", "\x9b", "\u061c",
                                  "\u200f", "\u2028", "\u202a", "\u202e", "\u2066", "\u2069"])
def test_every_control_is_escaped_visibly(char):
    shown = inert(f"a{char}b")
    assert char not in shown and shown.startswith("a\\") and shown.endswith("b")


def test_text_and_json_keep_their_meaning():
    text = "Grüße, Ελένη, 日本語, مرحبا, emoji 👩‍👩‍👧\ttab\nnext line"
    assert inert(text) == text  # letters of every script, ZWJ in emoji, tab and newline are not controls
    value = {"subject": HOSTILE, "name": "x\\\u009by"}
    line = inert(json.dumps(value, ensure_ascii=False))
    assert json.loads(line) == value and not OBEYED.search(line)
