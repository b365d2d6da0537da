"""`mailbot web` and `mailbot user add/list/remove`: registered on the main command in mailbot/cli.py."""

from __future__ import annotations

import sys

import click

from ..delivery.cli import _fail, _open, config_option, store_option


@click.command("web")
@config_option
@store_option
@click.option("--host", help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: web.port, 8025).")
def web(config_path, store_path, host, port) -> None:
    """Serve the review console in the browser.

    The same store and review service as `mailbot review`. Reviewers log in
    with the names `mailbot user add` creates. SIGTERM or SIGINT stop it.
    """
    from .server import serve
    from .users import Users

    config, store = _open(config_path, store_path)
    path = store.path
    if not Users(store.db).list():
        click.echo("mailbot: no reviewers yet: add one with `mailbot user add NAME`", err=True)
    store.close()
    host, port = host or config.web.host, port or config.web.port
    click.echo(f"mailbot review console on http://{host}:{port}/ (store {path})", err=True)
    serve(config, path, host=host, port=port)


@click.group("user")
def user() -> None:
    """Reviewers who may log in to the console."""


@user.command("add")
@click.argument("name")
@config_option
@store_option
def user_add(name, config_path, store_path) -> None:
    """Add a reviewer; the password is read from the terminal (asked twice) or standard input."""
    from ..delivery.tables import utcnow
    from .users import UserError, Users

    if sys.stdin.isatty():
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    config, store = _open(config_path, store_path)
    try:
        Users(store.db).add(name, password, utcnow())
    except UserError as e:
        _fail(str(e))
    click.echo(f"user {name} added")
    store.close()


@user.command("list")
@config_option
@store_option
def user_list(config_path, store_path) -> None:
    """The reviewers, with when each was added."""
    from .users import Users

    _, store = _open(config_path, store_path)
    users = Users(store.db).list()
    click.echo(f"users ({len(users)}):" if users else "no users: add one with `mailbot user add NAME`")
    for name, created in users:
        click.echo(f"  {name:24} added {created[:16].replace('T', ' ')}")
    store.close()


@user.command("remove")
@click.argument("name")
@config_option
@store_option
def user_remove(name, config_path, store_path) -> None:
    """Remove a reviewer; their sessions end at once."""
    from .users import UserError, Users

    _, store = _open(config_path, store_path)
    try:
        Users(store.db).remove(name)
    except UserError as e:
        _fail(str(e))
    click.echo(f"user {name} removed")
    store.close()


COMMANDS = (web, user)
