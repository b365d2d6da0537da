"""`mailbot auth login`: getting an account's first refresh token from a person.

- device code (RFC 8628; Microsoft's default): mailbot shows a code, the
  person enters it on the provider's page from any device, mailbot polls;
- browser (the installed-app flow, RFC 8252; Google's default): the provider's
  consent page redirects to a one-shot HTTP listener on 127.0.0.1 with a code,
  exchanged with PKCE (RFC 7636) so an intercepted code is worth nothing;
- paste: a refresh token got elsewhere, checked by one refresh.

authlib builds the authorization URL and does every token request; the one
request it has no client for, RFC 8628's device authorization, is a plain
form POST.  Each flow returns the token endpoint's answer; `save_login`
puts it where the account's config says the refresh token lives.
"""

from __future__ import annotations

import http.server
import secrets
import threading
import time
import urllib.parse
from typing import Callable

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from .errors import AuthError, TokenEndpointError
from .tokens import TokenSource, token_record

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def paste_flow(source: TokenSource, refresh_token: str) -> dict:
    refresh_token = refresh_token.strip()
    if not refresh_token:
        raise AuthError(source.account.name, "no refresh token given")
    token = source.exchange(refresh_token=refresh_token)
    return {**token, "refresh_token": token.get("refresh_token") or refresh_token}


def device_flow(source: TokenSource, say: Callable[[str], None], *, timeout: float = 900) -> dict:
    name, url = source.account.name, source.endpoints.device_authorization_url
    if not url:
        raise AuthError(name, "this provider has no device-code login mailbot knows; use --browser or --paste")
    data = {"client_id": source.settings.client_id, "scope": " ".join(source.endpoints.scopes)}
    try:
        response = requests.post(url, data=data, headers={"Accept": "application/json"}, timeout=source.timeout)
        answer = response.json()
    except requests.RequestException as e:
        raise TokenEndpointError(name, f"device authorization at {url}: {type(e).__name__}: {e}") from None
    except ValueError:
        raise TokenEndpointError(name, f"device authorization at {url} answered with something other than "
                                       f"JSON (HTTP {response.status_code})") from None
    if not isinstance(answer, dict) or "device_code" not in answer:
        error = answer.get("error_description") or answer.get("error") if isinstance(answer, dict) else None
        raise TokenEndpointError(name, f"device authorization at {url} refused: {error or response.status_code}")
    say(answer.get("message") or f"To sign in, open {answer.get('verification_uri')} and enter the code "
                                  f"{answer.get('user_code')}.")
    interval = max(1.0, float(answer.get("interval") or 5))
    deadline = time.monotonic() + min(timeout, float(answer.get("expires_in") or timeout))
    while time.monotonic() < deadline:
        time.sleep(interval)
        try:
            return source.exchange(grant_type=DEVICE_CODE_GRANT, device_code=answer["device_code"])
        except TokenEndpointError as e:
            if e.error == "authorization_pending":
                continue
            if e.error == "slow_down":  # RFC 8628 3.5: add 5 seconds to the interval
                interval += 5
                continue
            raise
    raise AuthError(name, "the sign-in was not completed in time; run `mailbot auth login` again")


def browser_flow(source: TokenSource, say: Callable[[str], None], *, open_browser: bool = True,
                 timeout: float = 600) -> dict:
    name = source.account.name
    if not source.endpoints.authorization_url:
        raise AuthError(name, "this provider has no browser login mailbot knows; use --device or --paste")
    listener = _RedirectListener()
    redirect_uri = f"http://127.0.0.1:{listener.port}/"
    verifier = generate_token(64)
    session = OAuth2Session(source.settings.client_id, scope=" ".join(source.endpoints.scopes),
                            redirect_uri=redirect_uri, code_challenge_method="S256")
    state = secrets.token_urlsafe(24)
    url, _ = session.create_authorization_url(source.endpoints.authorization_url, state=state,
                                              code_verifier=verifier, **dict(source.endpoints.authorization_params))
    session.close()
    say(f"Open this page in a browser on this machine and allow access:\n{url}")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        query = listener.wait(timeout)
    finally:
        listener.close()
    if query is None:
        raise AuthError(name, f"no answer from the browser within {timeout:g} s; run `mailbot auth login` again")
    if query.get("state") != state:
        raise AuthError(name, "the browser's answer does not belong to this login (state differs); try again")
    if "code" not in query:
        raise AuthError(name, f"the provider refused: {query.get('error_description') or query.get('error')}")
    return source.exchange(grant_type="authorization_code", code=query["code"], redirect_uri=redirect_uri,
                           code_verifier=verifier)


def save_login(source: TokenSource, token: dict) -> str:
    """Keep the refresh token where the config says; what to tell the person (never the token,
    unless the config keeps it in an environment variable that only they can set)."""
    name = source.account.name
    if not token.get("refresh_token"):
        raise AuthError(name, "the provider gave no refresh token (Microsoft needs the offline_access scope, "
                              "Google a consent with access_type=offline)")
    if source.file is None:
        return (f"{source.settings.refresh_token_env}={token['refresh_token']}\n"
                f"# account {name}: put the line above into the environment mailbot runs in "
                f"(the EnvironmentFile of its service, mode 0600)")
    with source.file.locked():
        source.file.save(token_record(name, token))
    return f"account {name}: refresh token saved in {source.file.path} (mode 0600)"


class _RedirectListener:
    """One HTTP request on 127.0.0.1: the provider's redirect with the code."""

    def __init__(self):
        self.query: dict | None = None
        self.done = threading.Event()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                if not ({"code", "error"} & query.keys()):  # a favicon or a stray request
                    self.send_response(404)
                    self.end_headers()
                    return
                body = b"mailbot: sign-in received; you can close this page.\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                listener.query = query
                listener.done.set()

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    def wait(self, timeout: float) -> dict | None:
        return self.query if self.done.wait(timeout) else None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
