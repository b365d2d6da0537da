"""Running as a service: the systemd unit in contrib/, and `mailbot store backup`."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import REPO, run_mailbot
from mailbot.backup import BackupError, backup_store
from mailbot.store import Store

UNIT = REPO / "contrib" / "mailbot.service"


def unit_settings() -> dict[str, dict[str, list[str]]]:
    """Section -> key -> every value (systemd allows a key more than once, as Environment=)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in UNIT.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, value = line.split("=", 1)
        current.setdefault(key, []).append(value)
    return sections


def test_systemd_analyze_verify_passes_on_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing: apt-get install systemd (scripts/test.sh does)", pytrace=False)
    # `verify` also checks that ExecStart's program exists.  The unit names where docs/deploy.md installs
    # mailbot (/opt/mailbot/.venv), which this machine does not have; so a copy of the unit, identical but
    # for ExecStart pointing at the mailbot installed beside this Python, is what is verified.
    installed = Path(sys.executable).parent / "mailbot"
    text = UNIT.read_text()
    assert "ExecStart=/opt/mailbot/.venv/bin/mailbot run\n" in text
    copy = tmp_path / "mailbot.service"
    copy.write_text(text.replace("ExecStart=/opt/mailbot/.venv/bin/mailbot run", f"ExecStart={installed} run"))
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # verify only warns about unknown keys and bad values: any line about the unit is a mistake in it.
    assert str(copy) not in result.stderr and "mailbot.service" not in result.stderr, result.stderr


def test_the_unit_runs_mailbot_as_the_issue_and_docs_say():
    service = {key: values[-1] for key, values in unit_settings()["Service"].items()}
    assert service["User"] == "mailbot" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/mailbot" and service["StateDirectory"] == "mailbot"
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert service["RestartPreventExitStatus"] == "2"  # a config error: restarting cannot fix it
    assert service["EnvironmentFile"] == "/etc/mailbot/mailbot.env"
    assert "MAILBOT_CONFIG=/etc/mailbot/config.toml" in unit_settings()["Service"]["Environment"]
    deploy = (REPO / "docs" / "deploy.md").read_text()
    for needed in ("useradd", "/etc/mailbot/config.toml", "chmod 600 /etc/mailbot/mailbot.env", "journalctl -u mailbot",
                   "mailbot store backup", "sqlite3", ".backup", "mailbot_seconds_since_last_poll",
                   "mailbot_quarantine_size", 'mailbot_outbox{state="failed"}'):
        assert needed in deploy, needed


def filled_store(path: Path, n: int) -> None:
    store = Store(path)
    for i in range(n):
        store.record(f"id-{i}", {"message_id": f"<{i}@x>", "source": "t", "intent": "other", "action": "no_reply"})
    store.close()


def test_a_backup_taken_while_the_daemon_writes_is_a_consistent_private_copy(tmp_path):
    source = tmp_path / "mailbot.sqlite3"
    filled_store(source, 500)
    writer = Store(source, any_thread=True)
    written_before = 500
    stop = threading.Event()

    def keep_writing():
        i = 10_000
        while not stop.is_set():
            writer.record(f"live-{i}", {"message_id": None, "source": "t", "intent": "other", "action": "no_reply"})
            i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        (tmp_path / "backups").mkdir()
        result = run_mailbot("store", "backup", str(tmp_path / "backups"), "--store", str(source))
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert result.returncode == 0, result.stderr
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.name.startswith("mailbot-") and copy.suffix == ".sqlite3"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    db = sqlite3.connect(copy)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    messages, audits = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0], \
        db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    db.close()
    assert messages > written_before and messages == audits  # taken while writing; each record's two rows together


def test_a_backup_never_overwrites_and_fails_in_one_line(tmp_path):
    source = tmp_path / "mailbot.sqlite3"
    filled_store(source, 3)
    target = tmp_path / "copy.sqlite3"
    target.write_text("something precious")
    result = run_mailbot("store", "backup", str(target), "--store", str(source))
    assert result.returncode == 1 and "exists" in result.stderr.splitlines()[-1]
    assert target.read_text() == "something precious"
    with pytest.raises(BackupError, match="no store"):
        backup_store(tmp_path / "missing.sqlite3", tmp_path / "x.sqlite3")
    assert not list(tmp_path.glob(".*partial"))
