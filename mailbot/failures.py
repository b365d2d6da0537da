"""Known failures said in one line: what failed and what to check, never a traceback.

Used by the daemon's log lines and `mailbot status` (what the last error of a
folder was), and by every command (`KnownFailures`, the main command's
class): authentication refused, a server that cannot be reached, a server
that refuses a command, a store that cannot be opened.  Anything else is a
bug, and keeps its traceback so it can be fixed.
"""

from __future__ import annotations

import imaplib
import socket
import sqlite3
import ssl
import sys

import click
from imapclient.exceptions import IMAPClientError, LoginError

from .errors import ConfigError, MailbotError


def _server_text(error: BaseException) -> str:
    text = str(error)
    if text.startswith(("b'", 'b"')):  # imaplib hands the server's words over as a bytes repr
        text = text[2:-1]
    return " ".join(text.split())[:300]


def describe(error: BaseException) -> str:
    """One line naming the kind of failure and the server's or the system's own words."""
    if isinstance(error, LoginError):
        return f"login refused (check the username and the password variable): {_server_text(error)}"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {error.verify_message or error}"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed: {error.reason or error}"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the server's name: {error.strerror or error}"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "no answer from the server (timed out)"
    if isinstance(error, ConnectionRefusedError):
        return f"cannot reach the server: {error.strerror or 'Connection refused'} (wrong host or port, or it is down)"
    if isinstance(error, (ConnectionError, imaplib.IMAP4.abort)):
        return f"connection lost: {_server_text(error) or type(error).__name__}"
    if isinstance(error, OSError):
        return f"network error: {error.strerror or error}"
    if isinstance(error, IMAPClientError):
        return f"server refused: {_server_text(error)}"
    if isinstance(error, sqlite3.Error):
        return f"store: {error}"
    if isinstance(error, MailbotError):
        return str(error)
    return f"{type(error).__name__}: {error}"


KNOWN = (LoginError, IMAPClientError, imaplib.IMAP4.error, OSError, sqlite3.Error, MailbotError)


class KnownFailures(click.Group):
    """The `mailbot` group: a known failure in any command is one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KNOWN as e:
            self.fail_known(e)

    def fail_known(self, e: BaseException) -> None:
        """Say the failure in one line and exit; never returns."""
        if isinstance(e, BrokenPipeError):  # `mailbot review list | head`: the reader left; nothing to say
            sys.exit(1)
        if isinstance(e, ConfigError):
            click.echo(f"mailbot: config error: {e}", err=True)
            sys.exit(2)
        click.echo(f"mailbot: {describe(e)}", err=True)
        sys.exit(1)
