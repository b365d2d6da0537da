"""The daemon's bars from its issue, against a real Dovecot.

Each test counts decisions from the store's own audit trail and reads the
flags back from the server; none trusts the daemon's logs for a result.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from .harness import REPO, Bot, assert_marked, flags, support_mail

pytestmark = pytest.mark.integration


def test_run_once_decides_200_messages_exactly_once_and_marks_none_read(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(200)]
    dovecot.append(messages)
    bot = Bot(tmp_path, dovecot, batch_size=50)

    started = time.monotonic()
    first = bot.run_once()
    took = time.monotonic() - started

    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 200)
    assert "caught_up=True" in first.stderr
    print(f"\n200 messages: mailbot run --once took {took:.1f}s")

    again = bot.run_once()  # nothing new: nothing decided, nothing fetched
    bot.assert_exactly_once(messages)
    assert "new=0" in again.stderr and "message " not in again.stderr


def test_with_idle_a_new_message_is_decided_within_5_seconds(dovecot, tmp_path):
    # A poll interval of a minute: only IDLE can make it in time.
    bot = Bot(tmp_path, dovecot, poll_interval=60, idle=True)
    daemon = bot.start()
    try:
        bot.wait_for(lambda: "idle=True" in bot.daemon_log and "poll " in bot.daemon_log, 60, daemon)
        time.sleep(0.5)  # into IDLE
        latencies = []
        for n in range(3):
            message = support_mail(n)
            appended = time.monotonic()
            dovecot.append([message])
            bot.wait_for_decisions(n + 1, timeout=10, process=daemon)
            latencies.append(time.monotonic() - appended)
        bot.wait_for(lambda: all(b"$MailbotTriaged" in f for f in flags(dovecot).values()), 5, daemon)
        assert max(latencies) < 5, latencies
        print(f"\nIDLE: decided {[round(l, 2) for l in latencies]} s after APPEND")
    finally:
        assert bot.stop(daemon) == 0, bot.daemon_log[-2000:]
    assert "stopped" in bot.daemon_log
    assert "Logged out" in (dovecot.root / "dovecot.log").read_text()  # a clean LOGOUT, not a dropped socket


def test_dovecot_restart_in_the_middle_of_a_batch_loses_and_repeats_nothing(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(1000)]
    dovecot.append(messages)
    bot = Bot(tmp_path, dovecot, batch_size=100, poll_interval=30)
    daemon = bot.start()
    try:
        bot.wait_for_decisions(100, timeout=120, process=daemon)
        dovecot.stop()
        decided_while_down = bot.decided_count()
        time.sleep(1.5)  # the daemon fails to reconnect a few times meanwhile
        dovecot.start()
        bot.wait_for_decisions(1000, timeout=120, process=daemon)
        bot.wait_for(lambda: sum(b"$MailbotTriaged" in f for f in flags(dovecot).values()) == 1000, 30, daemon)
    finally:
        assert bot.stop(daemon) == 0, bot.daemon_log[-2000:]
    assert decided_while_down < 1000, "the server went down after the work was done: nothing was tested"
    assert "error account=support" in bot.daemon_log
    assert bot.daemon_log.count("connected account=support") >= 2  # it did reconnect
    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 1000)


def test_a_recreated_folder_with_a_new_uidvalidity_is_not_decided_again(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(40)]
    dovecot.append(messages[:30], folder="Support")
    bot = Bot(tmp_path, dovecot, account=dovecot.account(folders=["Support"]))
    bot.run_once()
    old_validity = bot.query("SELECT uidvalidity FROM imap_folders")[0][0]

    with dovecot.client() as imap:
        imap.delete_folder("Support")
    dovecot.append(messages, folder="Support")  # the same 30 again, and 10 new ones
    result = bot.run_once()

    new_validity = bot.query("SELECT uidvalidity FROM imap_folders")[0][0]
    assert new_validity != old_validity, "Dovecot kept the UIDVALIDITY: the test did not test a change"
    assert "uidvalidity-changed" in result.stderr
    assert result.stderr.count("decision=stored") == 30 and result.stderr.count("decision=new") == 10
    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 40, folder="Support")


def test_sigkill_at_random_points_of_a_500_message_batch_decides_each_exactly_once(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(500)]
    dovecot.append(messages)
    bot = Bot(tmp_path, dovecot, batch_size=50)
    rng = random.Random(20261126)
    targets = sorted(rng.sample(range(20, 480), 10))
    logs = []
    for target in targets:
        before = bot.decided_count()
        process = bot.start("--once")
        # Kill after this run has decided something (and reached its random target), a little later still.
        bot.wait_for_decisions(max(target, before + 1), timeout=120, process=process)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
        logs.append(bot.decided_count())
    assert logs[-1] < 500, f"the kills came after the work was done: {logs}"
    final = bot.run_once()
    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 500)
    # The kills left decided-but-unmarked messages: the restarts marked them without deciding again.
    assert "decision=stored" in bot.daemon_log + final.stderr
    print(f"\nSIGKILL after {logs} decisions; final run handled the rest")


def test_the_backlog_benchmark_runs_and_checks_its_own_work():
    # The figures come from a full run of bench/backlog.py; this keeps the script working.
    result = subprocess.run([sys.executable, str(REPO / "bench" / "backlog.py"), "--messages", "60", "--no-report"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    for figure in ("plain fetch", "mailbot run --once", "ratio", "decided exactly once: 60 of 60"):
        assert figure in result.stdout, result.stdout

