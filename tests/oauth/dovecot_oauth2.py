"""The tests' Dovecot (integration/dovecot.py) logging users in with OAuth2 bearer tokens.

Tokens go to the token server's introspection URL (see
../../shared/notes/dovecot-oauth2.md for the settings); the password login
stays for the test's own client (appending mail, reading flags), limited to
PLAIN and LOGIN so that mailbot's XOAUTH2/OAUTHBEARER logins can only succeed
through the token server.
"""

from __future__ import annotations

from pathlib import Path

from integration.dovecot import Dovecot

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
"""

PASSDBS = """\
passdb {{
  driver = oauth2
  mechanisms = {mechanisms}
  args = {root}/dovecot-oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
# No auth penalty: one refused token would delay the next login past a test token's life.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


class OAuth2Dovecot(Dovecot):
    def __init__(self, root: Path, *, introspection_url: str, mechanisms: str = "xoauth2 oauthbearer", **kwargs):
        self.introspection_url, self.mechanisms = introspection_url, mechanisms
        super().__init__(root, **kwargs)

    def _write_config(self) -> None:
        super()._write_config()
        (self.root / "dovecot-oauth2.conf.ext").write_text(OAUTH2_CONF.format(url=self.introspection_url))
        text = self.config_path.read_text()
        start = text.index("passdb {")
        end = text.index("}", start) + 1
        text = text[:start] + PASSDBS.format(root=self.root, mechanisms=self.mechanisms) + text[end:]
        old = "auth_mechanisms = plain login"
        assert old in text, "integration/dovecot.py's config changed: update tests/oauth/dovecot_oauth2.py"
        text = text.replace(old, f"auth_mechanisms = plain login {self.mechanisms}")
        self.config_path.write_text(text)

    def oauth2_account(self, name: str = "support", *, token_url: str, **settings) -> dict:
        """The [[accounts]] entry for mailbot with OAuth2 against this server and the token server."""
        account = self.account(name, **settings)
        del account["password_env"]
        oauth2 = {"provider": "custom", "client_id": "mailbot-tests", "token_url": token_url, "scopes": ["mail"],
                  **account.pop("oauth2", {})}
        return {**account, "auth": "oauth2", "oauth2": oauth2}
