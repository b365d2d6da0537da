"""Why an account could not log in; each message names the account and, where there is one, the fix."""

from __future__ import annotations

from ..errors import MailbotError


class AuthError(MailbotError):
    """An account's credentials could not be had or were refused."""

    def __init__(self, account: str, problem: str):
        self.account, self.problem = account, problem
        super().__init__(f"account {account}: {problem}")


class NeedsLogin(AuthError):
    """No refresh token, or the provider revoked it: only a person can get a new one."""

    def __init__(self, account: str, problem: str):
        super().__init__(account, f"{problem}; run `mailbot auth login {account}`")


class TokenEndpointError(AuthError):
    """The token endpoint failed (error, timeout, garbage): temporary as far as mailbot can tell."""

    def __init__(self, account: str, problem: str, error: str = ""):
        self.error = error  # the OAuth2 error code when the endpoint gave one (RFC 6749 5.2, RFC 8628 3.5)
        super().__init__(account, problem)


class TokenFileError(AuthError):
    """The token file cannot be trusted or read (permissions, owner, not a token file)."""


class NoOAuth2Mechanism(AuthError):
    """The server offers neither XOAUTH2 nor OAUTHBEARER."""


class TokenRefused(AuthError):
    """The server refused even a freshly refreshed token: the app's scopes or the mailbox's settings."""
