"""`mailbot store check` and `mailbot store rebuild`: registered on the main command in mailbot/cli.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import ConfigError
from .storecheck import EXIT_STORE

EXIT_CONFIG = 2


def _config(config_path: str | None):
    from .cli import _load  # the same config discovery as every command (configfile.py)

    return _load(config_path)


@click.group("store")
def store() -> None:
    """Check the store, back it up, or recreate it from the mailbox."""


@store.command("check")
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")
def store_check(config_path, store_path) -> None:
    """Is the store whole, of a known schema, writable, with room to grow?

    Opens it read-only. Exits 3 when it is not usable, with what to do.
    """
    from .store import SCHEMA_VERSION
    from .storecheck import check_store

    config = _config(config_path)
    path = Path(store_path) if store_path else config.store_path()
    report = check_store(path, SCHEMA_VERSION)
    if report.ok:
        click.echo(f"store {report.path}: OK ({', '.join(report.facts)})")
        return
    click.echo(f"store {report.path}: NOT usable" + (f" ({', '.join(report.facts)})" if report.facts else ""))
    for line in report.problems:
        click.echo(f"  {line}")
    sys.exit(EXIT_STORE)


@store.command("rebuild")
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML) with [[accounts]].")
@click.option("--store", "store_path", type=click.Path(), help="Where the new store goes (overrides the config).")
def store_rebuild(config_path, store_path) -> None:
    """Recreate the store from the mailbox's keywords.

    Every message the mailbox marks $MailbotTriaged or $MailbotFailed is
    recorded as handled by an earlier store and never decided again; each
    folder's checkpoint resumes after them. The folders are read, never
    changed. The store must not exist yet: move a damaged one aside first.
    """
    import imaplib

    from .daemon.connection import NETWORK_ERRORS
    from .daemon.rebuild import rebuild

    config = _config(config_path)
    path = Path(store_path) if store_path else config.store_path()
    try:
        report = rebuild(config, path)
    except FileExistsError as e:
        click.echo(f"mailbot: {e}", err=True)
        sys.exit(EXIT_STORE)
    except ConfigError as e:
        click.echo(f"mailbot: config error: {e}", err=True)
        sys.exit(EXIT_CONFIG)
    except (*NETWORK_ERRORS, imaplib.IMAP4.error) as e:
        click.echo(f"mailbot: the mailbox could not be read ({type(e).__name__}: {e}); no store was written", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    click.echo(f"store {path} rebuilt from the mailbox")


@store.command("backup")
@click.argument("destination", type=click.Path())
@click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")
@click.option("--store", "store_path", type=click.Path(), help="SQLite store (overrides the config).")
def store_backup(destination, config_path, store_path) -> None:
    """Copy the store to DESTINATION (a new file, or a folder) while mailbot runs.

    Uses SQLite's online backup, so the copy is consistent even while the
    daemon writes; the copy is checked and made readable by its owner only.
    """
    from .backup import BackupError, backup_store

    config = _config(config_path)
    source = Path(store_path) if store_path else config.store_path()
    try:
        result = backup_store(source, Path(destination))
    except BackupError as e:
        click.echo(f"mailbot: backup failed: {e}", err=True)
        sys.exit(1)
    click.echo(f"backed up {result.source} to {result.destination} ({result.bytes} bytes)")
