"""Access tokens from a real (loopback) token endpoint: refresh, rotation, and every way it can fail."""

from __future__ import annotations

import json
import os
import time

import pytest

from mailbot.auth import NeedsLogin, TokenEndpointError, TokenFileError
from mailbot.auth.tokenfile import TokenFile
from mailbot.auth.tokens import TokenSource
from mailbot.config import AccountConfig

from .tokenserver import CLIENT_ID


def account(token_server, tmp_path, **oauth2) -> AccountConfig:
    settings = {"provider": "custom", "client_id": CLIENT_ID, "token_url": f"{token_server.url}/token",
                "scopes": ["mail"], "token_file": str(tmp_path / "tokens" / "support.json"), **oauth2}
    if "refresh_token_env" in oauth2:
        del settings["token_file"]
    return AccountConfig(name="support", host="127.0.0.1", username="support@keysme.test", auth="oauth2",
                         oauth2=settings)


def saved(tmp_path, token_server, **extra) -> TokenFile:
    file = TokenFile("support", tmp_path / "tokens" / "support.json")
    file.save({"refresh_token": token_server.add_refresh_token("support@keysme.test"), **extra})
    return file


def test_a_token_is_kept_while_fresh_and_refreshed_before_it_expires(token_server, tmp_path):
    token_server.lifetime = 2
    saved(tmp_path, token_server)
    source = TokenSource(account(token_server, tmp_path), timeout=5)
    first = source.access_token()
    assert token_server.is_live(first.value) == "support@keysme.test"
    assert source.access_token() is first and token_server.refreshes() == 1
    time.sleep(1.7)  # within the last fifth of its life: refreshed before it can expire in a login
    second = source.access_token()
    assert second.value != first.value and token_server.refreshes() == 2
    assert token_server.is_live(second.value)


def test_a_second_process_uses_the_token_the_first_saved(token_server, tmp_path):
    saved(tmp_path, token_server)
    one = TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    two = TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    assert one.value == two.value and token_server.refreshes() == 1


def test_a_refused_access_token_is_replaced_once(token_server, tmp_path):
    saved(tmp_path, token_server)
    source = TokenSource(account(token_server, tmp_path), timeout=5)
    first = source.access_token()
    again = source.access_token(refused=first.value)
    assert again.value != first.value and token_server.refreshes() == 2


def test_a_rotated_refresh_token_is_saved_mode_0600(token_server, tmp_path):
    token_server.rotate = True
    file = saved(tmp_path, token_server)
    old = file.load()["refresh_token"]
    TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    new = file.load()["refresh_token"]
    assert new != old and new in token_server.refresh_tokens
    assert os.stat(file.path).st_mode & 0o777 == 0o600


def test_the_refresh_token_can_come_from_the_environment(token_server, tmp_path, monkeypatch):
    monkeypatch.setenv("MAILBOT_TEST_REFRESH", token_server.add_refresh_token("support@keysme.test"))
    source = TokenSource(account(token_server, tmp_path, refresh_token_env="MAILBOT_TEST_REFRESH"), timeout=5)
    assert token_server.is_live(source.access_token().value)
    monkeypatch.setenv("MAILBOT_TEST_REFRESH", "")
    with pytest.raises(NeedsLogin, match="MAILBOT_TEST_REFRESH"):
        TokenSource(account(token_server, tmp_path, refresh_token_env="MAILBOT_TEST_REFRESH"), timeout=5).access_token()


def test_a_revoked_refresh_token_asks_for_auth_login_and_keeps_the_file(token_server, tmp_path):
    file = saved(tmp_path, token_server)
    before = file.path.read_bytes()
    token_server.revoke(file.load()["refresh_token"])
    with pytest.raises(NeedsLogin) as caught:
        TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    message = str(caught.value)
    assert message.startswith("account support: ") and "\n" not in message
    assert "invalid_grant" in message and "run `mailbot auth login support`" in message
    assert file.path.read_bytes() == before


def test_a_failed_refresh_counts_in_the_metrics(token_server, tmp_path):
    from mailbot import metrics

    def failures() -> float:
        return metrics.TOKEN_REFRESH_FAILURES.labels(account="support")._value.get()

    file = saved(tmp_path, token_server)
    token_server.revoke(file.load()["refresh_token"])
    before = failures()
    with pytest.raises(NeedsLogin):
        TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    assert failures() == before + 1


@pytest.mark.parametrize("mode, expected", [
    ("error", "refused: invalid_client: Unknown client"),
    ("server-error", "answered HTTP 500"),
    ("garbage", "something other than a token"),
    ("timeout", "did not answer within 1 s"),
])
def test_a_failing_token_endpoint_is_one_line_naming_the_account_and_loses_nothing(token_server, tmp_path, mode,
                                                                                   expected):
    file = saved(tmp_path, token_server)
    before = file.path.read_bytes()
    token_server.mode = mode
    started = time.monotonic()
    with pytest.raises(TokenEndpointError) as caught:
        TokenSource(account(token_server, tmp_path), timeout=1).access_token()
    message = str(caught.value)
    assert message.startswith("account support: token endpoint http://127.0.0.1:") and expected in message
    assert "\n" not in message and "rt-" not in message  # never the refresh token
    assert time.monotonic() - started < 5
    assert file.path.read_bytes() == before


def test_a_token_file_others_can_read_is_refused_with_the_fix(token_server, tmp_path):
    file = saved(tmp_path, token_server)
    os.chmod(file.path, 0o644)
    with pytest.raises(TokenFileError) as caught:
        TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    assert str(caught.value) == (f"account support: token file {file.path} has mode 0644, so other users can read "
                                 f"the token; run `chmod 600 {file.path}`")
    assert token_server.refreshes() == 0


def test_a_token_file_that_is_not_one_says_so(token_server, tmp_path):
    path = tmp_path / "tokens" / "support.json"
    path.parent.mkdir()
    path.write_text("not json")
    path.chmod(0o600)
    with pytest.raises(TokenFileError, match="not a mailbot token file; run `mailbot auth login support`"):
        TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    assert path.read_text() == "not json"


def test_no_token_file_yet_asks_for_auth_login(token_server, tmp_path):
    with pytest.raises(NeedsLogin, match="no refresh token in .*support.json yet; run `mailbot auth login support`"):
        TokenSource(account(token_server, tmp_path), timeout=5).access_token()
    assert json.dumps(token_server.token_requests) == "[]"
