"""The TOML config, validated when it loads.

A misspelt or unknown key is an error, never ignored: `load_config` raises
`ConfigError` naming the file and the dotted key.  Relative paths in the file
are relative to the file's own folder.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from .delivery.vocabulary import COMMITMENT_ACTIONS, COMMITMENT_INTENTS, DEFAULT_AUTO_SEND_ACTIONS
from .errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreConfig(_Section):
    path: str = ""  # empty: $XDG_DATA_HOME/mailbot/mailbot.sqlite3


class ClassifierConfig(_Section):
    model: str = ""  # empty: the pipeline bundled with mailbot
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
    # `no_reply` for mail the text model alone calls automated needs at least this score.
    automated_min_confidence: float = Field(0.9, ge=0.0, le=1.0)


class ExtractConfig(_Section):
    # Each pattern's first group is the order number; see extract/orders.py.
    order_patterns: list[str] = Field(default_factory=list)
    order_prefixes: list[str] = Field(default_factory=lambda: ["KS"])
    order_digits_min: int = Field(4, ge=1)
    order_digits_max: int = Field(7, ge=1)
    # "my Amazon order 10492" is not ours: names of other shops.  Payment
    # services (PayPal, Klarna) are not listed: their "Invoice ID" is our order.
    other_companies: list[str] = Field(default_factory=lambda: [
        "amazon", "ebay", "aliexpress", "alibaba", "etsy", "walmart", "temu", "shein", "wish", "drop",
        "massdrop", "kbdfans", "novelkeys", "keychron", "mechmarket", "apple", "google", "zalando",
        "otto", "bol", "cdiscount", "mediamarkt", "best buy", "newegg"])
    # Inline images smaller than this (bytes or longer side in pixels) are
    # decoration (signature logos), not the customer's photos.
    logo_max_bytes: int = Field(30_000, ge=0)
    logo_max_side: int = Field(400, ge=0)


class PolicyConfig(_Section):
    rules_dir: str = ""  # empty: the bundled rules/
    orders: str = ""  # order data CSV; empty: none
    returns: str = ""  # return history CSV; empty: none
    defect_report_days: int = Field(7, ge=0)
    processing_days: int = Field(2, ge=0)
    refund_business_days: int = Field(7, ge=0)
    max_returns_per_customer: int = Field(3, ge=0)
    holiday_country: str = "CN"
    # Order data older than this (the file's modification time): replies that state an order's
    # status are drafted for a person instead of sent, and `mailbot status` warns.
    orders_max_age_hours: float = Field(24.0, gt=0)


class ReplyConfig(_Section):
    templates_dir: str = ""  # empty: the bundled templates/
    store_name: str = "Keysme"
    support_address: str = "support@keysme.com"
    from_name: str = "Keysme Support"
    signature: str = "The Keysme support team"
    # "auto": the customer's language when the store writes it, else English (the base); or one
    # language code for every reply.
    language: str = Field("auto", pattern=r"^(auto|[a-z]{2,3})$")
    # The languages the store writes replies in (language folders of templates_dir); empty: every
    # language the templates folder has. English is always written: every template exists in it.
    languages: list[str] = Field(default_factory=list)
    # The sign-off in other languages, e.g. { de = "Ihr Keysme-Team" }; a language not named here
    # signs with its templates' own words and store_name ("signature" is the English one).
    signatures: dict[str, str] = Field(default_factory=dict)

    @field_validator("signatures")
    @classmethod
    def _signature_languages(cls, values: dict[str, str]) -> dict[str, str]:
        bad = [k for k in values if not re.fullmatch(r"[a-z]{2,3}", k)]
        if bad:
            raise ValueError(f"keys must be language codes (like \"de\"): {bad}")
        return values

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if not re.fullmatch(r"[a-z]{2,3}", v)]
        if bad:
            raise ValueError(f"not a language code (two or three lower-case letters, like \"de\"): {bad}")
        if len(set(values)) != len(values):
            raise ValueError(f"languages must be distinct: {values}")
        return values


def is_loopback(host: str) -> bool:
    """True for a host name or address that never leaves this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plaintext_only_to_loopback(tls: str, info: ValidationInfo) -> str:
    """tls = "none" only with allow_plaintext and only to a loopback host (IMAP and SMTP alike).

    Mail and a password in clear text over a network are mail and a password given away.
    """
    if tls == "none":
        if not info.data.get("allow_plaintext"):
            raise ValueError('tls = "none" sends in clear text; it also needs allow_plaintext = true')
        if not is_loopback(info.data.get("host", "")):
            raise ValueError(f'tls = "none" is allowed only to a loopback host, not {info.data.get("host")!r}')
    return tls


