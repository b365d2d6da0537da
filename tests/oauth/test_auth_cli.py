"""`mailbot auth login` (device code, browser, pasted token) and `mailbot auth status`, as an operator runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import tomli_w

from mailbot.auth.tokenfile import TokenFile

from .tokenserver import CLIENT_ID

MAILBOT = str(Path(sys.executable).parent / "mailbot")


def write_config(tmp_path: Path, token_server, **oauth2) -> Path:
    settings = {"provider": "custom", "client_id": CLIENT_ID, "token_url": f"{token_server.url}/token",
                "scopes": ["mail"], **oauth2}
    config = {"store": {"path": str(tmp_path / "store.sqlite3")},
              "accounts": [{"name": "support", "host": "127.0.0.1", "port": 1, "tls": "none",
                            "allow_plaintext": True, "username": "support@keysme.test", "auth": "oauth2",
                            "oauth2": settings},
                           {"name": "backup", "host": "127.0.0.1", "port": 1, "tls": "none",
                            "allow_plaintext": True, "username": "b@keysme.test", "password_env": "MAILBOT_TEST_PW"}]}
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps(config))
    return path


def mailbot(*args: str, config: Path, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([MAILBOT, *args, "--config", str(config)], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def token_file(tmp_path) -> TokenFile:
    return TokenFile("support", tmp_path / "tokens" / "support.json")


def test_device_code_login_saves_a_working_refresh_token(token_server, tmp_path):
    path = write_config(tmp_path, token_server, device_authorization_url=f"{token_server.url}/device")
    process = subprocess.Popen([MAILBOT, "auth", "login", "support", "--config", str(path)], stderr=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        process.stderr.readline()  # which config file (configfile.py)
        line = process.stderr.readline()  # what the person reads: where to go and the code to enter
        code = re.search(r"enter the code (\w+)", line)
        assert code, line
        time.sleep(1.5)  # mailbot polls meanwhile and is told to wait (authorization_pending)
        token_server.approve_device(code.group(1), "support@keysme.test")
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    stored = token_file(tmp_path).load()
    assert token_server.refresh_tokens[stored["refresh_token"]].username == "support@keysme.test"
    assert os.stat(token_file(tmp_path).path).st_mode & 0o777 == 0o600
    assert stored["refresh_token"] not in out + err + line
    grants = [r["grant_type"] for r in token_server.token_requests]
    assert grants[-1] == "urn:ietf:params:oauth:grant-type:device_code" and len(grants) >= 2


def test_browser_login_takes_the_code_from_the_loopback_redirect(token_server, tmp_path):
    path = write_config(tmp_path, token_server, authorization_url=f"{token_server.url}/authorize")
    process = subprocess.Popen([MAILBOT, "auth", "login", "support", "--browser", "--no-open", "--config",
                                str(path)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        process.stderr.readline()  # which config file (configfile.py)
        lines = [process.stderr.readline(), process.stderr.readline()]
        url = lines[1].strip()
        assert url.startswith(f"{token_server.url}/authorize?") and "code_challenge=" in url, lines
        assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url
        # The person's browser: the provider redirects it to mailbot's listener on 127.0.0.1.
        page = requests.get(url, timeout=10)
        assert page.status_code == 200 and "sign-in received" in page.text
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    stored = token_file(tmp_path).load()
    assert stored["refresh_token"] in token_server.refresh_tokens  # PKCE and redirect_uri were checked


def test_pasted_token_is_checked_before_it_is_saved(token_server, tmp_path):
    path = write_config(tmp_path, token_server)
    bad = mailbot("auth", "login", "support", "--paste", config=path, stdin="rt-not-issued\n")
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1] == (
        "mailbot: account support: the provider refused the refresh token (invalid_grant: Token has been expired "
        "or revoked.); run `mailbot auth login support`")
    assert not token_file(tmp_path).exists()
    good = token_server.add_refresh_token("support@keysme.test")
    ok = mailbot("auth", "login", "support", "--paste", config=path, stdin=good + "\n")
    assert ok.returncode == 0, ok.stderr
    assert token_file(tmp_path).load()["refresh_token"] == good and good not in ok.stdout + ok.stderr


def test_with_refresh_token_env_the_login_prints_the_environment_line(token_server, tmp_path):
    path = write_config(tmp_path, token_server, refresh_token_env="MAILBOT_SUPPORT_REFRESH_TOKEN")
    good = token_server.add_refresh_token("support@keysme.test")
    result = mailbot("auth", "login", "support", "--paste", config=path, stdin=good + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"MAILBOT_SUPPORT_REFRESH_TOKEN={good}"
    assert not (tmp_path / "tokens").exists()


def test_status_shows_state_and_expiry_never_the_token(token_server, tmp_path):
    path = write_config(tmp_path, token_server)
    before = mailbot("auth", "status", config=path, env={"MAILBOT_TEST_PW": "x"})
    assert before.returncode == 1
    assert "support: oauth2 (custom); PROBLEM: no refresh token in" in before.stdout
    assert "run `mailbot auth login support`" in before.stdout
    assert "backup: password from $MAILBOT_TEST_PW" in before.stdout

    refresh = token_server.add_refresh_token("support@keysme.test")
    token_file(tmp_path).save({"refresh_token": refresh})
    checked = mailbot("auth", "status", "--check", config=path, env={"MAILBOT_TEST_PW": "x"})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert re.search(r"support: oauth2 \(custom\); refresh token \S+support.json present; access token valid until "
                     r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d s left\)", checked.stdout), checked.stdout
    access = token_file(tmp_path).load()["access_token"]
    assert refresh not in checked.stdout + checked.stderr and access not in checked.stdout + checked.stderr

    os.chmod(token_file(tmp_path).path, 0o640)
    loose = mailbot("auth", "status", config=path, env={"MAILBOT_TEST_PW": "x"})
    assert loose.returncode == 1 and "has mode 0640" in loose.stdout and "chmod 600" in loose.stdout


def test_login_refuses_a_token_file_with_loose_permissions_before_asking_anyone(token_server, tmp_path):
    path = write_config(tmp_path, token_server)
    token_file(tmp_path).save({"refresh_token": "rt-old"})
    os.chmod(token_file(tmp_path).path, 0o644)
    result = mailbot("auth", "login", "support", "--paste", config=path, stdin="rt-x\n")
    assert result.returncode == 1 and token_server.token_requests == []
    assert result.stderr.strip().splitlines()[-1] == (
        f"mailbot: account support: token file {token_file(tmp_path).path} has mode 0644, so other users can read "
        f"the token; run `chmod 600 {token_file(tmp_path).path}`")


def test_auth_login_for_a_password_account_says_so(token_server, tmp_path):
    path = write_config(tmp_path, token_server)
    result = mailbot("auth", "login", "backup", config=path)
    assert result.returncode == 1 and "account backup logs in with a password" in result.stderr
    unknown = mailbot("auth", "login", "nobody", config=path)
    assert unknown.returncode == 1 and "no account named 'nobody'" in unknown.stderr
