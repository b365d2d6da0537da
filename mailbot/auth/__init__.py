"""Logging in: passwords and OAuth2 tokens (docs/oauth2.md).

`login.py` is what the IMAP connection and SMTP call; nothing else in mailbot
knows whether an account uses a password or a token.  `tokens.py` keeps and
refreshes access tokens (authlib does the exchange), `tokenfile.py` keeps the
refresh token on disk, `flows.py` gets the first one (`mailbot auth login`).
"""

from .errors import AuthError, NeedsLogin, NoOAuth2Mechanism, TokenEndpointError, TokenFileError, TokenRefused
from .login import imap_login, smtp_login

__all__ = ["AuthError", "NeedsLogin", "NoOAuth2Mechanism", "TokenEndpointError", "TokenFileError",
           "TokenRefused", "imap_login", "smtp_login"]