ENV_NAME = r"^([A-Za-z_][A-Za-z0-9_]*)?$"  # the NAME of an environment variable, or empty
OAUTH2_PROVIDERS = ("google", "microsoft", "custom")


class OAuth2Config(_Section):
    """How an account gets OAuth2 access tokens (mailbot/auth/, docs/oauth2.md)."""

    provider: str
    client_id: str = Field(min_length=1)
    client_secret_env: str = Field("", pattern=ENV_NAME)  # empty: a public client, no secret
    tenant: str = "organizations"  # Microsoft: "organizations", "common" or the directory (tenant) id
    token_url: str = ""  # empty: the provider's; required for "custom"
    authorization_url: str = ""  # for `mailbot auth login` in a browser; empty: the provider's
    device_authorization_url: str = ""  # for the device-code login; empty: the provider's
    scopes: list[str] = Field(default_factory=list)  # empty: the provider's for IMAP and SMTP
    refresh_token_env: str = Field("", pattern=ENV_NAME)  # the refresh token from the environment ...
    token_file: str = ""  # ... or from this file (mode 0600); default: <data dir>/tokens/<account>.json

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, provider: str) -> str:
        if provider not in OAUTH2_PROVIDERS:
            raise ValueError(f"unknown provider {provider!r}; one of {', '.join(OAUTH2_PROVIDERS)}")
        return provider

    @field_validator("token_url", "authorization_url", "device_authorization_url")
    @classmethod
    def _url(cls, url: str) -> str:
        match = re.match(r"^(https?)://(\[[^]]+\]|[^\s/:]+)", url)
        if url and not match:
            raise ValueError(f"not an http(s) URL: {url!r}")
        if url and match.group(1) == "http" and not is_loopback(match.group(2)):
            # Tokens and the client secret in clear text are tokens given away.
            raise ValueError(f"http:// is allowed only to a loopback host; use https: {url!r}")
        return url

    @model_validator(mode="after")
    def _complete(self) -> "OAuth2Config":
        if self.provider == "custom":
            if not self.token_url:
                raise ValueError('provider "custom" needs token_url')
            if not self.scopes:
                raise ValueError('provider "custom" needs scopes')
        if self.refresh_token_env and self.token_file:
            raise ValueError("refresh_token_env and token_file: give one of them, not both")
        return self


