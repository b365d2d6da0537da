"""`mailbot user add/list/remove` and `mailbot web`'s start-up errors, as an operator runs them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import without_config_line
from delivery.conftest import write_config

MAILBOT = str(Path(sys.executable).parent / "mailbot")


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([MAILBOT, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_add_list_remove_users_with_the_password_from_standard_input(tmp_path):
    config = str(write_config(tmp_path))
    added = run("user", "add", "alice", "--config", config, stdin="a long password\n")
    assert added.returncode == 0 and added.stdout.strip() == "user alice added", added.stderr
    [(name, stored)] = sqlite3.connect(tmp_path / "store.sqlite3").execute("SELECT name, hash FROM web_users").fetchall()
    assert name == "alice" and stored.startswith("$argon2id$") and "a long password" not in stored
    again = run("user", "add", "alice", "--config", config, stdin="another password\n")
    assert again.returncode == 1 and without_config_line(again.stderr).strip() == "mailbot: user alice exists already"
    short = run("user", "add", "bob", "--config", config, stdin="short\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    odd = run("user", "add", "<bob>", "--config", config, stdin="a long password\n")
    assert odd.returncode == 1 and "not a user name" in odd.stderr
    assert "alice" in run("user", "list", "--config", config).stdout
    assert run("user", "remove", "alice", "--config", config).returncode == 0
    gone = run("user", "remove", "alice", "--config", config)
    assert gone.returncode == 1 and without_config_line(gone.stderr).strip() == "mailbot: no user alice"
    assert "no users" in run("user", "list", "--config", config).stdout


def test_web_stops_on_a_broken_config_naming_the_file_and_key(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[web]\nport = 0\n")
    result = run("web", "--config", str(config))
    assert result.returncode == 2
    assert str(config) in result.stderr and "web.port" in result.stderr
    assert "Traceback" not in result.stderr and len(without_config_line(result.stderr).strip().splitlines()) == 1
