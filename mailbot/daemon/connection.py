"""Opening an IMAP connection the way the account config says, and nothing weaker.

Implicit TLS or STARTTLS with certificate checks by default; clear text only
when the config asks for it, and only to a loopback address (the config
refuses other hosts; the peer address is checked again once connected, in
case "localhost" resolves somewhere surprising).
"""

from __future__ import annotations

import imaplib
import ipaddress
import ssl
import time

from imapclient import IMAPClient

from ..auth import imap_login
from ..config import AccountConfig, DaemonConfig
from ..errors import MailbotError

# What a lost or broken connection raises: socket errors and timeouts (OSError,
# which covers ssl.SSLError) and imaplib's abort (IMAPClientAbortError), which
# imaplib raises on EOF and on BYE.
NETWORK_ERRORS = (OSError, imaplib.IMAP4.abort)


class ConnectionLost(MailbotError):
    """The server ended the session (BYE, or a closed socket seen during IDLE)."""


class UnsafeConnection(MailbotError):
    """The connection would not be protected the way the config demands."""


def connect(account: AccountConfig, settings: DaemonConfig) -> IMAPClient:
    """A logged-in IMAPClient for `account`; raises on any network, TLS or login failure."""
    port = account.imap_port()
    if account.tls == "implicit":
        client = IMAPClient(account.host, port, ssl=True, ssl_context=ssl.create_default_context(),
                            timeout=settings.timeout_seconds)
    else:
        client = IMAPClient(account.host, port, ssl=False, timeout=settings.timeout_seconds)
    try:
        if account.tls == "starttls":
            if not client.has_capability("STARTTLS"):
                # Going on would send the password in clear text: a downgrade, refused.
                raise UnsafeConnection(f"{account.host}:{port} does not offer STARTTLS; refusing to log in without TLS")
            client.starttls(ssl.create_default_context())
        elif account.tls == "none":
            peer = client.socket().getpeername()[0]
            if not ipaddress.ip_address(peer.split("%")[0]).is_loopback:
                raise UnsafeConnection(f"{account.host} resolved to {peer}, not a loopback address; "
                                       "refusing to log in without TLS")
        # Password or OAuth2 token: mailbot/auth/login.py knows which.
        client.mailbot_login_expires = imap_login(client, account, settings.timeout_seconds)
    except BaseException:
        close_quietly(client)
        raise
    return client


def login_expired(client: IMAPClient) -> bool:
    """The credentials this session logged in with have expired (an OAuth2 token; a password never does).

    Some servers end a session when its token expires; logging in again first
    is a clean reconnect instead of an error and a backoff.
    """
    expires = getattr(client, "mailbot_login_expires", None)
    return expires is not None and time.time() >= expires


def close_quietly(client: IMAPClient | None, *, logout: bool = False) -> None:
    """Close a connection that may already be dead; a clean LOGOUT when asked and possible."""
    if client is None:
        return
    if logout:
        try:
            client.logout()
            return
        except Exception:  # the connection is going away either way
            pass
    try:
        client.shutdown()
    except Exception:
        pass
