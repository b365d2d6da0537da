"""Reviewers, their sessions, and failed logins: three small tables in the store.

Passwords are kept only as argon2id hashes (argon2-cffi).  A session is a
random token in a cookie; the store keeps its SHA-256, so a copy of the
store gives no one a live session.  Each session has its own CSRF token.
Failed logins are counted per name and per client address; after a few,
every further attempt waits longer before it is answered (see delay()).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..delivery.tables import timestamp
from ..errors import MailbotError

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_users (
    name        TEXT PRIMARY KEY,
    hash        TEXT NOT NULL,           -- argon2id, with its own salt and parameters
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash  TEXT PRIMARY KEY,        -- SHA-256 of the cookie's token
    user        TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_login_failures (
    key         TEXT NOT NULL,           -- "name:<name>" or "addr:<client address>"
    at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_login_failures_key ON web_login_failures (key, at)
"""

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
FREE_FAILURES = 3  # a typo or two costs nothing
FAILURE_WINDOW = timedelta(minutes=15)
MAX_DELAY_SECONDS = 30.0
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class UserError(MailbotError):
    """A user cannot be added or removed as asked."""


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    expires_at: str


def ensure_web_tables(db: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Users:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        ensure_web_tables(db)

    def add(self, name: str, password: str, now: datetime) -> None:
        if not NAME.match(name):
            raise UserError(f"{name!r} is not a user name: letters, digits and . _ @ - (at most 64)")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
        try:
            self.db.execute("INSERT INTO web_users (name, hash, created_at) VALUES (?, ?, ?)",
                            (name, _hasher.hash(password), timestamp(now)))
        except sqlite3.IntegrityError:
            raise UserError(f"user {name} exists already") from None

    def remove(self, name: str) -> None:
        if self.db.execute("DELETE FROM web_users WHERE name = ?", (name,)).rowcount == 0:
            raise UserError(f"no user {name}")
        self.db.execute("DELETE FROM web_sessions WHERE user = ?", (name,))  # logged out everywhere at once

    def list(self) -> list[tuple[str, str]]:
        return self.db.execute("SELECT name, created_at FROM web_users ORDER BY name").fetchall()

    def verify(self, name: str, password: str) -> bool:
        row = self.db.execute("SELECT hash FROM web_users WHERE name = ?", (name,)).fetchone()
        try:
            return _hasher.verify(row[0] if row else _DUMMY_HASH, password) and row is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    # Sessions

    def start_session(self, name: str, now: datetime, hours: float) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(name, secrets.token_urlsafe(32), timestamp(now + timedelta(hours=hours)))
        self.db.execute("DELETE FROM web_sessions WHERE expires_at < ?", (timestamp(now),))
        self.db.execute("INSERT INTO web_sessions (token_hash, user, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                        (_digest(token), name, session.csrf, timestamp(now), session.expires_at))
        return token, session

    def session(self, token: str, now: datetime) -> Session | None:
        if not token:
            return None
        row = self.db.execute(
            "SELECT s.user, s.csrf, s.expires_at FROM web_sessions s JOIN web_users u ON u.name = s.user "
            "WHERE s.token_hash = ? AND s.expires_at > ?", (_digest(token), timestamp(now))).fetchone()
        return Session(*row) if row else None

    def end_session(self, token: str) -> None:
        self.db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_digest(token),))

    # Failed logins

    def login_delay(self, keys: list[str], now: datetime) -> float:
        """Seconds the next attempt waits: none for the first few failures, then doubling up to a cap."""
        since = timestamp(now - FAILURE_WINDOW)
        worst = max((self.db.execute("SELECT COUNT(*) FROM web_login_failures WHERE key = ? AND at > ?",
                                     (key, since)).fetchone()[0] for key in keys), default=0)
        return delay(worst)

    def login_failed(self, keys: list[str], now: datetime) -> None:
        self.db.execute("DELETE FROM web_login_failures WHERE at < ?", (timestamp(now - FAILURE_WINDOW),))
        self.db.executemany("INSERT INTO web_login_failures (key, at) VALUES (?, ?)",
                            [(key, timestamp(now)) for key in keys])

    def login_succeeded(self, name: str) -> None:
        self.db.execute("DELETE FROM web_login_failures WHERE key = ?", (f"name:{name}",))


def delay(failures: int) -> float:
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_FAILURES))