class AccountConfig(_Section):
    """One IMAP mailbox the daemon watches (see docs/daemon.md)."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")  # the store's key: renaming restarts from UID 1
    host: str = Field(min_length=1)
    port: int | None = Field(None, ge=1, le=65535)  # empty: 993 for implicit TLS, 143 otherwise
    allow_plaintext: bool = False
    tls: Literal["implicit", "starttls", "none"] = "implicit"
    username: str = Field(min_length=1)
    # How the account logs in (mailbot/auth/): a password, or an OAuth2 access token (SASL XOAUTH2/OAUTHBEARER).
    auth: Literal["password", "oauth2"] = "password"
    password_env: str = Field("", pattern=ENV_NAME)  # the NAME of the variable, never the password
    oauth2: OAuth2Config | None = None
    folders: list[str] = Field(default_factory=lambda: ["INBOX"], min_length=1)
    move_by_action: dict[str, str] = Field(default_factory=dict)  # checked against the vocabulary at start-up
    move_by_intent: dict[str, str] = Field(default_factory=dict)
    quarantine_folder: str = ""  # empty: failed messages stay where they are, flagged $MailbotFailed

    _plaintext_only_to_loopback = field_validator("tls")(plaintext_only_to_loopback)

    @field_validator("folders")
    @classmethod
    def _distinct_folders(cls, folders: list[str]) -> list[str]:
        if len(set(folders)) != len(folders) or not all(folders):
            raise ValueError("folder names must be distinct and non-empty")
        return folders

    @model_validator(mode="after")
    def _login_settings(self) -> "AccountConfig":
        if self.auth == "password" and not self.password_env:
            raise ValueError('auth = "password" needs password_env, the name of the variable holding the password')
        if self.auth == "oauth2" and self.oauth2 is None:
            raise ValueError('auth = "oauth2" needs an [accounts.oauth2] table (docs/oauth2.md)')
        if self.auth == "password" and self.oauth2 is not None:
            raise ValueError('an [accounts.oauth2] table needs auth = "oauth2"')
        return self

    def imap_port(self) -> int:
        return self.port or (993 if self.tls == "implicit" else 143)


class DaemonConfig(_Section):
    # Seconds between passes over each folder; with IDLE, the safety-net resync.
    poll_interval: float = Field(60, gt=0)
    idle: bool = True
    # RFC 2177: servers may drop a client idle for 30 minutes; re-issue IDLE well before.
    idle_renew_seconds: float = Field(1500, gt=0, le=1740)
    batch_size: int = Field(100, ge=1, le=10000)
    max_message_bytes: int = Field(25 * 1024 * 1024, ge=1024)
    reconnect_initial_seconds: float = Field(1.0, gt=0)
    reconnect_max_seconds: float = Field(300.0, gt=0)
    once_max_attempts: int = Field(5, ge=1)  # `run --once`: connection attempts per folder before giving up
    timeout_seconds: float = Field(60.0, gt=0)  # one IMAP command's network timeout
    # A folder the store has never seen: "all" handles the mail already in it, "new" leaves that mail
    # as it is and starts with the next message to arrive (docs/daemon.md).
    first_run: Literal["all", "new"] = "all"
    # "text": `event key=value ...` lines; "json": one JSON object per line (for log shippers).
    log_format: Literal["text", "json"] = "text"


# --- delivery (mailbot/delivery/) -------------------------------------------

ADDRESS = r"^[^\s@<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"
BLOCK_ENTRY = r"^(?:[^\s@<>()\[\],;:\"\\]+@|@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"


class SmtpConfig(_Section):
    """Where replies are sent; see docs in config.example.toml."""

    # "oauth2": log in with the OAuth2 token of delivery.imap_account (mailbot/auth/); before username.
    auth: Literal["password", "oauth2"] = "password"
    host: str = ""  # empty: sending is not configured (`send-approved` says so and stops)
    port: int | None = Field(None, ge=1, le=65535)  # empty: 465 implicit TLS, 587 STARTTLS, 25 none
    allow_plaintext: bool = False  # before tls: its validator reads it
    # RFC 8314: implicit TLS for submission; STARTTLS where the provider only offers that.
    tls: Literal["implicit", "starttls", "none"] = "implicit"
    username: str = ""  # empty: no AUTH
    password_env: str = Field("", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$", validate_default=True)  # the NAME
    timeout_seconds: float = Field(30.0, gt=0)

    _plaintext_only_to_loopback = field_validator("tls")(plaintext_only_to_loopback)

    @field_validator("password_env")
    @classmethod
    def _password_with_username(cls, password_env: str, info: ValidationInfo) -> str:
        if info.data.get("username") and not password_env and info.data.get("auth") != "oauth2":
            raise ValueError("a username needs password_env, the name of the variable holding the password")
        return password_env

    def smtp_port(self) -> int:
        return self.port or {"implicit": 465, "starttls": 587, "none": 25}[self.tls]


class DeliveryConfig(_Section):
    # Our own addresses besides reply.support_address: never a recipient (mail loops).
    support_addresses: list[str] = Field(default_factory=list)
    # `mode = "send"`: the actions sent without review, at or above this confidence.
    auto_send_actions: list[str] = Field(default_factory=lambda: list(DEFAULT_AUTO_SEND_ACTIONS))
    # Returns, cancellations, refunds, escalations wait for a person unless named here (actions or intents).
    auto_send_commitments: list[str] = Field(default_factory=list)
    auto_send_min_confidence: float = Field(0.85, ge=0.0, le=1.0)
    # ...and only to mail at most this old (its Date header): a first run meets years of old mail.
    auto_send_max_age_hours: float = Field(72.0, gt=0)
    # Loop and abuse guard (automatic replies only; 0 in a per-day limit stops automatic replies).
    max_auto_replies_per_thread_per_day: int = Field(1, ge=0)
    max_auto_replies_per_recipient_per_day: int = Field(3, ge=0)
    max_auto_sends_per_hour: int = Field(20, ge=1)  # when hit: back to draft mode until a person resumes
    block_list: list[str] = Field(default_factory=list)  # "a@x.com", "@x.com" or "x.com" (and its subdomains)
    # A bounce of one of our replies blocks its recipient for this many days (`mailbot review unblock` clears it).
    bounce_block_days: int = Field(60, ge=1)
    # IMAP: the `accounts` entry whose Drafts and Sent folders are used; empty: none.
    imap_account: str = ""
    drafts_folder: str = Field("Drafts", min_length=1)
    sent_folder: str = Field("Sent", min_length=1)
    # Outbox: temporary (4xx) failures are retried with exponential backoff.
    retry_initial_seconds: float = Field(60.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    send_interval_seconds: float = Field(60.0, gt=0)  # how often the daemon sends the outbox
    smtp: SmtpConfig = SmtpConfig()

    @field_validator("support_addresses")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if not re.match(ADDRESS, v)]
        if bad:
            raise ValueError(f"not a plain address (local@domain): {bad}")
        return [v.lower() for v in values]

    @field_validator("block_list")
    @classmethod
    def _block_entries(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if not re.match(BLOCK_ENTRY, v)]
        if bad:
            raise ValueError(f'entries must be "a@x.com", "@x.com" or "x.com": {bad}')
        return [v.lower() for v in values]

    @field_validator("auto_send_actions")
    @classmethod
    def _known_actions(cls, values: list[str]) -> list[str]:
        from .policy.rules import ACTIONS  # late: policy imports this module

        unknown = [v for v in values if v not in ACTIONS or v == "no_reply"]
        if unknown:
            raise ValueError(f"unknown actions {unknown}; known: {[a for a in ACTIONS if a != 'no_reply']}")
        return values

    @field_validator("auto_send_commitments")
    @classmethod
    def _known_commitments(cls, values: list[str]) -> list[str]:
        known = (*COMMITMENT_ACTIONS, *COMMITMENT_INTENTS)
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValueError(f"{unknown} are not actions or intents that touch money or commitments; known: {list(known)}")
        return values

    @field_validator("retry_max_seconds")
    @classmethod
    def _backoff_order(cls, value: float, info: ValidationInfo) -> float:
        if value < info.data.get("retry_initial_seconds", 0):
            raise ValueError("retry_max_seconds must be at least retry_initial_seconds")
        return value


# --- the review console (mailbot/web/) ----------------------------------------


class WebConfig(_Section):
    """`mailbot web`, and the same console inside `mailbot run` when enabled (docs/review.md)."""

    enabled: bool = False  # true: `mailbot run` serves the console too, in the same process
    host: str = Field("127.0.0.1", min_length=1)
    port: int = Field(8025, ge=1, le=65535)
    session_hours: float = Field(12.0, gt=0)  # a login lasts this long
    # The customer's attachments are kept in the store for the console: each up to this size
    # (larger ones are listed without their bytes), and at most the total per message.
    keep_attachment_bytes: int = Field(10 * 1024 * 1024, ge=0)
    keep_message_bytes: int = Field(25 * 1024 * 1024, ge=0)
class MetricsConfig(_Section):
    """`mailbot run` serves Prometheus metrics on http://host:port/metrics (docs/deploy.md)."""

    port: int = Field(0, ge=0, le=65535)  # 0: no metrics server
    host: str = Field("127.0.0.1", min_length=1)  # loopback: the counts are nobody else's business


