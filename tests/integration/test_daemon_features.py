"""The daemon's behaviour beyond the headline bars, against a real Dovecot."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import replace

import pytest

from mailbot.config import load_config
from mailbot.daemon.lock import StoreLock
from mailbot.daemon.runner import Daemon
from mailbot.report import FIELDS

from .dovecot import PASSWORD_ENV, free_port
from .harness import FAILED, SEEN, TRIAGED, Bot, assert_marked, flags, identity, support_mail

pytestmark = pytest.mark.integration

# Dovecot's own list minus MOVE and IDLE: an older or plainer server.
NO_MOVE_NO_IDLE = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE UNSELECT CHILDREN"


def test_a_message_over_the_size_limit_is_handed_to_a_person_without_fetching_its_body(dovecot, tmp_path):
    small = [support_mail(0), support_mail(1)]
    big = support_mail(2, size=200_000)
    dovecot.append([small[0], big, small[1]])
    bot = Bot(tmp_path, dovecot, max_message_bytes=100_000)
    bot.run_once()

    bot.assert_exactly_once([*small, big])
    by_uid = flags(dovecot)
    assert b"$MailbotOversize" in by_uid[2] and TRIAGED in by_uid[2] and SEEN not in by_uid[2]
    result = json.loads(bot.query("SELECT result FROM messages WHERE identity = ?", identity(big))[0][0])
    assert (result["action"], result["rule"]) == ("escalate_human", "oversize-message")
    assert result["subject"] == "do you ship to Canada [2]"  # from the header, for the reviewer
    assert bot.query("SELECT state FROM imap_messages WHERE uid = 2") == [("oversize",)]
    # Dovecot counts the bodies it sent: the two small ones only.
    logout = [l for l in (dovecot.root / "dovecot.log").read_text().splitlines() if "Logged out" in l][-1]
    assert int(re.search(r"body_bytes=(\d+)", logout).group(1)) < 100_000, logout


def test_first_run_new_leaves_the_mail_already_there_and_handles_what_comes_next(dovecot, tmp_path):
    old = [support_mail(n) for n in range(3)]
    dovecot.append(old)
    bot = Bot(tmp_path, dovecot, first_run="new")
    first = bot.run_once()

    assert bot.decided_count() == 0
    assert all(not f & {TRIAGED, FAILED, SEEN} for f in flags(dovecot).values()), flags(dovecot)
    assert "first-run" in first.stderr and "left_alone=3" in first.stderr
    assert bot.query("SELECT last_uid FROM imap_folders") == [(3,)]

    new = [support_mail(n) for n in range(3, 5)]
    dovecot.append(new)
    second = bot.run_once()
    bot.assert_exactly_once(new)
    by_uid = flags(dovecot)
    assert all(TRIAGED in by_uid[uid] for uid in (4, 5)) and not any(TRIAGED in by_uid[uid] for uid in (1, 2, 3))
    assert "first-run" not in second.stderr  # only when the store has never seen the folder


def test_a_message_that_fails_is_quarantined_with_its_error_and_the_run_goes_on(
        dovecot, tmp_path, pipeline_factory, monkeypatch):
    messages = [support_mail(n) for n in range(6)]
    doomed = support_mail(6).replace(b"Subject: ", b"Subject: EXPLODE ", 1)
    dovecot.append(messages[:3] + [doomed] + messages[3:])
    bot = Bot(tmp_path, dovecot, account=dovecot.account(quarantine_folder="Quarantine"))
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    pipeline = pipeline_factory()
    # One stage fails on one message, as a bug in an extractor would.
    pipeline = replace(pipeline, extractor=_ExplodesOn(b"EXPLODE", pipeline.extractor))

    assert Daemon(load_config(bot.config_path), pipeline, bot.store_path).run_once() == 0

    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 6)
    quarantined = flags(dovecot, "Quarantine")
    assert len(quarantined) == 1 and FAILED in next(iter(quarantined.values()))
    assert bot.query("SELECT status, error FROM messages WHERE identity = ?", identity(doomed)) == [
        ("failed", "extract: RuntimeError: the extractor broke on this one")]
    status = bot.run("status")
    assert status.returncode == 0, status.stderr
    assert "quarantined  1" in status.stdout
    assert "UID 4 <test-6@example.com> (moved to Quarantine" in status.stdout
    assert "extract: RuntimeError: the extractor broke on this one" in status.stdout
    assert "triaged 6, failed 1, oversize 0" in status.stdout


class _ExplodesOn:
    def __init__(self, marker: bytes, extractor):
        self.marker, self.extractor = marker.decode(), extractor

    def __call__(self, parsed):
        if self.marker in parsed.subject:
            raise RuntimeError("the extractor broke on this one")
        return self.extractor(parsed)


@pytest.mark.parametrize("capabilities", [None, NO_MOVE_NO_IDLE], ids=["MOVE", "COPY+UID-EXPUNGE"])
def test_messages_move_to_the_folder_their_intent_or_action_maps_to(dovecot_factory, tmp_path, capabilities):
    server = dovecot_factory(capabilities=capabilities)
    messages = [support_mail(n) for n in range(15)]
    server.append(messages)
    routes = {"move_by_intent": {"automated": "Automated"}, "move_by_action": {"answer_question": "Questions"}}
    bot = Bot(tmp_path, server, account=server.account(**routes))
    result = bot.run_once()
    assert ("move=True" in result.stderr) == (capabilities is None)

    bot.assert_exactly_once(messages)
    decided = {identity(m): json.loads(r) for m in messages
               for (r,) in bot.query("SELECT result FROM messages WHERE identity = ?", identity(m))}
    expected = {"Automated": 0, "Questions": 0, "INBOX": 0}
    for r in decided.values():
        folder = routes["move_by_action"].get(r["action"]) or routes["move_by_intent"].get(r["intent"]) or "INBOX"
        expected[folder] += 1
    assert expected["Automated"] >= 3, f"the automated mails were not recognised: {expected}"
    for folder, count in expected.items():
        assert_marked(server, count, folder)  # also: no \\Deleted copy left behind in INBOX
    assert all(b"\\Deleted" not in f for f in flags(server).values())


def test_without_idle_the_daemon_polls_and_a_broken_account_does_not_stop_it(dovecot_factory, tmp_path):
    server = dovecot_factory(capabilities=NO_MOVE_NO_IDLE)
    broken = server.account(name="broken", port=free_port())  # nothing listens there
    bot = Bot(tmp_path, server, poll_interval=1)
    bot.write_config(accounts=[broken, server.account()], poll_interval=1, reconnect_initial_seconds=0.2,
                     reconnect_max_seconds=1)
    daemon = bot.start()
    try:
        bot.wait_for(lambda: "poll account=support" in bot.daemon_log, 60, daemon)
        for n in range(3):
            server.append([support_mail(n)])
            bot.wait_for_decisions(n + 1, timeout=15, process=daemon)
    finally:
        assert bot.stop(daemon) == 0, bot.daemon_log[-2000:]
    assert "account=support folder=INBOX host=127.0.0.1 tls=none idle=False" in bot.daemon_log
    assert "error account=broken" in bot.daemon_log
    bot.assert_exactly_once([support_mail(n) for n in range(3)])
    report = json.loads(bot.run("status", "--json").stdout)
    by_account = {f["account"]: f for f in report["folders"]}
    assert "Connection refused" in by_account["broken"]["last_error"]
    assert by_account["support"]["last_error"] is None and by_account["support"]["last_uid"] == 3


def test_run_once_gives_up_on_a_broken_account_after_its_attempts_but_finishes_the_others(dovecot, tmp_path):
    dovecot.append([support_mail(n) for n in range(5)])
    bot = Bot(tmp_path, dovecot)
    bot.write_config(accounts=[dovecot.account(name="broken", port=free_port()), dovecot.account()],
                     once_max_attempts=2, reconnect_initial_seconds=0.1)
    result = bot.run("run", "--once")
    assert result.returncode == 1
    assert "gave-up account=broken folder=INBOX attempts=2" in result.stderr
    bot.assert_exactly_once([support_mail(n) for n in range(5)])


def test_starttls_is_required_when_configured_and_never_downgraded(dovecot, tmp_path):
    # The test server has no TLS: a STARTTLS account must refuse to log in, not fall back to clear text.
    account = dovecot.account(tls="starttls", allow_plaintext=False)
    bot = Bot(tmp_path, dovecot, account=account, once_max_attempts=1)
    dovecot.append([support_mail(0)])
    logins = (dovecot.root / "dovecot.log").read_text().count("Login:")  # the append's own
    result = bot.run("run", "--once")
    assert result.returncode == 1
    assert "does not offer STARTTLS; refusing to log in without TLS" in result.stderr
    assert (dovecot.root / "dovecot.log").read_text().count("Login:") == logins
    assert bot.decisions() == {}


@pytest.mark.parametrize("how", ["--dry-run", 'mode = "dry-run"'])
def test_dry_run_prints_decisions_and_changes_neither_mailbox_nor_store(dovecot, tmp_path, how):
    messages = [support_mail(n) for n in range(5)]
    dovecot.append(messages)
    bot = Bot(tmp_path, dovecot)
    config = bot.config_path.read_text()
    if how.startswith("mode"):
        bot.config_path.write_text(how + "\n" + config)
    result = bot.run("run", "--once", *([how] if how.startswith("--") else []))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [tuple(line) for line in lines] == [FIELDS] * 5
    assert [line["message_id"] for line in lines] == [f"<test-{n}@example.com>" for n in range(5)]
    assert all(not any(k.startswith(b"$Mailbot") for k in f) for f in flags(dovecot).values())
    assert not bot.store_path.exists()

    bot.config_path.write_text(config)
    bot.run_once()  # the real run then decides each once
    bot.assert_exactly_once(messages)


def test_sigterm_in_the_middle_of_a_batch_marks_and_commits_what_was_decided_and_logs_out(dovecot, tmp_path):
    messages = [support_mail(n) for n in range(400)]
    dovecot.append(messages)
    bot = Bot(tmp_path, dovecot, batch_size=100)
    process = bot.start("--once")
    bot.wait_for_decisions(50, timeout=120, process=process)
    asked = time.monotonic()
    assert bot.stop(process) == 0, bot.daemon_log[-2000:]
    assert time.monotonic() - asked < 5

    decided = bot.decided_count()
    assert decided < 400, "the run had finished before the signal: nothing was tested"
    marked = sum(TRIAGED in f for f in flags(dovecot).values())
    assert marked == decided, "decided but not marked at exit: the stop did not finish the batch in hand"
    assert bot.query("SELECT last_uid FROM imap_folders") == [(decided,)]
    assert "Logged out" in (dovecot.root / "dovecot.log").read_text()

    bot.run_once()
    bot.assert_exactly_once(messages)
    assert_marked(dovecot, 400)


def test_a_second_run_on_the_same_store_is_refused(dovecot, tmp_path):
    bot = Bot(tmp_path, dovecot)
    with StoreLock(bot.store_path):
        result = bot.run("run", "--once")
    assert result.returncode == 1
    assert "another `mailbot run` is using the store" in result.stderr


def test_status_before_any_run_says_so(dovecot, tmp_path):
    bot = Bot(tmp_path, dovecot)
    result = bot.run("status")
    assert result.returncode == 1 and "has not run" in result.stderr


def test_a_message_the_server_cannot_send_is_quarantined_and_the_folder_goes_on(dovecot, tmp_path):
    # Dovecot answers a FETCH of a Maildir file it cannot read with BYE: every batch
    # holding it fails. The daemon must find that message and get past it.
    messages = [support_mail(n) for n in range(10)]
    dovecot.append(messages)
    poisoned = sorted((dovecot.root / "mail" / "support" / "new").iterdir())[3]  # UID 4
    os.chown(poisoned, 0, 0)  # root's, unreadable: the mail processes run as `dovecot`
    poisoned.chmod(0)
    bot = Bot(tmp_path, dovecot, account=dovecot.account(quarantine_folder="Quarantine"), batch_size=5,
              reconnect_initial_seconds=0.05, reconnect_max_seconds=0.2)
    result = bot.run_once()

    readable = messages[:3] + messages[4:]
    bot.assert_exactly_once(readable)
    assert bot.query("SELECT uid, state FROM imap_messages WHERE state = 'failed'") == [(4, "failed")]
    assert bot.query("SELECT last_uid, suspect_uid FROM imap_folders") == [(10, None)]
    assert "the server failed 2 times to send this message" in bot.run("status").stdout
    assert FAILED in flags(dovecot)[4]  # its move to Quarantine fails too (the server cannot copy it): kept, flagged
    assert sum(TRIAGED in f for folder in ("INBOX", "Quarantine") for f in flags(dovecot, folder).values()) == 9
    assert "error account=support" in result.stderr  # it did fail on the way, and went on


def test_a_bug_outside_the_stages_quarantines_only_that_message(dovecot, tmp_path, pipeline_factory, monkeypatch):
    # A result the store cannot write (here: a reply body that is not text) escapes the pipeline's
    # stage guard; the daemon must quarantine that one message, not stop the folder on it.
    messages = [support_mail(n) for n in range(4)]
    doomed = support_mail(5).replace(b"Subject: ", b"Subject: EXPLODE ", 1)  # one with a reply
    dovecot.append(messages[:2] + [doomed] + messages[2:])
    bot = Bot(tmp_path, dovecot)
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    pipeline = pipeline_factory()
    pipeline = replace(pipeline, renderer=_UnwritableReplyOn("EXPLODE", pipeline.renderer))

    assert Daemon(load_config(bot.config_path), pipeline, bot.store_path).run_once() == 0

    bot.assert_exactly_once(messages)
    by_uid = flags(dovecot)
    assert FAILED in by_uid[3] and TRIAGED not in by_uid[3]
    ((error,),) = bot.query("SELECT error FROM imap_messages WHERE uid = 3")
    assert error.startswith("daemon: TypeError") and "JSON serializable" in error


class _UnwritableReplyOn:
    def __init__(self, marker: str, renderer):
        self.marker, self.renderer = marker, renderer

    def __getattr__(self, name):
        return getattr(self.renderer, name)

    def __call__(self, parsed, *args):
        reply = self.renderer(parsed, *args)
        if self.marker in parsed.subject and reply is not None:
            return replace(reply, body=object())
        return reply
