"""Access tokens for one OAuth2 account: kept while they are good, refreshed before they expire.

The exchange itself is authlib's (`OAuth2Session.refresh_token`); this module
decides when to refresh, where the refresh token comes from (an environment
variable or the token file) and what each failure means:

- the provider answers `invalid_grant`: the refresh token is revoked or
  expired, and only a person can get a new one (`NeedsLogin`);
- any other error, a timeout, a refused connection or an answer that is not a
  token: `TokenEndpointError`, which the caller's usual backoff retries.

One `TokenSource` per account and process (`token_source`), shared by every
folder's IMAP connection and by SMTP, so a token is refreshed once, not once
per connection.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError

from .. import metrics
from ..config import AccountConfig
from .errors import NeedsLogin, TokenEndpointError
from .providers import endpoints
from .tokenfile import TokenFile

# Refresh when this share of a token's life is left (at most MAX_LEEWAY seconds): a token that
# expires between our check and the server's is a failed login for nothing.
LEEWAY_SHARE = 0.2
MAX_LEEWAY = 120.0
DEFAULT_LIFETIME = 3600.0  # when the provider does not say (RFC 6749 5.1 makes expires_in optional)
# The provider's words for "this refresh token is no good any more" (RFC 6749 5.2).
REVOKED = {"invalid_grant"}


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: float  # time.time()
    issued_at: float

    def fresh(self, now: float) -> bool:
        leeway = min(MAX_LEEWAY, (self.expires_at - self.issued_at) * LEEWAY_SHARE)
        return now < self.expires_at - leeway


class TokenSource:
    def __init__(self, account: AccountConfig, timeout: float):
        assert account.oauth2 is not None
        self.account, self.settings, self.timeout = account, account.oauth2, timeout
        self.endpoints = endpoints(self.settings)
        self.file = TokenFile(account.name, self.settings.token_file) if self.settings.token_file else None
        self._lock = threading.Lock()
        self._token: AccessToken | None = None

    # What logins ask for.

    def access_token(self, *, refused: str | None = None) -> AccessToken:
        """A token good for a while yet; `refused`: a token the server just refused, never handed out again."""
        with self._lock:
            now = time.time()
            if self._usable(self._token, refused, now):
                return self._token
            if self.file is None:
                self._token = self._refresh(self._env_refresh_token(), None)
                return self._token
            with self.file.locked():
                stored = self.file.load()  # another process may have refreshed meanwhile
                cached = _stored_access_token(stored)
                if self._usable(cached, refused, now):
                    self._token = cached
                    return cached
                if not stored or not stored.get("refresh_token"):
                    raise NeedsLogin(self.account.name, f"no refresh token in {self.file.path} yet")
                self._token = self._refresh(stored["refresh_token"], stored)
                return self._token

    def state(self) -> dict:
        """For `mailbot auth status`: where the refresh token is and until when the access token holds; no secret."""
        if self.file is None:
            present = bool(os.environ.get(self.settings.refresh_token_env))
            token = self._token
            return {"refresh_token": f"${self.settings.refresh_token_env} " + ("set" if present else "NOT SET"),
                    "access_token_expires_at": token.expires_at if token else None}
        stored = self.file.load()
        cached = _stored_access_token(stored)
        return {"refresh_token": f"{self.file.path} " + ("present" if stored and stored.get("refresh_token")
                                                         else "missing"),
                "access_token_expires_at": cached.expires_at if cached else None,
                "updated_at": (stored or {}).get("updated_at")}

    # The exchange.

    @staticmethod
    def _usable(token: AccessToken | None, refused: str | None, now: float) -> bool:
        return token is not None and token.value != refused and token.fresh(now)

    def _env_refresh_token(self) -> str:
        value = os.environ.get(self.settings.refresh_token_env, "")
        if not value:
            raise NeedsLogin(self.account.name, f"environment variable {self.settings.refresh_token_env} "
                                                "(oauth2.refresh_token_env) is not set or empty")
        return value

    def _refresh(self, refresh_token: str, stored: dict | None) -> AccessToken:
        try:
            token = self.exchange(refresh_token=refresh_token)
        except (NeedsLogin, TokenEndpointError):
            metrics.record_token_refresh_failure(self.account.name)  # alerting: docs/deploy.md
            raise
        if self.file is not None:
            # Providers may rotate the refresh token (Microsoft does): keep the newest.
            self.file.save({**(stored or {}), **token_record(self.account.name, token, refresh_token)})
        return access_token_of(token)

    def exchange(self, **grant) -> dict:
        """One request to the token endpoint: a refresh (`refresh_token=`) or a first login's grant."""
        name, url = self.account.name, self.endpoints.token_url
        secret = os.environ.get(self.settings.client_secret_env, "") if self.settings.client_secret_env else None
        if self.settings.client_secret_env and not secret:
            raise TokenEndpointError(name, f"environment variable {self.settings.client_secret_env} "
                                           "(oauth2.client_secret_env) is not set or empty")
        session = OAuth2Session(self.settings.client_id, secret, scope=" ".join(self.endpoints.scopes),
                                token_endpoint_auth_method="client_secret_post" if secret else "none")
        try:
            if "refresh_token" in grant:
                token = session.refresh_token(url, refresh_token=grant["refresh_token"], timeout=self.timeout)
            else:
                token = session.fetch_token(url, timeout=self.timeout, **grant)
        except OAuthError as e:
            text = f"{e.error}: {_one_line(e.description)}" if e.description else str(e.error)
            if e.error in REVOKED:
                raise NeedsLogin(name, f"the provider refused the refresh token ({text})") from None
            raise TokenEndpointError(name, f"token endpoint {url} refused: {text}", e.error) from None
        except requests.Timeout:
            raise TokenEndpointError(name, f"token endpoint {url} did not answer within {self.timeout:g} s") from None
        except requests.HTTPError as e:
            raise TokenEndpointError(name, f"token endpoint {url} answered HTTP {e.response.status_code} "
                                           "without a token") from None
        except requests.RequestException as e:
            raise TokenEndpointError(name, f"token endpoint {url}: {type(e).__name__}: {_one_line(e)}") from None
        except ValueError as e:  # authlib: the body is not a JSON object
            raise TokenEndpointError(name, f"token endpoint {url} answered with something other than a token "
                                           f"({_one_line(e)})") from None
        finally:
            session.close()
        if not isinstance(token.get("access_token"), str) or not token["access_token"]:
            raise TokenEndpointError(name, f"token endpoint {url} answered without an access_token")
        return dict(token)


