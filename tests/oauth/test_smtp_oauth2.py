"""Bar 2: approved replies go out over SMTP logged in with AUTH XOAUTH2 and a fresh token."""

from __future__ import annotations

import socket
import time
import warnings
from pathlib import Path

import pytest
import tomli_w

from delivery.conftest import ORDERS, customer_mail, mailbot
from mailbot.auth.tokenfile import TokenFile
from mailbot.config import load_config
from mailbot.delivery.review import Review
from mailbot.delivery.smtp import SmtpSender
from mailbot.store import Store

from .smtp_oauth2 import XOAuth2Handler
from .tokenserver import CLIENT_ID

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def xoauth2_smtp(token_server):
    from aiosmtpd.controller import Controller

    handler = XOAuth2Handler(token_server=token_server)
    port = free_port()
    # auth_required: MAIL before a good AUTH is refused, so an accepted reply proves the login.
    with warnings.catch_warnings():  # AUTH without TLS: aiosmtpd warns; loopback-only tests mean it
        warnings.simplefilter("ignore")
        controller = Controller(handler, hostname="127.0.0.1", port=port, auth_required=True,
                                auth_require_tls=False)
        controller.start()
    yield handler, port
    controller.stop()


def write_config(tmp_path: Path, dovecot, token_server, smtp_port: int, **smtp) -> Path:
    config = {
        "mode": "draft", "store": {"path": str(tmp_path / "store.sqlite3")}, "policy": {"orders": str(ORDERS)},
        "daemon": {"poll_interval": 1, "reconnect_initial_seconds": 0.2, "reconnect_max_seconds": 1},
        "accounts": [dovecot.oauth2_account(token_url=f"{token_server.url}/token")],
        "delivery": {"imap_account": "support",
                     "smtp": {"host": "127.0.0.1", "port": smtp_port, "tls": "none", "allow_plaintext": True,
                              "auth": "oauth2", **smtp}},
    }
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps(config))
    return path


def approve(path: Path, count: int | None = None) -> int:
    """Approve the oldest `count` pending drafts (all by default), as a reviewer would."""
    config = load_config(path)
    store = Store(config.store_path())
    try:
        review = Review(config, store)
        drafts = sorted(review.pending(), key=lambda d: d.id)[:count]
        for draft in drafts:
            review.approve(draft.id, actor="tester")
        return len(drafts)
    finally:
        store.close()


def test_approved_replies_are_sent_with_xoauth2_and_a_fresh_token(oauth2_dovecot, token_server, xoauth2_smtp,
                                                                  tmp_path):
    handler, port = xoauth2_smtp
    path = write_config(tmp_path, oauth2_dovecot, token_server, port)
    file = TokenFile("support", tmp_path / "tokens" / "support.json")
    file.save({"refresh_token": token_server.add_refresh_token("support@keysme.test")})

    oauth2_dovecot.append([customer_mail(1), customer_mail(2)])
    assert mailbot("run", "--once", config=path).returncode == 0
    assert approve(path, 1) == 1
    first = mailbot("send-approved", config=path)
    assert first.returncode == 0, first.stderr
    assert len(handler.accepted) == 1, first.stdout + first.stderr

    time.sleep(5.5)  # the token the first reply used has expired
    assert approve(path) == 1
    second = mailbot("send-approved", config=path)
    assert second.returncode == 0, second.stderr

    assert [r.rcpt_tos for r in handler.accepted] == [["ana@example.com"], ["ana@example.com"]]
    assert [accepted for _, _, accepted in handler.logins] == [True, True]
    assert handler.logins[0][1] != handler.logins[1][1], "the second reply went with the expired token"
    assert {user for user, _, _ in handler.logins} == {"support@keysme.test"}


def sender_config(tmp_path: Path, token_server, port: int) -> Path:
    """A config that sends over the XOAUTH2 server with an OAuth2 account's token (its IMAP is never used)."""
    account = {"name": "support", "host": "127.0.0.1", "port": 1, "username": "support@keysme.test", "auth": "oauth2",
               "oauth2": {"provider": "custom", "client_id": CLIENT_ID, "token_url": f"{token_server.url}/token",
                          "scopes": ["mail"]}}
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "store.sqlite3")}, "accounts": [account],
                                   "delivery": {"imap_account": "support", "smtp": {
                                       "host": "127.0.0.1", "port": port, "tls": "none", "allow_plaintext": True,
                                       "auth": "oauth2"}}}))
    return path


def test_a_token_the_smtp_server_refuses_is_refreshed_once_and_the_reply_goes(token_server, xoauth2_smtp,
                                                                              tmp_path):
    handler, port = xoauth2_smtp
    path = sender_config(tmp_path, token_server, port)
    file = TokenFile("support", tmp_path / "tokens" / "support.json")
    # The provider revoked this access token early; the file still holds it as good for an hour.
    file.save({"refresh_token": token_server.add_refresh_token("support@keysme.test"),
               "access_token": "at-revoked-early", "expires_at": time.time() + 3600, "issued_at": time.time()})

    result = SmtpSender(load_config(path)).send("support@keysme.com", "ana@example.com",
                                                customer_mail(1, sender="Keysme <support@keysme.com>"))
    assert result.outcome == "accepted", result.describe()
    assert [(token == "at-revoked-early", accepted) for _, token, accepted in handler.logins] == \
        [(True, False), (False, True)]
    assert len(handler.accepted) == 1 and token_server.refreshes() == 1


def test_a_fresh_token_refused_again_keeps_the_reply_for_later(token_server, xoauth2_smtp, tmp_path):
    handler, port = xoauth2_smtp
    path = sender_config(tmp_path, token_server, port)
    TokenFile("support", tmp_path / "tokens" / "support.json").save(
        {"refresh_token": token_server.add_refresh_token("someone-else@keysme.test")})
    result = SmtpSender(load_config(path)).send("support@keysme.com", "ana@example.com", customer_mail(1))
    assert (result.outcome, result.server_problem) == ("temporary", True)  # retried later, never dropped
    assert result.message.startswith("account support: SMTP server 127.0.0.1 refused support@keysme.test's fresh "
                                     "OAuth2 token (535 5.7.8 Username and Password not accepted)")
    assert [accepted for _, _, accepted in handler.logins] == [False, False] and handler.accepted == []


def test_smtp_without_xoauth2_keeps_the_reply_and_names_the_account(token_server, smtp_server, tmp_path):
    path = sender_config(tmp_path, token_server, smtp_server.port)
    TokenFile("support", tmp_path / "tokens" / "support.json").save(
        {"refresh_token": token_server.add_refresh_token("support@keysme.test")})
    result = SmtpSender(load_config(path)).send("support@keysme.com", "ana@example.com", customer_mail(1))
    assert (result.outcome, result.server_problem) == ("temporary", True)  # the outbox tries again later
    assert result.message == ("account support: SMTP server 127.0.0.1 does not offer AUTH XOAUTH2 "
                              "(it offers: none)")
    assert smtp_server.handler.accepted == [] and token_server.token_requests == []
