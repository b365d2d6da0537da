"""OAuth2 logins to a real Dovecot, one connection at a time: the mechanisms and the failures."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from integration.dovecot import DovecotUnavailable
from mailbot.auth import NoOAuth2Mechanism, TokenRefused
from mailbot.auth.tokenfile import TokenFile
from mailbot.config import AccountConfig, DaemonConfig
from mailbot.daemon.connection import close_quietly, connect, login_expired

from .dovecot_oauth2 import OAuth2Dovecot


@pytest.fixture
def oauth2_dovecot_with(token_server):
    servers = []

    def start(mechanisms: str) -> OAuth2Dovecot:
        root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-oauth2-"))
        root.chmod(0o755)
        try:
            server = OAuth2Dovecot(root, introspection_url=token_server.url, mechanisms=mechanisms)
            servers.append(server)
            server.start()
        except DovecotUnavailable as e:
            pytest.fail(str(e), pytrace=False)
        return server

    yield start
    for server in servers:
        server.remove()


def account_for(server, token_server, tmp_path) -> AccountConfig:
    entry = server.oauth2_account(token_url=f"{token_server.url}/token")
    entry["oauth2"]["token_file"] = str(tmp_path / "support.json")
    return AccountConfig(**entry)


def logged_in(server, account) -> list[bytes]:
    client = connect(account, DaemonConfig(timeout_seconds=10))
    try:
        assert not login_expired(client)
        client.select_folder("INBOX")
        return client.capabilities()
    finally:
        close_quietly(client, logout=True)


@pytest.mark.parametrize("mechanisms", ["xoauth2", "oauthbearer"])
def test_each_mechanism_logs_in_with_a_live_token(oauth2_dovecot_with, token_server, tmp_path, mechanisms):
    server = oauth2_dovecot_with(mechanisms)
    TokenFile("support", tmp_path / "support.json").save(
        {"refresh_token": token_server.add_refresh_token("support@keysme.test")})
    logged_in(server, account_for(server, token_server, tmp_path))
    assert token_server.introspections == [("support@keysme.test", True)]


def test_an_access_token_the_server_refuses_is_replaced_once(oauth2_dovecot, token_server, tmp_path):
    file = TokenFile("support", tmp_path / "support.json")
    file.save({"refresh_token": token_server.add_refresh_token("support@keysme.test"),
               "access_token": "at-revoked-early", "expires_at": time.time() + 3600, "issued_at": time.time()})
    logged_in(oauth2_dovecot, account_for(oauth2_dovecot, token_server, tmp_path))
    assert token_server.introspections == [("", False), ("support@keysme.test", True)]
    assert token_server.refreshes() == 1
    assert file.load()["access_token"] != "at-revoked-early"


def test_a_server_without_xoauth2_is_one_line_naming_the_account(dovecot, token_server, tmp_path):
    TokenFile("support", tmp_path / "support.json").save(
        {"refresh_token": token_server.add_refresh_token("support@keysme.test")})
    entry = {**dovecot.account(), "auth": "oauth2", "password_env": "",
             "oauth2": {"provider": "custom", "client_id": "mailbot-tests", "token_url": f"{token_server.url}/token",
                        "scopes": ["mail"], "token_file": str(tmp_path / "support.json")}}
    with pytest.raises(NoOAuth2Mechanism) as caught:
        connect(AccountConfig(**entry), DaemonConfig(timeout_seconds=10))
    assert str(caught.value) == ("account support: IMAP server 127.0.0.1 offers neither XOAUTH2 nor OAUTHBEARER "
                                 "(AUTH=PLAIN AUTH=LOGIN)")
    assert token_server.token_requests == []  # nothing asked of the provider for a login that cannot happen


def test_a_fresh_token_still_refused_says_what_to_check(oauth2_dovecot, token_server, tmp_path):
    # A token granted to another user of the tenant: live, but not for this mailbox.
    TokenFile("support", tmp_path / "support.json").save(
        {"refresh_token": token_server.add_refresh_token("someone-else@keysme.test")})
    with pytest.raises(TokenRefused) as caught:
        connect(account_for(oauth2_dovecot, token_server, tmp_path), DaemonConfig(timeout_seconds=10))
    assert str(caught.value).startswith("account support: IMAP server 127.0.0.1 refused support@keysme.test's "
                                        "fresh OAuth2 token (")
    assert "check that the app has the mail scopes" in str(caught.value) and "\n" not in str(caught.value)
    assert token_server.refreshes() == 2  # the first token, then once more after the refusal; then the backoff
