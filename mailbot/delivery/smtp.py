"""SMTP with aiosmtplib: the only async code in mailbot, behind one synchronous call.

One connection per reply, step by step (MAIL, RCPT, then DATA) so the caller
can commit "the server may have it now" just before DATA.  TLS as the config
says and nothing weaker: implicit TLS or STARTTLS with certificate checks;
clear text only to a loopback peer, checked again once connected.

Outcomes: accepted; temporary (4xx, or no connection: retry later);
permanent (5xx: kept as failed); unknown (the connection broke after DATA
began: the server may have accepted it, so it is never resent blindly).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import ssl
from dataclasses import dataclass
from typing import Callable, Literal

import aiosmtplib

from ..auth import AuthError, smtp_login
from ..config import Config
from ..errors import ConfigError, MailbotError


class UnsafeSmtp(MailbotError):
    """The connection would not be protected the way the config demands."""


class SmtpLoginFailed(MailbotError):
    """The SMTP server could not be reached or refused the login (`check-config --online`)."""


@dataclass(frozen=True)
class SendResult:
    outcome: Literal["accepted", "temporary", "permanent", "unknown"]
    code: int | None
    message: str
    recipient_refused: bool = False  # the server refused the address itself: a bounce
    server_problem: bool = False  # not this reply's fault (no connection, login refused): stop the pass
    step: str = ""  # the SMTP command that got the answer

    def describe(self) -> str:
        text = f"{self.code} {self.message}" if self.code else self.message
        return f"{text} (at {self.step})" if self.step else text


class SmtpSender:
    def __init__(self, config: Config):
        settings = config.delivery.smtp
        if not settings.host:
            raise ConfigError(config.source, "delivery.smtp.host", "empty: sending is not configured")
        self.settings = settings
        self.helo_name = config.reply.support_address.rsplit("@", 1)[-1]
        self.password = ""
        # auth = "oauth2": the token of delivery.imap_account (the config checked it is an OAuth2 account).
        self.oauth2_account = next((a for a in config.accounts if a.name == config.delivery.imap_account), None) \
            if settings.auth == "oauth2" else None
        self.username = settings.username or (self.oauth2_account.username if self.oauth2_account else "")
        self.token_timeout = config.daemon.timeout_seconds  # the token endpoint's, as for the IMAP logins
        if settings.username and settings.auth == "password":
            self.password = os.environ.get(settings.password_env, "")
            if not self.password:
                raise ConfigError(config.source, "delivery.smtp.password_env",
                                  f"the environment variable {settings.password_env} is not set")

    def send(self, envelope_from: str, recipient: str, data: bytes, *,
             before_data: Callable[[], None] = lambda: None) -> SendResult:
        return asyncio.run(self._send(envelope_from, recipient, data, before_data))

    async def _send(self, envelope_from: str, recipient: str, data: bytes,
                    before_data: Callable[[], None]) -> SendResult:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.host, port=s.smtp_port(), timeout=s.timeout_seconds, local_hostname=self.helo_name,
            use_tls=s.tls == "implicit", start_tls=s.tls == "starttls",
            tls_context=ssl.create_default_context() if s.tls != "none" else None)
        step = "connect"
        try:
            await client.connect()
            if s.tls == "none":
                self._require_loopback_peer(client)
            if self.username:  # password or OAuth2 token: mailbot/auth/login.py knows which
                await smtp_login(client, self.oauth2_account, self.username, self.password, self.token_timeout)
            step = "mail"
            await client.mail(envelope_from)
            step = "rcpt"
            await client.rcpt(recipient)
            before_data()
            step = "data"
            response = await client.data(data)
            return SendResult("accepted", response.code, response.message)
        except aiosmtplib.SMTPResponseException as e:
            if step == "connect":  # greeting, STARTTLS or login refused: the server's or the config's problem
                return SendResult("temporary", e.code, f"{type(e).__name__}: {_one_line(e.message)}",
                                  server_problem=True)
            # A reply code is a definite answer, even to DATA: the server did not take it.
            outcome = "permanent" if 500 <= e.code < 600 else "temporary"
            return SendResult(outcome, e.code, _one_line(e.message), step=step.upper(),
                              recipient_refused=step == "rcpt" and _address_problem(e.code, str(e.message)))
        except AuthError as e:  # no token to log in with: the reply waits, like for a refused login
            return SendResult("temporary", None, str(e), server_problem=True)
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as e:
            if step == "data":
                return SendResult("unknown", None, f"connection lost during DATA ({type(e).__name__}: {e}); "
                                                   "the server may have accepted the reply")
            return SendResult("temporary", None, f"{type(e).__name__}: {e}", server_problem=True)
        finally:
            try:
                if client.is_connected:
                    await client.quit()
            except Exception:  # the reply's fate is decided; a failing QUIT changes nothing
                client.close()

    def check_login(self) -> str:
        """Connect and log in as sending will, send nothing (`check-config --online`); what it found.

        Raises with the server's answer when the connection or the login fails.
        """
        return asyncio.run(self._check_login())

    async def _check_login(self) -> str:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.host, port=s.smtp_port(), timeout=s.timeout_seconds, local_hostname=self.helo_name,
            use_tls=s.tls == "implicit", start_tls=s.tls == "starttls",
            tls_context=ssl.create_default_context() if s.tls != "none" else None)
        where = f"SMTP {s.host}:{s.smtp_port()}"
        try:
            await client.connect()
            if s.tls == "none":
                self._require_loopback_peer(client)
            if not self.username:
                return f"{where}: connected ({s.tls} TLS); no login configured"
            try:
                await smtp_login(client, self.oauth2_account, self.username, self.password, self.token_timeout)
            except aiosmtplib.SMTPAuthenticationError as e:
                fix = ("check the password in $" + s.password_env) if s.auth == "password" else \
                    f"the token was refused even after a refresh; run `mailbot auth login {self.oauth2_account.name}`"
                raise SmtpLoginFailed(f"{where} refused the login of {self.username}: {e.code} "
                                 f"{_one_line(e.message)}; {fix}") from None
            return f"{where}: logged in as {self.username} ({'OAuth2' if self.oauth2_account else 'password'})"
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as e:
            raise SmtpLoginFailed(f"{where}: {type(e).__name__}: {_one_line(e)}") from None
        finally:
            try:
                if client.is_connected:
                    await client.quit()
            except Exception:
                client.close()

    def _require_loopback_peer(self, client: aiosmtplib.SMTP) -> None:
        peer = client.transport.get_extra_info("peername") if client.transport else None
        host = str(peer[0]).split("%")[0] if peer else ""
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise UnsafeSmtp(f"{self.settings.host} resolved to {host or 'an unknown peer'}, not a loopback "
                             "address; refusing to send in clear text")


def _address_problem(code: int, message: str) -> bool:
    """RFC 3463: 5.1.x is the address itself; a refusal like 5.7.1 (relaying denied) is our
    server's policy, and marking the customer as bounced for it would silence us for good."""
    enhanced = message.strip().split(" ", 1)[0]
    if enhanced[:2] == "5." and enhanced.count(".") == 2:
        return enhanced.startswith("5.1.")
    return code in (550, 551, 553)


def _one_line(text) -> str:
    return " ".join(str(text).split())[:500]
