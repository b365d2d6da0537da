"""Fixtures for tests against a real Dovecot started by the tests (see dovecot.py).

A machine without Dovecot fails these tests with a message saying what to
install: an IMAP test that skips is a test that never runs.
"""

from __future__ import annotations

import pytest

from .dovecot import Dovecot, DovecotUnavailable


def start_dovecot(**kwargs) -> Dovecot:
    try:
        server = Dovecot.create(**kwargs)
        server.start()
    except DovecotUnavailable as e:
        pytest.fail(str(e), pytrace=False)
    return server


@pytest.fixture
def dovecot():
    """A running Dovecot with an empty mailbox for USER; removed after the test."""
    server = start_dovecot()
    yield server
    server.remove()


@pytest.fixture
def dovecot_factory():
    """Start Dovecots with other settings, e.g. `dovecot_factory(capabilities="IMAP4rev1 UIDPLUS")`."""
    servers = []

    def start(**kwargs) -> Dovecot:
        servers.append(start_dovecot(**kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.remove()
