"""`mailbot check-config --online`: log in where the daemon and sending will, and check what only servers know.

For each account: the login (password or OAuth2, the same code the daemon
uses), IDLE, and every folder the config names, translated to the server's
own separator (daemon/foldernames.py): a watched folder must exist, a folder
mail is moved to or drafts are kept in may be created on first use, but its
name must be one the server can hold.  Then the SMTP server's login.  Each
finding is one line naming the account; nothing is changed on any server.
"""

from __future__ import annotations

from dataclasses import dataclass

from imapclient.exceptions import IMAPClientError, LoginError

from .auth import AuthError
from .config import AccountConfig, Config
from .daemon.connection import NETWORK_ERRORS, UnsafeConnection, close_quietly, connect
from .daemon.foldernames import FolderNameError, FolderNames


@dataclass(frozen=True)
class Finding:
    problem: bool
    text: str


def check_online(config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for index, account in enumerate(config.accounts):
        findings += _check_account(config, index, account)
    if config.delivery.smtp.host:
        findings.append(_check_smtp(config))
    return findings


def _check_account(config: Config, index: int, account: AccountConfig) -> list[Finding]:
    name, where = account.name, f"{account.host}:{account.imap_port()}"
    try:
        client = connect(account, config.daemon)
    except LoginError as e:
        fix = (f"check the password in ${account.password_env}" if account.auth == "password"
               else f"the token was refused even after a refresh; run `mailbot auth login {name}`")
        return [Finding(True, f"account {name}: {where} refused the login of {account.username}: "
                              f"{_one_line(e)}; {fix}")]
    except AuthError as e:
        return [Finding(True, str(e))]
    except UnsafeConnection as e:
        return [Finding(True, f"account {name}: {e}")]
    except (*NETWORK_ERRORS, IMAPClientError) as e:
        return [Finding(True, f"account {name}: cannot connect to {where}: {type(e).__name__}: {_one_line(e)}")]
    findings = []
    try:
        idle = client.has_capability("IDLE")
        if config.daemon.idle and not idle:
            findings.append(Finding(True, f"account {name}: {where} does not offer IDLE, so new mail waits for the "
                                          f"next poll (daemon.poll_interval = {config.daemon.poll_interval:g} s); "
                                          "set daemon.idle = false to poll on purpose"))
        names = FolderNames.read(client)
        watched = [(folder, f"accounts.{index}.folders") for folder in account.folders]
        targets = [(folder, f"accounts.{index}.move_by_action.{key}") for key, folder in account.move_by_action.items()]
        targets += [(folder, f"accounts.{index}.move_by_intent.{key}") for key, folder in account.move_by_intent.items()]
        if account.quarantine_folder:
            targets.append((account.quarantine_folder, f"accounts.{index}.quarantine_folder"))
        if config.delivery.imap_account == name:
            targets += [(config.delivery.drafts_folder, "delivery.drafts_folder"),
                        (config.delivery.sent_folder, "delivery.sent_folder")]
        for folder, key in watched + targets:
            try:
                server_name = names.server_name(folder)
            except FolderNameError as e:
                findings.append(Finding(True, f"account {name}: {key}: {e}"))
                continue
            shown = folder if server_name == folder else f"{folder!r} (on the server {server_name!r})"
            if not client.folder_exists(server_name):
                if (folder, key) in watched:
                    findings.append(Finding(True, f"account {name}: {key}: folder {shown} does not exist on "
                                                  f"{where}; create it or correct the name"))
                else:
                    findings.append(Finding(False, f"account {name}: {key}: folder {shown} does not exist yet; "
                                                   "mailbot creates it on first use"))
        mechanism = "password" if account.auth == "password" else "OAuth2"
        findings.insert(0, Finding(False, f"account {name}: logged in to {where} as {account.username} ({mechanism});"
                                          f" IDLE {'yes' if idle else 'no'}, MOVE "
                                          f"{'yes' if client.has_capability('MOVE') else 'no'}, folder separator "
                                          f"{names.separator!r}"))
    except (*NETWORK_ERRORS, IMAPClientError) as e:
        findings.append(Finding(True, f"account {name}: {where}: {type(e).__name__}: {_one_line(e)}"))
    finally:
        close_quietly(client, logout=True)
    return findings


def _check_smtp(config: Config) -> Finding:
    from .delivery.smtp import SmtpSender

    try:
        return Finding(False, SmtpSender(config).check_login())
    except AuthError as e:
        return Finding(True, str(e))
    except Exception as e:  # the sender says what failed; this is a check, never a crash
        return Finding(True, f"SMTP {config.delivery.smtp.host}: {_one_line(e)}")


def _one_line(text) -> str:
    text = str(text)
    if text[:2] in ("b'", 'b"') and text[-1:] == text[1]:  # imapclient puts the server's bytes in as repr
        text = text[2:-1]
    return " ".join(text.split())[:300]
