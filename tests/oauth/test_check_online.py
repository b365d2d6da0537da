"""Bar 3: `mailbot check-config --online` logs in where mailbot will and finds what only the servers know."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from integration.dovecot import PASSWORD_ENV
from mailbot.auth.tokenfile import TokenFile


def check_online(tmp_path: Path, accounts: list[dict], *, password: str, smtp: dict | None = None,
                 **config) -> subprocess.CompletedProcess:
    data = {"store": {"path": str(tmp_path / "store.sqlite3")}, "accounts": accounts, **config}
    if smtp:
        data.setdefault("delivery", {})["smtp"] = smtp
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps(data))
    return subprocess.run([str(Path(sys.executable).parent / "mailbot"), "check-config", str(path), "--online"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, PASSWORD_ENV: password})


def errors(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_a_good_setup_passes_and_says_what_it_found(dovecot, smtp_server, tmp_path):
    dovecot.append([b"Subject: x\r\n\r\nx\r\n"], folder="Support.Keycaps")  # the server's own spelling
    account = dovecot.account(folders=["INBOX", "Support/Keycaps"], move_by_intent={"automated": "Triage/Automated"})
    result = check_online(tmp_path, [account], password=dovecot.password, smtp=smtp_server.settings(),
                          delivery={"imap_account": "support"})
    assert result.returncode == 0, result.stderr
    assert errors(result) == []
    assert (f"ok: account support: logged in to 127.0.0.1:{dovecot.port} as support@keysme.test (password); "
            "IDLE yes, MOVE yes, folder separator '.'") in result.stdout
    # A folder mail is moved to may come later; the daemon creates it, in the server's own spelling.
    assert ("ok: account support: accounts.0.move_by_intent.automated: folder 'Triage/Automated' "
            "(on the server 'Triage.Automated') does not exist yet; mailbot creates it on first use") in result.stdout
    assert f"ok: SMTP 127.0.0.1:{smtp_server.port}: connected (none TLS); no login configured" in result.stdout


def test_a_wrong_password_a_missing_folder_and_no_idle_are_each_one_error(dovecot_factory, tmp_path):
    no_idle = dovecot_factory(capabilities="IMAP4rev1 LITERAL+ SASL-IR NAMESPACE UIDPLUS MOVE")
    good = dovecot_factory()
    accounts = [
        {**good.account("wrong-password"), "password_env": "MAILBOT_TEST_WRONG_PASSWORD"},
        good.account("missing-folder", folders=["INBOX", "Orders/Returns", "Keycaps v1.0"]),
        no_idle.account("no-idle"),
    ]
    os.environ["MAILBOT_TEST_WRONG_PASSWORD"] = "not-the-password"
    try:
        result = check_online(tmp_path, accounts, password=good.password)
    finally:
        del os.environ["MAILBOT_TEST_WRONG_PASSWORD"]
    assert result.returncode == 2, result.stderr
    assert errors(result) == [
        f"error: account wrong-password: 127.0.0.1:{good.port} refused the login of support@keysme.test: "
        "[AUTHENTICATIONFAILED] Authentication failed.; check the password in $MAILBOT_TEST_WRONG_PASSWORD",
        "error: account missing-folder: accounts.1.folders: folder 'Orders/Returns' (on the server "
        f"'Orders.Returns') does not exist on 127.0.0.1:{good.port}; create it or correct the name",
        "error: account missing-folder: accounts.1.folders: folder 'Keycaps v1.0': the server separates levels "
        "with '.', so 'Keycaps v1.0' would be split into subfolders; rename it in the config (for example "
        "'Keycaps v1-0')",
        f"error: account no-idle: 127.0.0.1:{no_idle.port} does not offer IDLE, so new mail waits for the next "
        "poll (daemon.poll_interval = 60 s); set daemon.idle = false to poll on purpose",
    ]
    assert "ok: account missing-folder: logged in" in result.stdout  # the other accounts were still checked


def test_polling_on_purpose_is_not_a_problem(dovecot_factory, tmp_path):
    no_idle = dovecot_factory(capabilities="IMAP4rev1 LITERAL+ SASL-IR NAMESPACE UIDPLUS MOVE")
    result = check_online(tmp_path, [no_idle.account()], password=no_idle.password, daemon={"idle": False})
    assert result.returncode == 0, result.stderr
    assert "IDLE no" in result.stdout


def test_oauth2_account_and_smtp_are_checked_with_their_tokens(oauth2_dovecot, token_server, tmp_path):
    from aiosmtpd.controller import Controller

    from .smtp_oauth2 import XOAuth2Handler
    from .test_smtp_oauth2 import free_port

    handler, port = XOAuth2Handler(token_server=token_server), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        refresh = token_server.add_refresh_token("support@keysme.test")
        TokenFile("support", tmp_path / "tokens" / "support.json").save({"refresh_token": refresh})
        account = oauth2_dovecot.oauth2_account(token_url=f"{token_server.url}/token")
        smtp = {"host": "127.0.0.1", "port": port, "tls": "none", "allow_plaintext": True, "auth": "oauth2"}
        ok = check_online(tmp_path, [account], password="", smtp=smtp, delivery={"imap_account": "support"})
        assert ok.returncode == 0, ok.stderr
        assert "(OAuth2); IDLE yes" in ok.stdout
        assert f"ok: SMTP 127.0.0.1:{port}: logged in as support@keysme.test (OAuth2)" in ok.stdout

        token_server.revoke(refresh)
        TokenFile("support", tmp_path / "tokens" / "support.json").save({"refresh_token": refresh})
        revoked = check_online(tmp_path, [account], password="", smtp=smtp, delivery={"imap_account": "support"})
        assert revoked.returncode == 2
        assert errors(revoked) == [
            "error: account support: the provider refused the refresh token (invalid_grant: Token has been "
            "expired or revoked.); run `mailbot auth login support`"] * 2  # IMAP, then SMTP
        assert refresh not in revoked.stdout + revoked.stderr
    finally:
        controller.stop()
