"""Fixtures for the OAuth2 tests: the token server, Dovecot validating its tokens, an SMTP server taking them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from delivery.conftest import smtp_server  # noqa: F401  (shared fixtures)
from integration.conftest import dovecot, dovecot_factory  # noqa: F401
from integration.dovecot import DovecotUnavailable, dovecot_binary

from .dovecot_oauth2 import OAuth2Dovecot
from .tokenserver import TokenServer


@pytest.fixture
def token_server():
    server = TokenServer(lifetime=5).start()
    yield server
    server.stop()


@pytest.fixture
def oauth2_dovecot(token_server):
    """A running Dovecot that logs mailbot in only with a live token from `token_server`."""
    try:
        dovecot_binary()
        root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-oauth2-"))
        root.chmod(0o755)
        server = OAuth2Dovecot(root, introspection_url=token_server.url)
        server.start()
    except DovecotUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    yield server
    server.remove()
