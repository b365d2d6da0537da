"""aiosmtpd with AUTH XOAUTH2 checked at the token server: the tests' stand-in for Gmail's or Outlook's SMTP."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from aiosmtpd.smtp import AuthResult

from delivery.conftest import SmtpHandler

from .tokenserver import TokenServer


@dataclass
class XOAuth2Handler(SmtpHandler):
    token_server: TokenServer | None = None
    logins: list[tuple[str, str, bool]] = field(default_factory=list)  # (user, access token, accepted)

    async def auth_XOAUTH2(self, server, args):
        """RFC-less but documented by Google: base64("user=U^Aauth=Bearer T^A^A"); an error is a 334 challenge."""
        blob = args[1].encode() if len(args) > 1 else await server.challenge_auth("", encode_to_b64=False)
        try:
            text = base64.b64decode(blob).decode()
        except ValueError:
            return AuthResult(success=False, handled=False, message="501 5.5.2 Cannot decode")
        match = re.fullmatch(r"user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01", text)
        user, token = (match.group(1), match.group(2)) if match else ("", "")
        live = self.token_server.is_live(token)
        accepted = live is not None and live == user
        self.logins.append((user, token, accepted))
        if accepted:
            return AuthResult(success=True, auth_data=user)
        error = base64.b64encode(b'{"status":"401","schemes":"bearer","scope":"mail"}')
        await server.challenge_auth(error, encode_to_b64=False)  # the client answers with an empty line
        return AuthResult(success=False, handled=False, message="535 5.7.8 Username and Password not accepted")
