"""How an account logs in, password or OAuth2: the one module IMAP and SMTP ask.

`imap_login` and `smtp_login` log a connection in as the account config says
and return until when the login's credentials hold (None for a password).
With OAuth2 they use SASL OAUTHBEARER (RFC 7628) where an IMAP server offers
it, else XOAUTH2 (Google's and Microsoft's); SMTP uses XOAUTH2, which both
providers offer.  A token the server refuses is replaced once by a freshly
refreshed one before the login counts as failed: a provider may revoke
access tokens early, and retrying at once beats the reconnect backoff.
"""

from __future__ import annotations

import os

import aiosmtplib
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from ..config import AccountConfig
from .errors import AuthError, NoOAuth2Mechanism, TokenRefused
from .tokenfile import TokenFile
from .tokens import token_source


def imap_login(client: IMAPClient, account: AccountConfig, timeout: float) -> float | None:
    if account.auth == "password":
        client.login(account.username, os.environ.get(account.password_env, ""))
        return None
    mechanism = _imap_mechanism(client, account)
    source = token_source(account, timeout)
    token = source.access_token()
    try:
        _imap_sasl(client, mechanism, account.username, token.value)
    except LoginError:
        token = source.access_token(refused=token.value)
        try:
            _imap_sasl(client, mechanism, account.username, token.value)
        except LoginError as e:
            raise TokenRefused(account.name, f"IMAP server {account.host} refused {account.username}'s fresh "
                                             f"OAuth2 token ({_server_text(e)}); {REFUSED_FIX}") from None
    return token.expires_at


async def smtp_login(client: aiosmtplib.SMTP, account: AccountConfig | None, username: str, password: str,
                     timeout: float) -> float | None:
    """Log an SMTP connection in: with `password`, or (account given) with the account's OAuth2 token."""
    if account is None:
        await client.login(username, password)
        return None
    if client.is_ehlo_or_helo_needed:  # the AUTH mechanisms are in the EHLO answer
        await client.ehlo()
    if "xoauth2" not in client.server_auth_methods:
        offered = " ".join(sorted(client.server_auth_methods)).upper() or "none"
        raise NoOAuth2Mechanism(account.name, f"SMTP server {client.hostname} does not offer AUTH XOAUTH2 "
                                              f"(it offers: {offered})")
    source = token_source(account, timeout)
    token = source.access_token()
    try:
        await client.auth_xoauth2(username, token.value)
    except aiosmtplib.SMTPAuthenticationError:
        token = source.access_token(refused=token.value)
        try:
            await client.auth_xoauth2(username, token.value)
        except aiosmtplib.SMTPAuthenticationError as e:
            raise TokenRefused(account.name, f"SMTP server {client.hostname} refused {username}'s fresh OAuth2 "
                                             f"token ({e.code} {_server_text(e.message)}); {REFUSED_FIX}") from None
    return token.expires_at


# What a token the provider just issued and the server still refuses usually means.
REFUSED_FIX = ("check that the app has the mail scopes, that the mailbox allows IMAP and authenticated SMTP, and "
               "that the token was granted to this mailbox's user")


def _server_text(text) -> str:
    text = str(text)
    if text[:2] in ("b'", 'b"') and text[-1:] == text[1]:  # imaplib gives the server's words as a bytes repr
        text = text[2:-1]
    return " ".join(text.split())[:300]


def _imap_mechanism(client: IMAPClient, account: AccountConfig) -> str:
    for mechanism in ("OAUTHBEARER", "XOAUTH2"):
        if client.has_capability(f"AUTH={mechanism}"):
            return mechanism
    offered = " ".join(c.decode() for c in client.capabilities() if c.startswith(b"AUTH=")) or "no AUTH= mechanism"
    raise NoOAuth2Mechanism(account.name, f"IMAP server {account.host} offers neither XOAUTH2 nor OAUTHBEARER "
                                          f"({offered})")


def _imap_sasl(client: IMAPClient, mechanism: str, username: str, access_token: str) -> None:
    if mechanism == "OAUTHBEARER":
        client.oauthbearer_login(username, access_token)
    else:
        client.oauth2_login(username, access_token)


def setup_problem(account: AccountConfig) -> tuple[str, str] | None:
    """What keeps `account` from logging in before any server is asked: (its config key, the problem)."""
    if account.auth == "password":
        if not os.environ.get(account.password_env):
            return "password_env", f"environment variable {account.password_env} is not set or empty"
        return None
    settings = account.oauth2
    if settings.client_secret_env and not os.environ.get(settings.client_secret_env):
        return "oauth2.client_secret_env", f"environment variable {settings.client_secret_env} is not set or empty"
    if settings.refresh_token_env:
        if not os.environ.get(settings.refresh_token_env):
            return ("oauth2.refresh_token_env", f"environment variable {settings.refresh_token_env} is not set or "
                                                f"empty; run `mailbot auth login {account.name}`")
        return None
    file = TokenFile(account.name, settings.token_file)
    try:
        stored = file.load()
    except AuthError as e:
        return "oauth2.token_file", e.problem
    if not stored or not stored.get("refresh_token"):
        return "oauth2.token_file", f"no refresh token in {file.path} yet; run `mailbot auth login {account.name}`"
    return None