def access_token_of(token: dict) -> AccessToken:
    now = time.time()
    try:
        lifetime = float(token.get("expires_in") or DEFAULT_LIFETIME)
    except (TypeError, ValueError):
        lifetime = DEFAULT_LIFETIME
    return AccessToken(token["access_token"], now + max(lifetime, 0.0), now)


def token_record(account: str, token: dict, refresh_token: str = "") -> dict:
    """What the token file keeps of a token endpoint's answer."""
    access = access_token_of(token)
    return {"account": account, "refresh_token": token.get("refresh_token") or refresh_token,
            "access_token": access.value, "issued_at": access.issued_at, "expires_at": access.expires_at,
            "scope": token.get("scope", ""), "updated_at": access.issued_at}


def _stored_access_token(stored: dict | None) -> AccessToken | None:
    if not stored:
        return None
    value, expires, issued = stored.get("access_token"), stored.get("expires_at"), stored.get("issued_at")
    if not isinstance(value, str) or not value or not isinstance(expires, (int, float)):
        return None
    return AccessToken(value, float(expires), float(issued) if isinstance(issued, (int, float)) else float(expires))


def _one_line(text) -> str:
    return " ".join(str(text).split())[:300]


_sources: dict[tuple, TokenSource] = {}
_sources_lock = threading.Lock()


def token_source(account: AccountConfig, timeout: float = 30.0) -> TokenSource:
    """The account's TokenSource in this process (one per account and token settings)."""
    key = (account.name, account.oauth2.model_dump_json())
    with _sources_lock:
        if key not in _sources:
            _sources[key] = TokenSource(account, timeout)
        return _sources[key]
