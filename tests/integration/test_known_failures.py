"""A known failure ends a command with one line naming the cause and a non-zero exit, never a traceback.

Against a real Dovecot (a wrong password, a port nobody listens on) and a real
aiosmtpd-less port for SMTP; plus the daemon's JSON log lines.
"""

from __future__ import annotations

import json
import socket

import pytest

from .dovecot import PASSWORD_ENV, free_port
from .harness import Bot, support_mail

pytestmark = pytest.mark.integration


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def assert_one_line_failure(result, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    line = last_line(result.stderr)
    assert line.startswith("mailbot: "), line
    for word in words:
        assert word in line, line


def test_a_wrong_password_and_an_unreachable_server_are_one_line_each(dovecot, tmp_path, monkeypatch):
    bot = Bot(tmp_path, dovecot, once_max_attempts=1)
    monkeypatch.setattr(dovecot, "password", "not-the-password")  # the env the bot passes
    assert_one_line_failure(bot.run("run", "--once"), 1, "gave up on support/INBOX", "login refused",
                            "AUTHENTICATIONFAILED")

    bot.write_config(account=dovecot.account(port=free_port()), once_max_attempts=1)
    assert_one_line_failure(bot.run("run", "--once"), 1, "cannot reach the server", "Connection refused")


def test_send_approved_says_why_it_could_not_send_and_exits_non_zero(dovecot, tmp_path):
    dovecot.append([support_mail(1)])  # "where is my order": drafted
    bot = Bot(tmp_path, dovecot)
    closed_port = free_port()
    config = bot.config_path.read_text() + (
        '[delivery]\nimap_account = "support"\n'
        f'[delivery.smtp]\nhost = "127.0.0.1"\nport = {closed_port}\ntls = "none"\nallow_plaintext = true\n')
    bot.config_path.write_text(config)
    bot.run_once()
    [(draft_id,)] = bot.query("SELECT id FROM delivery_drafts WHERE status = 'pending'")
    assert bot.run("review", "approve", str(draft_id)).returncode == 0

    result = bot.run("send-approved")
    assert_one_line_failure(result, 1, "could not send: SMTP server", f"port {closed_port}", "Errno 111")
    assert bot.query("SELECT state FROM delivery_outbox") == [("queued",)]  # waits for the next pass


def test_a_metrics_port_in_use_stops_start_up_naming_the_key(dovecot, tmp_path):
    bot = Bot(tmp_path, dovecot)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot.config_path.write_text(bot.config_path.read_text() + f"[metrics]\nport = {port}\n")
        result = bot.run("run", timeout=120)
    assert_one_line_failure(result, 2, "metrics.port", str(port))


def test_log_format_json_makes_every_daemon_line_one_json_object(dovecot, tmp_path):
    dovecot.append([support_mail(n) for n in range(3)])
    bot = Bot(tmp_path, dovecot, log_format="json")
    result = bot.run_once()
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("mailbot: config ")  # said before the config (and its log format) is read
    entries = [json.loads(line) for line in lines[1:]]  # each parses, or this fails
    messages = [e for e in entries if e.get("event") == "message"]
    assert len(messages) == 3
    assert all(e["account"] == "support" and e["intent"] and isinstance(e["uid"], int) for e in messages)
    assert any(e.get("event") == "poll" and e["new"] == 3 for e in entries)
