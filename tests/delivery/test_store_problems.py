"""Issue 14: a corrupt store, a full disk at start-up, a read-only store: one line, non-zero, mailbox untouched.

Each command that opens the store (status, review, send-approved, run,
triage) runs as a person runs it.  A full disk and a read-only file system
are real ones: a small tmpfs, and a read-only bind mount, in a private mount
namespace (`unshare -Urm`), so the test needs no privilege and changes
nothing outside itself.  The daemon's mailbox is a real Dovecot, compared
before and after.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from conftest import CONFIG_CHOICE
from mailbot.store import Store

from .conftest import customer_mail

pytestmark = pytest.mark.integration

MAILBOT = str(Path(sys.executable).parent / "mailbot")
COMMANDS = (("status",), ("review", "list"), ("review", "show", "1"), ("send-approved",), ("run", "--once"),
            ("triage", "--store", "{store}", "{mail}"))


def namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(not namespaces_work(),
                                      reason="needs unprivileged mount namespaces (unshare -Urm) for a real "
                                             "full or read-only file system")


@pytest.fixture
def setup(tmp_path, dovecot, imap_password):
    """A store folder, a config using it and the Dovecot mailbox, a message in INBOX and one on disk."""
    dovecot.append([customer_mail(1)])
    folder = tmp_path / "storage"
    folder.mkdir()
    config = tmp_path / "mailbot.toml"
    config.write_text(tomli_w.dumps({"mode": "draft", "store": {"path": str(folder / "store.sqlite3")},
                                     "accounts": [dovecot.account()]}))
    mail = tmp_path / "a.eml"
    mail.write_bytes(customer_mail(2))
    return folder, config, mail


def mailbox_state(dovecot) -> tuple:
    with dovecot.client() as imap:
        folders = sorted(name for _, _, name in imap.list_folders())
        imap.select_folder("INBOX", readonly=True)
        flags = sorted((uid, sorted(data[b"FLAGS"])) for uid, data in imap.fetch(imap.search("ALL"), ["FLAGS"]).items())
    return folders, flags


def run_all(folder: Path, config: Path, mail: Path, prepare: str = "") -> list[tuple[tuple, subprocess.CompletedProcess]]:
    """Every command; with `prepare`, each inside a private mount namespace after that shell script."""
    results = []
    for command in COMMANDS:
        args = [a.format(store=folder / "triage.sqlite3", mail=mail) for a in command]
        argv = [MAILBOT, *args, "--config", str(config)]
        if prepare:
            argv = ["unshare", "-Urm", "sh", "-c", f"{prepare} && exec {shlex.join(argv)}"]
        results.append((command, subprocess.run(argv, capture_output=True, text=True, timeout=180)))
    return results


def assert_one_line(results, *words: str) -> None:
    for command, result in results:
        name = " ".join(command[:2])
        assert result.returncode == 3, f"{name}: exit {result.returncode}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, f"{name}: {result.stderr[-2000:]}"
        # The first line says which config file is used (configfile.py); the problem is the other one.
        problem = [line for line in result.stderr.splitlines()
                   if line.startswith("mailbot: ") and not CONFIG_CHOICE.match(line)]
        assert len(problem) == 1, f"{name}: {result.stderr}"
        for word in words:
            assert word in problem[0], f"{name}: {problem[0]}"


def make_store(path: Path) -> None:
    store = Store(path)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def test_a_corrupt_store_is_one_line_with_the_fix_and_the_mailbox_is_untouched(setup, dovecot):
    folder, config, mail = setup
    for name in ("store.sqlite3", "triage.sqlite3"):
        make_store(folder / name)
        data = bytearray((folder / name).read_bytes())
        data[:100] = b"\x00garbage" * 12 + b"\x00" * 4  # the header: SQLite no longer knows the file
        (folder / name).write_bytes(bytes(data))
    before = mailbox_state(dovecot)
    assert_one_line(run_all(folder, config, mail), "is corrupt", "mailbot store check", "from a backup",
                    "mailbot store rebuild")
    assert mailbox_state(dovecot) == before

    checked = subprocess.run([MAILBOT, "store", "check", "--config", str(config)], capture_output=True, text=True)
    assert checked.returncode == 3 and "NOT usable" in checked.stdout and "corrupt" in checked.stdout


@needs_namespaces
def test_a_full_disk_at_start_up_is_one_line_and_the_mailbox_is_untouched(setup, dovecot):
    folder, config, mail = setup
    make_store(folder / "store.sqlite3")
    make_store(folder / "triage.sqlite3")
    saved = folder.parent / "saved"
    shutil.copytree(folder, saved)
    # A 1 MiB file system holding the stores, then filled to the last block.
    prepare = (f"mount -t tmpfs -o size=1m tmpfs {shlex.quote(str(folder))} && "
               f"cp {shlex.quote(str(saved))}/* {shlex.quote(str(folder))}/ && "
               f"(dd if=/dev/zero of={shlex.quote(str(folder / 'filler'))} bs=4k 2>/dev/null; true)")
    before = mailbox_state(dovecot)
    assert_one_line(run_all(folder, config, mail, prepare), "is full", "free some space")
    assert mailbox_state(dovecot) == before


@needs_namespaces
def test_a_read_only_store_is_one_line_and_the_mailbox_is_untouched(setup, dovecot):
    folder, config, mail = setup
    make_store(folder / "store.sqlite3")
    make_store(folder / "triage.sqlite3")
    where = shlex.quote(str(folder))
    prepare = f"mount --bind {where} {where} && mount -o remount,bind,ro {where}"
    before = mailbox_state(dovecot)
    assert_one_line(run_all(folder, config, mail, prepare), "cannot be written", "write access")
    assert mailbox_state(dovecot) == before


def test_store_check_says_ok_for_a_sound_store(setup):
    folder, config, _ = setup
    make_store(folder / "store.sqlite3")
    checked = subprocess.run([MAILBOT, "store", "check", "--config", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK (integrity ok, schema 2" in checked.stdout and "writable" in checked.stdout


def test_damage_inside_the_store_stops_the_daemon_before_it_reads_the_mailbox(setup, dovecot):
    # A damaged page deep in the file opens without complaint; only reading it fails. The
    # daemon checks the whole file at start-up instead of finding out half-way through a pass.
    folder, config, _ = setup
    store = Store(folder / "store.sqlite3")
    for n in range(3000):
        store.record(f"id-{n}", {"source": "x" * 200, "intent": "other"})
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray((folder / "store.sqlite3").read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle:middle + 4096] = b"\xff" * 4096
    (folder / "store.sqlite3").write_bytes(bytes(data))
    before = mailbox_state(dovecot)
    result = subprocess.run([MAILBOT, "run", "--once", "--config", str(config)], capture_output=True, text=True,
                            timeout=180)
    assert_one_line([(("run",), result)], "is corrupt", "mailbot store rebuild")
    assert mailbox_state(dovecot) == before