class Config(_Section):
    store: StoreConfig = StoreConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    extract: ExtractConfig = ExtractConfig()
    policy: PolicyConfig = PolicyConfig()
    reply: ReplyConfig = ReplyConfig()
    mode: Literal["dry-run", "draft", "send"] = "draft"
    accounts: list[AccountConfig] = Field(default_factory=list)
    daemon: DaemonConfig = DaemonConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    web: WebConfig = WebConfig()
    metrics: MetricsConfig = MetricsConfig()

    @field_validator("accounts")
    @classmethod
    def _distinct_account_names(cls, accounts: list[AccountConfig]) -> list[AccountConfig]:
        names = [a.name for a in accounts]
        if len(set(names)) != len(names):
            raise ValueError(f"account names must be distinct: {names}")
        return accounts

    @field_validator("delivery")
    @classmethod
    def _delivery_account_exists(cls, delivery: DeliveryConfig, info: ValidationInfo) -> DeliveryConfig:
        names = [a.name for a in info.data.get("accounts") or []]
        if delivery.imap_account and delivery.imap_account not in names:
            raise ValueError(f"imap_account: no account named {delivery.imap_account!r} (accounts: {names})")
        if delivery.smtp.auth == "oauth2":
            account = next((a for a in info.data.get("accounts") or [] if a.name == delivery.imap_account), None)
            if account is None or account.auth != "oauth2":
                raise ValueError('smtp.auth = "oauth2" uses the OAuth2 settings of delivery.imap_account, '
                                 "which must name an account with auth = \"oauth2\"")
        return delivery

    @model_validator(mode="before")
    @classmethod
    def _token_files_in_place(cls, data):
        """Each OAuth2 account's token file as an absolute path: relative to the config file, or by
        default in the data directory (the store's folder), so every connection finds the same file."""
        if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
            return data
        base = Path(data.get("base_dir") or ".")
        store = data.get("store") if isinstance(data.get("store"), dict) else {}
        store_path = store.get("path") if isinstance(store.get("path"), str) and store.get("path") else ""
        data_dir = _resolve(base, store_path).parent if store_path else default_data_dir()
        accounts = []
        for account in data["accounts"]:
            oauth2 = account.get("oauth2") if isinstance(account, dict) else None
            if isinstance(oauth2, dict) and not oauth2.get("refresh_token_env") and isinstance(account.get("name"), str):
                token_file = oauth2.get("token_file", "")
                if isinstance(token_file, str):  # anything else: the schema names the key
                    path = _resolve(base, token_file) if token_file else data_dir / "tokens" / f"{account['name']}.json"
                    account = {**account, "oauth2": {**oauth2, "token_file": str(path)}}
            accounts.append(account)
        return {**data, "accounts": accounts}

    # Set by load_config, not by the file: where relative paths start.
    base_dir: str = Field(default=".", exclude=True)
    source: str = Field(default="(defaults)", exclude=True)

    def store_path(self) -> Path:
        if self.store.path:
            return self.path(self.store.path)
        return default_data_dir() / "mailbot.sqlite3"

    def triage_store_path(self) -> Path:
        """Where `mailbot triage` records: beside the daemon's store, never in it.

        A decision triage recorded in the daemon's store would be taken as
        already handled there, and the daemon would draft no reply for it.
        """
        store = self.store_path()
        return store.with_name(store.stem + ".triage" + store.suffix)

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else Path(self.base_dir) / p


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/mailbot: the store and the OAuth2 token files when the config names no other place."""
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(data_home) / "mailbot"


def _resolve(base: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else base / p


def load_config(path: str | os.PathLike | None) -> Config:
    """Load and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, "", f"not valid TOML: {e}") from None
    for reserved in ("base_dir", "source"):
        if reserved in data:
            raise ConfigError(path, reserved, "unknown key")
    try:
        return Config(**data, base_dir=str(path.resolve().parent), source=str(path))
    except ValidationError as e:
        raise _config_error(path, e, data) from None


def _account_named(data: dict, loc: tuple) -> str:
    """Names the account, as " (account 'support')", for an error inside an [[accounts]] entry:
    an index alone is hard to find in a long config."""
    if len(loc) >= 2 and loc[0] == "accounts" and isinstance(loc[1], int):
        accounts = data.get("accounts")
        if isinstance(accounts, list) and loc[1] < len(accounts) and isinstance(accounts[loc[1]], dict):
            return f' (account {accounts[loc[1]].get("name")!r})'
    return ""


def _config_error(path: Path, e: ValidationError, data: dict | None = None) -> ConfigError:
    problems = []
    first_key = ""
    for err in e.errors():
        key = ".".join(str(part) for part in err["loc"])
        first_key = first_key or key
        where = key + _account_named(data or {}, err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown key")
        elif isinstance(err.get("input"), dict):  # a whole table's check: its message says what is wrong
            problems.append(f"{where}: {err['msg']}")
        else:
            problems.append(f"{where}: {err['msg']} (got {err.get('input')!r})")
    error = ConfigError(path, "", "; ".join(problems))
    error.key = first_key
    return error
