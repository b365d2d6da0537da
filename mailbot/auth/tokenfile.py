"""The file an account's OAuth2 tokens live in: mode 0600, owned by the user mailbot runs as.

A refresh token is as good as the mailbox password, so a file other users
can read is refused (with the command that fixes it), never used.  Writes go
to a new file renamed over the old one, so a crash never leaves half a token;
a lock file keeps two mailbot processes from refreshing at the same time
(providers that rotate refresh tokens would otherwise see an old one reused).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import TokenFileError


class TokenFile:
    def __init__(self, account: str, path: str | os.PathLike):
        self.account, self.path = account, Path(path)

    def exists(self) -> bool:
        return self.path.exists()

    def check(self) -> None:
        """Refuse a file other users could read or change, or one that belongs to someone else."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return
        except OSError as e:
            raise TokenFileError(self.account, f"token file {self.path}: {e.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise TokenFileError(self.account, f"token file {self.path} is not a regular file")
        if info.st_uid != os.geteuid():
            raise TokenFileError(self.account, f"token file {self.path} belongs to uid {info.st_uid}, not to the "
                                               f"user mailbot runs as (uid {os.geteuid()}); run `chown "
                                               f"{os.geteuid()} {self.path}`")
        if info.st_mode & 0o077:
            raise TokenFileError(self.account, f"token file {self.path} has mode {stat.S_IMODE(info.st_mode):04o}, "
                                               f"so other users can read the token; run `chmod 600 {self.path}`")

    def load(self) -> dict | None:
        """The stored tokens, or None when there is no file yet."""
        self.check()
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise TokenFileError(self.account, f"token file {self.path}: cannot read it ({e})") from None
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("refresh_token", ""), str):
            raise TokenFileError(self.account, f"token file {self.path} is not a mailbot token file; "
                                               f"run `mailbot auth login {self.account}` to write a new one")
        return data

    def save(self, data: dict) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Only one process refreshes this account's token at a time."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
