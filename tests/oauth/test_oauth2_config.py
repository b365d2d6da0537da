"""The OAuth2 keys of the config: each mistake is one error naming the file, the key and the account."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from mailbot.config import load_config
from mailbot.errors import ConfigError

ACCOUNT = {"name": "support", "host": "imap.example.com", "username": "support@keysme.com", "auth": "oauth2"}


def write(tmp_path: Path, oauth2: dict | None, *, account: dict | None = None, **config) -> Path:
    entry = {**ACCOUNT, **(account or {})}
    if oauth2 is not None:
        entry["oauth2"] = oauth2
    path = tmp_path / "mailbot.toml"
    path.write_text(tomli_w.dumps({"accounts": [entry], **config}))
    return path


@pytest.mark.parametrize("oauth2, account, delivery, expected", [
    ({"provider": "gmail", "client_id": "x"}, {}, None,
     "accounts.0.oauth2.provider (account 'support'): Value error, unknown provider 'gmail'; one of google, "
     "microsoft, custom (got 'gmail')"),
    ({"provider": "custom", "client_id": "x", "scopes": ["mail"]}, {}, None,
     "accounts.0.oauth2 (account 'support'): Value error, provider \"custom\" needs token_url"),
    ({"provider": "custom", "client_id": "x", "token_url": "http://auth.example.com/token", "scopes": ["a"]}, {}, None,
     "http:// is allowed only to a loopback host; use https"),
    ({"provider": "google", "client_id": "x", "refresh_token_env": "A", "token_file": "t.json"}, {}, None,
     "refresh_token_env and token_file: give one of them, not both"),
    ({"provider": "google", "client_id": ""}, {}, None, "accounts.0.oauth2.client_id (account 'support')"),
    (None, {}, None, "auth = \"oauth2\" needs an [accounts.oauth2] table"),
    (None, {"auth": "password"}, None, "auth = \"password\" needs password_env"),
    ({"provider": "google", "client_id": "x"}, {"auth": "password", "password_env": "P"}, None,
     "an [accounts.oauth2] table needs auth = \"oauth2\""),
    ({"provider": "google", "client_id": "x", "tenant": "t", "colour": "red"}, {}, None,
     "accounts.0.oauth2.colour (account 'support'): unknown key"),
    (None, {"auth": "password", "password_env": "P"}, {"imap_account": "support", "smtp": {"host": "smtp.x.com",
                                                                                          "auth": "oauth2"}},
     "smtp.auth = \"oauth2\" uses the OAuth2 settings of delivery.imap_account"),
])
def test_each_mistake_names_the_key(tmp_path, oauth2, account, delivery, expected):
    path = write(tmp_path, oauth2, account=account, **({"delivery": delivery} if delivery else {}))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_token_file_defaults_to_the_data_directory_and_is_relative_to_the_config(tmp_path):
    path = write(tmp_path, {"provider": "microsoft", "client_id": "x"}, store={"path": "data/mailbot.sqlite3"})
    assert load_config(path).accounts[0].oauth2.token_file == str(tmp_path / "data" / "tokens" / "support.json")
    path = write(tmp_path, {"provider": "microsoft", "client_id": "x", "token_file": "secrets/support.json"})
    assert load_config(path).accounts[0].oauth2.token_file == str(tmp_path / "secrets" / "support.json")


def test_smtp_oauth2_needs_no_password(tmp_path):
    path = write(tmp_path, {"provider": "google", "client_id": "x"},
                 delivery={"imap_account": "support", "smtp": {"host": "smtp.gmail.com", "auth": "oauth2",
                                                               "username": "support@keysme.com"}})
    assert load_config(path).delivery.smtp.auth == "oauth2"


def test_run_without_a_token_stops_at_start_up_in_one_line_naming_the_account(tmp_path):
    path = write(tmp_path, {"provider": "google", "client_id": "x"}, store={"path": "store.sqlite3"})
    result = subprocess.run([str(Path(sys.executable).parent / "mailbot"), "run", "--once", "--config", str(path)],
                            capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"mailbot: config error: {path}: accounts.0.oauth2.token_file: no refresh token in "
        f"{tmp_path / 'tokens' / 'support.json'} yet; run `mailbot auth login support`")


def test_the_example_config_lists_every_login_key():
    from mailbot.config import AccountConfig, OAuth2Config

    text = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text()
    for key in (*OAuth2Config.model_fields, "auth"):
        assert f"\n# {key} = " in text or f"\n# # {key} = " in text, f"{key} missing from config.example.toml"
    assert "\n# # [accounts.oauth2]" in text and "auth" in AccountConfig.model_fields


def test_the_example_account_loads_with_a_password_and_with_oauth2(tmp_path):
    """Following the example's own instructions: uncomment the account, then its OAuth2 table."""
    text = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text()
    head, rest = text.split("\n# [[accounts]]\n", 1)
    block, tail = rest.split("\n[delivery]\n", 1)
    lines = [line[2:] if line.startswith("# ") else line for line in block.splitlines()]
    (tmp_path / "password.toml").write_text(f"{head}\n[[accounts]]\n" + "\n".join(lines) + f"\n[delivery]\n{tail}")
    assert load_config(tmp_path / "password.toml").accounts[0].auth == "password"

    table = lines.index("# [accounts.oauth2]")
    lines = [line.replace('auth = "password"', 'auth = "oauth2"') for line in lines[:table]
             if not line.startswith("password_env")] + [line[2:] for line in lines[table:]]
    (tmp_path / "oauth2.toml").write_text(f"{head}\n[[accounts]]\n" + "\n".join(lines) + f"\n[delivery]\n{tail}")
    account = load_config(tmp_path / "oauth2.toml").accounts[0]
    assert account.auth == "oauth2" and account.oauth2.provider == "microsoft"
    assert account.folders == ["INBOX"]  # the keys before the table stayed its own


def test_the_presets_know_each_providers_endpoints_and_mail_scopes():
    from mailbot.auth.providers import endpoints
    from mailbot.config import OAuth2Config

    microsoft = endpoints(OAuth2Config(provider="microsoft", client_id="x", tenant="keysme.onmicrosoft.com"))
    assert microsoft.token_url == "https://login.microsoftonline.com/keysme.onmicrosoft.com/oauth2/v2.0/token"
    assert microsoft.device_authorization_url.endswith("/keysme.onmicrosoft.com/oauth2/v2.0/devicecode")
    assert "offline_access" in microsoft.scopes and microsoft.login_flow == "device"
    assert {"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send"} <= \
        set(microsoft.scopes)
    google = endpoints(OAuth2Config(provider="google", client_id="x"))
    assert (google.token_url, google.scopes, google.login_flow) == (
        "https://oauth2.googleapis.com/token", ("https://mail.google.com/",), "browser")
    assert ("access_type", "offline") in google.authorization_params  # else Google gives no refresh token
    custom = endpoints(OAuth2Config(provider="custom", client_id="x", token_url="https://id.example.com/t",
                                    scopes=["imap"], authorization_url="https://id.example.com/a"))
    assert (custom.token_url, custom.scopes, custom.login_flow) == ("https://id.example.com/t", ("imap",), "browser")
    overridden = endpoints(OAuth2Config(provider="google", client_id="x", scopes=["https://mail.google.com/", "x"]))
    assert overridden.scopes == ("https://mail.google.com/", "x")
