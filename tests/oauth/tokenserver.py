"""A small OAuth2 authorization server on loopback, for tests: the provider's side of mailbot's logins.

It speaks what Google's and Microsoft's token endpoints speak, as far as
mailbot uses it (RFC 6749 refresh and authorization-code grants with PKCE,
RFC 8628 device codes), and what Dovecot's oauth2 passdb and the tests' SMTP
server ask (RFC 7662 introspection).  Access tokens live `lifetime` seconds.

    server = TokenServer(lifetime=5).start()
    refresh = server.add_refresh_token("support@keysme.test")
    server.revoke(refresh); server.restore(refresh)
    server.mode = "garbage"   # or "error", "timeout", "server-error": how /token misbehaves
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "mailbot-tests"


@dataclass
class Grant:
    username: str
    revoked: bool = False


@dataclass
class TokenServer:
    lifetime: float = 5.0
    rotate: bool = False  # hand out a new refresh token with each refresh (Microsoft does)
    mode: str = "ok"
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> (username, expires)
    codes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code -> (username, challenge, redirect)
    devices: dict[str, dict] = field(default_factory=dict)
    token_requests: list[dict] = field(default_factory=list)
    introspections: list[tuple[str, bool]] = field(default_factory=list)  # (username or "", active)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "TokenServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest's output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                path = self.path.split("?")[0]
                handler = {"/token": server._token, "/introspect": server._introspect,
                           "/device": server._device}.get(path)
                if handler is None:
                    return self._send(404, {"error": "not_found"})
                status, body = handler(form)
                if status == 0:  # garbage: not JSON at all
                    return self._send(200, body, "text/html")
                self._send(status, body)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if url.path != "/authorize":
                    return self._send(404, {"error": "not_found"})
                query = dict(urllib.parse.parse_qsl(url.query))
                # The user "consents" at once: straight back to the app's redirect URI with a code.
                location = server._authorize(query)
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _send(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="token-server", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # What the tests do as the provider's administrator.

    def add_refresh_token(self, username: str) -> str:
        token = "rt-" + secrets.token_urlsafe(16)
        with self.lock:
            self.refresh_tokens[token] = Grant(username)
        return token

    def revoke(self, refresh_token: str) -> None:
        """Revoke the grant: its refresh token and every access token given for it stop working."""
        with self.lock:
            grant = self.refresh_tokens[refresh_token]
            grant.revoked = True
            self.access_tokens = {t: v for t, v in self.access_tokens.items() if v[0] != grant.username}

    def restore(self, refresh_token: str) -> None:
        with self.lock:
            self.refresh_tokens[refresh_token].revoked = False

    def approve_device(self, user_code: str, username: str) -> None:
        with self.lock:
            for device in self.devices.values():
                if device["user_code"] == user_code:
                    device["username"] = username

    def refreshes(self) -> int:
        return sum(1 for r in self.token_requests if r.get("grant_type") == "refresh_token")

    def failed_introspections(self) -> list[str]:
        return [user for user, active in self.introspections if not active]

    def is_live(self, access_token: str) -> str | None:
        """The username of a live access token, else None (what /introspect tells Dovecot)."""
        with self.lock:
            username, expires = self.access_tokens.get(access_token, ("", 0.0))
        return username if username and time.time() < expires else None

    # The endpoints.

    def _issue(self, username: str, refresh_token: str | None) -> dict:
        access = "at-" + secrets.token_urlsafe(16)
        with self.lock:
            self.access_tokens[access] = (username, time.time() + self.lifetime)
        token = {"access_token": access, "token_type": "Bearer", "expires_in": int(self.lifetime),
                 "scope": "mail"}
        if refresh_token:
            token["refresh_token"] = refresh_token
        return token

    def _token(self, form: dict) -> tuple[int, object]:
        self.token_requests.append({k: v for k, v in form.items() if k in ("grant_type", "scope", "client_id")})
        if self.mode == "timeout":
            time.sleep(30)
        if self.mode == "garbage":
            return 0, "<html><body>Service temporarily unavailable</body></html>"
        if self.mode == "server-error":
            return 500, {"error": "server_error"}
        if self.mode == "error":
            return 400, {"error": "invalid_client", "error_description": "Unknown client"}
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client", "error_description": "Unknown client"}
        grant_type = form.get("grant_type")
        if grant_type == "refresh_token":
            with self.lock:
                grant = self.refresh_tokens.get(form.get("refresh_token", ""))
            if grant is None or grant.revoked:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            refresh = form["refresh_token"]
            if self.rotate:
                refresh = self.add_refresh_token(grant.username)
            return 200, self._issue(grant.username, refresh)
        if grant_type == "authorization_code":
            username, challenge, redirect = self.codes.pop(form.get("code", ""), ("", "", ""))
            verifier = form.get("code_verifier", "")
            computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not username or computed != challenge or form.get("redirect_uri") != redirect:
                return 400, {"error": "invalid_grant", "error_description": "bad code, verifier or redirect_uri"}
            return 200, self._issue(username, self.add_refresh_token(username))
        if grant_type == "urn:ietf:params:oauth:grant-type:device_code":
            device = self.devices.get(form.get("device_code", ""))
            if device is None:
                return 400, {"error": "expired_token"}
            if not device.get("username"):
                return 400, {"error": "authorization_pending"}
            del self.devices[form["device_code"]]
            return 200, self._issue(device["username"], self.add_refresh_token(device["username"]))
        return 400, {"error": "unsupported_grant_type"}

    def _device(self, form: dict) -> tuple[int, object]:
        if form.get("client_id") != CLIENT_ID:
            return 400, {"error": "invalid_client"}
        code, user_code = secrets.token_urlsafe(16), secrets.token_hex(4).upper()
        self.devices[code] = {"user_code": user_code, "username": None}
        return 200, {"device_code": code, "user_code": user_code, "verification_uri": f"{self.url}/device-login",
                     "expires_in": 60, "interval": 1,
                     "message": f"To sign in, open {self.url}/device-login and enter the code {user_code}."}

    def _authorize(self, query: dict) -> str:
        redirect = query.get("redirect_uri", "")
        username = "support@keysme.test"
        code = secrets.token_urlsafe(12)
        self.codes[code] = (username, query.get("code_challenge", ""), redirect)
        params = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
        return f"{redirect}?{params}"

    def _introspect(self, form: dict) -> tuple[int, object]:
        username = self.is_live(form.get("token", ""))
        with self.lock:
            self.introspections.append((username or "", username is not None))
        if username is None:
            return 200, {"active": False}
        return 200, {"active": True, "username": username}
