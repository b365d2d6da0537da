"""Bar 1: `mailbot run` logs in to a real Dovecot with OAuth2 tokens that live 5 seconds.

Dovecot (oauth2 passdb) checks every token at the loopback token server's
introspection URL; the token server counts each check, so "never failed a
login" is the server's own record, not the bot's log.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import tomli_w

from integration.harness import Bot, flags, support_mail
from integration.dovecot import PASSWORD_ENV
from mailbot.auth.tokenfile import TokenFile

from .tokenserver import CLIENT_ID

REPO = Path(__file__).resolve().parents[2]
SAMPLE = [path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
          for path in sorted((REPO / "examples" / "inbox" / "cur").iterdir())]


def oauth2_bot(tmp_path, server, token_server, *, accounts=None, delivery=None, **daemon) -> Bot:
    bot = Bot(tmp_path, server)
    account = server.oauth2_account(token_url=f"{token_server.url}/token")
    config = {"store": {"path": str(bot.store_path)},
              "daemon": {"poll_interval": 1, "reconnect_initial_seconds": 0.2, "reconnect_max_seconds": 1,
                         **daemon},
              "accounts": [account, *(accounts or [])]}
    if delivery:
        config["delivery"] = delivery
    bot.config_path.write_text(tomli_w.dumps(config))
    return bot


def log_in_once(bot: Bot, token_server) -> str:
    """`mailbot auth login support --paste`, as the operator would; the refresh token it was given."""
    refresh = token_server.add_refresh_token("support@keysme.test")
    result = subprocess.run(bot.command("auth", "login", "support", "--paste"), input=refresh + "\n", env=bot.env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert refresh not in result.stdout + result.stderr
    return refresh


def status(bot: Bot) -> str:
    result = bot.run("status")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_run_decides_the_sample_inbox_and_keeps_logging_in_across_token_lifetimes(oauth2_dovecot, token_server,
                                                                                    tmp_path):
    server = oauth2_dovecot
    server.append(SAMPLE)
    server.append([support_mail(3000)], folder="Other")
    # A second account logs in with its password to another folder of the same mailbox: it must go on
    # while the first one's refresh token is revoked.
    backup = {**server.account("backup"), "folders": ["Other"]}
    bot = oauth2_bot(tmp_path, server, token_server, accounts=[backup],
                     delivery={"imap_account": "support", "send_interval_seconds": 1})
    refresh = log_in_once(bot, token_server)
    token_file = TokenFile("support", tmp_path / "tokens" / "support.json")
    assert token_file.load()["refresh_token"] == refresh

    daemon = bot.start()
    try:
        bot.wait_for_decisions(len(SAMPLE) + 1, timeout=120, process=daemon)
        # Four token lifetimes with new mail: every login on the way must be a live token.
        started, sent = time.monotonic(), []
        while time.monotonic() - started < 20:
            sent.append(support_mail(1000 + len(sent)))
            server.append([sent[-1]])
            bot.wait_for_decisions(len(SAMPLE) + 1 + len(sent), timeout=30, process=daemon)
            time.sleep(1.5)
        assert token_server.refreshes() >= 4, token_server.refreshes()
        logins = len(token_server.introspections)
        assert logins >= 8, f"only {logins} logins in 20 s of 5-second tokens"
        assert token_server.failed_introspections() == []
        print(f"\nbar 1: {logins} OAuth2 logins, {token_server.refreshes()} token refreshes, {len(sent)} new mails "
              f"in {time.monotonic() - started:.0f} s of 5-second tokens; failed logins: 0")
        assert " WARNING " not in bot.daemon_log and " ERROR " not in bot.daemon_log, bot.daemon_log[-3000:]
        assert flags(server, "Drafts"), "no drafts appended (over OAuth2 logins too)"

        # Revoked: a clear error in the log and in `mailbot status`; the other account goes on.
        token_server.revoke(refresh)
        bot.wait_for(lambda: "run `mailbot auth login support`" in bot.daemon_log, 30, daemon,
                     "no error asking for `mailbot auth login support` in the log")
        waiting = support_mail(2000)
        server.append([waiting])
        server.append([support_mail(2001)], folder="Other")
        decided = bot.decided_count()
        bot.wait_for_decisions(decided + 1, timeout=30, process=daemon)  # the backup account's
        report = status(bot)
        assert "run `mailbot auth login support`" in report and "invalid_grant" in report
        time.sleep(3)
        assert bot.decided_count() == decided + 1, "mail decided for an account whose token was revoked"
        assert len(flags(server)) == len(SAMPLE) + len(sent) + 1  # nothing lost, nothing moved

        # Restored: it recovers on its own (the reconnect backoff), and the waiting mail is decided.
        token_server.restore(refresh)
        bot.wait_for_decisions(decided + 2, timeout=30, process=daemon)
        assert bot.stop(daemon) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    bot.assert_exactly_once([*SAMPLE, support_mail(3000), *sent, waiting, support_mail(2001)])
    assert all(b"$MailbotTriaged" in f for f in flags(server).values())


def test_a_broken_token_endpoint_stops_no_mail_and_the_next_run_decides_it(oauth2_dovecot, token_server, tmp_path):
    server = oauth2_dovecot
    mail = [support_mail(n) for n in range(3)]
    server.append(mail)
    bot = oauth2_bot(tmp_path, server, token_server, once_max_attempts=2)
    log_in_once(bot, token_server)
    TokenFile("support", tmp_path / "tokens" / "support.json").save(  # the access token is gone: a refresh is due
        {"refresh_token": TokenFile("support", tmp_path / "tokens" / "support.json").load()["refresh_token"]})
    for mode, expected in (("garbage", "answered with something other than a token"),
                           ("server-error", "answered HTTP 500 without a token")):
        token_server.mode = mode
        result = bot.run("run", "--once")
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"account support: token endpoint {token_server.url}/token {expected}" in result.stderr
        assert bot.decided_count() == 0
    token_server.mode = "ok"
    bot.run_once()
    bot.assert_exactly_once(mail)
