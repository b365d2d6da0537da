"""Every command finds its config without --config, and says on stderr which file it uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailbot.configfile import ENV, find_config
from mailbot.errors import ConfigError

from conftest import run_mailbot


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A clean user: own HOME, no $MAILBOT_CONFIG, no $XDG_CONFIG_HOME, working in an empty folder."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(work)
    return home, work


def config_file(path: Path, store: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[store]\npath = "{store}"\n')
    return path


def test_the_order_is_option_then_variable_then_working_folder_then_user_then_system(home, tmp_path, monkeypatch):
    user_home, work = home
    user = config_file(user_home / ".config" / "mailbot" / "config.toml", tmp_path / "u.sqlite3")
    assert find_config(None).path == user  # only the user's file exists
    local = config_file(work / "mailbot.toml", tmp_path / "l.sqlite3")
    assert find_config(None).path == Path("mailbot.toml")
    named = config_file(tmp_path / "named.toml", tmp_path / "n.sqlite3")
    monkeypatch.setenv(ENV, str(named))
    assert (find_config(None).path, find_config(None).how) == (named, ENV)
    explicit = config_file(tmp_path / "explicit.toml", tmp_path / "e.sqlite3")
    assert (find_config(str(explicit)).path, find_config(str(explicit)).how) == (explicit, "--config")
    assert local.exists()


def test_a_variable_naming_a_missing_file_is_an_error_not_the_defaults(home, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere.toml"))
    with pytest.raises(ConfigError, match="MAILBOT_CONFIG"):
        find_config(None)
    result = run_mailbot("review", "list")
    assert result.returncode == 2
    assert "nowhere.toml" in result.stderr and "Traceback" not in result.stderr


def test_each_command_says_which_file_it_uses(home, tmp_path):
    user_home, work = home
    store = tmp_path / "store.sqlite3"
    user = config_file(user_home / ".config" / "mailbot" / "config.toml", store)
    for args in (["review", "list"], ["send-approved"], ["status"], ["store", "backup", str(tmp_path / "b.sqlite3")]):
        result = run_mailbot(*args)
        first = result.stderr.splitlines()[0]
        assert first == f"mailbot: config {user} (found)", (args, result.stderr)
    # status and backup ran on that file's store: the same path every command used.
    assert store.exists()


def test_without_any_file_a_command_says_it_runs_on_defaults(home):
    result = run_mailbot("review", "list")
    assert result.returncode == 0, result.stderr
    assert "running on defaults" in result.stderr.splitlines()[0]
    assert "/etc/mailbot/config.toml" in result.stderr  # where it looked, so the operator knows where to put one


def test_check_config_finds_the_file_too(home):
    _, work = home
    (work / "mailbot.toml").write_text('mode = "sned"\n')  # found, and its error reported with its name
    result = run_mailbot("check-config")
    assert result.returncode == 2
    assert "mailbot: config mailbot.toml (found)" in result.stderr
    assert "mailbot.toml: mode" in result.stderr
