"""A real Dovecot IMAP server for tests: start, stop, restart, append mail.

Each `Dovecot` runs its own master process in the foreground from a config
written into its own directory (base_dir, state, log, passwd-file, Maildir),
listening on a free port on 127.0.0.1 with plain-text login: nothing else on
the machine is touched and nothing leaves it.

The tests run as root (CI does).  Dovecot refuses to run its login process
as root, so login runs as `dovenull` and internal processes as `dovecot`,
the users the Debian package `dovecot-imapd` creates; the mail itself is
stored as `dovecot` too, which is why the directory lives outside pytest's
root-only tmp_path.

    server = Dovecot.create()
    server.start()
    server.append([b"From: ...\\r\\n\\r\\nbody\\r\\n"])
    with server.client("INBOX") as imap: ...
    server.restart()
    server.stop(); server.remove()
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from imapclient import IMAPClient

USER = "support@keysme.test"
PASSWORD = "test-password"  # a throw-away password for a throw-away server
PASSWORD_ENV = "MAILBOT_TEST_IMAP_PASSWORD"

CONFIG = """\
# Written by tests/integration/dovecot.py for one test server.
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = {mail_uid}
mail_location = maildir:{root}/mail/%n
mail_fsync = never
mail_max_userip_connections = 200
{capabilities}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


class DovecotUnavailable(RuntimeError):
    """This machine cannot run the test server; the message says what to install or change."""


def dovecot_binary() -> str:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if binary is None:
        raise DovecotUnavailable("the IMAP integration tests need Dovecot: `apt-get install dovecot-imapd` "
                                 "(scripts/test.sh installs it)")
    if os.geteuid() != 0:
        raise DovecotUnavailable("the IMAP integration tests start Dovecot, which must run as root")
    for user in ("dovecot", "dovenull"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            raise DovecotUnavailable(f"user {user!r} is missing: reinstall the Debian package dovecot-core") from None
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, root: Path, *, port: int | None = None, capabilities: str | None = None):
        """`capabilities`: replace the post-login CAPABILITY list, e.g. to hide MOVE or IDLE."""
        self.binary = dovecot_binary()
        self.root, self.port = Path(root), port or free_port()
        self.host, self.user, self.password = "127.0.0.1", USER, PASSWORD
        self.capabilities = capabilities
        self.process: subprocess.Popen | None = None
        self._write_config()

    @classmethod
    def create(cls, **kwargs) -> "Dovecot":
        dovecot_binary()  # before making anything to clean up
        root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-"))
        root.chmod(0o755)  # the mail processes run as `dovecot` and must reach mail/
        return cls(root, **kwargs)

    def _write_config(self) -> None:
        mail_user = pwd.getpwnam("dovecot")
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chown(self.root / "mail", mail_user.pw_uid, mail_user.pw_gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        capabilities = f"imap_capability = {self.capabilities}" if self.capabilities else ""
        self.config_path.write_text(CONFIG.format(root=self.root, port=self.port, mail_uid=mail_user.pw_uid,
                                                  mail_gid=mail_user.pw_gid, capabilities=capabilities))

    @property
    def config_path(self) -> Path:
        return self.root / "dovecot.conf"

    def start(self, timeout: float = 15) -> None:
        if self.running:
            return
        self.process = subprocess.Popen([self.binary, "-F", "-c", str(self.config_path)],
                                        stdout=subprocess.DEVNULL, stderr=open(self.root / "master.err", "ab"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DovecotUnavailable(f"dovecot exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._greets():
                return
            time.sleep(0.05)
        self.stop()
        raise DovecotUnavailable(f"dovecot did not answer on port {self.port} within {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 15) -> None:
        """Stop the server and end every session it had, as a crash or a restart would.

        Dovecot's master leaves running IMAP sessions alive when it exits (they
        live on until their client leaves), so its processes are stopped with
        it, at once: SIGTERM, which an IMAP session answers with BYE.
        """
        if self.process is None:
            return
        children = _descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.terminate()
        _end(children, timeout)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        self.process = None
        deadline = time.monotonic() + timeout
        while self._accepts() and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("master.err", "dovecot.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _accepts(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as s:
                return s.recv(64).startswith(b"* OK")
        except OSError:
            return False

    # Talking to it as a mail client would.

    @contextmanager
    def client(self, folder: str | None = None) -> Iterator[IMAPClient]:
        imap = IMAPClient(self.host, self.port, ssl=False, timeout=30)
        try:
            imap.login(self.user, self.password)
            if folder is not None:
                imap.select_folder(folder)
            yield imap
        finally:
            try:
                imap.logout()
            except Exception:
                pass

    def append(self, messages: Iterable[bytes], folder: str = "INBOX", chunk: int = 500) -> list[int]:
        """Append messages (MULTIAPPEND in chunks where the server has it); the UIDs they got, in order."""
        messages = list(messages)
        uids: list[int] = []
        with self.client() as imap:
            if not imap.folder_exists(folder):
                imap.create_folder(folder)
            if imap.has_capability("MULTIAPPEND"):
                for start in range(0, len(messages), chunk):
                    _, lines = imap.multiappend(folder, messages[start:start + chunk])
                    uids += _appenduids(b" ".join(lines))
            else:
                for message in messages:
                    uids += _appenduids(imap.append(folder, message))
        return uids

    def account(self, name: str = "support", **settings) -> dict:
        """The [[accounts]] entry that points mailbot at this server (plain text: loopback, test only)."""
        return {"name": name, "host": self.host, "port": self.port, "tls": "none", "allow_plaintext": True,
                "username": self.user, "password_env": PASSWORD_ENV, **settings}


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _end(pids: list[int], timeout: float) -> None:
    """SIGTERM these processes, then SIGKILL whichever is still there after `timeout`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for pid in pids:
            try:
                os.kill(pid, sig)
                alive.append(pid)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while alive and time.monotonic() < deadline:
            alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
            time.sleep(0.05)
        if not alive:
            return
        pids = alive


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _appenduids(response: bytes) -> list[int]:
    """UIDs from an `[APPENDUID validity 4:6,9]` response code (RFC 4315)."""
    match = re.search(rb"APPENDUID \d+ ([\d:,]+)", response)
    if not match:
        return []
    uids: list[int] = []
    for part in match.group(1).decode().split(","):
        low, _, high = part.partition(":")
        uids += range(int(low), int(high or low) + 1)
    return uids
