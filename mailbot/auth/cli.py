"""`mailbot auth login ACCOUNT` and `mailbot auth status`: registered on the main command in mailbot/cli.py."""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone

import click

from ..config import AccountConfig, Config
from ..errors import MailbotError
from .errors import AuthError

config_option = click.option("--config", "config_path", type=click.Path(), help="Config file (TOML).")


def _config(config_path: str | None) -> Config:
    from ..cli import _load  # late: mailbot.cli registers this module's commands

    return _load(config_path)


def _account(config: Config, name: str) -> AccountConfig:
    account = next((a for a in config.accounts if a.name == name), None)
    if account is None:
        names = ", ".join(a.name for a in config.accounts) or "none"
        _fail(f"no account named {name!r} in {config.source} (accounts: {names})")
    if account.auth != "oauth2":
        _fail(f"account {name} logs in with a password (auth = \"password\"); `auth login` is for "
              "auth = \"oauth2\" accounts (docs/oauth2.md)")
    return account


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"mailbot: {message}", err=True)
    sys.exit(code)


@click.group()
def auth() -> None:
    """OAuth2 logins: get a refresh token, show each account's token state."""


@auth.command("login")
@click.argument("account_name", metavar="ACCOUNT")
@config_option
@click.option("--device", "flow", flag_value="device", help="Device-code login (Microsoft's default).")
@click.option("--browser", "flow", flag_value="browser",
              help="Browser login with a redirect to 127.0.0.1 (Google's default).")
@click.option("--paste", "flow", flag_value="paste", help="Paste a refresh token got elsewhere (read from stdin).")
@click.option("--no-open", is_flag=True, help="With --browser: print the page's address, do not open a browser.")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait for the sign-in.")
def auth_login(account_name, config_path, flow, no_open, timeout) -> None:
    """Get ACCOUNT's first refresh token and keep it where its config says.

    With `oauth2.token_file` (the default) the token is saved there, mode
    0600. With `oauth2.refresh_token_env` it is printed as VAR=token for the
    service's EnvironmentFile. Without a flow option, the provider's usual
    one: device code for Microsoft, browser for Google.
    """
    from .flows import browser_flow, device_flow, paste_flow, save_login
    from .tokens import token_source

    config = _config(config_path)
    account = _account(config, account_name)
    source = token_source(account, timeout=config.daemon.timeout_seconds)
    flow = flow or source.endpoints.login_flow

    def say(text: str) -> None:
        click.echo(text, err=True)

    try:
        if source.file is not None:
            source.file.check()  # refuse before asking a person to sign in for nothing
        if flow == "paste":
            if sys.stdin.isatty():
                refresh_token = click.prompt("refresh token", hide_input=True, err=True)
            else:
                refresh_token = sys.stdin.readline()
            token = paste_flow(source, refresh_token)
        elif flow == "device":
            token = device_flow(source, say, timeout=timeout)
        else:
            token = browser_flow(source, say, open_browser=not no_open, timeout=timeout)
        message = save_login(source, token)
    except MailbotError as e:
        _fail(str(e))
    if source.file is None:
        click.echo(message)  # VAR=token on stdout, for redirecting into the EnvironmentFile
    else:
        click.echo(message, err=True)


@auth.command("status")
@config_option
@click.option("--check", is_flag=True, help="Also refresh each OAuth2 token now, to prove the refresh token works.")
def auth_status(config_path, check) -> None:
    """Each account's login: password or OAuth2, where the refresh token is, until when the access token holds.

    Never shows a token. Exit 1 if an account cannot log in as things stand.
    """
    from .login import setup_problem
    from .tokens import token_source

    config = _config(config_path)
    if not config.accounts:
        click.echo(f"{config.source}: no [[accounts]]")
    failed = False
    for account in config.accounts:
        problem = setup_problem(account)
        if account.auth == "password":
            state = f"password from ${account.password_env}" + (f"; {problem[1]}" if problem else "")
        else:
            source = token_source(account, timeout=config.daemon.timeout_seconds)
            state = f"oauth2 ({account.oauth2.provider})"
            if problem:
                state += f"; PROBLEM: {problem[1]}"
            else:
                try:
                    if check:
                        source.access_token()
                    info = source.state()
                    state += (f"; refresh token {info['refresh_token']}; access token "
                              f"{_expiry(info['access_token_expires_at'])}")
                except AuthError as e:
                    problem = ("", e.problem)
                    state += f"; PROBLEM: {e.problem}"
        failed = failed or bool(problem)
        click.echo(f"{account.name}: {state}")
    smtp = config.delivery.smtp
    if smtp.host and smtp.auth == "oauth2":
        click.echo(f"SMTP {smtp.host}: oauth2, with the token of account {config.delivery.imap_account}")
    if failed:
        sys.exit(1)


def _expiry(expires_at: float | None) -> str:
    if expires_at is None:
        return "none yet (fetched at the next login)"
    when = datetime.fromtimestamp(expires_at, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    left = expires_at - time.time()
    if left <= 0:
        return f"expired at {when} (refreshed at the next login)"
    return f"valid until {when} ({_duration(left)} left)"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"


COMMANDS = (auth,)
