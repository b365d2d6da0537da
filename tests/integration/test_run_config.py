"""`mailbot run` refuses a bad account config at start-up, naming the file and the key (exit 2)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ACCOUNT = """
[[accounts]]
name = "support"
host = "{host}"
username = "support@keysme.com"
password_env = "MAILBOT_TEST_PASSWORD"
"""


def run(tmp_path: Path, config: str, env: dict | None = None) -> subprocess.CompletedProcess:
    path = tmp_path / "mailbot.toml"
    path.write_text(config)
    command = [str(Path(sys.executable).parent / "mailbot"), "run", "--once", "--config", str(path),
               "--store", str(tmp_path / "s.sqlite3")]
    return subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MAILBOT_TEST_PASSWORD": "x", **(env or {})})


@pytest.mark.parametrize("extra, key, problem", [
    ('tls = "none"\nallow_plaintext = true', "accounts.0.tls", "only to a loopback host"),
    ('tls = "none"', "accounts.0.tls", "needs allow_plaintext = true"),
    ('tls = "ssl"', "accounts.0.tls", "Input should be"),
    ('folders = ["INBOX", "INBOX"]', "accounts.0.folders", "distinct"),
    ('move_by_intent = { shipping = "Shipping" }', "accounts.0.move_by_intent.shipping", "unknown intent"),
    ('move_by_action = { refund = "Refunds" }', "accounts.0.move_by_action.refund", "unknown action"),
    ('quarantine_folder = "INBOX"', "accounts.0.quarantine_folder", "watched folders"),
    ('foldrs = ["INBOX"]', "accounts.0.foldrs", "unknown key"),
])
def test_a_bad_account_setting_is_a_config_error_naming_the_key(tmp_path, extra, key, problem):
    result = run(tmp_path, ACCOUNT.format(host="imap.example.com") + extra + "\n")
    assert result.returncode == 2, result.stderr
    assert str(tmp_path / "mailbot.toml") in result.stderr and key in result.stderr and problem in result.stderr


def test_a_missing_password_variable_is_a_config_error(tmp_path):
    result = run(tmp_path, ACCOUNT.format(host="127.0.0.1"), env={"MAILBOT_TEST_PASSWORD": ""})
    assert result.returncode == 2
    assert "accounts.0.password_env: environment variable MAILBOT_TEST_PASSWORD is not set" in result.stderr


def test_no_accounts_is_a_config_error(tmp_path):
    result = run(tmp_path, "[daemon]\npoll_interval = 5\n")
    assert result.returncode == 2 and "accounts: no [[accounts]] to watch" in result.stderr


def test_a_misspelt_daemon_setting_is_a_config_error(tmp_path):
    result = run(tmp_path, "[daemon]\npoll_intervall = 5\n" + ACCOUNT.format(host="127.0.0.1"))
    assert result.returncode == 2 and "daemon.poll_intervall: unknown key" in result.stderr


def test_run_and_status_are_listed_in_help():
    out = subprocess.run([str(Path(sys.executable).parent / "mailbot"), "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert re.search(r"^\s+run\s+\S", out, re.M) and re.search(r"^\s+status\s+\S", out, re.M)


def test_the_commented_account_in_the_example_config_is_valid():
    # config.example.toml shows an account commented out (there is none by default): keep it loadable.
    from mailbot.config import Config

    repo = Path(__file__).resolve().parents[2]
    lines = (repo / "config.example.toml").read_text().splitlines()
    start = lines.index("# [[accounts]]")
    block = []
    for line in lines[start:]:
        if not line.startswith("# "):
            break
        block.append(line[2:])
    account = tomllib.loads("\n".join(block))["accounts"][0]
    assert Config(accounts=[account]).accounts[0].password_env == "MAILBOT_IMAP_PASSWORD"
